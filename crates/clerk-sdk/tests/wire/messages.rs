use clerk_sdk::{CreateEmail, CreateSmsMessage, Method};
use serde_json::{Value, json};

use crate::support::{Canned, MockServer, fixtures};

#[tokio::test]
async fn emails_create() {
    let server = MockServer::start().await;
    server.respond_json(200, fixtures::email());
    let email = server
        .clerk()
        .emails()
        .create(
            CreateEmail::new("idn_1", "noreply")
                .subject("Welcome")
                .body("<html>...</html>")
                .template_slug("welcome"),
        )
        .await
        .unwrap();
    assert_eq!(
        (email.id.as_str(), email.status.as_deref()),
        ("ema_1", Some("queued"))
    );
    server.only_request().assert_request(
        "POST",
        "/v1/emails",
        None,
        Some(
            json!({"email_address_id": "idn_1", "from_email_name": "noreply", "subject": "Welcome",
                    "body": "<html>...</html>", "template_slug": "welcome"}),
        ),
    );
}

#[tokio::test]
#[allow(deprecated)]
async fn sms_messages_create() {
    let server = MockServer::start().await;
    server.respond_json(200, fixtures::sms_message());
    let sms = server
        .clerk()
        .sms_messages()
        .create(CreateSmsMessage::new("idn_2", "Welcome!"))
        .await
        .unwrap();
    assert_eq!(sms.message, "Welcome!");
    server.only_request().assert_request(
        "POST",
        "/v1/sms_messages",
        None,
        Some(json!({"phone_number_id": "idn_2", "message": "Welcome!"})),
    );
}

#[tokio::test]
async fn jwks_get() {
    let server = MockServer::start().await;
    server.respond_json(200, fixtures::jwks());
    let jwks = server.clerk().jwks().get().await.unwrap();
    assert_eq!(jwks.find("ins_1").unwrap().e.as_deref(), Some("AQAB"));
    server
        .only_request()
        .assert_request("GET", "/v1/jwks", None, None);
}

#[tokio::test]
async fn escape_hatch_sends_any_request() {
    let server = MockServer::start().await;
    let clerk = server.clerk();

    server.respond_json(200, json!({"data": [], "total_count": 0}));
    let orgs: Value = clerk
        .request(
            Method::GET,
            "/organizations",
            &[
                ("query", "acme & co"),
                ("user_id", "user_1"),
                ("user_id", "user_2"),
            ],
            None,
        )
        .await
        .unwrap();
    assert_eq!(orgs["total_count"], 0);
    server.requests()[0].assert_request(
        "GET",
        "/v1/organizations",
        Some("query=acme+%26+co&user_id=user_1&user_id=user_2"),
        None,
    );

    server.respond_json(200, json!({"object": "organization", "id": "org_1"}));
    #[derive(serde::Deserialize)]
    struct Org {
        id: String,
    }
    let org: Org = clerk
        .request(
            Method::POST,
            "organizations",
            &[],
            Some(json!({"name": "Acme"})),
        )
        .await
        .unwrap();
    assert_eq!(org.id, "org_1");
    server.requests()[1].assert_request(
        "POST",
        "/v1/organizations",
        None,
        Some(json!({"name": "Acme"})),
    );

    server.respond(Canned::text(204, ""));
    let () = clerk
        .request(
            Method::PATCH,
            "/instance",
            &[],
            Some(json!({"test_mode": true})),
        )
        .await
        .unwrap();
    server.requests()[2].assert_request(
        "PATCH",
        "/v1/instance",
        None,
        Some(json!({"test_mode": true})),
    );

    let err = clerk
        .request::<Value>(Method::GET, "https://evil.example/v1/users", &[], None)
        .await
        .unwrap_err();
    assert!(matches!(err, clerk_sdk::Error::InvalidInput(_)), "{err}");
    assert_eq!(server.requests().len(), 3);
}
