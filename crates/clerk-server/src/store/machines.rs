//! Machines: the row (its secret key sealed by the vault), the digests its secret keys are
//! looked up by (a rotated-away key keeps working until its grace period ends), and the
//! scopes between machines (which machines a machine may call).

use sqlx::Row;

use super::record::{column_list, record};
use super::sql::{Sort, Sql, push_contains};
use super::{Page, Result, Store, StoreError, Tx};
use crate::secret::Secret;

record! {
    /// A stored machine.
    #[derive(Debug, Clone)]
    pub(crate) struct MachineRecord {
        id: String,
        name: String,
        /// `name` lowercased, for the list's name match.
        name_lower: String,
        default_token_ttl: i64,
        /// The current secret key, sealed by the vault (its context is the machine's id).
        secret_key: Secret,
        created_at: i64,
        updated_at: i64,
    }
}

/// A scope: `from_machine_id` may call `to_machine_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MachineScope {
    pub from_machine_id: String,
    pub to_machine_id: String,
    pub created_at: i64,
}

/// The columns of [`MachineRecord`] qualified by `alias`.
fn columns_of(alias: &str) -> String {
    MachineRecord::COLUMNS
        .iter()
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn select(condition: &str) -> Sql {
    Sql::new(&format!(
        "SELECT {} FROM machines WHERE {condition}",
        column_list(MachineRecord::COLUMNS)
    ))
}

/// Adds a machine.
pub(crate) async fn insert(tx: &mut Tx, record: &MachineRecord) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO machines ({}) VALUES (",
        column_list(MachineRecord::COLUMNS)
    ));
    sql.bind_separated(record.args()).push(")");
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// Writes a machine back whole.
pub(crate) async fn save(tx: &mut Tx, record: &MachineRecord) -> Result<()> {
    let mut sql = Sql::new("UPDATE machines SET ");
    for (i, (column, value)) in MachineRecord::COLUMNS.iter().zip(record.args()).enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push(column).push(" = ").bind(value);
    }
    sql.push(" WHERE id = ").bind(&record.id);
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// The machine `id`, locked for the rest of the transaction (`lock` is the dialect's
/// `FOR UPDATE`, empty on SQLite); not found names the machine.
pub(crate) async fn load(tx: &mut Tx, id: &str, lock: &str) -> Result<MachineRecord> {
    let mut sql = select("id = ");
    sql.bind(id).push(lock);
    let row = sql
        .query()
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found("machine", id))?;
    Ok(MachineRecord::from_row(&row)?)
}

/// Deletes a machine (its secret keys, scopes and tokens go with it); false if there was
/// none.
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<bool> {
    let deleted = sqlx::query("DELETE FROM machines WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

/// Records the digest of a machine's new current secret key.
pub(crate) async fn insert_secret_digest(
    tx: &mut Tx,
    machine_id: &str,
    digest: &str,
    now_ms: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO machine_secret_keys (digest, machine_id, expires_at, created_at) \
         VALUES ($1, $2, NULL, $3)",
    )
    .bind(digest)
    .bind(machine_id)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Retires a machine's current secret key: it keeps working until `expires_at`, or stops at
/// once when that is `None`. Keys whose grace period has ended by `now_ms` are removed.
pub(crate) async fn retire_secret_digests(
    tx: &mut Tx,
    machine_id: &str,
    expires_at: Option<i64>,
    now_ms: i64,
) -> Result<()> {
    sqlx::query(
        "DELETE FROM machine_secret_keys WHERE machine_id = $1 \
         AND expires_at IS NOT NULL AND expires_at <= $2",
    )
    .bind(machine_id)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    match expires_at {
        Some(at) => {
            sqlx::query(
                "UPDATE machine_secret_keys SET expires_at = $2 \
                 WHERE machine_id = $1 AND expires_at IS NULL",
            )
            .bind(machine_id)
            .bind(at)
            .execute(&mut **tx)
            .await?;
        }
        None => {
            sqlx::query(
                "DELETE FROM machine_secret_keys WHERE machine_id = $1 AND expires_at IS NULL",
            )
            .bind(machine_id)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Adds a scope; one that exists already is an error whose [`StoreError::is_taken`] holds.
pub(crate) async fn insert_scope(tx: &mut Tx, scope: &MachineScope) -> Result<()> {
    sqlx::query(
        "INSERT INTO machine_scopes (from_machine_id, to_machine_id, created_at) \
         VALUES ($1, $2, $3)",
    )
    .bind(&scope.from_machine_id)
    .bind(&scope.to_machine_id)
    .bind(scope.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes a scope; false if there was none.
pub(crate) async fn delete_scope(tx: &mut Tx, from: &str, to: &str) -> Result<bool> {
    let deleted =
        sqlx::query("DELETE FROM machine_scopes WHERE from_machine_id = $1 AND to_machine_id = $2")
            .bind(from)
            .bind(to)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    Ok(deleted > 0)
}

/// How many machines `from` may call, counted inside the transaction.
pub(crate) async fn count_scopes(tx: &mut Tx, from: &str) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) FROM machine_scopes WHERE from_machine_id = $1")
        .bind(from)
        .fetch_one(&mut **tx)
        .await?;
    Ok(row.try_get(0)?)
}

/// The machines of `ids` that exist, inside the transaction (locked shared, so none is
/// deleted before the transaction ends).
pub(crate) async fn existing_ids(tx: &mut Tx, ids: &[String], lock: &str) -> Result<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new("SELECT id FROM machines WHERE id IN ");
    sql.bind_list(ids.iter().map(String::as_str)).push(lock);
    let rows = sql.query().fetch_all(&mut **tx).await?;
    rows.iter()
        .map(|row| row.try_get::<String, _>("id").map_err(Into::into))
        .collect()
}

/// The ids of the machines `from` may call, sorted, inside the transaction.
pub(crate) async fn scope_ids_in(tx: &mut Tx, from: &str) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT to_machine_id FROM machine_scopes WHERE from_machine_id = $1 \
         ORDER BY to_machine_id",
    )
    .bind(from)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|row| row.try_get::<String, _>(0).map_err(Into::into))
        .collect()
}

/// What a list of machines asks for.
#[derive(Debug, Clone)]
pub(crate) struct MachineQuery {
    /// An exact id, or part of a name (any case).
    pub query: Option<String>,
    pub sort: Sort,
    pub page: Page,
}

impl Store {
    /// A machine by id.
    pub(crate) async fn machine(&self, id: &str) -> Result<Option<MachineRecord>> {
        let mut conn = self.read().await?;
        let mut sql = select("id = ");
        sql.bind(id);
        let row = sql.query().fetch_optional(&mut *conn).await?;
        Ok(row.as_ref().map(MachineRecord::from_row).transpose()?)
    }

    /// A page of machines and the total of matches.
    pub(crate) async fn list_machines(
        &self,
        query: &MachineQuery,
    ) -> Result<(Vec<MachineRecord>, i64)> {
        let mut conn = self.read().await?;
        let conditions = |sql: &mut Sql| {
            if let Some(q) = &query.query {
                // `id = q OR (TRUE AND name_lower LIKE %q%)`: an exact id or part of a name.
                sql.push(" AND (machines.id = ")
                    .bind(q.as_str())
                    .push(" OR (1 = 1");
                push_contains(sql, "machines.name_lower", &q.to_lowercase());
                sql.push("))");
            }
        };
        let mut page = Sql::new(&format!(
            "SELECT {} FROM machines WHERE 1 = 1",
            columns_of("machines")
        ));
        conditions(&mut page);
        query.sort.push(&mut page, "machines");
        page.push_page(query.page);
        let rows = page.query().fetch_all(&mut *conn).await?;
        let mut count = Sql::new("SELECT COUNT(*) FROM machines WHERE 1 = 1");
        conditions(&mut count);
        let total: i64 = count.query().fetch_one(&mut *conn).await?.try_get(0)?;
        let items = rows
            .iter()
            .map(MachineRecord::from_row)
            .collect::<Result<_, sqlx::Error>>()?;
        Ok((items, total))
    }

    /// For each of `from_ids`, the machines it may call (one statement), as
    /// `(from_machine_id, machine)` pairs ordered by scope creation.
    pub(crate) async fn scoped_machines(
        &self,
        from_ids: &[&str],
    ) -> Result<Vec<(String, MachineRecord)>> {
        if from_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.read().await?;
        let mut sql = Sql::new(&format!(
            "SELECT s.from_machine_id AS scope_from, {} FROM machine_scopes s \
             JOIN machines m ON m.id = s.to_machine_id WHERE s.from_machine_id IN ",
            columns_of("m")
        ));
        sql.bind_list(from_ids.iter().copied())
            .push(" ORDER BY s.created_at, m.seq");
        let rows = sql.query().fetch_all(&mut *conn).await?;
        rows.iter()
            .map(|row| {
                let from: String = row.try_get("scope_from")?;
                Ok((from, MachineRecord::from_row(row)?))
            })
            .collect()
    }

    /// The machine whose secret key has this SHA-256 `digest` and still works at `now_ms`,
    /// with the stored digest (for the caller's constant-time confirmation).
    pub(crate) async fn machine_for_secret_digest(
        &self,
        digest: &str,
        now_ms: i64,
    ) -> Result<Option<(String, String)>> {
        let mut conn = self.read().await?;
        let row = sqlx::query(
            "SELECT machine_id, digest FROM machine_secret_keys WHERE digest = $1 \
             AND (expires_at IS NULL OR expires_at > $2)",
        )
        .bind(digest)
        .bind(now_ms)
        .fetch_optional(&mut *conn)
        .await?;
        row.map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .transpose()
    }
}
