//! Organization domains: a domain name claimed by one organization, with how users of that
//! domain may join it (its enrollment mode) and its verification.
//!
//! A domain has two verifications: its affiliation with the organization (the API's
//! `affiliation_verification`, and its deprecated alias `verification`) and the ownership
//! of the DNS name (`ownership_verification`). A domain is shown with its organization's
//! public data; a page of them is two statements, the count and the page.

use sqlx::{AnyConnection, Row};

use super::invitations::PublicOrganizationData;
use crate::store::record::{column_list, record};
use crate::store::sql::{Sort, Sql, push_contains, unique_violation};
use crate::store::{Page, Result, Store, StoreError, Tx, Unique};

record! {
    /// A domain's own columns.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct DomainRecord {
        id: String,
        organization_id: String,
        /// Lowercase, unique in the instance.
        name: String,
        enrollment_mode: String,
        /// `verified` or `unverified`; `None`: never asked.
        verification_status: Option<String>,
        verification_strategy: Option<String>,
        verified_at: Option<i64>,
        /// `verified` once ownership was verified (`verify_ownership`); `None` before.
        ownership_status: Option<String>,
        ownership_strategy: Option<String>,
        ownership_verified_at: Option<i64>,
        affiliation_email_address: Option<String>,
        created_at: i64,
        updated_at: i64,
    }
}

/// A domain with its organization's public data.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Domain {
    pub record: DomainRecord,
    pub organization: PublicOrganizationData,
}

/// The `order_by` fields of the domains lists.
pub(crate) const ORDER_FIELDS: &[&str] = &["created_at", "name"];

/// Which domains a list reads.
#[derive(Debug, Clone, Default)]
pub(crate) struct DomainFilters {
    pub organization_id: Option<String>,
    /// Verified (`Some(true)`) or not.
    pub verified: Option<bool>,
    /// Any of these enrollment modes.
    pub enrollment_modes: Vec<String>,
    /// None of these enrollment modes.
    pub excluded_enrollment_modes: Vec<String>,
    /// Part of the name (lowercase).
    pub name_contains: Option<String>,
    /// Exactly one of these names (lowercase).
    pub names: Vec<String>,
}

/// A page of a domains list.
#[derive(Debug, Clone)]
pub(crate) struct DomainListQuery {
    pub filters: DomainFilters,
    pub sort: Sort,
    pub page: Page,
}

fn conflict(err: sqlx::Error) -> StoreError {
    if unique_violation(&err).is_some() {
        StoreError::Taken(Unique::DomainName)
    } else {
        err.into()
    }
}

/// `SELECT <domain columns>, <organization data> FROM organization_domains d JOIN
/// organizations o`.
fn select_domains() -> String {
    let own: Vec<String> = DomainRecord::COLUMNS
        .iter()
        .map(|c| format!("d.{c}"))
        .collect();
    format!(
        "SELECT {}, o.name AS org_name, o.slug AS org_slug, o.image_id AS org_image_id \
         FROM organization_domains d JOIN organizations o ON o.id = d.organization_id",
        own.join(", ")
    )
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Domain> {
    let record = DomainRecord::from_row(row)?;
    Ok(Domain {
        organization: PublicOrganizationData {
            id: record.organization_id.clone(),
            name: row.try_get("org_name")?,
            slug: row.try_get("org_slug")?,
            image_id: row.try_get("org_image_id")?,
        },
        record,
    })
}

/// Appends the WHERE conditions of a list (after `WHERE 1 = 1`).
fn push_filters(sql: &mut Sql, f: &DomainFilters) {
    if let Some(org) = &f.organization_id {
        sql.push(" AND d.organization_id = ").bind(org);
    }
    match f.verified {
        Some(true) => {
            sql.push(" AND d.verification_status = 'verified'");
        }
        Some(false) => {
            sql.push(" AND (d.verification_status IS NULL OR d.verification_status <> 'verified')");
        }
        None => {}
    }
    if !f.enrollment_modes.is_empty() {
        sql.push(" AND d.enrollment_mode IN ")
            .bind_list(f.enrollment_modes.iter());
    }
    if !f.excluded_enrollment_modes.is_empty() {
        sql.push(" AND d.enrollment_mode NOT IN ")
            .bind_list(f.excluded_enrollment_modes.iter());
    }
    if let Some(part) = &f.name_contains {
        push_contains(sql, "d.name", part);
    }
    if !f.names.is_empty() {
        sql.push(" AND d.name IN ").bind_list(f.names.iter());
    }
}

/// A domain of `organization_id` by id, with its organization's data.
pub(crate) async fn load(
    conn: &mut AnyConnection,
    organization_id: &str,
    id: &str,
) -> Result<Option<Domain>> {
    let sql = format!(
        "{} WHERE d.organization_id = $1 AND d.id = $2",
        select_domains()
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(organization_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The domain `id` of `organization_id`, which must exist.
pub(crate) async fn get(tx: &mut Tx, organization_id: &str, id: &str) -> Result<DomainRecord> {
    let sql = format!(
        "SELECT {} FROM organization_domains WHERE organization_id = $1 AND id = $2",
        column_list(DomainRecord::COLUMNS)
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(organization_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found("organization domain", id))?;
    Ok(DomainRecord::from_row(&row)?)
}

/// Adds a domain; a name another organization (or this one) has is [`Unique::DomainName`].
pub(crate) async fn insert(tx: &mut Tx, record: &DomainRecord) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO organization_domains ({}) VALUES (",
        column_list(DomainRecord::COLUMNS)
    ));
    sql.bind_separated(record.args()).push(")");
    sql.query().execute(&mut **tx).await.map_err(conflict)?;
    Ok(())
}

/// Writes a domain back whole.
pub(crate) async fn save(tx: &mut Tx, record: &DomainRecord) -> Result<()> {
    let mut sql = Sql::new("UPDATE organization_domains SET ");
    let columns = DomainRecord::COLUMNS.iter().zip(record.args());
    for (i, (column, value)) in columns.filter(|(c, _)| **c != "id").enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push(column).push(" = ").bind(value);
    }
    sql.push(" WHERE id = ").bind(&record.id);
    sql.query().execute(&mut **tx).await.map_err(conflict)?;
    Ok(())
}

/// Deletes a domain.
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM organization_domains WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// How many domains an organization has.
pub(crate) async fn count(tx: &mut Tx, organization_id: &str) -> Result<i64> {
    Ok(
        sqlx::query("SELECT COUNT(*) FROM organization_domains WHERE organization_id = $1")
            .bind(organization_id)
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?,
    )
}

impl Store {
    /// A page of domains and the total.
    pub(crate) async fn list_organization_domains(
        &self,
        q: &DomainListQuery,
    ) -> Result<(Vec<Domain>, i64)> {
        let mut conn = self.read().await?;
        let mut count = Sql::new("SELECT COUNT(*) FROM organization_domains d WHERE 1 = 1");
        push_filters(&mut count, &q.filters);
        let total: i64 = count.query().fetch_one(&mut *conn).await?.try_get(0)?;
        let mut sql = Sql::new(&format!("{} WHERE 1 = 1", select_domains()));
        push_filters(&mut sql, &q.filters);
        q.sort.push(&mut sql, "d");
        sql.push_page(q.page);
        let items = sql
            .query()
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(from_row)
            .collect::<Result<Vec<_>>>()?;
        Ok((items, total))
    }
}
