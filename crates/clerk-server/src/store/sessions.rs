//! Sessions and clients. A session's stored status is `active` until revoked; whether it has
//! expired is decided when it is read, from `expire_at` and the clock, so an expired session
//! lists (and filters) as `expired` without any background job.

use serde_json::Value;
use sqlx::AnyConnection;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::sql::{Sql, page_of};
use super::{Page, Result, Store, Tx};

/// A stored session.
#[derive(Debug, Clone)]
pub(crate) struct SessionRecord {
    pub id: String,
    pub user_id: String,
    pub client_id: String,
    status: String,
    pub last_active_organization_id: Option<String>,
    pub actor: Option<Value>,
    pub last_active_at: i64,
    pub expire_at: i64,
    pub abandon_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl SessionRecord {
    /// The status as of `now_ms`: a stored `active` past its `expire_at` is `expired`.
    pub(crate) fn status(&self, now_ms: i64) -> &str {
        if self.status == STATUS_ACTIVE && now_ms >= self.expire_at {
            STATUS_EXPIRED
        } else {
            &self.status
        }
    }
}

const STATUS_ACTIVE: &str = "active";
const STATUS_EXPIRED: &str = "expired";
const STATUS_REVOKED: &str = "revoked";
const STATUS_ENDED: &str = "ended";
const STATUS_REMOVED: &str = "removed";

/// How a browser stops a session: signing out of it (`ended`) or removing it from the
/// client (`removed`); the Backend API revokes instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SessionEnd {
    Ended,
    Removed,
}

impl SessionEnd {
    fn status(self) -> &'static str {
        match self {
            SessionEnd::Ended => STATUS_ENDED,
            SessionEnd::Removed => STATUS_REMOVED,
        }
    }
}

/// The statuses `GET /v1/sessions?status=` accepts: the spec's filter values, plus `pending`,
/// a status of the `Session` schema that Clerk's JS client offers as a filter (no session of
/// this server is ever pending, so it matches nothing).
pub(crate) const FILTERABLE_STATUSES: [&str; 8] = [
    "abandoned",
    "active",
    "ended",
    "expired",
    "pending",
    "removed",
    "replaced",
    "revoked",
];

/// A session to create, in a client of its own.
#[derive(Debug, Clone)]
pub(crate) struct NewSession {
    pub id: String,
    pub client_id: String,
    pub user_id: String,
    pub active_organization_id: Option<String>,
    /// The actor of an impersonation session (an actor token's), carried by its tokens.
    pub actor: Option<Value>,
    pub expire_at: i64,
    pub abandon_at: i64,
}

/// Filters of `GET /v1/sessions`.
#[derive(Debug, Clone, Default)]
pub(crate) struct SessionFilters {
    pub user_id: Option<String>,
    pub client_id: Option<String>,
    pub status: Option<String>,
}

pub(super) const COLUMNS: &str = "id, user_id, client_id, status, last_active_organization_id, actor, \
                       last_active_at, expire_at, abandon_at, created_at, updated_at";

pub(super) fn from_row(row: &AnyRow) -> Result<SessionRecord, sqlx::Error> {
    let actor: Option<String> = row.try_get("actor")?;
    Ok(SessionRecord {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        client_id: row.try_get("client_id")?,
        status: row.try_get("status")?,
        last_active_organization_id: row.try_get("last_active_organization_id")?,
        actor: actor.and_then(|a| serde_json::from_str(&a).ok()),
        last_active_at: row.try_get("last_active_at")?,
        expire_at: row.try_get("expire_at")?,
        abandon_at: row.try_get("abandon_at")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Appends the condition "the session's status as of `now_ms` is `status`".
fn push_status(sql: &mut Sql, status: &str, now_ms: i64) {
    match status {
        STATUS_ACTIVE => {
            sql.push(" AND status = 'active' AND expire_at > ")
                .bind(now_ms);
        }
        STATUS_EXPIRED => {
            sql.push(" AND (status = 'expired' OR (status = 'active' AND expire_at <= ")
                .bind(now_ms)
                .push("))");
        }
        other => {
            sql.push(" AND status = ").bind(other);
        }
    }
}

/// A session by id, read on `conn`.
pub(crate) async fn load(conn: &mut AnyConnection, id: &str) -> Result<Option<SessionRecord>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM sessions WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
    .map_err(Into::into)
}

/// Revokes every session of a user that is active now; the sessions it revoked, as they are
/// now (their webhook events need them).
pub(crate) async fn revoke_all_of_user(
    tx: &mut Tx,
    user_id: &str,
    now_ms: i64,
) -> Result<Vec<SessionRecord>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE sessions SET status = 'revoked', updated_at = $1 \
         WHERE user_id = $2 AND status = 'active' AND expire_at > $1 RETURNING {COLUMNS}"
    )))
    .bind(now_ms)
    .bind(user_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut revoked = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    revoked.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Ok(revoked)
}

/// Revokes a session if it is active now (nothing otherwise); whether it did.
pub(crate) async fn revoke(tx: &mut Tx, id: &str, now_ms: i64) -> Result<bool> {
    let revoked = sqlx::query(
        "UPDATE sessions SET status = $1, updated_at = $2 \
         WHERE id = $3 AND status = 'active' AND expire_at > $2",
    )
    .bind(STATUS_REVOKED)
    .bind(now_ms)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(revoked > 0)
}

/// Stores the digest of a session's new refresh token (replacing any other); false if there
/// is no such session.
pub(crate) async fn set_refresh_token_digest(tx: &mut Tx, id: &str, digest: &str) -> Result<bool> {
    let updated = sqlx::query("UPDATE sessions SET refresh_token_digest = $1 WHERE id = $2")
        .bind(digest)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(updated > 0)
}

/// Creates an active session in a client of its own.
pub(crate) async fn insert(tx: &mut Tx, new: &NewSession, now_ms: i64) -> Result<()> {
    super::clients::insert(tx, &new.client_id, now_ms).await?;
    insert_into_client(tx, new, now_ms).await
}

/// Creates an active session in its existing client (a browser's), and makes it the
/// client's last active session.
pub(crate) async fn insert_into_client(tx: &mut Tx, new: &NewSession, now_ms: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id, user_id, client_id, status, last_active_organization_id, \
         last_active_at, expire_at, abandon_at, created_at, updated_at, actor) \
         VALUES ($1, $2, $3, 'active', $4, $5, $6, $7, $5, $5, $8)",
    )
    .bind(&new.id)
    .bind(&new.user_id)
    .bind(&new.client_id)
    .bind(new.active_organization_id.clone())
    .bind(now_ms)
    .bind(new.expire_at)
    .bind(new.abandon_at)
    .bind(new.actor.as_ref().map(Value::to_string))
    .execute(&mut **tx)
    .await?;
    super::clients::set_last_active_session(tx, &new.client_id, Some(&new.id), now_ms).await
}

/// Records activity on a session that is active now: `last_active_at`, and the active
/// organization (`None`: the personal account); whether it was active.
pub(crate) async fn touch(
    tx: &mut Tx,
    id: &str,
    active_organization_id: Option<&str>,
    now_ms: i64,
) -> Result<bool> {
    let touched = sqlx::query(
        "UPDATE sessions SET last_active_at = $1, last_active_organization_id = $2, \
         updated_at = $1 WHERE id = $3 AND status = 'active' AND expire_at > $1",
    )
    .bind(now_ms)
    .bind(active_organization_id)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(touched > 0)
}

/// Ends a session that is active now, as `how` says; whether it did.
pub(crate) async fn end(tx: &mut Tx, id: &str, how: SessionEnd, now_ms: i64) -> Result<bool> {
    let ended = sqlx::query(
        "UPDATE sessions SET status = $1, updated_at = $2 \
         WHERE id = $3 AND status = 'active' AND expire_at > $2",
    )
    .bind(how.status())
    .bind(now_ms)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(ended > 0)
}

impl Store {
    /// The digest of a session's refresh token, if one was minted.
    pub(crate) async fn session_refresh_token_digest(&self, id: &str) -> Result<Option<String>> {
        let mut conn = self.read().await?;
        let row = sqlx::query("SELECT refresh_token_digest FROM sessions WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        match row {
            Some(row) => Ok(row.try_get("refresh_token_digest")?),
            None => Ok(None),
        }
    }

    /// A session by id.
    pub(crate) async fn session(&self, id: &str) -> Result<Option<SessionRecord>> {
        let mut conn = self.read().await?;
        load(&mut conn, id).await
    }

    /// A page of sessions, newest first, and the total that match.
    pub(crate) async fn list_sessions(
        &self,
        filters: &SessionFilters,
        page: Page,
        now_ms: i64,
    ) -> Result<(Vec<SessionRecord>, i64)> {
        let mut conn = self.read().await?;
        let conditions = |sql: &mut Sql| {
            if let Some(user_id) = &filters.user_id {
                sql.push(" AND user_id = ").bind(user_id);
            }
            if let Some(client_id) = &filters.client_id {
                sql.push(" AND client_id = ").bind(client_id);
            }
            if let Some(status) = &filters.status {
                push_status(sql, status, now_ms);
            }
        };
        let (rows, total) = page_of(&mut conn, "sessions", COLUMNS, &conditions, page).await?;
        let sessions = rows
            .iter()
            .map(from_row)
            .collect::<std::result::Result<_, sqlx::Error>>()?;
        Ok((sessions, total))
    }
}
