//! Server configuration.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

mod settings;
mod smtp;

pub(crate) use settings::Settings;
pub use smtp::SmtpConfig;

use crate::clock::Clock;
use crate::secret::Secret;

/// Where `clerk serve` listens by default.
///
/// ```
/// assert_eq!(clerk_server::Config::default().listen().to_string(), clerk_server::DEFAULT_LISTEN);
/// ```
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// The database `clerk serve` uses by default: a SQLite file in the working directory.
///
/// ```
/// use clerk_server::{Config, DEFAULT_DATABASE_URL};
///
/// assert_eq!(Config::default().database_url(), DEFAULT_DATABASE_URL);
/// ```
pub const DEFAULT_DATABASE_URL: &str = "sqlite://clerk-local.db";
/// The largest request body accepted by default (larger is 413 `request_body_too_large`).
///
/// ```
/// use clerk_server::{Config, DEFAULT_MAX_BODY_BYTES};
///
/// // Accept imports of up to 4 MiB instead of the default 1 MiB.
/// let config = Config::default().with_max_body_bytes(4 * DEFAULT_MAX_BODY_BYTES);
/// assert!(format!("{config:?}").contains("max_body_bytes: 4194304"));
/// ```
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
/// How many failed password checks lock a user by default (Clerk's default for new
/// instances since July 2026).
///
/// ```
/// use clerk_server::{Config, DEFAULT_LOCKOUT_ATTEMPTS};
///
/// // Allow more attempts than Clerk's default.
/// let config = Config::default().with_lockout_attempts(Some(DEFAULT_LOCKOUT_ATTEMPTS * 10));
/// assert!(format!("{config:?}").contains("lockout_attempts: Some(100)"));
/// ```
pub const DEFAULT_LOCKOUT_ATTEMPTS: u32 = 10;
/// How long shutdown waits for the requests in flight by default.
///
/// ```
/// use clerk_server::{Config, DEFAULT_SHUTDOWN_GRACE};
///
/// // A deployment that must stop faster than the default.
/// let config = Config::default().with_shutdown_grace(DEFAULT_SHUTDOWN_GRACE / 5);
/// assert!(format!("{config:?}").contains("shutdown_grace: 2s"));
/// ```
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// How long a request body may take to arrive by default (longer is 408 `request_timeout`).
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

const DAY: Duration = Duration::from_secs(86_400);

/// Svix's retry schedule, which webhook deliveries follow by default: the waits after the
/// first, second, … failed attempt (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); after the
/// eighth failure the message has failed for that endpoint.
///
/// ```
/// use std::time::Duration;
/// use clerk_server::DEFAULT_WEBHOOK_RETRY_SCHEDULE;
///
/// assert_eq!(DEFAULT_WEBHOOK_RETRY_SCHEDULE[0], Duration::from_secs(5));
/// assert_eq!(DEFAULT_WEBHOOK_RETRY_SCHEDULE.len() + 1, 8); // attempts in all
/// ```
pub const DEFAULT_WEBHOOK_RETRY_SCHEDULE: [Duration; 7] = crate::notify::delivery::SVIX_SCHEDULE;
/// How long a webhook endpoint has to answer (Svix's 15 s); longer is a failed attempt.
pub const DEFAULT_WEBHOOK_TIMEOUT: Duration = crate::notify::delivery::ATTEMPT_TIMEOUT;

/// How the server runs. Start from [`Config::default`] or [`Config::new`] and adjust with
/// the `with_*` methods.
///
/// ```
/// use std::time::Duration;
/// use clerk_server::Config;
///
/// let config = Config::new("sqlite:///tmp/clerk-example.db")
///     .with_listen("127.0.0.1:0".parse().unwrap())
///     .with_secret_key("sk_test_example")
///     .with_session_lifetime(Duration::from_secs(3600));
/// assert_eq!(config.database_url(), "sqlite:///tmp/clerk-example.db");
/// // Secrets never show in Debug output.
/// assert!(!format!("{config:?}").contains("sk_test_example"));
/// ```
#[derive(Clone)]
pub struct Config {
    pub(crate) database_url: String,
    pub(crate) listen: SocketAddr,
    pub(crate) secret_key: Option<Secret>,
    pub(crate) master_key: Option<Secret>,
    pub(crate) issuer: Option<String>,
    pub(crate) session_lifetime: Duration,
    pub(crate) session_inactivity_timeout: Duration,
    pub(crate) session_token_lifetime: Duration,
    pub(crate) client_token_lifetime: Duration,
    pub(crate) key_grace_period: Duration,
    pub(crate) lockout_duration: Option<Duration>,
    pub(crate) lockout_attempts: Option<u32>,
    pub(crate) max_body_bytes: usize,
    pub(crate) body_read_timeout: Duration,
    pub(crate) max_connections: u32,
    pub(crate) header_read_timeout: Duration,
    pub(crate) max_open_connections: Option<usize>,
    pub(crate) shutdown_grace: Duration,
    pub(crate) smtp: Option<SmtpConfig>,
    pub(crate) webhooks: Vec<String>,
    pub(crate) webhook_retry_schedule: Vec<Duration>,
    pub(crate) webhook_timeout: Duration,
    pub(crate) clock: Clock,
}

impl Default for Config {
    /// `sqlite://clerk-local.db` on `127.0.0.1:8080`, with Clerk's defaults: sessions last
    /// 7 days (abandoned after 30 days), session tokens 60 s, locks 1 hour.
    fn default() -> Self {
        Self {
            database_url: DEFAULT_DATABASE_URL.to_owned(),
            listen: DEFAULT_LISTEN.parse().expect("valid default address"),
            secret_key: None,
            master_key: None,
            issuer: None,
            session_lifetime: 7 * DAY,
            session_inactivity_timeout: 30 * DAY,
            session_token_lifetime: Duration::from_secs(60),
            client_token_lifetime: 365 * DAY,
            key_grace_period: DAY,
            lockout_duration: Some(Duration::from_secs(3600)),
            lockout_attempts: Some(DEFAULT_LOCKOUT_ATTEMPTS),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
            max_connections: 10,
            header_read_timeout: crate::server::HEADER_READ_TIMEOUT,
            max_open_connections: None,
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
            smtp: None,
            webhooks: Vec::new(),
            webhook_retry_schedule: DEFAULT_WEBHOOK_RETRY_SCHEDULE.to_vec(),
            webhook_timeout: DEFAULT_WEBHOOK_TIMEOUT,
            clock: Clock::system(),
        }
    }
}

impl Config {
    /// The defaults with another database: `postgres://…`, `sqlite://path`, or a file path.
    ///
    /// ```
    /// use clerk_server::Config;
    ///
    /// let config = Config::new("postgres://clerk@127.0.0.1:5432/clerk");
    /// assert_eq!(config.database_url(), "postgres://clerk@127.0.0.1:5432/clerk");
    /// // Everything else keeps its default.
    /// assert_eq!(config.listen(), Config::default().listen());
    /// ```
    pub fn new(database_url: impl Into<String>) -> Self {
        Self::default().with_database_url(database_url)
    }

    /// The database: `postgres://…` (or `postgresql://…`), `sqlite://path`, or a plain
    /// file path (a SQLite file, created and migrated on first start).
    ///
    /// ```
    /// use clerk_server::Config;
    ///
    /// let config = Config::default().with_database_url("/var/lib/clerk/clerk.db");
    /// assert_eq!(config.database_url(), "/var/lib/clerk/clerk.db");
    /// ```
    pub fn with_database_url(mut self, url: impl Into<String>) -> Self {
        self.database_url = url.into();
        self
    }

    /// The address to listen on; port 0 picks a free port.
    ///
    /// ```
    /// use clerk_server::Config;
    ///
    /// let config = Config::default().with_listen("0.0.0.0:3000".parse().unwrap());
    /// assert_eq!(config.listen().port(), 3000);
    /// ```
    pub fn with_listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// A secret key to accept (recorded in the database, so every replica accepts it).
    /// Without one, a key is generated on first start and reported by
    /// [`crate::Server::generated_secret_key`].
    ///
    /// ```
    /// use clerk_server::Config;
    ///
    /// let config = Config::default().with_secret_key("sk_test_local_development_key");
    /// // Debug output redacts it.
    /// assert!(format!("{config:?}").contains("Secret([redacted])"));
    /// ```
    pub fn with_secret_key(mut self, key: impl Into<Secret>) -> Self {
        self.secret_key = Some(key.into());
        self
    }

    /// The master key that seals secrets at rest (the signing keys' private keys): at least
    /// 32 characters of random text, for example `openssl rand -base64 32`. Without one, a
    /// SQLite database gets a key file beside it (`<database>.key`, created 0600), and a
    /// PostgreSQL one is sealed with the secret key. Give replicas the same master key.
    /// Keys sealed before under another available source are sealed anew under it at start.
    ///
    /// ```
    /// use clerk_server::Config;
    ///
    /// let config = Config::new("postgres://clerk@db/clerk")
    ///     .with_master_key("k8FJ3Zr0v1yQ0m2V7Qh6e4gqX0yq1mJmXv5s5J8m3kQ=");
    /// // Debug output redacts it.
    /// assert!(format!("{config:?}").contains("master_key: Some(Secret([redacted]))"));
    /// ```
    pub fn with_master_key(mut self, key: impl Into<Secret>) -> Self {
        self.master_key = Some(key.into());
        self
    }

    /// The `iss` of session tokens, i.e. where verifiers would find
    /// `/.well-known/jwks.json`. Defaults to the server's base URL. Set it when replicas sit
    /// behind a load balancer, so all of them issue the same `iss`.
    ///
    /// ```
    /// use clerk_server::Config;
    ///
    /// // A trailing slash is dropped, so every replica issues the same `iss`.
    /// let config = Config::default().with_issuer("https://clerk.internal.example/");
    /// assert!(format!("{config:?}").contains(r#"issuer: Some("https://clerk.internal.example")"#));
    /// ```
    pub fn with_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into().trim_end_matches('/').to_owned());
        self
    }

    /// How long a session stays active after it is created (default 7 days). Past it the
    /// session reads as `expired` and no longer gets tokens.
    ///
    /// ```
    /// use std::time::Duration;
    /// use clerk_server::Config;
    ///
    /// let config = Config::default().with_session_lifetime(Duration::from_secs(12 * 3600));
    /// assert!(format!("{config:?}").contains("session_lifetime: 43200s"));
    /// ```
    pub fn with_session_lifetime(mut self, lifetime: Duration) -> Self {
        self.session_lifetime = lifetime;
        self
    }

    /// The session's `abandon_at` distance from creation (default 30 days).
    ///
    /// ```
    /// use std::time::Duration;
    /// use clerk_server::Config;
    ///
    /// let config = Config::default().with_session_inactivity_timeout(Duration::from_secs(86_400));
    /// assert!(format!("{config:?}").contains("session_inactivity_timeout: 86400s"));
    /// ```
    pub fn with_session_inactivity_timeout(mut self, timeout: Duration) -> Self {
        self.session_inactivity_timeout = timeout;
        self
    }

    /// The default lifetime of session tokens (default 60 s, Clerk's), used when a token
    /// request has no `expires_in_seconds`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use clerk_server::Config;
    ///
    /// let config = Config::default().with_session_token_lifetime(Duration::from_secs(300));
    /// assert!(format!("{config:?}").contains("session_token_lifetime: 300s"));
    /// ```
    pub fn with_session_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.session_token_lifetime = lifetime;
        self
    }

    /// The lifetime of client tokens from the local extension (default 365 days).
    ///
    /// ```
    /// use std::time::Duration;
    /// use clerk_server::Config;
    ///
    /// let config = Config::default().with_client_token_lifetime(Duration::from_secs(30 * 86_400));
    /// assert!(format!("{config:?}").contains("client_token_lifetime: 2592000s"));
    /// ```
    pub fn with_client_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.client_token_lifetime = lifetime;
        self
    }

    /// How long a rotated-out signing key stays in the JWKS (default 24 hours). Longer than
    /// any verifier's JWKS cache plus the longest token lifetime you issue.
    ///
    /// ```
    /// use std::time::Duration;
    /// use clerk_server::Config;
    ///
    /// let config = Config::default().with_key_grace_period(Duration::from_secs(2 * 3600));
    /// assert!(format!("{config:?}").contains("key_grace_period: 7200s"));
    /// ```
    pub fn with_key_grace_period(mut self, grace: Duration) -> Self {
        self.key_grace_period = grace;
        self
    }

    /// How long `POST /v1/users/{id}/lock` locks a user (default 1 hour); `None` locks until
    /// unlocked.
    ///
    /// ```
    /// use clerk_server::Config;
    ///
    /// // Locked users stay locked until `POST /v1/users/{id}/unlock`.
    /// let config = Config::default().with_lockout_duration(None);
    /// assert!(format!("{config:?}").contains("lockout_duration: None"));
    /// ```
    pub fn with_lockout_duration(mut self, duration: Option<Duration>) -> Self {
        self.lockout_duration = duration;
        self
    }

    /// How many failed password checks lock a user (default 10, Clerk's default for new
    /// instances); `None` turns the lockout off (`verification_attempts_remaining` is then
    /// `null`). Failed `POST /v1/users/{id}/verify_password` checks count, as sign-in
    /// attempts do; a right password starts the count over, and so does an unlock. A lock
    /// lasts [`Config::with_lockout_duration`].
    ///
    /// ```
    /// use clerk_server::Config;
    ///
    /// let config = Config::default().with_lockout_attempts(Some(3));
    /// assert!(format!("{config:?}").contains("lockout_attempts: Some(3)"));
    /// let off = Config::default().with_lockout_attempts(None);
    /// assert!(format!("{off:?}").contains("lockout_attempts: None"));
    /// ```
    pub fn with_lockout_attempts(mut self, attempts: Option<u32>) -> Self {
        self.lockout_attempts = attempts.map(|a| a.max(1));
        self
    }

    /// The largest request body accepted (default 1 MiB).
    ///
    /// ```
    /// use clerk_server::Config;
    ///
    /// let config = Config::default().with_max_body_bytes(64 * 1024);
    /// assert!(format!("{config:?}").contains("max_body_bytes: 65536"));
    /// ```
    pub fn with_max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// How long a request body may take to arrive once its headers have (default 30 s):
    /// a client that announces a `Content-Length` and then sends less gets 408
    /// `request_timeout` instead of holding the request open for ever.
    ///
    /// ```
    /// use std::time::Duration;
    /// use clerk_server::Config;
    ///
    /// let config = Config::default().with_body_read_timeout(Duration::from_secs(5));
    /// assert!(format!("{config:?}").contains("body_read_timeout: 5s"));
    /// ```
    pub fn with_body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// The size of the PostgreSQL connection pool (default 10).
    ///
    /// ```
    /// use clerk_server::Config;
    ///
    /// let config = Config::new("postgres://clerk@127.0.0.1/clerk").with_max_connections(32);
    /// assert!(format!("{config:?}").contains("max_connections: 32"));
    /// ```
    pub fn with_max_connections(mut self, connections: u32) -> Self {
        self.max_connections = connections;
        self
    }

    /// How long a client may take, from connecting or from its previous answer, to send a
    /// request's headers (default [`crate::HEADER_READ_TIMEOUT`], 30 s). Past it the
    /// connection is closed, whatever protocol it speaks or does not speak: one that sends
    /// nothing, a few bytes, or an HTTP/2 preface and no request is closed alike. It is
    /// also how long an idle keep-alive connection is kept.
    ///
    /// ```
    /// use std::time::Duration;
    /// use clerk_server::Config;
    ///
    /// let config = Config::default().with_header_read_timeout(Duration::from_secs(10));
    /// assert!(format!("{config:?}").contains("header_read_timeout: 10s"));
    /// ```
    pub fn with_header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// How many client connections may be open at once (default: derived from the
    /// process's file-descriptor limit, see [`crate::default_max_open_connections`]). A
    /// connection arriving at the bound closes the longest-idle open connection to make
    /// room, or, when every connection is busy with a request, is itself closed; the
    /// server logs (at most every 10 s) how many it shed.
    ///
    /// ```
    /// use clerk_server::Config;
    ///
    /// let config = Config::default().with_max_open_connections(2_000);
    /// assert!(format!("{config:?}").contains("max_open_connections: Some(2000)"));
    /// ```
    pub fn with_max_open_connections(mut self, connections: usize) -> Self {
        self.max_open_connections = Some(connections.max(1));
        self
    }

    /// How long [`crate::Server::serve`] waits, once told to stop, for the requests in
    /// flight (default 10 s); then their connections are closed and it returns. Password
    /// checks still running finish on their own threads, which do not hold the process.
    ///
    /// ```
    /// use std::time::Duration;
    /// use clerk_server::Config;
    ///
    /// let config = Config::default().with_shutdown_grace(Duration::from_secs(2));
    /// assert!(format!("{config:?}").contains("shutdown_grace: 2s"));
    /// ```
    pub fn with_shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }

    /// Relays every email of the outbox to an SMTP server as well.
    ///
    /// ```
    /// use clerk_server::{Config, SmtpConfig};
    ///
    /// // Every email of the outbox also goes to a local Mailpit.
    /// let config = Config::default().with_smtp(SmtpConfig::new("127.0.0.1", 1025));
    /// assert!(format!("{config:?}").contains(r#"host: "127.0.0.1", port: 1025"#));
    /// ```
    pub fn with_smtp(mut self, smtp: SmtpConfig) -> Self {
        self.smtp = Some(smtp);
        self
    }

    /// Delivers webhook events to `url` too (repeatable). At start the server reuses the
    /// endpoint registered for that URL, or registers one; [`Server::webhook_endpoints`]
    /// gives their secrets.
    ///
    /// [`Server::webhook_endpoints`]: crate::Server::webhook_endpoints
    ///
    /// ```
    /// use clerk_server::Config;
    ///
    /// let config = Config::default()
    ///     .with_webhook("http://127.0.0.1:3000/api/webhooks")
    ///     .with_webhook("https://user:hunter2@hooks.example/in");
    /// let shown = format!("{config:?}");
    /// assert!(shown.contains("127.0.0.1:3000/api/webhooks"));
    /// assert!(!shown.contains("hunter2"), "passwords in URLs never show");
    /// ```
    pub fn with_webhook(mut self, url: impl Into<String>) -> Self {
        self.webhooks.push(url.into());
        self
    }

    /// The waits between webhook delivery attempts (default
    /// [`DEFAULT_WEBHOOK_RETRY_SCHEDULE`]); tests compress it. An empty schedule makes one
    /// attempt only.
    ///
    /// ```
    /// use std::time::Duration;
    /// use clerk_server::Config;
    ///
    /// // Three retries, 100 ms apart.
    /// let config = Config::default().with_webhook_retry_schedule(vec![Duration::from_millis(100); 3]);
    /// assert!(format!("{config:?}").contains("webhook_retry_schedule: [100ms, 100ms, 100ms]"));
    /// ```
    pub fn with_webhook_retry_schedule(mut self, schedule: Vec<Duration>) -> Self {
        self.webhook_retry_schedule = schedule;
        self
    }

    /// How long a webhook endpoint has to answer (default [`DEFAULT_WEBHOOK_TIMEOUT`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// use clerk_server::Config;
    ///
    /// let config = Config::default().with_webhook_timeout(Duration::from_secs(2));
    /// assert!(format!("{config:?}").contains("webhook_timeout: 2s"));
    /// ```
    pub fn with_webhook_timeout(mut self, timeout: Duration) -> Self {
        self.webhook_timeout = timeout;
        self
    }

    /// The clock (default: the system clock). Tests pass a [`Clock::manual`] to move time.
    ///
    /// ```
    /// use clerk_server::{Clock, Config};
    ///
    /// let config = Config::default().with_clock(Clock::manual(1_700_000_000_000));
    /// assert_eq!(config.clock().now_ms(), 1_700_000_000_000);
    /// ```
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The configured database URL.
    ///
    /// ```
    /// assert_eq!(clerk_server::Config::default().database_url(), "sqlite://clerk-local.db");
    /// ```
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// The configured listen address.
    ///
    /// ```
    /// assert_eq!(clerk_server::Config::default().listen().to_string(), "127.0.0.1:8080");
    /// ```
    pub fn listen(&self) -> SocketAddr {
        self.listen
    }

    /// The configured clock.
    ///
    /// ```
    /// assert!(!clerk_server::Config::default().clock().is_adjustable()); // the system clock
    /// ```
    pub fn clock(&self) -> &Clock {
        &self.clock
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url_password(&self.database_url))
            .field("listen", &self.listen)
            .field("secret_key", &self.secret_key)
            .field("master_key", &self.master_key)
            .field("issuer", &self.issuer)
            .field("session_lifetime", &self.session_lifetime)
            .field(
                "session_inactivity_timeout",
                &self.session_inactivity_timeout,
            )
            .field("session_token_lifetime", &self.session_token_lifetime)
            .field("client_token_lifetime", &self.client_token_lifetime)
            .field("key_grace_period", &self.key_grace_period)
            .field("lockout_duration", &self.lockout_duration)
            .field("lockout_attempts", &self.lockout_attempts)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("body_read_timeout", &self.body_read_timeout)
            .field("max_connections", &self.max_connections)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("max_open_connections", &self.max_open_connections)
            .field("shutdown_grace", &self.shutdown_grace)
            .field("smtp", &self.smtp)
            .field(
                "webhooks",
                &self
                    .webhooks
                    .iter()
                    .map(|url| redact_url_password(url))
                    .collect::<Vec<_>>(),
            )
            .field("webhook_retry_schedule", &self.webhook_retry_schedule)
            .field("webhook_timeout", &self.webhook_timeout)
            .field("clock", &self.clock)
            .finish()
    }
}

/// A database URL with any password replaced by `***`, for logs.
pub(crate) fn redact_url_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(
            redact_url_password("postgres://u:hunter2@db:5432/x"),
            "postgres://u:***@db:5432/x"
        );
        assert_eq!(redact_url_password("sqlite://a.db"), "sqlite://a.db");
        let config = Config::new("postgres://u:hunter2@db/x").with_secret_key("sk_test_secret");
        let debug = format!("{config:?}");
        assert!(
            !debug.contains("hunter2") && !debug.contains("sk_test_secret"),
            "{debug}"
        );
    }
}
