//! Block-list identifiers, and which stored entries (of the block-list or the allowlist)
//! match an identifier.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::sql::{Sql, page_of, unique_violation};
use super::{Page, Result, Store, StoreError, Tx, Unique};
use crate::domain::identifiers::IdentifierKind;

/// A stored block-list identifier.
#[derive(Debug, Clone)]
pub(crate) struct BlocklistIdentifier {
    pub id: String,
    pub identifier: String,
    pub identifier_type: IdentifierKind,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, identifier, identifier_type, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<BlocklistIdentifier, sqlx::Error> {
    let kind: String = row.try_get("identifier_type")?;
    Ok(BlocklistIdentifier {
        id: row.try_get("id")?,
        identifier: row.try_get("identifier")?,
        identifier_type: IdentifierKind::parse(&kind)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown identifier type {kind}").into()))?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Adds an identifier; one already on the block-list is [`Unique::BlocklistIdentifier`].
pub(crate) async fn insert(tx: &mut Tx, item: &BlocklistIdentifier) -> Result<()> {
    let inserted = sqlx::query(
        "INSERT INTO blocklist_identifiers (id, identifier, identifier_type, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&item.id)
    .bind(&item.identifier)
    .bind(item.identifier_type.as_str())
    .bind(item.created_at)
    .bind(item.updated_at)
    .execute(&mut **tx)
    .await;
    match inserted {
        Ok(_) => Ok(()),
        Err(err) if unique_violation(&err).is_some() => {
            Err(StoreError::Taken(Unique::BlocklistIdentifier))
        }
        Err(err) => Err(err.into()),
    }
}

/// Deletes an identifier; false if there was none.
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<bool> {
    let deleted = sqlx::query("DELETE FROM blocklist_identifiers WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

/// The restriction list an identifier is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Restriction {
    Allowlist,
    Blocklist,
}

impl Restriction {
    fn table(self) -> &'static str {
        match self {
            Self::Allowlist => "allowlist_identifiers",
            Self::Blocklist => "blocklist_identifiers",
        }
    }
}

/// The first stored entry of `list` among `candidates` (the identifier and the entries
/// that would cover it, such as its domain), read in the unit of work: one indexed lookup.
pub(crate) async fn first_match(
    tx: &mut Tx,
    list: Restriction,
    candidates: &[String],
) -> Result<Option<String>> {
    if candidates.is_empty() {
        return Ok(None);
    }
    let mut sql = Sql::new(&format!(
        "SELECT identifier FROM {} WHERE identifier IN ",
        list.table()
    ));
    sql.bind_list(candidates.iter().cloned()).push(" LIMIT 1");
    let row = sql.query().fetch_optional(&mut **tx).await?;
    Ok(row.map(|row| row.try_get("identifier")).transpose()?)
}

impl Store {
    /// A page of block-list identifiers, newest first, and the total.
    pub(crate) async fn list_blocklist(
        &self,
        page: Page,
    ) -> Result<(Vec<BlocklistIdentifier>, i64)> {
        let mut conn = self.read().await?;
        let (rows, total) =
            page_of(&mut conn, "blocklist_identifiers", COLUMNS, &|_| {}, page).await?;
        let items = rows
            .iter()
            .map(from_row)
            .collect::<Result<_, sqlx::Error>>()?;
        Ok((items, total))
    }
}
