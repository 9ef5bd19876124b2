//! Opaque M2M tokens: looked up by the SHA-256 digest of the token (indexed, unique); the
//! token itself is kept sealed by the vault only so that a create asking for reuse
//! (`min_remaining_ttl_seconds`) can answer an existing one. JWT-format tokens are never
//! stored.

use sqlx::Row;

use super::record::{column_list, record};
use super::sql::Sql;
use super::{Page, Result, Store, StoreError, Tx};
use crate::secret::Secret;

record! {
    /// A stored opaque M2M token.
    #[derive(Debug, Clone)]
    pub(crate) struct M2mTokenRecord {
        id: String,
        /// SHA-256 of the token, hex.
        digest: String,
        /// The token, sealed by the vault (its context is the token's id).
        token: Secret,
        /// The machine the token was issued to.
        subject: String,
        /// The token's claims as JSON text (any JSON value), or NULL.
        claims: Option<String>,
        /// A JSON array of the machine ids the token may call.
        scopes: String,
        revoked: bool,
        revocation_reason: Option<String>,
        /// Unix ms, or NULL for a token that never expires.
        expiration: Option<i64>,
        last_used_at: Option<i64>,
        created_at: i64,
        updated_at: i64,
    }
}

impl M2mTokenRecord {
    /// Whether the token has expired at `now_ms`.
    pub(crate) fn expired_at(&self, now_ms: i64) -> bool {
        self.expiration.is_some_and(|exp| exp <= now_ms)
    }
}

fn select(condition: &str) -> Sql {
    Sql::new(&format!(
        "SELECT {} FROM m2m_tokens WHERE {condition}",
        column_list(M2mTokenRecord::COLUMNS)
    ))
}

fn read_all(rows: &[sqlx::any::AnyRow]) -> Result<Vec<M2mTokenRecord>> {
    Ok(rows
        .iter()
        .map(M2mTokenRecord::from_row)
        .collect::<Result<_, sqlx::Error>>()?)
}

/// Adds a token.
pub(crate) async fn insert(tx: &mut Tx, record: &M2mTokenRecord) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO m2m_tokens ({}) VALUES (",
        column_list(M2mTokenRecord::COLUMNS)
    ));
    sql.bind_separated(record.args()).push(")");
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// The token `id`, locked for the rest of the transaction; not found names the token.
pub(crate) async fn load(tx: &mut Tx, id: &str, lock: &str) -> Result<M2mTokenRecord> {
    let mut sql = select("id = ");
    sql.bind(id).push(lock);
    let row = sql
        .query()
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found("M2M token", id))?;
    Ok(M2mTokenRecord::from_row(&row)?)
}

/// Writes what a revoke or a use changes: `revoked`, `revocation_reason`, `last_used_at`
/// and `updated_at`.
pub(crate) async fn save_state(tx: &mut Tx, record: &M2mTokenRecord) -> Result<()> {
    sqlx::query(
        "UPDATE m2m_tokens SET revoked = $2, revocation_reason = $3, last_used_at = $4, \
         updated_at = $5 WHERE id = $1",
    )
    .bind(&record.id)
    .bind(i64::from(record.revoked))
    .bind(record.revocation_reason.clone())
    .bind(record.last_used_at)
    .bind(record.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The live tokens of `subject` (not revoked, expiring after `expires_after` or never),
/// newest first, inside the transaction: the candidates for reuse.
pub(crate) async fn live_of(
    tx: &mut Tx,
    subject: &str,
    expires_after: i64,
) -> Result<Vec<M2mTokenRecord>> {
    let mut sql = select("subject = ");
    sql.bind(subject)
        .push(" AND revoked = 0 AND (expiration IS NULL OR expiration > ")
        .bind(expires_after)
        .push(") ORDER BY created_at DESC, seq DESC LIMIT 100");
    let rows = sql.query().fetch_all(&mut **tx).await?;
    read_all(&rows)
}

/// What a list of tokens asks for.
#[derive(Debug, Clone)]
pub(crate) struct M2mTokenQuery {
    /// Only this machine's tokens; every token when `None`.
    pub subject: Option<String>,
    /// Whether revoked tokens are listed too.
    pub include_revoked: bool,
    /// Whether expired tokens are listed too.
    pub include_expired: bool,
    pub now_ms: i64,
    pub page: Page,
}

impl Store {
    /// A token by the digest of its value.
    pub(crate) async fn m2m_token_by_digest(&self, digest: &str) -> Result<Option<M2mTokenRecord>> {
        let mut conn = self.read().await?;
        let mut sql = select("digest = ");
        sql.bind(digest);
        let row = sql.query().fetch_optional(&mut *conn).await?;
        Ok(row.as_ref().map(M2mTokenRecord::from_row).transpose()?)
    }

    /// A page of tokens, newest first, and the total of matches.
    pub(crate) async fn list_m2m_tokens(
        &self,
        query: &M2mTokenQuery,
    ) -> Result<(Vec<M2mTokenRecord>, i64)> {
        let mut conn = self.read().await?;
        let conditions = |sql: &mut Sql| {
            if let Some(subject) = &query.subject {
                sql.push(" AND subject = ").bind(subject.as_str());
            }
            if !query.include_revoked {
                sql.push(" AND revoked = 0");
            }
            if !query.include_expired {
                sql.push(" AND (expiration IS NULL OR expiration > ")
                    .bind(query.now_ms)
                    .push(")");
            }
        };
        let mut page = select("1 = 1");
        conditions(&mut page);
        page.push(" ORDER BY created_at DESC, seq DESC")
            .push_page(query.page);
        let rows = page.query().fetch_all(&mut *conn).await?;
        let mut count = Sql::new("SELECT COUNT(*) FROM m2m_tokens WHERE 1 = 1");
        conditions(&mut count);
        let total: i64 = count.query().fetch_one(&mut *conn).await?.try_get(0)?;
        Ok((read_all(&rows)?, total))
    }
}
