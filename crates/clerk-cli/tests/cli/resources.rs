//! `clerk sessions`, `clients`, `allowlist`, `emails`, `sms`, `outbox`, `jwks`, `keys`.

use serde_json::{Value, json};

use crate::common::{Env, Proxy, raw_get};

#[test]
fn sessions() {
    let env = Env::start();
    let user = env.user("ada@example.com");
    let created = env.json(&["sessions", "create", &user]);
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["status"], "active");

    let table = env.clerk(&["sessions", "list", "--user-id", &user]).ok();
    assert!(
        table.stdout.starts_with("ID") && table.stdout.contains(&id),
        "{table:#?}"
    );
    let json = env
        .clerk(&[
            "--json",
            "sessions",
            "list",
            "--user-id",
            &user,
            "--status",
            "active",
        ])
        .ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(
            &env,
            &format!("/v1/sessions?user_id={user}&status=active&paginated=true")
        )
    );
    env.clerk(&["sessions", "list"]).code(2); // --user-id or --client-id is required
    env.clerk(&["sessions", "get", &id])
        .ok()
        .stdout_has("Status:")
        .stdout_has("active");
    assert_eq!(
        env.json(&["sessions", "get", &id])["user_id"],
        user.as_str()
    );
    env.clerk(&["sessions", "get", "sess_missing"])
        .api_error("resource_not_found");
    env.clerk(&["sessions", "create", "user_missing"])
        .api_error("resource_not_found");

    // `token` prints just the JWT in table mode, the API's object with --json.
    let token = env
        .clerk(&["sessions", "token", &id])
        .ok()
        .stdout
        .trim()
        .to_owned();
    assert_eq!(token.split('.').count(), 3);
    let object = env.json(&["sessions", "token", &id, "--expires-in-seconds", "120"]);
    assert_eq!(object["object"], "token");
    env.clerk(&["sessions", "token", &id, "--template", "missing"])
        .api_error("resource_not_found");

    // `verify` checks the token locally (keys from GET /v1/jwks) and its session.
    let claims = env.clerk(&["sessions", "verify", &id, &token]).ok().json();
    assert_eq!(claims["sid"], id.as_str());
    assert_eq!(claims["sub"], user.as_str());
    let piped = env
        .clerk_stdin(&["sessions", "verify", &id, "-", "--online"], &token)
        .ok()
        .json();
    assert_eq!(piped["sid"], id.as_str());
    env.clerk(&["sessions", "verify", "sess_other", &token])
        .code(1)
        .stderr_has("token rejected: session_mismatch");

    let revoked = env.json(&["sessions", "revoke", &id]);
    assert_eq!(revoked["status"], "revoked");
    env.clerk(&["sessions", "verify", &id, &token, "--online"])
        .code(1)
        .stderr_has("token rejected: session_not_active");
    env.clerk(&["sessions", "token", &id])
        .api_error("authentication_invalid");
}

#[test]
fn clients() {
    let env = Env::start();
    let user = env.user("ada@example.com");
    let session = env.block_on(env.server.create_session(&user));
    let table = env.clerk(&["clients", "list"]).ok();
    assert!(table.stdout.contains(&session.client_id), "{table:#?}");
    let json = env
        .clerk(&["--json", "clients", "list", "--limit", "5"])
        .ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(&env, "/v1/clients?paginated=true&limit=5")
    );
    env.clerk(&["clients", "get", &session.client_id])
        .ok()
        .stdout_has(&session.id);
    assert_eq!(
        env.json(&["clients", "get", &session.client_id])["id"],
        session.client_id.as_str()
    );
    env.clerk(&["clients", "get", "client_missing"])
        .api_error("resource_not_found");

    let token = env.block_on(env.server.client_token(&session.client_id));
    env.clerk(&["clients", "verify", &token])
        .ok()
        .stdout_has(&session.client_id);
    let verified = env
        .clerk_stdin(&["--json", "clients", "verify", "-"], &token)
        .ok()
        .json();
    assert_eq!(verified["id"], session.client_id.as_str());
    env.clerk(&["clients", "verify", "not-a-token"])
        .api_error("cookie_invalid");
}

#[test]
fn allowlist() {
    let env = Env::start();
    env.clerk(&["allowlist", "list"])
        .ok()
        .stdout_has("the allowlist is empty");
    let added = env.json(&["allowlist", "add", "grace@example.com", "--notify"]);
    let id = added["id"].as_str().unwrap().to_owned();
    assert!(added["invitation_id"].is_string());
    env.clerk(&["allowlist", "add", "example.com"])
        .ok()
        .stdout_has("example.com");
    env.clerk(&["allowlist", "add", "example.com"])
        .api_error("duplicate_record");
    let table = env.clerk(&["allowlist", "list"]).ok();
    assert!(table.stdout.contains("grace@example.com") && table.stdout.contains(&id));
    let json = env.clerk(&["--json", "allowlist", "list"]).ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(&env, "/v1/allowlist_identifiers?paginated=true")
    );
    assert_eq!(json.json()["total_count"], 2);
    env.clerk(&["allowlist", "remove", &id])
        .ok()
        .stdout_has(&format!("deleted allowlist_identifier {id}"));
    env.clerk(&["allowlist", "remove", &id])
        .api_error("resource_not_found");

    env.clerk(&["allowlist", "on"])
        .ok()
        .stdout_has("allowlist on");
    assert_eq!(
        env.json(&["allowlist", "off"])["restricted_to_allowlist"],
        false
    );
    assert_eq!(
        env.json(&["allowlist", "on"])["restricted_to_allowlist"],
        true
    );
}

#[test]
fn emails_sms_and_the_outbox() {
    let env = Env::start();
    let user = env.block_on(env.server.create_user_with(json!({
        "email_address": ["ada@example.com"], "phone_number": ["+15555550123"]
    })));
    let email_id = user.json["email_addresses"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let phone_id = user.json["phone_numbers"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    env.clerk(&[
        "emails",
        "send",
        "--email-address-id",
        &email_id,
        "--subject",
        "Hi",
        "--body",
        "<p>Hello</p>",
    ])
    .ok()
    .stdout_has("ada@example.com")
    .stdout_has("queued");
    let email = env.json(&[
        "emails",
        "send",
        "--email-address-id",
        &email_id,
        "--from-email-name",
        "support",
        "--subject",
        "Again",
    ]);
    assert_eq!(email["object"], "email");
    assert_eq!(email["from_email_name"], "support");
    env.clerk(&[
        "emails",
        "send",
        "--email-address-id",
        "idn_missing",
        "--subject",
        "x",
    ])
    .api_error("resource_not_found");

    // SMS works but says it is deprecated, on stderr only.
    let sms = env
        .clerk(&[
            "--json",
            "sms",
            "send",
            "--phone-number-id",
            &phone_id,
            "--message",
            "Hi!",
        ])
        .ok();
    assert!(sms.stderr.contains("deprecated"), "{sms:#?}");
    assert_eq!(sms.json()["message"], "Hi!");
    env.clerk(&[
        "sms",
        "send",
        "--phone-number-id",
        "idn_missing",
        "--message",
        "x",
    ])
    .stderr_has("deprecated")
    .api_error("resource_not_found");

    env.clerk(&[
        "sms",
        "send",
        "--phone-number-id",
        &phone_id,
        "--message",
        "482913 is your code",
    ])
    .ok();
    let newest = env.json(&["outbox", "list", "--limit", "1"]);
    let sms_id = newest["data"][0]["id"].as_str().unwrap().to_owned();
    env.clerk(&["outbox", "show", &sms_id])
        .ok()
        .stdout_has("+15555550123")
        .stdout_has("Code")
        .stdout_has("482913 is your code");
    let shown = env.clerk(&["--json", "outbox", "show", &sms_id]).ok();
    assert_eq!(
        shown.stdout.trim_end(),
        raw_get(&env, &format!("/v1/_local/outbox/{sms_id}"))
    );
    env.clerk(&["outbox", "show", "sms_missing"])
        .api_error("resource_not_found");

    let outbox = env.clerk(&["outbox", "list"]).ok();
    assert!(
        outbox.stdout.contains("Hi") && outbox.stdout.contains("sms_message"),
        "{outbox:#?}"
    );
    let json = env
        .clerk(&["--json", "outbox", "list", "--type", "email"])
        .ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(&env, "/v1/_local/outbox?type=email")
    );
    assert_eq!(json.json()["total_count"], 2);
    env.clerk(&["outbox", "clear"])
        .ok()
        .stdout_has("removed 4 message(s)");
    env.clerk(&["outbox", "list"])
        .ok()
        .stdout_has("the outbox is empty");
    env.clerk(&["outbox", "list", "--limit", "0"])
        .api_error("form_param_value_invalid");
}

#[test]
fn jwks_and_keys() {
    let env = Env::start();
    let table = env.clerk(&["jwks"]).ok();
    assert!(
        table.stdout.contains("RS256") && table.stdout.contains("2048"),
        "{table:#?}"
    );
    let json = env.clerk(&["--json", "jwks"]).ok();
    assert_eq!(json.stdout.trim_end(), raw_get(&env, "/v1/jwks"));
    let first_kid = json.json()["keys"][0]["kid"].as_str().unwrap().to_owned();

    env.clerk(&["keys", "list"])
        .ok()
        .stdout_has(&first_kid)
        .stdout_has("active");
    let pem = env.clerk(&["keys", "pem"]).ok().stdout;
    assert_eq!(
        pem.trim_end(),
        env.block_on(env.server.jwt_key()).trim_end()
    );
    env.clerk(&["keys", "pem", "ins_missing"]).code(2);
    let publishable = env.clerk(&["keys", "publishable"]).ok().stdout;
    assert!(publishable.starts_with("pk_test_"), "{publishable}");
    let instance: Value = serde_json::from_str(&raw_get(&env, "/v1/instance")).unwrap();
    assert_eq!(publishable.trim_end(), instance["publishable_key"]);

    let rotation = env.json(&["keys", "rotate"]);
    let new_kid = rotation["kid"].as_str().unwrap();
    assert_eq!(rotation["retired"], json!([first_kid]));
    env.clerk(&["keys", "rotate"])
        .ok()
        .stdout_has("new signing key");
    let listed = env.json(&["keys", "list"]);
    assert_eq!(listed["total_count"], 3);
    assert!(
        listed["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["kid"] == new_kid)
    );
    assert_eq!(env.json(&["jwks"])["keys"].as_array().unwrap().len(), 3);
    env.clerk_at("http://127.0.0.1:1", &["jwks"], None)
        .code(4)
        .stderr_has("cannot reach the API");
}

#[test]
fn local_routes_explain_themselves_on_other_apis() {
    let env = Env::start();
    let proxy = Proxy::start(&env);
    proxy
        .hide_local_routes
        .store(true, std::sync::atomic::Ordering::SeqCst);
    for args in [
        &["keys", "rotate"][..],
        &["keys", "list"],
        &["outbox", "list"],
        &["outbox", "clear"],
    ] {
        env.clerk_at(&proxy.url, args, None)
            .code(1)
            .stderr_has("/v1/_local/")
            .stderr_has("clerk.com has no such route");
    }
}

#[test]
fn instance_settings_and_domains() {
    let env = Env::start();
    env.clerk(&["instance", "protect"]).ok().stdout_has("Rules");
    assert_eq!(
        env.json(&["instance", "protect", "--rules", "true"])["rules_enabled"],
        true
    );
    env.clerk(&["instance", "sms-blocklist"])
        .ok()
        .stdout_has("every country");
    env.clerk(&["instance", "sms-blocklist", "--set", "RU,KP"])
        .ok()
        .stdout_has("KP, RU");
    env.clerk(&["instance", "sms-blocklist", "--set", "kp"])
        .api_error("form_param_format_invalid");
    assert_eq!(
        env.json(&["instance", "sms-blocklist", "--set", ""])["blocked_country_codes"],
        json!([])
    );
    env.clerk(&["instance", "oauth", "--default-scopes", "openid,email"])
        .ok()
        .stdout_has("openid email");
    assert_eq!(
        env.json(&["instance", "oauth", "--default-scopes", ""])["default_scopes"],
        json!(["profile", "email"])
    );
    env.clerk(&["instance", "orgs", "--max-memberships", "5"])
        .ok()
        .stdout_has("org:admin");
    assert_eq!(
        env.json(&["instance", "orgs"])["max_allowed_memberships"],
        5
    );
    env.clerk(&["instance", "orgs", "--creator-role-id", "role_missing"])
        .api_error("resource_not_found");

    env.clerk(&["domains", "list"]).ok().stdout_has("primary");
    let added = env.json(&["domains", "add", "localhost:3001"]);
    let id = added["id"].as_str().unwrap().to_owned();
    env.clerk(&["domains", "add", "localhost:3001"])
        .api_error("duplicate_record");
    env.clerk(&["domains", "rename", &id, "localhost:3002"])
        .ok()
        .stdout_has("localhost:3002");
    env.clerk(&["domains", "list"]).ok().stdout_has("satellite");
    env.clerk(&["domains", "remove", &id])
        .ok()
        .stdout_has(&format!("deleted domain {id}"));
    env.clerk(&["domains", "remove", &id])
        .api_error("resource_not_found");
}
