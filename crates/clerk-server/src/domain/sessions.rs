//! Sessions: creating one for a user (a sign-in through the Backend API) and revoking one.

use super::error::{Result, Rule, RuleKind};
use super::services::Services;
use super::users::record_sign_in;
use crate::ids::{self, prefix};
use crate::store::organizations::memberships;
use crate::store::sessions::{self, NewSession, SessionRecord};
use crate::store::{StoreError, UnitOfWork, users};

/// Creates an active session for a user, in a new client, and records the sign-in on the
/// user. A banned or locked user is refused; an active organization must be one the user
/// is a member of.
pub(crate) async fn create(
    svc: &Services,
    user_id: &str,
    active_organization_id: Option<String>,
) -> Result<SessionRecord> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut user = users::lock(work.tx(), svc.store.dialect(), user_id).await?;
    if user.record.banned {
        return Err(Rule::refused(
            "user_banned",
            "User banned",
            "This user is banned and cannot have sessions.",
        )
        .into());
    }
    let (locked, expires_in_s) = user.record.lock_state(now, svc.settings.lockout_ms);
    if locked {
        return Err(Rule::user_locked(expires_in_s).into());
    }
    if let Some(org) = &active_organization_id
        && memberships::active(work.tx(), org, user_id)
            .await?
            .is_none()
    {
        return Err(Rule::refused(
            "organization_not_found_or_unauthorized",
            "not found or unauthorized",
            "Given organization not found, or you don't have permission to access the organization",
        )
        .with_kind(RuleKind::NotFound)
        .with_param("active_organization_id")
        .into());
    }
    let new = NewSession {
        id: ids::new_id(prefix::SESSION, now),
        client_id: ids::new_id(prefix::CLIENT, now),
        user_id: user_id.to_owned(),
        active_organization_id,
        expire_at: now.saturating_add(svc.settings.session_lifetime_ms),
        abandon_at: now.saturating_add(svc.settings.session_inactivity_timeout_ms),
    };
    sessions::insert(work.tx(), &new, now).await?;
    record_sign_in(&mut user.record, now);
    users::save(work.tx(), &user).await?;
    let session = sessions::load(work.tx(), &new.id)
        .await?
        .ok_or_else(|| StoreError::not_found("session", &new.id))?;
    work.commit().await?;
    Ok(session)
}

/// Revokes a session if it is active now; returns it either way (not found if unknown).
pub(crate) async fn revoke(svc: &Services, id: &str) -> Result<SessionRecord> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    sessions::revoke(work.tx(), id, svc.now_ms()).await?;
    let session = sessions::load(work.tx(), id)
        .await?
        .ok_or_else(|| StoreError::not_found("session", id))?;
    work.commit().await?;
    Ok(session)
}
