//! JWT templates: the claims a template token is rendered from, its lifetime and clock
//! skew, and its own signing key (sealed by the vault) when it has one.

use serde_json::{Map, Value};

use super::record::{column_list, record};
use super::sql::{Sql, page_of};
use super::{Page, Result, Store, StoreError, Tx};
use crate::secret::Secret;

record! {
    /// A stored JWT template.
    #[derive(Debug, Clone)]
    pub(crate) struct JwtTemplateRecord {
        id: String,
        name: String,
        claims: Map<String, Value>,
        lifetime: i64,
        allowed_clock_skew: i64,
        custom_signing_key: bool,
        /// `RS256` when the instance's keys sign.
        signing_algorithm: String,
        /// The custom key, sealed by the vault (its context is the template's id).
        signing_key: Option<Secret>,
        created_at: i64,
        updated_at: i64,
    }
}

fn select(condition: &str) -> Sql {
    Sql::new(&format!(
        "SELECT {} FROM jwt_templates WHERE {condition}",
        column_list(JwtTemplateRecord::COLUMNS)
    ))
}

/// Adds a template; a taken name is an error whose [`StoreError::is_taken`] holds.
pub(crate) async fn insert(tx: &mut Tx, record: &JwtTemplateRecord) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO jwt_templates ({}) VALUES (",
        column_list(JwtTemplateRecord::COLUMNS)
    ));
    sql.bind_separated(record.args()).push(")");
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// Writes a template back whole; a taken name is an error whose [`StoreError::is_taken`]
/// holds.
pub(crate) async fn save(tx: &mut Tx, record: &JwtTemplateRecord) -> Result<()> {
    let mut sql = Sql::new("UPDATE jwt_templates SET ");
    let mut first = true;
    for (column, value) in JwtTemplateRecord::COLUMNS.iter().zip(record.args()) {
        if !first {
            sql.push(", ");
        }
        first = false;
        sql.push(column).push(" = ").bind(value);
    }
    sql.push(" WHERE id = ").bind(&record.id);
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// The template `id`, locked for the rest of the transaction (`lock` is the dialect's
/// `FOR UPDATE`, empty on SQLite).
pub(crate) async fn load(tx: &mut Tx, id: &str, lock: &str) -> Result<JwtTemplateRecord> {
    let mut sql = select("id = ");
    sql.bind(id).push(lock);
    let row = sql
        .query()
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found("JWT template", id))?;
    Ok(JwtTemplateRecord::from_row(&row)?)
}

/// Deletes a template; false if there was none.
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<bool> {
    let deleted = sqlx::query("DELETE FROM jwt_templates WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

impl Store {
    /// A template by id.
    pub(crate) async fn jwt_template(&self, id: &str) -> Result<Option<JwtTemplateRecord>> {
        let mut conn = self.read().await?;
        let mut sql = select("id = ");
        sql.bind(id);
        let row = sql.query().fetch_optional(&mut *conn).await?;
        Ok(row.as_ref().map(JwtTemplateRecord::from_row).transpose()?)
    }

    /// A template by name.
    pub(crate) async fn jwt_template_named(&self, name: &str) -> Result<Option<JwtTemplateRecord>> {
        let mut conn = self.read().await?;
        let mut sql = select("name = ");
        sql.bind(name);
        let row = sql.query().fetch_optional(&mut *conn).await?;
        Ok(row.as_ref().map(JwtTemplateRecord::from_row).transpose()?)
    }

    /// A page of templates, newest first, and the total.
    pub(crate) async fn list_jwt_templates(
        &self,
        page: Page,
    ) -> Result<(Vec<JwtTemplateRecord>, i64)> {
        let mut conn = self.read().await?;
        let columns = column_list(JwtTemplateRecord::COLUMNS);
        let (rows, total) = page_of(&mut conn, "jwt_templates", &columns, &|_| {}, page).await?;
        let items = rows
            .iter()
            .map(JwtTemplateRecord::from_row)
            .collect::<Result<_, sqlx::Error>>()?;
        Ok((items, total))
    }
}
