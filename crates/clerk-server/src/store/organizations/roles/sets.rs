//! Role sets: their rows, the roles they hold, and the moves of organizations' members
//! between roles of a set.

use std::collections::HashMap;

use sqlx::{AnyConnection, Row};

use super::{CatalogQuery, INITIAL, RoleRecord, RoleSet, RoleSetRecord, catalog_page, taken};
use crate::store::record::column_list;
use crate::store::sql::Sql;
use crate::store::{Result, Store, Tx, Unique};

/// Role sets whose `column` is one of `values`, with their roles.
async fn role_sets_where(
    conn: &mut AnyConnection,
    column: &str,
    values: &[&str],
) -> Result<Vec<RoleSet>> {
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM role_sets WHERE {column} IN ",
        column_list(RoleSetRecord::COLUMNS)
    ));
    sql.bind_list(values.iter().copied())
        .push(" ORDER BY created_at, seq");
    let rows = sql.query().fetch_all(&mut *conn).await?;
    let records = rows
        .iter()
        .map(RoleSetRecord::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    with_roles(conn, records).await
}

/// Role sets with their roles, in the order of `records`.
async fn with_roles(conn: &mut AnyConnection, records: Vec<RoleSetRecord>) -> Result<Vec<RoleSet>> {
    let mut by_set: HashMap<String, Vec<RoleRecord>> = HashMap::new();
    if !records.is_empty() {
        let columns: Vec<String> = RoleRecord::COLUMNS
            .iter()
            .map(|c| format!("r.{c}"))
            .collect();
        let mut sql = Sql::new(&format!(
            "SELECT s.role_set_id AS role_set_id, {} FROM role_set_roles s \
             JOIN organization_roles r ON r.id = s.role_id WHERE s.role_set_id IN ",
            columns.join(", ")
        ));
        sql.bind_list(records.iter().map(|r| r.id.as_str()))
            .push(" ORDER BY r.created_at, r.seq");
        for row in sql.query().fetch_all(&mut *conn).await? {
            let set_id: String = row.try_get("role_set_id")?;
            by_set
                .entry(set_id)
                .or_default()
                .push(RoleRecord::from_row(&row)?);
        }
    }
    Ok(records
        .into_iter()
        .map(|record| RoleSet {
            roles: by_set.remove(&record.id).unwrap_or_default(),
            record,
        })
        .collect())
}

/// A role set by id or key, with its roles.
pub(crate) async fn role_set(conn: &mut AnyConnection, id_or_key: &str) -> Result<Option<RoleSet>> {
    let column = if id_or_key.starts_with("role_set:") {
        "key"
    } else {
        "id"
    };
    Ok(role_sets_where(conn, column, &[id_or_key]).await?.pop())
}

/// The role set new organizations get.
pub(crate) async fn initial_role_set(conn: &mut AnyConnection) -> Result<Option<RoleSet>> {
    Ok(role_sets_where(conn, "kind", &[INITIAL]).await?.pop())
}

/// Adds a role set (without its roles); a taken key is [`Unique::RoleSetKey`].
pub(crate) async fn insert_role_set(conn: &mut AnyConnection, set: &RoleSetRecord) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO role_sets ({}) VALUES (",
        column_list(RoleSetRecord::COLUMNS)
    ));
    sql.bind_separated(set.args()).push(")");
    sql.query()
        .execute(&mut *conn)
        .await
        .map_err(|e| taken(e, Unique::RoleSetKey))?;
    Ok(())
}

/// Writes a role set's own columns back; a taken key is [`Unique::RoleSetKey`].
pub(crate) async fn save_role_set(tx: &mut Tx, set: &RoleSetRecord) -> Result<()> {
    sqlx::query(
        "UPDATE role_sets SET key = $1, name = $2, description = $3, kind = $4, \
         default_role_id = $5, creator_role_id = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(&set.key)
    .bind(&set.name)
    .bind(set.description.clone())
    .bind(&set.kind)
    .bind(&set.default_role_id)
    .bind(&set.creator_role_id)
    .bind(set.updated_at)
    .bind(&set.id)
    .execute(&mut **tx)
    .await
    .map_err(|e| taken(e, Unique::RoleSetKey))?;
    Ok(())
}

/// Makes every other role set `custom` (there is one `initial` set).
pub(crate) async fn demote_other_initial_sets(
    tx: &mut Tx,
    keep_id: &str,
    now_ms: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE role_sets SET kind = 'custom', updated_at = $1 WHERE kind = 'initial' AND id <> $2",
    )
    .bind(now_ms)
    .bind(keep_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Puts roles in a role set (those already in it stay).
pub(crate) async fn add_role_set_roles(
    conn: &mut AnyConnection,
    set_id: &str,
    role_ids: &[&str],
    now_ms: i64,
) -> Result<()> {
    for role_id in role_ids {
        sqlx::query(
            "INSERT INTO role_set_roles (role_set_id, role_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(set_id)
        .bind(*role_id)
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Takes a role out of a role set.
pub(crate) async fn remove_role_set_role(tx: &mut Tx, set_id: &str, role_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM role_set_roles WHERE role_set_id = $1 AND role_id = $2")
        .bind(set_id)
        .bind(role_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Deletes a role set; its organizations must have been moved first.
pub(crate) async fn delete_role_set(tx: &mut Tx, id: &str) -> Result<bool> {
    let deleted = sqlx::query("DELETE FROM role_sets WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

/// How many role sets the instance has.
pub(crate) async fn count_role_sets(conn: &mut AnyConnection) -> Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) FROM role_sets")
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?)
}

/// The role keys the members and pending invitations of the organizations of role set
/// `set_key` hold.
pub(crate) async fn roles_in_use_in_role_set(
    conn: &mut AnyConnection,
    set_key: &str,
) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT m.role FROM organization_memberships m \
         JOIN organizations o ON o.id = m.organization_id WHERE o.role_set_key = $1 \
         UNION SELECT i.role FROM organization_invitations i \
         JOIN organizations o ON o.id = i.organization_id \
         WHERE o.role_set_key = $1 AND i.status = 'pending'",
    )
    .bind(set_key)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<Result<_, _>>()?)
}

/// Gives the members and pending invitations of the organizations of role set `set_key`
/// new roles: each `(from, to)` of `moves` gives `to` to those with `from`, all at once (a
/// member moved from `a` to `b` is not moved again by a `(b, c)`).
pub(crate) async fn reassign_roles_in_role_set(
    tx: &mut Tx,
    set_key: &str,
    moves: &[(&str, &str)],
    now_ms: i64,
) -> Result<()> {
    if moves.is_empty() {
        return Ok(());
    }
    for (table, extra) in [
        ("organization_memberships", ""),
        ("organization_invitations", " AND status = 'pending'"),
    ] {
        let mut sql = Sql::new(&format!("UPDATE {table} SET role = CASE role"));
        for (from, to) in moves {
            sql.push(" WHEN ").bind(*from).push(" THEN ").bind(*to);
        }
        sql.push(" END, updated_at = ")
            .bind(now_ms)
            .push(" WHERE role IN ")
            .bind_list(moves.iter().map(|(from, _)| *from))
            .push(extra)
            .push(" AND organization_id IN (SELECT id FROM organizations WHERE role_set_key = ")
            .bind(set_key)
            .push(")");
        sql.query().execute(&mut **tx).await?;
    }
    Ok(())
}

/// The role sets that hold the role `role_id`.
pub(crate) async fn role_sets_holding(
    conn: &mut AnyConnection,
    role_id: &str,
) -> Result<Vec<RoleSet>> {
    let rows = sqlx::query("SELECT role_set_id FROM role_set_roles WHERE role_id = $1")
        .bind(role_id)
        .fetch_all(&mut *conn)
        .await?;
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<Result<_, _>>()?;
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    role_sets_where(conn, "id", &ids).await
}

impl Store {
    /// A page of role sets with their roles, and the total.
    pub(crate) async fn list_role_sets(&self, q: &CatalogQuery) -> Result<(Vec<RoleSet>, i64)> {
        let mut conn = self.read().await?;
        let (rows, total) = catalog_page(&mut conn, "role_sets", RoleSetRecord::COLUMNS, q).await?;
        let records = rows
            .iter()
            .map(RoleSetRecord::from_row)
            .collect::<Result<_, _>>()?;
        Ok((with_roles(&mut conn, records).await?, total))
    }

    /// A role set by id or key, with its roles.
    pub(crate) async fn role_set(&self, id_or_key: &str) -> Result<Option<RoleSet>> {
        role_set(&mut *self.read().await?, id_or_key).await
    }
}
