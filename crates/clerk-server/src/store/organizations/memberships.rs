//! Organization memberships: a user in an organization with a role (by key).
//!
//! A membership is shown with its organization, its member's public data and its role
//! (name and permissions); a page of them takes a fixed number of statements whatever its
//! size: the count, the page (memberships joined with their users), their organizations and
//! their roles. The organization's `members_count` is kept here as memberships come and go.

use std::collections::HashMap;

use serde_json::{Map, Value};
use sqlx::{AnyConnection, Row};

use super::roles::{self, Role};
use super::{OrganizationRecord, add_to_members_count};
use crate::store::record::{ColumnValue, column_list, record};
use crate::store::sql::{Sort, Sql, unique_violation};
use crate::store::users::list::{UserFilters, push_filters as push_user_filters};
use crate::store::{Dialect, Page, Result, Store, StoreError, Tx, Unique};

record! {
    /// A membership's own columns.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct MembershipRecord {
        id: String,
        organization_id: String,
        user_id: String,
        /// The role's key (`org:admin`).
        role: String,
        public_metadata: Map<String, Value>,
        private_metadata: Map<String, Value>,
        created_at: i64,
        updated_at: i64,
    }
}

/// What a membership shows of its member.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MemberData {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub username: Option<String>,
    /// The member's primary email address (else phone number, web3 wallet, username).
    pub identifier: Option<String>,
    pub banned: bool,
}

/// A membership with everything it is shown with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Membership {
    pub record: MembershipRecord,
    pub organization: OrganizationRecord,
    pub member: MemberData,
    /// The role, unless it was deleted from under the membership.
    pub role: Option<Role>,
}

/// The `order_by` fields of the memberships lists.
pub(crate) const ORDER_FIELDS: &[&str] = &[
    "created_at",
    "phone_number",
    "email_address",
    "first_name",
    "last_name",
    "username",
];

/// Which memberships a list reads.
#[derive(Debug, Clone, Default)]
pub(crate) struct MembershipFilters {
    /// One organization's memberships.
    pub organization_id: Option<String>,
    /// One user's memberships.
    pub user_id: Option<String>,
    /// Filters on the members.
    pub users: UserFilters,
    /// Any of these roles.
    pub roles: Vec<String>,
}

/// A page of a memberships list.
#[derive(Debug, Clone)]
pub(crate) struct MembershipListQuery {
    pub filters: MembershipFilters,
    pub sort: Sort,
    pub page: Page,
}

/// The column an `order_by` sorts by, and whether it can be null.
fn sort_column(sort: Sort) -> (&'static str, bool) {
    match sort.column {
        "phone_number" => ("u.sort_phone", true),
        "email_address" => ("u.sort_email", true),
        "first_name" => ("u.first_name", true),
        "last_name" => ("u.last_name", true),
        "username" => ("u.username", true),
        _ => ("m.created_at", false),
    }
}

fn conflict(err: sqlx::Error) -> StoreError {
    if unique_violation(&err).is_some() {
        StoreError::Taken(Unique::Membership)
    } else {
        err.into()
    }
}

/// `SELECT <membership columns>, <member data> FROM organization_memberships m JOIN users u`.
fn select_memberships() -> String {
    format!(
        "{} FROM organization_memberships{JOIN_MEMBERS}",
        member_columns()
    )
}

/// How memberships `m` meet their users `u`.
const JOIN_MEMBERS: &str = " m JOIN users u ON u.id = m.user_id";

/// `SELECT <membership columns>, <member data>`, reading memberships as `m` and users as `u`.
fn member_columns() -> String {
    let own: Vec<String> = MembershipRecord::COLUMNS
        .iter()
        .map(|c| format!("m.{c}"))
        .collect();
    format!(
        "SELECT {}, u.first_name AS member_first_name, u.last_name AS member_last_name, \
         u.username AS member_username, u.banned AS member_banned, COALESCE((SELECT i.value \
         FROM identifications i WHERE i.id = COALESCE(u.primary_email_address_id, \
         u.primary_phone_number_id, u.primary_web3_wallet_id)), u.username) AS member_identifier",
        own.join(", ")
    )
}

fn member_from_row(row: &sqlx::any::AnyRow) -> Result<(MembershipRecord, MemberData)> {
    Ok((
        MembershipRecord::from_row(row)?,
        MemberData {
            first_name: row.try_get("member_first_name")?,
            last_name: row.try_get("member_last_name")?,
            username: row.try_get("member_username")?,
            identifier: row.try_get("member_identifier")?,
            banned: row.try_get::<i64, _>("member_banned")? != 0,
        },
    ))
}

/// Memberships from rows of [`select_memberships`], with their organizations and roles.
async fn complete(
    conn: &mut AnyConnection,
    rows: Vec<(MembershipRecord, MemberData)>,
) -> Result<Vec<Membership>> {
    let mut org_ids: Vec<&str> = rows
        .iter()
        .map(|(m, _)| m.organization_id.as_str())
        .collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let mut organizations: HashMap<String, OrganizationRecord> = HashMap::new();
    if !org_ids.is_empty() {
        let mut sql = Sql::new(&format!(
            "SELECT {} FROM organizations WHERE id IN ",
            column_list(OrganizationRecord::COLUMNS)
        ));
        sql.bind_list(org_ids.iter().copied());
        for row in sql.query().fetch_all(&mut *conn).await? {
            let org = OrganizationRecord::from_row(&row)?;
            organizations.insert(org.id.clone(), org);
        }
    }
    let mut keys: Vec<&str> = rows.iter().map(|(m, _)| m.role.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    let roles: HashMap<String, Role> = roles::roles_by_key(conn, &keys)
        .await?
        .into_iter()
        .map(|r| (r.record.key.clone(), r))
        .collect();
    rows.into_iter()
        .map(|(record, member)| {
            let organization = organizations
                .get(&record.organization_id)
                .cloned()
                .ok_or_else(|| StoreError::not_found("organization", &record.organization_id))?;
            Ok(Membership {
                role: roles.get(&record.role).cloned(),
                organization,
                member,
                record,
            })
        })
        .collect()
}

/// Appends the WHERE conditions of a list (after `WHERE 1 = 1`).
fn push_filters(sql: &mut Sql, dialect: Dialect, f: &MembershipFilters) {
    if let Some(org) = &f.organization_id {
        sql.push(" AND m.organization_id = ").bind(org);
    }
    if let Some(user) = &f.user_id {
        sql.push(" AND m.user_id = ").bind(user);
    }
    if !f.roles.is_empty() {
        sql.push(" AND m.role IN ").bind_list(f.roles.iter());
    }
    if !f.users.is_empty() {
        sql.push(" AND m.user_id IN (SELECT id FROM users WHERE 1 = 1");
        push_user_filters(sql, dialect, &f.users);
        sql.push(")");
    }
}

/// A membership by organization and user, with everything it is shown with.
pub(crate) async fn load(
    conn: &mut AnyConnection,
    organization_id: &str,
    user_id: &str,
) -> Result<Option<Membership>> {
    let sql = format!(
        "{} WHERE m.organization_id = $1 AND m.user_id = $2",
        select_memberships()
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(organization_id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(complete(conn, vec![member_from_row(&row)?]).await?.pop())
}

/// The membership of `user_id` in `organization_id`, which must exist; its organization must
/// be locked in `tx`.
pub(crate) async fn get(
    tx: &mut Tx,
    organization_id: &str,
    user_id: &str,
) -> Result<MembershipRecord> {
    let sql = format!(
        "SELECT {} FROM organization_memberships WHERE organization_id = $1 AND user_id = $2",
        column_list(MembershipRecord::COLUMNS)
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(organization_id)
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found("organization membership", user_id))?;
    Ok(MembershipRecord::from_row(&row)?)
}

/// Adds a membership and counts it; a user already a member is [`Unique::Membership`].
pub(crate) async fn insert(tx: &mut Tx, record: &MembershipRecord) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO organization_memberships ({}) VALUES (",
        column_list(MembershipRecord::COLUMNS)
    ));
    sql.bind_separated(record.args()).push(")");
    sql.query().execute(&mut **tx).await.map_err(conflict)?;
    add_to_members_count(tx, &record.organization_id, 1).await
}

/// Adds many memberships of one organization (seeding), many rows per statement, and
/// counts them: the first statement of a bulk load on PostgreSQL, a few rows per
/// statement on SQLite (see `Store::insert_users_in_bulk` for why).
pub(crate) async fn insert_many(
    tx: &mut Tx,
    dialect: Dialect,
    records: &[MembershipRecord],
) -> Result<()> {
    let rows_per_statement = match dialect {
        Dialect::Sqlite => 8,
        Dialect::Postgres => 500,
    };
    for chunk in records.chunks(rows_per_statement) {
        let mut sql = Sql::new(&format!(
            "INSERT INTO organization_memberships ({}) VALUES ",
            column_list(MembershipRecord::COLUMNS)
        ));
        for (i, record) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            sql.bind_separated(record.args()).push(")");
        }
        sql.query().execute(&mut **tx).await.map_err(conflict)?;
    }
    if let Some(first) = records.first() {
        add_to_members_count(tx, &first.organization_id, records.len() as i64).await?;
    }
    Ok(())
}

/// The ids of `count` users in creation order, skipping the `skip` created first.
pub(crate) async fn user_ids_in_creation_order(
    store: &Store,
    skip: u64,
    count: u64,
) -> Result<Vec<String>> {
    let mut conn = store.read().await?;
    let mut sql = Sql::new("SELECT id FROM users ORDER BY seq");
    sql.push_page(Page {
        limit: i64::try_from(count).unwrap_or(i64::MAX),
        offset: i64::try_from(skip).unwrap_or(i64::MAX),
    });
    let rows = sql.query().fetch_all(&mut *conn).await?;
    Ok(rows
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<Result<_, _>>()?)
}

/// Writes a membership's role and metadata back.
pub(crate) async fn save(tx: &mut Tx, record: &MembershipRecord) -> Result<()> {
    let mut sql = Sql::new("UPDATE organization_memberships SET role = ");
    sql.bind(&record.role)
        .push(", public_metadata = ")
        .bind(record.public_metadata.arg())
        .push(", private_metadata = ")
        .bind(record.private_metadata.arg())
        .push(", updated_at = ")
        .bind(record.updated_at)
        .push(" WHERE id = ")
        .bind(&record.id);
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// Deletes a membership, uncounts it and clears the organization from the member's
/// sessions; false if there was none.
pub(crate) async fn delete(tx: &mut Tx, organization_id: &str, user_id: &str) -> Result<bool> {
    let deleted = sqlx::query(
        "DELETE FROM organization_memberships WHERE organization_id = $1 AND user_id = $2",
    )
    .bind(organization_id)
    .bind(user_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if deleted == 0 {
        return Ok(false);
    }
    add_to_members_count(tx, organization_id, -1).await?;
    sqlx::query(
        "UPDATE sessions SET last_active_organization_id = NULL \
         WHERE user_id = $1 AND last_active_organization_id = $2",
    )
    .bind(user_id)
    .bind(organization_id)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// The organization and user ids of the memberships that have one of `roles`, in the
/// organizations of role set `set_key` (in every organization without one), oldest first:
/// those a change to roles also changes (their webhook events are emitted one by one).
pub(crate) async fn with_roles(
    tx: &mut Tx,
    roles: &[&str],
    set_key: Option<&str>,
) -> Result<Vec<(String, String)>> {
    if roles.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql =
        Sql::new("SELECT organization_id, user_id FROM organization_memberships WHERE role IN ");
    sql.bind_list(roles.iter().copied());
    if let Some(key) = set_key {
        sql.push(" AND organization_id IN (SELECT id FROM organizations WHERE role_set_key = ")
            .bind(key)
            .push(")");
    }
    sql.push(" ORDER BY seq");
    let rows = sql.query().fetch_all(&mut **tx).await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// The roles an organization's members have.
pub(crate) async fn roles_in_use(tx: &mut Tx, organization_id: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT role FROM organization_memberships WHERE organization_id = $1",
    )
    .bind(organization_id)
    .fetch_all(&mut **tx)
    .await?)
}

/// How many members of an organization have a role holding `permission`.
pub(crate) async fn count_holding(
    tx: &mut Tx,
    organization_id: &str,
    permission: &str,
) -> Result<i64> {
    Ok(sqlx::query(
        "SELECT COUNT(*) FROM organization_memberships m \
         JOIN organization_roles r ON r.key = m.role \
         JOIN organization_role_permissions rp ON rp.role_id = r.id \
         JOIN organization_permissions p ON p.id = rp.permission_id \
         WHERE m.organization_id = $1 AND p.key = $2",
    )
    .bind(organization_id)
    .bind(permission)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// The organization and role of `user_id`'s membership in `organization_id`, as a session
/// token shows them: `None` if the user is not (or no longer) a member.
pub(crate) async fn active(
    conn: &mut AnyConnection,
    organization_id: &str,
    user_id: &str,
) -> Result<Option<(OrganizationRecord, Option<Role>)>> {
    let sql = format!(
        "SELECT {}, m.role AS member_role FROM organizations o \
         JOIN organization_memberships m ON m.organization_id = o.id \
         WHERE o.id = $1 AND m.user_id = $2",
        OrganizationRecord::COLUMNS
            .iter()
            .map(|c| format!("o.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(organization_id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let organization = OrganizationRecord::from_row(&row)?;
    let key: String = row.try_get("member_role")?;
    let role = roles::role_by_key(conn, &key).await?;
    Ok(Some((organization, role)))
}

impl Store {
    /// A page of memberships and the total.
    pub(crate) async fn list_memberships(
        &self,
        q: &MembershipListQuery,
    ) -> Result<(Vec<Membership>, i64)> {
        let dialect = self.dialect();
        let mut conn = self.read().await?;
        let total = self.count_memberships(&mut conn, q).await?;
        let (column, nullable) = sort_column(q.sort);
        let dir = if q.sort.descending { "DESC" } else { "ASC" };
        let nulls = if nullable { " NULLS LAST" } else { "" };
        let order = format!(" ORDER BY {column} {dir}{nulls}, m.seq {dir}");
        // Filters only name the memberships' own columns (the users' through subqueries),
        // so when the order does too the page is cut from the memberships alone and only its
        // rows are joined to their users: a deep offset then skips index entries, not joined
        // rows with their identifier looked up.
        let own_order = column.starts_with("m.");
        let mut sql = if own_order {
            Sql::new("SELECT m.* FROM organization_memberships m WHERE 1 = 1")
        } else {
            Sql::new(&format!("{} WHERE 1 = 1", select_memberships()))
        };
        push_filters(&mut sql, dialect, &q.filters);
        sql.push(&order).push_page(q.page);
        if own_order {
            let before = format!("{} FROM (", member_columns());
            sql = sql.wrap(&before, &format!("){JOIN_MEMBERS}{order}"));
        }
        let rows = sql
            .query()
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(member_from_row)
            .collect::<Result<Vec<_>>>()?;
        Ok((complete(&mut conn, rows).await?, total))
    }

    /// The total of a memberships list: an organization's unfiltered count is its
    /// `members_count`, read without counting its memberships.
    async fn count_memberships(
        &self,
        conn: &mut AnyConnection,
        q: &MembershipListQuery,
    ) -> Result<i64> {
        let f = &q.filters;
        if let (Some(org), None, true, true) = (
            &f.organization_id,
            &f.user_id,
            f.roles.is_empty(),
            f.users.is_empty(),
        ) {
            let row = sqlx::query("SELECT members_count FROM organizations WHERE id = $1")
                .bind(org)
                .fetch_optional(&mut *conn)
                .await?;
            return Ok(match row {
                Some(row) => row.try_get(0)?,
                None => 0,
            });
        }
        let mut sql = Sql::new("SELECT COUNT(*) FROM organization_memberships m WHERE 1 = 1");
        push_filters(&mut sql, self.dialect(), f);
        Ok(sql.query().fetch_one(&mut *conn).await?.try_get(0)?)
    }

    /// After a bulk load on PostgreSQL: statistics and visibility for the memberships (see
    /// [`Store::analyze_users`]).
    pub(crate) async fn analyze_memberships(&self) -> std::result::Result<(), sqlx::Error> {
        self.vacuum_analyze("organization_memberships, organizations")
            .await
    }
}
