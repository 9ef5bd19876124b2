//! Organizations: their rows, their logos, and the lists of them. What hangs off an
//! organization has a module of its own: [`memberships`], [`invitations`], [`domains`], and
//! the instance's catalog of roles and permissions, [`roles`].
//!
//! Deleting an organization deletes its memberships, invitations, domains and logo (foreign
//! keys with `ON DELETE CASCADE`) and clears it from the sessions that had it active.

pub(crate) mod domains;
pub(crate) mod invitations;
pub(crate) mod memberships;
pub(crate) mod roles;

use serde_json::{Map, Value};
use sqlx::{AnyConnection, Row};

use super::record::{column_list, record};
use super::sql::{Sort, Sql, push_contains, unique_violation};
use super::{Dialect, Page, Result, Store, StoreError, Tx, Unique};

record! {
    /// An organization's own columns.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct OrganizationRecord {
        id: String,
        name: String,
        slug: String,
        /// The uploaded logo (`images`), if any.
        image_id: Option<String>,
        /// 0: no limit.
        max_allowed_memberships: i64,
        admin_delete_enabled: bool,
        public_metadata: Map<String, Value>,
        private_metadata: Map<String, Value>,
        created_by: Option<String>,
        role_set_key: Option<String>,
        created_at: i64,
        updated_at: i64,
    }
}

/// An organization with the counts a read asked for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Organization {
    pub record: OrganizationRecord,
    /// With `include_members_count`.
    pub members_count: Option<i64>,
    /// With `include_members_count`: its pending invitations.
    pub pending_invitations_count: Option<i64>,
    /// With `include_missing_member_with_elevated_permissions`: whether no member can
    /// manage memberships.
    pub missing_member_with_elevated_permissions: Option<bool>,
}

/// The counts a read of organizations adds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Extras {
    pub members_count: bool,
    pub missing_member_with_elevated_permissions: bool,
    /// The time (Unix ms) pending invitations are judged at: those past their expiry are
    /// not counted, as the membership limit does not count them.
    pub now_ms: i64,
}

/// The permission that makes a member able to manage the others.
pub(crate) const MANAGE_MEMBERSHIPS: &str = "org:sys_memberships:manage";

/// The `order_by` fields of `GET /v1/organizations`.
pub(crate) const ORDER_FIELDS: &[&str] = &["created_at", "name", "members_count"];

/// Filters of `GET /v1/organizations`.
#[derive(Debug, Clone, Default)]
pub(crate) struct OrganizationFilters {
    /// An exact id, or part of the name or slug (ignoring case).
    pub query: Option<String>,
    /// Organizations any of these users is a member of.
    pub user_ids: Vec<String>,
    pub organization_ids: Vec<String>,
}

/// A page of `GET /v1/organizations`.
#[derive(Debug, Clone)]
pub(crate) struct OrganizationListQuery {
    pub filters: OrganizationFilters,
    pub sort: Sort,
    pub page: Page,
    pub extras: Extras,
}

/// The lowercase haystack of the `query` filter.
fn search_text(record: &OrganizationRecord) -> String {
    format!("{} {}", record.name, record.slug).to_lowercase()
}

fn conflict(err: sqlx::Error) -> StoreError {
    match unique_violation(&err) {
        Some(what) if what.contains("slug") => StoreError::Taken(Unique::OrganizationSlug),
        _ => err.into(),
    }
}

/// The expressions of the extra columns, over the `organizations` row `o`.
fn extra_columns(extras: Extras) -> String {
    let mut columns = String::new();
    if extras.members_count {
        columns.push_str(&format!(
            ", o.members_count AS members_count, (SELECT COUNT(*) FROM \
                 organization_invitations i WHERE i.organization_id = o.id AND i.status = \
                 'pending' AND (i.expires_at IS NULL OR i.expires_at > {})) \
                 AS pending_invitations_count",
            extras.now_ms
        ));
    }
    if extras.missing_member_with_elevated_permissions {
        columns.push_str(&format!(
            ", CASE WHEN EXISTS (SELECT 1 FROM organization_memberships m \
             JOIN organization_roles r ON r.key = m.role \
             JOIN organization_role_permissions rp ON rp.role_id = r.id \
             JOIN organization_permissions p ON p.id = rp.permission_id \
             WHERE m.organization_id = o.id AND p.key = '{MANAGE_MEMBERSHIPS}') THEN 0 ELSE 1 END \
             AS missing_member_with_elevated_permissions"
        ));
    }
    columns
}

fn select_columns(extras: Extras) -> String {
    let own: Vec<String> = OrganizationRecord::COLUMNS
        .iter()
        .map(|c| format!("o.{c}"))
        .collect();
    format!("{}{}", own.join(", "), extra_columns(extras))
}

fn from_row(row: &sqlx::any::AnyRow, extras: Extras) -> Result<Organization> {
    Ok(Organization {
        record: OrganizationRecord::from_row(row)?,
        members_count: if extras.members_count {
            Some(row.try_get("members_count")?)
        } else {
            None
        },
        pending_invitations_count: if extras.members_count {
            Some(row.try_get("pending_invitations_count")?)
        } else {
            None
        },
        missing_member_with_elevated_permissions: if extras.missing_member_with_elevated_permissions
        {
            Some(row.try_get::<i64, _>("missing_member_with_elevated_permissions")? != 0)
        } else {
            None
        },
    })
}

/// The organization whose id or slug is `id_or_slug` (slugs cannot look like ids: they
/// have no `_`).
pub(crate) async fn load(
    conn: &mut AnyConnection,
    id_or_slug: &str,
    extras: Extras,
    lock: &str,
) -> Result<Option<Organization>> {
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM organizations o WHERE ",
        select_columns(extras)
    ));
    let column = if id_or_slug.contains('_') {
        "id"
    } else {
        "slug"
    };
    sql.push(&format!("o.{column} = "))
        .bind(id_or_slug)
        .push(lock);
    let row = sql.query().fetch_optional(&mut *conn).await?;
    row.as_ref().map(|r| from_row(r, extras)).transpose()
}

/// Loads an organization (by id or slug) that must exist, locking its row for the rest of
/// the transaction: the first step of every change to it and to what hangs off it, so that
/// concurrent changes (membership limits) take turns.
pub(crate) async fn lock(
    tx: &mut Tx,
    dialect: Dialect,
    id_or_slug: &str,
) -> Result<OrganizationRecord> {
    load(tx, id_or_slug, Extras::default(), dialect.for_update())
        .await?
        .map(|o| o.record)
        .ok_or_else(|| StoreError::not_found("organization", id_or_slug))
}

/// Adds an organization; a taken slug is [`Unique::OrganizationSlug`].
pub(crate) async fn insert(tx: &mut Tx, record: &OrganizationRecord) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO organizations ({}, search) VALUES (",
        column_list(OrganizationRecord::COLUMNS)
    ));
    sql.bind_separated(record.args())
        .push(", ")
        .bind(search_text(record))
        .push(")");
    sql.query().execute(&mut **tx).await.map_err(conflict)?;
    Ok(())
}

/// Inserts the organization; while its slug is taken, tries again (up to `attempts` times)
/// with the slug `next_slug` gives. A savepoint keeps the transaction usable after each
/// conflict.
pub(crate) async fn insert_with_other_slugs(
    tx: &mut Tx,
    record: &mut OrganizationRecord,
    mut next_slug: impl FnMut() -> String,
    attempts: usize,
) -> Result<()> {
    for attempt in 0..=attempts {
        if attempt > 0 {
            record.slug = next_slug();
        }
        sqlx::query("SAVEPOINT organization_slug")
            .execute(&mut **tx)
            .await?;
        match insert(tx, record).await {
            Ok(()) => {
                sqlx::query("RELEASE SAVEPOINT organization_slug")
                    .execute(&mut **tx)
                    .await?;
                return Ok(());
            }
            Err(StoreError::Taken(_)) => {
                sqlx::query("ROLLBACK TO SAVEPOINT organization_slug")
                    .execute(&mut **tx)
                    .await?;
            }
            Err(err) => return Err(err),
        }
    }
    Err(StoreError::Taken(Unique::OrganizationSlug))
}

/// Writes an organization back whole; a taken slug is [`Unique::OrganizationSlug`].
pub(crate) async fn save(tx: &mut Tx, record: &OrganizationRecord) -> Result<()> {
    let mut sql = Sql::new("UPDATE organizations SET ");
    for (column, value) in OrganizationRecord::COLUMNS.iter().zip(record.args()) {
        sql.push(column).push(" = ").bind(value).push(", ");
    }
    sql.push("search = ")
        .bind(search_text(record))
        .push(" WHERE id = ")
        .bind(&record.id);
    sql.query().execute(&mut **tx).await.map_err(conflict)?;
    Ok(())
}

/// Deletes an organization with everything that hangs off it, and clears it from the
/// sessions that had it active; false if there was none.
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<bool> {
    super::images::delete_of_owner(tx, id).await?;
    sqlx::query(
        "UPDATE sessions SET last_active_organization_id = NULL \
         WHERE last_active_organization_id = $1",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let deleted = sqlx::query("DELETE FROM organizations WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

/// Adds `delta` to an organization's member count (a membership was added or removed).
pub(crate) async fn add_to_members_count(tx: &mut Tx, id: &str, delta: i64) -> Result<()> {
    sqlx::query("UPDATE organizations SET members_count = members_count + $1 WHERE id = $2")
        .bind(delta)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The number of members of a (locked) organization.
pub(crate) async fn members_count(tx: &mut Tx, id: &str) -> Result<i64> {
    Ok(
        sqlx::query("SELECT members_count FROM organizations WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?,
    )
}

/// Moves every organization of role set `from` to role set `to`.
pub(crate) async fn move_role_set(tx: &mut Tx, from: &str, to: &str, now_ms: i64) -> Result<()> {
    sqlx::query(
        "UPDATE organizations SET role_set_key = $1, updated_at = $2 WHERE role_set_key = $3",
    )
    .bind(to)
    .bind(now_ms)
    .bind(from)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The ids of the organizations of role set `key`, oldest first: those a change to the role
/// set also changes (their webhook events are emitted one by one).
pub(crate) async fn ids_with_role_set(tx: &mut Tx, key: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM organizations WHERE role_set_key = $1 ORDER BY created_at, id",
    )
    .bind(key)
    .fetch_all(&mut **tx)
    .await?)
}

/// Appends the WHERE conditions of the list (after `WHERE 1 = 1`).
fn push_filters(sql: &mut Sql, f: &OrganizationFilters) {
    if let Some(q) = &f.query {
        sql.push(" AND (o.id = ").bind(q).push(" OR (1 = 1");
        push_contains(sql, "o.search", &q.to_lowercase());
        sql.push("))");
    }
    if !f.user_ids.is_empty() {
        sql.push(
            " AND o.id IN (SELECT organization_id FROM organization_memberships WHERE user_id IN ",
        )
        .bind_list(f.user_ids.iter())
        .push(")");
    }
    if !f.organization_ids.is_empty() {
        sql.push(" AND o.id IN ")
            .bind_list(f.organization_ids.iter());
    }
}

impl Store {
    /// An organization by id or slug.
    pub(crate) async fn organization(
        &self,
        id_or_slug: &str,
        extras: Extras,
    ) -> Result<Option<Organization>> {
        load(&mut *self.read().await?, id_or_slug, extras, "").await
    }

    /// A page of organizations and the total.
    pub(crate) async fn list_organizations(
        &self,
        q: &OrganizationListQuery,
    ) -> Result<(Vec<Organization>, i64)> {
        let mut conn = self.read().await?;
        let mut count = Sql::new("SELECT COUNT(*) FROM organizations o WHERE 1 = 1");
        push_filters(&mut count, &q.filters);
        let total: i64 = count.query().fetch_one(&mut *conn).await?.try_get(0)?;
        let extras = q.extras;
        let mut select = Sql::new(&format!(
            "SELECT {} FROM organizations o WHERE 1 = 1",
            select_columns(extras)
        ));
        push_filters(&mut select, &q.filters);
        q.sort.push(&mut select, "o");
        select.push_page(q.page);
        let rows = select.query().fetch_all(&mut *conn).await?;
        let items = rows
            .iter()
            .map(|r| from_row(r, extras))
            .collect::<Result<Vec<_>>>()?;
        Ok((items, total))
    }
}
