//! `clerk serve`: the local Backend API server.
//!
//! Prints the base URL, the API URL and the JWKS URL to stdout (and, on the first start of a
//! new database without `--secret-key`, the generated secret key, once), prints each
//! `--webhook` endpoint with its signing secret to stderr, logs each request to stderr with
//! `tracing` (`RUST_LOG` adjusts the level), and shuts down gracefully on Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;

use clap::Args;
use clerk_sdk::SecretKey;
use clerk_server::{Config, DEFAULT_DATABASE_URL, DEFAULT_LISTEN, Secret, Server, SmtpConfig};

/// Examples for `clerk serve --help`.
pub const EXAMPLES: &str = "\
Examples:
  clerk serve                                   # SQLite file clerk-local.db, 127.0.0.1:8080
  clerk serve --listen 0.0.0.0:8080 --database-url postgres://postgres@127.0.0.1/clerk
  CLERK_SECRET_KEY=sk_test_local clerk serve --database-url sqlite://dev.db
  clerk serve --webhook http://localhost:3000/api/webhooks   # prints the signing secret

Then, in another terminal:
  export CLERK_API_URL=http://127.0.0.1:8080 CLERK_SECRET_KEY=<the printed key>
  clerk users create --email-address ada@example.com";

/// Options of `clerk serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, value_name = "ADDR", default_value = DEFAULT_LISTEN)]
    listen: SocketAddr,

    /// Database: a SQLite file (`sqlite://path` or a plain path; created and migrated on
    /// first start) or PostgreSQL (`postgres://…`).
    #[arg(long, value_name = "URL", env = "DATABASE_URL", hide_env_values = true, default_value = DEFAULT_DATABASE_URL)]
    database_url: Secret,

    /// PostgreSQL only: the size of this server's connection pool. With several replicas on
    /// one database, keep replicas × this under PostgreSQL's `max_connections`.
    #[arg(
        long,
        value_name = "N",
        env = "CLERK_DATABASE_MAX_CONNECTIONS",
        default_value_t = 10,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    max_connections: u32,

    /// Secret key to accept. Without one, a key is generated on the first start, stored (as
    /// a digest) and printed once.
    #[arg(
        long,
        value_name = "KEY",
        env = "CLERK_SECRET_KEY",
        hide_env_values = true
    )]
    // The SDK's type, as the global `--secret-key` (clap keeps one value per option name,
    // so both must parse alike); it becomes the server's `Secret` in `run`.
    secret_key: Option<SecretKey>,

    /// The key that seals secrets at rest (the signing keys), at least 32 characters of
    /// random text (`openssl rand -base64 32`). Without it, SQLite gets a key file beside the
    /// database (`<database>.key`) and PostgreSQL uses the secret key. Give every replica
    /// the same one.
    #[arg(
        long,
        value_name = "KEY",
        env = "CLERK_MASTER_KEY",
        hide_env_values = true
    )]
    master_key: Option<Secret>,

    /// The `iss` of session tokens (default: the server's base URL). Give every replica the
    /// same value.
    #[arg(long, value_name = "URL", env = "CLERK_ISSUER")]
    issuer: Option<String>,

    /// Relay every email of the outbox to this SMTP server too (`smtp://host:port`; plain
    /// SMTP, for local mail catchers).
    #[arg(long, value_name = "URL", env = "CLERK_SMTP_URL")]
    smtp_url: Option<String>,

    /// Deliver every event to this URL (repeatable; comma-separated in the environment
    /// variable). The endpoint registered for a URL is reused across restarts; its signing
    /// secret is printed on stderr at each start.
    #[arg(
        long = "webhook",
        value_name = "URL",
        env = "CLERK_WEBHOOK_URLS",
        value_delimiter = ','
    )]
    webhooks: Vec<String>,

    /// The waits between webhook delivery attempts, comma-separated (default Svix's: 5s,
    /// 5m, 30m, 2h, 5h, 10h, 10h); `--webhook-retry-schedule 1s,1s` for tests. Units: ms, s,
    /// m, h, d.
    #[arg(
        long,
        value_name = "DURATIONS",
        env = "CLERK_WEBHOOK_RETRY_SCHEDULE",
        value_delimiter = ',',
        value_parser = crate::time::parse_duration
    )]
    webhook_retry_schedule: Option<Vec<std::time::Duration>>,
}

/// Runs the server until Ctrl-C or SIGTERM.
pub async fn run(args: ServeArgs) -> Result<(), clerk_server::Error> {
    // Each request at info; `RUST_LOG` overrides.
    crate::init_logging_with("info,sqlx=warn");
    let mut config = Config::new(args.database_url.expose())
        .with_listen(args.listen)
        .with_max_connections(args.max_connections);
    if let Some(key) = args.secret_key.filter(|k| !k.expose().is_empty()) {
        config = config.with_secret_key(Secret::new(key.expose()));
    }
    if let Some(key) = args.master_key.filter(|k| !k.expose().is_empty()) {
        config = config.with_master_key(key);
    }
    if let Some(issuer) = args.issuer {
        config = config.with_issuer(issuer);
    }
    if let Some(url) = args.smtp_url {
        config = config.with_smtp(SmtpConfig::from_url(&url)?);
    }
    for url in args.webhooks.iter().filter(|url| !url.trim().is_empty()) {
        config = config.with_webhook(url.trim());
    }
    if let Some(schedule) = args.webhook_retry_schedule {
        config = config.with_webhook_retry_schedule(schedule);
    }
    let server = Server::bind(config).await?;
    for endpoint in server.webhook_endpoints() {
        eprintln!(
            "webhook endpoint {} → {} (signing secret {})",
            endpoint.id,
            endpoint.url,
            endpoint.secret.expose()
        );
    }
    let mut banner = format!(
        "Clerk Backend API server listening on {}\n  API URL:  {}\n  JWKS URL: {}\n  \
         Frontend API (clerk-js proxyUrl): {}/__clerk\n  Dashboard: {}/ (sign in with the secret key)\n\
         publishable key: {}\n",
        server.base_url(),
        server.api_url(),
        server.jwks_url(),
        server.base_url(),
        server.base_url(),
        server.publishable_key()
    );
    if let Some(key) = server.generated_secret_key() {
        banner.push_str(&format!(
            "  Secret key: {}\n  (generated for this new database; only its digest is stored, so save it now)\n",
            key.expose()
        ));
    }
    banner.push_str("Press Ctrl-C to stop.\n");
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(banner.as_bytes())?;
    stdout.flush()?;
    drop(stdout);
    server.serve(shutdown_signal()).await
}

/// Completes on Ctrl-C or (on Unix) SIGTERM.
pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
