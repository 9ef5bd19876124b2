//! `clerk templates`: list, get, create (with shortcodes and a custom key), update,
//! delete, and mint with the decoded claims.

use crate::common::Env;

#[test]
fn templates_crud_and_mint() {
    let env = Env::start();
    let user = env.user("ada@example.com");
    let session = env.json(&["sessions", "create", &user]);
    let sid = session["id"].as_str().unwrap().to_owned();

    let created = env.json(&[
        "templates",
        "create",
        "supabase",
        "--claims",
        r#"{"email":"{{user.primary_email_address}}","role":"authenticated","who":"{{user.username || user.id}}"}"#,
        "--lifetime",
        "600",
    ]);
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["signing_algorithm"], "RS256");
    assert_eq!(created["lifetime"], 600);

    let secret = env.path("secret.txt");
    std::fs::write(&secret, "a-shared-secret\n").unwrap();
    env.clerk(&[
        "templates",
        "create",
        "hasura",
        "--claims",
        "{}",
        "--algorithm",
        "HS256",
        "--signing-key",
        &format!("@{}", secret.display()),
    ])
    .ok()
    .stdout_has("HS256 (own key)");

    let table = env.clerk(&["templates", "list"]).ok();
    assert!(
        table.stdout.starts_with("ID") && table.stdout.contains(&id),
        "{table:#?}"
    );
    assert!(table.stdout.contains("hasura"));
    assert_eq!(env.json(&["templates", "list"])["total_count"], 2);
    env.clerk(&["templates", "get", &id])
        .ok()
        .stdout_has("supabase")
        .stdout_has("600s");
    env.clerk(&["templates", "get", "jtmp_missing"])
        .api_error("resource_not_found");
    env.clerk(&["templates", "create", "bad", "--claims", r#"{"sub":"x"}"#])
        .api_error("jwt_template_reserved_claim");
    env.clerk(&["templates", "create", "bad", "--algorithm", "HS256"])
        .code(2);

    // Mint: the token, then its decoded claims.
    let minted = env.clerk(&["templates", "mint", &sid, "supabase"]).ok();
    let mut lines = minted.stdout.lines();
    assert_eq!(lines.next().unwrap().split('.').count(), 3);
    let claims: serde_json::Value =
        serde_json::from_str(&lines.collect::<Vec<_>>().join("\n")).unwrap();
    assert_eq!(claims["email"], "ada@example.com");
    assert_eq!(claims["role"], "authenticated");
    assert_eq!(claims["who"], user.as_str());
    assert_eq!(claims["sub"], user.as_str());
    let json = env.json(&["templates", "mint", &sid, "supabase", "--expires-in", "60"]);
    let c = &json["claims"];
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 60);
    env.clerk(&["templates", "mint", &sid, "nope"])
        .api_error("resource_not_found");

    // Update keeps the claims it is not given.
    let updated = env.json(&[
        "templates",
        "update",
        &id,
        "--name",
        "supa2",
        "--clock-skew",
        "0",
    ]);
    assert_eq!(updated["name"], "supa2");
    assert_eq!(updated["allowed_clock_skew"], 0);
    assert_eq!(updated["claims"]["role"], "authenticated");

    env.clerk(&["templates", "delete", &id]).ok();
    env.clerk(&["templates", "delete", &id])
        .api_error("resource_not_found");
}
