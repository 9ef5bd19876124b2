//! Sessions: creating one for a user (a sign-in through the Backend API) and revoking one,
//! each with its webhook event (`session.created`, `session.revoked`) in the same unit of
//! work.

use super::error::{Result, Rule, RuleKind};
use super::services::Services;
use super::users::record_sign_in;
use crate::ids::{self, prefix};
use crate::store::organizations::memberships;
use crate::store::sessions::{self, NewSession, SessionEnd, SessionRecord};
use crate::store::users::User;
use crate::store::{StoreError, UnitOfWork, clients, users};
use crate::wire::SessionEventJson;

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
    let session = create_in(
        svc,
        &mut work,
        SessionStart {
            user_id,
            active_organization_id,
            actor: None,
            lifetime_ms: None,
            client_id: None,
        },
        now,
    )
    .await?;
    work.commit().await?;
    Ok(session)
}

/// How a session starts: for whom, in which organization, as which actor (an impersonation),
/// for how long (the instance's session lifetime when `None`) and in which client (a
/// browser's, locked here if the caller has not; a new client of its own when `None`).
pub(crate) struct SessionStart<'a> {
    pub user_id: &'a str,
    pub active_organization_id: Option<String>,
    pub actor: Option<serde_json::Value>,
    pub lifetime_ms: Option<i64>,
    pub client_id: Option<&'a str>,
}

/// [`create`] inside `work`, which the caller commits: the same rules and the same
/// `session.created` event.
pub(crate) async fn create_in(
    svc: &Services,
    work: &mut UnitOfWork,
    start: SessionStart<'_>,
    now: i64,
) -> Result<SessionRecord> {
    let SessionStart {
        user_id,
        active_organization_id,
        actor,
        lifetime_ms,
        client_id,
    } = start;
    if let Some(client_id) = client_id {
        // The client before the user, the order every browser change takes them in.
        clients::lock(work.tx(), svc.store.dialect(), client_id).await?;
    }
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
        return Err(not_a_member().into());
    }
    let new = NewSession {
        id: ids::new_id(prefix::SESSION, now),
        client_id: client_id.map_or_else(|| ids::new_id(prefix::CLIENT, now), str::to_owned),
        user_id: user_id.to_owned(),
        active_organization_id,
        actor,
        expire_at: now.saturating_add(lifetime_ms.unwrap_or(svc.settings.session_lifetime_ms)),
        abandon_at: now.saturating_add(svc.settings.session_inactivity_timeout_ms),
    };
    if client_id.is_some() {
        sessions::insert_into_client(work.tx(), &new, now).await?;
    } else {
        sessions::insert(work.tx(), &new, now).await?;
    }
    record_sign_in(&mut user.record, now);
    users::save(work.tx(), &user).await?;
    let session = sessions::load(work.tx(), &new.id)
        .await?
        .ok_or_else(|| StoreError::not_found("session", &new.id))?;
    emit(svc, work, "session.created", &session, &user, now).await?;
    Ok(session)
}

/// Revokes a session if it is active now; returns it either way (not found if unknown).
/// Only a session this revokes has a `session.revoked` event.
pub(crate) async fn revoke(svc: &Services, id: &str) -> Result<SessionRecord> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let found = sessions::load(work.tx(), id)
        .await?
        .ok_or_else(|| StoreError::not_found("session", id))?;
    // The user first, as every change that revokes a user's sessions locks it.
    let user = users::lock(work.tx(), svc.store.dialect(), &found.user_id).await?;
    let revoked = sessions::revoke(work.tx(), id, now).await?;
    let session = sessions::load(work.tx(), id)
        .await?
        .ok_or_else(|| StoreError::not_found("session", id))?;
    if revoked {
        emit(svc, &mut work, "session.revoked", &session, &user, now).await?;
    }
    work.commit().await?;
    Ok(session)
}

/// Revokes every active session of `user` (a ban, a password change that signs the user
/// out) inside `work`, with a `session.revoked` event for each, oldest first.
pub(crate) async fn revoke_all_of_user(
    svc: &Services,
    work: &mut UnitOfWork,
    user: &User,
    now: i64,
) -> Result<()> {
    let revoked = sessions::revoke_all_of_user(work.tx(), &user.record.id, now).await?;
    for session in &revoked {
        emit(svc, work, "session.revoked", session, user, now).await?;
    }
    Ok(())
}

/// A session's active organization must be one its user is a member of: 404
/// `organization_not_found_or_unauthorized` otherwise, as Clerk answers.
pub(crate) fn not_a_member() -> Rule {
    Rule::refused(
        "organization_not_found_or_unauthorized",
        "not found or unauthorized",
        "Given organization not found, or you don't have permission to access the organization",
    )
    .with_kind(RuleKind::NotFound)
    .with_param("active_organization_id")
}

/// Ends `session` (of `user`, locked by the caller) if it is active now, as a browser does:
/// signing out of it (`ended`, `session.ended`) or removing it from its client (`removed`,
/// `session.removed`). Returns the session as it is now.
pub(crate) async fn end_in(
    svc: &Services,
    work: &mut UnitOfWork,
    session: &SessionRecord,
    user: &User,
    how: SessionEnd,
    now: i64,
) -> Result<SessionRecord> {
    let ended = sessions::end(work.tx(), &session.id, how, now).await?;
    let after = sessions::load(work.tx(), &session.id)
        .await?
        .ok_or_else(|| StoreError::not_found("session", &session.id))?;
    if ended {
        let event = match how {
            SessionEnd::Ended => "session.ended",
            SessionEnd::Removed => "session.removed",
        };
        emit(svc, work, event, &after, user, now).await?;
    }
    Ok(after)
}

/// Emits `event_type` for `session` of `user` (Clerk's `SessionEventPayload`) in `work`.
async fn emit(
    svc: &Services,
    work: &mut UnitOfWork,
    event_type: &'static str,
    session: &SessionRecord,
    user: &User,
    now: i64,
) -> Result<()> {
    let data = SessionEventJson::new(session, user, svc.user_context());
    svc.events.emit(work, event_type, &data, now).await?;
    Ok(())
}
