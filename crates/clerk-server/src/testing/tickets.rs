//! [`TestServer`]'s ticket helpers: sign-in and actor tokens, and redeeming a ticket for a
//! session (what a browser does through the Frontend API's ticket strategy).

use axum::http::Method;
use serde_json::{Value, json};

use super::{TestServer, TestSession};

impl TestServer {
    /// Creates a sign-in token for `user_id`; its ticket (the `token`).
    ///
    /// # Panics
    /// If the server refuses (an unknown user).
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let ann = server.create_user("ann@example.com").await;
    /// let ticket = server.sign_in_token(&ann.id).await;
    /// let session = server.redeem_ticket(&ticket).await;
    /// assert_eq!(session.json["user_id"], ann.id.as_str());
    /// # }
    /// ```
    pub async fn sign_in_token(&self, user_id: &str) -> String {
        let json = self
            .expect_ok(
                Method::POST,
                "/v1/sign_in_tokens",
                Some(json!({ "user_id": user_id })),
            )
            .await;
        json["token"].as_str().unwrap_or_default().to_owned()
    }

    /// Creates an actor token: `actor_id` impersonates `user_id`; its ticket.
    ///
    /// # Panics
    /// If the server refuses (an unknown user).
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let ann = server.create_user("ann@example.com").await;
    /// let ticket = server.actor_token(&ann.id, "user_admin").await;
    /// let session = server.redeem_ticket(&ticket).await;
    /// assert_eq!(session.json["actor"]["sub"], "user_admin");
    /// # }
    /// ```
    pub async fn actor_token(&self, user_id: &str, actor_id: &str) -> String {
        let json = self
            .expect_ok(
                Method::POST,
                "/v1/actor_tokens",
                Some(json!({ "user_id": user_id, "actor": { "sub": actor_id } })),
            )
            .await;
        json["token"].as_str().unwrap_or_default().to_owned()
    }

    /// Invites `email` to sign up (no invitation email); the invitation's ticket, which
    /// [`TestServer::redeem_ticket`] turns into a new user, signed in.
    ///
    /// # Panics
    /// If the server refuses (the address has a user or a pending invitation).
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let ticket = server.invitation_ticket("new@example.com").await;
    /// let session = server.redeem_ticket(&ticket).await;
    /// assert_eq!(session.json["user_created"], true);
    /// # }
    /// ```
    pub async fn invitation_ticket(&self, email: &str) -> String {
        let json = self
            .expect_ok(
                Method::POST,
                "/v1/invitations",
                Some(json!({ "email_address": email, "notify": false })),
            )
            .await;
        let url = json["url"].as_str().unwrap_or_default();
        url.split("__clerk_ticket=")
            .nth(1)
            .and_then(|rest| rest.split('&').next())
            .unwrap_or_default()
            .to_owned()
    }

    /// Redeems a ticket (a sign-in token, an actor token, or an instance or organization
    /// invitation's) for a session, once; `json` is the
    /// `ticket_redemption` the server answered.
    ///
    /// # Panics
    /// If the ticket is refused (unknown, used, revoked or expired).
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let ann = server.create_user("ann@example.com").await;
    /// let ticket = server.sign_in_token(&ann.id).await;
    /// let session = server.redeem_ticket(&ticket).await;
    /// assert!(session.id.starts_with("sess_"));
    /// # }
    /// ```
    pub async fn redeem_ticket(&self, ticket: &str) -> TestSession {
        let json: Value = self
            .expect_ok(
                Method::POST,
                "/v1/_local/tickets/redeem",
                Some(json!({ "ticket": ticket })),
            )
            .await;
        TestSession {
            id: json["session_id"].as_str().unwrap_or_default().to_owned(),
            client_id: json["client_id"].as_str().unwrap_or_default().to_owned(),
            json,
        }
    }
}
