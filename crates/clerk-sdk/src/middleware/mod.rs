//! axum 0.8 integration (feature `axum`): a tower layer that authenticates each request once,
//! and extractors that hand the verified claims to handlers.
//!
//! Routes opt in, never by path matching:
//!
//! - [`ClerkLayer`] on a router authenticates every request and stores the outcome (an
//!   [`AuthState`]) in the request extensions. It rejects nothing by itself, except that it
//!   redirects a page load to the Frontend API's handshake (see below).
//! - A handler taking [`ClerkAuth`] requires a session: without one the request is answered
//!   `401` with a JSON error. A handler taking `Option<ClerkAuth>` accepts both.
//! - [`ClerkLayer::require_signed_in`] on a sub-router rejects signed-out requests for all of
//!   its routes before any handler runs.
//! - Organizations: a handler taking [`ClerkOrganization`] requires a session with an active
//!   organization, and can demand a role or permission
//!   ([`ClerkOrganization::require_permission`]); [`ClerkLayer::require_organization`],
//!   [`require_role`](ClerkLayer::require_role) and
//!   [`require_permission`](ClerkLayer::require_permission) do the same for a whole
//!   sub-router. Roles and permissions are checked as Clerk's `has()` checks them
//!   ([`Claims::has_role`], [`Claims::has_permission`]).
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
//! # Browsers and the handshake
//!
//! With a verifier that knows the instance's publishable key
//! ([`VerifierBuilder::publishable_key`](crate::verify::VerifierBuilder::publishable_key)),
//! the layer reads a browser's cookies as `@clerk/backend` does. When they settle nothing on
//! a page load ([`AuthState::Handshake`]: no development browser token, an expired
//! `__session`, ...), the layer answers `307 Temporary Redirect` to the Frontend API's
//! handshake itself, on every route, before any handler runs; the handshake sets fresh
//! cookies and sends the browser back. Any other request in that state is signed out.
//!
//! # Responses
//!
//! A signed-out request to a route that needs a session gets `401 Unauthorized`,
//! `WWW-Authenticate: Bearer` and Clerk's error shape:
//! `{"errors":[{"code":"authentication_invalid","message":"...","long_message":"...","meta":{"reason":"token_expired"}}]}`.
//! The `long_message` says what to fix, without echoing anything from the token.
//!
//! When the keys cannot be fetched
//! ([`Reason::KeysUnavailable`](crate::verify::Reason::KeysUnavailable)) the answer is
//! `503 Service Unavailable` (code `authentication_unavailable`) instead: the token may well be
//! valid, and a 401 could make a client drop a good session.
//!
//! A signed-in request that lacks what a route requires gets `403 Forbidden`, code
//! `authorization_invalid`, `meta.reason` one of `no_active_organization`, `missing_role`,
//! `missing_permission`. The answer does not name the role or permission required.
//!
//! ```
//! use axum::{Router, routing::get};
//! use clerk_sdk::middleware::{AuthRejection, ClerkLayer, ClerkOrganization};
//! use clerk_sdk::verify::Verifier;
//!
//! async fn invoices(org: ClerkOrganization) -> String {
//!     format!("invoices of {}", org.organization.id)
//! }
//!
//! async fn refund(org: ClerkOrganization) -> Result<&'static str, AuthRejection> {
//!     org.require_permission("org:invoices:refund")?; // 403 without it
//!     Ok("refunded")
//! }
//!
//! fn app(verifier: Verifier) -> Router {
//!     let admin = Router::new()
//!         .route("/org/settings", get(|| async { "settings" }))
//!         .layer(ClerkLayer::new(verifier.clone()).require_role("org:admin"));
//!     Router::new()
//!         .route("/invoices", get(invoices))
//!         .route("/invoices/refund", get(refund))
//!         .merge(admin)
//!         .layer(ClerkLayer::new(verifier))
//! }
//! ```

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};

use crate::verify::{AuthState, Claims, Verifier};

mod machines;
mod organization;
mod rejection;

pub use machines::{ClerkAnyToken, ClerkApiKey, ClerkMachine, ClerkOAuth};
pub use organization::ClerkOrganization;
use organization::Requirement;
pub use rejection::AuthRejection;

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
    /// What a signed-in request must also meet (each implies a session).
    requirements: Arc<[Requirement]>,
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
            requirements: Arc::new([]),
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

    /// Also answers `403` for every signed-in request without an active organization (and
    /// `401` for signed-out ones), before the inner service runs.
    ///
    /// ```
    /// # fn app(verifier: clerk_sdk::verify::Verifier) -> axum::Router {
    /// use axum::routing::get;
    /// use clerk_sdk::middleware::ClerkLayer;
    /// axum::Router::new()
    ///     .route("/team", get(|| async { "my team" }))
    ///     .layer(ClerkLayer::new(verifier).require_organization())
    /// # }
    /// ```
    #[must_use]
    pub fn require_organization(self) -> Self {
        self.require(Requirement::Organization)
    }

    /// Also answers `403` unless the user's role in the active organization is `role`
    /// (`org:admin` or `admin`; see [`Claims::has_role`]), and `401` when signed out.
    /// Several requirements must all hold.
    ///
    /// ```
    /// # fn app(verifier: clerk_sdk::verify::Verifier) -> axum::Router {
    /// use axum::routing::get;
    /// use clerk_sdk::middleware::ClerkLayer;
    /// axum::Router::new()
    ///     .route("/org/settings", get(|| async { "settings" }))
    ///     .layer(ClerkLayer::new(verifier).require_role("org:admin"))
    /// # }
    /// ```
    #[must_use]
    pub fn require_role(self, role: impl Into<String>) -> Self {
        self.require(Requirement::Role(role.into()))
    }

    /// Also answers `403` unless the user holds `permission` in the active organization
    /// (`org:invoices:read`; see [`Claims::has_permission`]: system permissions never
    /// pass), and `401` when signed out. Several requirements must all hold.
    ///
    /// ```
    /// # fn app(verifier: clerk_sdk::verify::Verifier) -> axum::Router {
    /// use axum::routing::get;
    /// use clerk_sdk::middleware::ClerkLayer;
    /// axum::Router::new()
    ///     .route("/invoices", get(|| async { "invoices" }))
    ///     .layer(ClerkLayer::new(verifier).require_permission("org:invoices:read"))
    /// # }
    /// ```
    #[must_use]
    pub fn require_permission(self, permission: impl Into<String>) -> Self {
        self.require(Requirement::Permission(permission.into()))
    }

    fn require(mut self, requirement: Requirement) -> Self {
        let mut requirements = self.requirements.to_vec();
        requirements.push(requirement);
        self.requirements = requirements.into();
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
            requirements: self.requirements.clone(),
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
    requirements: Arc<[Requirement]>,
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
        let requirements = self.requirements.clone();
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            let marker = AuthenticatedBy(verifier.identity());
            if parts.extensions.get::<AuthenticatedBy>() != Some(&marker)
                || parts.extensions.get::<AuthState>().is_none()
            {
                let state = verifier.authenticate_request(&parts).await;
                // A page load whose cookies settle nothing: off to the Frontend API's
                // handshake, which sets fresh cookies and sends the browser back here.
                if let Some(headers) = state.handshake_headers() {
                    let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
                    response.headers_mut().extend(headers);
                    return Ok(response);
                }
                parts.extensions.insert(state);
                parts.extensions.insert(marker);
            }
            if require_signed_in || !requirements.is_empty() {
                let checked = signed_in_claims(&parts).and_then(|claims| {
                    requirements
                        .iter()
                        .try_for_each(|requirement| requirement.check(claims))
                });
                if let Err(rejection) = checked {
                    return Ok(rejection.into_response());
                }
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
        signed_in_claims(parts).map(|claims| ClerkAuth(claims.clone()))
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
            // A handshake the layer did not answer (a request it was not asked about) is
            // signed out.
            Some(AuthState::SignedOut(_) | AuthState::Handshake { .. }) => Ok(None),
            None => Err(AuthRejection::missing_layer()),
        }
    }
}

/// The claims a [`ClerkLayer`] stored for a signed-in request, or the rejection: `401`
/// signed out, `500` without a layer.
fn signed_in_claims(parts: &Parts) -> Result<&Claims, AuthRejection> {
    match parts.extensions.get::<AuthState>() {
        Some(AuthState::SignedIn(claims)) => Ok(claims),
        Some(AuthState::SignedOut(error) | AuthState::Handshake { reason: error, .. }) => {
            Err(AuthRejection::signed_out(error.clone()))
        }
        None => Err(AuthRejection::missing_layer()),
    }
}

// The extractors and the layer are used from handlers that must be `Send`.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<ClerkAuth>();
    assert_send_sync::<ClerkOrganization>();
    assert_send_sync::<AuthRejection>();
    assert_send_sync::<ClerkLayer>();
};
