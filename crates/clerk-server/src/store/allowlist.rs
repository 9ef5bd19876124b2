//! Allowlist identifiers.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::sql::{page_of, unique_violation};
use super::{Page, Result, Store, StoreError, Tx, Unique};
use crate::domain::identifiers::IdentifierKind;

/// A stored allowlist identifier.
#[derive(Debug, Clone)]
pub(crate) struct AllowlistIdentifier {
    pub id: String,
    pub identifier: String,
    pub identifier_type: IdentifierKind,
    pub invitation_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, identifier, identifier_type, invitation_id, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<AllowlistIdentifier, sqlx::Error> {
    let kind: String = row.try_get("identifier_type")?;
    Ok(AllowlistIdentifier {
        id: row.try_get("id")?,
        identifier: row.try_get("identifier")?,
        identifier_type: IdentifierKind::parse(&kind)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown identifier type {kind}").into()))?,
        invitation_id: row.try_get("invitation_id")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Adds an identifier; one already on the allowlist is [`Unique::AllowlistIdentifier`].
pub(crate) async fn insert(tx: &mut Tx, item: &AllowlistIdentifier) -> Result<()> {
    let inserted = sqlx::query(
        "INSERT INTO allowlist_identifiers (id, identifier, identifier_type, invitation_id, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&item.id)
    .bind(&item.identifier)
    .bind(item.identifier_type.as_str())
    .bind(item.invitation_id.clone())
    .bind(item.created_at)
    .bind(item.updated_at)
    .execute(&mut **tx)
    .await;
    match inserted {
        Ok(_) => Ok(()),
        Err(err) if unique_violation(&err).is_some() => {
            Err(StoreError::Taken(Unique::AllowlistIdentifier))
        }
        Err(err) => Err(err.into()),
    }
}

/// Deletes an identifier; false if there was none.
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<bool> {
    let deleted = sqlx::query("DELETE FROM allowlist_identifiers WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

impl Store {
    /// A page of allowlist identifiers, newest first, and the total.
    pub(crate) async fn list_allowlist(
        &self,
        page: Page,
    ) -> Result<(Vec<AllowlistIdentifier>, i64)> {
        let mut conn = self.read().await?;
        let (rows, total) =
            page_of(&mut conn, "allowlist_identifiers", COLUMNS, &|_| {}, page).await?;
        let items = rows
            .iter()
            .map(from_row)
            .collect::<Result<_, sqlx::Error>>()?;
        Ok((items, total))
    }
}
