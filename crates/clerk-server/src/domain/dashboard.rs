//! Signing in to the local dashboard: the person proves they hold a secret key (checked by
//! the face, as the Backend API checks it), and gets a session: a random id of its own
//! (never derived from the key), of which the store keeps only the SHA-256, and a CSRF token
//! bound to it. Sessions are rows, so every replica accepts them and a restart signs no one
//! out.

use crate::domain::error::Result;
use crate::domain::services::Services;
use crate::ids::random_hex;
use crate::secret::Secret;
use crate::store::UnitOfWork;
use crate::store::dashboard_sessions::{self, DashboardSession};
use crate::store::instance::secret_key_hash;

/// How long a dashboard session lasts: a working day.
pub(crate) const LIFETIME_MS: i64 = 12 * 60 * 60 * 1000;

/// A new session: the random id the person keeps (their cookie).
pub(crate) struct Started {
    pub(crate) id: Secret,
}

/// Starts a dashboard session (the caller has checked the secret key).
pub(crate) async fn sign_in(svc: &Services) -> Result<Started> {
    let id = Secret::new(random_hex(32));
    let csrf_token = random_hex(32);
    let now = svc.now_ms();
    let session = DashboardSession {
        id_hash: digest(id.expose()),
        csrf_token,
        created_at: now,
        expires_at: now + LIFETIME_MS,
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    dashboard_sessions::insert(work.tx(), &session, now).await?;
    work.commit().await?;
    Ok(Started { id })
}

/// The live session whose id is `id`, if any.
pub(crate) async fn session(svc: &Services, id: &str) -> Result<Option<DashboardSession>> {
    Ok(svc
        .store
        .dashboard_session(&digest(id), svc.now_ms())
        .await?)
}

/// Ends the session whose id is `id` (nothing if there is none).
pub(crate) async fn sign_out(svc: &Services, id: &str) -> Result<()> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    dashboard_sessions::delete(work.tx(), &digest(id)).await?;
    work.commit().await?;
    Ok(())
}

fn digest(id: &str) -> String {
    secret_key_hash(id)
}
