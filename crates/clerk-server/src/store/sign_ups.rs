//! Sign-up attempts (`sua_` ids): what a sign-up has collected so far. The Frontend API's
//! browser sign-ups are these rows; the Backend API reads and patches them.

use serde_json::{Map, Value};

use super::record::{column_list, record};
use super::sql::Sql;
use super::{Dialect, Result, Store, StoreError, Tx};
use crate::secret::Secret;

record! {
    /// A sign-up's columns.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct SignUpRecord {
        id: String,
        /// `missing_requirements` or `complete` (`abandoned` is read from `abandon_at`).
        status: String,
        /// `{"required": [..], "optional": [..], "missing": [..], "unverified": [..]}`.
        fields: Map<String, Value>,
        /// One entry per identifier: `{"email_address": {..} | null, ...}`.
        verifications: Map<String, Value>,
        username: Option<String>,
        email_address: Option<String>,
        phone_number: Option<String>,
        web3_wallet: Option<String>,
        first_name: Option<String>,
        last_name: Option<String>,
        unsafe_metadata: Map<String, Value>,
        public_metadata: Map<String, Value>,
        custom_action: bool,
        external_id: Option<String>,
        created_session_id: Option<String>,
        created_user_id: Option<String>,
        abandon_at: i64,
        legal_accepted_at: Option<i64>,
        locale: Option<String>,
        /// The browser's client, for a sign-up made through the Frontend API.
        client_id: Option<String>,
        /// The password a browser sign-up collected, as a digest.
        password_digest: Option<Secret>,
        /// The one-time code sent to verify an identifier: `{"id", "digest", "field",
        /// "strategy", "attempts", "expire_at"}`; empty when none is pending.
        pending_code: Map<String, Value>,
        created_at: i64,
        updated_at: i64,
    }
}

impl SignUpRecord {
    /// The status as shown at `now_ms`: one not complete past `abandon_at` is `abandoned`.
    pub(crate) fn status_at(&self, now_ms: i64) -> &str {
        if self.status != "complete" && self.abandon_at <= now_ms {
            "abandoned"
        } else {
            &self.status
        }
    }

    /// One of the field lists (`required`, `optional`, `missing`, `unverified`).
    pub(crate) fn field_list(&self, name: &str) -> Vec<String> {
        self.fields
            .get(name)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn select(tail: &str) -> String {
    format!(
        "SELECT {} FROM sign_ups {tail}",
        column_list(SignUpRecord::COLUMNS)
    )
}

/// Adds a sign-up.
pub(crate) async fn insert(tx: &mut Tx, record: &SignUpRecord) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO sign_ups ({}) VALUES (",
        column_list(SignUpRecord::COLUMNS)
    ));
    sql.bind_separated(record.args()).push(")");
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// The sign-up `id`, locked for the rest of the transaction; not found if there is none.
pub(crate) async fn lock(tx: &mut Tx, dialect: Dialect, id: &str) -> Result<SignUpRecord> {
    let sql = select(&format!("WHERE id = $1{}", dialect.for_update()));
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found("sign up", id))?;
    Ok(SignUpRecord::from_row(&row)?)
}

/// Writes what the Backend API may change back: `external_id`, `custom_action`.
pub(crate) async fn save(tx: &mut Tx, record: &SignUpRecord) -> Result<()> {
    sqlx::query(
        "UPDATE sign_ups SET external_id = $1, custom_action = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(record.external_id.clone())
    .bind(i64::from(record.custom_action))
    .bind(record.updated_at)
    .bind(&record.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes back what a browser changes as its sign-up goes on: every collected field, the
/// verifications and the pending code, the status and what it created.
pub(crate) async fn save_progress(tx: &mut Tx, record: &SignUpRecord) -> Result<()> {
    sqlx::query(
        "UPDATE sign_ups SET status = $1, fields = $2, verifications = $3, username = $4, \
         email_address = $5, phone_number = $6, first_name = $7, last_name = $8, \
         unsafe_metadata = $9, password_digest = $10, pending_code = $11, \
         created_session_id = $12, created_user_id = $13, legal_accepted_at = $14, \
         updated_at = $15 WHERE id = $16",
    )
    .bind(&record.status)
    .bind(Value::Object(record.fields.clone()).to_string())
    .bind(Value::Object(record.verifications.clone()).to_string())
    .bind(record.username.clone())
    .bind(record.email_address.clone())
    .bind(record.phone_number.clone())
    .bind(record.first_name.clone())
    .bind(record.last_name.clone())
    .bind(Value::Object(record.unsafe_metadata.clone()).to_string())
    .bind(
        record
            .password_digest
            .as_ref()
            .map(|d| d.expose().to_owned()),
    )
    .bind(Value::Object(record.pending_code.clone()).to_string())
    .bind(record.created_session_id.clone())
    .bind(record.created_user_id.clone())
    .bind(record.legal_accepted_at)
    .bind(record.updated_at)
    .bind(&record.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// A sign-up by id.
    pub(crate) async fn sign_up(&self, id: &str) -> Result<Option<SignUpRecord>> {
        let mut conn = self.read().await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(select("WHERE id = $1")))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        Ok(row.as_ref().map(SignUpRecord::from_row).transpose()?)
    }
}
