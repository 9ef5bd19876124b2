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
use crate::ids;
use crate::secret::Secret;
use crate::server::Server;
use crate::store::instance::generate_secret_key;

/// Environment variable naming a PostgreSQL database for tests
/// (e.g. `postgres://postgres@127.0.0.1:5432/test`).
pub const POSTGRES_URL_ENV: &str = "CLERK_TEST_POSTGRES_URL";
/// Environment variable that, set to `1`, makes [`test_backends`] fail instead of skipping
/// PostgreSQL when [`POSTGRES_URL_ENV`] is unset.
pub const REQUIRE_POSTGRES_ENV: &str = "CLERK_REQUIRE_POSTGRES";

/// A database a test can run against.
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
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TestUser {
    /// The user id (`user_…`).
    pub id: String,
    /// The user object as the API returned it.
    pub json: Value,
}

/// A session created by [`TestServer::create_session`].
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

/// A throwaway database: a SQLite file in a temporary directory, or a fresh schema of a
/// PostgreSQL database. Removed when dropped (or by [`TestDatabase::remove`]). Start several
/// [`crate::Server`]s on its [`TestDatabase::url`] to test replicas.
pub struct TestDatabase {
    url: String,
    place: Place,
}

enum Place {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres(PostgresSchema),
}

impl std::fmt::Debug for TestDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDatabase").finish_non_exhaustive()
    }
}

impl TestDatabase {
    /// Creates an empty database on `backend` (nothing is migrated yet).
    pub async fn create(backend: &TestBackend) -> Result<Self, Error> {
        match backend {
            TestBackend::Sqlite => {
                let dir = tempfile::tempdir()?;
                let url = format!("sqlite://{}", dir.path().join("clerk.db").display());
                Ok(Self {
                    url,
                    place: Place::Sqlite(dir),
                })
            }
            TestBackend::Postgres(base) => {
                let schema = PostgresSchema::create(base).await?;
                Ok(Self {
                    url: schema.scoped_url(),
                    place: Place::Postgres(schema),
                })
            }
        }
    }

    /// The database URL for [`Config::new`].
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Removes the database now (dropping it does the same, less politely).
    pub async fn remove(self) {
        if let Place::Postgres(schema) = self.place {
            schema.drop_now().await;
        }
    }
}

/// A real clerk-server on `127.0.0.1:0` with a throwaway database (a temporary SQLite file,
/// or a fresh PostgreSQL schema) and a clock tests can move forward. See the
/// [module docs](self) for an example.
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
    pub async fn start() -> Self {
        Self::start_with(Config::default()).await
    }

    /// Starts a server with `config`. The listen address is always `127.0.0.1:0`; the
    /// default database (`clerk-local.db`) is replaced by a temporary one; without a secret
    /// key one is made up; the system clock is replaced by an adjustable [`Clock::offset`].
    ///
    /// # Panics
    /// If the server cannot start.
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
    pub async fn start_postgres(url: &str) -> Self {
        Self::start_on(&TestBackend::Postgres(url.to_owned()), Config::default()).await
    }

    /// Starts a server with `config` on `backend`.
    ///
    /// # Panics
    /// If the server cannot start.
    pub async fn start_on(backend: &TestBackend, config: Config) -> Self {
        Self::try_start_on(backend, config)
            .await
            .unwrap_or_else(|err| {
                panic!("clerk-server test server failed to start on {backend:?}: {err}")
            })
    }

    /// Like [`TestServer::start_with`], returning errors instead of panicking.
    pub async fn try_start_with(config: Config) -> Result<Self, Error> {
        if config.database_url == DEFAULT_DATABASE_URL {
            Self::try_start_on(&TestBackend::Sqlite, config).await
        } else {
            Self::launch(config, None).await
        }
    }

    /// Like [`TestServer::start_on`], returning errors instead of panicking.
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
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `http://127.0.0.1:<port>/v1`: the API URL for Clerk SDKs.
    pub fn api_url(&self) -> String {
        format!("{}/v1", self.base_url)
    }

    /// The JWKS URL that needs no secret key: `http://127.0.0.1:<port>/.well-known/jwks.json`.
    pub fn jwks_url(&self) -> String {
        format!("{}/.well-known/jwks.json", self.base_url)
    }

    /// The `iss` of the session tokens this server mints.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The database URL the server uses (for PostgreSQL, with its schema on the search
    /// path). Start more [`crate::Server`]s on it to test replicas.
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// The secret key the server accepts.
    pub fn secret_key(&self) -> &str {
        self.secret_key.expose()
    }

    /// The server's clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Moves the server's clock forward (sessions expire, tokens are minted later).
    pub fn advance_clock(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// Sends a request through the server's router in-process, authenticated with the secret
    /// key; `path` starts with `/v1`. Returns the status and the JSON body (`Null` if empty).
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

    async fn expect_ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let (status, json) = self.request(method, path, body).await;
        assert!(status.is_success(), "{path} answered {status}: {json}");
        json
    }

    /// Creates a verified user with this email address (and no password).
    ///
    /// # Panics
    /// If the server refuses (an invalid or taken address).
    pub async fn create_user(&self, email: &str) -> TestUser {
        self.create_user_with(json!({ "email_address": [email] }))
            .await
    }

    /// Creates a user from a `POST /v1/users` body.
    ///
    /// # Panics
    /// If the server refuses the body.
    pub async fn create_user_with(&self, body: Value) -> TestUser {
        let json = self.expect_ok(Method::POST, "/v1/users", Some(body)).await;
        TestUser {
            id: json["id"].as_str().unwrap_or_default().to_owned(),
            json,
        }
    }

    /// Creates an active session (and its client) for a user.
    ///
    /// # Panics
    /// If the user does not exist.
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
    pub async fn jwt_key(&self) -> String {
        let json = self.expect_ok(Method::GET, "/v1/_local/keys", None).await;
        json["data"][0]["public_key_pem"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Stops the server (finishing requests in flight) and removes its database.
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

/// A PostgreSQL schema created for one test server.
struct PostgresSchema {
    base_url: String,
    name: String,
    dropped: bool,
}

impl PostgresSchema {
    async fn create(base_url: &str) -> Result<Self, Error> {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let name = format!("clerk_test_{}", ids::random_hex(8));
        let mut conn = sqlx::AnyConnection::connect(base_url).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {name}")))
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        Ok(Self {
            base_url: base_url.to_owned(),
            name,
            dropped: false,
        })
    }

    /// The database URL with the schema first on the search path (`public` after it, where
    /// extensions such as pg_trgm live).
    fn scoped_url(&self) -> String {
        let separator = if self.base_url.contains('?') {
            '&'
        } else {
            '?'
        };
        format!(
            "{}{separator}options=-c%20search_path%3D{}%2Cpublic",
            self.base_url, self.name
        )
    }

    async fn drop_now(mut self) {
        drop_schema(&self.base_url, &self.name).await;
        self.dropped = true;
    }
}

async fn drop_schema(base_url: &str, name: &str) {
    use sqlx::Connection;
    let result = async {
        let mut conn = sqlx::AnyConnection::connect(base_url).await?;
        sqlx::query("SET lock_timeout = '10s'")
            .execute(&mut conn)
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA IF EXISTS {name} CASCADE"
        )))
        .execute(&mut conn)
        .await?;
        conn.close().await
    }
    .await;
    if let Err(err) = result {
        tracing::warn!(schema = name, error = %err, "could not drop a test schema");
    }
}

impl Drop for PostgresSchema {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        // Drop cannot await: run the cleanup on a thread with its own small runtime.
        let (url, name) = (self.base_url.clone(), self.name.clone());
        let cleanup = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                rt.block_on(drop_schema(&url, &name));
            }
        });
        let _ = cleanup.join();
    }
}
