//! Storage: one interface over SQLite and PostgreSQL, chosen at run time by the database URL.
//!
//! Both backends go through sqlx's `Any` driver, so each query is written once (with `$1`
//! placeholders, which both accept); the few statements that differ ask the [`Dialect`].
//! Column types are those both decode through `Any`: `BIGINT` integers (booleans as 0/1,
//! timestamps in unix milliseconds) and `TEXT` (JSON as text).
//!
//! SQLite runs in WAL mode with `synchronous = FULL`, foreign keys on and a 5 s busy timeout,
//! with one writer connection (SQLite has one writer anyway; a single connection avoids
//! `SQLITE_BUSY`) and a few read-only readers. Every write transaction starts with
//! `BEGIN IMMEDIATE`, so another process on the same file (`clerk keys rotate`) waits for
//! its turn instead of failing. With `synchronous = FULL` every commit is fsynced before the
//! server answers, so an acknowledged write survives `kill -9` and power loss alike.
//!
//! PostgreSQL uses one pool for reads and writes; read-modify-write transactions lock the
//! row with `SELECT … FOR UPDATE`, which SQLite does not need (its writer is exclusive).
//! Its connections plan every statement with its parameter values (see
//! `postgres_session`), and the server warns at start when PostgreSQL's own settings
//! would let it lose a commit it acknowledged. Running several replicas on one database
//! is described in `docs/scaling.md`.

pub(crate) mod allowlist;
pub(crate) mod api_keys;
pub(crate) mod blocklist;
pub(crate) mod clients;
pub(crate) mod dashboard_sessions;
pub(crate) mod domains;
mod error;
pub(crate) mod external_accounts;
pub(crate) mod identifications;
pub(crate) mod images;
pub(crate) mod instance;
pub(crate) mod invitations;
pub(crate) mod jwt_templates;
pub(crate) mod m2m_tokens;
pub(crate) mod machines;
pub(crate) mod message_templates;
mod migrate;
pub(crate) mod oauth_applications;
pub(crate) mod organizations;
pub(crate) mod outbox;
pub(crate) mod passkeys;
pub(crate) mod record;
pub(crate) mod redirect_urls;
pub(crate) mod sealed;
pub(crate) mod sessions;
pub(crate) mod sign_ins;
pub(crate) mod sign_ups;
pub(crate) mod sql;
pub(crate) mod tickets;
pub(crate) mod trusted_devices;
mod unit;
pub(crate) mod users;
pub(crate) mod verifications;
pub(crate) mod waitlist;
pub(crate) mod webhooks;

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::AnyConnection;
use sqlx::any::AnyPoolOptions;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Executor, Row, Transaction};

use crate::error::Error;

pub(crate) use error::{Result, StoreError, Unique};
pub(crate) use migrate::StartupLock;
pub(crate) use unit::UnitOfWork;

/// One page of a list: at most `limit` rows after skipping `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Page {
    pub limit: i64,
    pub offset: i64,
}

/// The database behind a [`Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// What a locking read appends: `FOR UPDATE` on PostgreSQL, nothing on SQLite (whose
    /// write transactions are already exclusive).
    pub(crate) fn for_update(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE",
        }
    }

    /// What a read that only keeps a row from changing appends: `FOR SHARE` on PostgreSQL
    /// (readers holding it do not wait for each other), nothing on SQLite.
    pub(crate) fn for_share(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR SHARE",
        }
    }
}

/// A handle on the database: cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct Store {
    writer: AnyPool,
    reader: AnyPool,
    dialect: Dialect,
    /// The database file, on SQLite.
    sqlite_file: Option<PathBuf>,
}

/// A write transaction.
pub(crate) type Tx = Transaction<'static, Any>;

/// How many read connections SQLite gets.
const SQLITE_READERS: u32 = 4;

impl Store {
    /// Connects to `url`: `postgres://…`/`postgresql://…`, `sqlite:…`, or a plain file path
    /// (a SQLite file, created if missing). `max_connections` sizes the PostgreSQL pool.
    pub(crate) async fn connect(
        url: &str,
        max_connections: u32,
    ) -> std::result::Result<Self, Error> {
        sqlx::any::install_default_drivers();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = AnyPoolOptions::new()
                .max_connections(max_connections.max(1))
                .acquire_timeout(POSTGRES_ACQUIRE_TIMEOUT)
                .after_connect(|conn, _| Box::pin(async move { postgres_session(conn).await }))
                .connect(url)
                .await?;
            warn_unless_durable(&pool).await;
            return Ok(Self {
                writer: pool.clone(),
                reader: pool,
                dialect: Dialect::Postgres,
                sqlite_file: None,
            });
        }
        let url = sqlite_url(url)?;
        let file = sqlite_file(&url);
        crate::files::prepare_database_file(&file)?;
        let writer = AnyPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(60))
            .after_connect(|conn, _| Box::pin(async move { sqlite_pragmas(conn, false).await }))
            .connect(&url)
            .await?;
        let reader = AnyPoolOptions::new()
            .max_connections(SQLITE_READERS)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(|conn, _| Box::pin(async move { sqlite_pragmas(conn, true).await }))
            .connect(&url)
            .await?;
        Ok(Self {
            writer,
            reader,
            dialect: Dialect::Sqlite,
            sqlite_file: Some(file),
        })
    }

    /// The database file, on SQLite.
    pub(crate) fn sqlite_file(&self) -> Option<&Path> {
        self.sqlite_file.as_deref()
    }

    /// The backend.
    pub(crate) fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Starts a write transaction (`BEGIN IMMEDIATE` on SQLite). Callers go through
    /// [`UnitOfWork::begin`].
    async fn begin_write(&self) -> std::result::Result<Tx, sqlx::Error> {
        match self.dialect {
            Dialect::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Dialect::Postgres => self.writer.begin().await,
        }
    }

    /// A connection for reads.
    pub(crate) async fn read(&self) -> Result<PoolConnection<Any>> {
        Ok(self.reader.acquire().await?)
    }

    /// Takes the startup lock (a PostgreSQL advisory lock; SQLite serialises through its
    /// writer), under which migrations and bootstrap run.
    pub(crate) async fn startup_lock(&self) -> std::result::Result<StartupLock, Error> {
        StartupLock::acquire(self.writer.acquire().await?, self.dialect).await
    }

    /// After a bulk load on PostgreSQL, does at once what autovacuum would do a little
    /// later: `VACUUM ANALYZE` gives the planner the tables' new size, marks the pages
    /// all-visible (index-only scans, counts) and merges the trigram indexes' pending lists,
    /// which every search would otherwise read through. SQLite keeps no statistics by default
    /// and needs none (its plans do not depend on them here).
    pub(crate) async fn analyze_users(&self) -> std::result::Result<(), sqlx::Error> {
        self.vacuum_analyze("users, identifications").await
    }

    /// `VACUUM ANALYZE <tables>` on PostgreSQL (a fixed list of table names); nothing on
    /// SQLite.
    pub(crate) async fn vacuum_analyze(
        &self,
        tables: &'static str,
    ) -> std::result::Result<(), sqlx::Error> {
        if self.dialect == Dialect::Postgres {
            let mut conn = self.writer.acquire().await?;
            // Not in a transaction: VACUUM cannot run in one.
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("VACUUM ANALYZE {tables}")))
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }

    /// Closes every connection.
    pub(crate) async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }
}

/// Per-connection PostgreSQL settings.
///
/// `plan_cache_mode = force_custom_plan`: sqlx prepares every statement once per connection,
/// and after five executions PostgreSQL may switch a prepared statement to a generic plan,
/// made without the parameter values. For `search_all LIKE $1 … ORDER BY created_at LIMIT
/// 10` the generic plan walks the whole `created_at` index, filtering: right for a needle
/// that matches half the users, a full scan for one that matches a single user. Planning
/// with the values costs a fraction of a millisecond and keeps every filter on its index.
/// Engines without the setting (PostgreSQL 11, YugabyteDB) keep their default, with a
/// warning.
async fn postgres_session(conn: &mut AnyConnection) -> std::result::Result<(), sqlx::Error> {
    if let Err(err) = conn
        .execute("SET plan_cache_mode = force_custom_plan")
        .await
    {
        tracing::warn!(error = %err, "cannot set plan_cache_mode; filtered lists may use generic plans");
    }
    Ok(())
}

/// Warns when PostgreSQL may lose commits it acknowledged (`fsync` or `synchronous_commit`
/// off): this server answers 2xx once its transaction commits, and promises no more than
/// the database keeps. Engines without these settings (CockroachDB) are not warned about.
async fn warn_unless_durable(pool: &AnyPool) {
    let settings =
        sqlx::query("SELECT current_setting('fsync'), current_setting('synchronous_commit')")
            .fetch_one(pool)
            .await
            .and_then(|row| Ok((row.try_get::<String, _>(0)?, row.try_get::<String, _>(1)?)));
    match settings {
        Ok((fsync, synchronous_commit)) if fsync == "off" || synchronous_commit == "off" => {
            tracing::warn!(
                fsync,
                synchronous_commit,
                "PostgreSQL may lose acknowledged writes if it crashes; turn fsync and synchronous_commit on"
            );
        }
        Ok(_) => {}
        Err(err) => tracing::debug!(error = %err, "cannot read the durability settings"),
    }
}

/// Turns the configured location into a sqlx SQLite URL that creates the file if missing.
fn sqlite_url(url: &str) -> std::result::Result<String, Error> {
    let url = if url.starts_with("sqlite:") {
        url.to_owned()
    } else if url.contains("://") {
        return Err(Error::InvalidConfig(format!(
            "unsupported database URL scheme in {:?}; use postgres://…, sqlite://… or a file path",
            url.split("://").next().unwrap_or_default()
        )));
    } else {
        format!("sqlite://{url}")
    };
    if url.contains(":memory:") || url.contains("mode=memory") {
        return Err(Error::InvalidConfig(
            "in-memory SQLite is not supported (readers and the writer must share a file); \
             use a file path, or clerk_server::TestServer for a throwaway database"
                .into(),
        ));
    }
    if url.contains("mode=") {
        Ok(url)
    } else if url.contains('?') {
        Ok(format!("{url}&mode=rwc"))
    } else {
        Ok(format!("{url}?mode=rwc"))
    }
}

/// The file of a SQLite URL as [`sqlite_url`] makes it (`sqlite://path?query`).
fn sqlite_file(url: &str) -> PathBuf {
    let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = path.split('?').next().unwrap_or_default();
    PathBuf::from(
        percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .as_ref(),
    )
}

/// Per-connection SQLite settings (see the module docs for why each).
async fn sqlite_pragmas(
    conn: &mut AnyConnection,
    read_only: bool,
) -> std::result::Result<(), sqlx::Error> {
    conn.execute("PRAGMA busy_timeout = 5000").await?;
    if !read_only {
        conn.execute("PRAGMA journal_mode = WAL").await?;
    }
    conn.execute("PRAGMA synchronous = FULL").await?;
    conn.execute("PRAGMA foreign_keys = ON").await?;
    if read_only {
        conn.execute("PRAGMA query_only = ON").await?;
    }
    Ok(())
}

/// What a database error says about the database, for deciding how to answer it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    /// The connection broke under the statement (terminated by the server, reset): the
    /// database may be fine, and a read can be tried again on another connection.
    Broken,
    /// No connection could be had (the database is down, unreachable or refusing
    /// connections) or SQLite stayed busy: it should pass; nothing to retry at once.
    Unavailable,
    /// Anything else: a bug or a constraint, not a condition that passes.
    Other,
}

/// How long a caller waits for a PostgreSQL connection before the store gives up with
/// [`Fault::Unavailable`]: short, so that an outage fails fast instead of holding every
/// caller for its length.
pub(crate) const POSTGRES_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// Classifies a database error (see [`Fault`]).
pub(crate) fn fault(err: &sqlx::Error) -> Fault {
    match err {
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) | sqlx::Error::Tls(_) => Fault::Broken,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => {
            Fault::Unavailable
        }
        sqlx::Error::Database(db) => {
            let code = db.code();
            let code = code.as_deref().unwrap_or_default();
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                return if is_sqlite_busy(code) {
                    Fault::Unavailable
                } else {
                    Fault::Other
                };
            }
            postgres_fault(code)
        }
        _ => Fault::Other,
    }
}

/// PostgreSQL's SQLSTATEs: connection exceptions (class 08) and the server shutting down or
/// terminating the backend (57P01, 57P02) break a connection; a server starting up (57P03)
/// or out of connections (53300) refuses new ones.
fn postgres_fault(sqlstate: &str) -> Fault {
    match sqlstate {
        code if code.starts_with("08") => Fault::Broken,
        "57P01" | "57P02" => Fault::Broken,
        "57P03" | "53300" => Fault::Unavailable,
        _ => Fault::Other,
    }
}

/// Whether `code` is SQLite's primary code 5 (BUSY) or 6 (LOCKED), possibly extended: the
/// busy timeout passed with another process holding the file.
fn is_sqlite_busy(code: &str) -> bool {
    code.parse::<i64>()
        .is_ok_and(|code| matches!(code & 0xff, 5 | 6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls() {
        assert_eq!(
            sqlite_url("clerk-local.db").unwrap(),
            "sqlite://clerk-local.db?mode=rwc"
        );
        assert_eq!(
            sqlite_url("/tmp/x.db").unwrap(),
            "sqlite:///tmp/x.db?mode=rwc"
        );
        assert_eq!(
            sqlite_url("sqlite://a.db?mode=rw").unwrap(),
            "sqlite://a.db?mode=rw"
        );
        assert!(sqlite_url("sqlite::memory:").is_err());
        assert!(sqlite_url("mysql://x").is_err());
        assert_eq!(
            sqlite_file("sqlite://clerk-local.db?mode=rwc"),
            PathBuf::from("clerk-local.db")
        );
        assert_eq!(
            sqlite_file("sqlite:///tmp/x.db?mode=rwc"),
            PathBuf::from("/tmp/x.db")
        );
        assert_eq!(sqlite_file("sqlite:a%20b.db"), PathBuf::from("a b.db"));
    }

    #[test]
    fn faults() {
        let io = sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        assert_eq!(fault(&io), Fault::Broken);
        assert_eq!(fault(&sqlx::Error::PoolTimedOut), Fault::Unavailable);
        assert_eq!(fault(&sqlx::Error::RowNotFound), Fault::Other);
        assert!(is_sqlite_busy("5") && is_sqlite_busy("517") && is_sqlite_busy("6"));
        assert!(!is_sqlite_busy("19") && !is_sqlite_busy("2067"));
        assert_eq!(postgres_fault("57P01"), Fault::Broken);
        assert_eq!(postgres_fault("08006"), Fault::Broken);
        assert_eq!(postgres_fault("53300"), Fault::Unavailable);
        assert_eq!(postgres_fault("42501"), Fault::Other);
        assert_eq!(postgres_fault("23505"), Fault::Other);
    }
}
