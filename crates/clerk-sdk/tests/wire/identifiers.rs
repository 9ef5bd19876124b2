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
