use clerk_sdk::{Patch, SignUpStatus, UpdateSignUp};
use serde_json::json;

use crate::support::MockServer;

fn sign_up(external_id: serde_json::Value) -> serde_json::Value {
    json!({"object": "sign_up_attempt", "id": "sua_1", "status": "missing_requirements",
        "required_fields": ["email_address"], "optional_fields": ["username"],
        "missing_fields": [], "unverified_fields": ["email_address"],
        "verifications": {"email_address": null, "phone_number": null, "web3_wallet": null,
            "external_account": null},
        "username": null, "email_address": "ada@example.com", "phone_number": null,
        "web3_wallet": null, "password_enabled": false, "first_name": null, "last_name": null,
        "unsafe_metadata": {}, "public_metadata": {}, "custom_action": true,
        "external_id": external_id, "created_session_id": null, "created_user_id": null,
        "abandon_at": 1_700_000_000_000_i64, "legal_accepted_at": null, "locale": null})
}

#[tokio::test]
async fn sign_ups_get_and_update() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.respond_json(200, sign_up(json!(null)));
    let got = clerk.sign_ups().get("sua_1").await.unwrap();
    assert_eq!(got.status, SignUpStatus::MissingRequirements);
    assert_eq!(got.unverified_fields, ["email_address"]);
    server.requests()[0].assert_request("GET", "/v1/sign_ups/sua_1", None, None);

    server.respond_json(200, sign_up(json!("crm_1")));
    let updated = clerk
        .sign_ups()
        .update(
            "sua_1",
            UpdateSignUp::new().external_id("crm_1").custom_action(true),
        )
        .await
        .unwrap();
    assert_eq!(updated.external_id.as_deref(), Some("crm_1"));
    server.requests()[1].assert_request(
        "PATCH",
        "/v1/sign_ups/sua_1",
        None,
        Some(json!({"external_id": "crm_1", "custom_action": true})),
    );
    server.respond_json(200, sign_up(json!(null)));
    clerk
        .sign_ups()
        .update("sua_1", UpdateSignUp::new().external_id(Patch::Null))
        .await
        .unwrap();
    assert_eq!(server.requests()[2].json(), json!({"external_id": null}));
}
