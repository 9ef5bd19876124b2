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
pub(crate) mod credentials;
pub(crate) mod identifications;
pub(crate) mod instance;
mod migrate;
pub(crate) mod outbox;
pub(crate) mod seed;
pub(crate) mod sessions;
pub(crate) mod sql;
pub(crate) mod users;

use std::time::Duration;

use sqlx::AnyConnection;
use sqlx::any::AnyPoolOptions;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Executor, Row, Transaction};

use crate::error::{ApiError, Error};

pub(crate) use migrate::StartupLock;

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
}

/// A handle on the database: cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct Store {
    writer: AnyPool,
    reader: AnyPool,
    dialect: Dialect,
}

/// A write transaction.
pub(crate) type Tx = Transaction<'static, Any>;

/// How many read connections SQLite gets.
const SQLITE_READERS: u32 = 4;

impl Store {
    /// Connects to `url`: `postgres://…`/`postgresql://…`, `sqlite:…`, or a plain file path
    /// (a SQLite file, created if missing). `max_connections` sizes the PostgreSQL pool.
    pub(crate) async fn connect(url: &str, max_connections: u32) -> Result<Self, Error> {
        sqlx::any::install_default_drivers();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = AnyPoolOptions::new()
                .max_connections(max_connections.max(1))
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(|conn, _| Box::pin(async move { postgres_session(conn).await }))
                .connect(url)
                .await?;
            warn_unless_durable(&pool).await;
            return Ok(Self {
                writer: pool.clone(),
                reader: pool,
                dialect: Dialect::Postgres,
            });
        }
        let url = sqlite_url(url)?;
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
        })
    }

    /// The backend.
    pub(crate) fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Starts a write transaction (`BEGIN IMMEDIATE` on SQLite).
    pub(crate) async fn write(&self) -> Result<Tx, ApiError> {
        Ok(self.begin_write().await?)
    }

    /// [`Store::write`] with the database's own error.
    async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match self.dialect {
            Dialect::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Dialect::Postgres => self.writer.begin().await,
        }
    }

    /// A connection for reads.
    pub(crate) async fn read(&self) -> Result<PoolConnection<Any>, ApiError> {
        Ok(self.reader.acquire().await?)
    }

    /// Takes the startup lock (a PostgreSQL advisory lock; SQLite serialises through its
    /// writer), under which migrations and bootstrap run.
    pub(crate) async fn startup_lock(&self) -> Result<StartupLock, Error> {
        StartupLock::acquire(self.writer.acquire().await?, self.dialect).await
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
async fn postgres_session(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
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
fn sqlite_url(url: &str) -> Result<String, Error> {
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

/// Per-connection SQLite settings (see the module docs for why each).
async fn sqlite_pragmas(conn: &mut AnyConnection, read_only: bool) -> Result<(), sqlx::Error> {
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

/// A 0/1 integer for a boolean column.
pub(crate) fn flag(value: bool) -> i64 {
    i64::from(value)
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
    }
}
