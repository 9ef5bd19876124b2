//! Email and SMS templates the instance has changed. Clerk's defaults are not rows: they
//! are a catalog in code, and a row here overrides the default of its type and slug.

use super::record::{column_list, record};
use super::sql::Sql;
use super::{Result, Store, Tx};

record! {
    /// An edited template (or one whose delivery was toggled).
    #[derive(Debug, Clone)]
    pub(crate) struct MessageTemplateRecord {
        id: String,
        /// `email` or `sms`.
        template_type: String,
        slug: String,
        name: String,
        subject: Option<String>,
        markup: String,
        body: String,
        from_email_name: String,
        reply_to_email_name: String,
        delivered_by_clerk: bool,
        created_at: i64,
        updated_at: i64,
    }
}

fn select(condition: &str) -> Sql {
    Sql::new(&format!(
        "SELECT {} FROM message_templates WHERE {condition}",
        column_list(MessageTemplateRecord::COLUMNS)
    ))
}

/// The override of `template_type`/`slug`, if the instance has one, read in `tx`.
pub(crate) async fn find(
    tx: &mut Tx,
    template_type: &str,
    slug: &str,
) -> Result<Option<MessageTemplateRecord>> {
    let mut sql = select("template_type = ");
    sql.bind(template_type).push(" AND slug = ").bind(slug);
    let row = sql.query().fetch_optional(&mut **tx).await?;
    Ok(row
        .as_ref()
        .map(MessageTemplateRecord::from_row)
        .transpose()?)
}

/// Writes the override whole: inserted the first time, updated in place (its id and
/// creation time kept) afterwards. Callers hold the instance row, so changes to templates
/// take turns.
pub(crate) async fn upsert(tx: &mut Tx, record: &MessageTemplateRecord) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO message_templates ({}) VALUES (",
        column_list(MessageTemplateRecord::COLUMNS)
    ));
    sql.bind_separated(record.args())
        .push(") ON CONFLICT (template_type, slug) DO UPDATE SET ");
    let kept = ["id", "template_type", "slug", "created_at"];
    let updated: Vec<String> = MessageTemplateRecord::COLUMNS
        .iter()
        .filter(|c| !kept.contains(c))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    sql.push(&updated.join(", "));
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// Deletes the override of `template_type`/`slug`; false if there was none.
pub(crate) async fn delete(tx: &mut Tx, template_type: &str, slug: &str) -> Result<bool> {
    let deleted =
        sqlx::query("DELETE FROM message_templates WHERE template_type = $1 AND slug = $2")
            .bind(template_type)
            .bind(slug)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    Ok(deleted > 0)
}

impl Store {
    /// The override of `template_type`/`slug`, if any.
    pub(crate) async fn message_template(
        &self,
        template_type: &str,
        slug: &str,
    ) -> Result<Option<MessageTemplateRecord>> {
        let mut conn = self.read().await?;
        let mut sql = select("template_type = ");
        sql.bind(template_type).push(" AND slug = ").bind(slug);
        let row = sql.query().fetch_optional(&mut *conn).await?;
        Ok(row
            .as_ref()
            .map(MessageTemplateRecord::from_row)
            .transpose()?)
    }

    /// Every override of `template_type` (at most one per default template, so a short
    /// list read in one statement).
    pub(crate) async fn message_templates(
        &self,
        template_type: &str,
    ) -> Result<Vec<MessageTemplateRecord>> {
        let mut conn = self.read().await?;
        let mut sql = select("template_type = ");
        sql.bind(template_type);
        let rows = sql.query().fetch_all(&mut *conn).await?;
        Ok(rows
            .iter()
            .map(MessageTemplateRecord::from_row)
            .collect::<Result<_, sqlx::Error>>()?)
    }
}
