use clerk_sdk::ListClients;
use serde_json::json;

use crate::support::{MockServer, fixtures};

#[tokio::test]
async fn clients_list_get_verify() {
    let server = MockServer::start().await;
    let clerk = server.clerk();

    server.respond_json(
        200,
        json!({"data": [fixtures::client("client_1")], "total_count": 7}),
    );
    let page = clerk
        .clients()
        .list(ListClients::new().limit(1))
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(7));
    assert_eq!(page.data[0].sessions[0].id, "sess_1");
    server.requests()[0].assert_request("GET", "/v1/clients", Some("paginated=true&limit=1"), None);

    // A server that ignores `paginated` and sends a bare array still works.
    server.respond_json(200, json!([fixtures::client("client_1")]));
    let page = clerk.clients().list(ListClients::new()).await.unwrap();
    assert_eq!((page.len(), page.total_count), (1, None));
    server.requests()[1].assert_request("GET", "/v1/clients", Some("paginated=true"), None);

    server.respond_json(200, fixtures::client("client_1"));
    assert_eq!(
        clerk.clients().get("client_1").await.unwrap().id,
        "client_1"
    );
    server.requests()[2].assert_request("GET", "/v1/clients/client_1", None, None);

    server.respond_json(200, fixtures::client("client_1"));
    clerk
        .clients()
        .verify_token("eyJ.client.token")
        .await
        .unwrap();
    server.requests()[3].assert_request(
        "POST",
        "/v1/clients/verify",
        None,
        Some(json!({"token": "eyJ.client.token"})),
    );
}
