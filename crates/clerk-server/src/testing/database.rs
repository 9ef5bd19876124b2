//! [`TestDatabase`]: a throwaway database on either backend.

use crate::error::Error;
use crate::ids;

use super::TestBackend;

/// A throwaway database: a SQLite file in a temporary directory, or a fresh schema of a
/// PostgreSQL database. Removed when dropped (or by [`TestDatabase::remove`]). Start several
/// [`crate::Server`]s on its [`TestDatabase::url`] to test replicas.
///
/// ```no_run
/// # async fn run() -> Result<(), clerk_server::Error> {
/// use clerk_server::{Config, Server, TestBackend, TestDatabase};
///
/// // Two replicas on one database.
/// let database = TestDatabase::create(&TestBackend::Sqlite).await?;
/// let listen = "127.0.0.1:0".parse().unwrap();
/// let config = Config::new(database.url()).with_listen(listen).with_secret_key("sk_test_shared");
/// let first = Server::bind(config.clone()).await?;
/// let second = Server::bind(config).await?;
/// assert_ne!(first.local_addr(), second.local_addr());
/// # Ok(())
/// # }
/// ```
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
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), clerk_server::Error> {
    /// use clerk_server::{TestBackend, TestDatabase};
    ///
    /// let database = TestDatabase::create(&TestBackend::Sqlite).await?;
    /// assert!(database.url().starts_with("sqlite://"));
    /// # Ok(())
    /// # }
    /// ```
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

    /// The database URL for [`Config::new`](crate::Config::new).
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), clerk_server::Error> {
    /// use clerk_server::{Config, TestBackend, TestDatabase, TestServer};
    ///
    /// let database = TestDatabase::create(&TestBackend::Sqlite).await?;
    /// let server = TestServer::start_with(Config::new(database.url())).await;
    /// assert_eq!(server.database_url(), database.url());
    /// # Ok(())
    /// # }
    /// ```
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Removes the database now (dropping it does the same, less politely).
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), clerk_server::Error> {
    /// use clerk_server::{TestBackend, TestDatabase};
    ///
    /// let backend = TestBackend::Postgres("postgres://postgres@127.0.0.1:5432/test".into());
    /// let database = TestDatabase::create(&backend).await?;
    /// // ... servers on database.url() ...
    /// database.remove().await; // DROP SCHEMA now, rather than on a thread in Drop
    /// # Ok(())
    /// # }
    /// ```
    pub async fn remove(self) {
        if let Place::Postgres(schema) = self.place {
            schema.drop_now().await;
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
        // The migrations create pg_trgm where the search path points when it is missing:
        // here that would be this schema, and dropping the schema would take the extension
        // away from every other test server on the database. Put it in `public` first.
        // Concurrent first creations can race on the catalog; the loser finds it there.
        if let Err(error) = sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
            .execute(&mut conn)
            .await
        {
            tracing::debug!(%error, "pg_trgm in public: concurrent creation, checked below");
            sqlx::query("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
                .fetch_one(&mut conn)
                .await?;
        }
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
