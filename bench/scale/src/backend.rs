//! The databases a run measures: a fresh SQLite file, or a fresh PostgreSQL database, per
//! backend and run.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sqlx::{AssertSqlSafe, Connection, PgConnection, Row};

use crate::Error;

/// A storage backend of clerk-server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL database.
    Postgres,
}

impl Backend {
    /// The name used in tables: `SQLite`, `PostgreSQL`.
    pub fn label(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// A database created for one run; [`Database::remove`] deletes it.
#[derive(Debug)]
pub struct Database {
    url: String,
    place: Place,
}

#[derive(Debug)]
enum Place {
    Sqlite(PathBuf),
    Postgres { admin_url: String, name: String },
}

impl Database {
    /// Creates an empty database named after `label` (a tier such as `10k`): the SQLite file
    /// `<work_dir>/scale-<label>.db`, or the PostgreSQL database `clerk_scale_<label>_<pid>`
    /// on the server of `postgres_url` (which names any database the user may connect to).
    /// A leftover of an earlier run with the same name is removed first.
    pub async fn create(
        backend: Backend,
        label: &str,
        work_dir: &Path,
        postgres_url: &str,
    ) -> Result<Self, Error> {
        let label: String = label
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        match backend {
            Backend::Sqlite => {
                std::fs::create_dir_all(work_dir)?;
                let path = work_dir.join(format!("scale-{label}.db"));
                remove_sqlite_files(&path)?;
                Ok(Self {
                    url: format!("sqlite://{}", path.display()),
                    place: Place::Sqlite(path),
                })
            }
            Backend::Postgres => {
                let name = format!("clerk_scale_{label}_{}", std::process::id());
                let mut admin = PgConnection::connect(postgres_url).await.map_err(|err| {
                    format!("cannot connect to PostgreSQL at {postgres_url}: {err}")
                })?;
                sqlx::query(AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await?;
                sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await?;
                admin.close().await?;
                let mut url = url::Url::parse(postgres_url)?;
                url.set_path(&format!("/{name}"));
                Ok(Self {
                    url: url.to_string(),
                    place: Place::Postgres {
                        admin_url: postgres_url.to_owned(),
                        name,
                    },
                })
            }
        }
    }

    /// The URL to hand to clerk-server.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The space the database takes: the SQLite file with its write-ahead log, or
    /// `pg_database_size`.
    pub async fn size_bytes(&self) -> Result<u64, Error> {
        match &self.place {
            Place::Sqlite(path) => Ok(sqlite_files(path)
                .iter()
                .filter_map(|p| std::fs::metadata(p).ok())
                .map(|m| m.len())
                .sum()),
            Place::Postgres { .. } => {
                let mut conn = PgConnection::connect(&self.url).await?;
                let size: i64 = sqlx::query("SELECT pg_database_size(current_database())")
                    .fetch_one(&mut conn)
                    .await?
                    .try_get(0)?;
                conn.close().await?;
                Ok(u64::try_from(size).unwrap_or_default())
            }
        }
    }

    /// Deletes the database.
    pub async fn remove(self) -> Result<(), Error> {
        match self.place {
            Place::Sqlite(path) => remove_sqlite_files(&path),
            Place::Postgres { admin_url, name } => {
                let mut admin = PgConnection::connect(&admin_url).await?;
                sqlx::query(AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await?;
                admin.close().await?;
                Ok(())
            }
        }
    }
}

/// The database file and the files SQLite keeps beside it.
fn sqlite_files(path: &Path) -> [PathBuf; 3] {
    let with = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [path.to_path_buf(), with("-wal"), with("-shm")]
}

fn remove_sqlite_files(path: &Path) -> Result<(), Error> {
    for file in sqlite_files(path) {
        match std::fs::remove_file(&file) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(err.into()),
            _ => {}
        }
    }
    Ok(())
}
