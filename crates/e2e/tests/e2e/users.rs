//! Users: create, get, update, delete, metadata, ban/lock, passwords, and the
//! errors of each.

use clerk_sdk::{
    CreateSession, CreateUser, Error, IdentificationStatus, Method, Patch, SessionStatus,
    UpdateUser, UserMetadata, VerificationStatus,
};
use e2e::each_backend;
use serde_json::{Value, json};

use crate::support::{api_error, param_name, user};

const PASSWORD: &str = "correct-horse-battery";

#[tokio::test]
async fn create_get_update_delete() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let created = users
            .create(
                CreateUser::new()
                    .email_address(["Ada@Example.com", "ada.backup@example.com"])
                    .email_address_identification_status([
                        IdentificationStatus::Verified,
                        IdentificationStatus::Reserved,
                    ])
                    .phone_number(["+1 (555) 555-0123"])
                    .web3_wallet(["0x52908400098527886E0F7030069857D2E4169EE7"])
                    .username("ada_l")
                    .first_name("Ada")
                    .last_name("Lovelace")
                    .external_id("ext-ada")
                    .password(PASSWORD)
                    .public_metadata(json!({"plan": "pro"}))
                    .private_metadata(json!({"ssn": "none"}))
                    .unsafe_metadata(json!({"theme": "dark"})),
            )
            .await
            .unwrap();
        assert!(created.id.starts_with("user_") && created.id.len() == 5 + 27);
        assert_eq!(created.object, "user");
        assert_eq!(created.username.as_deref(), Some("ada_l"));
        assert!(created.password_enabled);
        assert_eq!(created.public_metadata["plan"], "pro");
        assert_eq!(created.private_metadata.as_ref().unwrap()["ssn"], "none");
        let primary = created.primary_email_address().expect("a primary address");
        assert_eq!(primary.email_address, "ada@example.com");
        let verification = primary.verification.as_ref().unwrap();
        assert_eq!(verification.status, VerificationStatus::Verified);
        assert!(created.email_addresses[1].reserved);
        assert_eq!(
            created.primary_phone_number().unwrap().phone_number,
            "+15555550123"
        );
        assert_eq!(
            created.web3_wallets[0].web3_wallet,
            "0x52908400098527886e0f7030069857d2e4169ee7"
        );
        assert_eq!(created.created_at, created.updated_at);

        let fetched = users.get(&created.id).await.unwrap();
        assert_eq!(fetched, created);

        let updated = users
            .update(
                &created.id,
                UpdateUser::new()
                    .first_name("Augusta")
                    .last_name(Patch::Null)
                    .username(Patch::Null)
                    .external_id("ext-augusta")
                    .notify_primary_email_address_changed(false),
            )
            .await
            .unwrap();
        assert_eq!(updated.first_name.as_deref(), Some("Augusta"));
        assert_eq!(updated.last_name, None);
        assert_eq!(updated.username, None);
        assert_eq!(updated.external_id.as_deref(), Some("ext-augusta"));
        assert_eq!(updated.public_metadata["plan"], "pro", "left unchanged");
        assert!(updated.updated_at >= created.updated_at);
        assert_eq!(users.get(&created.id).await.unwrap(), updated);

        let deleted = users.delete(&created.id).await.unwrap();
        assert_eq!(deleted.object, "user");
        assert_eq!(deleted.id.as_deref(), Some(created.id.as_str()));
        assert!(deleted.deleted);

        let err = api_error(users.get(&created.id).await, 404, "resource_not_found");
        assert!(err.errors()[0].message.contains("not found"), "{err:?}");
        api_error(users.delete(&created.id).await, 404, "resource_not_found");
        api_error(
            users
                .update(&created.id, UpdateUser::new().first_name("x"))
                .await,
            404,
            "resource_not_found",
        );
        // The identifiers were freed with the user.
        user(env, "ada@example.com").await;
    })
    .await;
}

/// Every body field of create and update, under the oldest and the newest API
/// version (the proxy checks each answer against that version's spec).
#[tokio::test]
async fn every_field_under_every_spec() {
    each_backend(async |env| {
        for (i, version) in ["2021-02-05", "2026-05-12"].into_iter().enumerate() {
            let users = env.clerk_with_version(version);
            let users = users.users();
            let created = users
                .create(
                    CreateUser::new()
                        .external_id(format!("ext-{i}"))
                        .first_name("Grace")
                        .last_name("Hopper")
                        .locale("en-US")
                        .email_address([
                            format!("grace{i}@example.com"),
                            format!("g{i}@example.org"),
                        ])
                        .email_address_identification_status([
                            IdentificationStatus::Verified,
                            IdentificationStatus::Reserved,
                        ])
                        .phone_number([format!("+1555555012{i}")])
                        .phone_number_identification_status([IdentificationStatus::Verified])
                        .web3_wallet([format!("0x{i}2908400098527886e0f7030069857d2e4169ee7")])
                        .username(format!("grace_{i}"))
                        .password("ok")
                        .skip_password_checks(true)
                        .totp_secret("JBSWY3DPEHPK3PXP")
                        .backup_codes(["code-one", "code-two"])
                        .public_metadata(json!({"p": 1}))
                        .private_metadata(json!({"q": [1, 2]}))
                        .unsafe_metadata(json!({"u": {"deep": true}}))
                        .delete_self_enabled(false)
                        .legal_accepted_at("2024-10-29T08:30:00Z")
                        .skip_legal_checks(true)
                        .skip_user_requirement(true)
                        .create_organization_enabled(false)
                        .create_organizations_limit(3)
                        .created_at("2020-01-02T03:04:05Z")
                        .bypass_client_trust(true),
                )
                .await
                .unwrap_or_else(|e| panic!("{version}: {e:?}"));
            assert_eq!(created.locale.as_deref(), Some("en-US"), "{version}");
            assert!(
                created.totp_enabled && created.backup_code_enabled && created.two_factor_enabled
            );
            assert!(created.mfa_enabled_at.is_some());
            assert!(!created.delete_self_enabled && !created.create_organization_enabled);
            assert_eq!(created.create_organizations_limit, Some(3));
            assert_eq!(
                created.created_at, 1_577_934_245_000,
                "created_at is the given time"
            );
            assert_eq!(created.legal_accepted_at, Some(1_730_190_600_000));
            assert_eq!(created.web3_wallets.len(), 1);
            assert!(users.verify_password(&created.id, "ok").await.unwrap());

            let updated = users
                .update(
                    &created.id,
                    UpdateUser::new()
                        .external_id(Patch::Null)
                        .first_name(Patch::Null)
                        .locale("fr-FR")
                        .primary_email_address_id(created.email_addresses[0].id.clone().unwrap())
                        .primary_phone_number_id(created.phone_numbers[0].id.clone().unwrap())
                        .username(format!("hopper_{i}"))
                        .password("a-longer-password")
                        .sign_out_of_other_sessions(true)
                        .delete_self_enabled(true)
                        .create_organization_enabled(true)
                        .create_organizations_limit(Patch::Null)
                        .legal_accepted_at(Patch::Null)
                        .bypass_client_trust(false),
                )
                .await
                .unwrap_or_else(|e| panic!("{version}: {e:?}"));
            assert_eq!(updated.external_id, None);
            assert_eq!(updated.first_name, None);
            assert_eq!(updated.last_name.as_deref(), Some("Hopper"));
            assert_eq!(updated.locale.as_deref(), Some("fr-FR"));
            assert_eq!(
                updated.username.as_deref(),
                Some(format!("hopper_{i}").as_str())
            );
            assert!(updated.delete_self_enabled && updated.create_organization_enabled);
            assert_eq!(updated.create_organizations_limit, None);
            assert_eq!(updated.legal_accepted_at, None);
            assert!(
                users
                    .verify_password(&created.id, "a-longer-password")
                    .await
                    .unwrap()
            );
        }
    })
    .await;
}

#[tokio::test]
async fn create_and_update_errors() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let ann = user(env, "ann@example.com").await;

        let err = api_error(
            users
                .create(CreateUser::new().email_address(["ANN@example.com"]))
                .await,
            422,
            "form_identifier_exists",
        );
        assert_eq!(param_name(&err), Some("email_address"));

        let err = api_error(
            users
                .create(CreateUser::new().email_address(["not-an-email"]))
                .await,
            422,
            "form_param_format_invalid",
        );
        assert_eq!(param_name(&err), Some("email_address"));

        api_error(
            users.create(CreateUser::new().phone_number(["12"])).await,
            422,
            "form_param_format_invalid",
        );
        api_error(
            users.create(CreateUser::new().password("short")).await,
            422,
            "form_password_length_too_short",
        );
        api_error(
            users.create(CreateUser::new().username("ab")).await,
            422,
            "form_username_invalid_length",
        );

        users
            .update(&ann.id, UpdateUser::new().username("taken_name"))
            .await
            .unwrap();
        let bob = user(env, "bob@example.com").await;
        let err = api_error(
            users
                .update(&bob.id, UpdateUser::new().username("Taken_Name"))
                .await,
            422,
            "form_identifier_exists",
        );
        assert_eq!(param_name(&err), Some("username"));

        // Fields the operation does not know, and fields of the wrong type:
        // only reachable through the escape hatch (the typed API cannot send them).
        let err = api_error(
            env.clerk
                .request::<Value>(
                    Method::POST,
                    "/users",
                    &[],
                    Some(json!({"email_address": ["c@example.com"], "favourite_colour": "red"})),
                )
                .await,
            422,
            "form_param_unknown",
        );
        assert_eq!(param_name(&err), Some("favourite_colour"));
        let err = api_error(
            env.clerk
                .request::<Value>(
                    Method::PATCH,
                    &format!("/users/{}", bob.id),
                    &[],
                    Some(json!({"first_name": 42})),
                )
                .await,
            422,
            "form_param_type_invalid",
        );
        assert_eq!(param_name(&err), Some("first_name"));

        // Nothing was created by the failed calls.
        assert_eq!(users.count(Default::default()).await.unwrap(), 2);
    })
    .await;
}

#[tokio::test]
async fn ids_are_checked_before_anything_is_sent() {
    each_backend(async |env| {
        for id in ["", ".", ".."] {
            let result = env.clerk.users().get(id).await;
            assert!(matches!(result, Err(Error::InvalidInput(_))), "{result:?}");
        }
        let result = env
            .clerk
            .users()
            .update_metadata("user_1", UserMetadata::new().public(json!([1, 2])))
            .await;
        assert!(matches!(result, Err(Error::InvalidInput(_))), "{result:?}");
        assert_eq!(env.proxy.checked(), 0, "nothing reached the server");
        // An ID with characters that need escaping is one path segment.
        api_error(
            env.clerk.users().get("user_1/ban").await,
            404,
            "resource_not_found",
        );
    })
    .await;
}

#[tokio::test]
async fn metadata_merges_and_replaces() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let created = users
            .create(
                CreateUser::new()
                    .public_metadata(json!({"a": {"b": 1, "c": 2}, "keep": true}))
                    .private_metadata(json!({"secret": "s"})),
            )
            .await
            .unwrap();

        // Deep merge; null deletes a key.
        let merged = users
            .update_metadata(
                &created.id,
                UserMetadata::new()
                    .public(json!({"a": {"c": null, "d": [3]}, "new": "x"}))
                    .unsafe_metadata(json!({"u": 1})),
            )
            .await
            .unwrap();
        assert_eq!(
            Value::Object(merged.public_metadata.clone()),
            json!({"a": {"b": 1, "d": [3]}, "keep": true, "new": "x"})
        );
        assert_eq!(
            merged
                .private_metadata
                .as_ref()
                .map(|m| Value::Object(m.clone())),
            Some(json!({"secret": "s"})),
            "untouched"
        );
        assert_eq!(
            merged.unsafe_metadata.map(Value::Object),
            Some(json!({"u": 1}))
        );

        // Replace: each given field replaced whole, the others kept.
        let replaced = users
            .replace_metadata(&created.id, UserMetadata::new().public(json!({"only": 1})))
            .await
            .unwrap();
        assert_eq!(Value::Object(replaced.public_metadata), json!({"only": 1}));
        assert_eq!(
            replaced.private_metadata.map(Value::Object),
            Some(json!({"secret": "s"}))
        );
        let stored = users.get(&created.id).await.unwrap();
        assert_eq!(Value::Object(stored.public_metadata), json!({"only": 1}));

        api_error(
            users
                .update_metadata("user_missing", UserMetadata::new().public(json!({})))
                .await,
            404,
            "resource_not_found",
        );
    })
    .await;
}

#[tokio::test]
async fn update_takes_metadata_only_before_2026_05_12() {
    each_backend(async |env| {
        let created = user(env, "meta@example.com").await;
        let path = format!("/users/{}", created.id);
        let body = json!({"public_metadata": {"tier": "gold"}});

        let legacy = env.clerk_with_version("2025-11-10");
        let updated: clerk_sdk::User = legacy
            .request(Method::PATCH, &path, &[], Some(body.clone()))
            .await
            .unwrap();
        assert_eq!(updated.public_metadata["tier"], "gold");

        let err = api_error(
            env.clerk
                .request::<Value>(Method::PATCH, &path, &[], Some(body))
                .await,
            422,
            "form_param_unknown",
        );
        assert_eq!(param_name(&err), Some("public_metadata"));
    })
    .await;
}

#[tokio::test]
async fn ban_unban_lock_unlock() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let sessions = env.clerk.sessions();
        let target = user(env, "eve@example.com").await;
        let session = sessions
            .create(CreateSession::new(&target.id))
            .await
            .unwrap();
        assert_eq!(session.status, SessionStatus::Active);

        let banned = users.ban(&target.id).await.unwrap();
        assert!(banned.banned);
        let revoked = sessions.get(&session.id).await.unwrap();
        assert_eq!(
            revoked.status,
            SessionStatus::Revoked,
            "a ban revokes sessions"
        );
        api_error(
            sessions.create(CreateSession::new(&target.id)).await,
            // Not 403: POST /v1/sessions declares only 400 and 422 for request errors.
            400,
            "user_banned",
        );
        let unbanned = users.unban(&target.id).await.unwrap();
        assert!(!unbanned.banned);

        let locked = users.lock(&target.id).await.unwrap();
        assert!(locked.locked);
        // Locked through the Backend API: no attempt was used (Clerk's documented note).
        assert_eq!(locked.verification_attempts_remaining, Some(10));
        let expires = locked.lockout_expires_in_seconds.expect("a lockout time");
        assert!((3590..=3600).contains(&expires), "{expires}");
        api_error(
            sessions.create(CreateSession::new(&target.id)).await,
            400,
            "user_locked",
        );
        let unlocked = users.unlock(&target.id).await.unwrap();
        assert!(!unlocked.locked);
        assert_eq!(unlocked.lockout_expires_in_seconds, None);
        sessions
            .create(CreateSession::new(&target.id))
            .await
            .unwrap();

        for result in [
            users.ban("user_missing").await,
            users.unban("user_missing").await,
            users.lock("user_missing").await,
            users.unlock("user_missing").await,
        ] {
            api_error(result, 404, "resource_not_found");
        }
    })
    .await;
}

#[tokio::test]
async fn verify_password_right_wrong_and_none() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let with = users
            .create(CreateUser::new().username("haspass").password(PASSWORD))
            .await
            .unwrap();
        assert!(users.verify_password(&with.id, PASSWORD).await.unwrap());
        assert!(
            !users
                .verify_password(&with.id, "wrong-password")
                .await
                .unwrap()
        );

        // A new password replaces the old one.
        users
            .update(&with.id, UpdateUser::new().password("another-password-1"))
            .await
            .unwrap();
        assert!(!users.verify_password(&with.id, PASSWORD).await.unwrap());
        assert!(
            users
                .verify_password(&with.id, "another-password-1")
                .await
                .unwrap()
        );

        let without = users
            .create(CreateUser::new().username("nopass"))
            .await
            .unwrap();
        assert!(!without.password_enabled);
        api_error(
            users.verify_password(&without.id, PASSWORD).await,
            400,
            "no_password_set",
        );
        api_error(
            users.verify_password("user_missing", PASSWORD).await,
            404,
            "resource_not_found",
        );
    })
    .await;
}

#[tokio::test]
async fn password_digests_import() {
    each_backend(async |env| {
        let users = env.clerk.users();
        // A digest made elsewhere (cost 4 keeps the test quick).
        let digest = bcrypt::hash("imported-password", 4).unwrap();
        let imported = users
            .create(
                CreateUser::new()
                    .username("imported")
                    .password_digest(digest)
                    .password_hasher(clerk_sdk::PasswordHasher::Bcrypt),
            )
            .await
            .unwrap();
        assert!(imported.password_enabled);
        assert!(
            users
                .verify_password(&imported.id, "imported-password")
                .await
                .unwrap()
        );
        assert!(
            !users
                .verify_password(&imported.id, "nope-nope-nope")
                .await
                .unwrap()
        );
        let err = api_error(
            users
                .create(
                    CreateUser::new()
                        .username("md5user")
                        .password_digest("5f4dcc3b5aa765d61d8327deb882cf99")
                        .password_hasher(clerk_sdk::PasswordHasher::Md5),
                )
                .await,
            422,
            "form_param_value_invalid",
        );
        assert_eq!(param_name(&err), Some("password_hasher"));
    })
    .await;
}
