//! Organization invitations: an email address invited into an organization with a role.
//! A stored invitation is `pending`, `accepted` or `revoked`; a pending one past its
//! `expires_at` reads as `expired`.

use sqlx::Row;

use crate::store::{Result, Tx};

/// How many pending, unexpired invitations an organization has (they count against its
/// membership limit).
pub(crate) async fn count_pending(tx: &mut Tx, organization_id: &str, now_ms: i64) -> Result<i64> {
    Ok(sqlx::query(
        "SELECT COUNT(*) FROM organization_invitations WHERE organization_id = $1 \
         AND status = 'pending' AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(organization_id)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}
