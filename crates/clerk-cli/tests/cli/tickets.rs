//! `clerk sign-in-tokens`, `clerk actor-tokens`, `clerk testing-token`.

use crate::common::Env;

#[test]
fn sign_in_and_actor_tokens() {
    let env = Env::start();
    let user = env.user("ada@example.com");
    let created = env.json(&[
        "sign-in-tokens",
        "create",
        &user,
        "--expires-in-seconds",
        "600",
    ]);
    assert_eq!(created["status"], "pending");
    assert!(
        created["url"]
            .as_str()
            .unwrap()
            .contains("/__clerk/v1/tickets/accept?ticket=")
    );
    let id = created["id"].as_str().unwrap().to_owned();
    env.clerk(&["sign-in-tokens", "revoke", &id])
        .ok()
        .stdout_has("revoked");
    env.clerk(&["sign-in-tokens", "revoke", &id])
        .api_error("sign_in_token_not_pending");
    env.clerk(&["sign-in-tokens", "create", "user_missing"])
        .api_error("resource_not_found");

    let table = env
        .clerk(&["actor-tokens", "create", &user, "--actor", "user_admin"])
        .ok();
    assert!(
        table.stdout.contains("user_admin") && table.stdout.contains("pending"),
        "{table:#?}"
    );
    let actor = env.json(&[
        "actor-tokens",
        "create",
        &user,
        "--actor",
        "user_admin",
        "--session-max-duration-in-seconds",
        "600",
    ]);
    assert_eq!(actor["actor"]["sub"], "user_admin");
    let revoked = env.json(&["actor-tokens", "revoke", actor["id"].as_str().unwrap()]);
    assert_eq!(revoked["status"], "revoked");
    env.clerk(&["actor-tokens", "revoke", "act_missing"])
        .api_error("resource_not_found");
}

#[test]
fn testing_token() {
    let env = Env::start();
    let token = env.json(&["testing-token"]);
    assert_eq!(token["object"], "testing_token");
    assert!(token["expires_at"].as_i64().unwrap() > 0);
    env.clerk(&["testing-token"]).ok().stdout_has("Expires");
}

#[test]
fn invitations() {
    let env = Env::start();
    env.clerk(&["invitations", "list"])
        .ok()
        .stdout_has("no invitations");
    let created = env.json(&[
        "invitations",
        "create",
        "ada@example.com",
        "--public-metadata",
        r#"{"plan":"pro"}"#,
        "--expires-in-days",
        "7",
    ]);
    assert_eq!(created["status"], "pending");
    assert_eq!(created["public_metadata"]["plan"], "pro");
    let id = created["id"].as_str().unwrap().to_owned();
    env.clerk(&["invitations", "create", "ada@example.com"])
        .api_error("duplicate_record");
    env.clerk(&["invitations", "create", "bob@example.com", "--no-notify"])
        .ok()
        .stdout_has("bob@example.com");
    let table = env
        .clerk(&[
            "invitations",
            "list",
            "--status",
            "pending",
            "--query",
            "ada",
        ])
        .ok();
    assert!(
        table.stdout.contains(&id) && !table.stdout.contains("bob@"),
        "{table:#?}"
    );
    let page = env.json(&["invitations", "list", "--limit", "1"]);
    assert_eq!(page["total_count"], 2);
    env.clerk(&["invitations", "revoke", &id])
        .ok()
        .stdout_has("revoked");
    env.clerk(&["invitations", "revoke", &id])
        .api_error("invitation_not_pending");
}
