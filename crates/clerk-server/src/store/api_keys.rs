//! API keys (`ak_…`): a user's or an organization's credentials for the application's own
//! API. The secret is kept as its SHA-256 (to find the key a verification presents, on a
//! unique index) and sealed by the vault (to show it again); neither is the secret itself.

use serde_json::Value;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::record::{ColumnValue, column_list, record};
use super::sql::{Arg, Sql};
use super::{Page, Result, Store, StoreError, Tx};
use crate::secret::Secret;

/// A list of strings stored as a JSON array (scopes, redirect URIs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct JsonList(pub Vec<String>);

impl ColumnValue for JsonList {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        let text: String = row.try_get(column)?;
        serde_json::from_str(&text).map(JsonList).map_err(|_| {
            sqlx::Error::Decode(format!("column {column} does not hold a JSON array").into())
        })
    }
    fn arg(&self) -> Arg {
        Arg::Text(Some(Value::from(self.0.clone()).to_string()))
    }
    fn from_json(value: Value) -> Option<Self> {
        match value {
            Value::String(text) => serde_json::from_str(&text).ok().map(JsonList),
            other => serde_json::from_value(other).ok().map(JsonList),
        }
    }
}

/// Any JSON value or none, stored as its text (an API key's claims).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct JsonValue(pub Option<Value>);

impl ColumnValue for JsonValue {
    fn read(row: &AnyRow, column: &str) -> Result<Self, sqlx::Error> {
        let text: Option<String> = row.try_get(column)?;
        match text {
            None => Ok(JsonValue(None)),
            Some(text) => serde_json::from_str(&text)
                .map(|v| JsonValue(Some(v)))
                .map_err(|_| {
                    sqlx::Error::Decode(format!("column {column} does not hold JSON").into())
                }),
        }
    }
    fn arg(&self) -> Arg {
        Arg::Text(self.0.as_ref().map(Value::to_string))
    }
    fn from_json(value: Value) -> Option<Self> {
        match value {
            Value::Null => Some(JsonValue(None)),
            Value::String(text) => serde_json::from_str(&text).ok().map(|v| JsonValue(Some(v))),
            _ => None,
        }
    }
}

record! {
    /// A stored API key.
    #[derive(Debug, Clone)]
    pub(crate) struct ApiKeyRecord {
        id: String,
        /// The key's `type` (`api_key`).
        kind: String,
        /// `user_…` or `org_…`.
        subject: String,
        name: String,
        description: Option<String>,
        claims: JsonValue,
        scopes: JsonList,
        /// SHA-256 of the secret, hex.
        secret_digest: String,
        /// The secret, sealed by the vault (its context is the key's id).
        secret_sealed: Option<Secret>,
        revoked: bool,
        revocation_reason: Option<String>,
        /// When it expires, unix milliseconds.
        expiration: Option<i64>,
        created_by: Option<String>,
        last_used_at: Option<i64>,
        created_at: i64,
        updated_at: i64,
    }
}

impl ApiKeyRecord {
    /// Whether the key has expired at `now` (milliseconds).
    pub(crate) fn expired(&self, now: i64) -> bool {
        self.expiration.is_some_and(|at| at <= now)
    }
}

/// Which keys a list shows.
#[derive(Debug, Clone)]
pub(crate) struct ApiKeyListQuery {
    /// One subject's keys (`user_…` or `org_…`), or every subject's (the dashboard).
    pub subject: Option<String>,
    /// Keys of this `type`, or of every type.
    pub kind: Option<String>,
    /// Also revoked and expired keys.
    pub include_invalid: bool,
    /// Part of the name (case-insensitive).
    pub query: Option<String>,
    pub now: i64,
    pub page: Page,
}

fn select(condition: &str) -> Sql {
    Sql::new(&format!(
        "SELECT {} FROM api_keys WHERE {condition}",
        column_list(ApiKeyRecord::COLUMNS)
    ))
}

/// Adds a key.
pub(crate) async fn insert(tx: &mut Tx, record: &ApiKeyRecord) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO api_keys ({}) VALUES (",
        column_list(ApiKeyRecord::COLUMNS)
    ));
    sql.bind_separated(record.args()).push(")");
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// Writes a key back whole.
pub(crate) async fn save(tx: &mut Tx, record: &ApiKeyRecord) -> Result<()> {
    let mut sql = Sql::new("UPDATE api_keys SET ");
    for (i, (column, value)) in ApiKeyRecord::COLUMNS.iter().zip(record.args()).enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push(column).push(" = ").bind(value);
    }
    sql.push(" WHERE id = ").bind(&record.id);
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// The key `id`, locked for the rest of the transaction (`lock` is the dialect's
/// `FOR UPDATE`); unknown is `StoreError::NotFound`.
pub(crate) async fn load(tx: &mut Tx, id: &str, lock: &str) -> Result<ApiKeyRecord> {
    let mut sql = select("id = ");
    sql.bind(id).push(lock);
    let row = sql
        .query()
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found("api key", id))?;
    Ok(ApiKeyRecord::from_row(&row)?)
}

/// Records a use of the key at `now`.
pub(crate) async fn touch(tx: &mut Tx, id: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Deletes a key; false if there was none.
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<bool> {
    let deleted = sqlx::query("DELETE FROM api_keys WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

/// The filters of a list, after `WHERE 1 = 1`.
fn push_filters(sql: &mut Sql, q: &ApiKeyListQuery) {
    if let Some(subject) = &q.subject {
        sql.push(" AND subject = ").bind(subject);
    }
    if let Some(kind) = &q.kind {
        sql.push(" AND kind = ").bind(kind);
    }
    if !q.include_invalid {
        sql.push(" AND revoked = ").bind(false);
        sql.push(" AND (expiration IS NULL OR expiration > ")
            .bind(q.now)
            .push(")");
    }
    if let Some(needle) = &q.query {
        super::sql::push_contains(sql, "LOWER(name)", &needle.to_lowercase());
    }
}

impl Store {
    /// A key by id.
    pub(crate) async fn api_key(&self, id: &str) -> Result<ApiKeyRecord> {
        let mut conn = self.read().await?;
        let mut sql = select("id = ");
        sql.bind(id);
        let row = sql
            .query()
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::not_found("api key", id))?;
        Ok(ApiKeyRecord::from_row(&row)?)
    }

    /// The key whose secret has this digest, if any (a lookup on the unique index).
    pub(crate) async fn api_key_by_digest(&self, digest: &str) -> Result<Option<ApiKeyRecord>> {
        let mut conn = self.read().await?;
        let mut sql = select("secret_digest = ");
        sql.bind(digest);
        let row = sql.query().fetch_optional(&mut *conn).await?;
        Ok(row.as_ref().map(ApiKeyRecord::from_row).transpose()?)
    }

    /// A page of keys (one subject's, or every subject's when the query names none), newest
    /// first, and the total.
    pub(crate) async fn list_api_keys(
        &self,
        q: &ApiKeyListQuery,
    ) -> Result<(Vec<ApiKeyRecord>, i64)> {
        let mut conn = self.read().await?;
        let mut count = Sql::new("SELECT COUNT(*) FROM api_keys WHERE 1 = 1");
        push_filters(&mut count, q);
        let total: i64 = count.query().fetch_one(&mut *conn).await?.try_get(0)?;
        let mut sql = select("1 = 1");
        push_filters(&mut sql, q);
        sql.push(" ORDER BY created_at DESC, seq DESC")
            .push_page(q.page);
        let rows = sql.query().fetch_all(&mut *conn).await?;
        let items = rows
            .iter()
            .map(ApiKeyRecord::from_row)
            .collect::<Result<_, sqlx::Error>>()?;
        Ok((items, total))
    }
}
