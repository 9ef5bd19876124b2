//! A user's passkeys, external accounts and trusted devices through the SDK's typed
//! methods, on rows seeded with the `TestServer` helpers (nothing in the Backend API
//! creates them). The proxy checks every answer against the spec, the users that show
//! their passkeys and external accounts included.

use clerk_sdk::{ListUsers, TrustedDevicePlatform, TrustedDeviceStatus, VerificationStatus};
use e2e::each_backend;
use serde_json::json;

use crate::support::{api_error, user};

#[tokio::test]
async fn passkeys_are_shown_on_the_user_and_deleted() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let ann = user(env, "passkeys@example.com").await;
        assert!(ann.passkeys.is_empty());
        let seeded = env
            .server
            .add_passkey(
                &ann.id,
                json!({"name": "YubiKey", "last_used_at": 1_700_000_000_000_i64}),
            )
            .await;
        let passkey_id = seeded["id"].as_str().unwrap().to_owned();

        let shown = users.get(&ann.id).await.unwrap();
        let passkey = &shown.passkeys[0];
        assert_eq!(passkey.id.as_deref(), Some(passkey_id.as_str()));
        assert_eq!(passkey.name, "YubiKey");
        assert_eq!(passkey.last_used_at, 1_700_000_000_000);
        let verification = passkey.verification.as_ref().unwrap();
        assert_eq!(verification.status, VerificationStatus::Verified);
        assert!(verification.is_verified());

        let deleted = users.delete_passkey(&ann.id, &passkey_id).await.unwrap();
        assert_eq!(deleted.object, "passkey");
        assert_eq!(deleted.id.as_deref(), Some(passkey_id.as_str()));
        assert!(deleted.deleted);
        assert!(users.get(&ann.id).await.unwrap().passkeys.is_empty());

        // The documented error: gone now, 404 naming the passkey.
        let err = api_error(
            users.delete_passkey(&ann.id, &passkey_id).await,
            404,
            "resource_not_found",
        );
        let long = err.errors()[0].long_message.clone().unwrap_or_default();
        assert_eq!(long, format!("No passkey was found with id {passkey_id}"));
    })
    .await;
}

#[tokio::test]
async fn external_accounts_are_shown_found_and_deleted() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let ann = user(env, "oauth@example.com").await;
        let seeded = env
            .server
            .add_external_account(
                &ann.id,
                json!({
                    "provider": "oauth_github", "provider_user_id": "gh-42",
                    "email_address": "ann@github.example.com", "first_name": "Ann",
                    "last_name": "Hub", "username": "annhub",
                    "approved_scopes": "read:user user:email",
                }),
            )
            .await;
        let account_id = seeded["id"].as_str().unwrap().to_owned();

        let shown = users.get(&ann.id).await.unwrap();
        let account = &shown.external_accounts[0];
        assert_eq!(account.id, account_id);
        assert_eq!(account.provider, "oauth_github");
        assert_eq!(account.provider_user_id, "gh-42");
        assert_eq!(account.email_address, "ann@github.example.com");
        assert_eq!(account.username.as_deref(), Some("annhub"));
        assert_eq!(account.approved_scopes, "read:user user:email");
        assert!(account.verification.as_ref().unwrap().is_verified());

        // The provider filters find the user through its account.
        let found = users
            .list(
                ListUsers::new()
                    .provider("oauth_github")
                    .provider_user_id(["gh-42"]),
            )
            .await
            .unwrap();
        assert_eq!(found.data.len(), 1);
        assert_eq!(found.data[0].id, ann.id);

        let deleted = users
            .delete_external_account(&ann.id, &account_id)
            .await
            .unwrap();
        assert_eq!(deleted.object, "external_account");
        assert!(deleted.deleted);
        assert!(
            users
                .get(&ann.id)
                .await
                .unwrap()
                .external_accounts
                .is_empty()
        );
        let found = users
            .list(
                ListUsers::new()
                    .provider("oauth_github")
                    .provider_user_id(["gh-42"]),
            )
            .await
            .unwrap();
        assert!(found.data.is_empty());

        api_error(
            users.delete_external_account(&ann.id, &account_id).await,
            404,
            "resource_not_found",
        );
    })
    .await;
}

#[tokio::test]
async fn trusted_devices_are_listed_and_revoked() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let ann = user(env, "devices@example.com").await;
        assert_eq!(
            users
                .list_trusted_devices(&ann.id)
                .await
                .unwrap()
                .total_count,
            Some(0)
        );
        let seeded = env
            .server
            .add_trusted_device(
                &ann.id,
                json!({"platform": "ios", "app_identifier": "com.example.app", "name": "iPhone"}),
            )
            .await;
        let device_id = seeded["id"].as_str().unwrap().to_owned();

        let listed = users.list_trusted_devices(&ann.id).await.unwrap();
        assert_eq!(listed.total_count, Some(1));
        let device = &listed.data[0];
        assert_eq!(device.id, device_id);
        assert_eq!(device.platform, TrustedDevicePlatform::Ios);
        assert_eq!(device.status, TrustedDeviceStatus::Active);
        assert_eq!(device.algorithm, "ES256");
        assert_eq!(device.name.as_deref(), Some("iPhone"));

        let revoked = users
            .revoke_trusted_device(&ann.id, &device_id)
            .await
            .unwrap();
        assert_eq!(revoked.status, TrustedDeviceStatus::Revoked);
        assert!(revoked.revoked_at.is_some());
        assert!(
            users
                .list_trusted_devices(&ann.id)
                .await
                .unwrap()
                .is_empty()
        );

        // Revoked already: not an active device of the user any more.
        api_error(
            users.revoke_trusted_device(&ann.id, &device_id).await,
            404,
            "resource_not_found",
        );
        api_error(
            users.list_trusted_devices("user_missing").await,
            404,
            "resource_not_found",
        );
    })
    .await;
}
