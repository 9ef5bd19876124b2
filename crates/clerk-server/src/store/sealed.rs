//! Reading and rewriting a column of sealed values, whichever table it is in: what
//! resealing at start needs. The store neither opens nor seals anything.

use sqlx::{AnyConnection, Row};

use crate::secret::Secret;

/// A table and one of its columns, both names this crate chose (never input).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Column {
    pub table: &'static str,
    pub column: &'static str,
}

/// The rows whose value in `at` is set and does not start with `prefix`: `(id, value)`.
pub(crate) async fn stale(
    conn: &mut AnyConnection,
    at: Column,
    prefix: &str,
) -> Result<Vec<(String, Secret)>, sqlx::Error> {
    let Column { table, column } = at;
    // The length is a number of ours, written into the statement: PostgreSQL has no
    // substr(text, integer, bigint) for a bound one.
    let length = prefix.chars().count();
    let sql = format!(
        "SELECT id, {column} AS value FROM {table} \
         WHERE {column} IS NOT NULL AND substr({column}, 1, {length}) <> $1"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(prefix)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| {
            let value: String = row.try_get("value")?;
            Ok((row.try_get("id")?, Secret::new(value)))
        })
        .collect()
}

/// Replaces the value of row `id` in `at`, if it is still `old`.
pub(crate) async fn replace(
    conn: &mut AnyConnection,
    at: Column,
    id: &str,
    old: &Secret,
    new: &Secret,
) -> Result<(), sqlx::Error> {
    let Column { table, column } = at;
    let sql = format!("UPDATE {table} SET {column} = $1 WHERE id = $2 AND {column} = $3");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(new.expose())
        .bind(id)
        .bind(old.expose())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
