//! The outbox: every email and SMS message the server "sent", readable back.

use serde_json::{Map, Value};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::sql::{Sql, get_json_object, page_of};
use super::{Page, Result, Store, Tx};

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MessageKind {
    /// An `email` object (`ema_` id).
    Email,
    /// An `sms_message` object (`sms_` id).
    Sms,
}

impl MessageKind {
    /// The `object` value, also the stored kind.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            MessageKind::Email => "email",
            MessageKind::Sms => "sms_message",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "email" => Some(MessageKind::Email),
            "sms_message" => Some(MessageKind::Sms),
            _ => None,
        }
    }
}

/// A message in the outbox: the Clerk object, whose `status` is kept current.
#[derive(Debug, Clone)]
pub(crate) struct OutboxMessage {
    pub id: String,
    pub kind: MessageKind,
    pub recipient: String,
    pub user_id: Option<String>,
    pub status: String,
    pub payload: Map<String, Value>,
    pub created_at: i64,
}

impl OutboxMessage {
    /// The object as the API shows it, with the current status.
    pub(crate) fn object(&self) -> Map<String, Value> {
        let mut object = self.payload.clone();
        object.insert("status".into(), Value::String(self.status.clone()));
        object
    }
}

/// Filters of the outbox listing.
#[derive(Debug, Clone, Default)]
pub(crate) struct OutboxFilters {
    pub kind: Option<MessageKind>,
    pub recipient: Option<String>,
}

const COLUMNS: &str = "id, kind, recipient, user_id, status, payload, created_at";

fn from_row(row: &AnyRow) -> Result<OutboxMessage, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    Ok(OutboxMessage {
        id: row.try_get("id")?,
        kind: MessageKind::parse(&kind)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown message kind {kind}").into()))?,
        recipient: row.try_get("recipient")?,
        user_id: row.try_get("user_id")?,
        status: row.try_get("status")?,
        payload: get_json_object(row, "payload")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Stores a message, in the caller's transaction.
pub(crate) async fn insert(tx: &mut Tx, message: &OutboxMessage) -> Result<()> {
    sqlx::query(
        "INSERT INTO outbox (id, kind, recipient, user_id, status, payload, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&message.id)
    .bind(message.kind.as_str())
    .bind(&message.recipient)
    .bind(message.user_id.clone())
    .bind(&message.status)
    .bind(Value::Object(message.payload.clone()).to_string())
    .bind(message.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Updates a message's delivery status.
pub(crate) async fn set_status(tx: &mut Tx, id: &str, status: &str) -> Result<()> {
    sqlx::query("UPDATE outbox SET status = $1 WHERE id = $2")
        .bind(status)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Empties the outbox; returns how many messages it held.
pub(crate) async fn clear(tx: &mut Tx) -> Result<u64> {
    let deleted = sqlx::query("DELETE FROM outbox")
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(deleted)
}

impl Store {
    /// One message; unknown is `StoreError::NotFound`.
    pub(crate) async fn message(&self, id: &str) -> Result<OutboxMessage> {
        let mut conn = self.read().await?;
        let row = sqlx::query(
            "SELECT id, kind, recipient, user_id, status, payload, created_at FROM outbox \
             WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        match row {
            Some(row) => Ok(from_row(&row)?),
            None => Err(super::StoreError::not_found("message", id)),
        }
    }

    /// A page of messages, newest first, and the total that match.
    pub(crate) async fn list_messages(
        &self,
        filters: &OutboxFilters,
        page: Page,
    ) -> Result<(Vec<OutboxMessage>, i64)> {
        let mut conn = self.read().await?;
        let conditions = |sql: &mut Sql| {
            if let Some(kind) = filters.kind {
                sql.push(" AND kind = ").bind(kind.as_str());
            }
            if let Some(recipient) = &filters.recipient {
                sql.push(" AND recipient = ").bind(recipient);
            }
        };
        let (rows, total) = page_of(&mut conn, "outbox", COLUMNS, &conditions, page).await?;
        let messages = rows
            .iter()
            .map(from_row)
            .collect::<Result<_, sqlx::Error>>()?;
        Ok((messages, total))
    }
}
