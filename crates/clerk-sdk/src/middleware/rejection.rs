//! [`AuthRejection`]: why a request was refused, and the JSON answer it becomes.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::verify::{Reason, VerifyError};

/// Why a request was refused by an extractor ([`ClerkAuth`](super::ClerkAuth),
/// [`ClerkOrganization`](super::ClerkOrganization)) or by a [`ClerkLayer`](super::ClerkLayer)
/// with requirements; answers as described in the [module docs](super#responses).
///
/// ```
/// use axum::response::IntoResponse;
/// use clerk_sdk::middleware::{AuthRejection, ClerkAuth};
///
/// // A handler may take the extractor's result to answer in its own way.
/// async fn me(auth: Result<ClerkAuth, AuthRejection>) -> axum::response::Response {
///     match auth {
///         Ok(ClerkAuth(claims)) => claims.sub.into_response(),
///         Err(rejection) => rejection.into_response(),
///     }
/// }
/// ```
#[derive(Debug)]
pub struct AuthRejection {
    kind: RejectionKind,
}

#[derive(Debug)]
enum RejectionKind {
    SignedOut(VerifyError),
    /// Signed in, but not allowed: a `403`.
    Forbidden(Forbidden),
    /// A programming error: an extractor used on a route without `ClerkLayer`.
    MissingLayer,
}

/// What a signed-in request lacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Forbidden {
    NoActiveOrganization,
    MissingRole,
    MissingPermission,
}

impl Forbidden {
    fn code(self) -> &'static str {
        match self {
            Forbidden::NoActiveOrganization => "no_active_organization",
            Forbidden::MissingRole => "missing_role",
            Forbidden::MissingPermission => "missing_permission",
        }
    }

    /// What to fix. The role or permission asked for is not named: which ones guard a
    /// route is the server's business, not the client's.
    fn message(self) -> &'static str {
        match self {
            Forbidden::NoActiveOrganization => {
                "This request needs an active organization: set one in the session and retry."
            }
            Forbidden::MissingRole => {
                "Your role in the active organization does not allow this request."
            }
            Forbidden::MissingPermission => {
                "You lack a permission in the active organization that this request needs."
            }
        }
    }
}

impl AuthRejection {
    pub(super) fn signed_out(error: VerifyError) -> Self {
        AuthRejection {
            kind: RejectionKind::SignedOut(error),
        }
    }

    pub(super) fn forbidden(why: Forbidden) -> Self {
        AuthRejection {
            kind: RejectionKind::Forbidden(why),
        }
    }

    pub(super) fn missing_layer() -> Self {
        AuthRejection {
            kind: RejectionKind::MissingLayer,
        }
    }

    /// Why the request is signed out; `None` when it is signed in but not allowed (a
    /// `403`), or when the route lacks a [`ClerkLayer`](super::ClerkLayer).
    ///
    /// ```
    /// use clerk_sdk::middleware::AuthRejection;
    /// // In a handler taking `Result<ClerkAuth, AuthRejection>`:
    /// fn why(rejection: &AuthRejection) -> &'static str {
    ///     rejection.error().map_or("not a signed-out request", |e| e.reason().code())
    /// }
    /// ```
    #[must_use]
    pub fn error(&self) -> Option<&VerifyError> {
        match &self.kind {
            RejectionKind::SignedOut(error) => Some(error),
            RejectionKind::Forbidden(_) | RejectionKind::MissingLayer => None,
        }
    }

    /// The status the rejection answers with: `401` signed out, `403` signed in but
    /// not allowed, `503` when the keys cannot be fetched, `500` without a layer.
    ///
    /// ```
    /// use axum::http::StatusCode;
    /// use clerk_sdk::middleware::AuthRejection;
    /// fn is_forbidden(rejection: &AuthRejection) -> bool {
    ///     rejection.status() == StatusCode::FORBIDDEN
    /// }
    /// ```
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match &self.kind {
            RejectionKind::SignedOut(error) if error.reason() == Reason::KeysUnavailable => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            RejectionKind::SignedOut(_) => StatusCode::UNAUTHORIZED,
            RejectionKind::Forbidden(_) => StatusCode::FORBIDDEN,
            RejectionKind::MissingLayer => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl std::fmt::Display for AuthRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            RejectionKind::SignedOut(error) => write!(f, "signed out: {error}"),
            RejectionKind::Forbidden(why) => write!(f, "forbidden: {}", why.code()),
            RejectionKind::MissingLayer => {
                f.write_str("a Clerk extractor used on a route without ClerkLayer")
            }
        }
    }
}

impl std::error::Error for AuthRejection {}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        let status = self.status();
        match self.kind {
            RejectionKind::SignedOut(error) if status == StatusCode::SERVICE_UNAVAILABLE => {
                error_response(
                    status,
                    "authentication_unavailable",
                    "Authentication is temporarily unavailable",
                    error.reason().message(),
                    error.reason().code(),
                )
            }
            RejectionKind::SignedOut(error) => {
                let mut response = error_response(
                    status,
                    "authentication_invalid",
                    "Unauthorized request",
                    error.reason().message(),
                    error.reason().code(),
                );
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                response
            }
            RejectionKind::Forbidden(why) => error_response(
                status,
                "authorization_invalid",
                "Forbidden",
                why.message(),
                why.code(),
            ),
            RejectionKind::MissingLayer => {
                tracing::error!(
                    "a Clerk extractor used on a route without ClerkLayer; add the layer to the router"
                );
                let body = serde_json::json!({"errors": [{
                    "code": "internal_error",
                    "message": "Authentication is misconfigured",
                    "long_message": "Clerk's extractors need a ClerkLayer on the router",
                    "meta": {},
                }]});
                json_response(status, &body)
            }
        }
    }
}

pub(super) fn error_response(
    status: StatusCode,
    code: &str,
    message: &str,
    long_message: &str,
    reason: &str,
) -> Response {
    let body = serde_json::json!({"errors": [{
        "code": code,
        "message": message,
        "long_message": long_message,
        "meta": {"reason": reason},
    }]});
    json_response(status, &body)
}

fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
