//! Identifications: a user's email addresses, phone numbers and web3 wallets (`idn_` ids).
//! Each value is unique across the instance (a unique index on kind + normalised value).

use sqlx::AnyConnection;
use sqlx::Row;

use super::record::{column_list, record};
use super::sql::{Sql, unique_violation};
use super::{Dialect, Result, Store, StoreError, Tx, Unique};
use crate::domain::identifiers::IdentifierKind;

record! {
    /// A stored identification.
    #[derive(Debug, Clone)]
    pub(crate) struct Identification {
        id: String,
        user_id: String,
        kind: IdentifierKind,
        value: String,
        verified: bool,
        reserved: bool,
        reserved_for_second_factor: bool,
        default_second_factor: bool,
        created_at: i64,
        updated_at: i64,
    }
}

/// The identifications of the given users, oldest first.
pub(crate) async fn for_users(
    conn: &mut AnyConnection,
    user_ids: &[&str],
) -> Result<Vec<Identification>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = select_for_users(user_ids).query().fetch_all(conn).await?;
    Ok(rows
        .iter()
        .map(Identification::from_row)
        .collect::<std::result::Result<_, _>>()?)
}

/// `SELECT … FROM identifications WHERE user_id IN (…) ORDER BY seq`.
pub(crate) fn select_for_users(user_ids: &[&str]) -> Sql {
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM identifications WHERE user_id IN ",
        column_list(Identification::COLUMNS)
    ));
    sql.bind_list(user_ids.iter().copied())
        .push(" ORDER BY seq");
    sql
}

/// Inserts an identification; a value another user (or this one) holds is
/// [`StoreError::Taken`] naming its kind.
pub(crate) async fn insert(tx: &mut Tx, ident: &Identification) -> Result<()> {
    match insert_rows(tx, std::slice::from_ref(ident)).await {
        Ok(()) => Ok(()),
        Err(err) if unique_violation(&err).is_some() => {
            Err(StoreError::Taken(Unique::Identifier(ident.kind)))
        }
        Err(err) => Err(err.into()),
    }
}

/// Inserts identifications in one statement (their users must exist); a taken value is
/// reported as the database says it.
pub(crate) async fn insert_many(tx: &mut Tx, idents: &[Identification]) -> Result<()> {
    Ok(insert_rows(tx, idents).await?)
}

async fn insert_rows(
    tx: &mut Tx,
    idents: &[Identification],
) -> std::result::Result<(), sqlx::Error> {
    if idents.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(&format!(
        "INSERT INTO identifications ({}) VALUES ",
        column_list(Identification::COLUMNS)
    ));
    for (i, ident) in idents.iter().enumerate() {
        sql.push(if i == 0 { "(" } else { ", (" })
            .bind_separated(ident.args())
            .push(")");
    }
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// An identification of `kind`; `lock` is [`Dialect::for_update`] to lock its row.
pub(crate) async fn load(
    conn: &mut AnyConnection,
    id: &str,
    kind: IdentifierKind,
    lock: &str,
) -> Result<Option<Identification>> {
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM identifications WHERE id = ",
        column_list(Identification::COLUMNS)
    ));
    sql.bind(id)
        .push(" AND kind = ")
        .bind(kind.as_str())
        .push(lock);
    let row = sql.query().fetch_optional(conn).await?;
    Ok(row.as_ref().map(Identification::from_row).transpose()?)
}

/// An identification of `kind` that must exist, its row locked:
/// [`StoreError::NotFound`] naming the kind if there is none.
pub(crate) async fn lock(
    tx: &mut Tx,
    dialect: Dialect,
    id: &str,
    kind: IdentifierKind,
) -> Result<Identification> {
    load(tx, id, kind, dialect.for_update())
        .await?
        .ok_or_else(|| StoreError::not_found(kind.words(), id))
}

/// Writes an identification's flags and `updated_at` back.
pub(crate) async fn save(tx: &mut Tx, ident: &Identification) -> Result<()> {
    sqlx::query(
        "UPDATE identifications SET verified = $1, reserved = $2, reserved_for_second_factor = $3, \
         default_second_factor = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(i64::from(ident.verified))
    .bind(i64::from(ident.reserved))
    .bind(i64::from(ident.reserved_for_second_factor))
    .bind(i64::from(ident.default_second_factor))
    .bind(ident.updated_at)
    .bind(&ident.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes identifications by id.
pub(crate) async fn delete(tx: &mut Tx, ids: &[&str]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new("DELETE FROM identifications WHERE id IN ");
    sql.bind_list(ids.iter().copied());
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// Takes every phone number of a user off second-factor duty.
pub(crate) async fn clear_second_factors(tx: &mut Tx, user_id: &str, now_ms: i64) -> Result<()> {
    sqlx::query(
        "UPDATE identifications SET reserved_for_second_factor = 0, default_second_factor = 0, \
         updated_at = $1 WHERE user_id = $2 AND reserved_for_second_factor = 1",
    )
    .bind(now_ms)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Makes the user's oldest other second-factor phone number the default one.
pub(crate) async fn promote_default_second_factor(
    tx: &mut Tx,
    user_id: &str,
    except_id: &str,
) -> Result<()> {
    let next = sqlx::query(
        "SELECT id FROM identifications WHERE user_id = $1 AND id <> $2 \
         AND reserved_for_second_factor = 1 ORDER BY seq LIMIT 1",
    )
    .bind(user_id)
    .bind(except_id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(row) = next {
        let next_id: String = row.try_get(0)?;
        sqlx::query("UPDATE identifications SET default_second_factor = 1 WHERE id = $1")
            .bind(next_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

impl Store {
    /// An identification of the given kind.
    pub(crate) async fn identification(
        &self,
        id: &str,
        kind: IdentifierKind,
    ) -> Result<Option<Identification>> {
        let mut conn = self.read().await?;
        load(&mut conn, id, kind, "").await
    }
}
