use crate::support::{Canned, MockServer};
use serde_json::json;

#[tokio::test]
async fn svix_app_create_url_and_delete() {
    let server = MockServer::start().await;
    let clerk = server.clerk();

    server.respond_json(
        200,
        json!({"svix_url": "https://app.svix.com/login#key=one"}),
    );
    let created = clerk.webhooks().create_svix_app().await.unwrap();
    assert_eq!(created.svix_url, "https://app.svix.com/login#key=one");
    server.requests()[0].assert_request("POST", "/v1/webhooks/svix", None, None);
    server.requests()[0].assert_standard_headers();

    server.respond_json(
        200,
        json!({"svix_url": "https://app.svix.com/login#key=two", "expires_at": 1}),
    );
    let url = clerk.webhooks().generate_svix_auth_url().await.unwrap();
    assert_eq!(url.svix_url, "https://app.svix.com/login#key=two");
    assert_eq!(url.extra["expires_at"], 1, "unknown fields are kept");
    server.requests()[1].assert_request("POST", "/v1/webhooks/svix_url", None, None);

    server.respond(Canned::text(204, ""));
    clerk.webhooks().delete_svix_app().await.unwrap();
    server.requests()[2].assert_request("DELETE", "/v1/webhooks/svix", None, None);
}

#[tokio::test]
async fn svix_errors_and_missing_url() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.respond_json(
        404,
        json!({"errors": [{"code": "resource_not_found", "message": "not found"}]}),
    );
    let error = clerk.webhooks().delete_svix_app().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));

    // A 200 without `svix_url` is a decode error naming the field, not an empty URL.
    server.respond_json(200, json!({}));
    let error = clerk.webhooks().create_svix_app().await.unwrap_err();
    assert!(error.to_string().contains("svix_url"), "{error}");
}
