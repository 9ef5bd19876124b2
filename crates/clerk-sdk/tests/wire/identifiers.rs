use clerk_sdk::{
    CreateEmailAddress, CreatePhoneNumber, Patch, UpdateEmailAddress, UpdatePhoneNumber,
    VerificationKind,
};
use serde_json::json;

use crate::support::{MockServer, fixtures};

#[tokio::test]
async fn email_addresses_create_get_update_delete() {
    let server = MockServer::start().await;
    let clerk = server.clerk();

    server.respond_json(200, fixtures::email_address("idn_1", "ada@example.com"));
    let email = clerk
        .email_addresses()
        .create(
            CreateEmailAddress::new("user_1", "ada@example.com")
                .verified(true)
                .primary(false)
                .notify_primary_email_address_changed(true),
        )
        .await
        .unwrap();
    assert_eq!(email.verification.unwrap().kind(), VerificationKind::Admin);
    server.requests()[0].assert_request(
        "POST",
        "/v1/email_addresses",
        None,
        Some(
            json!({"user_id": "user_1", "email_address": "ada@example.com", "verified": true,
                    "primary": false, "notify_primary_email_address_changed": true}),
        ),
    );

    server.respond_json(200, fixtures::email_address("idn_1", "ada@example.com"));
    assert_eq!(
        clerk
            .email_addresses()
            .get("idn_1")
            .await
            .unwrap()
            .id
            .as_deref(),
        Some("idn_1")
    );
    server.requests()[1].assert_request("GET", "/v1/email_addresses/idn_1", None, None);

    server.respond_json(200, fixtures::email_address("idn_1", "ada@example.com"));
    clerk
        .email_addresses()
        .update(
            "idn_1",
            UpdateEmailAddress::new()
                .primary(true)
                .verified(Patch::Null),
        )
        .await
        .unwrap();
    server.requests()[2].assert_request(
        "PATCH",
        "/v1/email_addresses/idn_1",
        None,
        Some(json!({"primary": true, "verified": null})),
    );

    server.respond_json(200, fixtures::deleted("email_address", "idn_1"));
    let deleted = clerk.email_addresses().delete("idn_1").await.unwrap();
    assert_eq!(deleted.object, "email_address");
    server.requests()[3].assert_request("DELETE", "/v1/email_addresses/idn_1", None, None);
}

#[tokio::test]
async fn phone_numbers_create_get_update_delete() {
    let server = MockServer::start().await;
    let clerk = server.clerk();

    server.respond_json(200, fixtures::phone_number("idn_2", "+15555550100"));
    let phone = clerk
        .phone_numbers()
        .create(
            CreatePhoneNumber::new("user_1", "+15555550100")
                .verified(true)
                .primary(true)
                .reserved_for_second_factor(false),
        )
        .await
        .unwrap();
    assert_eq!(phone.phone_number, "+15555550100");
    server.requests()[0].assert_request(
        "POST",
        "/v1/phone_numbers",
        None,
        Some(
            json!({"user_id": "user_1", "phone_number": "+15555550100", "verified": true,
                    "primary": true, "reserved_for_second_factor": false}),
        ),
    );

    server.respond_json(200, fixtures::phone_number("idn_2", "+15555550100"));
    clerk.phone_numbers().get("idn_2").await.unwrap();
    server.requests()[1].assert_request("GET", "/v1/phone_numbers/idn_2", None, None);

    server.respond_json(200, fixtures::phone_number("idn_2", "+15555550100"));
    clerk
        .phone_numbers()
        .update(
            "idn_2",
            UpdatePhoneNumber::new().reserved_for_second_factor(true),
        )
        .await
        .unwrap();
    server.requests()[2].assert_request(
        "PATCH",
        "/v1/phone_numbers/idn_2",
        None,
        Some(json!({"reserved_for_second_factor": true})),
    );

    server.respond_json(200, fixtures::deleted("phone_number", "idn_2"));
    assert!(clerk.phone_numbers().delete("idn_2").await.unwrap().deleted);
    server.requests()[3].assert_request("DELETE", "/v1/phone_numbers/idn_2", None, None);
}

#[tokio::test]
async fn prepare_and_attempt_verification() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    let verification = |status: &str, attempts: i64, strategy: &str| {
        serde_json::json!({"object": "verification", "id": "ver_1", "status": status,
            "strategy": strategy, "attempts": attempts, "expire_at": 1_700_000_600_000_i64,
            "channel": null})
    };
    server.respond_json(200, verification("unverified", 0, "email_code"));
    let sent = clerk
        .email_addresses()
        .prepare_verification("idn_1")
        .await
        .unwrap();
    assert_eq!(sent.id.as_deref(), Some("ver_1"));
    assert_eq!(
        sent.strategy,
        Some(clerk_sdk::VerificationStrategy::EmailCode)
    );
    server.requests()[0].assert_request(
        "POST",
        "/v1/email_addresses/idn_1/prepare_verification",
        None,
        None,
    );
    server.respond_json(200, verification("verified", 1, "email_code"));
    let checked = clerk
        .email_addresses()
        .attempt_verification("idn_1", "ver_1", "123456")
        .await
        .unwrap();
    assert_eq!(
        checked.status,
        Some(clerk_sdk::VerificationStatus::Verified)
    );
    server.requests()[1].assert_request(
        "POST",
        "/v1/email_addresses/idn_1/attempt_verification",
        None,
        Some(serde_json::json!({"verification_id": "ver_1", "code": "123456"})),
    );
    server.respond_json(200, verification("unverified", 0, "phone_code"));
    clerk
        .phone_numbers()
        .prepare_verification("idn_2")
        .await
        .unwrap();
    server.requests()[2].assert_request(
        "POST",
        "/v1/phone_numbers/idn_2/prepare_verification",
        None,
        None,
    );
    server.respond_json(200, verification("failed", 3, "phone_code"));
    let failed = clerk
        .phone_numbers()
        .attempt_verification("idn_2", "ver_1", "000000")
        .await
        .unwrap();
    assert_eq!(failed.status, Some(clerk_sdk::VerificationStatus::Failed));
    server.requests()[3].assert_request(
        "POST",
        "/v1/phone_numbers/idn_2/attempt_verification",
        None,
        Some(serde_json::json!({"verification_id": "ver_1", "code": "000000"})),
    );
}
