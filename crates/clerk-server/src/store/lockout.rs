//! The user lockout counter: failed password checks, and the lock they set when they reach
//! the instance's limit (Clerk's "account lockout"). Attempts are claimed before the check
//! and settled after it, so parallel guesses cannot exceed the limit.

use super::Store;
use super::users::existing_user;
use crate::error::ApiError;

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

impl Store {
    /// Claims one verification attempt for `user_id`: a lock that expired is lifted (and
    /// its counter cleared) first; a locked user, or one whose attempts are all claimed,
    /// is refused. 404 for an unknown user.
    pub(crate) async fn claim_verification_attempt(
        &self,
        user_id: &str,
        lockout: Lockout,
        now_ms: i64,
    ) -> Result<Claim, ApiError> {
        let mut tx = self.write().await?;
        let user = existing_user(&mut tx, user_id, self.dialect().for_update()).await?;
        let mut attempts = user.record.failed_verification_attempts;
        if let Some(locked_at) = user.record.locked_at {
            let ends = lockout.duration_ms.map(|d| locked_at.saturating_add(d));
            match ends {
                Some(ends) if ends <= now_ms => attempts = 0,
                _ => {
                    let expires_in_s = ends.map(|ends| (ends - now_ms + 999) / 1000);
                    return Ok(Claim::Locked { expires_in_s });
                }
            }
        }
        if attempts >= lockout.max_attempts {
            // Every attempt is claimed by checks still running.
            let expires_in_s = lockout.duration_ms.map(|d| (d + 999) / 1000);
            return Ok(Claim::Locked { expires_in_s });
        }
        sqlx::query(
            "UPDATE users SET failed_verification_attempts = $1, locked_at = NULL WHERE id = $2",
        )
        .bind(attempts + 1)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Claim::Granted)
    }

    /// Settles an attempt claimed with [`Store::claim_verification_attempt`].
    pub(crate) async fn settle_verification_attempt(
        &self,
        user_id: &str,
        outcome: Outcome,
        lockout: Lockout,
        now_ms: i64,
    ) -> Result<(), ApiError> {
        let mut tx = self.write().await?;
        let statement = match outcome {
            Outcome::Passed => {
                sqlx::query("UPDATE users SET failed_verification_attempts = 0 WHERE id = $1")
                    .bind(user_id)
            }
            Outcome::NotChecked => sqlx::query(
                "UPDATE users SET failed_verification_attempts = failed_verification_attempts - 1 \
                 WHERE id = $1 AND failed_verification_attempts > 0",
            )
            .bind(user_id),
            Outcome::Failed => sqlx::query(
                "UPDATE users SET locked_at = $2, updated_at = $2 WHERE id = $1 \
                 AND locked_at IS NULL AND failed_verification_attempts >= $3",
            )
            .bind(user_id)
            .bind(now_ms)
            .bind(lockout.max_attempts),
        };
        statement.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
