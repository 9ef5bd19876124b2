//! `POST /v1/sessions/{id}/refresh`: a new session token for a session whose token expired,
//! given that token and the session's refresh token (Clerk's `__refresh` cookie, set by the
//! Frontend API's handshake; here minted by `POST /v1/_local/sessions/{id}/refresh_token`).
//! The refresh token is kept as its SHA-256 only: it is never shown again.

use serde_json::{Map, Value};

use super::error::Result;
use super::services::Services;
use super::tokens;
use crate::ids;
use crate::keys::{self, JwtError};
use crate::secret::Secret;
use crate::store::{StoreError, UnitOfWork, sessions};

/// What a refresh presents.
pub(crate) struct RefreshRequest {
    /// The session token the frontend had (expired or not).
    pub expired_token: Secret,
    pub refresh_token: Secret,
    /// The origin of the request the frontend made (`https://app.example`).
    pub request_origin: String,
    /// Mint a token of API versions from 2025-04-10.
    pub v2: bool,
}

/// Why a refresh is refused (Clerk answers 401, and its SDKs fall back to the handshake).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refused {
    /// `expired_token` is not a session token this instance signed.
    TokenInvalid(JwtError),
    /// `expired_token` is another session's (its `sid`), or not a session token.
    OtherSession,
    /// `expired_token` was minted for another origin (its `azp`).
    OtherOrigin,
    /// `refresh_token` is not the session's (or none was minted).
    RefreshTokenInvalid,
    /// The session is no longer active (its status).
    NotActive(String),
}

impl Refused {
    /// Clerk's error code for it (these are this server's; see server.md).
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Self::TokenInvalid(_) | Self::OtherSession | Self::OtherOrigin => "token_invalid",
            Self::RefreshTokenInvalid => "refresh_token_invalid",
            Self::NotActive(_) => "session_not_active",
        }
    }

    /// Why, for the error's long message.
    pub(crate) fn reason(&self) -> String {
        match self {
            Self::TokenInvalid(e) => format!("the expired token is not valid: {e}"),
            Self::OtherSession => "the expired token does not belong to this session".into(),
            Self::OtherOrigin => "the expired token was issued for another origin".into(),
            Self::RefreshTokenInvalid => "the refresh token is not this session's".into(),
            Self::NotActive(status) => format!("the session is {status}"),
        }
    }
}

/// The stored form of a refresh token.
fn digest(token: &str) -> String {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token.as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Mints a new refresh token for a session (whatever its status), replacing the one it
/// had; not found if there is no such session.
pub(crate) async fn issue_refresh_token(svc: &Services, session_id: &str) -> Result<Secret> {
    let token = Secret::new(ids::random_base62(48));
    let mut work = UnitOfWork::begin(&svc.store).await?;
    if !sessions::set_refresh_token_digest(work.tx(), session_id, &digest(token.expose())).await? {
        return Err(StoreError::not_found("session", session_id).into());
    }
    work.commit().await?;
    Ok(token)
}

/// Checks a refresh and mints the new session token (lasting the configured session token
/// lifetime); not found for an unknown session, else the token or why it is refused.
pub(crate) async fn refresh(
    svc: &Services,
    session_id: &str,
    request: &RefreshRequest,
) -> Result<std::result::Result<String, Refused>> {
    let session = svc
        .store
        .session(session_id)
        .await?
        .ok_or_else(|| StoreError::not_found("session", session_id))?;
    let now = svc.now_ms();
    let published = svc
        .keys
        .published(&svc.store, now, svc.settings.key_grace_ms)
        .await?;
    let claims = match keys::verify_jwt_signature(request.expired_token.expose(), &published) {
        Ok(claims) => claims,
        Err(e) => return Ok(Err(Refused::TokenInvalid(e))),
    };
    if claims.get("sid").and_then(Value::as_str) != Some(session_id) {
        return Ok(Err(Refused::OtherSession));
    }
    if let Some(azp) = claims.get("azp").and_then(Value::as_str) {
        if azp.trim_end_matches('/') != request.request_origin.trim_end_matches('/') {
            return Ok(Err(Refused::OtherOrigin));
        }
    }
    let stored = svc.store.session_refresh_token_digest(session_id).await?;
    let presented = digest(request.refresh_token.expose());
    let matches = stored.is_some_and(|stored| {
        aws_lc_rs::constant_time::verify_slices_are_equal(stored.as_bytes(), presented.as_bytes())
            .is_ok()
    });
    if !matches {
        return Ok(Err(Refused::RefreshTokenInvalid));
    }
    let status = session.status(now);
    if status != "active" {
        return Ok(Err(Refused::NotActive(status.to_owned())));
    }
    let lifetime = svc.settings.session_token_lifetime_s;
    let jwt = tokens::session_token(svc, &session, request.v2, lifetime, Map::new()).await?;
    Ok(Ok(jwt))
}
