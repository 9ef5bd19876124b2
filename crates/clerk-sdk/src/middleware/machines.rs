//! Extractors for every token kind, over an [`Authenticator`] in the router's state: a
//! handler names the kind it accepts and gets what authenticated, or the request is answered
//! `401` (`503` when the Backend API or the keys could not be reached) before it runs.
//!
//! ```
//! use axum::{Router, routing::get};
//! use clerk_sdk::authenticate::{Authenticated, Authenticator};
//! use clerk_sdk::middleware::{ClerkAnyToken, ClerkApiKey, ClerkMachine};
//!
//! async fn report(ClerkApiKey(key): ClerkApiKey) -> String {
//!     format!("hello {}", key.subject)
//! }
//! async fn sync(ClerkMachine(machine): ClerkMachine) -> String {
//!     format!("machine {}", machine.machine_id)
//! }
//! async fn anything(ClerkAnyToken(who): ClerkAnyToken) -> String {
//!     who.token_type().to_string()
//! }
//!
//! fn app(auth: Authenticator) -> Router {
//!     Router::new()
//!         .route("/report", get(report))
//!         .route("/sync", get(sync))
//!         .route("/any", get(anything))
//!         .with_state(auth)
//! }
//! ```

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::rejection::error_response;
use crate::authenticate::{
    ApiKeyAuth, Authenticated, Authenticator, MachineAuth, OAuthAuth, Refusal, TokenType,
};

/// A request authenticated by an M2M token.
#[derive(Debug, Clone)]
pub struct ClerkMachine(pub MachineAuth);

/// A request authenticated by an API key.
#[derive(Debug, Clone)]
pub struct ClerkApiKey(pub ApiKeyAuth);

/// A request authenticated by an OAuth access token.
#[derive(Debug, Clone)]
pub struct ClerkOAuth(pub OAuthAuth);

/// A request authenticated by any token type the [`Authenticator`] accepts.
#[derive(Debug, Clone)]
pub struct ClerkAnyToken(pub Authenticated);

async fn authenticate<S>(
    parts: &Parts,
    state: &S,
    types: &[TokenType],
) -> Result<Authenticated, Refusal>
where
    Authenticator: FromRef<S>,
{
    let auth = Authenticator::from_ref(state);
    auth.authenticate_request_as(parts, types).await
}

macro_rules! one_kind_extractor {
    ($extractor:ident, $kind:expr, $variant:ident) => {
        impl<S: Send + Sync> FromRequestParts<S> for $extractor
        where
            Authenticator: FromRef<S>,
        {
            type Rejection = Refusal;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Refusal> {
                match authenticate(parts, state, &[$kind]).await? {
                    Authenticated::$variant(who) => Ok($extractor(who)),
                    other => Err(Refusal::NotAccepted(other.token_type())),
                }
            }
        }
    };
}

one_kind_extractor!(ClerkMachine, TokenType::M2mToken, Machine);
one_kind_extractor!(ClerkApiKey, TokenType::ApiKey, ApiKey);
one_kind_extractor!(ClerkOAuth, TokenType::OAuthToken, OAuth);

impl<S: Send + Sync> FromRequestParts<S> for ClerkAnyToken
where
    Authenticator: FromRef<S>,
{
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Refusal> {
        let auth = Authenticator::from_ref(state);
        auth.authenticate_request(parts).await.map(ClerkAnyToken)
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        if self.is_unavailable() {
            tracing::warn!(refusal = %self, "token verification unavailable");
            return error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                "authentication_unavailable",
                "Authentication is temporarily unavailable",
                "The token could not be verified now; retry later.",
                "unavailable",
            );
        }
        tracing::debug!(refusal = %self, "token refused");
        let reason = match &self {
            Refusal::TokenMissing => "token_missing",
            Refusal::NotAccepted(_) => "token_type_not_accepted",
            Refusal::Invalid { error, .. } => error.reason().code(),
            Refusal::Inactive(_) => "token_inactive",
            _ => "token_invalid",
        };
        let mut response = error_response(
            StatusCode::UNAUTHORIZED,
            "authentication_invalid",
            "Unauthorized request",
            "The request's token is missing, of a type not accepted here, or not valid.",
            reason,
        );
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        response
    }
}
