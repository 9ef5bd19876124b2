//! Sessions: `clerk.sessions()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{Session, SessionStatus, Token};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::{option_setters, paging_setters};
use crate::query::Query;
use crate::verify::{Claims, Reason, VerifyError};

impl Clerk {
    /// Sessions: list, get, revoke, create (testing), mint tokens.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let session = clerk.sessions().get("sess_2x").await?;
    /// # Ok(()) }
    /// ```
    pub fn sessions(&self) -> Sessions<'_> {
        Sessions { clerk: self }
    }
}

/// The sessions handler, from [`Clerk::sessions`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let sessions = clerk.sessions();
/// let session = sessions.get("sess_2x").await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Sessions<'a> {
    pub(super) clerk: &'a Clerk,
}

impl Sessions<'_> {
    /// One page of sessions with the total (`GET /sessions?paginated=true`).
    /// The API wants `user_id` or `client_id`. Ruby: `sdk.sessions.all`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::{ListSessions, SessionStatus};
    /// let page = clerk
    ///     .sessions()
    ///     .list(ListSessions::new().user_id("user_2x").status(SessionStatus::Active))
    ///     .await?;
    /// println!("{} active sessions", page.total_count.unwrap_or_default());
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, params: ListSessions) -> Result<Page<Session>> {
        self.clerk.list_paginated(&["sessions"], params).await
    }

    /// Every session matching the filters, page after page. See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let mut sessions = clerk.sessions().stream(clerk_sdk::ListSessions::new().client_id("client_2x"));
    /// while let Some(session) = sessions.try_next().await? {
    ///     println!("{} {}", session.id, session.status);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream(&self, params: ListSessions) -> ItemStream<Session> {
        self.clerk.stream_paginated(&["sessions"], params)
    }

    /// One session (`GET /sessions/{id}`). Ruby: `sdk.sessions.find(id)`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let session = clerk.sessions().get("sess_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, session_id: &str) -> Result<Session> {
        self.clerk
            .send(ApiRequest::get(&["sessions", session_id])?)
            .await
    }

    /// Revokes a session: the user must sign in again
    /// (`POST /sessions/{id}/revoke`). Ruby: `sdk.sessions.revoke(id)`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let session = clerk.sessions().revoke("sess_2x").await?;
    /// assert_eq!(session.status, clerk_sdk::SessionStatus::Revoked);
    /// # Ok(()) }
    /// ```
    pub async fn revoke(&self, session_id: &str) -> Result<Session> {
        self.clerk
            .send(ApiRequest::post(&["sessions", session_id, "revoke"])?)
            .await
    }

    /// Creates an active session for a user (`POST /sessions`). For testing:
    /// Clerk refuses it on production instances.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let session = clerk.sessions().create(clerk_sdk::CreateSession::new("user_2x")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateSession) -> Result<Session> {
        self.clerk
            .send(ApiRequest::post(&["sessions"])?.json(&params)?)
            .await
    }

    /// Mints a session token (`POST /sessions/{id}/tokens`, or
    /// `.../tokens/{template}` with a JWT template).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateSessionToken;
    /// let token = clerk
    ///     .sessions()
    ///     .create_token("sess_2x", CreateSessionToken::new().expires_in_seconds(120))
    ///     .await?;
    /// let custom = clerk
    ///     .sessions()
    ///     .create_token("sess_2x", CreateSessionToken::new().template("supabase"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_token(
        &self,
        session_id: &str,
        params: CreateSessionToken,
    ) -> Result<Token> {
        let request = match &params.template {
            Some(template) => ApiRequest::post(&["sessions", session_id, "tokens", template])?,
            None => ApiRequest::post(&["sessions", session_id, "tokens"])?,
        };
        self.clerk.send(request.json(&params)?).await
    }

    /// Mints a token from the JWT template `template_name`
    /// (`POST /sessions/{id}/tokens/{template_name}`): the template's rendered claims,
    /// signed by its own key or the instance's; `expires_in_seconds` overrides its
    /// lifetime. Python: `sessions.create_token_from_template`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let token = clerk
    ///     .sessions()
    ///     .create_token_from_template("sess_2x", "hasura", Some(300))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_token_from_template(
        &self,
        session_id: &str,
        template_name: &str,
        expires_in_seconds: Option<u64>,
    ) -> Result<Token> {
        let mut params = CreateSessionToken::new().template(template_name);
        if let Some(seconds) = expires_in_seconds {
            params = params.expires_in_seconds(seconds);
        }
        self.create_token(session_id, params).await
    }
}

impl Sessions<'_> {
    /// Verifies a session token locally and requires it to belong to `session_id` (its
    /// `sid`). Ruby: `sdk.sessions.verify_token(id, jwt)`.
    ///
    /// This replaces `POST /sessions/{id}/verify`, which Clerk removed in API version
    /// 2025-04-10: no request is sent when the key is cached (see [`Clerk::verify_token`]).
    /// It cannot see a revocation made after the token was issued; the token stays valid
    /// until it expires (60 s by default). [`verify_token_online`](Self::verify_token_online)
    /// also asks the API.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk, jwt: &str) -> Result<(), clerk_sdk::Error> {
    /// let claims = clerk.sessions().verify_token("sess_2x", jwt).await?;
    /// println!("user {}", claims.sub);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Verify`](crate::Error::Verify) for a rejected token, with
    /// [`Reason::SessionMismatch`] when it belongs to another session.
    pub async fn verify_token(&self, session_id: &str, token: &str) -> Result<Claims> {
        Ok(self
            .clerk
            .verifier()?
            .verify_session_token(session_id, token)
            .await?)
    }

    /// Like [`verify_token`](Self::verify_token), then confirms with one
    /// `GET /sessions/{id}` that the session is still active, so that a session revoked
    /// since the token was issued is refused. Costs a request per call: use it for
    /// sensitive operations, not on every request.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk, jwt: &str) -> Result<(), clerk_sdk::Error> {
    /// let (claims, session) = clerk.sessions().verify_token_online("sess_2x", jwt).await?;
    /// println!("{} last active at {}", claims.sub, session.last_active_at);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`verify_token`](Self::verify_token) (the API is not asked when the token is
    /// refused); [`Reason::SessionNotActive`] when the API reports another status; the API's
    /// own errors (a 404 for a session that no longer exists).
    pub async fn verify_token_online(
        &self,
        session_id: &str,
        token: &str,
    ) -> Result<(Claims, Session)> {
        let claims = self.verify_token(session_id, token).await?;
        let session = self.get(session_id).await?;
        // A pending token only got this far if the verifier accepts pending sessions.
        let active = session.status == SessionStatus::Active
            || (session.status == SessionStatus::Pending && claims.is_pending());
        if !active {
            return Err(VerifyError::with_detail(
                Reason::SessionNotActive,
                format!("the session is {}", session.status),
            )
            .into());
        }
        Ok((claims, session))
    }
}

/// Filters and paging for [`Sessions::list`] and [`Sessions::stream`].
///
/// ```
/// use clerk_sdk::{ListSessions, SessionStatus};
/// let params = ListSessions::new().client_id("client_2x").status(SessionStatus::Active).limit(50);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListSessions {
    client_id: Option<String>,
    user_id: Option<String>,
    status: Option<SessionStatus>,
    paging: Paging,
}

impl ListSessions {
    /// No filters yet (the API wants `user_id` or `client_id`).
    ///
    /// ```
    /// let params = clerk_sdk::ListSessions::new().user_id("user_2x");
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "ListSessions::new()";
        /// Sessions of this client.
        client_id: String,
        /// Sessions of this user.
        user_id: String,
        /// Sessions in this state.
        status: SessionStatus,
    }

    paging_setters!(ListSessions, "sessions");

    /// The query parameters [`Sessions::list`] sends, in order: for a caller
    /// that sends the request itself (say, to keep the answer as it came).
    ///
    /// ```
    /// use clerk_sdk::{ListSessions, SessionStatus};
    /// let pairs = ListSessions::new().user_id("user_2x").status(SessionStatus::Active).to_query_pairs();
    /// assert_eq!(pairs, [
    ///     ("user_id".into(), "user_2x".into()),
    ///     ("status".into(), "active".into()),
    ///     ("paginated".into(), "true".into()),
    /// ]);
    /// ```
    pub fn to_query_pairs(&self) -> Vec<(String, String)> {
        self.to_query().into_pairs()
    }
}

impl PaginatedList for ListSessions {
    type Item = Session;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }

    fn push_filters(&self, query: &mut Query) {
        query
            .push_opt("client_id", self.client_id.as_ref())
            .push_opt("user_id", self.user_id.as_ref())
            .push_opt("status", self.status.as_ref());
    }
}

/// The body of [`Sessions::create`].
///
/// ```
/// let params = clerk_sdk::CreateSession::new("user_2x").active_organization_id("org_2x");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateSession {
    user_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    active_organization_id: Option<String>,
}

impl CreateSession {
    /// A session for this user.
    ///
    /// ```
    /// let params = clerk_sdk::CreateSession::new("user_2x");
    /// ```
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            active_organization_id: None,
        }
    }

    option_setters! {
        "CreateSession::new(\"user_2x\")";
        /// The organization to make active in the session.
        active_organization_id: String,
    }
}

/// Options of [`Sessions::create_token`].
///
/// ```
/// let params = clerk_sdk::CreateSessionToken::new().template("hasura").expires_in_seconds(300);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateSessionToken {
    /// Goes in the path, not the body.
    #[serde(skip)]
    template: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in_seconds: Option<u64>,
}

impl CreateSessionToken {
    /// A default session token.
    ///
    /// ```
    /// let params = clerk_sdk::CreateSessionToken::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "CreateSessionToken::new()";
        /// The JWT template to use, by name.
        template: String,
        /// The token's lifetime in seconds (instead of the default).
        expires_in_seconds: u64,
    }
}
