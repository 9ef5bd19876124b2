//! Waitlist entries: an email address waiting to be let in. An entry is `pending`,
//! `invited`, `rejected` or `completed`; an address is on the waitlist at most once.

use sqlx::Row;

use super::record::{column_list, record};
use super::sql::{Sort, Sql};
use super::{Dialect, Page, Result, Store, StoreError, Tx};

record! {
    /// A waitlist entry's columns.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct WaitlistEntry {
        id: String,
        /// Lowercase.
        email_address: String,
        /// `pending`, `invited`, `rejected` or `completed`.
        status: String,
        /// When it was last invited.
        invited_at: Option<i64>,
        /// The instance invitation made when it was invited.
        invitation_id: Option<String>,
        created_at: i64,
        updated_at: i64,
    }
}

/// The `order_by` fields of the list.
pub(crate) const ORDER_FIELDS: &[&str] = &["created_at", "email_address", "invited_at"];

/// The statuses the list can be filtered on.
pub(crate) const STATUSES: &[&str] = &["pending", "invited", "completed", "rejected"];

/// Which entries a list reads, in which order, which page.
#[derive(Debug, Clone)]
pub(crate) struct WaitlistQuery {
    /// Part of the address (lowercase) or the id.
    pub query: Option<String>,
    /// One of [`STATUSES`].
    pub status: Option<String>,
    pub sort: Sort,
    pub page: Page,
}

fn push_filters(sql: &mut Sql, q: &WaitlistQuery) {
    if let Some(text) = &q.query {
        let escaped = text
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        sql.push(" AND (w.id = ")
            .bind(text.as_str())
            .push(" OR w.email_address LIKE ")
            .bind(format!("%{escaped}%"))
            .push(" ESCAPE '\\')");
    }
    if let Some(status) = &q.status {
        sql.push(" AND w.status = ").bind(status.as_str());
    }
}

fn select(tail: &str) -> String {
    format!(
        "SELECT {} FROM waitlist_entries w {tail}",
        WaitlistEntry::COLUMNS
            .iter()
            .map(|c| format!("w.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Adds an entry; false (and nothing written) if the address is already on the waitlist.
pub(crate) async fn insert(tx: &mut Tx, entry: &WaitlistEntry) -> Result<bool> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO waitlist_entries ({}) VALUES (",
        column_list(WaitlistEntry::COLUMNS)
    ));
    sql.bind_separated(entry.args())
        .push(") ON CONFLICT (email_address) DO NOTHING");
    Ok(sql.query().execute(&mut **tx).await?.rows_affected() > 0)
}

/// The entry for `email_address` (lowercase), if the address is on the waitlist.
pub(crate) async fn by_email(tx: &mut Tx, email_address: &str) -> Result<Option<WaitlistEntry>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(select("WHERE w.email_address = $1")))
        .bind(email_address)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.as_ref().map(WaitlistEntry::from_row).transpose()?)
}

/// The entry `id`, locked for the rest of the transaction; not found if there is none.
pub(crate) async fn lock(tx: &mut Tx, dialect: Dialect, id: &str) -> Result<WaitlistEntry> {
    let sql = select(&format!("WHERE w.id = $1{}", dialect.for_update()));
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found("waitlist entry", id))?;
    Ok(WaitlistEntry::from_row(&row)?)
}

/// Writes an entry's status and invitation back.
pub(crate) async fn save(tx: &mut Tx, entry: &WaitlistEntry) -> Result<()> {
    sqlx::query(
        "UPDATE waitlist_entries SET status = $1, invited_at = $2, updated_at = $3, \
         invitation_id = $5 WHERE id = $4",
    )
    .bind(&entry.status)
    .bind(entry.invited_at)
    .bind(entry.updated_at)
    .bind(&entry.id)
    .bind(entry.invitation_id.clone())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The invited entry whose invitation is `invitation_id`, locked for the rest of the
/// transaction, if there is one.
pub(crate) async fn lock_invited_by_invitation(
    tx: &mut Tx,
    dialect: Dialect,
    invitation_id: &str,
) -> Result<Option<WaitlistEntry>> {
    let sql = select(&format!(
        "WHERE w.invitation_id = $1 AND w.status = 'invited'{}",
        dialect.for_update()
    ));
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(invitation_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.as_ref().map(WaitlistEntry::from_row).transpose()?)
}

/// Deletes an entry.
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM waitlist_entries WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// A page of waitlist entries and the total.
    pub(crate) async fn list_waitlist(
        &self,
        q: &WaitlistQuery,
    ) -> Result<(Vec<WaitlistEntry>, i64)> {
        let mut conn = self.read().await?;
        let mut sql = Sql::new(&select("WHERE 1 = 1"));
        push_filters(&mut sql, q);
        if q.sort.column == "invited_at" {
            // Entries never invited come last either way, on both databases.
            let dir = if q.sort.descending { "DESC" } else { "ASC" };
            sql.push(&format!(
                " ORDER BY (w.invited_at IS NULL), w.invited_at {dir}, w.seq {dir}"
            ));
        } else {
            q.sort.push(&mut sql, "w");
        }
        sql.push_page(q.page);
        let items = sql
            .query()
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(WaitlistEntry::from_row)
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let mut count = Sql::new("SELECT COUNT(*) FROM waitlist_entries w WHERE 1 = 1");
        push_filters(&mut count, q);
        let total: i64 = count.query().fetch_one(&mut *conn).await?.try_get(0)?;
        Ok((items, total))
    }
}
