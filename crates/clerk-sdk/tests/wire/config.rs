use std::time::Duration;

use clerk_sdk::Clerk;
use serde_json::json;

use crate::support::{MockServer, SECRET_KEY};

#[tokio::test]
async fn base_url_with_v1_api_version_and_user_agent_overrides() {
    let server = MockServer::start().await;
    server.respond_json(200, json!({"keys": []}));
    let clerk = Clerk::builder()
        .base_url(format!("{}/v1/", server.url()))
        .secret_key(format!("  {SECRET_KEY}\n"))
        .api_version("2025-04-10")
        .user_agent("my-app/1.0")
        .connect_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    clerk.jwks().get().await.unwrap();
    let request = server.only_request();
    request.assert_target("GET", "/v1/jwks", None);
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {SECRET_KEY}").as_str())
    );
    assert_eq!(request.header("clerk-api-version"), Some("2025-04-10"));
    assert_eq!(request.header("user-agent"), Some("my-app/1.0"));
}

#[tokio::test]
async fn an_injected_http_client_gets_the_sdk_headers() {
    let server = MockServer::start().await;
    server.respond_json(200, json!({"keys": []}));
    let http = reqwest::Client::builder()
        .user_agent("injected/0")
        .build()
        .unwrap();
    let clerk = Clerk::builder()
        .base_url(server.url())
        .secret_key(SECRET_KEY)
        .http_client(http)
        .build()
        .unwrap();
    clerk.jwks().get().await.unwrap();
    server.only_request().assert_standard_headers();
}

#[tokio::test]
async fn clones_share_one_configuration_across_tasks() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let clerk = clerk.clone();
            tokio::spawn(async move { clerk.jwks().get().await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    requests.iter().for_each(|r| r.assert_standard_headers());
}
