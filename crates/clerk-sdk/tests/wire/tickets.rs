use clerk_sdk::{CreateActorToken, CreateSignInToken, TicketStatus};
use serde_json::json;

use crate::support::MockServer;

fn ticket(object: &str, id: &str, status: &str) -> serde_json::Value {
    let mut value = json!({
        "object": object, "id": id, "user_id": "user_1", "status": status,
        "token": "eyJ.a.b", "url": "https://x/sign-in?__clerk_ticket=eyJ.a.b",
        "created_at": 1, "updated_at": 2
    });
    if object == "actor_token" {
        value["actor"] = json!({"sub": "user_admin", "iss": "support"});
    }
    value
}

#[tokio::test]
async fn sign_in_tokens_create_and_revoke() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.respond_json(200, ticket("sign_in_token", "sit_1", "pending"));
    let created = clerk
        .sign_in_tokens()
        .create(
            CreateSignInToken::new("user_1")
                .expires_in_seconds(600)
                .org_id("org_1"),
        )
        .await
        .unwrap();
    assert_eq!(created.status, TicketStatus::Pending);
    assert_eq!(created.token.as_deref(), Some("eyJ.a.b"));
    assert!(
        !format!("{created:?}").contains("eyJ"),
        "Debug hides the ticket"
    );
    server.requests()[0].assert_request(
        "POST",
        "/v1/sign_in_tokens",
        None,
        Some(json!({"user_id": "user_1", "org_id": "org_1", "expires_in_seconds": 600})),
    );
    server.respond_json(200, ticket("sign_in_token", "sit_1", "revoked"));
    let revoked = clerk.sign_in_tokens().revoke("sit_1").await.unwrap();
    assert_eq!(revoked.status, TicketStatus::Revoked);
    server.requests()[1].assert_request("POST", "/v1/sign_in_tokens/sit_1/revoke", None, None);
}

#[tokio::test]
async fn actor_tokens_create_and_revoke() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.respond_json(200, ticket("actor_token", "act_1", "pending"));
    let created = clerk
        .actor_tokens()
        .create(
            CreateActorToken::new("user_1", "user_admin")
                .actor_claim("iss", "support")
                .expires_in_seconds(60)
                .session_max_duration_in_seconds(600),
        )
        .await
        .unwrap();
    assert_eq!(created.actor["sub"], "user_admin");
    server.requests()[0].assert_request(
        "POST",
        "/v1/actor_tokens",
        None,
        Some(json!({
            "user_id": "user_1", "actor": {"sub": "user_admin", "iss": "support"},
            "expires_in_seconds": 60, "session_max_duration_in_seconds": 600
        })),
    );
    server.respond_json(200, ticket("actor_token", "act_1", "accepted"));
    let revoked = clerk.actor_tokens().revoke("act_1").await.unwrap();
    assert_eq!(revoked.status, TicketStatus::Accepted);
    server.requests()[1].assert_request("POST", "/v1/actor_tokens/act_1/revoke", None, None);
}

#[tokio::test]
async fn testing_tokens_create() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.respond_json(
        200,
        json!({"object": "testing_token", "token": "1-abc", "expires_at": 3601}),
    );
    let token = clerk.testing_tokens().create().await.unwrap();
    assert_eq!(token.token, "1-abc");
    assert_eq!(token.expires_at, 3601);
    server.requests()[0].assert_request("POST", "/v1/testing_tokens", None, None);
}
