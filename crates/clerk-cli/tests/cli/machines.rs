//! `clerk machines` (create, list, get, update, delete, secret, rotate, scopes add/remove)
//! and `clerk m2m-tokens` (create, list, verify, revoke), with a machine's key from
//! `--machine-key` (inline or `@file`) or `CLERK_MACHINE_SECRET_KEY`.

use crate::common::{Env, command, run};

#[test]
fn machines_and_m2m_tokens() {
    let env = Env::start();
    let callee = env.json(&["machines", "create", "inventory"]);
    let callee_id = callee["id"].as_str().unwrap().to_owned();
    let callee_key = callee["secret_key"].as_str().unwrap().to_owned();
    let caller = env.json(&["machines", "create", "checkout", "--ttl", "600"]);
    let caller_id = caller["id"].as_str().unwrap().to_owned();
    assert_eq!(caller["default_token_ttl"], 600);
    env.clerk(&["machines", "create", "bad", "--ttl", "0"])
        .api_error("form_param_value_invalid");

    // Scopes: the caller may call the callee.
    env.clerk(&["machines", "scopes", "add", &caller_id, &callee_id])
        .ok()
        .stdout_has("may call");
    env.clerk(&["machines", "scopes", "add", &caller_id, &callee_id])
        .api_error("duplicate_record");
    env.clerk(&["machines", "get", &caller_id])
        .ok()
        .stdout_has(&callee_id)
        .stdout_has("600s");
    env.clerk(&["machines", "get", "mch_missing"])
        .api_error("resource_not_found");

    let table = env.clerk(&["machines", "list", "--order-by", "name"]).ok();
    let checkout = table.stdout.find("checkout").unwrap();
    let inventory = table.stdout.find("inventory").unwrap();
    assert!(checkout < inventory, "{table:#?}");
    assert_eq!(
        env.json(&["machines", "list", "--query", "invent"])["total_count"],
        1
    );
    env.clerk(&["machines", "update", &caller_id, "--name", "checkout-v2"])
        .ok()
        .stdout_has("checkout-v2");

    // Secret keys: print, rotate (the old one stops at once by default).
    let first = env.clerk(&["machines", "secret", &caller_id]).ok().stdout;
    assert!(first.trim().starts_with("ak_"));
    let rotated = env.clerk(&["machines", "rotate", &caller_id]).ok().stdout;
    assert_ne!(first.trim(), rotated.trim());
    let caller_key = rotated.trim().to_owned();
    env.clerk(&["machines", "rotate", &caller_id, "--grace", "99999"])
        .api_error("form_param_value_invalid");
    assert_eq!(
        env.clerk(&["machines", "secret", &caller_id])
            .ok()
            .stdout
            .trim(),
        caller_key
    );

    // Tokens: create with the machine key (a file), verify with the callee's (the env).
    env.clerk(&["m2m-tokens", "create"])
        .api_error("clerk_key_invalid");
    let key_file = env.path("caller.key");
    std::fs::write(&key_file, format!("{caller_key}\n")).unwrap();
    let key_arg = format!("@{}", key_file.display());
    let token = env
        .clerk(&[
            "m2m-tokens",
            "create",
            "--machine-key",
            &key_arg,
            "--expires-in",
            "600",
        ])
        .ok()
        .stdout
        .trim()
        .to_owned();
    assert!(token.starts_with("mt_"), "{token}");
    let mut verify = command(&["m2m-tokens", "verify", &token]);
    verify
        .env("CLERK_API_URL", env.server.api_url())
        .env("CLERK_MACHINE_SECRET_KEY", &callee_key);
    run(verify).ok().stdout_has(&caller_id);
    let jwt = env.json(&[
        "m2m-tokens",
        "create",
        "--machine-key",
        &key_arg,
        "--jwt",
        "--claims",
        r#"{"job":"sync"}"#,
    ]);
    assert_eq!(jwt["token"].as_str().unwrap().split('.').count(), 3);

    // List and revoke.
    let listed = env.json(&["m2m-tokens", "list", "--subject", &caller_id]);
    assert_eq!(listed["total_count"], 1);
    let token_id = listed["m2m_tokens"][0]["id"].as_str().unwrap().to_owned();
    env.clerk(&["m2m-tokens", "list", "--machine-key", &key_arg])
        .ok()
        .stdout_has(&token_id);
    env.clerk(&["m2m-tokens", "revoke", &token_id, "--reason", "leaked"])
        .ok()
        .stdout_has("leaked");
    env.clerk(&["m2m-tokens", "verify", &token])
        .api_error("token_revoked");
    env.clerk(&[
        "m2m-tokens",
        "revoke",
        "mt_00000000000000000000000000000000",
    ])
    .api_error("resource_not_found");
    assert_eq!(
        env.json(&["m2m-tokens", "list", "--subject", &caller_id, "--revoked"])["total_count"],
        1
    );

    // Remove the scope, delete a machine.
    env.clerk(&["machines", "scopes", "remove", &caller_id, &callee_id])
        .ok()
        .stdout_has("no longer");
    env.clerk(&["machines", "scopes", "remove", &caller_id, &callee_id])
        .api_error("resource_not_found");
    env.clerk(&["machines", "delete", &callee_id]).ok();
    env.clerk(&["machines", "delete", &callee_id])
        .api_error("resource_not_found");
}
