//! Sessions of the local dashboard: a row per person signed in with the secret key, keyed by
//! the SHA-256 of the random id that person holds (so the table alone signs no one in), with
//! the CSRF token of that session's forms. Expired rows are removed when a new one is added.

use sqlx::Row;

use super::{Result, Store, Tx};

/// A dashboard session as stored.
#[derive(Clone)]
pub(crate) struct DashboardSession {
    /// SHA-256 (hex) of the session's random id.
    pub(crate) id_hash: String,
    /// The synchronizer token every form of this session carries.
    pub(crate) csrf_token: String,
    pub(crate) created_at: i64,
    pub(crate) expires_at: i64,
}

impl std::fmt::Debug for DashboardSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DashboardSession")
            .field("csrf_token", &"[redacted]")
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Adds `session`, and removes the sessions that expired before `now_ms`.
pub(crate) async fn insert(tx: &mut Tx, session: &DashboardSession, now_ms: i64) -> Result<()> {
    sqlx::query("DELETE FROM dashboard_sessions WHERE expires_at <= $1")
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO dashboard_sessions (id_hash, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&session.id_hash)
    .bind(&session.csrf_token)
    .bind(session.created_at)
    .bind(session.expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes the session whose id hashes to `id_hash`; whether there was one.
pub(crate) async fn delete(tx: &mut Tx, id_hash: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM dashboard_sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

impl Store {
    /// The unexpired dashboard session whose id hashes to `id_hash`.
    pub(crate) async fn dashboard_session(
        &self,
        id_hash: &str,
        now_ms: i64,
    ) -> Result<Option<DashboardSession>> {
        let mut conn = self.read().await?;
        let row = sqlx::query(
            "SELECT id_hash, csrf_token, created_at, expires_at FROM dashboard_sessions WHERE id_hash = $1 AND expires_at > $2",
        )
        .bind(id_hash)
        .bind(now_ms)
        .fetch_optional(&mut *conn)
        .await?;
        row.map(|row| {
            Ok(DashboardSession {
                id_hash: row.try_get(0)?,
                csrf_token: row.try_get(1)?,
                created_at: row.try_get(2)?,
                expires_at: row.try_get(3)?,
            })
        })
        .transpose()
    }
}
