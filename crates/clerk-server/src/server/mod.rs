//! Starting and stopping the server.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

pub(crate) mod connections;

use connections::{Admission, Registry, Tracked};

use crate::bapi::{self, AppState};
use crate::config::{Config, Settings};
use crate::domain::error::Error as DomainError;
use crate::domain::organizations::catalog;
use crate::domain::password::PasswordPool;
use crate::domain::services::Services;
use crate::domain::webhooks;
use crate::error::Error;
use crate::keys::vault::{KeyMaterial, Vault};
use crate::keys::{self, KeyRing};
use crate::notify::events::Events;
use crate::notify::{Notifier, delivery};
use crate::secret::Secret;
use crate::store::instance::{self, Bootstrap};
use crate::store::{Dialect, Store};

/// A server bound to its address, with its database opened, migrated and bootstrapped.
///
/// ```no_run
/// # async fn run() -> Result<(), clerk_server::Error> {
/// use clerk_server::{Config, Server};
///
/// let server = Server::bind(Config::default()).await?;
/// println!("Clerk Backend API at {}", server.api_url());
/// if let Some(key) = server.generated_secret_key() {
///     println!("secret key: {}", key.expose());
/// }
/// server
///     .serve(async {
///         let _ = tokio::signal::ctrl_c().await;
///     })
///     .await?;
/// # Ok(())
/// # }
/// ```
pub struct Server {
    listener: TcpListener,
    state: AppState,
    local_addr: SocketAddr,
    generated_secret_key: Option<Secret>,
    limits: Limits,
    webhook_endpoints: Vec<WebhookEndpoint>,
    /// Delivers webhook events while the server lives.
    delivery: delivery::Worker,
}

/// An endpoint webhook events are delivered to, as [`Config::with_webhook`] registered it.
#[derive(Clone, Debug)]
pub struct WebhookEndpoint {
    /// `ep_…`.
    pub id: String,
    /// Where events are POSTed.
    pub url: String,
    /// `whsec_…`: what the receiver verifies signatures with.
    pub secret: Secret,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("local_addr", &self.local_addr)
            .field("issuer", &self.state.issuer)
            .finish_non_exhaustive()
    }
}

/// Who opens the database, and so what startup must prepare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Opener {
    /// A server: it may generate a secret key, and needs the vault and signing keys.
    Server,
    /// A tool that works on signing keys (rotation): the vault and keys, no new secret key.
    KeyTool,
    /// A tool that writes users only (seeding): neither; the next server start prepares them.
    DataTool,
}

/// Opens the database, applies migrations and creates missing instance state, under the
/// startup lock: the instance and its secret key, then (unless a data tool opens it) the
/// vault that seals secrets at rest and the signing keys (sealed anew where needed), and
/// the default organization roles and permissions.
pub(crate) async fn open_store(
    config: &Config,
    opener: Opener,
) -> Result<(Store, Bootstrap, Option<Arc<Vault>>), Error> {
    let store = Store::connect(&config.database_url, config.max_connections).await?;
    let now_ms = config.clock.now_ms();
    let mut lock = store.startup_lock().await?;
    lock.migrate(now_ms).await?;
    let bootstrap = instance::bootstrap(
        &mut lock,
        now_ms,
        config.secret_key.as_ref(),
        opener == Opener::Server,
    )
    .await?;
    let vault = if opener == Opener::DataTool {
        None
    } else {
        let material = key_material(config, &store, bootstrap.generated_secret_key.as_ref());
        let vault = Arc::new(Vault::from_material(&material)?);
        keys::bootstrap(&mut lock, &vault, now_ms).await?;
        Some(vault)
    };
    let mut tx = lock.begin().await?;
    catalog::bootstrap(&mut tx, now_ms)
        .await
        .map_err(|e| Error::Database(Box::new(e)))?;
    tx.commit().await?;
    lock.release().await?;
    Ok((store, bootstrap, vault))
}

/// What the vault's sealing key can come from on this database (see `keys::vault`): the
/// master key; on SQLite the key file beside the database (created when there is no master
/// key, read when it exists); on PostgreSQL the secret key, as configured or as generated on
/// this first start.
fn key_material(
    config: &Config,
    store: &Store,
    generated_secret_key: Option<&Secret>,
) -> KeyMaterial {
    let key_file = store.sqlite_file().map(|db| {
        let mut name = db.as_os_str().to_owned();
        name.push(".key");
        std::path::PathBuf::from(name)
    });
    let key_file = key_file.filter(|path| config.master_key.is_none() || path.exists());
    let secret_key = match store.dialect() {
        Dialect::Postgres => config
            .secret_key
            .clone()
            .or_else(|| generated_secret_key.cloned()),
        Dialect::Sqlite => None,
    };
    KeyMaterial {
        master_key: config.master_key.clone(),
        key_file,
        secret_key,
    }
}

impl Server {
    /// Opens the database (creating and migrating it if needed), makes sure the instance has
    /// a signing key and a secret key, and binds the listen address.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), clerk_server::Error> {
    /// use clerk_server::{Config, Server};
    ///
    /// let config = Config::new("postgres://clerk@127.0.0.1:5432/clerk")
    ///     .with_listen("0.0.0.0:8080".parse().unwrap())
    ///     .with_secret_key("sk_test_shared_by_every_replica");
    /// let server = Server::bind(config).await?;
    /// assert!(server.generated_secret_key().is_none()); // a key was configured
    /// # Ok(())
    /// # }
    /// ```
    pub async fn bind(config: Config) -> Result<Self, Error> {
        let (store, bootstrap, vault) = open_store(&config, Opener::Server).await?;
        let vault = vault.ok_or_else(|| Error::Keys("the vault was not opened".into()))?;
        let listener = TcpListener::bind(config.listen).await?;
        let local_addr = listener.local_addr()?;
        let issuer = config
            .issuer
            .clone()
            .unwrap_or_else(|| base_url(local_addr));
        tracing::info!(
            database = %crate::config::redact_url_password(&config.database_url),
            backend = ?store.dialect(),
            %local_addr,
            "clerk-server ready"
        );
        let instance_id = store
            .instance()
            .await
            .map_err(|e| Error::Database(Box::new(e)))?
            .id;
        let wake = Arc::new(tokio::sync::Notify::new());
        let events = Events::new(instance_id, Arc::clone(&wake));
        let delivery = delivery::start(
            store.clone(),
            config.clock.clone(),
            wake,
            delivery::DeliverySettings {
                schedule: config.webhook_retry_schedule.clone(),
                timeout: config.webhook_timeout,
            },
        )
        .map_err(|e| Error::InvalidConfig(format!("the webhook HTTP client: {e}")))?;
        let state = AppState::new(Services {
            notifier: Notifier::new(store.clone(), config.smtp.clone(), events.clone()),
            events,
            store,
            clock: config.clock.clone(),
            settings: Settings::from_config(&config),
            publishable_key: keys::publishable_key(&issuer),
            issuer,
            keys: KeyRing::new(vault),
            passwords: PasswordPool::new(),
        });
        let limits = Limits {
            header_timeout: config.header_read_timeout,
            max_open: config
                .max_open_connections
                .unwrap_or_else(connections::default_max_open_connections),
            shutdown_grace: config.shutdown_grace,
        };
        let mut webhook_endpoints = Vec::new();
        for url in &config.webhooks {
            let endpoint = webhooks::ensure_endpoint(state.services(), url)
                .await
                .map_err(|e| match e {
                    DomainError::Rule(rule) => {
                        Error::InvalidConfig(format!("--webhook {url}: {}", rule.long_message))
                    }
                    other => Error::Database(format!("{other:?}").into()),
                })?;
            webhook_endpoints.push(WebhookEndpoint {
                id: endpoint.id,
                url: endpoint.url,
                secret: Secret::new(endpoint.secret),
            });
        }
        Ok(Self {
            listener,
            state,
            local_addr,
            generated_secret_key: bootstrap.generated_secret_key,
            limits,
            webhook_endpoints,
            delivery,
        })
    }

    /// The endpoints [`Config::with_webhook`] registered (or found registered), with their
    /// secrets.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), clerk_server::Error> {
    /// use clerk_server::{Config, Server};
    ///
    /// let config = Config::default().with_webhook("http://127.0.0.1:3000/api/webhooks");
    /// let server = Server::bind(config).await?;
    /// let endpoint = &server.webhook_endpoints()[0];
    /// assert!(endpoint.secret.expose().starts_with("whsec_"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn webhook_endpoints(&self) -> &[WebhookEndpoint] {
        &self.webhook_endpoints
    }

    /// The address the server listens on.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), clerk_server::Error> {
    /// use clerk_server::{Config, Server};
    ///
    /// // Port 0 picks a free port: ask the server which one.
    /// let config = Config::default().with_listen("127.0.0.1:0".parse().unwrap());
    /// let server = Server::bind(config).await?;
    /// assert_ne!(server.local_addr().port(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://host:port`.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), clerk_server::Error> {
    /// let server = clerk_server::Server::bind(clerk_server::Config::default()).await?;
    /// assert_eq!(server.base_url(), "http://127.0.0.1:8080");
    /// # Ok(())
    /// # }
    /// ```
    pub fn base_url(&self) -> String {
        base_url(self.local_addr)
    }

    /// `http://host:port/v1`, the URL Clerk SDKs take as their API URL.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), clerk_server::Error> {
    /// let server = clerk_server::Server::bind(clerk_server::Config::default()).await?;
    /// // What `CLERK_API_URL` of Clerk's SDKs should be set to.
    /// assert_eq!(server.api_url(), "http://127.0.0.1:8080/v1");
    /// # Ok(())
    /// # }
    /// ```
    pub fn api_url(&self) -> String {
        format!("{}/v1", self.base_url())
    }

    /// The JWKS without authentication: `http://host:port/.well-known/jwks.json`.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), clerk_server::Error> {
    /// let server = clerk_server::Server::bind(clerk_server::Config::default()).await?;
    /// assert_eq!(server.jwks_url(), "http://127.0.0.1:8080/.well-known/jwks.json");
    /// # Ok(())
    /// # }
    /// ```
    pub fn jwks_url(&self) -> String {
        format!("{}/.well-known/jwks.json", self.base_url())
    }

    /// The `iss` of the session tokens this server mints.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), clerk_server::Error> {
    /// use clerk_server::{Config, Server};
    ///
    /// let server = Server::bind(Config::default()).await?;
    /// assert_eq!(server.issuer(), server.base_url()); // no issuer configured
    ///
    /// let config = Config::default()
    ///     .with_listen("127.0.0.1:0".parse().unwrap())
    ///     .with_issuer("https://clerk.internal.example");
    /// let replica = Server::bind(config).await?;
    /// assert_eq!(replica.issuer(), "https://clerk.internal.example");
    /// # Ok(())
    /// # }
    /// ```
    pub fn issuer(&self) -> &str {
        &self.state.issuer
    }

    /// The instance's publishable key: `pk_test_` and the base64 of the address its
    /// Frontend API is served at (the bound address, `0.0.0.0` read as `127.0.0.1`, or the
    /// configured issuer's host). A page gives it to clerk-js with `proxyUrl` set to
    /// `<base URL>/__clerk`.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), clerk_server::Error> {
    /// let server = clerk_server::Server::bind(clerk_server::Config::default()).await?;
    /// assert!(server.publishable_key().starts_with("pk_test_"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn publishable_key(&self) -> &str {
        &self.state.publishable_key
    }

    /// The secret key generated on this start (the database had none and none was
    /// configured). Only its digest is stored: show it to the user now, it cannot be
    /// recovered later.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), clerk_server::Error> {
    /// let server = clerk_server::Server::bind(clerk_server::Config::new("sqlite://fresh.db")).await?;
    /// if let Some(key) = server.generated_secret_key() {
    ///     // Printed once: only its digest is stored.
    ///     println!("CLERK_SECRET_KEY={}", key.expose());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn generated_secret_key(&self) -> Option<&Secret> {
        self.generated_secret_key.as_ref()
    }

    /// The router, for serving in-process.
    pub(crate) fn router(&self) -> Router {
        bapi::router(self.state.clone())
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight (for at
    /// most [`Config::with_shutdown_grace`], then their connections are closed) and closes the database.
    ///
    /// A connection with no request in flight is closed once it has been idle for the
    /// header timeout ([`Config::with_header_read_timeout`], default
    /// [`HEADER_READ_TIMEOUT`]), counted from when it was accepted or from its last
    /// answer, whatever protocol it speaks. The number of open connections is bounded
    /// ([`Config::with_max_open_connections`]): at the bound, the longest-idle one is
    /// closed to admit a new one. HTTP/2 connections get keep-alive pings and at most 100
    /// concurrent streams.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), clerk_server::Error> {
    /// use std::time::Duration;
    /// use clerk_server::{Config, Server};
    ///
    /// let server = Server::bind(Config::default()).await?;
    /// // Serve for a minute, then finish the requests in flight and stop.
    /// server.serve(tokio::time::sleep(Duration::from_secs(60))).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn serve<F>(self, shutdown: F) -> Result<(), Error>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let router = self.router();
        let store = self.state.store.clone();
        let _delivery = self.delivery;
        let limits = self.limits;
        let builder = connection_builder(limits.header_timeout);
        let registry = Registry::new(limits.max_open);
        let (closing, closing_rx) = watch::channel(false);
        let mut connections = JoinSet::new();
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            let (stream, peer) = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(err) => {
                        // Out of file descriptors and the like: pause instead of spinning.
                        tracing::warn!(error = %err, "accepting a connection failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                Some(_) = connections.join_next(), if !connections.is_empty() => continue,
                () = &mut shutdown => break,
            };
            let Some(admission) = registry.admit() else {
                drop(stream); // every open connection is busy: refuse this one
                continue;
            };
            // Answers are small: don't let Nagle's algorithm hold one back waiting for an ACK.
            if let Err(err) = stream.set_nodelay(true) {
                tracing::debug!(error = %err, "TCP_NODELAY could not be set");
            }
            let service = Tracked::new(router.clone(), Arc::clone(admission.tracker()), peer);
            let connection = builder
                .serve_connection_with_upgrades(
                    TokioIo::new(stream),
                    TowerToHyperService::new(service),
                )
                .into_owned();
            connections.spawn(drive(connection, admission, limits, closing_rx.clone()));
        }
        // Stop accepting, then let the requests in flight finish, for a bounded time.
        drop(self.listener);
        let _ = closing.send(true);
        let drained = tokio::time::timeout(limits.shutdown_grace, async {
            while connections.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!(
                open = connections.len(),
                "requests still running after the shutdown grace period; closing their connections"
            );
            connections.shutdown().await;
        }
        store.close().await;
        tracing::info!("clerk-server stopped");
        Ok(())
    }
}

/// How long a connection told to close gracefully (idle HTTP/2, shutdown) gets to say
/// goodbye (HTTP/2 GOAWAY) before it is dropped.
const GOODBYE_GRACE: Duration = Duration::from_secs(1);

/// The connection limits of a running server.
#[derive(Clone, Copy, Debug)]
struct Limits {
    header_timeout: Duration,
    max_open: usize,
    shutdown_grace: Duration,
}

/// hyper's settings: the header timeout for HTTP/1; for HTTP/2, keep-alive pings (a peer
/// that stops answering is dropped), a cap on concurrent streams and on header size.
fn connection_builder(header_timeout: Duration) -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(HTTP2_KEEP_ALIVE))
        .keep_alive_timeout(HTTP2_KEEP_ALIVE)
        .max_concurrent_streams(HTTP2_MAX_STREAMS)
        .max_header_list_size(HTTP2_MAX_HEADER_LIST_BYTES);
    builder
}

/// Interval of HTTP/2 keep-alive pings, and how long an answer may take.
const HTTP2_KEEP_ALIVE: Duration = Duration::from_secs(20);
/// Requests one HTTP/2 connection may have in flight at once.
const HTTP2_MAX_STREAMS: u32 = 100;
/// The largest header block of an HTTP/2 request (HTTP/1's buffer is of the same order).
const HTTP2_MAX_HEADER_LIST_BYTES: u32 = 256 * 1024;

/// Serves one connection until it ends, is shed, stays idle past the header timeout, or
/// the server shuts down (then it finishes its requests in flight).
async fn drive(
    connection: Connection,
    admission: Admission,
    limits: Limits,
    mut closing: watch::Receiver<bool>,
) {
    let tracker = Arc::clone(admission.tracker());
    let mut connection = std::pin::pin!(connection);
    loop {
        let idle = tracker.idle_for();
        let wait = match idle {
            Some(idle) => limits.header_timeout.saturating_sub(idle),
            None => limits.header_timeout,
        };
        tokio::select! {
            ended = connection.as_mut() => {
                if let Err(err) = ended {
                    tracing::debug!(error = %err, "connection ended with an error");
                }
                return;
            }
            () = tracker.shed() => return,
            _ = closing.changed() => break,
            () = tokio::time::sleep(wait) => {
                let expired = tracker.idle_for().is_some_and(|idle| idle >= limits.header_timeout);
                if !expired {
                    continue;
                }
                if !tracker.has_served() {
                    return; // never sent a request: nothing to say goodbye to
                }
                connection.as_mut().graceful_shutdown();
                let _ = tokio::time::timeout(GOODBYE_GRACE, connection.as_mut()).await;
                return;
            }
        }
    }
    // Shutting down: no new requests; the ones in flight finish (the server bounds this).
    connection.as_mut().graceful_shutdown();
    if let Err(err) = connection.await {
        tracing::debug!(error = %err, "connection ended with an error");
    }
    drop(admission);
}

/// One client connection, as hyper serves it.
type Connection = auto::UpgradeableConnection<
    'static,
    TokioIo<TcpStream>,
    TowerToHyperService<Tracked<Router>>,
    TokioExecutor,
>;

/// How long a client may take to send a request's headers before its connection is closed
/// (nothing can be answered before the headers are read). Also how long an idle keep-alive
/// connection is kept.
///
/// ```
/// // A client pooling connections to clerk-server should drop idle ones sooner than this.
/// let idle = clerk_server::HEADER_READ_TIMEOUT - std::time::Duration::from_secs(5);
/// assert_eq!(idle.as_secs(), 25);
/// ```
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// `http://ip:port`; an unspecified address (`0.0.0.0`, `::`) becomes loopback, which is
/// what a client on this machine can reach.
pub(crate) fn base_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            base_url("127.0.0.1:8080".parse().unwrap()),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            base_url("0.0.0.0:80".parse().unwrap()),
            "http://127.0.0.1:80"
        );
        assert_eq!(base_url("[::]:8080".parse().unwrap()), "http://[::1]:8080");
    }
}
