//! The [`Clerk`] client. One job per file:
//!
//! - this file: the [`Clerk`] handle and what it holds;
//! - `builder.rs`: configuration (defaults, environment variables, [`ClerkBuilder`]);
//! - `secret_key.rs`: [`SecretKey`], which never prints;
//! - `request.rs`: what to send (`ApiRequest`) and the URL it goes to;
//! - `transport.rs`: sending it (headers, timeouts, retries) and decoding the answer;
//! - `verification.rs`: the session-token verifier each client carries.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use url::Url;

use crate::error::Result;
use crate::retry::RetryPolicy;
use crate::verify::{KeySource, Verifier};

mod builder;
mod request;
mod secret_key;
mod transport;
mod verification;

pub use builder::{
    ClerkBuilder, DEFAULT_API_URL, DEFAULT_API_VERSION, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_REQUEST_TIMEOUT, DEFAULT_USER_AGENT,
};
pub(crate) use request::ApiRequest;
pub use secret_key::SecretKey;

/// A client for Clerk's Backend API.
///
/// Cheap to clone (an `Arc` inside) and `Send + Sync`: build one at startup
/// and share it. Each resource has a handler: [`Clerk::users`],
/// [`Clerk::sessions`], [`Clerk::clients`], [`Clerk::allowlist_identifiers`],
/// [`Clerk::allowlist`], [`Clerk::instance`], [`Clerk::email_addresses`],
/// [`Clerk::phone_numbers`], [`Clerk::emails`], [`Clerk::jwks`], and for
/// organizations [`Clerk::organizations`], [`Clerk::organization_memberships`],
/// [`Clerk::organization_invitations`], [`Clerk::organization_domains`],
/// [`Clerk::organization_roles`], [`Clerk::organization_permissions`],
/// [`Clerk::role_sets`], and the webhooks' Svix app [`Clerk::webhooks`]; anything else is reachable through [`Clerk::request`].
///
/// ```no_run
/// # async fn run() -> Result<(), clerk_sdk::Error> {
/// use clerk_sdk::{Clerk, ListUsers};
///
/// let clerk = Clerk::from_env()?; // CLERK_SECRET_KEY, CLERK_API_URL
/// let page = clerk.users().list(ListUsers::new().email_address(["ada@example.com"])).await?;
/// for user in page {
///     println!("{:?} {:?}", user.id, user.first_name);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Clerk {
    inner: Arc<ClerkInner>,
}

/// What a client and all its clones share.
struct ClerkInner {
    http: reqwest::Client,
    base_url: Url,
    secret_key: Option<SecretKey>,
    /// `Bearer <key>`, marked sensitive so HTTP layers never log it.
    authorization: Option<HeaderValue>,
    /// `Bearer <machine secret key>`, for the M2M endpoints; `None` without one.
    machine_authorization: Option<HeaderValue>,
    api_version: HeaderValue,
    user_agent: HeaderValue,
    request_timeout: Duration,
    retry: RetryPolicy,
    /// Verifies session tokens for [`Clerk::verify_token`]: one per client (clones share
    /// it, other clients never do), keys from `CLERK_JWT_KEY` or from `GET /v1/jwks`.
    /// `None` without a JWT key or a secret key.
    verifier: Option<Verifier>,
    /// `GET /v1/jwks` with this client's headers; `None` without a secret key.
    backend_api_jwks: Option<KeySource>,
}

impl fmt::Debug for Clerk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Clerk")
            .field("base_url", &inner.base_url.as_str())
            .field("secret_key", &inner.secret_key)
            .field("api_version", &inner.api_version)
            .field("request_timeout", &inner.request_timeout)
            .field("retry", &inner.retry)
            .field("verifier", &inner.verifier)
            .finish_non_exhaustive()
    }
}

impl Clerk {
    /// A client configured from the environment: the secret key from
    /// `CLERK_SECRET_KEY` (else `CLERK_API_KEY`), the base URL from
    /// `CLERK_API_URL` (else `CLERK_API_BASE`, else `https://api.clerk.com`),
    /// with or without a trailing `/v1`. A missing secret key is not an error
    /// here: calls that need it fail with
    /// [`Error::MissingSecretKey`](crate::Error::MissingSecretKey).
    ///
    /// `CLERK_API_VERSION` is deliberately not read: Clerk's JS SDK uses that
    /// name for the `v1` path segment, not for the `Clerk-API-Version`
    /// header. Set the header with [`ClerkBuilder::api_version`].
    ///
    /// ```no_run
    /// let clerk = clerk_sdk::Clerk::from_env()?;
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn from_env() -> Result<Self> {
        ClerkBuilder::from_env().build()
    }

    /// A client for `https://api.clerk.com` with this secret key and default settings.
    ///
    /// ```
    /// let clerk = clerk_sdk::Clerk::new("sk_test_123")?;
    /// assert_eq!(clerk.base_url().as_str(), "https://api.clerk.com/v1");
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn new(secret_key: impl Into<SecretKey>) -> Result<Self> {
        Self::builder().secret_key(secret_key).build()
    }

    /// A builder with every option at its default (nothing read from the environment).
    ///
    /// ```
    /// use std::time::Duration;
    /// let clerk = clerk_sdk::Clerk::builder()
    ///     .secret_key("sk_test_123")
    ///     .base_url("http://127.0.0.1:8080")
    ///     .request_timeout(Duration::from_secs(5))
    ///     .build()?;
    /// assert_eq!(clerk.base_url().as_str(), "http://127.0.0.1:8080/v1");
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn builder() -> ClerkBuilder {
        ClerkBuilder::new()
    }

    /// The Backend API base URL, ending in `/v1`.
    ///
    /// ```
    /// let clerk = clerk_sdk::Clerk::builder().base_url("https://api.clerk.com/v1/").build()?;
    /// assert_eq!(clerk.base_url().as_str(), "https://api.clerk.com/v1");
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The `Clerk-API-Version` header value sent with every request.
    ///
    /// ```
    /// let clerk = clerk_sdk::Clerk::builder().build()?;
    /// assert_eq!(clerk.api_version(), clerk_sdk::DEFAULT_API_VERSION);
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn api_version(&self) -> &str {
        self.inner.api_version.to_str().unwrap_or_default()
    }

    /// Whether a secret key is configured (calls to the Backend API need one).
    ///
    /// ```
    /// assert!(!clerk_sdk::Clerk::builder().build()?.has_secret_key());
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn has_secret_key(&self) -> bool {
        self.inner.secret_key.is_some()
    }

    /// `Bearer <machine secret key>` from [`ClerkBuilder::machine_secret_key`], if set.
    pub(crate) fn machine_authorization(&self) -> Option<HeaderValue> {
        self.inner.machine_authorization.clone()
    }

    /// `Bearer <key>` for a key given to one call.
    pub(crate) fn authorization_for(key: &SecretKey) -> crate::error::Result<HeaderValue> {
        builder::authorization_header(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn secrets_stay_out_of_debug() {
        let clerk = Clerk::builder()
            .secret_key("sk_live_VERYSECRETVALUE")
            .build()
            .unwrap();
        let text = format!("{clerk:?}");
        assert!(!text.contains("VERYSECRETVALUE"), "{text}");
        assert!(text.contains("sk_live_…(redacted)"), "{text}");
        let builder = Clerk::builder().secret_key("sk_live_VERYSECRETVALUE");
        assert!(!format!("{builder:?}").contains("VERYSECRETVALUE"));
        assert!(clerk.inner.authorization.as_ref().unwrap().is_sensitive());
    }

    #[test]
    fn clerk_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Clerk>();
        assert_send_sync::<Error>();
        let clerk = Clerk::builder().build().unwrap();
        let copy = clerk.clone();
        assert!(Arc::ptr_eq(&clerk.inner, &copy.inner));
    }
}
