//! Organization invitations: an email address invited into an organization with a role.
//! A stored invitation is `pending`, `accepted` or `revoked`; a pending one past its
//! `expires_at` reads as `expired`.
//!
//! An invitation is shown with its organization's public data, its inviter's public data
//! and its role's name; a page of them takes a fixed number of statements: the count, the
//! page (invitations joined with their organizations and inviters) and their roles.

use std::collections::HashMap;

use serde_json::{Map, Value};
use sqlx::{AnyConnection, Row};

use super::roles::{self, Role};
use crate::store::record::{column_list, record};
use crate::store::sql::{Sort, Sql, push_contains};
use crate::store::{Page, Result, Store, StoreError, Tx};

record! {
    /// An invitation's own columns.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct InvitationRecord {
        id: String,
        organization_id: String,
        /// Lowercase.
        email_address: String,
        /// The role's key (`org:member`).
        role: String,
        /// `pending`, `accepted` or `revoked` (`expired` is read from `expires_at`).
        status: String,
        inviter_id: Option<String>,
        public_metadata: Map<String, Value>,
        private_metadata: Map<String, Value>,
        redirect_url: Option<String>,
        expires_at: Option<i64>,
        created_at: i64,
        updated_at: i64,
    }
}

impl InvitationRecord {
    /// The status as shown at `now_ms`: a pending invitation past its expiry is `expired`.
    pub(crate) fn status_at(&self, now_ms: i64) -> &str {
        if self.status == "pending" && self.expires_at.is_some_and(|at| at <= now_ms) {
            "expired"
        } else {
            &self.status
        }
    }
}

/// What an invitation shows of its inviter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct InviterData {
    pub user_id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// The inviter's primary email address (else phone number, web3 wallet, username).
    pub identifier: Option<String>,
}

/// What an invitation shows of its organization.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PublicOrganizationData {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub image_id: Option<String>,
}

/// An invitation with everything it is shown with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Invitation {
    pub record: InvitationRecord,
    pub organization: PublicOrganizationData,
    /// `None` without an inviter, or once the inviter was deleted.
    pub inviter: Option<InviterData>,
    /// The role, unless it was deleted from under the invitation.
    pub role: Option<Role>,
}

/// The `order_by` fields of the invitations lists.
pub(crate) const ORDER_FIELDS: &[&str] = &["created_at", "email_address"];

/// The statuses a list can be filtered on.
pub(crate) const STATUSES: &[&str] = &["pending", "accepted", "revoked", "expired"];

/// Which invitations a list reads.
#[derive(Debug, Clone, Default)]
pub(crate) struct InvitationFilters {
    pub organization_id: Option<String>,
    /// Invitations to any of this user's email addresses.
    pub user_id: Option<String>,
    /// With `user_id`: only to its verified addresses.
    pub verified_only: bool,
    /// Exactly this (lowercase) address.
    pub email_address: Option<String>,
    /// Part of the address (lowercase).
    pub query: Option<String>,
    /// One of [`STATUSES`].
    pub status: Option<String>,
}

/// A page of an invitations list; `now_ms` decides which pending ones have expired.
#[derive(Debug, Clone)]
pub(crate) struct InvitationListQuery {
    pub filters: InvitationFilters,
    pub sort: Sort,
    pub page: Page,
    pub now_ms: i64,
}

/// `SELECT <invitation columns>, <organization data>, <inviter data> FROM
/// organization_invitations i JOIN organizations o LEFT JOIN users u`.
fn select_invitations() -> String {
    let own: Vec<String> = InvitationRecord::COLUMNS
        .iter()
        .map(|c| format!("i.{c}"))
        .collect();
    format!(
        "SELECT {}, o.name AS org_name, o.slug AS org_slug, o.image_id AS org_image_id, \
         u.id AS inviter_user_id, u.first_name AS inviter_first_name, \
         u.last_name AS inviter_last_name, COALESCE((SELECT x.value FROM identifications x \
         WHERE x.id = COALESCE(u.primary_email_address_id, u.primary_phone_number_id, \
         u.primary_web3_wallet_id)), u.username) AS inviter_identifier \
         FROM organization_invitations i JOIN organizations o ON o.id = i.organization_id \
         LEFT JOIN users u ON u.id = i.inviter_id",
        own.join(", ")
    )
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Invitation> {
    let record = InvitationRecord::from_row(row)?;
    let inviter = match row.try_get::<Option<String>, _>("inviter_user_id")? {
        Some(user_id) => Some(InviterData {
            user_id,
            first_name: row.try_get("inviter_first_name")?,
            last_name: row.try_get("inviter_last_name")?,
            identifier: row.try_get("inviter_identifier")?,
        }),
        None => None,
    };
    Ok(Invitation {
        organization: PublicOrganizationData {
            id: record.organization_id.clone(),
            name: row.try_get("org_name")?,
            slug: row.try_get("org_slug")?,
            image_id: row.try_get("org_image_id")?,
        },
        inviter,
        role: None,
        record,
    })
}

/// Fills in the invitations' roles, in one statement.
async fn with_roles(
    conn: &mut AnyConnection,
    mut items: Vec<Invitation>,
) -> Result<Vec<Invitation>> {
    let mut keys: Vec<&str> = items.iter().map(|i| i.record.role.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    if keys.is_empty() {
        return Ok(items);
    }
    let roles: HashMap<String, Role> = roles::roles_by_key(conn, &keys)
        .await?
        .into_iter()
        .map(|r| (r.record.key.clone(), r))
        .collect();
    for item in &mut items {
        item.role = roles.get(&item.record.role).cloned();
    }
    Ok(items)
}

/// Appends the WHERE conditions of a list (after `WHERE 1 = 1`).
fn push_filters(sql: &mut Sql, f: &InvitationFilters, now_ms: i64) {
    if let Some(org) = &f.organization_id {
        sql.push(" AND i.organization_id = ").bind(org);
    }
    if let Some(user) = &f.user_id {
        sql.push(
            " AND i.email_address IN (SELECT value FROM identifications \
             WHERE kind = 'email_address' AND user_id = ",
        )
        .bind(user);
        if f.verified_only {
            sql.push(" AND verified = 1");
        }
        sql.push(")");
    }
    if let Some(email) = &f.email_address {
        sql.push(" AND i.email_address = ").bind(email);
    }
    if let Some(q) = &f.query {
        push_contains(sql, "i.email_address", q);
    }
    match f.status.as_deref() {
        Some("pending") => {
            sql.push(" AND i.status = 'pending' AND (i.expires_at IS NULL OR i.expires_at > ")
                .bind(now_ms)
                .push(")");
        }
        Some("expired") => {
            sql.push(" AND i.status = 'pending' AND i.expires_at <= ")
                .bind(now_ms);
        }
        Some(other) => {
            sql.push(" AND i.status = ").bind(other);
        }
        None => {}
    }
}

/// An invitation of `organization_id` by id, with everything it is shown with.
pub(crate) async fn load(
    conn: &mut AnyConnection,
    organization_id: &str,
    id: &str,
) -> Result<Option<Invitation>> {
    let sql = format!(
        "{} WHERE i.organization_id = $1 AND i.id = $2",
        select_invitations()
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(organization_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(with_roles(conn, vec![from_row(&row)?]).await?.pop())
}

/// The invitation `id`, which must exist (in `organization_id` when given).
pub(crate) async fn get(
    tx: &mut Tx,
    organization_id: Option<&str>,
    id: &str,
) -> Result<InvitationRecord> {
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM organization_invitations WHERE id = ",
        column_list(InvitationRecord::COLUMNS)
    ));
    sql.bind(id);
    if let Some(org) = organization_id {
        sql.push(" AND organization_id = ").bind(org);
    }
    let row = sql
        .query()
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found("organization invitation", id))?;
    Ok(InvitationRecord::from_row(&row)?)
}

/// Adds an invitation.
pub(crate) async fn insert(tx: &mut Tx, record: &InvitationRecord) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO organization_invitations ({}) VALUES (",
        column_list(InvitationRecord::COLUMNS)
    ));
    sql.bind_separated(record.args()).push(")");
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// Writes an invitation's status back.
pub(crate) async fn save_status(tx: &mut Tx, record: &InvitationRecord) -> Result<()> {
    sqlx::query("UPDATE organization_invitations SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(&record.status)
        .bind(record.updated_at)
        .bind(&record.id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// How many pending, unexpired invitations an organization has (they count against its
/// membership limit).
pub(crate) async fn count_pending(tx: &mut Tx, organization_id: &str, now_ms: i64) -> Result<i64> {
    Ok(sqlx::query(
        "SELECT COUNT(*) FROM organization_invitations WHERE organization_id = $1 \
         AND status = 'pending' AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(organization_id)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// Whether an organization has a pending, unexpired invitation for `email_address`.
pub(crate) async fn has_pending(
    tx: &mut Tx,
    organization_id: &str,
    email_address: &str,
    now_ms: i64,
) -> Result<bool> {
    let row = sqlx::query(
        "SELECT 1 FROM organization_invitations WHERE organization_id = $1 \
         AND status = 'pending' AND email_address = $2 \
         AND (expires_at IS NULL OR expires_at > $3)",
    )
    .bind(organization_id)
    .bind(email_address)
    .bind(now_ms)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}

/// Whether a member of the organization has `email_address`.
pub(crate) async fn is_member_email(
    tx: &mut Tx,
    organization_id: &str,
    email_address: &str,
) -> Result<bool> {
    let row = sqlx::query(
        "SELECT 1 FROM identifications x JOIN organization_memberships m \
         ON m.user_id = x.user_id AND m.organization_id = $1 \
         WHERE x.kind = 'email_address' AND x.value = $2",
    )
    .bind(organization_id)
    .bind(email_address)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}

/// The id of the user who has `email_address`, if any.
pub(crate) async fn user_with_email(tx: &mut Tx, email_address: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT user_id FROM identifications WHERE kind = 'email_address' AND value = $1",
    )
    .bind(email_address)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Whether `email_address` is a verified email address of `user_id`.
pub(crate) async fn is_verified_email_of(
    tx: &mut Tx,
    user_id: &str,
    email_address: &str,
) -> Result<bool> {
    let row: Option<String> = sqlx::query_scalar(
        "SELECT id FROM identifications WHERE kind = 'email_address' AND value = $1 \
         AND user_id = $2 AND verified = 1",
    )
    .bind(email_address)
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}

impl Store {
    /// A page of invitations and the total.
    pub(crate) async fn list_organization_invitations(
        &self,
        q: &InvitationListQuery,
    ) -> Result<(Vec<Invitation>, i64)> {
        let mut conn = self.read().await?;
        let mut count = Sql::new("SELECT COUNT(*) FROM organization_invitations i WHERE 1 = 1");
        push_filters(&mut count, &q.filters, q.now_ms);
        let total: i64 = count.query().fetch_one(&mut *conn).await?.try_get(0)?;
        let mut sql = Sql::new(&format!("{} WHERE 1 = 1", select_invitations()));
        push_filters(&mut sql, &q.filters, q.now_ms);
        q.sort.push(&mut sql, "i");
        sql.push_page(q.page);
        let items = sql
            .query()
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(from_row)
            .collect::<Result<Vec<_>>>()?;
        Ok((with_roles(&mut conn, items).await?, total))
    }

    /// An invitation of an organization, by id.
    pub(crate) async fn organization_invitation(
        &self,
        organization_id: &str,
        id: &str,
    ) -> Result<Option<Invitation>> {
        load(&mut *self.read().await?, organization_id, id).await
    }
}
