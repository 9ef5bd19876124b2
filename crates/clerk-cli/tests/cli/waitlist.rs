//! `clerk waitlist` and `clerk sign-ups`.

use crate::common::{Env, raw_get};

#[test]
fn waitlist() {
    let env = Env::start();
    env.clerk(&["waitlist", "list"])
        .ok()
        .stdout_has("the waitlist is empty");
    let ada = env.json(&["waitlist", "add", "ada@example.com", "--no-notify"]);
    let ada_id = ada["id"].as_str().unwrap().to_owned();
    assert_eq!(ada["status"], "pending");
    env.clerk(&["waitlist", "add", "bob@example.com"])
        .ok()
        .stdout_has("bob@example.com");
    env.clerk(&["waitlist", "add", "not an address"])
        .api_error("form_param_format_invalid");
    let bob = env.json(&["waitlist", "list", "--query", "bob"]);
    assert_eq!(bob["total_count"], 1);
    let bob_id = bob["data"][0]["id"].as_str().unwrap().to_owned();

    let table = env
        .clerk(&["waitlist", "list", "--order-by", "-email_address"])
        .ok();
    let (b, a) = (
        table.stdout.find("bob@example.com").unwrap(),
        table.stdout.find("ada@example.com").unwrap(),
    );
    assert!(b < a, "{table:#?}");
    let json = env.clerk(&["--json", "waitlist", "list"]).ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(&env, "/v1/waitlist_entries")
    );

    env.clerk(&["waitlist", "invite", &bob_id])
        .ok()
        .stdout_has("invited");
    env.clerk(&["waitlist", "invite", &bob_id])
        .api_error("duplicate_record");
    assert_eq!(
        env.json(&["waitlist", "invite", &bob_id, "--ignore-existing"])["status"],
        "invited"
    );
    let pending = env.json(&["waitlist", "list", "--status", "pending"]);
    assert_eq!(pending["total_count"], 1);

    assert_eq!(
        env.json(&["waitlist", "reject", &ada_id])["status"],
        "rejected"
    );
    env.clerk(&["waitlist", "rm", &ada_id])
        .api_error("waitlist_entry_not_pending");
    env.clerk(&["waitlist", "rm", &bob_id])
        .api_error("waitlist_entry_not_pending");
    env.clerk(&["waitlist", "reject", "wle_missing"])
        .api_error("resource_not_found");
    let carl = env.json(&["waitlist", "add", "carl@example.com", "--no-notify"]);
    let carl_id = carl["id"].as_str().unwrap();
    env.clerk(&["waitlist", "rm", carl_id])
        .ok()
        .stdout_has(&format!("deleted waitlist_entry {carl_id}"));
}

#[test]
fn sign_ups() {
    let env = Env::start();
    let started = env.block_on(
        env.server
            .create_sign_up(serde_json::json!({"email_address": "ada@example.com"})),
    );
    let id = started["id"].as_str().unwrap().to_owned();
    env.clerk(&["sign-ups", "get", &id])
        .ok()
        .stdout_has("missing_requirements");
    let json = env.clerk(&["--json", "sign-ups", "get", &id]).ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(&env, &format!("/v1/sign_ups/{id}"))
    );
    let updated = env.json(&[
        "sign-ups",
        "update",
        &id,
        "--external-id",
        "crm_42",
        "--custom-action",
        "true",
    ]);
    assert_eq!(updated["external_id"], "crm_42");
    assert_eq!(updated["custom_action"], true);
    let cleared = env.json(&["sign-ups", "update", &id, "--clear-external-id"]);
    assert_eq!(cleared["external_id"], serde_json::Value::Null);
    env.clerk(&["sign-ups", "get", "sua_missing"])
        .api_error("resource_not_found");
}
