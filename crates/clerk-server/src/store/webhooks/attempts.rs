//! Delivery attempts: each POST made to an endpoint, as it went.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::store::sql::Sql;
use crate::store::{Page, Result, Store, Tx};

/// One attempt to deliver a message to an endpoint.
#[derive(Debug, Clone)]
pub(crate) struct Attempt {
    pub id: String,
    pub message_id: String,
    pub endpoint_id: String,
    pub url: String,
    /// `succeeded` or `failed`.
    pub status: String,
    /// The endpoint's status code; `None` when no answer came (refused, timed out).
    pub response_status_code: Option<i64>,
    /// The start of the answer's body, or why there was none.
    pub response: String,
    pub duration_ms: i64,
    /// `scheduled` or `manual`.
    pub trigger_type: String,
    pub created_at: i64,
}

const COLUMNS: &str = "id, message_id, endpoint_id, url, status, response_status_code, response, \
                       duration_ms, trigger_type, created_at";

fn from_row(row: &AnyRow) -> Result<Attempt, sqlx::Error> {
    Ok(Attempt {
        id: row.try_get("id")?,
        message_id: row.try_get("message_id")?,
        endpoint_id: row.try_get("endpoint_id")?,
        url: row.try_get("url")?,
        status: row.try_get("status")?,
        response_status_code: row.try_get("response_status_code")?,
        response: row.try_get("response")?,
        duration_ms: row.try_get("duration_ms")?,
        trigger_type: row.try_get("trigger_type")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Records an attempt, in the caller's transaction.
pub(crate) async fn insert(tx: &mut Tx, attempt: &Attempt) -> Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO webhook_attempts ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )))
    .bind(&attempt.id)
    .bind(&attempt.message_id)
    .bind(&attempt.endpoint_id)
    .bind(&attempt.url)
    .bind(&attempt.status)
    .bind(attempt.response_status_code)
    .bind(&attempt.response)
    .bind(attempt.duration_ms)
    .bind(&attempt.trigger_type)
    .bind(attempt.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Filters of the attempt listing.
#[derive(Debug, Clone, Default)]
pub(crate) struct AttemptFilters {
    pub message_id: Option<String>,
    pub endpoint_id: Option<String>,
}

impl Store {
    /// A page of attempts, newest first, and how many match.
    pub(crate) async fn list_webhook_attempts(
        &self,
        filters: &AttemptFilters,
        page: Page,
    ) -> Result<(Vec<Attempt>, i64)> {
        let mut conn = self.read().await?;
        let conditions = |sql: &mut Sql| {
            if let Some(id) = &filters.message_id {
                sql.push(" AND message_id = ").bind(id);
            }
            if let Some(id) = &filters.endpoint_id {
                sql.push(" AND endpoint_id = ").bind(id);
            }
        };
        let (rows, total) =
            crate::store::sql::page_of(&mut conn, "webhook_attempts", COLUMNS, &conditions, page)
                .await?;
        Ok((rows.iter().map(from_row).collect::<Result<_, _>>()?, total))
    }
}
