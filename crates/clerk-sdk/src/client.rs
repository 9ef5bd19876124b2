//! The [`Clerk`] client: configuration, transport, retries and timeouts.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use http::{HeaderMap, Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::error::{ApiError, DecodeError, Error, Result};
use crate::query::Query;
use crate::retry::{Failure, RetryPolicy, parse_retry_after};
use crate::verify::{KeySource, Verifier};

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

const API_VERSION_HEADER: &str = "clerk-api-version";

/// A Clerk secret key (`sk_live_...`, `sk_test_...`).
///
/// Its `Debug` output shows only the environment prefix, never the key, and
/// it has no `Display`, so it cannot end up in logs by accident.
///
/// ```
/// let key = clerk_sdk::SecretKey::new("sk_test_abcdefghijklmnop");
/// assert_eq!(format!("{key:?}"), "SecretKey(sk_test_…(redacted))");
/// assert_eq!(key.expose(), "sk_test_abcdefghijklmnop");
/// ```
#[derive(Clone)]
pub struct SecretKey(String);

impl SecretKey {
    /// Wraps a key (surrounding whitespace, such as a newline from a `.env`
    /// file, is trimmed).
    ///
    /// ```
    /// let key = clerk_sdk::SecretKey::new(" sk_test_123\n");
    /// assert_eq!(key.expose(), "sk_test_123");
    /// ```
    pub fn new(key: impl Into<String>) -> Self {
        let key = key.into();
        let trimmed = key.trim();
        Self(if trimmed.len() == key.len() {
            key
        } else {
            trimmed.to_owned()
        })
    }

    /// The key itself. Handle with care.
    ///
    /// ```
    /// let key = clerk_sdk::SecretKey::new("sk_test_123");
    /// assert!(key.expose().starts_with("sk_test_"));
    /// ```
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `sk_test_` / `sk_live_` when the key has that shape; nothing otherwise.
    fn public_prefix(&self) -> &str {
        let mut parts = self.0.splitn(3, '_');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("sk"), Some(env), Some(_)) if env.chars().all(|c| c.is_ascii_lowercase()) => {
                &self.0[..env.len() + 4]
            }
            _ => "",
        }
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey({}…(redacted))", self.public_prefix())
    }
}

impl From<String> for SecretKey {
    fn from(key: String) -> Self {
        Self::new(key)
    }
}

impl From<&str> for SecretKey {
    fn from(key: &str) -> Self {
        Self::new(key)
    }
}

/// A client for Clerk's Backend API.
///
/// Cheap to clone (an `Arc` inside) and `Send + Sync`: build one at startup
/// and share it. Each resource has a handler: [`Clerk::users`],
/// [`Clerk::sessions`], [`Clerk::clients`], [`Clerk::allowlist_identifiers`],
/// [`Clerk::allowlist`], [`Clerk::instance`], [`Clerk::email_addresses`],
/// [`Clerk::phone_numbers`], [`Clerk::emails`], [`Clerk::jwks`]; anything
/// else is reachable through [`Clerk::request`].
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

struct ClerkInner {
    http: reqwest::Client,
    base_url: Url,
    secret_key: Option<SecretKey>,
    /// `Bearer <key>`, marked sensitive so HTTP layers never log it.
    authorization: Option<HeaderValue>,
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
    /// here: calls that need it fail with [`Error::MissingSecretKey`].
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

    /// The Backend API's JWKS as this client reaches it, if it has a secret key.
    pub(crate) fn backend_api_jwks_source(&self) -> Option<&KeySource> {
        self.inner.backend_api_jwks.as_ref()
    }

    /// The session-token verifier, if this client can verify tokens.
    pub(crate) fn token_verifier(&self) -> Option<&Verifier> {
        self.inner.verifier.as_ref()
    }

    /// Calls any Backend API endpoint: the escape hatch for the many endpoints
    /// this SDK has no typed method for. `path` is relative to the base URL
    /// (`"/organizations"` means `https://api.clerk.com/v1/organizations`) and
    /// taken as written, so percent-encode IDs you did not produce yourself.
    /// `query` pairs may repeat a key (array parameters). The answer is decoded
    /// into `T`: [`serde_json::Value`] for the raw JSON, `()` for an empty
    /// answer, or any `Deserialize` type. Retries, timeouts, headers and
    /// errors work as for the typed methods.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::Method;
    /// use serde_json::{Value, json};
    ///
    /// let orgs: Value = clerk
    ///     .request(Method::GET, "/organizations", &[("limit", "5"), ("query", "acme")], None)
    ///     .await?;
    /// let org: Value = clerk
    ///     .request(Method::POST, "/organizations", &[], Some(json!({"name": "Acme"})))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn request<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<serde_json::Value>,
    ) -> Result<T> {
        let mut request = ApiRequest::raw(method, path).query(query.iter().copied().collect());
        if let Some(body) = body {
            request = request.json(&body)?;
        }
        self.send(request).await
    }

    /// Sends a request (with retries) and decodes a success answer into `T`;
    /// an error status becomes [`Error::Api`].
    pub(crate) async fn send<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T> {
        let (status, body) = self.execute(&request).await?;
        decode(status, &body)
    }

    /// Sends a request, retrying as the [`RetryPolicy`] allows, and returns the
    /// status and body of the success answer.
    async fn execute(&self, request: &ApiRequest) -> Result<(StatusCode, Bytes)> {
        let authorization = self
            .inner
            .authorization
            .as_ref()
            .ok_or(Error::MissingSecretKey)?;
        let url = self.url_for(request)?;
        let mut attempt = 1;
        loop {
            let started = Instant::now();
            let outcome = self.attempt(request, &url, authorization).await;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            // Logged: method, path (IDs only), status, timing. Never headers,
            // query strings (they hold emails and phone numbers) or bodies.
            let outcome = match outcome {
                Ok(answer) if answer.status.is_success() => {
                    tracing::debug!(method = %request.method, path = url.path(), status = answer.status.as_u16(), attempt, elapsed_ms, "Clerk API answered");
                    return Ok((answer.status, answer.body));
                }
                other => other,
            };
            let failure = match &outcome {
                Ok(answer) => {
                    Failure::from_status(&request.method, answer.status, answer.retry_after)
                }
                Err(error) => Failure::from_transport(&request.method, error),
            };
            tracing::debug!(
                method = %request.method,
                path = url.path(),
                status = outcome.as_ref().ok().map(|answer| answer.status.as_u16()),
                attempt,
                elapsed_ms,
                reason = failure.reason,
                "Clerk API request failed"
            );
            let Some(delay) = self.inner.retry.delay_after(attempt, &failure) else {
                return Err(match outcome {
                    Ok(answer) => Error::Api(Box::new(ApiError::from_response(
                        answer.status,
                        &answer.headers,
                        &answer.body,
                        answer.retry_after,
                    ))),
                    Err(error) => Error::Network(error),
                });
            };
            tracing::warn!(
                method = %request.method,
                path = url.path(),
                attempt,
                reason = failure.reason,
                delay_ms = delay.as_millis() as u64,
                "retrying Clerk API request"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One attempt: send the request and read the whole answer.
    async fn attempt(
        &self,
        request: &ApiRequest,
        url: &Url,
        authorization: &HeaderValue,
    ) -> std::result::Result<Answer, reqwest::Error> {
        let inner = &self.inner;
        let mut builder = inner
            .http
            .request(request.method.clone(), url.clone())
            .header(AUTHORIZATION, authorization.clone())
            .header(API_VERSION_HEADER, inner.api_version.clone())
            .header(USER_AGENT, inner.user_agent.clone())
            .header(ACCEPT, "application/json")
            .timeout(inner.request_timeout);
        if let Some(body) = &request.body {
            builder = builder
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let mut response = builder.send().await?;
        let status = response.status();
        // Taken rather than copied: reading the body does not need them.
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        Ok(Answer {
            status,
            retry_after: parse_retry_after(&headers),
            headers,
            body,
        })
    }

    /// The absolute URL of a request, with its query.
    fn url_for(&self, request: &ApiRequest) -> Result<Url> {
        let mut url = match &request.path {
            RequestPath::Segments(segments) => {
                let mut url = self.inner.base_url.clone();
                url.path_segments_mut()
                    .map_err(|()| Error::Config("the base URL cannot have a path".into()))?
                    .pop_if_empty()
                    .extend(segments);
                url
            }
            RequestPath::Raw(path) => self.raw_url(path)?,
        };
        url.set_query(request.query.encode().as_deref());
        Ok(url)
    }

    /// Joins a caller-written path to the base URL, refusing anything that
    /// would send the secret key to another host.
    fn raw_url(&self, path: &str) -> Result<Url> {
        if path.contains("://") || path.starts_with("//") || path.contains(['?', '#']) {
            return Err(Error::InvalidInput(format!(
                "request path {path:?} must be a path relative to the API base URL, without query or fragment \
                 (pass query parameters separately)"
            )));
        }
        let base = &self.inner.base_url;
        let joined = format!(
            "{}/{}",
            base.as_str().trim_end_matches('/'),
            path.trim_start_matches('/')
        );
        let url = Url::parse(&joined)
            .map_err(|e| Error::InvalidInput(format!("request path {path:?}: {e}")))?;
        if url.origin() != base.origin() {
            return Err(Error::InvalidInput(format!(
                "request path {path:?} leaves the API host"
            )));
        }
        Ok(url)
    }
}

/// One answer, read whole.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    retry_after: Option<Duration>,
    body: Bytes,
}

/// Decodes a success body, naming the JSON path of any mismatch. An empty
/// body (a 204) reads as `null`, so `()` and `Option<_>` accept it.
fn decode<T: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<T> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    };
    // Tracking the JSON path costs about as much as decoding (it copies every object
    // key), so it is done only for a body that failed, to name where.
    serde_json::from_slice(body).map_err(|error| {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let located = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(e) => DecodeError::from_path_error(status, e),
            // The value read but something follows it.
            Ok(_) => DecodeError::new(status, "$".into(), error),
        };
        Error::Decode(Box::new(located))
    })
}

/// What to send: method, path, query, JSON body.
#[derive(Clone, Debug)]
pub(crate) struct ApiRequest {
    method: Method,
    path: RequestPath,
    query: Query,
    body: Option<Bytes>,
}

#[derive(Clone, Debug)]
enum RequestPath {
    /// Segments under the base URL, each percent-encoded (IDs go here).
    Segments(Vec<String>),
    /// A caller-written path (the escape hatch).
    Raw(String),
}

impl ApiRequest {
    /// A request to `base_url/segment/segment/...`. Every segment must be
    /// non-empty and not `.` or `..` (an empty ID would otherwise turn
    /// `GET /users/{id}` into `GET /users`).
    pub(crate) fn new(method: Method, segments: &[&str]) -> Result<Self> {
        if let Some(bad) = segments
            .iter()
            .find(|s| s.is_empty() || **s == "." || **s == "..")
        {
            return Err(Error::InvalidInput(format!(
                "an ID must not be empty, `.` or `..` (got {bad:?})"
            )));
        }
        Ok(Self {
            method,
            path: RequestPath::Segments(segments.iter().map(|s| (*s).to_owned()).collect()),
            query: Query::new(),
            body: None,
        })
    }

    pub(crate) fn get(segments: &[&str]) -> Result<Self> {
        Self::new(Method::GET, segments)
    }

    pub(crate) fn post(segments: &[&str]) -> Result<Self> {
        Self::new(Method::POST, segments)
    }

    pub(crate) fn patch(segments: &[&str]) -> Result<Self> {
        Self::new(Method::PATCH, segments)
    }

    pub(crate) fn put(segments: &[&str]) -> Result<Self> {
        Self::new(Method::PUT, segments)
    }

    pub(crate) fn delete(segments: &[&str]) -> Result<Self> {
        Self::new(Method::DELETE, segments)
    }

    fn raw(method: Method, path: &str) -> Self {
        Self {
            method,
            path: RequestPath::Raw(path.to_owned()),
            query: Query::new(),
            body: None,
        }
    }

    pub(crate) fn query(mut self, query: Query) -> Self {
        self.query = query;
        self
    }

    /// Sets a JSON body.
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::InvalidInput(format!("cannot encode the request body: {e}")))?;
        self.body = Some(Bytes::from(bytes));
        Ok(self)
    }
}

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
        let authorization = match &self.secret_key {
            Some(key) => {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", key.expose())).map_err(|_| {
                    Error::Config("the secret key contains characters that cannot be sent in an HTTP header".into())
                })?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        let api_version = HeaderValue::from_str(&self.api_version)
            .map_err(|_| Error::Config(format!("invalid API version {:?}", self.api_version)))?;
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| Error::Config(format!("invalid user agent {:?}", self.user_agent)))?;
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
                crate::verify::backend_api_jwks(&base_url, authorization, &api_version, &user_agent)
            })
            .transpose()?;
        let verifier = match self.verifier {
            Some(verifier) => Some(verifier),
            None => crate::verify::client_verifier(crate::verify::ClientKeys {
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
        assert_eq!(
            format!("{:?}", SecretKey::new("weird")),
            "SecretKey(…(redacted))"
        );
        assert_eq!(
            format!("{:?}", SecretKey::new("sk_Te_x")),
            "SecretKey(…(redacted))"
        );
        assert!(clerk.inner.authorization.as_ref().unwrap().is_sensitive());
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

    #[test]
    fn request_urls() {
        let clerk = Clerk::builder()
            .base_url("http://127.0.0.1:1/prefix")
            .build()
            .unwrap();
        let mut query = Query::new();
        query.push_all("email_address", ["a@x.com", "b@x.com"]);
        let request = ApiRequest::get(&["users", "user_1/../x?y"])
            .unwrap()
            .query(query);
        assert_eq!(
            clerk.url_for(&request).unwrap().as_str(),
            "http://127.0.0.1:1/prefix/v1/users/user_1%2F..%2Fx%3Fy?email_address=a%40x.com&email_address=b%40x.com"
        );
        for bad in ["", ".", ".."] {
            assert!(matches!(
                ApiRequest::get(&["users", bad]),
                Err(Error::InvalidInput(_))
            ));
        }
        let raw = ApiRequest::raw(Method::GET, "/organizations/org_1/memberships");
        assert_eq!(
            clerk.url_for(&raw).unwrap().as_str(),
            "http://127.0.0.1:1/prefix/v1/organizations/org_1/memberships"
        );
        for escape in [
            "http://evil.example/x",
            "//evil.example/x",
            "/users?x=1",
            "/users#x",
        ] {
            let raw = ApiRequest::raw(Method::GET, escape);
            assert!(
                matches!(clerk.url_for(&raw), Err(Error::InvalidInput(_))),
                "{escape}"
            );
        }
    }

    #[test]
    fn decoding() {
        let ok: serde_json::Value = decode(StatusCode::OK, br#"{"a":1}"#).unwrap();
        assert_eq!(ok["a"], 1);
        let () = decode(StatusCode::NO_CONTENT, b"").unwrap();
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Outer {
            items: Vec<Inner>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            created_at: i64,
        }
        let err = decode::<Outer>(
            StatusCode::OK,
            br#"{"items":[{"created_at":1},{"created_at":"x"}]}"#,
        )
        .unwrap_err();
        let Error::Decode(decode_error) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(decode_error.path(), "$.items[1].created_at");
        assert!(err.to_string().contains("$.items[1].created_at"), "{err}");
        let err = decode::<serde_json::Value>(StatusCode::OK, b"{} trailing").unwrap_err();
        assert!(matches!(err, Error::Decode(_)));
        let err = decode::<Outer>(StatusCode::OK, b"<html>").unwrap_err();
        assert!(
            matches!(&err, Error::Decode(e) if e.path() == "$"),
            "{err:?}"
        );
    }

    #[test]
    fn a_value_followed_by_more_fails_at_the_root() {
        let err = decode::<serde_json::Value>(StatusCode::OK, b"{} trailing").unwrap_err();
        let Error::Decode(decode_error) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(decode_error.path(), "$");
        assert!(err.to_string().contains("trailing characters"), "{err}");
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
