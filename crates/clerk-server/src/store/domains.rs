//! The instance's satellite domains (the primary domain is the server's own URL).

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::sql::unique_violation;
use super::{Result, Store, Tx};

/// A stored satellite domain.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SatelliteDomain {
    pub id: String,
    pub name: String,
    pub proxy_url: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, name, proxy_url, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<SatelliteDomain, sqlx::Error> {
    Ok(SatelliteDomain {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        proxy_url: row.try_get("proxy_url")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Adds a satellite; false (nothing added) if its name is taken.
pub(crate) async fn insert(tx: &mut Tx, domain: &SatelliteDomain) -> Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO domains (id, name, proxy_url, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&domain.id)
    .bind(&domain.name)
    .bind(domain.proxy_url.clone())
    .bind(domain.created_at)
    .bind(domain.updated_at)
    .execute(&mut **tx)
    .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(err) if unique_violation(&err).is_some() => Ok(false),
        Err(err) => Err(err.into()),
    }
}

/// Writes a satellite back; false (nothing written) if its new name is taken.
pub(crate) async fn save(tx: &mut Tx, domain: &SatelliteDomain) -> Result<bool> {
    let saved =
        sqlx::query("UPDATE domains SET name = $1, proxy_url = $2, updated_at = $3 WHERE id = $4")
            .bind(&domain.name)
            .bind(domain.proxy_url.clone())
            .bind(domain.updated_at)
            .bind(&domain.id)
            .execute(&mut **tx)
            .await;
    match saved {
        Ok(_) => Ok(true),
        Err(err) if unique_violation(&err).is_some() => Ok(false),
        Err(err) => Err(err.into()),
    }
}

/// The satellite `id`, read on `conn` (in a unit of work, `lock` is
/// [`Dialect::for_update`](super::Dialect::for_update) to lock its row).
pub(crate) async fn get(
    conn: &mut AnyConnection,
    id: &str,
    lock: &str,
) -> Result<Option<SatelliteDomain>> {
    let sql = format!("SELECT {COLUMNS} FROM domains WHERE id = $1{lock}");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// Deletes a satellite; false if there was none.
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<bool> {
    let deleted = sqlx::query("DELETE FROM domains WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

impl Store {
    /// Every satellite domain, oldest first.
    pub(crate) async fn satellite_domains(&self) -> Result<Vec<SatelliteDomain>> {
        let mut conn = self.read().await?;
        let sql = format!("SELECT {COLUMNS} FROM domains ORDER BY created_at, seq");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *conn)
            .await?;
        Ok(rows
            .iter()
            .map(from_row)
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// The satellite domain `id`.
    pub(crate) async fn satellite_domain(&self, id: &str) -> Result<Option<SatelliteDomain>> {
        let mut conn = self.read().await?;
        get(&mut conn, id, "").await
    }
}
