//! A user's credentials beyond the profile: removing the password and turning second
//! factors off. A change that happens emits `user.updated` (and `session.revoked` for each
//! session it revokes) in its unit of work; one that finds nothing to change emits nothing.

use super::error::Result;
use super::services::Services;
use super::users::{emit_updated, no_password_set};
use crate::store::users::{self, User};
use crate::store::{UnitOfWork, identifications};

/// Which second factors `DELETE /v1/users/{id}/mfa`, `/totp` or `/backup_code` turns off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SecondFactors {
    /// Every one: TOTP, backup codes, and phone numbers reserved for second factor.
    All,
    Totp,
    BackupCodes,
}

/// Removes a user's password (a user without one is returned unchanged); with `sign_out`,
/// revokes the user's active sessions.
pub(crate) async fn remove_password(svc: &Services, id: &str, sign_out: bool) -> Result<User> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut user = users::lock(work.tx(), svc.store.dialect(), id).await?;
    if user.record.password().is_none() {
        return Ok(user);
    }
    user.record.set_password(None, now);
    user.record.updated_at = now;
    users::save(work.tx(), &user).await?;
    emit_updated(svc, &mut work, &user, now).await?;
    if sign_out {
        super::sessions::revoke_all_of_user(svc, &mut work, &user, now).await?;
    }
    work.commit().await?;
    Ok(user)
}

/// `POST /v1/users/{id}/password/set_compromised` (`compromised`) and `unset_compromised`:
/// marks the password as one the user must replace at the next sign-in, or not any more.
/// Setting needs a password (`no_password_set`); unsetting a user without one, or a flag
/// already in that state, changes nothing and emits nothing. With `revoke_sessions`
/// (setting only), the user's active sessions are revoked as well.
pub(crate) async fn set_password_compromised(
    svc: &Services,
    id: &str,
    compromised: bool,
    revoke_sessions: bool,
) -> Result<User> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut user = users::lock(work.tx(), svc.store.dialect(), id).await?;
    if compromised && user.record.password().is_none() {
        return Err(no_password_set().into());
    }
    let r = &mut user.record;
    let changed = r.password_compromised_at.is_some() != compromised;
    if changed {
        r.password_compromised_at = compromised.then_some(now);
        r.updated_at = now;
        users::save(work.tx(), &user).await?;
        emit_updated(svc, &mut work, &user, now).await?;
    }
    if compromised && revoke_sessions {
        super::sessions::revoke_all_of_user(svc, &mut work, &user, now).await?;
    }
    work.commit().await?;
    Ok(user)
}

/// Turns second factors off; `mfa_disabled_at` is set when the user had any on.
pub(crate) async fn disable_second_factors(
    svc: &Services,
    id: &str,
    which: SecondFactors,
) -> Result<()> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut user = users::lock(work.tx(), svc.store.dialect(), id).await?;
    let phones = user
        .identifications
        .iter()
        .any(|i| i.reserved_for_second_factor);
    let r = &mut user.record;
    let (totp, backup_codes, phone) = match which {
        SecondFactors::All => (r.totp_enabled, r.backup_code_enabled, phones),
        SecondFactors::Totp => (r.totp_enabled, false, false),
        SecondFactors::BackupCodes => (false, r.backup_code_enabled, false),
    };
    if !(totp || backup_codes || phone) {
        return Ok(());
    }
    r.totp_enabled &= !totp;
    r.backup_code_enabled &= !backup_codes;
    // What is turned off is forgotten: verify_totp cannot use it any more.
    if totp {
        r.totp_secret = None;
    }
    if backup_codes {
        r.backup_code_digests = None;
    }
    r.mfa_disabled_at = Some(now);
    r.updated_at = now;
    users::save(work.tx(), &user).await?;
    if phone {
        identifications::clear_second_factors(work.tx(), id, now).await?;
        // The event shows the phone numbers as they are now.
        user = users::lock(work.tx(), svc.store.dialect(), id).await?;
    }
    emit_updated(svc, &mut work, &user, now).await?;
    work.commit().await?;
    Ok(())
}
