//! `clerk api-keys` and `clerk oauth-apps`.

use crate::common::{Env, raw_get};

#[test]
fn api_keys() {
    let env = Env::start();
    let ann = env.user("ann@example.com");
    env.clerk(&["api-keys", "list", &ann])
        .ok()
        .stdout_has("no API keys");
    let created = env
        .clerk(&[
            "api-keys", "create", &ann, "--name", "ci key", "--scope", "read", "--scope", "write",
        ])
        .ok()
        .stdout_has("Secret (shown once)");
    let key = env.json(&[
        "api-keys",
        "create",
        &ann,
        "--name",
        "deploy",
        "--claims",
        r#"{"tier":"gold"}"#,
        "--expires-in",
        "3600",
    ]);
    assert!(created.stdout.contains("read write"), "{created:#?}");
    let id = key["id"].as_str().unwrap().to_owned();
    let secret = key["secret"].as_str().unwrap().to_owned();
    assert_eq!(key["claims"]["tier"], "gold");
    env.clerk(&["api-keys", "create", &ann, "--name", "ab"])
        .api_error("form_param_value_invalid");
    env.clerk(&["api-keys", "create", &ann, "--name", "bad", "--claims", "{"])
        .code(2);

    let list = env.json(&["api-keys", "list", &ann]);
    assert_eq!(list["total_count"], 2);
    let json = env.clerk(&["--json", "api-keys", "list", &ann]).ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(&env, &format!("/v1/api_keys?subject={ann}"))
    );
    env.clerk(&["api-keys", "get", &id])
        .ok()
        .stdout_has("deploy");
    env.clerk(&["api-keys", "get", "ak_00000000000000000000000000000000"])
        .api_error("resource_not_found");
    assert_eq!(
        env.json(&["api-keys", "secret", &id])["secret"],
        secret.as_str()
    );

    assert_eq!(
        env.json(&["api-keys", "verify", &secret])["id"],
        id.as_str()
    );
    env.clerk(&["api-keys", "verify", "ak_nope"])
        .api_error("api_key_not_found");
    env.clerk(&["api-keys", "revoke", &id, "--reason", "leaked"])
        .ok()
        .stdout_has("leaked");
    env.clerk(&["api-keys", "verify", &secret])
        .api_error("api_key_revoked");
    env.clerk(&["api-keys", "list", &ann, "--include-invalid"])
        .ok()
        .stdout_has("revoked");
    env.clerk(&["api-keys", "delete", &id]).ok();
    env.clerk(&["api-keys", "delete", &id])
        .api_error("resource_not_found");
}

#[test]
fn oauth_apps() {
    let env = Env::start();
    env.clerk(&["oauth-apps", "list"])
        .ok()
        .stdout_has("no OAuth applications");
    let app = env.json(&[
        "oauth-apps",
        "create",
        "Zapier",
        "--redirect-uri",
        "https://zapier.example/cb",
    ]);
    let id = app["id"].as_str().unwrap().to_owned();
    let secret = app["client_secret"].as_str().unwrap().to_owned();
    env.clerk(&["oauth-apps", "create", "Cli", "--public"])
        .ok()
        .stdout_has("Cli");
    env.clerk(&["oauth-apps", "create", " "])
        .api_error("form_param_value_invalid");
    assert_eq!(env.json(&["oauth-apps", "list"])["total_count"], 2);
    env.clerk(&["oauth-apps", "list", "--name-query", "zap"])
        .ok()
        .stdout_has("Zapier");
    env.clerk(&["oauth-apps", "get", &id])
        .ok()
        .stdout_has("https://zapier.example/cb");
    env.clerk(&["oauth-apps", "get", "oa_missing"])
        .api_error("resource_not_found");
    let updated = env.json(&[
        "oauth-apps",
        "update",
        &id,
        "--name",
        "Zapier 2",
        "--scopes",
        "profile",
        "--pkce-required",
        "true",
    ]);
    assert_eq!(updated["name"], "Zapier 2");
    assert_eq!(updated["pkce_required"], true);
    let rotated = env.json(&["oauth-apps", "rotate-secret", &id]);
    assert_ne!(rotated["client_secret"].as_str().unwrap(), secret);
    env.clerk(&["oauth-apps", "delete", &id]).ok();
    env.clerk(&["oauth-apps", "delete", &id])
        .api_error("resource_not_found");
}
