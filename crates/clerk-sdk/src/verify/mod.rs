//! Networkless verification of Clerk session tokens.
//!
//! A [`Verifier`] checks a session token (an RS256 JWT) locally, with keys from either
//!
//! - a **JWKS URL**: Clerk's `https://<frontend-api>/.well-known/jwks.json`, a local
//!   `clerk-server`'s, or the Backend API's `GET /v1/jwks` (with the secret key in
//!   [`KeySource::JwksUrl::headers`]; [`Clerk::backend_api_jwks`](crate::Clerk::backend_api_jwks)
//!   makes that source from a client). Keys are fetched on first use and cached **in this
//!   verifier only** (never process-wide); or
//! - a **PEM public key** (`CLERK_JWT_KEY`, the "JWT public key" of the Clerk dashboard): no
//!   network at all, ever.
//!
//! ```no_run
//! # async fn run(token: &str) -> Result<(), Box<dyn std::error::Error>> {
//! use clerk_sdk::verify::Verifier;
//!
//! let verifier = Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?
//!     .issuer("https://clerk.example.com")
//!     .authorized_parties(["https://app.example.com"])
//!     .build()?;
//! let claims = verifier.verify_token(token).await?;
//! println!("user {} in session {:?}", claims.sub, claims.sid);
//! # Ok(()) }
//! ```
//!
//! With a Backend API client, [`Clerk::verify_token`](crate::Clerk::verify_token) and
//! [`Sessions::verify_token`](crate::Sessions::verify_token) use a verifier kept inside the
//! [`Clerk`](crate::Clerk) handle, with keys from `CLERK_JWT_KEY` or `GET /v1/jwks`.
//!
//! # What is checked, in order
//!
//! Cheap structural checks run before any cryptography, and the signature before any claim:
//!
//! 1. Size: tokens longer than [`DEFAULT_MAX_TOKEN_LEN`] (8 KiB, configurable) are refused
//!    unread. Clerk keeps session tokens under 4 KB (a cookie's limit).
//! 2. Structure: three strict base64url segments (no padding, no stray bits); a JSON header.
//! 3. Header: `alg` must be `RS256` (so `none`, `HS256` keyed with the public key, `RS384`,
//!    `ES256`, `PS256`, ... are all refused before any key is touched); `crit`, `jku`, `jwk`,
//!    `x5u`, `x5c` are refused outright; `typ`, if present, must be `JWT`; Clerk's `cat`
//!    category, if present, must be a session token (or a JWT template when
//!    [`VerifierBuilder::accept_jwt_templates`] is on); a `kid` is required in JWKS mode.
//! 4. Signature: RS256 with aws-lc-rs, against a key parsed once per `kid`.
//! 5. Claims, decoded once: `sub` and `exp` required; `exp`, `nbf`, `iat` must be JSON
//!    numbers and are checked with a leeway (default 5 s); any claim appearing twice is
//!    refused (a duplicated `sub` must not pass silently).
//! 6. Policy: `iss` equals the configured issuer (when set); `azp` is one of the configured
//!    authorized parties (when set; a token without `azp` passes unless
//!    [`VerifierBuilder::require_authorized_party`]); `sid` is present (session tokens); a
//!    `pending` session (`sts`) is refused unless [`VerifierBuilder::allow_pending_sessions`].
//!
//! Every rejection is a [`VerifyError`] whose [`Reason`] says what to fix.
//!
//! # The key cache (JWKS mode)
//!
//! - Keys younger than the TTL (default 1 h, counted from the fetch, never extended by use)
//!   are used as they are.
//! - Past the TTL, the next verification starts a refresh in the background and keeps using
//!   the cached key until the refresh lands: a verification whose `kid` is cached never waits.
//!   Keys dropped from the JWKS stop working as soon as the refresh lands.
//! - If the endpoint fails, cached keys keep working up to the maximum stale age (default
//!   24 h); after that verifications fail with [`Reason::KeysUnavailable`].
//! - An unknown `kid` triggers one refresh, shared by all concurrent verifications
//!   (single-flight), and at most one per minimum refresh interval (default 5 s), so tokens
//!   with made-up `kid`s cannot make the verifier hammer the endpoint.
//!
//! # The verified-token cache
//!
//! A session token lives about a minute and comes back with every request of that minute,
//! so each verifier keeps the tokens it has verified (default
//! [`DEFAULT_VERIFIED_TOKEN_CACHE`] tokens, oldest evicted first;
//! [`VerifierBuilder::verified_token_cache`] changes the size, `0` turns it off). A repeated
//! token then costs a keyed hash, a constant-time comparison and the time checks instead of
//! an RSA signature check (figures in `BENCHMARKS.md`). Why that is as safe as verifying
//! again:
//!
//! - Only tokens that passed every check are kept, each under the **whole token**: a hit
//!   needs the presented token to equal the kept one byte for byte (compared in constant
//!   time); the hash (keyed per verifier, so collisions cannot be chosen) only finds the slot.
//! - `exp`, `nbf`, `iat` and the policy run again on every hit, against the clock of the
//!   moment: an expired token is refused exactly as without the cache.
//! - An entry is bound to the key object that verified it: after the JWKS is refreshed or the
//!   token's `kid` leaves it, the entry no longer counts and the token is verified afresh.
//! - Failures are never kept, and the options of a verifier cannot change after `build()`.
//!
//! # Revocation
//!
//! Networkless verification cannot see a session revoked after the token was issued: the
//! token stays valid until its `exp` (60 s for Clerk session tokens by default). Where that
//! matters, confirm with the Backend API:
//! [`Sessions::verify_token_online`](crate::Sessions::verify_token_online) adds one
//! `GET /v1/sessions/{id}`.

mod browser;
mod claims;
mod clock;
mod error;
#[doc(hidden)]
pub mod fuzz;
mod jwks;
mod jwt;
mod key;
mod machine;
mod organization;
mod request;
mod verified;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderMap;
use url::Url;

pub use browser::{CLIENT_UAT_COOKIE, DEV_BROWSER_COOKIE, REDIRECT_COUNT_COOKIE, cookie_suffix};
pub use claims::{Actor, Claims};
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{ConfigError, Reason, VerifyError};
pub use organization::{OrgClaimV2, Organization};
pub use request::{AuthState, SESSION_COOKIE, session_token_from_headers};

use claims::Policy;
use jwks::{CacheSettings, JwksCache};
use jwt::Accept;
pub(crate) use jwt::category::M2M as M2M_CATEGORY;
use key::VerifyingKey;
pub(crate) use machine::MachineJwt;
use verified::VerifiedTokens;

/// How many verified tokens a [`Verifier`] keeps by default (see
/// [the verified-token cache](self#the-verified-token-cache)).
pub const DEFAULT_VERIFIED_TOKEN_CACHE: usize = verified::DEFAULT_CAPACITY;

/// Tokens longer than this many bytes are rejected before any parsing, unless the builder
/// sets another limit. Clerk session tokens live in a cookie and stay under 4 KB.
pub const DEFAULT_MAX_TOKEN_LEN: usize = 8 * 1024;

/// The default clock-skew allowance for `exp`, `nbf` and `iat`.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(5);

/// Where a verifier gets its public keys.
///
/// ```
/// use clerk_sdk::verify::KeySource;
///
/// let source = KeySource::JwksUrl {
///     url: "https://clerk.example.com/.well-known/jwks.json".parse().unwrap(),
///     headers: Default::default(),
/// };
/// let verifier = clerk_sdk::Verifier::builder(source).build().unwrap();
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub enum KeySource {
    /// A JSON Web Key Set fetched over HTTP(S) and cached by the verifier.
    JwksUrl {
        /// The JWKS URL, such as `https://clerk.example.com/.well-known/jwks.json`.
        url: Url,
        /// Headers sent with each fetch, such as `Authorization: Bearer sk_...` and
        /// `Clerk-API-Version` for the Backend API's `GET /v1/jwks`. Never logged.
        headers: HeaderMap,
    },
    /// A PEM-encoded RSA public key (`CLERK_JWT_KEY`). No network is ever used.
    Pem(String),
}

impl fmt::Debug for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySource::JwksUrl { url, headers } => f
                .debug_struct("JwksUrl")
                .field("url", &url.as_str())
                // Header values may hold the secret key: show names only.
                .field(
                    "headers",
                    &headers.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
                )
                .finish(),
            KeySource::Pem(_) => f.write_str("Pem(..)"),
        }
    }
}

/// Configures a [`Verifier`]. Start from [`Verifier::builder`], [`Verifier::builder_pem`],
/// [`Verifier::builder_jwks_url`] or [`VerifierBuilder::from_env`].
///
/// ```
/// # fn run() -> Result<(), clerk_sdk::verify::ConfigError> {
/// use std::time::Duration;
/// use clerk_sdk::verify::Verifier;
///
/// let verifier = Verifier::builder_jwks_url("http://127.0.0.1:8080/.well-known/jwks.json")?
///     .leeway(Duration::from_secs(10))
///     .jwks_ttl(Duration::from_secs(600))
///     .authorized_parties(["http://localhost:3000"])
///     .build()?;
/// # Ok(()) }
/// # run().unwrap();
/// ```
#[must_use = "a builder does nothing until `build` is called"]
pub struct VerifierBuilder {
    source: KeySource,
    leeway: Duration,
    issuer: Option<String>,
    authorized_parties: Vec<String>,
    require_authorized_party: bool,
    allow_pending: bool,
    accept_templates: bool,
    max_token_len: usize,
    cache: CacheSettings,
    allow_plain_http: bool,
    http: Option<reqwest::Client>,
    clock: Arc<dyn Clock>,
    publishable_key: Option<String>,
    frontend_api_url: Option<String>,
    verified_tokens: usize,
}

impl fmt::Debug for VerifierBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifierBuilder")
            .field("source", &self.source)
            .field("leeway", &self.leeway)
            .field("issuer", &self.issuer)
            .field("authorized_parties", &self.authorized_parties)
            .finish_non_exhaustive()
    }
}

impl VerifierBuilder {
    fn new(source: KeySource) -> Self {
        VerifierBuilder {
            source,
            leeway: DEFAULT_LEEWAY,
            issuer: None,
            authorized_parties: Vec::new(),
            require_authorized_party: false,
            allow_pending: false,
            accept_templates: false,
            max_token_len: DEFAULT_MAX_TOKEN_LEN,
            cache: CacheSettings::default(),
            allow_plain_http: false,
            http: None,
            clock: Arc::new(SystemClock),
            publishable_key: None,
            frontend_api_url: None,
            verified_tokens: DEFAULT_VERIFIED_TOKEN_CACHE,
        }
    }

    /// A builder configured from the environment: `CLERK_JWT_KEY` (a PEM public key; no
    /// network) if set, else `CLERK_JWKS_URL`; and, to read browsers' cookies as
    /// `@clerk/backend` does ([`publishable_key`](Self::publishable_key)),
    /// `CLERK_PUBLISHABLE_KEY` with `CLERK_PROXY_URL` (the Frontend API URL, such as
    /// `http://127.0.0.1:8080/__clerk` for a local `clerk serve`) when set.
    ///
    /// ```no_run
    /// // CLERK_JWT_KEY (networkless), else CLERK_JWKS_URL.
    /// let verifier = clerk_sdk::verify::VerifierBuilder::from_env()?.build()?;
    /// # Ok::<(), clerk_sdk::verify::ConfigError>(())
    /// ```
    ///
    /// # Errors
    /// When neither variable is set, or the PEM does not parse at [`build`](Self::build).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_env_with(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup` (for
    /// configuration systems other than the process environment, and for tests).
    ///
    /// ```
    /// use clerk_sdk::verify::VerifierBuilder;
    ///
    /// let builder = VerifierBuilder::from_env_with(|name| {
    ///     (name == "CLERK_JWKS_URL").then(|| "http://127.0.0.1:8080/.well-known/jwks.json".to_owned())
    /// });
    /// assert!(builder.is_ok());
    /// assert!(VerifierBuilder::from_env_with(|_| None).is_err());
    /// ```
    ///
    /// # Errors
    /// When neither variable is set or the URL does not parse.
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let non_empty = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut builder = if let Some(pem) = non_empty("CLERK_JWT_KEY") {
            Self::new(KeySource::Pem(pem))
        } else if let Some(url) = non_empty("CLERK_JWKS_URL") {
            Verifier::builder_jwks_url(url.trim())?
        } else {
            return Err(ConfigError::new(
                "set CLERK_JWT_KEY (the PEM public key from the Clerk dashboard) or CLERK_JWKS_URL",
            ));
        };
        builder.publishable_key = non_empty("CLERK_PUBLISHABLE_KEY");
        builder.frontend_api_url = non_empty("CLERK_PROXY_URL");
        Ok(builder)
    }

    /// Clock-skew allowance for `exp`, `nbf` and `iat` (default 5 s).
    ///
    /// ```
    /// # fn run() -> Result<(), clerk_sdk::verify::ConfigError> {
    /// use clerk_sdk::verify::Verifier;
    /// use std::time::Duration;
    /// let builder = Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?
    ///     .leeway(Duration::from_secs(10));
    /// # Ok(()) }
    /// # run().unwrap();
    /// ```
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Requires `iss` to equal this (your Frontend API URL, such as
    /// `https://clerk.example.com`). Unchecked by default.
    ///
    /// ```
    /// # fn run() -> Result<(), clerk_sdk::verify::ConfigError> {
    /// use clerk_sdk::verify::Verifier;
    /// let builder = Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?
    ///     .issuer("https://clerk.example.com");
    /// # Ok(()) }
    /// # run().unwrap();
    /// ```
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// Origins allowed in `azp` (such as `https://app.example.com`), compared exactly. When
    /// set, a token with another `azp` is refused; this stops a token minted for one of your
    /// sites from being replayed against another. Unchecked by default.
    ///
    /// ```
    /// # fn run() -> Result<(), clerk_sdk::verify::ConfigError> {
    /// use clerk_sdk::verify::Verifier;
    /// let builder = Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?
    ///     .authorized_parties(["https://app.example.com", "https://admin.example.com"]);
    /// # Ok(()) }
    /// # run().unwrap();
    /// ```
    pub fn authorized_parties<I, S>(mut self, parties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.authorized_parties = parties.into_iter().map(Into::into).collect();
        self
    }

    /// Also refuses tokens without `azp` when authorized parties are set. Off by default,
    /// as in Clerk's SDKs: Clerk omits `azp` when the browser sent no `Origin`, and tokens
    /// minted through the Backend API have none.
    ///
    /// ```
    /// # fn run() -> Result<(), clerk_sdk::verify::ConfigError> {
    /// use clerk_sdk::verify::Verifier;
    /// let builder = Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?
    ///     .authorized_parties(["https://app.example.com"])
    ///     .require_authorized_party(true);
    /// # Ok(()) }
    /// # run().unwrap();
    /// ```
    pub fn require_authorized_party(mut self, require: bool) -> Self {
        self.require_authorized_party = require;
        self
    }

    /// Accepts sessions whose `sts` is `pending` (signed in, with a task such as choosing an
    /// organization still to do). Refused by default.
    ///
    /// ```
    /// # fn run() -> Result<(), clerk_sdk::verify::ConfigError> {
    /// use clerk_sdk::verify::Verifier;
    /// let builder = Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?
    ///     .allow_pending_sessions(true);
    /// # Ok(()) }
    /// # run().unwrap();
    /// ```
    pub fn allow_pending_sessions(mut self, allow: bool) -> Self {
        self.allow_pending = allow;
        self
    }

    /// Also accepts tokens made from JWT templates: their `cat` category is allowed and `sid`
    /// is not required. Off by default (session tokens only).
    ///
    /// ```
    /// # fn run() -> Result<(), clerk_sdk::verify::ConfigError> {
    /// use clerk_sdk::verify::Verifier;
    /// let builder = Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?
    ///     .accept_jwt_templates(true);
    /// # Ok(()) }
    /// # run().unwrap();
    /// ```
    pub fn accept_jwt_templates(mut self, accept: bool) -> Self {
        self.accept_templates = accept;
        self
    }

    /// The largest token accepted, in bytes (default [`DEFAULT_MAX_TOKEN_LEN`]).
    ///
    /// ```
    /// # fn run() -> Result<(), clerk_sdk::verify::ConfigError> {
    /// use clerk_sdk::verify::Verifier;
    /// let builder = Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?
    ///     .max_token_len(16 * 1024);
    /// # Ok(()) }
    /// # run().unwrap();
    /// ```
    pub fn max_token_len(mut self, bytes: usize) -> Self {
        self.max_token_len = bytes;
        self
    }

    /// How long fetched keys are used before a refresh (default 1 h), counted from the fetch.
    ///
    /// ```
    /// # fn run() -> Result<(), clerk_sdk::verify::ConfigError> {
    /// use clerk_sdk::verify::Verifier;
    /// use std::time::Duration;
    /// let builder = Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?
    ///     .jwks_ttl(Duration::from_secs(600));
    /// # Ok(()) }
    /// # run().unwrap();
    /// ```
    pub fn jwks_ttl(mut self, ttl: Duration) -> Self {
        self.cache.ttl = ttl;
        self
    }

    /// How long cached keys stay usable when the JWKS endpoint keeps failing (default 24 h),
    /// counted from the fetch.
    ///
    /// ```
    /// # fn run() -> Result<(), clerk_sdk::verify::ConfigError> {
    /// use clerk_sdk::verify::Verifier;
    /// use std::time::Duration;
    /// let builder = Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?
    ///     .jwks_max_stale(Duration::from_secs(6 * 3600));
    /// # Ok(()) }
    /// # run().unwrap();
    /// ```
    pub fn jwks_max_stale(mut self, max_stale: Duration) -> Self {
        self.cache.max_stale = max_stale;
        self
    }

    /// The least time between two fetches triggered by unknown `kid`s or after a failure
    /// (default 5 s).
    ///
    /// ```
    /// # fn run() -> Result<(), clerk_sdk::verify::ConfigError> {
    /// use clerk_sdk::verify::Verifier;
    /// use std::time::Duration;
    /// let builder = Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?
    ///     .jwks_min_refresh_interval(Duration::from_secs(30));
    /// # Ok(()) }
    /// # run().unwrap();
    /// ```
    pub fn jwks_min_refresh_interval(mut self, interval: Duration) -> Self {
        self.cache.min_refresh_interval = interval;
        self
    }

    /// Timeout of one JWKS request, body included (default 5 s).
    ///
    /// ```
    /// # fn run() -> Result<(), clerk_sdk::verify::ConfigError> {
    /// use clerk_sdk::verify::Verifier;
    /// use std::time::Duration;
    /// let builder = Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?
    ///     .jwks_fetch_timeout(Duration::from_secs(2));
    /// # Ok(()) }
    /// # run().unwrap();
    /// ```
    pub fn jwks_fetch_timeout(mut self, timeout: Duration) -> Self {
        self.cache.fetch_timeout = timeout;
        self
    }

    /// Allows an `http://` JWKS URL on a host other than the loopback. Off by default: keys
    /// fetched in clear text can be replaced in transit.
    ///
    /// ```
    /// # fn run() -> Result<(), clerk_sdk::verify::ConfigError> {
    /// use clerk_sdk::verify::Verifier;
    /// // A clerk-server on another machine of a private network.
    /// let verifier = Verifier::builder_jwks_url("http://10.0.0.5:8080/.well-known/jwks.json")?
    ///     .allow_plain_http(true)
    ///     .build()?;
    /// # Ok(()) }
    /// # run().unwrap();
    /// ```
    pub fn allow_plain_http(mut self, allow: bool) -> Self {
        self.allow_plain_http = allow;
        self
    }

    /// The HTTP client for JWKS fetches (to share a connection pool). By default the
    /// verifier builds its own, without redirects, when it first needs one.
    ///
    /// ```
    /// # fn run() -> Result<(), clerk_sdk::verify::ConfigError> {
    /// use clerk_sdk::verify::Verifier;
    /// let builder = Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?
    ///     .http_client(reqwest::Client::new());
    /// # Ok(()) }
    /// # run().unwrap();
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The time source (default [`SystemClock`]); tests use a [`ManualClock`].
    ///
    /// ```
    /// use std::sync::Arc;
    /// use clerk_sdk::verify::{ManualClock, Verifier};
    /// let clock = Arc::new(ManualClock::at_unix(1_700_000_000));
    /// let builder = Verifier::builder_pem("-----BEGIN PUBLIC KEY-----...").clock(clock);
    /// ```
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// How many verified tokens to keep so that a repeated token skips the signature check
    /// ([`DEFAULT_VERIFIED_TOKEN_CACHE`] by default; `0` turns the cache off). See
    /// [the verified-token cache](self#the-verified-token-cache) for why a hit is safe.
    ///
    /// ```
    /// let uncached = clerk_sdk::verify::Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?
    ///     .verified_token_cache(0)
    ///     .build()?;
    /// # Ok::<(), clerk_sdk::verify::ConfigError>(())
    /// ```
    pub fn verified_token_cache(mut self, tokens: usize) -> Self {
        self.verified_tokens = tokens;
        self
    }

    /// Builds the verifier. A PEM key is parsed here, once.
    ///
    /// ```
    /// use clerk_sdk::verify::Verifier;
    /// let err = Verifier::builder_pem("not a key").build().unwrap_err();
    /// assert!(err.to_string().contains("PEM"), "{err}");
    /// let verifier = Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?.build()?;
    /// # Ok::<(), clerk_sdk::verify::ConfigError>(())
    /// ```
    ///
    /// # Errors
    /// A PEM that is not an RSA public key of 2048 to 8192 bits; a JWKS URL that is not
    /// `https` (or `http` on the loopback); a TTL longer than the maximum stale age.
    pub fn build(self) -> Result<Verifier, ConfigError> {
        let browser = match &self.publishable_key {
            Some(key) => Some(browser::BrowserConfig::new(
                key,
                self.frontend_api_url.as_deref(),
            )?),
            None => None,
        };
        let keys = match self.source {
            KeySource::Pem(pem) => Keys::Pem(Arc::new(VerifyingKey::from_pem(&pem)?)),
            KeySource::JwksUrl { url, headers } => {
                check_jwks_url(&url, self.allow_plain_http)?;
                if self.cache.ttl > self.cache.max_stale {
                    return Err(ConfigError::new(
                        "the JWKS TTL must not exceed the maximum stale age",
                    ));
                }
                let http = match self.http {
                    Some(client) => client,
                    None => default_http_client()?,
                };
                Keys::Jwks(Arc::new(JwksCache::new(
                    url,
                    headers,
                    http,
                    self.cache,
                    Arc::clone(&self.clock),
                )))
            }
        };
        let policy = Policy {
            leeway_secs: i64::try_from(self.leeway.as_secs()).unwrap_or(i64::MAX),
            issuer: self.issuer,
            authorized_parties: self.authorized_parties,
            require_authorized_party: self.require_authorized_party,
            allow_pending: self.allow_pending,
            require_session_id: !self.accept_templates,
        };
        let accept = if self.accept_templates {
            Accept::SessionOrTemplate
        } else {
            Accept::Session
        };
        Ok(Verifier {
            inner: Arc::new(Inner {
                keys,
                machine_policy: machine::policy_for_machines(&policy),
                policy,
                accept,
                max_token_len: self.max_token_len,
                clock: self.clock,
                browser,
                verified: VerifiedTokens::new(self.verified_tokens),
            }),
        })
    }
}

fn check_jwks_url(url: &Url, allow_plain_http: bool) -> Result<(), ConfigError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if allow_plain_http || is_loopback(url) => Ok(()),
        "http" => Err(ConfigError::new(format!(
            "the JWKS URL {url} is plain http on a remote host; use https (or allow_plain_http)"
        ))),
        other => Err(ConfigError::new(format!(
            "the JWKS URL must be http(s), not {other}"
        ))),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn default_http_client() -> Result<reqwest::Client, ConfigError> {
    reqwest::Client::builder()
        // A redirect could carry the Authorization header elsewhere; JWKS endpoints don't
        // redirect.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| ConfigError::new(format!("could not build the HTTP client: {e}")))
}

/// Verifies Clerk session tokens without calling Clerk (see the [module docs](self)).
///
/// Cheap to clone: clones share the configuration and the key cache. Build one per Clerk
/// instance at startup and keep it (for example in axum state or a
/// `middleware::ClerkLayer` of the `axum` feature).
///
/// ```no_run
/// # async fn run(token: &str) -> Result<(), Box<dyn std::error::Error>> {
/// let verifier = clerk_sdk::Verifier::from_jwks_url("https://clerk.example.com/.well-known/jwks.json")?;
/// let claims = verifier.verify_token(token).await?;
/// println!("signed in as {}", claims.user_id());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Verifier {
    inner: Arc<Inner>,
}

struct Inner {
    keys: Keys,
    policy: Policy,
    /// The policy of JWT-format machine tokens: time and issuer only.
    machine_policy: Policy,
    accept: Accept,
    max_token_len: usize,
    clock: Arc<dyn Clock>,
    browser: Option<browser::BrowserConfig>,
    verified: Option<VerifiedTokens>,
}

enum Keys {
    Pem(Arc<VerifyingKey>),
    Jwks(Arc<JwksCache>),
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Verifier");
        match &self.inner.keys {
            Keys::Pem(_) => s.field("keys", &"pem"),
            Keys::Jwks(cache) => s.field("jwks_url", &cache.url().as_str()),
        };
        s.field("policy", &self.inner.policy)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// A builder for keys from `source`.
    ///
    /// ```
    /// # fn run(clerk: clerk_sdk::Clerk) -> Result<(), Box<dyn std::error::Error>> {
    /// use clerk_sdk::verify::Verifier;
    /// // The Backend API's GET /v1/jwks, with the client's secret key.
    /// let verifier = Verifier::builder(clerk.backend_api_jwks()?).build()?;
    /// # Ok(()) }
    /// ```
    pub fn builder(source: KeySource) -> VerifierBuilder {
        VerifierBuilder::new(source)
    }

    /// A builder for a PEM public key (`CLERK_JWT_KEY`): networkless.
    ///
    /// ```
    /// let builder = clerk_sdk::verify::Verifier::builder_pem(std::env::var("CLERK_JWT_KEY").unwrap_or_default());
    /// ```
    pub fn builder_pem(pem: impl Into<String>) -> VerifierBuilder {
        VerifierBuilder::new(KeySource::Pem(pem.into()))
    }

    /// A builder for keys from a JWKS URL, without extra headers.
    ///
    /// ```
    /// let builder = clerk_sdk::verify::Verifier::builder_jwks_url("https://clerk.example.com/.well-known/jwks.json")?
    ///     .issuer("https://clerk.example.com");
    /// # Ok::<(), clerk_sdk::verify::ConfigError>(())
    /// ```
    ///
    /// # Errors
    /// When `url` does not parse.
    pub fn builder_jwks_url(url: impl AsRef<str>) -> Result<VerifierBuilder, ConfigError> {
        let url = Url::parse(url.as_ref())
            .map_err(|e| ConfigError::new(format!("the JWKS URL does not parse: {e}")))?;
        Ok(VerifierBuilder::new(KeySource::JwksUrl {
            url,
            headers: HeaderMap::new(),
        }))
    }

    /// A verifier for a PEM public key, with default checks.
    ///
    /// ```
    /// # use aws_lc_rs::{encoding::AsDer, rsa::{KeyPair, KeySize}, signature::KeyPair as _};
    /// # use base64::Engine as _;
    /// # let key_pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
    /// # let spki = key_pair.public_key().as_der().unwrap();
    /// # let body = base64::engine::general_purpose::STANDARD.encode(spki.as_ref());
    /// // As shown in the Clerk dashboard ("JWT public key"), or from CLERK_JWT_KEY.
    /// let pem = format!("-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----");
    /// let verifier = clerk_sdk::verify::Verifier::from_pem(&pem).unwrap();
    /// assert!(verifier.verify_token_cached("not.a.token").is_err());
    /// ```
    ///
    /// # Errors
    /// When the PEM is not an RSA public key of 2048 to 8192 bits.
    pub fn from_pem(pem: &str) -> Result<Verifier, ConfigError> {
        Self::builder_pem(pem).build()
    }

    /// A verifier for keys from a JWKS URL, with default checks.
    ///
    /// ```
    /// let verifier = clerk_sdk::verify::Verifier::from_jwks_url("https://clerk.example.com/.well-known/jwks.json")?;
    /// # Ok::<(), clerk_sdk::verify::ConfigError>(())
    /// ```
    ///
    /// # Errors
    /// When the URL does not parse or is plain `http` to a remote host.
    pub fn from_jwks_url(url: &str) -> Result<Verifier, ConfigError> {
        Self::builder_jwks_url(url)?.build()
    }

    /// A verifier configured from `CLERK_JWT_KEY` or `CLERK_JWKS_URL`, with default checks.
    ///
    /// ```no_run
    /// let verifier = clerk_sdk::verify::Verifier::from_env()?;
    /// # Ok::<(), clerk_sdk::verify::ConfigError>(())
    /// ```
    ///
    /// # Errors
    /// See [`VerifierBuilder::from_env`] and [`VerifierBuilder::build`].
    pub fn from_env() -> Result<Verifier, ConfigError> {
        VerifierBuilder::from_env()?.build()
    }

    /// Verifies a session token and returns its claims.
    ///
    /// In JWKS mode this fetches keys when the token's `kid` is not cached (see the
    /// [module docs](self) for the cache rules); otherwise it does no I/O and never waits.
    ///
    /// ```
    /// # async fn run(verifier: clerk_sdk::verify::Verifier, token: &str) {
    /// match verifier.verify_token(token).await {
    ///     Ok(claims) => println!("user {} in session {:?}", claims.sub, claims.sid),
    ///     Err(why) => println!("signed out: {}", why.reason()),
    /// }
    /// # }
    /// ```
    ///
    /// # Errors
    /// A [`VerifyError`] whose [`reason`](VerifyError::reason) says why the token was refused.
    pub async fn verify_token(&self, token: &str) -> Result<Claims, VerifyError> {
        let inner = &*self.inner;
        let slot = match inner.recall(token) {
            Ok(claims) => return Ok(claims),
            Err(slot) => slot,
        };
        let unverified = jwt::parse(token, inner.max_token_len, inner.accept)?;
        match &inner.keys {
            Keys::Pem(key) => inner.finish(slot, token, &unverified, key, None),
            Keys::Jwks(cache) => {
                let kid = required_kid(&unverified)?;
                let key = cache.key_for(kid).await?;
                inner.finish(slot, token, &unverified, &key, Some(kid))
            }
        }
    }

    /// Verifies a session token using only the keys in hand: the PEM key, or the JWKS keys
    /// cached right now. Never does I/O, never waits; a `kid` that is not cached is
    /// [`Reason::UnknownKey`] (or [`Reason::KeysUnavailable`] before the first fetch).
    ///
    /// For synchronous code paths; async code should prefer [`verify_token`](Self::verify_token).
    ///
    /// ```
    /// # fn run(verifier: &clerk_sdk::verify::Verifier, token: &str) -> Result<(), clerk_sdk::verify::VerifyError> {
    /// let claims = verifier.verify_token_cached(token)?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`verify_token`](Self::verify_token).
    pub fn verify_token_cached(&self, token: &str) -> Result<Claims, VerifyError> {
        let inner = &*self.inner;
        let slot = match inner.recall(token) {
            Ok(claims) => return Ok(claims),
            Err(slot) => slot,
        };
        let unverified = jwt::parse(token, inner.max_token_len, inner.accept)?;
        match &inner.keys {
            Keys::Pem(key) => inner.finish(slot, token, &unverified, key, None),
            Keys::Jwks(cache) => {
                let kid = required_kid(&unverified)?;
                let key = cache.cached_key(kid)?;
                inner.finish(slot, token, &unverified, &key, Some(kid))
            }
        }
    }

    /// Verifies a session token and requires it to belong to `session_id` (its `sid`).
    ///
    /// This is the networkless form of the Backend API's deprecated
    /// `POST /v1/sessions/{id}/verify`. It cannot see a revocation that happened after the
    /// token was issued (see the [module docs](self#revocation)).
    ///
    /// ```
    /// # async fn run(verifier: clerk_sdk::verify::Verifier, token: &str) -> Result<(), clerk_sdk::verify::VerifyError> {
    /// let claims = verifier.verify_session_token("sess_2x", token).await?;
    /// assert_eq!(claims.sid.as_deref(), Some("sess_2x"));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`verify_token`](Self::verify_token), plus [`Reason::SessionMismatch`].
    pub async fn verify_session_token(
        &self,
        session_id: &str,
        token: &str,
    ) -> Result<Claims, VerifyError> {
        let claims = self.verify_token(token).await?;
        if claims.sid.as_deref() != Some(session_id) {
            return Err(VerifyError::with_detail(
                Reason::SessionMismatch,
                match &claims.sid {
                    Some(sid) => format!("the token is for session {sid}, not {session_id}"),
                    None => format!("the token has no session id (sid), expected {session_id}"),
                },
            ));
        }
        Ok(claims)
    }

    /// Fetches the JWKS now, for example at startup so that the first request does not wait.
    /// Does nothing for a PEM key.
    ///
    /// ```
    /// # async fn run(verifier: clerk_sdk::verify::Verifier) {
    /// // At startup: the first request will not wait for the JWKS.
    /// if let Err(e) = verifier.refresh_keys().await {
    ///     eprintln!("JWKS not reachable yet: {e}");
    /// }
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Reason::KeysUnavailable`] when the fetch fails (cached keys are kept).
    pub async fn refresh_keys(&self) -> Result<(), VerifyError> {
        match &self.inner.keys {
            Keys::Pem(_) => Ok(()),
            Keys::Jwks(cache) => cache.refresh_now().await,
        }
    }

    /// Authenticates a request.
    ///
    /// Without a [publishable key](VerifierBuilder::publishable_key): the `Authorization:
    /// Bearer` token, else the `__session` cookie, verified.
    ///
    /// With one, as `@clerk/backend`'s `authenticateRequest`: a bearer token is verified;
    /// otherwise the browser's cookies decide, suffixed (`__session_<suffix>`, see
    /// [`cookie_suffix`]) or not as Clerk decides. A development instance (`pk_test_`)
    /// needs the development browser token (`__clerk_db_jwt`); no `__session` and no
    /// `__client_uat` is signed out; one without the other, a token issued before
    /// `__client_uat`, or an expired (or not yet valid) token asks for a
    /// [handshake](AuthState::Handshake) when the request is a page load, and is signed out
    /// otherwise. Each case has its [`Reason`]. The handshake's `redirect_url` is the
    /// request's URL: its `Host` header (else the target's authority), path and query,
    /// `https` when the target is absolute `https` or `X-Forwarded-Proto` says so, else `http`.
    ///
    /// ```
    /// # async fn run(verifier: clerk_sdk::verify::Verifier) {
    /// use clerk_sdk::verify::{AuthState, Reason};
    ///
    /// let (parts, ()) = http::Request::new(()).into_parts();
    /// match verifier.authenticate_request(&parts).await {
    ///     AuthState::SignedIn(claims) => println!("hello {}", claims.sub),
    ///     AuthState::Handshake { location, .. } => println!("redirect to {location}"),
    ///     AuthState::SignedOut(why) => assert_eq!(why.reason(), Reason::TokenMissing),
    ///     _ => {}
    /// }
    /// # }
    /// ```
    pub async fn authenticate_request(&self, parts: &http::request::Parts) -> AuthState {
        if let Some(config) = &self.inner.browser {
            return browser::authenticate(self, config, parts).await;
        }
        let Some(token) = session_token_from_headers(&parts.headers) else {
            return AuthState::missing();
        };
        self.state_of(self.verify_token(token).await)
    }

    fn state_of(&self, verified: Result<Claims, VerifyError>) -> AuthState {
        match verified {
            Ok(claims) => AuthState::SignedIn(Box::new(claims)),
            Err(error) => {
                tracing::debug!(reason = %error.reason(), "session token rejected");
                AuthState::SignedOut(error)
            }
        }
    }
}

impl Verifier {
    /// Identifies this verifier and its clones (they share one configuration and cache).
    #[cfg_attr(not(feature = "axum"), allow(dead_code))]
    pub(crate) fn identity(&self) -> usize {
        Arc::as_ptr(&self.inner) as usize
    }
}

fn required_kid<'a>(token: &'a jwt::Unverified<'_>) -> Result<&'a str, VerifyError> {
    token
        .kid
        .as_deref()
        .ok_or_else(|| VerifyError::new(Reason::KeyIdMissing))
}

impl Inner {
    /// The claims of `token` if this verifier verified exactly this token before and it still
    /// passes (time, policy, its key still current); otherwise its cache slot, if caching.
    fn recall(&self, token: &str) -> Result<Claims, Option<u64>> {
        let Some(verified) = &self.verified else {
            return Err(None);
        };
        let slot = verified.slot(token);
        let key_current = |key: &Arc<VerifyingKey>, kid: Option<&str>| match (&self.keys, kid) {
            (Keys::Pem(pem), _) => Arc::ptr_eq(pem, key),
            (Keys::Jwks(cache), Some(kid)) => cache
                .current_key(kid)
                .is_some_and(|current| Arc::ptr_eq(&current, key)),
            (Keys::Jwks(_), None) => false,
        };
        if !verified.recall(slot, token, key_current) {
            return Err(Some(slot));
        }
        let claims = jwt::payload_of_parsed(token).and_then(|payload| claims::decode(&payload));
        match claims {
            Ok(claims) if self.policy.check(&claims, self.now()).is_ok() => Ok(claims),
            _ => {
                verified.forget(slot);
                Err(Some(slot))
            }
        }
    }

    /// Signature, then claims, then policy; a success is kept in the verified-token cache.
    fn finish(
        &self,
        slot: Option<u64>,
        raw: &str,
        token: &jwt::Unverified<'_>,
        key: &Arc<VerifyingKey>,
        kid: Option<&str>,
    ) -> Result<Claims, VerifyError> {
        key.verify(token.signing_input.as_bytes(), &token.signature)?;
        let claims = claims::decode(&token.payload)?;
        self.policy.check(&claims, self.now())?;
        if let (Some(verified), Some(slot)) = (&self.verified, slot) {
            verified.remember(slot, raw, key, kid);
        }
        Ok(claims)
    }

    fn now(&self) -> i64 {
        i64::try_from(self.clock.now().as_secs()).unwrap_or(i64::MAX)
    }
}
