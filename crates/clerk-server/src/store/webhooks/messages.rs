//! Messages (one per event, with the exact bytes every attempt sends) and their deliveries
//! (one per message and endpoint: its state, its next attempt and who is sending it).

use sqlx::Row;
use sqlx::any::AnyRow;

use super::Endpoint;
use crate::store::sql::{Sql, page_of};
use crate::store::{Dialect, Page, Result, Store, StoreError, Tx};

/// An event as it is delivered.
#[derive(Debug, Clone)]
pub(crate) struct Message {
    pub id: String,
    pub event_type: String,
    /// The JSON body, byte for byte.
    pub payload: String,
    pub created_at: i64,
}

/// Where a message stands with one endpoint.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub message_id: String,
    pub endpoint_id: String,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: Option<i64>,
}

/// A delivery a worker has taken to send: what it needs to send it.
#[derive(Debug, Clone)]
pub(crate) struct Claimed {
    pub seq: i64,
    pub message_id: String,
    pub endpoint_id: String,
    pub url: String,
    pub secret: String,
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: i64,
    /// `scheduled` or `manual`.
    pub trigger_type: String,
}

/// What became of an attempt.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Outcome {
    Succeeded,
    /// Failed; try again at this time.
    RetryAt(i64),
    /// Failed, and no attempt is left.
    GaveUp,
}

const COLUMNS: &str = "id, event_type, payload, created_at";
const DELIVERY_COLUMNS: &str = "message_id, endpoint_id, status, attempts, next_attempt_at";

fn from_row(row: &AnyRow) -> Result<Message, sqlx::Error> {
    Ok(Message {
        id: row.try_get("id")?,
        event_type: row.try_get("event_type")?,
        payload: row.try_get("payload")?,
        created_at: row.try_get("created_at")?,
    })
}

fn delivery_from_row(row: &AnyRow) -> Result<Delivery, sqlx::Error> {
    Ok(Delivery {
        message_id: row.try_get("message_id")?,
        endpoint_id: row.try_get("endpoint_id")?,
        status: row.try_get("status")?,
        attempts: row.try_get("attempts")?,
        next_attempt_at: row.try_get("next_attempt_at")?,
    })
}

/// Stores `message` and a delivery, due now, for each of `endpoints` that wants its type;
/// returns how many deliveries it made.
pub(crate) async fn insert(
    tx: &mut Tx,
    message: &Message,
    endpoints: &[Endpoint],
) -> Result<usize> {
    let seq: i64 = sqlx::query(
        "INSERT INTO webhook_messages (id, event_type, payload, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING seq",
    )
    .bind(&message.id)
    .bind(&message.event_type)
    .bind(&message.payload)
    .bind(message.created_at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    let mut made = 0;
    for endpoint in endpoints.iter().filter(|e| e.wants(&message.event_type)) {
        insert_delivery(tx, &message.id, seq, &endpoint.id, message.created_at).await?;
        made += 1;
    }
    Ok(made)
}

async fn insert_delivery(
    tx: &mut Tx,
    message_id: &str,
    message_seq: i64,
    endpoint_id: &str,
    due: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO webhook_deliveries (message_id, message_seq, endpoint_id, status, attempts, \
         next_attempt_at, trigger_type) VALUES ($1, $2, $3, 'pending', 0, $4, 'scheduled')",
    )
    .bind(message_id)
    .bind(message_seq)
    .bind(endpoint_id)
    .bind(due)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Takes up to `limit` deliveries due at `now` that no live worker holds, skipping the
/// endpoints in `busy`, oldest first, and holds them until `lease_until`. On PostgreSQL
/// the rows another replica is claiming at the same moment are skipped (`SKIP LOCKED`), so
/// each delivery is sent by one replica at a time; SQLite has a single writer.
pub(crate) async fn claim_due(
    tx: &mut Tx,
    dialect: Dialect,
    now: i64,
    lease_until: i64,
    busy: &[String],
    limit: i64,
) -> Result<Vec<Claimed>> {
    let mut pick = Sql::new(
        "SELECT seq FROM webhook_deliveries WHERE next_attempt_at IS NOT NULL \
         AND next_attempt_at <= ",
    );
    pick.bind(now)
        .push(" AND (lease_until IS NULL OR lease_until <= ")
        .bind(now)
        .push(")");
    if !busy.is_empty() {
        pick.push(" AND endpoint_id NOT IN ")
            .bind_list(busy.iter().cloned());
    }
    pick.push(" ORDER BY next_attempt_at, message_seq LIMIT ")
        .bind(limit);
    if dialect == Dialect::Postgres {
        pick.push(" FOR UPDATE SKIP LOCKED");
    }
    let seqs: Vec<i64> = pick
        .query()
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|row| row.try_get(0))
        .collect::<Result<_, _>>()?;
    if seqs.is_empty() {
        return Ok(Vec::new());
    }
    let mut lease = Sql::new("UPDATE webhook_deliveries SET lease_until = ");
    lease
        .bind(lease_until)
        .push(" WHERE seq IN ")
        .bind_list(seqs.iter().copied());
    lease.query().execute(&mut **tx).await?;
    let mut select = Sql::new(
        "SELECT d.seq, d.message_id, d.endpoint_id, d.attempts, d.trigger_type, e.url, e.secret, \
         m.payload FROM webhook_deliveries d \
         JOIN webhook_endpoints e ON e.id = d.endpoint_id \
         JOIN webhook_messages m ON m.id = d.message_id WHERE d.seq IN ",
    );
    select
        .bind_list(seqs.iter().copied())
        .push(" ORDER BY d.next_attempt_at, d.message_seq");
    let rows = select.query().fetch_all(&mut **tx).await?;
    let claimed = rows
        .iter()
        .map(|row| {
            Ok(Claimed {
                seq: row.try_get("seq")?,
                message_id: row.try_get("message_id")?,
                endpoint_id: row.try_get("endpoint_id")?,
                url: row.try_get("url")?,
                secret: row.try_get("secret")?,
                payload: row.try_get("payload")?,
                attempts: row.try_get("attempts")?,
                trigger_type: row.try_get("trigger_type")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(claimed)
}

/// Records what became of an attempt at delivery `seq` and lets it go.
pub(crate) async fn finish(tx: &mut Tx, seq: i64, outcome: Outcome) -> Result<()> {
    let (status, next): (&str, Option<i64>) = match outcome {
        Outcome::Succeeded => ("succeeded", None),
        Outcome::RetryAt(at) => ("pending", Some(at)),
        Outcome::GaveUp => ("failed", None),
    };
    sqlx::query(
        "UPDATE webhook_deliveries SET status = $1, next_attempt_at = $2, lease_until = NULL, \
         attempts = attempts + 1, trigger_type = 'scheduled' WHERE seq = $3",
    )
    .bind(status)
    .bind(next)
    .bind(seq)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Lets deliveries go without an attempt (their next attempt stays as it was).
pub(crate) async fn release(tx: &mut Tx, seqs: &[i64]) -> Result<()> {
    if seqs.is_empty() {
        return Ok(());
    }
    let mut update = Sql::new("UPDATE webhook_deliveries SET lease_until = NULL WHERE seq IN ");
    update.bind_list(seqs.iter().copied());
    update.query().execute(&mut **tx).await?;
    Ok(())
}

/// Makes a message due again, now, for one endpoint (`endpoint_id`) or for every endpoint
/// it was delivered to: one manual attempt each. Returns how many deliveries it queued.
pub(crate) async fn resend(
    tx: &mut Tx,
    message_id: &str,
    endpoint_id: Option<&str>,
    now: i64,
) -> Result<usize> {
    let seq: i64 = sqlx::query("SELECT seq FROM webhook_messages WHERE id = $1")
        .bind(message_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found("webhook message", message_id))?
        .try_get(0)?;
    if let Some(endpoint_id) = endpoint_id {
        let exists = sqlx::query(
            "SELECT 1 FROM webhook_deliveries WHERE message_id = $1 AND endpoint_id = $2",
        )
        .bind(message_id)
        .bind(endpoint_id)
        .fetch_optional(&mut **tx)
        .await?
        .is_some();
        if !exists {
            insert_delivery(tx, message_id, seq, endpoint_id, now).await?;
        }
    }
    let mut update = Sql::new(
        "UPDATE webhook_deliveries SET status = 'pending', lease_until = NULL, \
         trigger_type = 'manual', next_attempt_at = ",
    );
    update
        .bind(now)
        .push(" WHERE message_id = ")
        .bind(message_id);
    if let Some(endpoint_id) = endpoint_id {
        update.push(" AND endpoint_id = ").bind(endpoint_id);
    }
    Ok(update.query().execute(&mut **tx).await?.rows_affected() as usize)
}

/// Filters of the message listing.
#[derive(Debug, Clone, Default)]
pub(crate) struct MessageFilters {
    pub event_types: Vec<String>,
}

impl Store {
    /// A page of messages, newest first, with their deliveries, and how many match.
    pub(crate) async fn list_webhook_messages(
        &self,
        filters: &MessageFilters,
        page: Page,
    ) -> Result<(Vec<(Message, Vec<Delivery>)>, i64)> {
        let mut conn = self.read().await?;
        let conditions = |sql: &mut Sql| {
            if !filters.event_types.is_empty() {
                sql.push(" AND event_type IN ")
                    .bind_list(filters.event_types.iter().cloned());
            }
        };
        let (rows, total) =
            page_of(&mut conn, "webhook_messages", COLUMNS, &conditions, page).await?;
        let messages: Vec<Message> = rows.iter().map(from_row).collect::<Result<_, _>>()?;
        if messages.is_empty() {
            return Ok((Vec::new(), total));
        }
        let mut select = Sql::new(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE message_id IN "
        ));
        select
            .bind_list(messages.iter().map(|m| m.id.clone()))
            .push(" ORDER BY seq");
        let deliveries: Vec<Delivery> = select
            .query()
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(delivery_from_row)
            .collect::<Result<_, _>>()?;
        let with = messages
            .into_iter()
            .map(|message| {
                let mine = deliveries
                    .iter()
                    .filter(|d| d.message_id == message.id)
                    .cloned()
                    .collect();
                (message, mine)
            })
            .collect();
        Ok((with, total))
    }

    /// One message and its deliveries.
    pub(crate) async fn webhook_message(&self, id: &str) -> Result<(Message, Vec<Delivery>)> {
        let mut conn = self.read().await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM webhook_messages WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("webhook message", id))?;
        let message = from_row(&row)?;
        let deliveries = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE message_id = $1 ORDER BY seq"
        )))
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(delivery_from_row)
        .collect::<Result<_, _>>()?;
        Ok((message, deliveries))
    }

    /// When the next delivery falls due and is free to take (a leased one: when its lease
    /// ends), if any is waiting.
    pub(crate) async fn next_webhook_due(&self) -> Result<Option<i64>> {
        let mut conn = self.read().await?;
        let row = sqlx::query(
            "SELECT MIN(CASE WHEN lease_until > next_attempt_at THEN lease_until \
             ELSE next_attempt_at END) FROM webhook_deliveries WHERE next_attempt_at IS NOT NULL",
        )
        .fetch_one(&mut *conn)
        .await?;
        Ok(row.try_get::<Option<i64>, _>(0)?)
    }
}
