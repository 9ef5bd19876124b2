use clerk_sdk::{ListAllowlistIdentifiers, ListClients, ListSessions, ListUsers, STREAM_PAGE_SIZE};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::json;

use crate::support::{MockServer, fixtures};

#[tokio::test]
async fn a_stream_dropped_after_one_item_made_one_request() {
    let server = MockServer::start().await;
    server.respond_json(
        200,
        json!([fixtures::user("user_1"), fixtures::user("user_2")]),
    );
    let clerk = server.clerk();
    let mut users = clerk.users().stream(ListUsers::new().limit(2));
    let first = users.next().await.unwrap().unwrap();
    assert_eq!(first.id, "user_1");
    drop(users);
    server
        .only_request()
        .assert_request("GET", "/v1/users", Some("limit=2&offset=0"), None);
}

#[tokio::test]
async fn user_stream_walks_pages_by_offset_until_a_short_page() {
    let server = MockServer::start().await;
    server
        .respond_json(
            200,
            json!([fixtures::user("user_1"), fixtures::user("user_2")]),
        )
        .respond_json(
            200,
            json!([fixtures::user("user_3"), fixtures::user("user_4")]),
        )
        .respond_json(200, json!([fixtures::user("user_5")]));
    let ids: Vec<String> = server
        .clerk()
        .users()
        .stream(
            ListUsers::new()
                .email_address(["a@example.com"])
                .limit(2)
                .offset(10),
        )
        .map_ok(|user| user.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["user_1", "user_2", "user_3", "user_4", "user_5"]);
    let queries: Vec<_> = server
        .requests()
        .into_iter()
        .map(|r| r.query.unwrap())
        .collect();
    assert_eq!(
        queries,
        [
            "email_address=a%40example.com&limit=2&offset=10",
            "email_address=a%40example.com&limit=2&offset=12",
            "email_address=a%40example.com&limit=2&offset=14",
        ]
    );
}

#[tokio::test]
async fn a_user_stream_with_a_cursor_pages_by_cursor() {
    let server = MockServer::start().await;
    server
        .respond_json(
            200,
            json!([fixtures::user("user_1"), fixtures::user("user_2")]),
        )
        .respond_json(200, json!([fixtures::user("user_3")]));
    let ids: Vec<String> = server
        .clerk()
        .users()
        .stream(
            ListUsers::new()
                .starting_after("user_0")
                .limit(2)
                .order_by("-created_at"),
        )
        .map_ok(|user| user.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["user_1", "user_2", "user_3"]);
    let queries: Vec<_> = server
        .requests()
        .into_iter()
        .map(|r| r.query.unwrap())
        .collect();
    assert_eq!(
        queries,
        [
            "limit=2&starting_after=user_0&order_by=-created_at",
            "limit=2&starting_after=user_2&order_by=-created_at",
        ]
    );
}

#[tokio::test]
async fn a_stream_without_limit_uses_the_stream_page_size() {
    let server = MockServer::start().await;
    server.respond_json(200, json!([]));
    let all: Vec<_> = server
        .clerk()
        .users()
        .stream(ListUsers::new())
        .try_collect()
        .await
        .unwrap();
    assert!(all.is_empty());
    let expected = format!("limit={STREAM_PAGE_SIZE}&offset=0");
    server
        .only_request()
        .assert_target("GET", "/v1/users", Some(&expected));
}

#[tokio::test]
async fn paginated_streams_stop_at_the_total() {
    let server = MockServer::start().await;
    server
        .respond_json(200, json!({"data": [fixtures::session("sess_1"), fixtures::session("sess_2")], "total_count": 4}))
        .respond_json(200, json!({"data": [fixtures::session("sess_3"), fixtures::session("sess_4")], "total_count": 4}));
    let sessions: Vec<_> = server
        .clerk()
        .sessions()
        .stream(ListSessions::new().user_id("user_1").limit(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sessions.len(), 4);
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        2,
        "no third request for an empty page: the total says we are done"
    );
    assert_eq!(
        requests[1].query.as_deref(),
        Some("user_id=user_1&paginated=true&limit=2&offset=2")
    );
}

#[tokio::test]
async fn client_and_allowlist_streams() {
    let server = MockServer::start().await;
    server.respond_json(
        200,
        json!({"data": [fixtures::client("client_1")], "total_count": 1}),
    );
    let clients: Vec<_> = server
        .clerk()
        .clients()
        .stream(ListClients::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(clients.len(), 1);
    server.only_request().assert_target(
        "GET",
        "/v1/clients",
        Some(&format!("paginated=true&limit={STREAM_PAGE_SIZE}&offset=0")),
    );

    let server = MockServer::start().await;
    server.respond_json(
        200,
        json!({"data": [fixtures::allowlist_identifier("alid_1", "a@x.com")], "total_count": 1}),
    );
    let entries: Vec<_> = server
        .clerk()
        .allowlist_identifiers()
        .stream(ListAllowlistIdentifiers::new().limit(1))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    server.only_request().assert_target(
        "GET",
        "/v1/allowlist_identifiers",
        Some("paginated=true&limit=1&offset=0"),
    );
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_the_error() {
    let server = MockServer::start().await;
    server
        .respond_json(200, json!([fixtures::user("user_1")]))
        .respond_json(401, fixtures::error("clerk_key_invalid", "bad key"));
    let mut users = server.clerk().users().stream(ListUsers::new().limit(1));
    assert!(users.next().await.unwrap().is_ok());
    let err = users.next().await.unwrap().unwrap_err();
    assert!(err.is_unauthorized());
    assert!(users.next().await.is_none());
    assert_eq!(server.requests().len(), 2);
}
