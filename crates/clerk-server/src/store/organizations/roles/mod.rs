//! The instance's catalog of organization permissions, roles and role sets.
//!
//! A role holds permissions (`organization_role_permissions`); a role set holds roles
//! (`role_set_roles`) and names its default and creator roles. Memberships and invitations
//! name their role by key, so a role's key change is carried to them here
//! ([`rename_role_key`]). Every read takes a connection, so the domain reads inside its
//! unit of work and the web face reads from the pool alike.

use std::collections::HashMap;

use sqlx::{AnyConnection, Row};

use crate::store::record::{column_list, record};
use crate::store::sql::{Sort, Sql, push_contains, unique_violation};
use crate::store::{Page, Result, Store, StoreError, Tx, Unique};

mod sets;

pub(crate) use sets::*;

record! {
    /// A permission: `org:<feature>:<action>`; `kind` is the API's `type` (`system` for
    /// Clerk's `org:sys_*`, `user` for the instance's own).
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct PermissionRecord {
        id: String,
        key: String,
        name: String,
        description: String,
        kind: String,
        created_at: i64,
        updated_at: i64,
    }
}

record! {
    /// A role's own columns.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct RoleRecord {
        id: String,
        key: String,
        name: String,
        description: Option<String>,
        created_at: i64,
        updated_at: i64,
    }
}

record! {
    /// A role set's own columns; `kind` is the API's `type` (`initial` or `custom`).
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct RoleSetRecord {
        id: String,
        key: String,
        name: String,
        description: Option<String>,
        kind: String,
        default_role_id: String,
        creator_role_id: String,
        created_at: i64,
        updated_at: i64,
    }
}

/// The `type` of Clerk's system permissions.
pub(crate) const SYSTEM: &str = "system";
/// The `type` of the instance's own permissions.
pub(crate) const USER: &str = "user";
/// The role set new organizations get.
pub(crate) const INITIAL: &str = "initial";
/// Any other role set.
pub(crate) const CUSTOM: &str = "custom";

/// A role with its permissions (oldest first).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Role {
    pub record: RoleRecord,
    pub permissions: Vec<PermissionRecord>,
}

impl Role {
    /// Whether the role holds the permission `key`.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.permissions.iter().any(|p| p.key == key)
    }
}

/// A role set with its roles (oldest first).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RoleSet {
    pub record: RoleSetRecord,
    pub roles: Vec<RoleRecord>,
}

impl RoleSet {
    /// The role of the set with this id.
    pub(crate) fn role(&self, id: &str) -> Option<&RoleRecord> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// Whether the set holds the role with this key.
    pub(crate) fn has_key(&self, key: &str) -> bool {
        self.roles.iter().any(|r| r.key == key)
    }
}

/// What a catalog list can filter and order by.
#[derive(Debug, Clone)]
pub(crate) struct CatalogQuery {
    /// An exact id, or part of the name or key (ignoring case).
    pub query: Option<String>,
    pub sort: Sort,
    pub page: Page,
}

/// The `order_by` fields of the permission, role and role set lists.
pub(crate) const CATALOG_ORDER_FIELDS: &[&str] = &["created_at", "name", "key"];

/// `AND (id = q OR name/key contains q)`.
fn push_catalog_query(sql: &mut Sql, table: &str, query: Option<&str>) {
    let Some(q) = query else { return };
    let needle = q.to_lowercase();
    sql.push(&format!(" AND ({table}.id = "))
        .bind(q)
        .push(" OR (1 = 1");
    push_contains(sql, &format!("lower({table}.name)"), &needle);
    sql.push(") OR (1 = 1");
    push_contains(sql, &format!("lower({table}.key)"), &needle);
    sql.push("))");
}

/// One page of `table` (its records' `columns`) and the total.
pub(super) async fn catalog_page(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    q: &CatalogQuery,
) -> Result<(Vec<sqlx::any::AnyRow>, i64)> {
    let mut count = Sql::new(&format!("SELECT COUNT(*) FROM {table} WHERE 1 = 1"));
    push_catalog_query(&mut count, table, q.query.as_deref());
    let total: i64 = count.query().fetch_one(&mut *conn).await?.try_get(0)?;
    let mut select = Sql::new(&format!(
        "SELECT {} FROM {table} WHERE 1 = 1",
        columns
            .iter()
            .map(|c| format!("{table}.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    push_catalog_query(&mut select, table, q.query.as_deref());
    q.sort.push(&mut select, table);
    select.push_page(q.page);
    Ok((select.query().fetch_all(&mut *conn).await?, total))
}

pub(super) fn taken(err: sqlx::Error, unique: Unique) -> StoreError {
    if unique_violation(&err).is_some() {
        StoreError::Taken(unique)
    } else {
        err.into()
    }
}

// ---- permissions ----

/// A permission by id.
pub(crate) async fn permission(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<PermissionRecord>> {
    let sql = format!(
        "SELECT {} FROM organization_permissions WHERE id = $1",
        column_list(PermissionRecord::COLUMNS)
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.as_ref().map(PermissionRecord::from_row).transpose()?)
}

/// The permissions with these ids, in no particular order (unknown ids are left out).
pub(crate) async fn permissions_by_id(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<PermissionRecord>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM organization_permissions WHERE id IN ",
        column_list(PermissionRecord::COLUMNS)
    ));
    sql.bind_list(ids.iter());
    let rows = sql.query().fetch_all(&mut *conn).await?;
    Ok(rows
        .iter()
        .map(PermissionRecord::from_row)
        .collect::<Result<_, _>>()?)
}

/// Adds a permission; a taken key is [`Unique::PermissionKey`].
pub(crate) async fn insert_permission(
    conn: &mut AnyConnection,
    p: &PermissionRecord,
) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO organization_permissions ({}) VALUES (",
        column_list(PermissionRecord::COLUMNS)
    ));
    sql.bind_separated(p.args()).push(")");
    sql.query()
        .execute(&mut *conn)
        .await
        .map_err(|e| taken(e, Unique::PermissionKey))?;
    Ok(())
}

/// Writes a permission back whole; a taken key is [`Unique::PermissionKey`].
pub(crate) async fn save_permission(tx: &mut Tx, p: &PermissionRecord) -> Result<()> {
    sqlx::query(
        "UPDATE organization_permissions SET key = $1, name = $2, description = $3, \
         updated_at = $4 WHERE id = $5",
    )
    .bind(&p.key)
    .bind(&p.name)
    .bind(&p.description)
    .bind(p.updated_at)
    .bind(&p.id)
    .execute(&mut **tx)
    .await
    .map_err(|e| taken(e, Unique::PermissionKey))?;
    Ok(())
}

/// Deletes a permission (and takes it from every role); false if there was none.
pub(crate) async fn delete_permission(tx: &mut Tx, id: &str) -> Result<bool> {
    sqlx::query("DELETE FROM organization_role_permissions WHERE permission_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let deleted = sqlx::query("DELETE FROM organization_permissions WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

// ---- roles ----

/// The permissions of each of `role_ids`, oldest permission first.
async fn permissions_of(
    conn: &mut AnyConnection,
    role_ids: &[&str],
) -> Result<HashMap<String, Vec<PermissionRecord>>> {
    let mut by_role: HashMap<String, Vec<PermissionRecord>> = HashMap::new();
    if role_ids.is_empty() {
        return Ok(by_role);
    }
    let columns: Vec<String> = PermissionRecord::COLUMNS
        .iter()
        .map(|c| format!("p.{c}"))
        .collect();
    let mut sql = Sql::new(&format!(
        "SELECT rp.role_id AS role_id, {} FROM organization_role_permissions rp \
         JOIN organization_permissions p ON p.id = rp.permission_id WHERE rp.role_id IN ",
        columns.join(", ")
    ));
    sql.bind_list(role_ids.iter().copied())
        .push(" ORDER BY p.created_at, p.seq");
    for row in sql.query().fetch_all(&mut *conn).await? {
        let role_id: String = row.try_get("role_id")?;
        by_role
            .entry(role_id)
            .or_default()
            .push(PermissionRecord::from_row(&row)?);
    }
    Ok(by_role)
}

/// Roles with their permissions, in the order of `records`.
async fn with_permissions(conn: &mut AnyConnection, records: Vec<RoleRecord>) -> Result<Vec<Role>> {
    let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    let mut permissions = permissions_of(conn, &ids).await?;
    Ok(records
        .into_iter()
        .map(|record| Role {
            permissions: permissions.remove(&record.id).unwrap_or_default(),
            record,
        })
        .collect())
}

/// Roles whose `column` is one of `values`, with their permissions.
async fn roles_where(conn: &mut AnyConnection, column: &str, values: &[&str]) -> Result<Vec<Role>> {
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM organization_roles WHERE {column} IN ",
        column_list(RoleRecord::COLUMNS)
    ));
    sql.bind_list(values.iter().copied())
        .push(" ORDER BY created_at, seq");
    let rows = sql.query().fetch_all(&mut *conn).await?;
    let records = rows
        .iter()
        .map(RoleRecord::from_row)
        .collect::<Result<_, _>>()?;
    with_permissions(conn, records).await
}

/// A role by id, with its permissions.
pub(crate) async fn role(conn: &mut AnyConnection, id: &str) -> Result<Option<Role>> {
    Ok(roles_where(conn, "id", &[id]).await?.pop())
}

/// A role by key, with its permissions.
pub(crate) async fn role_by_key(conn: &mut AnyConnection, key: &str) -> Result<Option<Role>> {
    Ok(roles_where(conn, "key", &[key]).await?.pop())
}

/// The roles with these keys, with their permissions (unknown keys are left out).
pub(crate) async fn roles_by_key(conn: &mut AnyConnection, keys: &[&str]) -> Result<Vec<Role>> {
    roles_where(conn, "key", keys).await
}

/// Adds a role; a taken key is [`Unique::RoleKey`].
pub(crate) async fn insert_role(conn: &mut AnyConnection, role: &RoleRecord) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO organization_roles ({}) VALUES (",
        column_list(RoleRecord::COLUMNS)
    ));
    sql.bind_separated(role.args()).push(")");
    sql.query()
        .execute(&mut *conn)
        .await
        .map_err(|e| taken(e, Unique::RoleKey))?;
    Ok(())
}

/// Writes a role's own columns back; a taken key is [`Unique::RoleKey`].
pub(crate) async fn save_role(tx: &mut Tx, role: &RoleRecord) -> Result<()> {
    sqlx::query(
        "UPDATE organization_roles SET key = $1, name = $2, description = $3, updated_at = $4 \
         WHERE id = $5",
    )
    .bind(&role.key)
    .bind(&role.name)
    .bind(role.description.clone())
    .bind(role.updated_at)
    .bind(&role.id)
    .execute(&mut **tx)
    .await
    .map_err(|e| taken(e, Unique::RoleKey))?;
    Ok(())
}

/// Gives a role exactly these permissions.
pub(crate) async fn set_role_permissions(
    tx: &mut Tx,
    role_id: &str,
    permission_ids: &[String],
    now_ms: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM organization_role_permissions WHERE role_id = $1")
        .bind(role_id)
        .execute(&mut **tx)
        .await?;
    for permission_id in permission_ids {
        add_role_permission(tx, role_id, permission_id, now_ms).await?;
    }
    Ok(())
}

/// Gives a role one more permission; false if it had it already.
pub(crate) async fn add_role_permission(
    conn: &mut AnyConnection,
    role_id: &str,
    permission_id: &str,
    now_ms: i64,
) -> Result<bool> {
    let added = sqlx::query(
        "INSERT INTO organization_role_permissions (role_id, permission_id, created_at) \
         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(role_id)
    .bind(permission_id)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(added > 0)
}

/// Takes a permission from a role; false if it did not have it.
pub(crate) async fn remove_role_permission(
    tx: &mut Tx,
    role_id: &str,
    permission_id: &str,
) -> Result<bool> {
    let removed = sqlx::query(
        "DELETE FROM organization_role_permissions WHERE role_id = $1 AND permission_id = $2",
    )
    .bind(role_id)
    .bind(permission_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(removed > 0)
}

/// Deletes a role with its permissions and its place in role sets; false if there was none.
pub(crate) async fn delete_role(tx: &mut Tx, id: &str) -> Result<bool> {
    for statement in [
        "DELETE FROM organization_role_permissions WHERE role_id = $1",
        "DELETE FROM role_set_roles WHERE role_id = $1",
    ] {
        sqlx::query(statement).bind(id).execute(&mut **tx).await?;
    }
    let deleted = sqlx::query("DELETE FROM organization_roles WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

/// Carries a role's new key to the memberships, invitations and domains that name it.
pub(crate) async fn rename_role_key(tx: &mut Tx, old: &str, new: &str) -> Result<()> {
    for table in ["organization_memberships", "organization_invitations"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} SET role = $1 WHERE role = $2"
        )))
        .bind(new)
        .bind(old)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// How many memberships have the role `key`, and how many pending (unexpired at `now_ms`)
/// invitations offer it.
pub(crate) async fn role_usage(
    conn: &mut AnyConnection,
    key: &str,
    now_ms: i64,
) -> Result<(i64, i64)> {
    let members: i64 = sqlx::query("SELECT COUNT(*) FROM organization_memberships WHERE role = $1")
        .bind(key)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    let invitations: i64 = sqlx::query(
        "SELECT COUNT(*) FROM organization_invitations WHERE role = $1 AND status = 'pending' \
         AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(key)
    .bind(now_ms)
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;
    Ok((members, invitations))
}

/// How many roles the instance has.
pub(crate) async fn count_roles(conn: &mut AnyConnection) -> Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) FROM organization_roles")
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?)
}

/// How many of the instance's own (not system) permissions there are.
pub(crate) async fn count_user_permissions(conn: &mut AnyConnection) -> Result<i64> {
    Ok(
        sqlx::query("SELECT COUNT(*) FROM organization_permissions WHERE kind = $1")
            .bind(USER)
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?,
    )
}

/// Whether the role holds the permission.
pub(crate) async fn role_has_permission(
    conn: &mut AnyConnection,
    role_id: &str,
    permission_id: &str,
) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM organization_role_permissions WHERE role_id = $1 AND permission_id = $2",
    )
    .bind(role_id)
    .bind(permission_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

impl Store {
    /// A page of permissions and the total.
    pub(crate) async fn list_permissions(
        &self,
        q: &CatalogQuery,
    ) -> Result<(Vec<PermissionRecord>, i64)> {
        let mut conn = self.read().await?;
        let (rows, total) = catalog_page(
            &mut conn,
            "organization_permissions",
            PermissionRecord::COLUMNS,
            q,
        )
        .await?;
        let items = rows
            .iter()
            .map(PermissionRecord::from_row)
            .collect::<Result<_, _>>()?;
        Ok((items, total))
    }

    /// A permission by id.
    pub(crate) async fn permission(&self, id: &str) -> Result<Option<PermissionRecord>> {
        permission(&mut *self.read().await?, id).await
    }

    /// A page of roles with their permissions, and the total.
    pub(crate) async fn list_roles(&self, q: &CatalogQuery) -> Result<(Vec<Role>, i64)> {
        let mut conn = self.read().await?;
        let (rows, total) =
            catalog_page(&mut conn, "organization_roles", RoleRecord::COLUMNS, q).await?;
        let records = rows
            .iter()
            .map(RoleRecord::from_row)
            .collect::<Result<_, _>>()?;
        Ok((with_permissions(&mut conn, records).await?, total))
    }

    /// A role by id, with its permissions.
    pub(crate) async fn role(&self, id: &str) -> Result<Option<Role>> {
        role(&mut *self.read().await?, id).await
    }
}
