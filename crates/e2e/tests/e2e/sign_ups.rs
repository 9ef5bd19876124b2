//! Sign-ups through the SDK: one started through the local extension, read and patched.

use clerk_sdk::{Method, Patch, SignUpStatus, UpdateSignUp};
use e2e::each_backend;
use serde_json::json;

use crate::support::{api_error, local};

#[tokio::test]
async fn sign_ups_get_and_update() {
    each_backend(async |env| {
        let started = local(
            env,
            Method::POST,
            "/_local/sign_ups",
            Some(json!({"email_address": "ada@example.com", "username": "ada_l"})),
        )
        .await;
        let id = started["id"].as_str().unwrap().to_owned();
        let sign_ups = env.clerk.sign_ups();
        let got = sign_ups.get(&id).await.unwrap();
        assert_eq!(got.status, SignUpStatus::MissingRequirements);
        assert_eq!(got.email_address.as_deref(), Some("ada@example.com"));
        assert_eq!(got.username.as_deref(), Some("ada_l"));
        assert_eq!(got.unverified_fields, ["email_address"]);
        let updated = sign_ups
            .update(
                &id,
                UpdateSignUp::new().external_id("crm_1").custom_action(true),
            )
            .await
            .unwrap();
        assert_eq!(updated.external_id.as_deref(), Some("crm_1"));
        assert_eq!(updated.custom_action, Some(true));
        let cleared = sign_ups
            .update(&id, UpdateSignUp::new().external_id(Patch::Null))
            .await
            .unwrap();
        assert_eq!(cleared.external_id, None);
        api_error(sign_ups.get("sua_missing").await, 404, "resource_not_found");
        api_error(
            sign_ups
                .update("sua_missing", UpdateSignUp::new().custom_action(false))
                .await,
            404,
            "resource_not_found",
        );
    })
    .await;
}
