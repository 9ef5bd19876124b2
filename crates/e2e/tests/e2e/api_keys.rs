//! API keys through the SDK: create (for a user and an organization), list, stream, get,
//! update, secret, revoke, delete, verify; one documented error per operation, and the
//! hostile secrets verification refuses.

use std::time::Duration;

use clerk_sdk::{ApiKey, CreateApiKey, CreateOrganization, ListApiKeys, Patch, UpdateApiKey};
use e2e::each_backend;
use futures_util::TryStreamExt;
use serde_json::json;

use crate::support::{api_error, param_name, user};

#[tokio::test]
async fn api_keys_every_operation() {
    each_backend(async |env| {
        let keys = env.clerk.api_keys();
        let ann = user(env, "ann@example.com").await;
        let org = env
            .clerk
            .organizations()
            .create(CreateOrganization::new("Acme").created_by(&ann.id))
            .await
            .unwrap();

        // Create: 201 with the secret.
        let created: ApiKey = keys
            .create(
                CreateApiKey::new("ci key", &ann.id)
                    .description("for CI")
                    .claims(json!({"tier": "gold"}))
                    .scopes(["read", "write"])
                    .created_by(&ann.id)
                    .seconds_until_expiration(3600),
            )
            .await
            .unwrap();
        let secret = created.secret.clone().expect("shown at creation");
        assert!(secret.starts_with("ak_"));
        assert_eq!(created.subject, ann.id);
        assert_eq!(created.scopes, ["read", "write"]);
        assert_eq!(created.claims, Some(json!({"tier": "gold"})));
        assert!(created.expiration.is_some());
        let err = api_error(
            keys.create(CreateApiKey::new("ab", &ann.id)).await,
            400,
            "form_param_value_invalid",
        );
        assert_eq!(param_name(&err), Some("name"));

        let org_key = keys
            .create(CreateApiKey::new("org key", &org.id))
            .await
            .unwrap();
        assert_eq!(org_key.subject, org.id);

        // List and stream.
        let page = keys.list(ListApiKeys::new(&ann.id)).await.unwrap();
        assert_eq!(page.total_count, Some(1));
        assert_eq!(page.data[0].id, created.id);
        assert!(page.data[0].secret.is_none());
        let of_org: Vec<ApiKey> = keys
            .stream(ListApiKeys::new(&org.id).limit(1))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(of_org.len(), 1);
        api_error(
            keys.list(ListApiKeys::new(&ann.id).limit(1000)).await,
            400,
            "form_param_value_invalid",
        );

        // Get, update, secret.
        let shown = keys.get(&created.id).await.unwrap();
        assert_eq!(shown.name, "ci key");
        api_error(
            keys.get("ak_00000000000000000000000000000000").await,
            404,
            "resource_not_found",
        );
        let updated = keys
            .update(
                &created.id,
                UpdateApiKey::new()
                    .description(Patch::Null)
                    .scopes(["read"])
                    .seconds_until_expiration(Patch::Null),
            )
            .await
            .unwrap();
        assert_eq!(updated.description, None);
        assert_eq!(updated.scopes, ["read"]);
        assert_eq!(updated.expiration, None);
        let err = api_error(
            keys.update(&created.id, UpdateApiKey::new().subject("org_nothing"))
                .await,
            400,
            "form_param_value_invalid",
        );
        assert_eq!(param_name(&err), Some("subject"));
        assert_eq!(keys.secret(&created.id).await.unwrap().secret, secret);
        api_error(
            keys.secret("ak_00000000000000000000000000000000").await,
            404,
            "resource_not_found",
        );

        // Verify: the key, its use recorded.
        let verified = keys.verify(&secret).await.unwrap();
        assert_eq!(verified.id, created.id);
        assert!(verified.last_used_at.is_some());
        assert!(keys.get(&created.id).await.unwrap().last_used_at.is_some());

        // Revoke: verification refuses it.
        let revoked = keys.revoke(&created.id, Some("leaked")).await.unwrap();
        assert!(revoked.revoked);
        assert_eq!(revoked.revocation_reason.as_deref(), Some("leaked"));
        api_error(keys.verify(&secret).await, 404, "api_key_revoked");
        api_error(
            keys.revoke("ak_00000000000000000000000000000000", None)
                .await,
            404,
            "resource_not_found",
        );
        let all = keys
            .list(ListApiKeys::new(&ann.id).include_invalid(true))
            .await
            .unwrap();
        assert_eq!(all.total_count, Some(1));
        assert_eq!(
            keys.list(ListApiKeys::new(&ann.id))
                .await
                .unwrap()
                .total_count,
            Some(0)
        );

        // Delete.
        let deleted = keys.delete(&created.id).await.unwrap();
        assert!(deleted.deleted);
        let err = api_error(keys.delete(&created.id).await, 404, "resource_not_found");
        assert!(
            err.errors()[0]
                .long_message
                .as_deref()
                .unwrap()
                .contains(&created.id)
        );
    })
    .await;
}

#[tokio::test]
async fn verification_refuses_hostile_secrets() {
    each_backend(async |env| {
        let keys = env.clerk.api_keys();
        let ann = user(env, "ann@example.com").await;
        let key = keys
            .create(CreateApiKey::new("short", &ann.id).seconds_until_expiration(60))
            .await
            .unwrap();
        let secret = key.secret.unwrap();
        keys.verify(&secret).await.unwrap();
        for hostile in [
            secret[..secret.len() - 1].to_owned(),
            format!("{secret}x"),
            format!("mt_{}", &secret[3..]),
            format!("ak_{}", "A".repeat(48)),
            key.id.clone(),
        ] {
            api_error(keys.verify(&hostile).await, 404, "api_key_not_found");
        }
        // An API key is not a Backend API secret key.
        let as_secret_key = clerk_sdk::Clerk::builder()
            .secret_key(secret.as_str())
            .base_url(env.api_url())
            .build()
            .unwrap();
        api_error(
            as_secret_key.users().list(Default::default()).await,
            401,
            "clerk_key_invalid",
        );
        // Expired.
        env.server.advance_clock(Duration::from_secs(61));
        api_error(keys.verify(&secret).await, 404, "api_key_expired");
        assert!(keys.get(&key.id).await.unwrap().expired);
    })
    .await;
}
