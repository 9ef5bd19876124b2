//! Identification verifications: a one-time code sent to an email address or phone number
//! and the attempts made at it. The code itself is never stored, only a digest of it.

use super::record::{column_list, record};
use super::sql::Sql;
use super::{Result, Store, StoreError, Tx};

record! {
    /// A verification's columns.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct IdentificationVerification {
        id: String,
        identification_id: String,
        /// `email_code` or `phone_code`.
        strategy: String,
        /// Hex SHA-256 of the verification's id, a colon and the code.
        code_digest: String,
        /// `unverified`, `verified` or `failed` (`expired` is read from `expire_at`).
        status: String,
        attempts: i64,
        expire_at: i64,
        created_at: i64,
        updated_at: i64,
    }
}

impl IdentificationVerification {
    /// The status as shown at `now_ms`: an unverified one past its expiry is `expired`.
    pub(crate) fn status_at(&self, now_ms: i64) -> &str {
        if self.status == "unverified" && self.expire_at <= now_ms {
            "expired"
        } else {
            &self.status
        }
    }
}

/// Adds a verification.
pub(crate) async fn insert(tx: &mut Tx, verification: &IdentificationVerification) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO identification_verifications ({}) VALUES (",
        column_list(IdentificationVerification::COLUMNS)
    ));
    sql.bind_separated(verification.args()).push(")");
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// The verification `id` of `identification_id`; not found if there is none. The caller
/// holds the identification's lock, so attempts at one verification take turns.
pub(crate) async fn get(
    tx: &mut Tx,
    identification_id: &str,
    id: &str,
) -> Result<IdentificationVerification> {
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM identification_verifications WHERE id = ",
        column_list(IdentificationVerification::COLUMNS)
    ));
    sql.bind(id)
        .push(" AND identification_id = ")
        .bind(identification_id);
    let row = sql
        .query()
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found("verification", id))?;
    Ok(IdentificationVerification::from_row(&row)?)
}

/// Writes a verification's status and attempts back.
pub(crate) async fn save(tx: &mut Tx, verification: &IdentificationVerification) -> Result<()> {
    sqlx::query(
        "UPDATE identification_verifications SET status = $1, attempts = $2, updated_at = $3 \
         WHERE id = $4",
    )
    .bind(&verification.status)
    .bind(verification.attempts)
    .bind(verification.updated_at)
    .bind(&verification.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// The newest verification of an email address or phone number, if it ever had one:
    /// the one the Frontend API's `attempt_verification` (which names no verification)
    /// checks.
    pub(crate) async fn latest_verification(
        &self,
        identification_id: &str,
    ) -> Result<Option<IdentificationVerification>> {
        let mut conn = self.read().await?;
        let mut sql = Sql::new(&format!(
            "SELECT {} FROM identification_verifications WHERE identification_id = ",
            column_list(IdentificationVerification::COLUMNS)
        ));
        sql.bind(identification_id)
            .push(" ORDER BY seq DESC LIMIT 1");
        let row = sql.query().fetch_optional(&mut *conn).await?;
        Ok(row
            .as_ref()
            .map(IdentificationVerification::from_row)
            .transpose()?)
    }
}
