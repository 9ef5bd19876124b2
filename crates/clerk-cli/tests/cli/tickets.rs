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
    assert!(created["url"].as_str().unwrap().contains("__clerk_ticket="));
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
