//! `clerk.sessions().refresh(..)`: a new session token for a session whose token expired
//! ([`RefreshSession`], answered as a [`SessionRefresh`]).

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use super::sessions::Sessions;
use crate::client::ApiRequest;
use crate::error::Result;
use crate::models::{SessionRefresh, string_enum};
use crate::params::debug_redacted;

impl Sessions<'_> {
    /// Refreshes a session: a new session token from the expired one and the session's
    /// refresh token (the `__refresh` cookie of Clerk's handshake)
    /// (`POST /sessions/{id}/refresh`). A refused refresh is a 401 [`Error`](crate::Error):
    /// fall back to the handshake.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk, expired: String, refresh: String) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::RefreshSession;
    /// let answer = clerk
    ///     .sessions()
    ///     .refresh("sess_2x", RefreshSession::new(expired, refresh, "https://app.example"))
    ///     .await?;
    /// let jwt = answer.session_token();
    /// # Ok(()) }
    /// ```
    pub async fn refresh(
        &self,
        session_id: &str,
        params: RefreshSession,
    ) -> Result<SessionRefresh> {
        let request = ApiRequest::post(&["sessions", session_id, "refresh"])?.json(&params)?;
        self.clerk.send(request).await
    }
}

string_enum! {
    /// How [`Sessions::refresh`] answers: a token (the default) or cookies to set.
    pub enum RefreshFormat {
        Token => "token",
        Cookie => "cookie",
    }
}

/// The body of [`Sessions::refresh`]. `Debug` does not print the tokens.
///
/// ```
/// use clerk_sdk::{RefreshFormat, RefreshSession};
/// let params = RefreshSession::new("eyJ…", "refresh-token", "https://app.example")
///     .format(RefreshFormat::Cookie)
///     .request_originating_ip("203.0.113.7");
/// assert!(!format!("{params:?}").contains("refresh-token"));
/// ```
#[derive(Clone, Serialize)]
#[must_use]
pub struct RefreshSession {
    expired_token: String,
    refresh_token: String,
    request_origin: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<RefreshFormat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_headers: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_originating_ip: Option<String>,
}

impl fmt::Debug for RefreshSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_redacted(
            f,
            "RefreshSession",
            self,
            &["expired_token", "refresh_token"],
        )
    }
}

impl RefreshSession {
    /// The three fields every refresh needs: the session token the frontend had, the
    /// session's refresh token, and the origin of the request.
    ///
    /// ```
    /// let params = clerk_sdk::RefreshSession::new("eyJ…", "refresh", "http://localhost:3000");
    /// ```
    pub fn new(
        expired_token: impl Into<String>,
        refresh_token: impl Into<String>,
        request_origin: impl Into<String>,
    ) -> Self {
        Self {
            expired_token: expired_token.into(),
            refresh_token: refresh_token.into(),
            request_origin: request_origin.into(),
            format: None,
            request_headers: None,
            request_originating_ip: None,
        }
    }

    /// The answer's format ([`RefreshFormat::Token`] when not set).
    ///
    /// ```
    /// use clerk_sdk::{RefreshFormat, RefreshSession};
    /// let params = RefreshSession::new("eyJ…", "r", "https://app.example").format(RefreshFormat::Cookie);
    /// ```
    pub fn format(mut self, format: RefreshFormat) -> Self {
        self.format = Some(format);
        self
    }

    /// The headers of the frontend's request, each with its values.
    ///
    /// ```
    /// let headers = serde_json::json!({"user-agent": ["curl/8"]});
    /// let params = clerk_sdk::RefreshSession::new("eyJ…", "r", "https://app.example")
    ///     .request_headers(headers.as_object().unwrap().clone());
    /// ```
    pub fn request_headers(mut self, headers: Map<String, Value>) -> Self {
        self.request_headers = Some(headers);
        self
    }

    /// The IP address the frontend's request came from.
    ///
    /// ```
    /// let params = clerk_sdk::RefreshSession::new("eyJ…", "r", "https://app.example")
    ///     .request_originating_ip("203.0.113.7");
    /// ```
    pub fn request_originating_ip(mut self, ip: impl Into<String>) -> Self {
        self.request_originating_ip = Some(ip.into());
        self
    }
}
