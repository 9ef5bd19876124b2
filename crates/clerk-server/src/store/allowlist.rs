//! Allowlist identifiers.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::Store;
use super::sql::{page_of, unique_violation};
use crate::error::ApiError;
use crate::identifiers::IdentifierKind;
use crate::query::Page;

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

impl Store {
    /// A page of allowlist identifiers, newest first, and the total.
    pub(crate) async fn list_allowlist(
        &self,
        page: Page,
    ) -> Result<(Vec<AllowlistIdentifier>, i64), ApiError> {
        let mut conn = self.read().await?;
        let (rows, total) =
            page_of(&mut conn, "allowlist_identifiers", COLUMNS, &|_| {}, page).await?;
        let items = rows.iter().map(from_row).collect::<Result<_, _>>()?;
        Ok((items, total))
    }

    /// Adds an identifier; an identifier already present is 400 `duplicate_record`, as in
    /// Clerk.
    pub(crate) async fn create_allowlist_identifier(
        &self,
        item: &AllowlistIdentifier,
    ) -> Result<(), ApiError> {
        let mut tx = self.write().await?;
        let result = sqlx::query(
            "INSERT INTO allowlist_identifiers (id, identifier, identifier_type, invitation_id, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&item.id)
        .bind(&item.identifier)
        .bind(item.identifier_type.as_str())
        .bind(item.invitation_id.clone())
        .bind(item.created_at)
        .bind(item.updated_at)
        .execute(&mut *tx)
        .await;
        match result {
            Ok(_) => {}
            Err(err) if unique_violation(&err).is_some() => {
                return Err(ApiError::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    "duplicate_record",
                    "duplicate allowlist identifier",
                    format!("the identifier {} already exists", item.identifier),
                ));
            }
            Err(err) => return Err(err.into()),
        }
        tx.commit().await?;
        Ok(())
    }

    /// Deletes an identifier; false if there was none.
    pub(crate) async fn delete_allowlist_identifier(&self, id: &str) -> Result<bool, ApiError> {
        let mut tx = self.write().await?;
        let deleted = sqlx::query("DELETE FROM allowlist_identifiers WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        tx.commit().await?;
        Ok(deleted)
    }
}
