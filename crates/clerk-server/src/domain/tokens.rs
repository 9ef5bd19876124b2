//! The tokens the server mints on request: session tokens (the Backend API's, and the local
//! extension's with chosen claims) and client tokens (the local stand-in for Clerk's
//! `__client` cookie), signed by the instance's current key.

use serde_json::{Map, Value};

use super::error::Result;
use super::services::Services;
use crate::keys::{self, JwtError, OrganizationClaims, SessionTokenFacts};
use crate::store::StoreError;
use crate::store::organizations::memberships;
use crate::store::sessions::SessionRecord;

/// A session token for `session`, as the Backend API mints it (`v2`: the claims of API
/// versions from 2025-04-10), lasting `lifetime_s` seconds; each entry of `overrides`
/// replaces a claim and a `null` removes it.
pub(crate) async fn session_token(
    svc: &Services,
    session: &SessionRecord,
    v2: bool,
    lifetime_s: i64,
    overrides: Map<String, Value>,
) -> Result<String> {
    let organization = active_organization(svc, session).await?;
    let mut claims = keys::session_claims(&SessionTokenFacts {
        session_id: &session.id,
        user_id: &session.user_id,
        session_created_at_ms: session.created_at,
        organization: organization.as_ref(),
        issuer: &svc.issuer,
        now_ms: svc.now_ms(),
        lifetime_seconds: lifetime_s,
        v2,
        actor: session.actor.as_ref(),
    });
    for (name, value) in overrides {
        if value.is_null() {
            claims.remove(&name);
        } else {
            claims.insert(name, value);
        }
    }
    let key = svc.keys.signing_key(&svc.store).await?;
    Ok(key.sign(&claims))
}

/// The session's active organization as its tokens show it, read when each token is
/// minted so that a role change shows in the next token; `None` without one, or when the
/// user is no longer a member.
async fn active_organization(
    svc: &Services,
    session: &SessionRecord,
) -> Result<Option<OrganizationClaims>> {
    let Some(org_id) = &session.last_active_organization_id else {
        return Ok(None);
    };
    let mut conn = svc.store.read().await?;
    let Some((organization, role)) =
        memberships::active(&mut conn, org_id, &session.user_id).await?
    else {
        return Ok(None);
    };
    let (role, permissions) = match role {
        Some(role) => (
            role.record.key,
            role.permissions.into_iter().map(|p| p.key).collect(),
        ),
        None => (String::new(), Vec::new()),
    };
    Ok(Some(OrganizationClaims {
        id: organization.id,
        slug: organization.slug,
        role,
        permissions,
    }))
}

/// A client token for client `client_id` (not found if there is none), lasting
/// `lifetime_s` seconds.
pub(crate) async fn client_token(
    svc: &Services,
    client_id: &str,
    lifetime_s: i64,
) -> Result<String> {
    if svc.store.client(client_id).await?.is_none() {
        return Err(StoreError::not_found("client", client_id).into());
    }
    let claims = keys::client_claims(client_id, &svc.issuer, svc.now_ms(), lifetime_s);
    let key = svc.keys.signing_key(&svc.store).await?;
    Ok(key.sign(&claims))
}

/// Checks a token this server signed (with a key it still publishes) and its `exp`/`nbf`;
/// the claims, or why the token is not accepted.
pub(crate) async fn verify(
    svc: &Services,
    token: &str,
) -> Result<std::result::Result<Map<String, Value>, JwtError>> {
    let now = svc.now_ms();
    let keys = svc
        .keys
        .published(&svc.store, now, svc.settings.key_grace_ms)
        .await?;
    Ok(keys::verify_jwt(token, &keys, now.div_euclid(1000)))
}
