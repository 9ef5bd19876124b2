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

fn invitation(id: &str, status: &str) -> serde_json::Value {
    json!({
        "object": "invitation", "id": id, "email_address": "ada@example.com",
        "public_metadata": {"plan": "pro"}, "revoked": status == "revoked", "status": status,
        "url": "https://x/sign-up?__clerk_ticket=t", "expires_at": 9, "created_at": 1, "updated_at": 2
    })
}

#[tokio::test]
async fn invitations_list_create_bulk_revoke() {
    use clerk_sdk::{CreateInvitation, InvitationStatus, ListInvitations};
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.respond_json(
        200,
        json!({"data": [invitation("inv_1", "pending")], "total_count": 1}),
    );
    let page = clerk
        .invitations()
        .list(
            ListInvitations::new()
                .status(InvitationStatus::Pending)
                .query("ada")
                .order_by("-email_address")
                .limit(5),
        )
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(1));
    assert_eq!(page.data[0].status, InvitationStatus::Pending);
    server.requests()[0].assert_request(
        "GET",
        "/v1/invitations",
        Some("status=pending&query=ada&order_by=-email_address&paginated=true&limit=5"),
        None,
    );

    server.respond_json(200, invitation("inv_2", "pending"));
    let mut meta = serde_json::Map::new();
    meta.insert("plan".into(), "pro".into());
    let created = clerk
        .invitations()
        .create(
            CreateInvitation::new("ada@example.com")
                .public_metadata(meta)
                .notify(false)
                .ignore_existing(true)
                .expires_in_days(7)
                .redirect_url("https://app.example.com")
                .template_slug("invitation"),
        )
        .await
        .unwrap();
    assert_eq!(created.id, "inv_2");
    assert!(
        !format!("{created:?}").contains("__clerk_ticket"),
        "Debug hides the ticket"
    );
    server.requests()[1].assert_request(
        "POST",
        "/v1/invitations",
        None,
        Some(json!({
            "email_address": "ada@example.com", "public_metadata": {"plan": "pro"},
            "redirect_url": "https://app.example.com", "notify": false, "ignore_existing": true,
            "expires_in_days": 7, "template_slug": "invitation"
        })),
    );

    server.respond_json(
        200,
        json!([
            invitation("inv_3", "pending"),
            invitation("inv_4", "pending")
        ]),
    );
    let bulk = clerk
        .invitations()
        .create_bulk([
            CreateInvitation::new("a@example.com"),
            CreateInvitation::new("b@example.com"),
        ])
        .await
        .unwrap();
    assert_eq!(bulk.len(), 2);
    server.requests()[2].assert_request(
        "POST",
        "/v1/invitations/bulk",
        None,
        Some(json!([{"email_address": "a@example.com"}, {"email_address": "b@example.com"}])),
    );

    server.respond_json(200, invitation("inv_1", "revoked"));
    let revoked = clerk.invitations().revoke("inv_1").await.unwrap();
    assert_eq!(revoked.status, InvitationStatus::Revoked);
    server.requests()[3].assert_request("POST", "/v1/invitations/inv_1/revoke", None, None);
}
