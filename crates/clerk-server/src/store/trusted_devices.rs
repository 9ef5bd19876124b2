//! A user's trusted devices (`td_`): native apps' device keys (ES256) Clerk trusts for the
//! user. Revoking one keeps its row (`revoked`); the list shows the active ones.

use super::record::{column_list, record};
use super::sql::Sql;
use super::{Dialect, Result, Store, StoreError, Tx};

record! {
    /// A stored trusted device.
    #[derive(Debug, Clone)]
    pub(crate) struct TrustedDevice {
        id: String,
        user_id: String,
        /// `ios` or `android`.
        platform: String,
        /// The app's bundle id or package name.
        app_identifier: String,
        name: Option<String>,
        /// `ES256`, the only algorithm Clerk names.
        algorithm: String,
        /// `active` or `revoked`.
        status: String,
        last_used_at: Option<i64>,
        revoked_at: Option<i64>,
        created_at: i64,
        updated_at: i64,
    }
}

/// The status of a device that has not been revoked.
pub(crate) const ACTIVE: &str = "active";
/// The status of a revoked device.
pub(crate) const REVOKED: &str = "revoked";

/// Inserts a trusted device.
pub(crate) async fn insert(tx: &mut Tx, device: &TrustedDevice) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO trusted_devices ({}) VALUES (",
        column_list(TrustedDevice::COLUMNS)
    ));
    sql.bind_separated(device.args()).push(")");
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// The active trusted device `id` of user `user_id`, its row locked:
/// [`StoreError::NotFound`] ("trusted device") if that user has no active one with that id.
pub(crate) async fn lock_active(
    tx: &mut Tx,
    dialect: Dialect,
    user_id: &str,
    id: &str,
) -> Result<TrustedDevice> {
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM trusted_devices WHERE id = ",
        column_list(TrustedDevice::COLUMNS)
    ));
    sql.bind(id)
        .push(" AND user_id = ")
        .bind(user_id)
        .push(" AND status = ")
        .bind(ACTIVE)
        .push(dialect.for_update());
    let row = sql.query().fetch_optional(&mut **tx).await?;
    row.as_ref()
        .map(TrustedDevice::from_row)
        .transpose()?
        .ok_or_else(|| StoreError::not_found("trusted device", id))
}

/// Writes a device's status, `revoked_at` and `updated_at` back.
pub(crate) async fn save(tx: &mut Tx, device: &TrustedDevice) -> Result<()> {
    sqlx::query(
        "UPDATE trusted_devices SET status = $1, revoked_at = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(&device.status)
    .bind(device.revoked_at)
    .bind(device.updated_at)
    .bind(&device.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// The active trusted devices of a user, newest first; `None` if there is no such user.
    pub(crate) async fn active_trusted_devices(
        &self,
        user_id: &str,
    ) -> Result<Option<Vec<TrustedDevice>>> {
        let mut conn = self.read().await?;
        let user = sqlx::query("SELECT id FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
        if user.is_none() {
            return Ok(None);
        }
        let mut sql = Sql::new(&format!(
            "SELECT {} FROM trusted_devices WHERE user_id = ",
            column_list(TrustedDevice::COLUMNS)
        ));
        sql.bind(user_id)
            .push(" AND status = ")
            .bind(ACTIVE)
            .push(" ORDER BY created_at DESC, seq DESC");
        let rows = sql.query().fetch_all(&mut *conn).await?;
        let devices = rows
            .iter()
            .map(TrustedDevice::from_row)
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(Some(devices))
    }
}
