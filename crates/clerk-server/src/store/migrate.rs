//! Migrations: numbered SQL files per backend, applied in order and recorded in
//! `schema_migrations`. On PostgreSQL they run under an advisory lock, so replicas starting
//! at the same moment take turns and each migration runs exactly once.

use sqlx::AnyConnection;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AssertSqlSafe, Connection, Executor, Row, Transaction};

use super::Dialect;
use crate::error::Error;

struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("../../migrations/sqlite/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "failed_verification_attempts",
        sql: include_str!("../../migrations/sqlite/0002_failed_verification_attempts.sql"),
    },
    Migration {
        version: 3,
        name: "organizations",
        sql: include_str!("../../migrations/sqlite/0003_organizations.sql"),
    },
    Migration {
        version: 4,
        name: "webhooks",
        sql: include_str!("../../migrations/sqlite/0004_webhooks.sql"),
    },
    Migration {
        version: 5,
        name: "jwt_templates",
        sql: include_str!("../../migrations/sqlite/0005_jwt_templates.sql"),
    },
    Migration {
        version: 6,
        name: "tickets",
        sql: include_str!("../../migrations/sqlite/0006_tickets.sql"),
    },
    Migration {
        version: 7,
        name: "templates_lists",
        sql: include_str!("../../migrations/sqlite/0007_templates_lists.sql"),
    },
    Migration {
        version: 8,
        name: "verification_signups_waitlist",
        sql: include_str!("../../migrations/sqlite/0008_verification_signups_waitlist.sql"),
    },
    Migration {
        version: 9,
        name: "instance_misc",
        sql: include_str!("../../migrations/sqlite/0009_instance_misc.sql"),
    },
    Migration {
        version: 10,
        name: "message_templates",
        sql: include_str!("../../migrations/sqlite/0010_message_templates.sql"),
    },
    Migration {
        version: 11,
        name: "user_extras",
        sql: include_str!("../../migrations/sqlite/0011_user_extras.sql"),
    },
    Migration {
        version: 12,
        name: "browser_clients",
        sql: include_str!("../../migrations/sqlite/0012_browser_clients.sql"),
    },
    Migration {
        version: 13,
        name: "passkeys_external_accounts_trusted_devices",
        sql: include_str!(
            "../../migrations/sqlite/0013_passkeys_external_accounts_trusted_devices.sql"
        ),
    },
    Migration {
        version: 14,
        name: "machines",
        sql: include_str!("../../migrations/sqlite/0014_machines.sql"),
    },
    Migration {
        version: 15,
        name: "api_keys",
        sql: include_str!("../../migrations/sqlite/0015_api_keys.sql"),
    },
    Migration {
        version: 16,
        name: "dashboard_sessions",
        sql: include_str!("../../migrations/sqlite/0016_dashboard_sessions.sql"),
    },
    Migration {
        version: 17,
        name: "waitlist_invitations",
        sql: include_str!("../../migrations/sqlite/0017_waitlist_invitations.sql"),
    },
];

const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("../../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "descending_order_indexes",
        sql: include_str!("../../migrations/postgres/0002_descending_order_indexes.sql"),
    },
    Migration {
        version: 3,
        name: "failed_verification_attempts",
        sql: include_str!("../../migrations/postgres/0003_failed_verification_attempts.sql"),
    },
    Migration {
        version: 4,
        name: "organizations",
        sql: include_str!("../../migrations/postgres/0004_organizations.sql"),
    },
    Migration {
        version: 5,
        name: "webhooks",
        sql: include_str!("../../migrations/postgres/0005_webhooks.sql"),
    },
    Migration {
        version: 6,
        name: "jwt_templates",
        sql: include_str!("../../migrations/postgres/0006_jwt_templates.sql"),
    },
    Migration {
        version: 7,
        name: "tickets",
        sql: include_str!("../../migrations/postgres/0007_tickets.sql"),
    },
    Migration {
        version: 8,
        name: "templates_lists",
        sql: include_str!("../../migrations/postgres/0008_templates_lists.sql"),
    },
    Migration {
        version: 9,
        name: "verification_signups_waitlist",
        sql: include_str!("../../migrations/postgres/0009_verification_signups_waitlist.sql"),
    },
    Migration {
        version: 10,
        name: "instance_misc",
        sql: include_str!("../../migrations/postgres/0010_instance_misc.sql"),
    },
    Migration {
        version: 11,
        name: "message_templates",
        sql: include_str!("../../migrations/postgres/0011_message_templates.sql"),
    },
    Migration {
        version: 12,
        name: "user_extras",
        sql: include_str!("../../migrations/postgres/0012_user_extras.sql"),
    },
    Migration {
        version: 13,
        name: "browser_clients",
        sql: include_str!("../../migrations/postgres/0013_browser_clients.sql"),
    },
    Migration {
        version: 14,
        name: "passkeys_external_accounts_trusted_devices",
        sql: include_str!(
            "../../migrations/postgres/0014_passkeys_external_accounts_trusted_devices.sql"
        ),
    },
    Migration {
        version: 15,
        name: "machines",
        sql: include_str!("../../migrations/postgres/0015_machines.sql"),
    },
    Migration {
        version: 16,
        name: "api_keys",
        sql: include_str!("../../migrations/postgres/0016_api_keys.sql"),
    },
    Migration {
        version: 17,
        name: "dashboard_sessions",
        sql: include_str!("../../migrations/postgres/0017_dashboard_sessions.sql"),
    },
    Migration {
        version: 18,
        name: "waitlist_invitations",
        sql: include_str!("../../migrations/postgres/0018_waitlist_invitations.sql"),
    },
];

/// Key of the PostgreSQL advisory lock held during startup ("clerk-srv" in ASCII).
const ADVISORY_LOCK_KEY: i64 = 0x636c_6572_6b2d_7372;

/// A connection holding the startup lock. Migrations and bootstrap run on it; dropping it
/// without [`StartupLock::release`] still frees the lock, because the connection is closed.
pub(crate) struct StartupLock {
    conn: Option<PoolConnection<Any>>,
    dialect: Dialect,
}

impl StartupLock {
    pub(super) async fn acquire(
        mut conn: PoolConnection<Any>,
        dialect: Dialect,
    ) -> Result<Self, Error> {
        if dialect == Dialect::Postgres {
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(ADVISORY_LOCK_KEY)
                .execute(&mut *conn)
                .await?;
        }
        Ok(Self {
            conn: Some(conn),
            dialect,
        })
    }

    /// The locked connection.
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        // Present until release() or drop.
        self.conn.as_mut().expect("startup lock already released")
    }

    /// Starts a transaction on the locked connection (`BEGIN IMMEDIATE` on SQLite).
    pub(crate) async fn begin(&mut self) -> Result<Transaction<'_, Any>, sqlx::Error> {
        let dialect = self.dialect;
        let conn = self.conn();
        match dialect {
            Dialect::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await,
            Dialect::Postgres => conn.begin().await,
        }
    }

    /// Applies every migration the database has not seen.
    pub(crate) async fn migrate(&mut self, now_ms: i64) -> Result<(), Error> {
        let migrations = match self.dialect {
            Dialect::Sqlite => SQLITE,
            Dialect::Postgres => POSTGRES,
        };
        self.conn()
            .execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at BIGINT NOT NULL
                )",
            )
            .await?;
        let applied = applied_versions(self.conn()).await?;
        let newest_known = migrations.last().map_or(0, |m| m.version);
        if let Some(unknown) = applied.iter().find(|v| **v > newest_known) {
            return Err(Error::InvalidConfig(format!(
                "the database has migration {unknown}, newer than this clerk-server knows ({newest_known}); upgrade clerk-server"
            )));
        }
        for migration in migrations.iter().filter(|m| !applied.contains(&m.version)) {
            let mut tx = self.begin().await?;
            // Checked again inside the transaction: on SQLite, another process may have
            // applied it since (its write lock serialises the two of us; on PostgreSQL the
            // advisory lock already does).
            if applied_versions(&mut tx)
                .await?
                .contains(&migration.version)
            {
                continue;
            }
            tracing::info!(
                version = migration.version,
                name = migration.name,
                "applying migration"
            );
            sqlx::raw_sql(AssertSqlSafe(migration.sql))
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            )
            .bind(migration.version)
            .bind(migration.name)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Releases the lock and returns the connection to the pool.
    pub(crate) async fn release(mut self) -> Result<(), Error> {
        if let Some(mut conn) = self.conn.take() {
            if self.dialect == Dialect::Postgres {
                sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(ADVISORY_LOCK_KEY)
                    .execute(&mut *conn)
                    .await?;
            }
        }
        Ok(())
    }
}

async fn applied_versions(conn: &mut AnyConnection) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query("SELECT version FROM schema_migrations")
        .fetch_all(conn)
        .await?
        .iter()
        .map(|row| row.try_get::<i64, _>(0))
        .collect()
}

impl Drop for StartupLock {
    fn drop(&mut self) {
        // Not released (an error on the way): close the connection rather than return it to
        // the pool, so PostgreSQL frees the session-level advisory lock.
        if let Some(conn) = self.conn.take() {
            if self.dialect == Dialect::Postgres {
                drop(conn.detach());
            }
        }
    }
}
