use clerk_sdk::{IdentifierType, ListRedirectUrls};
use futures_util::TryStreamExt;
use serde_json::json;

use crate::support::{MockServer, fixtures};

fn blocklist_identifier(id: &str, identifier: &str) -> serde_json::Value {
    json!({"object": "blocklist_identifier", "id": id, "identifier": identifier,
           "identifier_type": "email_address", "instance_id": "ins_1",
           "created_at": 1_700_000_000_000_i64, "updated_at": 1_700_000_000_000_i64})
}

fn redirect_url(id: &str, url: &str) -> serde_json::Value {
    json!({"object": "redirect_url", "id": id, "url": url,
           "created_at": 1_700_000_000_000_i64, "updated_at": 1_700_000_000_001_i64})
}

#[tokio::test]
async fn blocklist_identifiers_list_create_delete() {
    let server = MockServer::start().await;
    let clerk = server.clerk();

    server.respond_json(
        200,
        json!({"data": [blocklist_identifier("blid_1", "spam.example")], "total_count": 1}),
    );
    let page = clerk.blocklist_identifiers().list().await.unwrap();
    assert_eq!(page.total_count, Some(1));
    assert_eq!(
        page.data[0].identifier_type,
        Some(IdentifierType::EmailAddress)
    );
    server.requests()[0].assert_request("GET", "/v1/blocklist_identifiers", None, None);

    server.respond_json(200, blocklist_identifier("blid_2", "bad@example.com"));
    let created = clerk
        .blocklist_identifiers()
        .create("bad@example.com")
        .await
        .unwrap();
    assert_eq!(created.id.as_deref(), Some("blid_2"));
    server.requests()[1].assert_request(
        "POST",
        "/v1/blocklist_identifiers",
        None,
        Some(json!({"identifier": "bad@example.com"})),
    );

    server.respond_json(200, fixtures::deleted("blocklist_identifier", "blid_2"));
    let deleted = clerk
        .blocklist_identifiers()
        .delete("blid_2")
        .await
        .unwrap();
    assert!(deleted.deleted);
    server.requests()[2].assert_request("DELETE", "/v1/blocklist_identifiers/blid_2", None, None);
}

#[tokio::test]
async fn redirect_urls_list_create_get_delete() {
    let server = MockServer::start().await;
    let clerk = server.clerk();

    server.respond_json(
        200,
        json!({"data": [redirect_url("ru_1", "my-app://cb")], "total_count": 1}),
    );
    let page = clerk
        .redirect_urls()
        .list(ListRedirectUrls::new().limit(5).offset(10))
        .await
        .unwrap();
    assert_eq!(page.data[0].url, "my-app://cb");
    assert_eq!(page.total_count, Some(1));
    server.requests()[0].assert_request(
        "GET",
        "/v1/redirect_urls",
        Some("paginated=true&limit=5&offset=10"),
        None,
    );

    server.respond_json(200, redirect_url("ru_2", "https://my-app.com/cb"));
    let created = clerk
        .redirect_urls()
        .create("https://my-app.com/cb")
        .await
        .unwrap();
    assert_eq!(created.id, "ru_2");
    assert_eq!(created.updated_at, 1_700_000_000_001);
    server.requests()[1].assert_request(
        "POST",
        "/v1/redirect_urls",
        None,
        Some(json!({"url": "https://my-app.com/cb"})),
    );

    server.respond_json(200, redirect_url("ru_2", "https://my-app.com/cb"));
    assert_eq!(clerk.redirect_urls().get("ru_2").await.unwrap(), created);
    server.requests()[2].assert_request("GET", "/v1/redirect_urls/ru_2", None, None);

    server.respond_json(200, fixtures::deleted("redirect_url", "ru_2"));
    clerk.redirect_urls().delete("ru_2").await.unwrap();
    server.requests()[3].assert_request("DELETE", "/v1/redirect_urls/ru_2", None, None);
}

#[tokio::test]
async fn redirect_urls_stream_pages() {
    let server = MockServer::start().await;
    server.respond_json(
        200,
        json!({"data": [redirect_url("ru_1", "a://x"), redirect_url("ru_2", "b://x")], "total_count": 3}),
    );
    server.respond_json(
        200,
        json!({"data": [redirect_url("ru_3", "c://x")], "total_count": 3}),
    );
    let all: Vec<_> = server
        .clerk()
        .redirect_urls()
        .stream(ListRedirectUrls::new().limit(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    server.requests()[1].assert_request(
        "GET",
        "/v1/redirect_urls",
        Some("paginated=true&limit=2&offset=2"),
        None,
    );
}
