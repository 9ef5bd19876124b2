use std::time::Duration;

use clerk_sdk::{Clerk, Error};
use serde_json::json;

use crate::support::{Canned, MockServer, fixtures};

#[tokio::test]
async fn api_errors_carry_status_codes_trace_and_retry_after() {
    let server = MockServer::start().await;
    server.respond(
        Canned::json(404, fixtures::error("resource_not_found", "not found"))
            .header("Clerk-Trace-Id", "header_trace")
            .header("Retry-After", "3"),
    );
    let err = server
        .clerk()
        .users()
        .get("user_missing")
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.status(), Some(http::StatusCode::NOT_FOUND));
    assert_eq!(err.code(), Some("resource_not_found"));
    assert_eq!(
        err.trace_id(),
        Some("trace_123"),
        "the body's trace id wins"
    );
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    let api = err.api_error().unwrap();
    assert_eq!(
        api.errors()[0].long_message.as_deref(),
        Some("not found (long)")
    );
    assert_eq!(api.errors()[0].meta, Some(Default::default()));
    let text = err.to_string();
    assert!(
        text.contains("404") && text.contains("resource_not_found") && text.contains("trace_123"),
        "{text}"
    );
}

#[tokio::test]
async fn every_error_of_a_form_answer_is_kept() {
    let server = MockServer::start().await;
    server.respond_json(
        422,
        json!({"errors": [
            {"code": "form_identifier_exists", "message": "taken", "long_message": "That email address is taken.",
             "meta": {"param_name": "email_address"}},
            {"code": "form_password_pwned", "message": "pwned", "long_message": "Password found in a breach."}
        ], "meta": {}}),
    );
    let err = server
        .clerk()
        .users()
        .create(clerk_sdk::CreateUser::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("form_identifier_exists"));
    assert!(err.has_code("form_password_pwned"));
    assert_eq!(
        err.api_error().unwrap().errors()[0].meta.as_ref().unwrap()["param_name"],
        "email_address"
    );
    assert_eq!(err.trace_id(), None);
}

#[tokio::test]
async fn non_json_error_bodies_still_explain_themselves() {
    let server = MockServer::start().await;
    server.respond(Canned::text(
        502,
        "<html><body>Bad gateway from the proxy</body></html>",
    ));
    let err = server
        .clerk()
        .sessions()
        .revoke("sess_1")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::BAD_GATEWAY));
    assert_eq!(err.code(), None);
    assert!(
        err.api_error()
            .unwrap()
            .raw_body()
            .unwrap()
            .contains("Bad gateway from the proxy")
    );
    assert!(
        err.to_string().contains("Bad gateway from the proxy"),
        "{err}"
    );
}

#[tokio::test]
async fn decode_errors_name_the_json_path() {
    let server = MockServer::start().await;
    let mut user = fixtures::user("user_1");
    user["email_addresses"][0]["created_at"] = json!("yesterday");
    server.respond_json(200, user);
    let err = server.clerk().users().get("user_1").await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.path(), "$.email_addresses[0].created_at");
    assert_eq!(decode.status(), http::StatusCode::OK);

    server.respond(Canned::text(200, "not json"));
    let err = server.clerk().users().get("user_1").await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn a_missing_secret_key_fails_before_any_request() {
    let server = MockServer::start().await;
    let clerk = Clerk::builder().base_url(server.url()).build().unwrap();
    let err = clerk.users().list(Default::default()).await.unwrap_err();
    assert!(matches!(err, Error::MissingSecretKey), "{err:?}");
    assert!(err.to_string().contains("CLERK_SECRET_KEY"));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn connection_failures_are_network_errors() {
    // Bind and drop a listener to get a port nobody listens on.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let clerk = Clerk::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .secret_key(crate::support::SECRET_KEY)
        .retry_policy(clerk_sdk::RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = clerk.jwks().get().await.unwrap_err();
    assert!(
        matches!(err, Error::Network(ref e) if e.is_connect()),
        "{err:?}"
    );
    assert!(!err.to_string().contains(crate::support::SECRET_KEY));
}
