//! [`TestServer`]'s organization helpers: an organization with its creator, members, and a
//! session whose tokens carry the organization.

use axum::http::Method;
use serde_json::{Value, json};

use super::{TestServer, TestSession};

/// An organization created by [`TestServer::create_organization`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TestOrganization {
    /// The organization id (`org_…`).
    pub id: String,
    /// Its slug.
    pub slug: String,
    /// The organization object as the API returned it.
    pub json: Value,
}

impl TestServer {
    /// Creates an organization named `name`; with a `creator`, that user is its first
    /// member, with the creator role (`org:admin`).
    ///
    /// # Panics
    /// If the server refuses (an unknown creator, a taken slug).
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let ann = server.create_user("ann@example.com").await;
    /// let acme = server.create_organization("Acme", Some(&ann.id)).await;
    /// assert_eq!(acme.slug, "acme");
    /// # }
    /// ```
    pub async fn create_organization(&self, name: &str, creator: Option<&str>) -> TestOrganization {
        let mut body = json!({ "name": name });
        if let Some(creator) = creator {
            body["created_by"] = json!(creator);
        }
        let json = self
            .expect_ok(Method::POST, "/v1/organizations", Some(body))
            .await;
        TestOrganization {
            id: json["id"].as_str().unwrap_or_default().to_owned(),
            slug: json["slug"].as_str().unwrap_or_default().to_owned(),
            json,
        }
    }

    /// Adds a user to an organization with a role (`org:member`, `org:admin`, or one of
    /// the instance's own); returns the membership object.
    ///
    /// # Panics
    /// If the server refuses (an unknown user or role, a full organization).
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let ann = server.create_user("ann@example.com").await;
    /// let bob = server.create_user("bob@example.com").await;
    /// let acme = server.create_organization("Acme", Some(&ann.id)).await;
    /// let membership = server.add_member(&acme.id, &bob.id, "org:member").await;
    /// assert_eq!(membership["role"], "org:member");
    /// # }
    /// ```
    pub async fn add_member(&self, organization_id: &str, user_id: &str, role: &str) -> Value {
        let path = format!("/v1/organizations/{organization_id}/memberships");
        self.expect_ok(
            Method::POST,
            &path,
            Some(json!({ "user_id": user_id, "role": role })),
        )
        .await
    }

    /// Creates an active session for a member with `organization_id` as its active
    /// organization: its tokens ([`TestServer::session_token`]) carry the organization, the
    /// member's role and the role's permissions, as Clerk's do.
    ///
    /// # Panics
    /// If the user is not a member of the organization.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let ann = server.create_user("ann@example.com").await;
    /// let acme = server.create_organization("Acme", Some(&ann.id)).await;
    /// let session = server.create_session_in(&ann.id, &acme.id).await;
    /// let token = server.session_token(&session.id).await;
    /// assert_eq!(token.split('.').count(), 3);
    /// # }
    /// ```
    pub async fn create_session_in(&self, user_id: &str, organization_id: &str) -> TestSession {
        let body = json!({ "user_id": user_id, "active_organization_id": organization_id });
        let json = self
            .expect_ok(Method::POST, "/v1/sessions", Some(body))
            .await;
        TestSession {
            id: json["id"].as_str().unwrap_or_default().to_owned(),
            client_id: json["client_id"].as_str().unwrap_or_default().to_owned(),
            json,
        }
    }

    /// Invites an email address into an organization with a role (the invitation email goes
    /// to the outbox); returns the `organization_invitation` object, `pending`.
    ///
    /// # Panics
    /// If the server refuses (an unknown organization or role, an address already invited
    /// or a member's, a full organization).
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let acme = server.create_organization("Acme", None).await;
    /// let invitation = server
    ///     .invite_to_organization(&acme.id, "bob@example.com", "org:member")
    ///     .await;
    /// assert_eq!(invitation["status"], "pending");
    /// # }
    /// ```
    pub async fn invite_to_organization(
        &self,
        organization_id: &str,
        email_address: &str,
        role: &str,
    ) -> Value {
        let path = format!("/v1/organizations/{organization_id}/invitations");
        let body = json!({ "email_address": email_address, "role": role });
        self.expect_ok(Method::POST, &path, Some(body)).await
    }

    /// Accepts a pending organization invitation as the invitee would by following the
    /// email's link: `user_id` (or, without one, the user who has the invited email address)
    /// becomes a member with the invited role and the invitation's metadata. Returns the
    /// invitation, now `accepted`. Served by `POST /v1/_local/organization_invitations/{id}/accept`.
    ///
    /// # Panics
    /// If the server refuses (an unknown invitation or user, one no longer pending, no user
    /// with the address, a user already a member).
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let ann = server.create_user("ann@example.com").await;
    /// server.create_user("bob@example.com").await;
    /// let acme = server.create_organization("Acme", Some(&ann.id)).await;
    /// let invitation = server
    ///     .invite_to_organization(&acme.id, "bob@example.com", "org:member")
    ///     .await;
    /// let id = invitation["id"].as_str().unwrap();
    /// let accepted = server.accept_organization_invitation(id, None).await;
    /// assert_eq!(accepted["status"], "accepted");
    /// # }
    /// ```
    pub async fn accept_organization_invitation(
        &self,
        invitation_id: &str,
        user_id: Option<&str>,
    ) -> Value {
        let path = format!("/v1/_local/organization_invitations/{invitation_id}/accept");
        let body = match user_id {
            Some(user_id) => json!({ "user_id": user_id }),
            None => json!({}),
        };
        self.expect_ok(Method::POST, &path, Some(body)).await
    }
}
