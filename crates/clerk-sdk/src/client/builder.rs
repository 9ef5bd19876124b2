//! Configuring a [`Clerk`] client: the defaults, the environment variables other
//! Clerk SDKs read, and [`ClerkBuilder`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use url::Url;

use super::{Clerk, ClerkInner, SecretKey, verification};
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;
use crate::verify::Verifier;

/// The Backend API's address when none is configured.
pub const DEFAULT_API_URL: &str = "https://api.clerk.com/v1";
/// The `Clerk-API-Version` sent when none is configured: the newest spec this SDK ships.
pub const DEFAULT_API_VERSION: &str = "2026-05-12";
/// How long establishing a connection may take by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one attempt of a request (connect, send, read the answer) may take by default.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The `User-Agent` sent by default.
pub const DEFAULT_USER_AGENT: &str = concat!("clerk-sdk-rust/", env!("CARGO_PKG_VERSION"));

/// Builds a [`Clerk`] client; every option has a default.
///
/// ```
/// use std::time::Duration;
/// use clerk_sdk::{Clerk, RetryPolicy};
///
/// let clerk = Clerk::builder()
///     .secret_key("sk_test_123")
///     .base_url("http://127.0.0.1:8080")          // with or without /v1
///     .api_version("2025-11-10")
///     .connect_timeout(Duration::from_secs(2))
///     .request_timeout(Duration::from_secs(10))
///     .retry_policy(RetryPolicy::default().max_attempts(5))
///     .user_agent("my-app/1.0")
///     .build()?;
/// assert_eq!(clerk.api_version(), "2025-11-10");
/// # Ok::<(), clerk_sdk::Error>(())
/// ```
#[derive(Clone)]
#[must_use]
pub struct ClerkBuilder {
    base_url: Option<String>,
    secret_key: Option<SecretKey>,
    machine_secret_key: Option<SecretKey>,
    api_version: String,
    connect_timeout: Duration,
    request_timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    http: Option<reqwest::Client>,
    jwt_key: Option<String>,
    authorized_parties: Vec<String>,
    verifier: Option<Verifier>,
}

impl fmt::Debug for ClerkBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClerkBuilder")
            .field("base_url", &self.base_url)
            .field("secret_key", &self.secret_key)
            .field(
                "machine_secret_key",
                &self.machine_secret_key.as_ref().map(|_| "[redacted]"),
            )
            .field("api_version", &self.api_version)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("custom_http_client", &self.http.is_some())
            .field("jwt_key", &self.jwt_key.is_some())
            .field("authorized_parties", &self.authorized_parties)
            .field("custom_verifier", &self.verifier.is_some())
            .finish()
    }
}

impl Default for ClerkBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClerkBuilder {
    /// A builder with every option at its default.
    ///
    /// ```
    /// let clerk = clerk_sdk::ClerkBuilder::new().build()?;
    /// assert!(!clerk.has_secret_key());
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn new() -> Self {
        Self {
            base_url: None,
            secret_key: None,
            machine_secret_key: None,
            api_version: DEFAULT_API_VERSION.to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            retry: RetryPolicy::default(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            http: None,
            jwt_key: None,
            authorized_parties: Vec::new(),
            verifier: None,
        }
    }

    /// A builder preset from the environment, as [`Clerk::from_env`]
    /// describes; later calls override what it read.
    ///
    /// ```no_run
    /// let clerk = clerk_sdk::ClerkBuilder::from_env()
    ///     .request_timeout(std::time::Duration::from_secs(5))
    ///     .build()?;
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`ClerkBuilder::from_env`] over any source of variables (tests pass a map).
    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let mut builder = Self::new();
        if let Some(key) = get("CLERK_SECRET_KEY").or_else(|| get("CLERK_API_KEY")) {
            builder = builder.secret_key(key);
        }
        if let Some(url) = get("CLERK_API_URL").or_else(|| get("CLERK_API_BASE")) {
            builder = builder.base_url(url.trim());
        }
        if let Some(pem) = get("CLERK_JWT_KEY") {
            builder = builder.jwt_key(pem);
        }
        builder
    }

    /// The secret key (`sk_...`) sent as `Authorization: Bearer`.
    ///
    /// ```
    /// let clerk = clerk_sdk::Clerk::builder().secret_key("sk_test_123").build()?;
    /// assert!(clerk.has_secret_key());
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn secret_key(mut self, key: impl Into<SecretKey>) -> Self {
        self.secret_key = Some(key.into());
        self
    }

    /// A machine's secret key (`ak_...`): [`Clerk::m2m_tokens`] authenticates with it
    /// instead of the secret key (creating an M2M token needs one). A client with only a
    /// machine secret key can use the M2M endpoints and nothing else, as Clerk's.
    ///
    /// ```
    /// let clerk = clerk_sdk::Clerk::builder().machine_secret_key("ak_123").build()?;
    /// assert!(!clerk.has_secret_key());
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn machine_secret_key(mut self, key: impl Into<SecretKey>) -> Self {
        self.machine_secret_key = Some(key.into());
        self
    }

    /// The Backend API address, with or without the trailing `/v1`
    /// (`http://127.0.0.1:8080` and `http://127.0.0.1:8080/v1` are the same).
    /// A path prefix is kept (`https://proxy.example.com/clerk` →
    /// `https://proxy.example.com/clerk/v1`). Checked by [`ClerkBuilder::build`].
    ///
    /// ```
    /// let clerk = clerk_sdk::Clerk::builder().base_url("https://proxy.example.com/clerk/").build()?;
    /// assert_eq!(clerk.base_url().as_str(), "https://proxy.example.com/clerk/v1");
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The `Clerk-API-Version` header (default [`DEFAULT_API_VERSION`]).
    ///
    /// ```
    /// let clerk = clerk_sdk::Clerk::builder().api_version("2025-04-10").build()?;
    /// assert_eq!(clerk.api_version(), "2025-04-10");
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = version.into();
        self
    }

    /// How long establishing a connection may take (default
    /// [`DEFAULT_CONNECT_TIMEOUT`]). Not applied to a client given with
    /// [`ClerkBuilder::http_client`], which keeps its own.
    ///
    /// ```
    /// let builder = clerk_sdk::Clerk::builder().connect_timeout(std::time::Duration::from_secs(3));
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt of a request may take from connecting to reading
    /// the last byte of the answer (default [`DEFAULT_REQUEST_TIMEOUT`]).
    /// Applied per request, also with a custom HTTP client.
    ///
    /// ```
    /// let builder = clerk_sdk::Clerk::builder().request_timeout(std::time::Duration::from_secs(10));
    /// ```
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// How failed requests are retried (default [`RetryPolicy::default`];
    /// [`RetryPolicy::disabled`] turns retries off).
    ///
    /// ```
    /// let builder = clerk_sdk::Clerk::builder().retry_policy(clerk_sdk::RetryPolicy::disabled());
    /// ```
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header (default [`DEFAULT_USER_AGENT`]).
    ///
    /// ```
    /// let builder = clerk_sdk::Clerk::builder().user_agent("my-app/2.0 clerk-sdk-rust");
    /// ```
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Uses this `reqwest::Client` (its proxy, TLS and pool settings) instead
    /// of building one. The request timeout, headers and retries still apply.
    ///
    /// ```
    /// let http = reqwest::Client::new();
    /// let clerk = clerk_sdk::Clerk::builder().http_client(http).build()?;
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The instance's PEM public key (`CLERK_JWT_KEY`, the "JWT public key" of the Clerk
    /// dashboard): [`Clerk::verify_token`] then verifies without any network call and
    /// without a secret key. Without it, keys come from `GET /v1/jwks` (secret key needed).
    /// Checked by [`ClerkBuilder::build`].
    ///
    /// ```no_run
    /// let pem = std::fs::read_to_string("clerk-jwt-key.pem").unwrap();
    /// let clerk = clerk_sdk::Clerk::builder().jwt_key(pem).build()?;
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn jwt_key(mut self, pem: impl Into<String>) -> Self {
        self.jwt_key = Some(pem.into());
        self
    }

    /// Origins allowed in a session token's `azp` claim (your frontends, such as
    /// `https://app.example.com`) for [`Clerk::verify_token`]; unchecked when empty.
    ///
    /// ```
    /// let clerk = clerk_sdk::Clerk::builder()
    ///     .secret_key("sk_test_123")
    ///     .authorized_parties(["https://app.example.com"])
    ///     .build()?;
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn authorized_parties<I, S>(mut self, parties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.authorized_parties = parties.into_iter().map(Into::into).collect();
        self
    }

    /// The verifier [`Clerk::verify_token`] uses, instead of the one built from the JWT
    /// key or the secret key: for full control over the checks (issuer, leeway, pending
    /// sessions, JWT templates, ...). Replaces [`jwt_key`](Self::jwt_key) and
    /// [`authorized_parties`](Self::authorized_parties).
    ///
    /// ```
    /// # fn run(pem: &str) -> Result<(), Box<dyn std::error::Error>> {
    /// use clerk_sdk::verify::Verifier;
    /// let verifier = Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?
    ///     .issuer("https://clerk.example.com")
    ///     .build()?;
    /// let clerk = clerk_sdk::Clerk::builder().secret_key("sk_test_123").verifier(verifier).build()?;
    /// # Ok(()) }
    /// ```
    pub fn verifier(mut self, verifier: Verifier) -> Self {
        self.verifier = Some(verifier);
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// ```
    /// let err = clerk_sdk::Clerk::builder().base_url("ftp://example.com").build().unwrap_err();
    /// assert!(matches!(err, clerk_sdk::Error::Config(_)));
    /// ```
    pub fn build(self) -> Result<Clerk> {
        let base_url = normalize_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_API_URL))?;
        let authorization = self
            .secret_key
            .as_ref()
            .map(authorization_header)
            .transpose()?;
        let machine_authorization = self
            .machine_secret_key
            .as_ref()
            .map(authorization_header)
            .transpose()?;
        let api_version = header_value(&self.api_version, "API version")?;
        let user_agent = header_value(&self.user_agent, "user agent")?;
        let http = match self.http {
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        let backend_api_jwks = authorization
            .as_ref()
            .map(|authorization| {
                verification::backend_api_jwks(&base_url, authorization, &api_version, &user_agent)
            })
            .transpose()?;
        let verifier = match self.verifier {
            Some(verifier) => Some(verifier),
            None => verification::client_verifier(verification::ClientKeys {
                jwt_key: self.jwt_key.as_deref(),
                backend_api_jwks: backend_api_jwks.clone(),
                http: &http,
                authorized_parties: self.authorized_parties,
            })?,
        };
        Ok(Clerk {
            inner: Arc::new(ClerkInner {
                http,
                base_url,
                secret_key: self.secret_key,
                authorization,
                machine_authorization,
                api_version,
                user_agent,
                request_timeout: self.request_timeout,
                retry: self.retry,
                verifier,
                backend_api_jwks,
            }),
        })
    }
}

/// `Bearer <key>`, marked sensitive so that HTTP layers never log it.
pub(super) fn authorization_header(key: &SecretKey) -> Result<HeaderValue> {
    // The message leaves the key out: it may be a real key with a stray character.
    let mut value = HeaderValue::from_str(&format!("Bearer {}", key.expose())).map_err(|_| {
        Error::Config(
            "the secret key contains characters that cannot be sent in an HTTP header".into(),
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// A configured header value; `what` names the setting in the error.
fn header_value(value: &str, what: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(value).map_err(|_| Error::Config(format!("invalid {what} {value:?}")))
}

/// `scheme://host[:port][/prefix]` with or without a trailing `/v1` → the
/// same URL ending in exactly `/v1`.
fn normalize_base_url(raw: &str) -> Result<Url> {
    let invalid = |why: &str| Error::Config(format!("invalid base URL {raw:?}: {why}"));
    let mut url = Url::parse(raw.trim()).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.host().is_none() {
        return Err(invalid("it has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("it must not carry credentials"));
    }
    let path = url.path().trim_end_matches('/');
    let path = if path.ends_with("/v1") {
        path.to_owned()
    } else {
        format!("{path}/v1")
    };
    url.set_path(&path);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from_vars(vars: &[(&str, &str)]) -> Clerk {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        ClerkBuilder::from_lookup(|name| vars.get(name).cloned())
            .build()
            .unwrap()
    }

    #[test]
    fn environment_precedence() {
        let clerk = from_vars(&[
            ("CLERK_SECRET_KEY", "sk_test_primary"),
            ("CLERK_API_KEY", "sk_test_legacy"),
        ]);
        assert_eq!(
            clerk.inner.secret_key.as_ref().unwrap().expose(),
            "sk_test_primary"
        );
        let clerk = from_vars(&[
            ("CLERK_SECRET_KEY", "  "),
            ("CLERK_API_KEY", "sk_test_legacy\n"),
        ]);
        assert_eq!(
            clerk.inner.secret_key.as_ref().unwrap().expose(),
            "sk_test_legacy"
        );
        let clerk = from_vars(&[]);
        assert!(!clerk.has_secret_key());
        assert_eq!(clerk.base_url().as_str(), DEFAULT_API_URL);

        let clerk = from_vars(&[
            ("CLERK_API_URL", "http://127.0.0.1:9000"),
            ("CLERK_API_BASE", "http://other"),
        ]);
        assert_eq!(clerk.base_url().as_str(), "http://127.0.0.1:9000/v1");
        let clerk = from_vars(&[("CLERK_API_BASE", "https://api.clerk.dev/v1")]);
        assert_eq!(clerk.base_url().as_str(), "https://api.clerk.dev/v1");
        let clerk = from_vars(&[("CLERK_API_VERSION", "v1")]);
        assert_eq!(
            clerk.api_version(),
            DEFAULT_API_VERSION,
            "CLERK_API_VERSION is not the header"
        );
    }

    #[test]
    fn base_urls_are_normalized() {
        for (raw, expected) in [
            ("https://api.clerk.com", "https://api.clerk.com/v1"),
            ("https://api.clerk.com/", "https://api.clerk.com/v1"),
            ("https://api.clerk.com/v1", "https://api.clerk.com/v1"),
            ("https://api.clerk.com/v1/", "https://api.clerk.com/v1"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080/v1"),
            (
                "http://localhost:3000/prefix",
                "http://localhost:3000/prefix/v1",
            ),
            (
                "http://localhost:3000/prefix/v1/",
                "http://localhost:3000/prefix/v1",
            ),
        ] {
            assert_eq!(normalize_base_url(raw).unwrap().as_str(), expected, "{raw}");
        }
        for bad in [
            "",
            "api.clerk.com",
            "ftp://x",
            "http://x/?a=b",
            "http://user:pw@x",
            "http://x/#f",
        ] {
            assert!(
                matches!(normalize_base_url(bad), Err(Error::Config(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn bad_header_values_are_config_errors() {
        let err = Clerk::builder()
            .secret_key("sk_test_\u{1}bad")
            .build()
            .unwrap_err();
        assert!(
            matches!(&err, Error::Config(m) if !m.contains("bad")),
            "{err}"
        );
        assert!(matches!(
            Clerk::builder().api_version("2025\n").build(),
            Err(Error::Config(_))
        ));
        assert!(matches!(
            Clerk::builder().user_agent("a\u{7f}").build(),
            Err(Error::Config(_))
        ));
    }
}
