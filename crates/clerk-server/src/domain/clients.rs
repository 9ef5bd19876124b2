//! A browser's client (the Frontend API): created on a browser's first change, it holds the
//! browser's sessions. Every change locks the client first, then the users of the sessions
//! it ends, so two tabs signing out at once apply one after the other.

use super::error::{Result, Rule, RuleKind};
use super::services::Services;
use super::sessions::{end_in, not_a_member};
use crate::ids::{self, prefix};
use crate::store::clients::{self, Client};
use crate::store::organizations::memberships;
use crate::store::sessions::{self, SessionEnd, SessionRecord};
use crate::store::{StoreError, UnitOfWork, users};

/// A new, empty client; its id.
pub(crate) async fn create(svc: &Services) -> Result<String> {
    let now = svc.now_ms();
    let id = ids::new_id(prefix::CLIENT, now);
    let mut work = UnitOfWork::begin(&svc.store).await?;
    clients::insert(work.tx(), &id, now).await?;
    work.commit().await?;
    Ok(id)
}

/// The client a browser presents, unless it was destroyed (a destroyed client's cookie
/// names nothing any more).
pub(crate) async fn live(svc: &Services, id: &str) -> Result<Option<Client>> {
    Ok(svc.store.client(id).await?.filter(|c| c.ended_at.is_none()))
}

/// Ends one of the client's sessions (`session.end()`: `ended`; `session.remove()`:
/// `removed`). A session of another client is not found.
pub(crate) async fn end_session(
    svc: &Services,
    client_id: &str,
    session_id: &str,
    how: SessionEnd,
) -> Result<SessionRecord> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut client = clients::lock(work.tx(), svc.store.dialect(), client_id).await?;
    let session = own_session(&client, session_id)?.clone();
    let user = users::lock(work.tx(), svc.store.dialect(), &session.user_id).await?;
    let after = end_in(svc, &mut work, &session, &user, how, now).await?;
    if client.last_active_session_id.as_deref() == Some(session_id) {
        client.last_active_session_id = None;
    }
    clients::save(work.tx(), &client, now).await?;
    work.commit().await?;
    Ok(after)
}

/// Signs the browser out of every session (`DELETE /v1/client/sessions`, clerk-js's
/// `signOut()`): each active one is `removed`.
pub(crate) async fn sign_out(svc: &Services, client_id: &str) -> Result<()> {
    end_all(svc, client_id, SessionEnd::Removed, false).await
}

/// Destroys the client (`DELETE /v1/client`): its active sessions end and its cookie stops
/// working.
pub(crate) async fn destroy(svc: &Services, client_id: &str) -> Result<()> {
    end_all(svc, client_id, SessionEnd::Ended, true).await
}

async fn end_all(svc: &Services, client_id: &str, how: SessionEnd, destroy: bool) -> Result<()> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut client = clients::lock(work.tx(), svc.store.dialect(), client_id).await?;
    let active: Vec<SessionRecord> = client
        .sessions
        .iter()
        .filter(|s| s.status(now) == "active")
        .cloned()
        .collect();
    for session in &active {
        let user = users::lock(work.tx(), svc.store.dialect(), &session.user_id).await?;
        end_in(svc, &mut work, session, &user, how, now).await?;
    }
    client.last_active_session_id = None;
    client.sign_in_id = None;
    client.sign_up_id = None;
    if destroy {
        client.ended_at = Some(now);
    }
    clients::save(work.tx(), &client, now).await?;
    work.commit().await?;
    Ok(())
}

/// Makes one of the client's active sessions the current one (`setActive`, and clerk-js's
/// touch on every page load) with `active_organization_id` as its organization (`None`:
/// the personal account), which must be one the user is a member of.
pub(crate) async fn touch_session(
    svc: &Services,
    client_id: &str,
    session_id: &str,
    active_organization_id: Option<&str>,
) -> Result<SessionRecord> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut client = clients::lock(work.tx(), svc.store.dialect(), client_id).await?;
    let session = own_session(&client, session_id)?.clone();
    if let Some(org) = active_organization_id
        && memberships::active(work.tx(), org, &session.user_id)
            .await?
            .is_none()
    {
        return Err(not_a_member().into());
    }
    if !sessions::touch(work.tx(), session_id, active_organization_id, now).await? {
        return Err(session_not_active(&session, now).into());
    }
    client.last_active_session_id = Some(session_id.to_owned());
    clients::save(work.tx(), &client, now).await?;
    let after = sessions::load(work.tx(), session_id)
        .await?
        .ok_or_else(|| StoreError::not_found("session", session_id))?;
    work.commit().await?;
    Ok(after)
}

/// In single-session mode (this server's), a client signed in already cannot start another
/// sign-in or sign-up: 400 `session_exists`, as Clerk answers.
pub(crate) fn refuse_signed_in(client: &Client, now: i64) -> Result<()> {
    if client.sessions.iter().any(|s| s.status(now) == "active") {
        return Err(Rule::refused(
            "session_exists",
            "You're already signed in",
            "You're already signed in.",
        )
        .into());
    }
    Ok(())
}

/// One of the client's sessions (whatever its status); a session of another client is
/// not found, as if it did not exist.
pub(crate) fn own_session<'c>(client: &'c Client, session_id: &str) -> Result<&'c SessionRecord> {
    client
        .sessions
        .iter()
        .find(|s| s.id == session_id)
        .ok_or_else(|| StoreError::not_found("session", session_id).into())
}

/// A session that is no longer active cannot be used: 401 `authentication_invalid` (clerk-js
/// answers a 401 by reloading its client and signing the tab out of the session).
pub(crate) fn session_not_active(session: &SessionRecord, now: i64) -> Rule {
    Rule::refused(
        "authentication_invalid",
        "Invalid authentication",
        format!(
            "Session {} is {}; only active sessions can be used.",
            session.id,
            session.status(now)
        ),
    )
    .with_kind(RuleKind::Unauthorized)
}
