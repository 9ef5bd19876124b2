//! Sign-in attempts (`sia_` ids): a browser's way to a session. A sign-in belongs to a
//! client, names the user once its identifier is known, and records its first factor's
//! verification; completing it creates the session in the same unit of work.

use serde_json::{Map, Value};

use super::record::{column_list, record};
use super::sql::Sql;
use super::{Dialect, Result, Store, StoreError, Tx};

record! {
    /// A sign-in's columns.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct SignInRecord {
        id: String,
        client_id: String,
        /// `needs_identifier`, `needs_first_factor`, `needs_new_password` or `complete`
        /// (`abandoned` is read from `abandon_at`).
        status: String,
        identifier: Option<String>,
        user_id: Option<String>,
        /// The first factor's verification (`strategy`, `status`, `attempts`, `expire_at`,
        /// and `code_id` for codes); empty before a factor is prepared or attempted.
        first_factor: Map<String, Value>,
        created_session_id: Option<String>,
        abandon_at: i64,
        created_at: i64,
        updated_at: i64,
    }
}

impl SignInRecord {
    /// The status as shown at `now_ms`: one not complete past `abandon_at` is `abandoned`.
    pub(crate) fn status_at(&self, now_ms: i64) -> &str {
        if self.status != "complete" && self.abandon_at <= now_ms {
            "abandoned"
        } else {
            &self.status
        }
    }
}

fn select(tail: &str) -> String {
    format!(
        "SELECT {} FROM sign_ins {tail}",
        column_list(SignInRecord::COLUMNS)
    )
}

/// Adds a sign-in.
pub(crate) async fn insert(tx: &mut Tx, record: &SignInRecord) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO sign_ins ({}) VALUES (",
        column_list(SignInRecord::COLUMNS)
    ));
    sql.bind_separated(record.args()).push(")");
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// The sign-in `id`, locked for the rest of the transaction; not found if there is none.
pub(crate) async fn lock(tx: &mut Tx, dialect: Dialect, id: &str) -> Result<SignInRecord> {
    let sql = select(&format!("WHERE id = $1{}", dialect.for_update()));
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found("sign in", id))?;
    Ok(SignInRecord::from_row(&row)?)
}

/// Writes back what an attempt changes: status, user, first factor, created session.
pub(crate) async fn save(tx: &mut Tx, record: &SignInRecord) -> Result<()> {
    sqlx::query(
        "UPDATE sign_ins SET status = $1, identifier = $2, user_id = $3, first_factor = $4, \
         created_session_id = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(&record.status)
    .bind(record.identifier.clone())
    .bind(record.user_id.clone())
    .bind(Value::Object(record.first_factor.clone()).to_string())
    .bind(record.created_session_id.clone())
    .bind(record.updated_at)
    .bind(&record.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// A sign-in by id.
    pub(crate) async fn sign_in(&self, id: &str) -> Result<Option<SignInRecord>> {
        let mut conn = self.read().await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(select("WHERE id = $1")))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        Ok(row.as_ref().map(SignInRecord::from_row).transpose()?)
    }
}
