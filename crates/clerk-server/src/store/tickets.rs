//! Tickets: sign-in tokens and actor tokens, each a single-use credential redeemed for a
//! session, and testing tokens. A ticket is accepted by one conditional `UPDATE` (pending and
//! not expired → accepted), so of two redemptions racing for it exactly one wins, on both
//! backends.

use serde_json::Value;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Result, Tx};

/// What a ticket is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TicketKind {
    SignInToken,
    ActorToken,
}

impl TicketKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::SignInToken => "sign_in_token",
            Self::ActorToken => "actor_token",
        }
    }

    /// The name of a not-found error ("No sign in token was found with id …").
    pub(crate) fn what(self) -> &'static str {
        match self {
            Self::SignInToken => "sign in token",
            Self::ActorToken => "actor token",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        match raw {
            "sign_in_token" => Some(Self::SignInToken),
            "actor_token" => Some(Self::ActorToken),
            _ => None,
        }
    }
}

/// A stored ticket. Its `token` is a credential: `Debug` leaves it out.
#[derive(Clone)]
pub(crate) struct Ticket {
    pub id: String,
    pub kind: TicketKind,
    pub user_id: String,
    pub token: String,
    pub status: String,
    pub actor: Option<Value>,
    pub session_max_duration_ms: Option<i64>,
    pub organization_id: Option<String>,
    pub expires_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl std::fmt::Debug for Ticket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ticket")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("user_id", &self.user_id)
            .field("status", &self.status)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

pub(crate) const PENDING: &str = "pending";
pub(crate) const ACCEPTED: &str = "accepted";
pub(crate) const REVOKED: &str = "revoked";

const COLUMNS: &str = "id, kind, user_id, token, status, actor, session_max_duration_ms, \
                       organization_id, expires_at, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<Ticket, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    let actor: Option<String> = row.try_get("actor")?;
    Ok(Ticket {
        id: row.try_get("id")?,
        kind: TicketKind::parse(&kind)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown ticket kind {kind}").into()))?,
        user_id: row.try_get("user_id")?,
        token: row.try_get("token")?,
        status: row.try_get("status")?,
        actor: actor.and_then(|a| serde_json::from_str(&a).ok()),
        session_max_duration_ms: row.try_get("session_max_duration_ms")?,
        organization_id: row.try_get("organization_id")?,
        expires_at: row.try_get("expires_at")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Stores a new ticket.
pub(crate) async fn insert(tx: &mut Tx, ticket: &Ticket) -> Result<()> {
    sqlx::query(
        "INSERT INTO tickets (id, kind, user_id, token, status, actor, session_max_duration_ms, \
         organization_id, expires_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&ticket.id)
    .bind(ticket.kind.as_str())
    .bind(&ticket.user_id)
    .bind(&ticket.token)
    .bind(&ticket.status)
    .bind(ticket.actor.as_ref().map(Value::to_string))
    .bind(ticket.session_max_duration_ms)
    .bind(ticket.organization_id.clone())
    .bind(ticket.expires_at)
    .bind(ticket.created_at)
    .bind(ticket.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A ticket of `kind` by id.
pub(crate) async fn load(tx: &mut Tx, kind: TicketKind, id: &str) -> Result<Option<Ticket>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tickets WHERE id = $1 AND kind = $2"
    )))
    .bind(id)
    .bind(kind.as_str())
    .fetch_optional(&mut **tx)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
    .map_err(Into::into)
}

/// A ticket by its token.
pub(crate) async fn by_token(tx: &mut Tx, token: &str) -> Result<Option<Ticket>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tickets WHERE token = $1"
    )))
    .bind(token)
    .fetch_optional(&mut **tx)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
    .map_err(Into::into)
}

/// Moves a pending ticket to `status` (accepted only while not expired at `now_ms`); whether
/// it did. The condition is the lock: of two callers, one sees the row still pending.
pub(crate) async fn settle(tx: &mut Tx, id: &str, status: &str, now_ms: i64) -> Result<bool> {
    let expiry = if status == ACCEPTED {
        " AND expires_at > $3"
    } else {
        " AND $3 = $3"
    };
    let changed = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE tickets SET status = $1, updated_at = $3 WHERE id = $2 AND status = 'pending'{expiry}"
    )))
    .bind(status)
    .bind(id)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(changed > 0)
}

/// Stores a testing token.
pub(crate) async fn insert_testing_token(
    tx: &mut Tx,
    token: &str,
    expires_at: i64,
    now_ms: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO testing_tokens (token, expires_at, created_at) VALUES ($1, $2, $3)")
        .bind(token)
        .bind(expires_at)
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether `token` is a testing token this instance issued that has not expired at `now_ms`.
pub(crate) async fn testing_token_valid(tx: &mut Tx, token: &str, now_ms: i64) -> Result<bool> {
    let found =
        sqlx::query("SELECT 1 AS ok FROM testing_tokens WHERE token = $1 AND expires_at > $2")
            .bind(token)
            .bind(now_ms)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(found.is_some())
}
