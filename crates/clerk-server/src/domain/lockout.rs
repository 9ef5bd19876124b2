//! The user lockout (Clerk's "account lockout"): failed password checks are counted, and
//! the one that reaches the instance's limit locks the user for the lockout duration. An
//! attempt is claimed before the check and settled after it, each in its own unit of work
//! on the locked user row, so parallel guesses cannot exceed the limit. The Frontend API's
//! sign-in attempts will use the same counter.
//!
//! As Clerk, only the failure that locks the user has a webhook event (`user.updated`, its
//! `locked` turns true); counting attempts, starting the count over and lifting a lock that
//! expired (the user already shows as unlocked) have none.

use super::error::Result;
use super::services::Services;
use super::users::emit_updated;
use crate::store::{UnitOfWork, users};

/// The instance's lockout settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Lockout {
    /// Failed checks that lock the user.
    pub max_attempts: i64,
    /// How long a lock lasts; `None`: until unlocked.
    pub duration_ms: Option<i64>,
}

/// The answer to a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Claim {
    /// The check may go ahead; it counts as a failure until settled.
    Granted,
    /// The user is locked; `expires_in_s` is when the lock ends (`None`: never).
    Locked { expires_in_s: Option<i64> },
}

/// How a claimed check ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The password was right: the counter starts over.
    Passed,
    /// The password was wrong: the attempt stays counted, and locks the user if it was
    /// the last one.
    Failed,
    /// The check did not happen (the pool was busy): the attempt is given back.
    NotChecked,
}

/// Claims one verification attempt for `user_id`: a lock that expired is lifted (and its
/// counter cleared) first; a locked user, or one whose attempts are all claimed, is
/// refused. Not found for an unknown user.
pub(crate) async fn claim(svc: &Services, user_id: &str, lockout: Lockout) -> Result<Claim> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut user = users::lock(work.tx(), svc.store.dialect(), user_id).await?;
    let record = &mut user.record;
    if let Some(locked_at) = record.locked_at {
        let ends = lockout.duration_ms.map(|d| locked_at.saturating_add(d));
        match ends {
            Some(ends) if ends <= now => {
                record.locked_at = None;
                record.failed_verification_attempts = 0;
            }
            _ => {
                let expires_in_s = ends.map(|ends| (ends - now + 999) / 1000);
                return Ok(Claim::Locked { expires_in_s });
            }
        }
    }
    if record.failed_verification_attempts >= lockout.max_attempts {
        // Every attempt is claimed by checks still running.
        let expires_in_s = lockout.duration_ms.map(|d| (d + 999) / 1000);
        return Ok(Claim::Locked { expires_in_s });
    }
    record.failed_verification_attempts += 1;
    users::save(work.tx(), &user).await?;
    work.commit().await?;
    Ok(Claim::Granted)
}

/// Settles an attempt claimed with [`claim`].
pub(crate) async fn settle(
    svc: &Services,
    user_id: &str,
    outcome: Outcome,
    lockout: Lockout,
) -> Result<()> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut user = users::lock(work.tx(), svc.store.dialect(), user_id).await?;
    let record = &mut user.record;
    let mut locked = false;
    match outcome {
        Outcome::Passed => record.failed_verification_attempts = 0,
        Outcome::NotChecked => {
            record.failed_verification_attempts = (record.failed_verification_attempts - 1).max(0);
        }
        Outcome::Failed => {
            if record.locked_at.is_none()
                && record.failed_verification_attempts >= lockout.max_attempts
            {
                record.locked_at = Some(now);
                record.updated_at = now;
                locked = true;
            }
        }
    }
    users::save(work.tx(), &user).await?;
    if locked {
        emit_updated(svc, &mut work, &user, now).await?;
    }
    work.commit().await?;
    Ok(())
}
