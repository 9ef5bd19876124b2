//! [`TestServer`]: a real server on `127.0.0.1:0` with a throwaway database, for your tests.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use clerk_server::TestServer;
//!
//! let server = TestServer::start().await;
//! let user = server.create_user("ann@example.com").await;
//! let session = server.create_session(&user.id).await;
//! let token = server.session_token(&session.id).await;
//!
//! // Point your code (or a Clerk SDK) at the server:
//! assert!(server.api_url().ends_with("/v1"));
//! assert!(server.secret_key().starts_with("sk_test_"));
//! assert_eq!(token.split('.').count(), 3);
//! server.shutdown().await;
//! # }
//! ```

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower::ServiceExt;

use crate::clock::Clock;
use crate::config::{Config, DEFAULT_DATABASE_URL};
use crate::error::Error;
use crate::secret::Secret;
use crate::server::Server;
use crate::store::instance::generate_secret_key;

mod database;
mod organizations;
mod tickets;
mod users;

pub use organizations::TestOrganization;
pub use users::TotpEnrollment;

pub use database::TestDatabase;

/// Environment variable naming a PostgreSQL database for tests
/// (e.g. `postgres://postgres@127.0.0.1:5432/test`).
///
/// ```
/// use clerk_server::TestBackend;
/// use clerk_server::testing::POSTGRES_URL_ENV;
///
/// // What `test_backends` does with it: PostgreSQL joins SQLite when it is set.
/// let postgres = std::env::var(POSTGRES_URL_ENV).ok().filter(|url| !url.is_empty());
/// let backend = postgres.map_or(TestBackend::Sqlite, TestBackend::Postgres);
/// ```
pub const POSTGRES_URL_ENV: &str = "CLERK_TEST_POSTGRES_URL";
/// Environment variable that, set to `1`, makes [`test_backends`] fail instead of skipping
/// PostgreSQL when [`POSTGRES_URL_ENV`] is unset.
///
/// ```
/// use clerk_server::testing::{POSTGRES_URL_ENV, REQUIRE_POSTGRES_ENV};
///
/// // CI sets both, so a missing database fails the tests instead of skipping PostgreSQL.
/// let strict = std::env::var(REQUIRE_POSTGRES_ENV).is_ok_and(|v| v == "1");
/// if strict {
///     assert!(std::env::var(POSTGRES_URL_ENV).is_ok_and(|url| !url.is_empty()));
/// }
/// ```
pub const REQUIRE_POSTGRES_ENV: &str = "CLERK_REQUIRE_POSTGRES";

/// A database a test can run against.
///
/// ```no_run
/// # async fn run() {
/// use clerk_server::{Config, TestBackend, TestServer};
///
/// let backend = TestBackend::Postgres("postgres://postgres@127.0.0.1:5432/test".into());
/// let server = TestServer::start_on(&backend, Config::default()).await;
/// // ... the test ...
/// server.shutdown().await; // drops the schema
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestBackend {
    /// A temporary SQLite file.
    Sqlite,
    /// A fresh schema in this PostgreSQL database, dropped afterwards.
    Postgres(String),
}

/// The backends tests should cover: always SQLite; PostgreSQL too when
/// `CLERK_TEST_POSTGRES_URL` is set. Without it, prints a loud "SKIPPED on Postgres" line,
/// or panics when `CLERK_REQUIRE_POSTGRES=1`.
///
/// # Panics
/// When `CLERK_REQUIRE_POSTGRES=1` and `CLERK_TEST_POSTGRES_URL` is unset.
///
/// ```
/// use clerk_server::{TestBackend, test_backends};
///
/// let backends = test_backends();
/// // SQLite always comes first; PostgreSQL follows when CLERK_TEST_POSTGRES_URL is set.
/// assert_eq!(backends[0], TestBackend::Sqlite);
/// assert!(backends[1..].iter().all(|b| matches!(b, TestBackend::Postgres(_))));
/// ```
pub fn test_backends() -> Vec<TestBackend> {
    match std::env::var(POSTGRES_URL_ENV) {
        Ok(url) if !url.is_empty() => vec![TestBackend::Sqlite, TestBackend::Postgres(url)],
        _ => {
            if std::env::var(REQUIRE_POSTGRES_ENV).is_ok_and(|v| v == "1") {
                panic!("{REQUIRE_POSTGRES_ENV}=1 but {POSTGRES_URL_ENV} is not set");
            }
            // A test's own output, meant for the person running the tests (not a log line).
            eprintln!(
                "!!! SKIPPED on Postgres: set {POSTGRES_URL_ENV}=postgres://… to run this test on PostgreSQL too"
            );
            vec![TestBackend::Sqlite]
        }
    }
}

/// A user created by [`TestServer::create_user`].
///
/// ```no_run
/// # async fn run() {
/// use clerk_server::TestServer;
/// use serde_json::json;
///
/// let server = TestServer::start().await;
/// let user = server
///     .create_user_with(json!({"email_address": ["ann@example.com"], "first_name": "Ann"}))
///     .await;
/// assert!(user.id.starts_with("user_"));
/// assert_eq!(user.json["first_name"], "Ann");
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TestUser {
    /// The user id (`user_…`).
    pub id: String,
    /// The user object as the API returned it.
    pub json: Value,
}

/// A session created by [`TestServer::create_session`].
///
/// ```no_run
/// # async fn run() {
/// use clerk_server::TestServer;
///
/// let server = TestServer::start().await;
/// let user = server.create_user("ann@example.com").await;
/// let session = server.create_session(&user.id).await;
/// assert!(session.id.starts_with("sess_"));
/// assert!(session.client_id.starts_with("client_"));
/// assert_eq!(session.json["status"], "active");
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TestSession {
    /// The session id (`sess_…`).
    pub id: String,
    /// The id of the session's client (`client_…`).
    pub client_id: String,
    /// The session object as the API returned it.
    pub json: Value,
}

/// A real clerk-server on `127.0.0.1:0` with a throwaway database (a temporary SQLite file,
/// or a fresh PostgreSQL schema) and a clock tests can move forward. See the
/// [module docs](self) for an example.
///
/// ```no_run
/// # async fn run() {
/// use std::time::Duration;
/// use axum::http::{Method, StatusCode};
/// use clerk_server::TestServer;
///
/// let server = TestServer::start().await;
/// let user = server.create_user("ann@example.com").await;
/// let session = server.create_session(&user.id).await;
///
/// // Sessions last 7 days: a week later this one has expired.
/// server.advance_clock(Duration::from_secs(7 * 86_400 + 1));
/// let path = format!("/v1/sessions/{}", session.id);
/// let (status, json) = server.request(Method::GET, &path, None).await;
/// assert_eq!(status, StatusCode::OK);
/// assert_eq!(json["status"], "expired");
/// server.shutdown().await;
/// # }
/// ```
pub struct TestServer {
    base_url: String,
    database_url: String,
    issuer: String,
    secret_key: Secret,
    clock: Clock,
    router: Router,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), Error>>>,
    database: Option<TestDatabase>,
}

impl std::fmt::Debug for TestServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestServer")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl TestServer {
    /// Starts a server on a temporary SQLite database.
    ///
    /// # Panics
    /// If the server cannot start (see [`TestServer::try_start_with`] for the `Result`).
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// assert!(server.base_url().starts_with("http://127.0.0.1:"));
    /// # }
    /// ```
    pub async fn start() -> Self {
        Self::start_with(Config::default()).await
    }

    /// Starts a server with `config`. The listen address is always `127.0.0.1:0`; the
    /// default database (`clerk-local.db`) is replaced by a temporary one; without a secret
    /// key one is made up; the system clock is replaced by an adjustable [`Clock::offset`].
    ///
    /// # Panics
    /// If the server cannot start.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use std::time::Duration;
    /// use clerk_server::{Config, TestServer};
    ///
    /// let config = Config::default()
    ///     .with_secret_key("sk_test_fixed_for_this_test")
    ///     .with_session_token_lifetime(Duration::from_secs(5));
    /// let server = TestServer::start_with(config).await;
    /// assert_eq!(server.secret_key(), "sk_test_fixed_for_this_test");
    /// # }
    /// ```
    pub async fn start_with(config: Config) -> Self {
        Self::try_start_with(config)
            .await
            .unwrap_or_else(|err| panic!("clerk-server test server failed to start: {err}"))
    }

    /// Starts a server on a fresh schema of the PostgreSQL database at `url`; the schema is
    /// dropped when the server is shut down or dropped.
    ///
    /// # Panics
    /// If the server cannot start.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use clerk_server::TestServer;
    ///
    /// let url = std::env::var("CLERK_TEST_POSTGRES_URL").expect("a PostgreSQL database for tests");
    /// let server = TestServer::start_postgres(&url).await;
    /// assert!(server.database_url().contains("search_path"));
    /// server.shutdown().await; // drops the schema
    /// # }
    /// ```
    pub async fn start_postgres(url: &str) -> Self {
        Self::start_on(&TestBackend::Postgres(url.to_owned()), Config::default()).await
    }

    /// Starts a server with `config` on `backend`.
    ///
    /// # Panics
    /// If the server cannot start.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use clerk_server::{Config, TestServer, test_backends};
    ///
    /// for backend in test_backends() {
    ///     let server = TestServer::start_on(&backend, Config::default()).await;
    ///     let user = server.create_user("ann@example.com").await;
    ///     assert!(user.id.starts_with("user_"), "on {backend:?}");
    ///     server.shutdown().await;
    /// }
    /// # }
    /// ```
    pub async fn start_on(backend: &TestBackend, config: Config) -> Self {
        Self::try_start_on(backend, config)
            .await
            .unwrap_or_else(|err| {
                panic!("clerk-server test server failed to start on {backend:?}: {err}")
            })
    }

    /// Like [`TestServer::start_with`], returning errors instead of panicking.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use clerk_server::{Config, TestServer};
    ///
    /// // A database URL of an unknown kind is an error, not a panic.
    /// let result = TestServer::try_start_with(Config::new("mysql://127.0.0.1/clerk")).await;
    /// assert!(result.is_err());
    /// # }
    /// ```
    pub async fn try_start_with(config: Config) -> Result<Self, Error> {
        if config.database_url == DEFAULT_DATABASE_URL {
            Self::try_start_on(&TestBackend::Sqlite, config).await
        } else {
            Self::launch(config, None).await
        }
    }

    /// Like [`TestServer::start_on`], returning errors instead of panicking.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use clerk_server::{Config, TestBackend, TestServer};
    ///
    /// let backend = TestBackend::Postgres("postgres://postgres@127.0.0.1:5432/test".into());
    /// match TestServer::try_start_on(&backend, Config::default()).await {
    ///     Ok(server) => server.shutdown().await,
    ///     Err(err) => eprintln!("no PostgreSQL for this test: {err}"),
    /// }
    /// # }
    /// ```
    pub async fn try_start_on(backend: &TestBackend, config: Config) -> Result<Self, Error> {
        let database = TestDatabase::create(backend).await?;
        let config = config.with_database_url(database.url());
        Self::launch(config, Some(database)).await
    }

    async fn launch(mut config: Config, database: Option<TestDatabase>) -> Result<Self, Error> {
        config.listen = "127.0.0.1:0".parse().expect("valid address");
        if config.secret_key.is_none() {
            config.secret_key = Some(generate_secret_key());
        }
        if !config.clock.is_adjustable() {
            config.clock = Clock::offset();
        }
        let secret_key = config.secret_key.clone().expect("set above");
        let database_url = config.database_url.clone();
        let clock = config.clock.clone();
        let server = Server::bind(config).await?;
        let base_url = server.base_url();
        let issuer = server.issuer().to_owned();
        let router = server.router();
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(server.serve(async {
            let _ = stop.await;
        }));
        Ok(Self {
            base_url,
            database_url,
            issuer,
            secret_key,
            clock,
            router,
            shutdown: Some(shutdown),
            task: Some(task),
            database,
        })
    }

    /// `http://127.0.0.1:<port>`.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let health = format!("{}/.well-known/jwks.json", server.base_url());
    /// assert_eq!(health, server.jwks_url());
    /// # }
    /// ```
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `http://127.0.0.1:<port>/v1`: the API URL for Clerk SDKs.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let clerk_api_url = server.api_url(); // e.g. http://127.0.0.1:41234/v1
    /// assert_eq!(clerk_api_url, format!("{}/v1", server.base_url()));
    /// # }
    /// ```
    pub fn api_url(&self) -> String {
        format!("{}/v1", self.base_url)
    }

    /// The JWKS URL that needs no secret key: `http://127.0.0.1:<port>/.well-known/jwks.json`.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// // Give this to a verifier that fetches keys: no secret key needed.
    /// assert!(server.jwks_url().ends_with("/.well-known/jwks.json"));
    /// # }
    /// ```
    pub fn jwks_url(&self) -> String {
        format!("{}/.well-known/jwks.json", self.base_url)
    }

    /// The `iss` of the session tokens this server mints.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// // Without a configured issuer, tokens name the server itself.
    /// assert_eq!(server.issuer(), server.base_url());
    /// # }
    /// ```
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The database URL the server uses (for PostgreSQL, with its schema on the search
    /// path). Start more [`crate::Server`]s on it to test replicas.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), clerk_server::Error> {
    /// use clerk_server::{Config, Server, TestServer};
    ///
    /// let server = TestServer::start().await;
    /// // A second replica on the same database, with the same secret key.
    /// let config = Config::new(server.database_url())
    ///     .with_listen("127.0.0.1:0".parse().unwrap())
    ///     .with_secret_key(server.secret_key());
    /// let replica = Server::bind(config).await?;
    /// assert_ne!(replica.base_url(), server.base_url());
    /// # Ok(())
    /// # }
    /// ```
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// The secret key the server accepts.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let authorization = format!("Bearer {}", server.secret_key());
    /// assert!(authorization.starts_with("Bearer sk_test_"));
    /// # }
    /// ```
    pub fn secret_key(&self) -> &str {
        self.secret_key.expose()
    }

    /// The server's clock.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let before = server.clock().now_ms();
    /// server.clock().set_ms(before + 3_600_000); // an hour from now
    /// assert!(server.clock().now_ms() >= before + 3_600_000);
    /// # }
    /// ```
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Moves the server's clock forward (sessions expire, tokens are minted later).
    ///
    /// ```no_run
    /// # async fn run() {
    /// use std::time::Duration;
    ///
    /// let server = clerk_server::TestServer::start().await;
    /// let before = server.clock().now_ms();
    /// server.advance_clock(Duration::from_secs(61)); // past a session token's 60 s
    /// assert!(server.clock().now_ms() >= before + 61_000);
    /// # }
    /// ```
    pub fn advance_clock(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// Sends a request through the server's router in-process, authenticated with the secret
    /// key; `path` starts with `/v1`. Returns the status and the JSON body (`Null` if empty).
    ///
    /// ```no_run
    /// # async fn run() {
    /// use axum::http::{Method, StatusCode};
    /// use serde_json::json;
    ///
    /// let server = clerk_server::TestServer::start().await;
    /// let body = json!({"email_address": ["not an email"]});
    /// let (status, json) = server.request(Method::POST, "/v1/users", Some(body)).await;
    /// assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    /// assert_eq!(json["errors"][0]["code"], "form_param_format_invalid");
    /// # }
    /// ```
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(
                header::AUTHORIZATION,
                format!("Bearer {}", self.secret_key.expose()),
            )
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
            .expect("valid request");
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap_or_default();
        let json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::Null)
        };
        (status, json)
    }

    pub(crate) async fn expect_ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let (status, json) = self.request(method, path, body).await;
        assert!(status.is_success(), "{path} answered {status}: {json}");
        json
    }

    /// Creates a verified user with this email address (and no password).
    ///
    /// # Panics
    /// If the server refuses (an invalid or taken address).
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let user = server.create_user("ann@example.com").await;
    /// assert_eq!(user.json["email_addresses"][0]["verification"]["status"], "verified");
    /// # }
    /// ```
    pub async fn create_user(&self, email: &str) -> TestUser {
        self.create_user_with(json!({ "email_address": [email] }))
            .await
    }

    /// Creates a user from a `POST /v1/users` body.
    ///
    /// # Panics
    /// If the server refuses the body.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use serde_json::json;
    ///
    /// let server = clerk_server::TestServer::start().await;
    /// let user = server
    ///     .create_user_with(json!({
    ///         "username": "ann_smith",
    ///         "password": "correct horse battery staple",
    ///         "public_metadata": {"role": "admin"},
    ///     }))
    ///     .await;
    /// assert_eq!(user.json["public_metadata"]["role"], "admin");
    /// # }
    /// ```
    pub async fn create_user_with(&self, body: Value) -> TestUser {
        let json = self.expect_ok(Method::POST, "/v1/users", Some(body)).await;
        TestUser {
            id: json["id"].as_str().unwrap_or_default().to_owned(),
            json,
        }
    }

    /// Starts a sign-up, as a browser would through the Frontend API
    /// (`POST /v1/_local/sign_ups`), and answers its `sign_up_attempt` JSON; `body` takes
    /// `email_address`, `phone_number`, `username`, `first_name`, `last_name`,
    /// `external_id`, `unsafe_metadata`, `public_metadata`, `legal_accepted` and `locale`.
    ///
    /// # Panics
    /// If the server refuses the body.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use serde_json::json;
    ///
    /// let server = clerk_server::TestServer::start().await;
    /// let sign_up = server
    ///     .create_sign_up(json!({"email_address": "ann@example.com"}))
    ///     .await;
    /// assert_eq!(sign_up["status"], "missing_requirements");
    /// # }
    /// ```
    pub async fn create_sign_up(&self, body: Value) -> Value {
        self.expect_ok(Method::POST, "/v1/_local/sign_ups", Some(body))
            .await
    }

    /// Creates an active session (and its client) for a user.
    ///
    /// # Panics
    /// If the user does not exist.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let user = server.create_user("ann@example.com").await;
    /// let session = server.create_session(&user.id).await;
    /// assert_eq!(session.json["user_id"], user.id.as_str());
    /// # }
    /// ```
    pub async fn create_session(&self, user_id: &str) -> TestSession {
        let json = self
            .expect_ok(
                Method::POST,
                "/v1/sessions",
                Some(json!({ "user_id": user_id })),
            )
            .await;
        TestSession {
            id: json["id"].as_str().unwrap_or_default().to_owned(),
            client_id: json["client_id"].as_str().unwrap_or_default().to_owned(),
            json,
        }
    }

    /// A session token for an active session, with the newest API version's claims.
    ///
    /// # Panics
    /// If the session does not exist or is not active.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let user = server.create_user("ann@example.com").await;
    /// let session = server.create_session(&user.id).await;
    /// let token = server.session_token(&session.id).await;
    /// // Send it as `Authorization: Bearer <token>` to the app under test.
    /// assert_eq!(token.split('.').count(), 3);
    /// # }
    /// ```
    pub async fn session_token(&self, session_id: &str) -> String {
        let path = format!("/v1/sessions/{session_id}/tokens?__clerk_api_version=2026-05-12");
        let json = self.expect_ok(Method::POST, &path, None).await;
        json["jwt"].as_str().unwrap_or_default().to_owned()
    }

    /// A token for a session with chosen claims, through the local extension
    /// `POST /v1/_local/sessions/{id}/tokens`: `claims` are merged over the standard ones
    /// (a `null` removes a claim), e.g. `json!({"azp": "https://app.example", "exp": 0})`.
    ///
    /// # Panics
    /// If the session does not exist or the claims are not an object.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use serde_json::json;
    ///
    /// let server = clerk_server::TestServer::start().await;
    /// let user = server.create_user("ann@example.com").await;
    /// let session = server.create_session(&user.id).await;
    /// // An already expired token, for the "token expired" path of the app under test.
    /// let expired = server.mint_token(&session.id, json!({"exp": 0})).await;
    /// // A token for another origin, for the `authorizedParties` check.
    /// let foreign = server.mint_token(&session.id, json!({"azp": "https://evil.example"})).await;
    /// assert_ne!(expired, foreign);
    /// # }
    /// ```
    pub async fn mint_token(&self, session_id: &str, claims: Value) -> String {
        let path =
            format!("/v1/_local/sessions/{session_id}/tokens?__clerk_api_version=2026-05-12");
        let json = self
            .expect_ok(Method::POST, &path, Some(json!({ "claims": claims })))
            .await;
        json["jwt"].as_str().unwrap_or_default().to_owned()
    }

    /// A client token (the local stand-in for Clerk's `__client` cookie) that
    /// `POST /v1/clients/verify` accepts.
    ///
    /// # Panics
    /// If the client does not exist.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use axum::http::{Method, StatusCode};
    /// use serde_json::json;
    ///
    /// let server = clerk_server::TestServer::start().await;
    /// let user = server.create_user("ann@example.com").await;
    /// let session = server.create_session(&user.id).await;
    /// let token = server.client_token(&session.client_id).await;
    /// let body = json!({"token": token});
    /// let (status, _) = server.request(Method::POST, "/v1/clients/verify", Some(body)).await;
    /// assert_eq!(status, StatusCode::OK);
    /// # }
    /// ```
    pub async fn client_token(&self, client_id: &str) -> String {
        let path = format!("/v1/_local/clients/{client_id}/token");
        let json = self.expect_ok(Method::POST, &path, None).await;
        json["jwt"].as_str().unwrap_or_default().to_owned()
    }

    /// The PEM public key of the current signing key, for verifiers configured with a key
    /// instead of a JWKS URL (Clerk's `CLERK_JWT_KEY`, `jwtKey` in `@clerk/backend`).
    ///
    /// # Panics
    /// If the server cannot list its keys.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let pem = server.jwt_key().await;
    /// assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    /// // e.g. std::env::set_var("CLERK_JWT_KEY", &pem) for the app under test.
    /// # }
    /// ```
    pub async fn jwt_key(&self) -> String {
        let json = self.expect_ok(Method::GET, "/v1/_local/keys", None).await;
        json["data"][0]["public_key_pem"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Stops the server (finishing requests in flight) and removes its database.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// // ... the test ...
    /// server.shutdown().await; // requests in flight finish, the database is removed
    /// # }
    /// ```
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            if let Ok(Err(err)) = task.await {
                tracing::warn!(error = %err, "test server stopped with an error");
            }
        }
        if let Some(database) = self.database.take() {
            database.remove().await;
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
