//! `clerk blocklist` and `clerk redirect-urls`.

use crate::common::{Env, raw_get};

#[test]
fn blocklist() {
    let env = Env::start();
    env.clerk(&["blocklist", "list"])
        .ok()
        .stdout_has("the block-list is empty");
    let added = env.json(&["blocklist", "add", "spammer@example.com"]);
    let id = added["id"].as_str().unwrap().to_owned();
    assert_eq!(added["object"], "blocklist_identifier");
    env.clerk(&["blocklist", "add", "*@spam.example"])
        .ok()
        .stdout_has("spam.example");
    env.clerk(&["blocklist", "add", "spam.example"])
        .api_error("duplicate_record");
    let table = env.clerk(&["blocklist", "list"]).ok();
    assert!(table.stdout.contains("spammer@example.com") && table.stdout.contains(&id));
    let json = env.clerk(&["--json", "blocklist", "list"]).ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(&env, "/v1/blocklist_identifiers")
    );
    assert_eq!(json.json()["total_count"], 2);
    env.clerk(&["blocklist", "rm", &id])
        .ok()
        .stdout_has(&format!("deleted blocklist_identifier {id}"));
    env.clerk(&["blocklist", "remove", &id])
        .api_error("resource_not_found");
}

#[test]
fn redirect_urls() {
    let env = Env::start();
    env.clerk(&["redirect-urls", "list"])
        .ok()
        .stdout_has("no redirect URLs");
    let added = env.json(&["redirect-urls", "add", "my-app://oauth-callback"]);
    let id = added["id"].as_str().unwrap().to_owned();
    assert_eq!(added["url"], "my-app://oauth-callback");
    env.clerk(&["redirect-urls", "add", "https://my-app.com/cb"])
        .ok()
        .stdout_has("https://my-app.com/cb");
    env.clerk(&["redirect-urls", "add", "javascript://x"])
        .api_error("form_param_format_invalid");
    env.clerk(&["redirect-urls", "get", &id])
        .ok()
        .stdout_has("my-app://oauth-callback");
    let json = env.clerk(&["--json", "redirect-urls", "list"]).ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(&env, "/v1/redirect_urls?paginated=true")
    );
    assert_eq!(json.json()["total_count"], 2);
    env.clerk(&["redirect-urls", "rm", &id])
        .ok()
        .stdout_has(&format!("deleted redirect_url {id}"));
    env.clerk(&["redirect-urls", "get", &id])
        .api_error("resource_not_found");
}
