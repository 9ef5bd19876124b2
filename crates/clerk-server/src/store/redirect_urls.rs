//! The instance's redirect URLs.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::sql::{page_of, unique_violation};
use super::{Page, Result, Store, StoreError, Tx, Unique};

/// A stored redirect URL.
#[derive(Debug, Clone)]
pub(crate) struct RedirectUrl {
    pub id: String,
    pub url: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, url, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<RedirectUrl, sqlx::Error> {
    Ok(RedirectUrl {
        id: row.try_get("id")?,
        url: row.try_get("url")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Adds a URL; one already listed is [`Unique::RedirectUrl`].
pub(crate) async fn insert(tx: &mut Tx, item: &RedirectUrl) -> Result<()> {
    let inserted = sqlx::query(
        "INSERT INTO redirect_urls (id, url, created_at, updated_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&item.id)
    .bind(&item.url)
    .bind(item.created_at)
    .bind(item.updated_at)
    .execute(&mut **tx)
    .await;
    match inserted {
        Ok(_) => Ok(()),
        Err(err) if unique_violation(&err).is_some() => Err(StoreError::Taken(Unique::RedirectUrl)),
        Err(err) => Err(err.into()),
    }
}

/// Deletes a URL; false if there was none.
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<bool> {
    let deleted = sqlx::query("DELETE FROM redirect_urls WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

impl Store {
    /// A page of redirect URLs, newest first, and the total.
    pub(crate) async fn list_redirect_urls(&self, page: Page) -> Result<(Vec<RedirectUrl>, i64)> {
        let mut conn = self.read().await?;
        let (rows, total) = page_of(&mut conn, "redirect_urls", COLUMNS, &|_| {}, page).await?;
        let items = rows
            .iter()
            .map(from_row)
            .collect::<Result<_, sqlx::Error>>()?;
        Ok((items, total))
    }

    /// One redirect URL; unknown is `StoreError::NotFound`.
    pub(crate) async fn redirect_url(&self, id: &str) -> Result<RedirectUrl> {
        let mut conn = self.read().await?;
        let row =
            sqlx::query("SELECT id, url, created_at, updated_at FROM redirect_urls WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        match row {
            Some(row) => Ok(from_row(&row)?),
            None => Err(StoreError::not_found("redirect url", id)),
        }
    }
}
