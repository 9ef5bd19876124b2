//! Instance invitations (`/v1/invitations`). An invitation is accepted by one conditional
//! `UPDATE` (pending and unexpired → accepted), as tickets are, so it is used once.

use serde_json::{Map, Value};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::sql::{Sort, Sql, get_json_object, push_contains};
use super::{Page, Result, Store, Tx};

/// A stored invitation. Its `token` is a credential: `Debug` leaves it out.
#[derive(Clone)]
pub(crate) struct Invitation {
    pub id: String,
    pub email_address: String,
    pub public_metadata: Map<String, Value>,
    pub redirect_url: Option<String>,
    status: String,
    pub token: String,
    pub expires_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl std::fmt::Debug for Invitation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invitation")
            .field("id", &self.id)
            .field("email_address", &self.email_address)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl Invitation {
    /// A new pending invitation.
    pub(crate) fn pending(
        id: String,
        email_address: String,
        public_metadata: Map<String, Value>,
        redirect_url: Option<String>,
        token: String,
        expires_at: i64,
        now_ms: i64,
    ) -> Self {
        Self {
            id,
            email_address,
            public_metadata,
            redirect_url,
            status: PENDING.to_owned(),
            token,
            expires_at,
            created_at: now_ms,
            updated_at: now_ms,
        }
    }

    /// The status as of `now_ms`: a stored `pending` past `expires_at` is `expired`.
    pub(crate) fn status(&self, now_ms: i64) -> &str {
        if self.status == PENDING && now_ms >= self.expires_at {
            EXPIRED
        } else {
            &self.status
        }
    }
}

pub(crate) const PENDING: &str = "pending";
pub(crate) const EXPIRED: &str = "expired";

/// The `order_by` fields of `GET /v1/invitations`.
pub(crate) const ORDER_FIELDS: &[&str] = &["created_at", "email_address", "expires_at"];
/// The statuses `GET /v1/invitations` filters on.
pub(crate) const STATUSES: &[&str] = &["pending", "accepted", "revoked", "expired"];

/// A page of `GET /v1/invitations`.
#[derive(Debug, Clone)]
pub(crate) struct InvitationQuery {
    pub status: Option<String>,
    /// Part of the email address (lowercase).
    pub query: Option<String>,
    pub sort: Sort,
    pub page: Page,
    pub now_ms: i64,
}

const COLUMNS: &str = "id, email_address, public_metadata, redirect_url, status, token, \
                       expires_at, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<Invitation, sqlx::Error> {
    Ok(Invitation {
        id: row.try_get("id")?,
        email_address: row.try_get("email_address")?,
        public_metadata: get_json_object(row, "public_metadata")?,
        redirect_url: row.try_get("redirect_url")?,
        status: row.try_get("status")?,
        token: row.try_get("token")?,
        expires_at: row.try_get("expires_at")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Stores a new invitation.
pub(crate) async fn insert(tx: &mut Tx, item: &Invitation) -> Result<()> {
    sqlx::query(
        "INSERT INTO invitations (id, email_address, public_metadata, redirect_url, status, \
         token, expires_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&item.id)
    .bind(&item.email_address)
    .bind(Value::Object(item.public_metadata.clone()).to_string())
    .bind(item.redirect_url.clone())
    .bind(&item.status)
    .bind(&item.token)
    .bind(item.expires_at)
    .bind(item.created_at)
    .bind(item.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An invitation by id.
pub(crate) async fn load(tx: &mut Tx, id: &str) -> Result<Option<Invitation>> {
    one(tx, "id", id).await
}

/// An invitation by its ticket.
pub(crate) async fn by_token(tx: &mut Tx, token: &str) -> Result<Option<Invitation>> {
    one(tx, "token", token).await
}

async fn one(tx: &mut Tx, column: &'static str, value: &str) -> Result<Option<Invitation>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM invitations WHERE {column} = $1"
    )))
    .bind(value)
    .fetch_optional(&mut **tx)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
    .map_err(Into::into)
}

/// The latest pending, unexpired invitation of `email`, if any.
pub(crate) async fn pending_for(
    tx: &mut Tx,
    email: &str,
    now_ms: i64,
) -> Result<Option<Invitation>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM invitations WHERE email_address = $1 AND status = 'pending' \
         AND expires_at > $2 ORDER BY created_at DESC LIMIT 1"
    )))
    .bind(email)
    .bind(now_ms)
    .fetch_optional(&mut **tx)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
    .map_err(Into::into)
}

/// Whether `email` has a pending, unexpired invitation.
pub(crate) async fn pending_exists(tx: &mut Tx, email: &str, now_ms: i64) -> Result<bool> {
    let found = sqlx::query(
        "SELECT 1 AS ok FROM invitations WHERE email_address = $1 AND status = 'pending' \
         AND expires_at > $2 LIMIT 1",
    )
    .bind(email)
    .bind(now_ms)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.is_some())
}

/// Moves a pending invitation to `status` (accepted only while unexpired, revoked whatever
/// its expiry); whether it did.
pub(crate) async fn settle(tx: &mut Tx, id: &str, status: &str, now_ms: i64) -> Result<bool> {
    let expiry = if status == "accepted" {
        " AND expires_at > $3"
    } else {
        " AND $3 = $3"
    };
    let changed = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE invitations SET status = $1, updated_at = $3 \
         WHERE id = $2 AND status = 'pending'{expiry}"
    )))
    .bind(status)
    .bind(id)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(changed > 0)
}

fn push_filters(sql: &mut Sql, q: &InvitationQuery) {
    if let Some(needle) = &q.query {
        push_contains(sql, "email_address", needle);
    }
    match q.status.as_deref() {
        Some("pending") => {
            sql.push(" AND status = 'pending' AND expires_at > ")
                .bind(q.now_ms);
        }
        Some("expired") => {
            sql.push(" AND status = 'pending' AND expires_at <= ")
                .bind(q.now_ms);
        }
        Some(other) => {
            sql.push(" AND status = ").bind(other);
        }
        None => {}
    }
}

impl Store {
    /// The invitations among `ids` (in no particular order; unknown ids are left out).
    pub(crate) async fn invitations_by_id(&self, ids: &[String]) -> Result<Vec<Invitation>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.read().await?;
        let mut select = Sql::new(&format!("SELECT {COLUMNS} FROM invitations WHERE id IN "));
        select.bind_list(ids.iter().map(String::as_str));
        let rows = select.query().fetch_all(&mut *conn).await?;
        Ok(rows
            .iter()
            .map(from_row)
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// A page of invitations in the query's order, and the total.
    pub(crate) async fn list_invitations(
        &self,
        q: &InvitationQuery,
    ) -> Result<(Vec<Invitation>, i64)> {
        let mut conn = self.read().await?;
        let mut select = Sql::new(&format!("SELECT {COLUMNS} FROM invitations WHERE 1 = 1"));
        push_filters(&mut select, q);
        q.sort.push(&mut select, "invitations");
        select.push_page(q.page);
        let rows = select.query().fetch_all(&mut *conn).await?;
        let mut count = Sql::new("SELECT COUNT(*) FROM invitations WHERE 1 = 1");
        push_filters(&mut count, q);
        let total: i64 = count.query().fetch_one(&mut *conn).await?.try_get(0)?;
        let items = rows
            .iter()
            .map(from_row)
            .collect::<Result<_, sqlx::Error>>()?;
        Ok((items, total))
    }
}

/// Whether a user has the email address `email` (lowercase).
pub(crate) async fn email_taken(tx: &mut Tx, email: &str) -> Result<bool> {
    let found = sqlx::query(
        "SELECT 1 AS ok FROM identifications WHERE kind = 'email_address' AND value = $1 LIMIT 1",
    )
    .bind(email)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.is_some())
}
