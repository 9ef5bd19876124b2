//! [`Env`]: a server, the validating proxy in front of it, and an SDK client
//! talking through the proxy; [`each_backend`] runs a test on every database.

use std::fmt;
use std::time::Duration;

use clerk_sdk::{Clerk, ClerkBuilder, RetryPolicy};
use clerk_server::{Config, TestBackend, TestServer, test_backends};

use crate::proxy::{ValidatingProxy, describe};

/// Everything one end-to-end test needs: a [`TestServer`] on its own throwaway
/// database, a [`ValidatingProxy`] in front of it, and a [`Clerk`] client
/// pointed at the proxy with the server's secret key. Every answer the client
/// gets has been checked against Clerk's specs; [`Env::finish`] fails the test
/// on any violation (so does dropping an `Env` whose proxy saw violations).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use clerk_sdk::CreateUser;
///
/// let env = e2e::Env::start(&clerk_server::TestBackend::Sqlite).await;
/// let user = env
///     .clerk
///     .users()
///     .create(CreateUser::new().email_address(["ann@example.com"]))
///     .await
///     .unwrap();
/// assert_eq!(user.email_addresses[0].email_address, "ann@example.com");
/// env.finish().await;
/// # }
/// ```
pub struct Env {
    /// The server (its in-process helpers bypass the proxy: use them for setup only).
    pub server: TestServer,
    /// The proxy every client of this `Env` talks through.
    pub proxy: ValidatingProxy,
    /// A client with the server's secret key, the SDK's default API version
    /// (2026-05-12) and retries turned off (a test wants the first answer).
    pub clerk: Clerk,
    backend: TestBackend,
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Env")
            .field("backend", &self.backend_name())
            .field("proxy", &self.proxy)
            .finish_non_exhaustive()
    }
}

impl Env {
    /// Starts a server with the default configuration on `backend`, and the proxy.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use clerk_server::TestBackend;
    ///
    /// let env = e2e::Env::start(&TestBackend::Sqlite).await;
    /// let users = env.clerk.users().list(clerk_sdk::ListUsers::new()).await.unwrap();
    /// assert!(users.is_empty());
    /// env.finish().await;
    /// # }
    /// ```
    pub async fn start(backend: &TestBackend) -> Self {
        Self::start_with(backend, Config::default()).await
    }

    /// Starts a server with `config` on `backend` (a fresh temporary SQLite file,
    /// or a fresh PostgreSQL schema), and the proxy.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use std::time::Duration;
    /// use clerk_server::{Config, TestBackend};
    ///
    /// let config = Config::default().with_session_token_lifetime(Duration::from_secs(5));
    /// let env = e2e::Env::start_with(&TestBackend::Sqlite, config).await;
    /// // ... tests that need short-lived tokens ...
    /// env.finish().await;
    /// # }
    /// ```
    pub async fn start_with(backend: &TestBackend, config: Config) -> Self {
        let server = TestServer::start_on(backend, config).await;
        let proxy = ValidatingProxy::start(server.base_url()).await;
        let clerk = client_for(&proxy, server.secret_key())
            .build()
            .expect("an SDK client for the proxy");
        Self {
            server,
            proxy,
            clerk,
            backend: backend.clone(),
        }
    }

    /// A builder for another client of this server, through the proxy: the base
    /// URL, the secret key, short timeouts and no retries are set.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let env = e2e::Env::start(&clerk_server::TestBackend::Sqlite).await;
    /// let legacy = env.clerk_builder().api_version("2021-02-05").build().unwrap();
    /// assert_eq!(legacy.api_version(), "2021-02-05");
    /// env.finish().await;
    /// # }
    /// ```
    pub fn clerk_builder(&self) -> ClerkBuilder {
        client_for(&self.proxy, self.server.secret_key())
    }

    /// A client sending this `Clerk-API-Version`.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let env = e2e::Env::start(&clerk_server::TestBackend::Sqlite).await;
    /// // Answers to this client are checked against bapi-2021-02-05.
    /// let legacy = env.clerk_with_version("2021-02-05");
    /// assert_eq!(legacy.api_version(), "2021-02-05");
    /// env.finish().await;
    /// # }
    /// ```
    pub fn clerk_with_version(&self, version: &str) -> Clerk {
        self.clerk_builder()
            .api_version(version)
            .build()
            .expect("an SDK client for the proxy")
    }

    /// The API URL of the proxy (`http://127.0.0.1:<port>/v1`).
    ///
    /// ```no_run
    /// # async fn run() {
    /// let env = e2e::Env::start(&clerk_server::TestBackend::Sqlite).await;
    /// // Point another client (Clerk's JS SDK, say) here to have its answers checked too.
    /// assert_ne!(env.api_url(), env.server.api_url());
    /// assert!(env.api_url().ends_with("/v1"));
    /// env.finish().await;
    /// # }
    /// ```
    pub fn api_url(&self) -> String {
        format!("{}/v1", self.proxy.base_url())
    }

    /// The database this test runs on.
    ///
    /// ```no_run
    /// # async fn run() {
    /// use clerk_server::TestBackend;
    ///
    /// e2e::each_backend(async |env| {
    ///     if let TestBackend::Postgres(url) = env.backend() {
    ///         assert!(url.starts_with("postgres"));
    ///     }
    /// })
    /// .await;
    /// # }
    /// ```
    pub fn backend(&self) -> &TestBackend {
        &self.backend
    }

    /// `"SQLite"` or `"PostgreSQL"`, for messages.
    ///
    /// ```no_run
    /// # async fn run() {
    /// e2e::each_backend(async |env| {
    ///     let count = env.clerk.users().count(clerk_sdk::ListUsers::new()).await.unwrap();
    ///     assert_eq!(count, 0, "on {}", env.backend_name());
    /// })
    /// .await;
    /// # }
    /// ```
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            TestBackend::Sqlite => "SQLite",
            TestBackend::Postgres(_) => "PostgreSQL",
        }
    }

    /// Stops the proxy and the server (removing its database), then fails if any
    /// answer broke the spec or the wire rules.
    ///
    /// # Panics
    /// On violations, listing each with its request, operation, status and JSON path.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let env = e2e::Env::start(&clerk_server::TestBackend::Sqlite).await;
    /// let _ = env.clerk.users().get("user_missing").await; // a 404, which the spec allows
    /// env.finish().await; // no violations: the proxy and the server stop quietly
    /// # }
    /// ```
    pub async fn finish(self) {
        let violations = self.proxy.take_violations();
        let backend = self.backend_name();
        let Env { server, proxy, .. } = self;
        proxy.shutdown().await;
        server.shutdown().await;
        if !violations.is_empty() {
            panic!("on {backend}: {}", describe(&violations));
        }
    }
}

fn client_for(proxy: &ValidatingProxy, secret_key: &str) -> ClerkBuilder {
    Clerk::builder()
        .base_url(proxy.base_url())
        .secret_key(secret_key)
        .retry_policy(RetryPolicy::disabled())
        .connect_timeout(Duration::from_secs(5))
        .request_timeout(Duration::from_secs(60))
}

/// Runs `test` on a fresh [`Env`] for every backend ([`test_backends`]: SQLite,
/// and PostgreSQL when `CLERK_TEST_POSTGRES_URL` is set, with a loud "SKIPPED
/// on Postgres" line when it is not, and a failure when
/// `CLERK_REQUIRE_POSTGRES=1`), then [`Env::finish`]es it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// e2e::each_backend(async |env| {
///     let count = env.clerk.users().count(clerk_sdk::ListUsers::new()).await.unwrap();
///     assert_eq!(count, 0);
/// })
/// .await;
/// # }
/// ```
pub async fn each_backend(test: impl AsyncFn(&Env)) {
    each_backend_with(Config::default, test).await;
}

/// Like [`each_backend`], starting each server with `config()`.
///
/// ```no_run
/// # async fn run() {
/// use std::time::Duration;
/// use clerk_server::Config;
///
/// let short_sessions = || Config::default().with_session_lifetime(Duration::from_secs(60));
/// e2e::each_backend_with(short_sessions, async |env| {
///     let user = env.server.create_user("ann@example.com").await;
///     let session = env.server.create_session(&user.id).await;
///     env.server.advance_clock(Duration::from_secs(61));
///     let session = env.clerk.sessions().get(&session.id).await.unwrap();
///     assert_eq!(session.status, clerk_sdk::SessionStatus::Expired);
/// })
/// .await;
/// # }
/// ```
pub async fn each_backend_with(config: impl Fn() -> Config, test: impl AsyncFn(&Env)) {
    for backend in test_backends() {
        let env = Env::start_with(&backend, config()).await;
        test(&env).await;
        env.finish().await;
    }
}
