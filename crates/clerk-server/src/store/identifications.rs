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

/// A column giving, for the `users` row of the enclosing query, its identifications as JSON
/// text: see [`aggregate_expression`]. A user and its identifications in one row.
pub(crate) fn aggregate_column(dialect: Dialect) -> String {
    let expression = aggregate_expression(dialect, "users.id");
    match dialect {
        Dialect::Sqlite => format!("{expression} AS identifications_json"),
        Dialect::Postgres => format!("{expression}::text AS identifications_json"),
    }
}

/// A correlated subquery giving the identifications of user `user_id` (an SQL expression)
/// as JSON text: `[[id, kind, value, verified, reserved, reserved_for_second_factor,
/// default_second_factor, created_at, updated_at], …]`, oldest first.
pub(crate) fn aggregate_expression(dialect: Dialect, user_id: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!(
            "(SELECT json_group_array(json_array(i.id, i.kind, i.value, i.verified, i.reserved, \
             i.reserved_for_second_factor, i.default_second_factor, i.created_at, i.updated_at) \
             ORDER BY i.seq) FROM identifications i WHERE i.user_id = {user_id})"
        ),
        Dialect::Postgres => format!(
            "(SELECT COALESCE(json_agg(json_build_array(i.id, i.kind, i.value, i.verified, \
             i.reserved, i.reserved_for_second_factor, i.default_second_factor, i.created_at, \
             i.updated_at) ORDER BY i.seq), '[]') FROM identifications i \
             WHERE i.user_id = {user_id})"
        ),
    }
}

/// The identifications of user `user_id` read from the text of [`aggregate_column`].
pub(crate) fn from_aggregate(user_id: &str, json: &str) -> Result<Vec<Identification>> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| decode(format!("identifications_json: {e}")))?;
    from_json(user_id, value)
}

/// The identifications of user `user_id` from the JSON of [`aggregate_expression`].
pub(crate) fn from_json(user_id: &str, json: serde_json::Value) -> Result<Vec<Identification>> {
    let serde_json::Value::Array(items) = json else {
        return Err(decode("identifications are not a JSON array".into()));
    };
    items
        .into_iter()
        .map(|item| {
            let serde_json::Value::Array(mut values) = item else {
                return Err(decode("an identification is not a JSON array".into()));
            };
            // The aggregate leaves out `user_id`, the second column.
            let at = values.len().min(1);
            values.insert(at, serde_json::Value::String(user_id.to_owned()));
            Ok(Identification::from_json(values)?)
        })
        .collect()
}

fn decode(detail: String) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(detail.into()))
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
    /// The user an identifier names, for a sign-in: the owner of the email address or phone
    /// number `value` (normalised, of `kind`), or of the username `value` when `kind` is
    /// `None`. Reserved identifications (second factors only) name nobody.
    pub(crate) async fn user_id_by_identifier(
        &self,
        kind: Option<IdentifierKind>,
        value: &str,
    ) -> Result<Option<String>> {
        let mut conn = self.read().await?;
        let row = match kind {
            Some(kind) => {
                sqlx::query(
                    "SELECT user_id FROM identifications \
                     WHERE kind = $1 AND value = $2 AND reserved = 0",
                )
                .bind(kind.as_str())
                .bind(value)
                .fetch_optional(&mut *conn)
                .await?
            }
            None => {
                sqlx::query("SELECT id AS user_id FROM users WHERE username = $1")
                    .bind(value)
                    .fetch_optional(&mut *conn)
                    .await?
            }
        };
        Ok(row.map(|row| row.try_get("user_id")).transpose()?)
    }

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
