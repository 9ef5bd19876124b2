//! `/v1/users`: create, get, update, delete, metadata, ban, lock, passwords.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Api, each_backend, each_backend_with};

/// Keys Clerk's Python client requires on a User, with whether `null` is allowed.
const USER_KEYS: &[(&str, bool)] = &[
    ("id", false),
    ("object", false),
    ("external_id", true),
    ("primary_email_address_id", true),
    ("primary_phone_number_id", true),
    ("primary_web3_wallet_id", true),
    ("username", true),
    ("first_name", true),
    ("last_name", true),
    ("has_image", false),
    ("public_metadata", false),
    ("email_addresses", false),
    ("phone_numbers", false),
    ("web3_wallets", false),
    ("passkeys", false),
    ("password_enabled", false),
    ("two_factor_enabled", false),
    ("totp_enabled", false),
    ("backup_code_enabled", false),
    ("mfa_enabled_at", true),
    ("mfa_disabled_at", true),
    ("external_accounts", false),
    ("saml_accounts", false),
    ("enterprise_accounts", false),
    ("last_sign_in_at", true),
    ("banned", false),
    ("locked", false),
    ("lockout_expires_in_seconds", true),
    ("verification_attempts_remaining", true),
    ("updated_at", false),
    ("created_at", false),
    ("delete_self_enabled", false),
    ("create_organization_enabled", false),
    ("last_active_at", true),
    ("legal_accepted_at", true),
];

#[track_caller]
fn assert_user_shape(user: &Value) {
    for (key, nullable) in USER_KEYS {
        let value = user
            .get(*key)
            .unwrap_or_else(|| panic!("user lacks {key}: {user}"));
        assert!(*nullable || !value.is_null(), "user.{key} is null");
    }
    assert_eq!(user["object"], "user");
    let id = user["id"].as_str().unwrap();
    assert!(id.starts_with("user_") && id.len() == 32, "{id}");
    assert!(user["created_at"].is_i64() && user["updated_at"].is_i64());
    for email in user["email_addresses"].as_array().unwrap() {
        for key in [
            "id",
            "object",
            "email_address",
            "reserved",
            "verification",
            "linked_to",
            "created_at",
            "updated_at",
        ] {
            assert!(email.get(key).is_some(), "email lacks {key}");
        }
        assert_eq!(email["object"], "email_address");
        assert!(email["id"].as_str().unwrap().starts_with("idn_"));
        assert!(email["linked_to"].is_array());
    }
}

#[tokio::test]
async fn create_returns_a_complete_user() {
    each_backend(async |api: &mut Api| {
        let resp = api
            .post(
                "/v1/users",
                json!({
                    "email_address": ["Ann@Example.com", "ann2@example.com"],
                    "phone_number": ["+15555550100"],
                    "web3_wallet": ["0x52908400098527886E0F7030069857D2E4169EE7"],
                    "username": "Ann_L",
                    "first_name": "Ann",
                    "last_name": "Lee",
                    "external_id": "ext-1",
                    "password": "correct horse battery",
                    "public_metadata": {"plan": "pro"},
                    "private_metadata": {"note": 1},
                }),
            )
            .await;
        let user = resp.ok();
        assert_user_shape(user);
        assert_eq!(user["username"], "ann_l");
        assert_eq!(user["email_addresses"][0]["email_address"], "ann@example.com");
        assert_eq!(user["primary_email_address_id"], user["email_addresses"][0]["id"]);
        assert_eq!(user["primary_phone_number_id"], user["phone_numbers"][0]["id"]);
        assert_eq!(user["primary_web3_wallet_id"], user["web3_wallets"][0]["id"]);
        assert_eq!(
            user["web3_wallets"][0]["web3_wallet"],
            "0x52908400098527886e0f7030069857d2e4169ee7"
        );
        assert_eq!(
            user["email_addresses"][0]["verification"],
            json!({"object": "verification_admin", "status": "verified", "strategy": "admin", "attempts": null, "expire_at": null})
        );
        assert_eq!(user["password_enabled"], true);
        assert_eq!(user["public_metadata"], json!({"plan": "pro"}));
        assert_eq!(user["private_metadata"], json!({"note": 1}));
        assert_eq!(user["unsafe_metadata"], json!({}));
        assert_eq!(user["banned"], false);
        assert_eq!(user["locked"], false);

        let fetched = api.get(&format!("/v1/users/{}", user["id"].as_str().unwrap())).await;
        assert_eq!(fetched.ok(), user);
    })
    .await;
}

#[tokio::test]
async fn create_accepts_every_field_of_the_spec() {
    each_backend(async |api: &mut Api| {
        let user = api
            .user(json!({
                "external_id": "ext-all",
                "first_name": "All",
                "last_name": "Fields",
                "locale": "fr-FR",
                "email_address": ["all@example.com", "reserved@example.com"],
                "email_address_identification_status": ["verified", "reserved"],
                "phone_number": ["+15555550101"],
                "phone_number_identification_status": ["verified"],
                "web3_wallet": ["0x52908400098527886e0f7030069857d2e4169ee8"],
                "username": "allfields",
                "password": "short",
                "skip_password_checks": true,
                "skip_password_requirement": false,
                "totp_secret": "JBSWY3DPEHPK3PXP",
                "backup_codes": ["abc123", "def456"],
                "public_metadata": {"a": 1},
                "private_metadata": {"b": 2},
                "unsafe_metadata": {"c": 3},
                "delete_self_enabled": false,
                "legal_accepted_at": "2024-01-02T03:04:05.678Z",
                "skip_legal_checks": true,
                "skip_user_requirement": true,
                "create_organization_enabled": false,
                "create_organizations_limit": 3,
                "created_at": "2020-01-01T00:00:00Z",
                "bypass_client_trust": true,
                "banned": true,
                "locked": true,
            }))
            .await;
        assert_user_shape(&user);
        assert_eq!(user["locale"], "fr-FR");
        assert_eq!(user["totp_enabled"], true);
        assert_eq!(user["two_factor_enabled"], true);
        assert_eq!(user["backup_code_enabled"], true);
        assert!(user["mfa_enabled_at"].is_i64());
        assert_eq!(user["delete_self_enabled"], false);
        assert_eq!(user["create_organization_enabled"], false);
        assert_eq!(user["create_organizations_limit"], 3);
        assert_eq!(user["legal_accepted_at"], 1_704_164_645_678_i64);
        assert_eq!(user["created_at"], 1_577_836_800_000_i64);
        assert_eq!(user["bypass_client_trust"], true);
        assert_eq!(user["banned"], true);
        assert_eq!(user["locked"], true);
        let reserved = &user["email_addresses"][1];
        assert_eq!(reserved["reserved"], true);
        assert_eq!(reserved["verification"], Value::Null);
    })
    .await;
}

#[tokio::test]
async fn bad_create_bodies_get_precise_errors_and_change_nothing() {
    each_backend(async |api: &mut Api| {
        let resp = api.post("/v1/users", json!({"email_address": ["a@example.com"], "nickname": "x", "age": 3})).await;
        resp.err(422, "form_param_unknown");
        assert_eq!(resp.json["errors"].as_array().unwrap().len(), 2);
        let params: Vec<&str> = resp.json["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["meta"]["param_name"].as_str().unwrap())
            .collect();
        assert!(params.contains(&"nickname") && params.contains(&"age"));

        let resp = api.post("/v1/users", json!({"first_name": 42})).await;
        resp.err(422, "form_param_type_invalid");
        assert_eq!(resp.param(), "first_name");
        api.post("/v1/users", json!({"email_address": "not-an-array@example.com"}))
            .await
            .err(422, "form_param_type_invalid");
        api.post("/v1/users", json!({"banned": "yes"}))
            .await
            .err(422, "form_param_type_invalid");
        api.post("/v1/users", json!({"email_address": ["nope"]}))
            .await
            .err(422, "form_param_format_invalid");
        api.post("/v1/users", json!({"phone_number": ["5555550100"]}))
            .await
            .err(422, "form_param_format_invalid");
        api.post("/v1/users", json!({"username": "ab"}))
            .await
            .err(422, "form_username_invalid_length");
        api.post("/v1/users", json!({"password": "short"}))
            .await
            .err(422, "form_password_length_too_short");
        api.post("/v1/users", json!({"locale": "not a locale"}))
            .await
            .err(422, "form_param_format_invalid");
        api.post("/v1/users", json!({"created_at": "yesterday"}))
            .await
            .err(422, "form_param_invalid_time");
        api.post("/v1/users", json!({"totp_secret": "not base32!"}))
            .await
            .err(422, "invalid_totp_secret_code");
        api.post(
            "/v1/users",
            json!({"email_address": ["a@example.com"], "email_address_identification_status": ["verified", "reserved"]}),
        )
        .await
        .err(422, "form_param_array_length_mismatch");
        api.post(
            "/v1/users",
            json!({"email_address": ["a@example.com"], "email_address_identification_status": ["pending"]}),
        )
        .await
        .err(422, "form_param_value_invalid");

        let raw = |body: &'static str| api.request(reqwest::Method::POST, "/v1/users").header("Content-Type", "application/json").body(body);
        api.send(raw("{\"email_address\": [")).await.err(400, "request_body_invalid");
        api.send(raw("[1, 2]")).await.err(400, "request_body_invalid");
        api.send(raw("null")).await.err(400, "request_body_invalid");

        let count = api.get("/v1/users/count").await;
        assert_eq!(count.ok(), &json!({"object": "total_count", "total_count": 0}));
    })
    .await;
}

#[tokio::test]
async fn duplicate_identifiers_are_form_identifier_exists() {
    each_backend(async |api: &mut Api| {
        let first = api
            .user(json!({
                "email_address": ["taken@example.com"],
                "phone_number": ["+15555550102"],
                "web3_wallet": ["0x52908400098527886e0f7030069857d2e4169ee9"],
                "username": "takenname",
                "external_id": "ext-taken",
            }))
            .await;
        let cases = [
            (
                json!({"email_address": ["TAKEN@example.com"]}),
                "email_address",
            ),
            (json!({"phone_number": ["+1 555 555 0102"]}), "phone_number"),
            (
                json!({"web3_wallet": ["0x52908400098527886E0F7030069857D2E4169EE9"]}),
                "web3_wallet",
            ),
            (json!({"username": "TakenName"}), "username"),
            (json!({"external_id": "ext-taken"}), "external_id"),
            (
                json!({"email_address": ["twice@example.com", "twice@example.com"]}),
                "email_address",
            ),
        ];
        for (body, param) in cases {
            let resp = api.post("/v1/users", body).await;
            resp.err(422, "form_identifier_exists");
            assert_eq!(resp.param(), param);
        }
        let second = api
            .user(json!({"email_address": ["other@example.com"]}))
            .await;
        let resp = api
            .patch(
                &format!("/v1/users/{}", second["id"].as_str().unwrap()),
                json!({"username": "takenname"}),
            )
            .await;
        resp.err(422, "form_identifier_exists");
        assert_eq!(resp.param(), "username");
        let resp = api
            .post(
                "/v1/email_addresses",
                json!({"user_id": second["id"], "email_address": "taken@example.com"}),
            )
            .await;
        resp.err(422, "form_identifier_exists");
        let count = api.get("/v1/users/count").await;
        assert_eq!(count.ok()["total_count"], 2);
        assert!(first["id"].is_string());
    })
    .await;
}

#[tokio::test]
async fn get_update_and_delete() {
    each_backend(async |api: &mut Api| {
        api.get("/v1/users/user_missing").await.err(404, "resource_not_found");
        let user = api
            .user(json!({"email_address": ["u@example.com", "v@example.com"], "username": "someone", "first_name": "A"}))
            .await;
        let id = user["id"].as_str().unwrap().to_owned();
        let path = format!("/v1/users/{id}");

        let updated = api
            .patch(
                &path,
                json!({
                    "first_name": "Anna",
                    "last_name": "Lee",
                    "username": null,
                    "external_id": "e-9",
                    "primary_email_address_id": user["email_addresses"][1]["id"],
                    "notify_primary_email_address_changed": false,
                    "delete_self_enabled": false,
                    "legal_accepted_at": "2024-05-01T00:00:00Z",
                    "profile_image_id": "img_ignored",
                }),
            )
            .await;
        let updated = updated.ok();
        assert_eq!(updated["first_name"], "Anna");
        assert_eq!(updated["last_name"], "Lee");
        assert_eq!(updated["username"], Value::Null);
        assert_eq!(updated["external_id"], "e-9");
        assert_eq!(updated["primary_email_address_id"], user["email_addresses"][1]["id"]);
        assert_eq!(updated["delete_self_enabled"], false);
        assert_eq!(updated["legal_accepted_at"], 1_714_521_600_000_i64);
        assert!(updated["updated_at"].as_i64() >= user["updated_at"].as_i64());

        // Empty strings clear too; unknown primary ids are refused.
        let cleared = api.patch(&path, json!({"first_name": "", "external_id": ""})).await;
        assert_eq!(cleared.ok()["first_name"], Value::Null);
        assert_eq!(cleared.ok()["external_id"], Value::Null);
        let resp = api.patch(&path, json!({"primary_email_address_id": "idn_nope"})).await;
        resp.err(422, "form_identifier_not_found");
        assert_eq!(resp.param(), "primary_email_address_id");
        api.patch(&path, json!({"nickname": "x"})).await.err(422, "form_param_unknown");
        api.patch("/v1/users/user_missing", json!({"first_name": "x"}))
            .await
            .err(404, "resource_not_found");

        let deleted = api.delete(&path).await;
        assert_eq!(deleted.ok(), &json!({"object": "user", "id": id, "deleted": true}));
        api.get(&path).await.err(404, "resource_not_found");
        api.delete(&path).await.err(404, "resource_not_found");
        // Its identifiers are free again.
        api.user(json!({"email_address": ["u@example.com"], "username": "someone"})).await;
    })
    .await;
}

#[tokio::test]
async fn unverified_addresses_cannot_become_primary() {
    each_backend(async |api: &mut Api| {
        let user = api.user(json!({"email_address": ["p@example.com"]})).await;
        let id = user["id"].as_str().unwrap();
        let extra = api
            .post(
                "/v1/email_addresses",
                json!({"user_id": id, "email_address": "q@example.com", "verified": false}),
            )
            .await;
        let extra_id = extra.ok()["id"].as_str().unwrap().to_owned();
        let resp = api
            .patch(
                &format!("/v1/users/{id}"),
                json!({"primary_email_address_id": extra_id}),
            )
            .await;
        resp.err(422, "form_verification_needed");
    })
    .await;
}

#[tokio::test]
async fn metadata_merge_replace_and_versions() {
    each_backend(async |api: &mut Api| {
        let user = api
            .user(json!({"public_metadata": {"a": 1, "nested": {"x": 1, "y": 2}, "gone": true}}))
            .await;
        let id = user["id"].as_str().unwrap();
        let path = format!("/v1/users/{id}/metadata");

        let merged = api
            .patch(
                &path,
                json!({
                    "public_metadata": {"b": 2, "nested": {"y": null, "z": 3}, "gone": null},
                    "private_metadata": {"secret": "s"},
                }),
            )
            .await;
        let merged = merged.ok();
        assert_eq!(
            merged["public_metadata"],
            json!({"a": 1, "b": 2, "nested": {"x": 1, "z": 3}})
        );
        assert_eq!(merged["private_metadata"], json!({"secret": "s"}));
        assert_eq!(merged["unsafe_metadata"], json!({}));

        let replaced = api
            .put(&path, json!({"public_metadata": {"only": true}}))
            .await;
        let replaced = replaced.ok();
        assert_eq!(replaced["public_metadata"], json!({"only": true}));
        assert_eq!(
            replaced["private_metadata"],
            json!({"secret": "s"}),
            "omitted fields stay"
        );

        api.patch(&path, json!({"public_metadata": [1]}))
            .await
            .err(422, "form_param_type_invalid");
        api.patch(&path, json!({"other_metadata": {}}))
            .await
            .err(422, "form_param_unknown");
        api.patch(
            "/v1/users/user_missing/metadata",
            json!({"public_metadata": {}}),
        )
        .await
        .err(404, "resource_not_found");
        // An empty JS-style body changes nothing.
        let same = api
            .send(
                api.request(reqwest::Method::PATCH, &path)
                    .header("Content-Type", "application/json"),
            )
            .await;
        assert_eq!(same.ok()["public_metadata"], json!({"only": true}));

        // PATCH /v1/users/{id} replaces metadata wholesale before 2026-05-12...
        let user_path = format!("/v1/users/{id}");
        api.version("2025-11-10");
        let resp = api
            .patch(&user_path, json!({"public_metadata": {"fresh": 1}}))
            .await;
        assert_eq!(resp.ok()["public_metadata"], json!({"fresh": 1}));
        // ...and rejects it from 2026-05-12.
        api.version("2026-05-12");
        let resp = api
            .patch(&user_path, json!({"public_metadata": {"fresh": 2}}))
            .await;
        resp.err(422, "form_param_unknown");
        assert_eq!(resp.param(), "public_metadata");
        let resp = api
            .patch(&user_path, json!({"first_name": "Still fine"}))
            .await;
        assert_eq!(resp.ok()["public_metadata"], json!({"fresh": 1}));
    })
    .await;
}

#[tokio::test]
async fn ban_revokes_sessions_and_lock_expires() {
    each_backend(async |api: &mut Api| {
        let user = api
            .user(json!({"email_address": ["ban@example.com"]}))
            .await;
        let id = user["id"].as_str().unwrap().to_owned();
        let session = api.session(&id).await;

        let banned = api.post_empty(&format!("/v1/users/{id}/ban")).await;
        assert_eq!(banned.ok()["banned"], true);
        let s = api
            .get(&format!("/v1/sessions/{}", session["id"].as_str().unwrap()))
            .await;
        assert_eq!(s.ok()["status"], "revoked");
        let resp = api.post("/v1/sessions", json!({"user_id": id})).await;
        // 400, not 403: the operation declares 400 and 422 only (see declared.rs).
        resp.err(400, "user_banned");
        let banned_only = api.get("/v1/users?banned=true").await;
        assert_eq!(banned_only.ids(), vec![id.clone()]);
        let unbanned = api.post(&format!("/v1/users/{id}/unban"), json!({})).await;
        assert_eq!(unbanned.ok()["banned"], false);
        api.post(&format!("/v1/users/{id}/ban"), json!({"reason": "x"}))
            .await
            .err(422, "form_param_unknown");

        let locked = api.post_empty(&format!("/v1/users/{id}/lock")).await;
        let locked = locked.ok();
        assert_eq!(locked["locked"], true);
        assert_eq!(locked["lockout_expires_in_seconds"], 3600);
        // Locked through the Backend API: the attempts left stay as counted (Clerk's note).
        assert_eq!(locked["verification_attempts_remaining"], 10);
        api.post("/v1/sessions", json!({"user_id": id}))
            .await
            .err(400, "user_locked");
        api.server.advance_clock(Duration::from_secs(1800));
        let half = api.get(&format!("/v1/users/{id}")).await;
        assert_eq!(half.ok()["lockout_expires_in_seconds"], 1800);
        api.server.advance_clock(Duration::from_secs(1801));
        let expired = api.get(&format!("/v1/users/{id}")).await;
        assert_eq!(expired.ok()["locked"], false);
        assert_eq!(expired.ok()["lockout_expires_in_seconds"], Value::Null);

        api.post_empty(&format!("/v1/users/{id}/lock")).await.ok();
        let unlocked = api.post_empty(&format!("/v1/users/{id}/unlock")).await;
        assert_eq!(unlocked.ok()["locked"], false);
        assert_eq!(unlocked.ok()["verification_attempts_remaining"], 10);
        for action in ["ban", "unban", "lock", "unlock"] {
            api.post_empty(&format!("/v1/users/user_missing/{action}"))
                .await
                .err(404, "resource_not_found");
        }
    })
    .await;
}

#[tokio::test]
async fn locks_can_last_until_unlocked() {
    each_backend_with(
        || clerk_server::Config::default().with_lockout_duration(None),
        async |api: &mut Api| {
            let user = api.user(json!({})).await;
            let id = user["id"].as_str().unwrap();
            let locked = api.post_empty(&format!("/v1/users/{id}/lock")).await;
            assert_eq!(locked.ok()["locked"], true);
            assert_eq!(locked.ok()["lockout_expires_in_seconds"], Value::Null);
            api.server.advance_clock(Duration::from_secs(86_400 * 365));
            assert_eq!(
                api.get(&format!("/v1/users/{id}")).await.ok()["locked"],
                true
            );
        },
    )
    .await;
}

#[tokio::test]
async fn passwords_verify_and_import() {
    each_backend(async |api: &mut Api| {
        let user = api.user(json!({"password": "correct horse battery"})).await;
        let path = format!("/v1/users/{}/verify_password", user["id"].as_str().unwrap());
        let ok = api.post(&path, json!({"password": "correct horse battery"})).await;
        assert_eq!(ok.ok(), &json!({"verified": true}));
        api.post(&path, json!({"password": "wrong horse battery"}))
            .await
            .err(422, "incorrect_password");
        api.post(&path, json!({})).await.err(422, "form_param_missing");
        api.post(&path, json!({"password": "x", "extra": 1}))
            .await
            .err(422, "form_param_unknown");
        api.post("/v1/users/user_missing/verify_password", json!({"password": "x"}))
            .await
            .err(404, "resource_not_found");

        let nopass = api.user(json!({})).await;
        api.post(
            &format!("/v1/users/{}/verify_password", nopass["id"].as_str().unwrap()),
            json!({"password": "anything"}),
        )
        .await
        .err(400, "no_password_set");

        // Imported digests: bcrypt and argon2id.
        let bcrypt_digest = bcrypt::hash("imported pw 1", 4).unwrap();
        let imported = api
            .user(json!({"password_digest": bcrypt_digest, "password_hasher": "bcrypt"}))
            .await;
        assert_eq!(imported["password_enabled"], true);
        let path = format!("/v1/users/{}/verify_password", imported["id"].as_str().unwrap());
        api.post(&path, json!({"password": "imported pw 1"})).await.ok();
        api.post(&path, json!({"password": "imported pw 2"}))
            .await
            .err(422, "incorrect_password");

        let argon = argon2_digest("imported pw 3");
        let imported = api
            .user(json!({"password_digest": argon, "password_hasher": "argon2id"}))
            .await;
        let path = format!("/v1/users/{}/verify_password", imported["id"].as_str().unwrap());
        api.post(&path, json!({"password": "imported pw 3"})).await.ok();
        api.post(&path, json!({"password": "imported pw 4"}))
            .await
            .err(422, "incorrect_password");

        api.post("/v1/users", json!({"password_digest": "x", "password_hasher": "md5"}))
            .await
            .err(422, "form_param_value_invalid");
        api.post("/v1/users", json!({"password_digest": "not-bcrypt", "password_hasher": "bcrypt"}))
            .await
            .err(422, "form_password_digest_invalid_code");
        api.post("/v1/users", json!({"password_digest": bcrypt_digest}))
            .await
            .err(422, "form_conditional_param_missing");
        api.post("/v1/users", json!({"password": "long enough pw", "password_digest": bcrypt_digest, "password_hasher": "bcrypt"}))
            .await
            .err(422, "form_conditional_param_disallowed");

        // Changing the password; sign_out_of_other_sessions revokes active sessions.
        let session = api.session(user["id"].as_str().unwrap()).await;
        let changed = api
            .patch(
                &format!("/v1/users/{}", user["id"].as_str().unwrap()),
                json!({"password": "a brand new password", "sign_out_of_other_sessions": true}),
            )
            .await;
        assert!(changed.ok()["password_last_updated_at"].is_i64());
        let path = format!("/v1/users/{}/verify_password", user["id"].as_str().unwrap());
        api.post(&path, json!({"password": "a brand new password"})).await.ok();
        let s = api.get(&format!("/v1/sessions/{}", session["id"].as_str().unwrap())).await;
        assert_eq!(s.ok()["status"], "revoked");
    })
    .await;
}

/// An argon2id PHC digest of `password`, made independently of the server.
fn argon2_digest(password: &str) -> String {
    use argon2::{Argon2, PasswordHasher};
    Argon2::default()
        .hash_password(password.as_bytes())
        .unwrap()
        .to_string()
}

/// Clerk limits each metadata field to 8 KB; what would be stored is checked, so a merge
/// that would grow a field past it is refused too, and nothing changes.
#[tokio::test]
async fn metadata_fields_are_limited_to_8_kb() {
    each_backend(async |api: &mut Api| {
        let big = |bytes: usize| json!({ "blob": "x".repeat(bytes) });
        let resp = api
            .post(
                "/v1/users",
                json!({"email_address": ["meta@example.com"], "public_metadata": big(9000)}),
            )
            .await;
        resp.err(422, "form_param_exceeds_allowed_size");
        assert_eq!(
            resp.json["errors"][0]["meta"]["param_name"],
            "public_metadata"
        );
        let user = api
            .user(json!({"email_address": ["meta@example.com"], "private_metadata": big(5000)}))
            .await;
        let id = user["id"].as_str().unwrap();
        let merge = json!({"private_metadata": {"more": "y".repeat(5000)}});
        api.patch(&format!("/v1/users/{id}/metadata"), merge)
            .await
            .err(422, "form_param_exceeds_allowed_size");
        api.version("2021-02-05");
        api.patch(
            &format!("/v1/users/{id}"),
            json!({"unsafe_metadata": big(8200)}),
        )
        .await
        .err(422, "form_param_exceeds_allowed_size");
        let stored = api.get(&format!("/v1/users/{id}")).await;
        let stored = stored.ok();
        assert_eq!(stored["private_metadata"], big(5000));
        assert_eq!(stored["unsafe_metadata"], json!({}));
        // Within the limit, a merge goes through.
        api.patch(
            &format!("/v1/users/{id}/metadata"),
            json!({"private_metadata": {"more": "y"}}),
        )
        .await
        .ok();
    })
    .await;
}
