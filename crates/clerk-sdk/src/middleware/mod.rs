//! axum 0.8 integration (feature `axum`): a tower layer that authenticates each request once,
//! and extractors that hand the verified claims to handlers.
//!
//! Routes opt in, never by path matching:
//!
//! - [`ClerkLayer`] on a router authenticates every request and stores the outcome (an
//!   [`AuthState`]) in the request extensions. It rejects nothing by itself.
//! - A handler taking [`ClerkAuth`] requires a session: without one the request is answered
//!   `401` with a JSON error. A handler taking `Option<ClerkAuth>` accepts both.
//! - [`ClerkLayer::require_signed_in`] on a sub-router rejects signed-out requests for all of
//!   its routes before any handler runs.
//!
//! ```
//! use axum::{Router, routing::get};
//! use clerk_sdk::middleware::{ClerkAuth, ClerkLayer};
//! use clerk_sdk::verify::Verifier;
//!
//! async fn me(ClerkAuth(claims): ClerkAuth) -> String {
//!     format!("hello {}", claims.sub)
//! }
//!
//! async fn home(auth: Option<ClerkAuth>) -> &'static str {
//!     if auth.is_some() { "welcome back" } else { "hello, stranger" }
//! }
//!
//! fn app(verifier: Verifier) -> Router {
//!     let admin = Router::new()
//!         .route("/admin", get(|| async { "secret" }))
//!         .layer(ClerkLayer::new(verifier.clone()).require_signed_in());
//!     Router::new()
//!         .route("/", get(home))
//!         .route("/me", get(me))
//!         .merge(admin)
//!         .layer(ClerkLayer::new(verifier))
//! }
//! ```
//!
//! # Responses
//!
//! A signed-out request to a route that needs a session gets `401 Unauthorized`,
//! `WWW-Authenticate: Bearer` and Clerk's error shape:
//! `{"errors":[{"code":"authentication_invalid","message":"...","long_message":"...","meta":{"reason":"token_expired"}}]}`.
//! The `long_message` says what to fix, without echoing anything from the token.
//!
//! When the keys cannot be fetched ([`Reason::KeysUnavailable`]) the answer is
//! `503 Service Unavailable` (code `authentication_unavailable`) instead: the token may well be
//! valid, and a 401 could make a client drop a good session.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};

use crate::verify::{AuthState, Claims, Reason, Verifier, VerifyError};

/// A tower layer that authenticates each request with a [`Verifier`] and stores the resulting
/// [`AuthState`] in the request extensions (read it with [`ClerkAuth`], or
/// `Extension<AuthState>`).
///
/// A request already authenticated by an outer layer with the same verifier is not verified
/// again.
///
/// ```
/// use axum::{Router, routing::get};
/// use clerk_sdk::middleware::ClerkLayer;
///
/// let verifier = clerk_sdk::Verifier::from_jwks_url("https://clerk.example.com/.well-known/jwks.json").unwrap();
/// let app: Router = Router::new()
///     .route("/", get(|| async { "hello" }))
///     .layer(ClerkLayer::new(verifier));
/// ```
#[derive(Clone, Debug)]
pub struct ClerkLayer {
    verifier: Verifier,
    require_signed_in: bool,
}

impl ClerkLayer {
    /// A layer that authenticates and annotates, rejecting nothing.
    ///
    /// ```
    /// # fn app(clerk: clerk_sdk::Clerk) -> Result<axum::Router, clerk_sdk::Error> {
    /// use clerk_sdk::middleware::ClerkLayer;
    /// // Shares the client's key cache with `clerk.verify_token`.
    /// let layer = ClerkLayer::new(clerk.verifier()?.clone());
    /// Ok(axum::Router::new().layer(layer))
    /// # }
    /// ```
    #[must_use]
    pub fn new(verifier: Verifier) -> Self {
        ClerkLayer {
            verifier,
            require_signed_in: false,
        }
    }

    /// Also answers `401` (see the [module docs](self#responses)) for every signed-out request,
    /// before the inner service runs. Use it on a sub-router whose routes all need a session.
    ///
    /// ```
    /// # fn admin(verifier: clerk_sdk::verify::Verifier) -> axum::Router {
    /// use axum::routing::get;
    /// use clerk_sdk::middleware::ClerkLayer;
    /// axum::Router::new()
    ///     .route("/admin", get(|| async { "members only" }))
    ///     .layer(ClerkLayer::new(verifier).require_signed_in())
    /// # }
    /// ```
    #[must_use]
    pub fn require_signed_in(mut self) -> Self {
        self.require_signed_in = true;
        self
    }
}

impl<S> Layer<S> for ClerkLayer {
    type Service = ClerkService<S>;

    fn layer(&self, inner: S) -> ClerkService<S> {
        ClerkService {
            inner,
            verifier: self.verifier.clone(),
            require_signed_in: self.require_signed_in,
        }
    }
}

/// The service made by [`ClerkLayer`].
///
/// ```
/// use tower::Layer;
/// use clerk_sdk::middleware::{ClerkLayer, ClerkService};
///
/// let verifier = clerk_sdk::Verifier::from_jwks_url("https://clerk.example.com/.well-known/jwks.json").unwrap();
/// let service: ClerkService<_> = ClerkLayer::new(verifier).layer(tower::service_fn(
///     |_request: axum::extract::Request| async { Ok::<_, std::convert::Infallible>(axum::response::Response::new(axum::body::Body::empty())) },
/// ));
/// ```
#[derive(Clone, Debug)]
pub struct ClerkService<S> {
    inner: S,
    verifier: Verifier,
    require_signed_in: bool,
}

/// Marks which verifier produced the [`AuthState`] in a request's extensions.
#[derive(Clone, Copy, PartialEq, Eq)]
struct AuthenticatedBy(usize);

impl<S, B> Service<Request<B>> for ClerkService<S>
where
    S: Service<Request<B>, Response = Response> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        // Call the service that was driven to readiness, leave a fresh clone in its place.
        let ready = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, ready);
        let verifier = self.verifier.clone();
        let require_signed_in = self.require_signed_in;
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            let marker = AuthenticatedBy(verifier.identity());
            if parts.extensions.get::<AuthenticatedBy>() != Some(&marker)
                || parts.extensions.get::<AuthState>().is_none()
            {
                let state = verifier.authenticate_request(&parts).await;
                parts.extensions.insert(state);
                parts.extensions.insert(marker);
            }
            if require_signed_in
                && let Some(AuthState::SignedOut(error)) = parts.extensions.get::<AuthState>()
            {
                return Ok(AuthRejection::signed_out(error.clone()).into_response());
            }
            inner.call(Request::from_parts(parts, body)).await
        })
    }
}

/// The verified claims of a signed-in request; a handler argument that requires a session.
///
/// Needs a [`ClerkLayer`] on the router. Signed out, the request is answered with an
/// [`AuthRejection`] (`401`). Take `Option<ClerkAuth>` to serve signed-out requests too.
///
/// ```
/// use clerk_sdk::middleware::ClerkAuth;
///
/// async fn me(ClerkAuth(claims): ClerkAuth) -> String {
///     format!("hello {}", claims.user_id())
/// }
/// ```
#[derive(Debug, Clone)]
pub struct ClerkAuth(pub Claims);

impl Deref for ClerkAuth {
    type Target = Claims;

    fn deref(&self) -> &Claims {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClerkAuth {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AuthRejection> {
        match parts.extensions.get::<AuthState>() {
            Some(AuthState::SignedIn(claims)) => Ok(ClerkAuth((**claims).clone())),
            Some(AuthState::SignedOut(error)) => Err(AuthRejection::signed_out(error.clone())),
            None => Err(AuthRejection::missing_layer()),
        }
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for ClerkAuth {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, AuthRejection> {
        match parts.extensions.get::<AuthState>() {
            Some(AuthState::SignedIn(claims)) => Ok(Some(ClerkAuth((**claims).clone()))),
            Some(AuthState::SignedOut(_)) => Ok(None),
            None => Err(AuthRejection::missing_layer()),
        }
    }
}

/// Why a request was refused by [`ClerkAuth`] or a [`ClerkLayer`] that requires a session;
/// answers as described in the [module docs](self#responses).
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
    /// A programming error: `ClerkAuth` used on a route without `ClerkLayer`.
    MissingLayer,
}

impl AuthRejection {
    fn signed_out(error: VerifyError) -> Self {
        AuthRejection {
            kind: RejectionKind::SignedOut(error),
        }
    }

    fn missing_layer() -> Self {
        AuthRejection {
            kind: RejectionKind::MissingLayer,
        }
    }

    /// Why the request is signed out (`None` when the route lacks a [`ClerkLayer`]).
    ///
    /// ```
    /// use clerk_sdk::middleware::AuthRejection;
    /// // In a handler taking `Result<ClerkAuth, AuthRejection>`:
    /// fn why(rejection: &AuthRejection) -> &'static str {
    ///     rejection.error().map_or("no ClerkLayer on this route", |e| e.reason().code())
    /// }
    /// ```
    #[must_use]
    pub fn error(&self) -> Option<&VerifyError> {
        match &self.kind {
            RejectionKind::SignedOut(error) => Some(error),
            RejectionKind::MissingLayer => None,
        }
    }
}

impl std::fmt::Display for AuthRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            RejectionKind::SignedOut(error) => write!(f, "signed out: {error}"),
            RejectionKind::MissingLayer => {
                f.write_str("ClerkAuth used on a route without ClerkLayer")
            }
        }
    }
}

impl std::error::Error for AuthRejection {}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        match self.kind {
            RejectionKind::SignedOut(error) if error.reason() == Reason::KeysUnavailable => {
                error_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "authentication_unavailable",
                    "Authentication is temporarily unavailable",
                    error.reason(),
                )
            }
            RejectionKind::SignedOut(error) => {
                let mut response = error_response(
                    StatusCode::UNAUTHORIZED,
                    "authentication_invalid",
                    "Unauthorized request",
                    error.reason(),
                );
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                response
            }
            RejectionKind::MissingLayer => {
                tracing::error!(
                    "ClerkAuth used on a route without ClerkLayer; add the layer to the router"
                );
                let body = serde_json::json!({"errors": [{
                    "code": "internal_error",
                    "message": "Authentication is misconfigured",
                    "long_message": "ClerkAuth needs a ClerkLayer on the router",
                    "meta": {},
                }]});
                json_response(StatusCode::INTERNAL_SERVER_ERROR, &body)
            }
        }
    }
}

fn error_response(status: StatusCode, code: &str, message: &str, reason: Reason) -> Response {
    let body = serde_json::json!({"errors": [{
        "code": code,
        "message": message,
        "long_message": reason.message(),
        "meta": {"reason": reason.code()},
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

// The extractors and the layer are used from handlers that must be `Send`.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<ClerkAuth>();
    assert_send_sync::<AuthRejection>();
    assert_send_sync::<ClerkLayer>();
};
