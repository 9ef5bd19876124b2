//! Tickets: sign-in tokens and actor tokens (created, revoked, and redeemed for a session)
//! and testing tokens.
//!
//! A ticket is a JWT the instance signs (as Clerk's are), stored with its status. Redeeming
//! one is a single operation, [`redeem`]: in one unit of work the ticket moves from `pending`
//! to `accepted` by a conditional update (so it is used once, however many redemptions race
//! for it) and the session is created, with its `session.created` event. An actor token's
//! session carries the actor, so every token minted for it has Clerk's `act` claim.

use serde_json::{Map, Value, json};

use super::error::{Error, Result, Rule, RuleKind};
use super::invitations as invitations_domain;
use super::organizations::invitations::{self as org_invitations, Invitee};
use super::services::Services;
use super::sessions::{self, SessionStart};
use crate::ids::{self, prefix};
use crate::store::organizations::invitations as org_invitation_store;
use crate::store::organizations::memberships;
use crate::store::sessions::SessionRecord;
use crate::store::tickets::{self, ACCEPTED, PENDING, REVOKED, Ticket, TicketKind};
use crate::store::{StoreError, UnitOfWork, invitations, users};

/// A sign-in token's default lifetime: 30 days, as in Clerk.
pub(crate) const SIGN_IN_TOKEN_DEFAULT_S: i64 = 30 * 24 * 3600;
/// An actor token's default lifetime: 1 hour, as in Clerk.
pub(crate) const ACTOR_TOKEN_DEFAULT_S: i64 = 3600;
/// The default lifetime of an actor token's session: 30 minutes, as in Clerk.
pub(crate) const ACTOR_SESSION_DEFAULT_S: i64 = 1800;
/// A testing token's lifetime: 1 hour, as in Clerk.
pub(crate) const TESTING_TOKEN_S: i64 = 3600;

/// What a sign-in token is created with.
pub(crate) struct NewSignInToken {
    pub user_id: String,
    pub organization_id: Option<String>,
    pub expires_in_s: i64,
}

/// What an actor token is created with.
pub(crate) struct NewActorToken {
    pub user_id: String,
    pub actor: Value,
    pub expires_in_s: i64,
    pub session_max_duration_s: i64,
}

/// A redeemed ticket: what it was (`sign_in_token`, `actor_token`, `invitation`), its id,
/// the session it produced, and whether it created the user (an invitation does).
#[derive(Debug)]
pub(crate) struct Redemption {
    pub ticket_type: &'static str,
    pub ticket_id: String,
    pub session: SessionRecord,
    pub user_created: bool,
}

/// Creates a sign-in token for a user (not found if there is none); an organization must be
/// one the user is a member of.
pub(crate) async fn create_sign_in_token(svc: &Services, new: NewSignInToken) -> Result<Ticket> {
    positive("expires_in_seconds", new.expires_in_s)?;
    let mut work = UnitOfWork::begin(&svc.store).await?;
    users::lock(work.tx(), svc.store.dialect(), &new.user_id).await?;
    if let Some(org) = &new.organization_id
        && memberships::active(work.tx(), org, &new.user_id)
            .await?
            .is_none()
    {
        return Err(Rule::refused(
            "organization_not_found_or_unauthorized",
            "not found or unauthorized",
            "Given organization not found, or the user is not a member of it",
        )
        .with_kind(RuleKind::NotFound)
        .with_param("org_id")
        .into());
    }
    let ticket = mint(
        svc,
        TicketKind::SignInToken,
        new.user_id,
        new.expires_in_s,
        |t| t.organization_id = new.organization_id,
    )
    .await?;
    tickets::insert(work.tx(), &ticket).await?;
    work.commit().await?;
    Ok(ticket)
}

/// Creates an actor token: `actor` must be an object with a string `sub`.
pub(crate) async fn create_actor_token(svc: &Services, new: NewActorToken) -> Result<Ticket> {
    let has_sub = new
        .actor
        .get("sub")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty());
    if !new.actor.is_object() || !has_sub {
        return Err(Rule::value_invalid(
            "actor",
            "actor must be an object with a sub (the ID of the impersonating actor).",
        )
        .into());
    }
    positive("expires_in_seconds", new.expires_in_s)?;
    positive(
        "session_max_duration_in_seconds",
        new.session_max_duration_s,
    )?;
    let mut work = UnitOfWork::begin(&svc.store).await?;
    users::lock(work.tx(), svc.store.dialect(), &new.user_id)
        .await
        .map_err(|err| match err {
            StoreError::NotFound { .. } => Rule::refused(
                "resource_not_found",
                "not found",
                format!("No user was found with id {}", new.user_id),
            )
            .with_param("user_id")
            .into(),
            other => Error::from(other),
        })?;
    let actor = new.actor;
    let max_ms = new.session_max_duration_s.saturating_mul(1000);
    let ticket = mint(
        svc,
        TicketKind::ActorToken,
        new.user_id,
        new.expires_in_s,
        |t| {
            t.actor = Some(actor);
            t.session_max_duration_ms = Some(max_ms);
        },
    )
    .await?;
    tickets::insert(work.tx(), &ticket).await?;
    work.commit().await?;
    Ok(ticket)
}

/// Revokes a pending ticket of `kind`; not found if unknown, refused if it is no longer
/// pending.
pub(crate) async fn revoke(svc: &Services, kind: TicketKind, id: &str) -> Result<Ticket> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let found = tickets::load(work.tx(), kind, id)
        .await?
        .ok_or_else(|| StoreError::not_found(kind.what(), id))?;
    if !tickets::settle(work.tx(), id, REVOKED, now).await? {
        let code = match kind {
            TicketKind::SignInToken => "sign_in_token_not_pending",
            TicketKind::ActorToken => "actor_token_not_pending",
        };
        return Err(Rule::refused(
            code,
            "not pending",
            format!(
                "Only pending tokens can be revoked; this one is {}.",
                found.status
            ),
        )
        .into());
    }
    let ticket = tickets::load(work.tx(), kind, id)
        .await?
        .ok_or_else(|| StoreError::not_found(kind.as_str(), id))?;
    work.commit().await?;
    Ok(ticket)
}

/// Redeems a ticket for a session: the ticket is accepted once, and the session (with its
/// `session.created` event) is created in the same unit of work.
///
/// The session goes into the browser's client `client_id` (the Frontend API's ticket
/// strategy), or a client of its own.
pub(crate) async fn redeem(
    svc: &Services,
    token: &str,
    client_id: Option<&str>,
) -> Result<Redemption> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let Some(found) = tickets::by_token(work.tx(), token).await? else {
        if let Some(id) = org_invitations::ticket_invitation_id(svc, token).await? {
            return redeem_organization_invitation(svc, work, &id, client_id, now).await;
        }
        return redeem_invitation(svc, work, token, client_id, now).await;
    };
    refuse_unless_pending(&found, now)?;
    if !tickets::settle(work.tx(), &found.id, ACCEPTED, now).await? {
        // Another redemption took it between our read and our update.
        return Err(invalid("This ticket has already been used.").into());
    }
    let start = SessionStart {
        client_id,
        user_id: &found.user_id,
        active_organization_id: found.organization_id.clone(),
        actor: found.actor.clone(),
        lifetime_ms: found.session_max_duration_ms,
    };
    let session = sessions::create_in(svc, &mut work, start, now).await?;
    work.commit().await?;
    tracing::debug!(ticket = %found.id, session = %session.id, "ticket redeemed");
    Ok(Redemption {
        ticket_type: found.kind.as_str(),
        ticket_id: found.id,
        session,
        user_created: false,
    })
}

/// Redeems an invitation's ticket: the invitation is accepted once, the invited user is
/// created and signed in.
async fn redeem_invitation(
    svc: &Services,
    mut work: UnitOfWork,
    token: &str,
    client_id: Option<&str>,
    now: i64,
) -> Result<Redemption> {
    let invitation = invitations::by_token(work.tx(), token)
        .await?
        .ok_or_else(|| invalid("The ticket is not one this instance issued."))?;
    refuse_unless_pending_status(invitation.status(now))?;
    let Some(user) = invitations_domain::accept_in(svc, &mut work, &invitation, now).await? else {
        return Err(invalid("This ticket has already been used.").into());
    };
    let start = SessionStart {
        client_id,
        user_id: &user.record.id,
        active_organization_id: None,
        actor: None,
        lifetime_ms: None,
    };
    let session = sessions::create_in(svc, &mut work, start, now).await?;
    work.commit().await?;
    tracing::debug!(invitation = %invitation.id, session = %session.id, "invitation accepted");
    Ok(Redemption {
        ticket_type: "invitation",
        ticket_id: invitation.id,
        session,
        user_created: true,
    })
}

/// Redeems an organization invitation's ticket: the invitation is accepted once (by the
/// user who has the invited address, or a new user with it), the member made with its
/// events, and that user signed in.
async fn redeem_organization_invitation(
    svc: &Services,
    mut work: UnitOfWork,
    id: &str,
    client_id: Option<&str>,
    now: i64,
) -> Result<Redemption> {
    let accepted = org_invitations::accept_in(svc, &mut work, id, Invitee::ByEmailOrNew, now)
        .await
        .map_err(as_ticket_error)?;
    let start = SessionStart {
        client_id,
        user_id: &accepted.user_id,
        active_organization_id: None,
        actor: None,
        lifetime_ms: None,
    };
    let session = sessions::create_in(svc, &mut work, start, now).await?;
    work.commit().await?;
    tracing::debug!(invitation = %id, session = %session.id, "organization invitation accepted");
    Ok(Redemption {
        ticket_type: org_invitations::TICKET_TYPE,
        ticket_id: id.to_owned(),
        session,
        user_created: accepted.user_created,
    })
}

/// An organization invitation that can no longer be accepted, or one deleted with its
/// organization, refuses its ticket as any used, revoked or expired ticket is refused.
pub(crate) fn as_ticket_error(err: Error) -> Error {
    match err {
        Error::Rule(rule) if rule.code == "organization_invitation_already_accepted" => {
            invalid("This ticket has already been used.").into()
        }
        Error::Rule(rule) if rule.code == "organization_invitation_not_pending" => {
            // Its long message names the status: "...; this one is expired."
            if rule.long_message.ends_with("is expired.") {
                expired().into()
            } else {
                invalid("This ticket has been revoked.").into()
            }
        }
        Error::Store(StoreError::NotFound { .. }) => {
            invalid("The ticket is not one this instance issued.").into()
        }
        other => other,
    }
}

/// Creates a testing token (`<issued-at seconds>-<random>`, as Clerk's look), stored so the
/// Frontend API can check it; its token and expiry (Unix seconds).
pub(crate) async fn create_testing_token(svc: &Services) -> Result<(String, i64)> {
    let now = svc.now_ms();
    let iat = now.div_euclid(1000);
    let token = format!("{iat}-{}", ids::random_base62(40));
    let expires_at = iat + TESTING_TOKEN_S;
    let mut work = UnitOfWork::begin(&svc.store).await?;
    tickets::insert_testing_token(work.tx(), &token, expires_at * 1000, now).await?;
    work.commit().await?;
    Ok((token, expires_at))
}

/// Whether `token` is a testing token of this instance that has not expired.
pub(crate) async fn testing_token_valid(svc: &Services, token: &str) -> Result<bool> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let valid = tickets::testing_token_valid(work.tx(), token, svc.now_ms()).await?;
    work.commit().await?;
    Ok(valid)
}

/// An invitation a browser's sign-up names by its ticket (`strategy=ticket`): the
/// invitation is read, not yet accepted (the sign-up accepts it when it completes, with
/// [`accept_for_sign_up`]).
#[derive(Debug, Clone)]
pub(crate) struct InvitedSignUp {
    /// `invitation` or `organization_invitation`.
    pub kind: &'static str,
    pub id: String,
    /// The invited address: the sign-up's, verified by the ticket.
    pub email_address: String,
    /// An instance invitation's public metadata, which the user gets.
    pub public_metadata: Map<String, Value>,
}

/// The pending invitation `token` is the ticket of, for a sign-up; refused like any
/// redemption if it is used, revoked or expired, or if the ticket is not an invitation's.
pub(crate) async fn invitation_for_sign_up(
    svc: &Services,
    work: &mut UnitOfWork,
    token: &str,
    now: i64,
) -> Result<InvitedSignUp> {
    if let Some(id) = org_invitations::ticket_invitation_id(svc, token).await? {
        let record = org_invitation_store::get(work.tx(), None, &id)
            .await
            .map_err(|err| as_ticket_error(err.into()))?;
        refuse_unless_pending_status(record.status_at(now))?;
        return Ok(InvitedSignUp {
            kind: org_invitations::TICKET_TYPE,
            id,
            email_address: record.email_address,
            public_metadata: Map::new(),
        });
    }
    if let Some(invitation) = invitations::by_token(work.tx(), token).await? {
        refuse_unless_pending_status(invitation.status(now))?;
        return Ok(InvitedSignUp {
            kind: "invitation",
            id: invitation.id,
            email_address: invitation.email_address,
            public_metadata: invitation.public_metadata,
        });
    }
    if tickets::by_token(work.tx(), token).await?.is_some() {
        return Err(invalid("This ticket signs an existing user in; use it to sign in.").into());
    }
    Err(invalid("The ticket is not one this instance issued.").into())
}

/// Accepts a sign-up's invitation in `work` once its user `user_id` exists: an instance
/// invitation moves to `accepted`, an organization invitation makes the user a member (with
/// its events); refused if another redemption accepted it first.
pub(crate) async fn accept_for_sign_up(
    svc: &Services,
    work: &mut UnitOfWork,
    invited_kind: &str,
    invitation_id: &str,
    user_id: &str,
    now: i64,
) -> Result<()> {
    if invited_kind == org_invitations::TICKET_TYPE {
        org_invitations::accept_in(svc, work, invitation_id, Invitee::User(user_id), now)
            .await
            .map_err(as_ticket_error)?;
        return Ok(());
    }
    if !invitations_domain::settle_accepted(svc, work, invitation_id, now).await? {
        return Err(invalid("This ticket has already been used.").into());
    }
    Ok(())
}

/// An invitation's status as a ticket's refusal: only a pending one can be redeemed.
fn refuse_unless_pending_status(status: &str) -> Result<()> {
    match status {
        "pending" => Ok(()),
        "expired" => Err(expired().into()),
        "accepted" => Err(invalid("This ticket has already been used.").into()),
        _ => Err(invalid("This ticket has been revoked.").into()),
    }
}

fn refuse_unless_pending(ticket: &Ticket, now: i64) -> Result<()> {
    match ticket.status.as_str() {
        PENDING if ticket.expires_at <= now => Err(expired().into()),
        PENDING => Ok(()),
        ACCEPTED => Err(invalid("This ticket has already been used.").into()),
        _ => Err(invalid("This ticket has been revoked.").into()),
    }
}

fn expired() -> Rule {
    Rule::refused(
        "ticket_expired",
        "Ticket expired",
        "This ticket has expired. Ask for a new one.",
    )
    .with_param("ticket")
}

fn invalid(long: &str) -> Rule {
    Rule::refused("ticket_invalid", "Invalid ticket", long).with_param("ticket")
}

fn positive(param: &str, value: i64) -> Result<()> {
    if value < 1 {
        return Err(Rule::value_invalid(param, format!("{param} must be at least 1.")).into());
    }
    Ok(())
}

/// A new pending ticket of `kind` for `user_id`, its token signed by the instance's key.
async fn mint(
    svc: &Services,
    kind: TicketKind,
    user_id: String,
    expires_in_s: i64,
    fill: impl FnOnce(&mut Ticket),
) -> Result<Ticket> {
    let now = svc.now_ms();
    let id_prefix = match kind {
        TicketKind::SignInToken => prefix::SIGN_IN_TOKEN,
        TicketKind::ActorToken => prefix::ACTOR_TOKEN,
    };
    let id = ids::new_id(id_prefix, now);
    let iat = now.div_euclid(1000);
    let exp = iat.saturating_add(expires_in_s);
    let mut claims = Map::new();
    claims.insert("iss".into(), json!(svc.issuer));
    claims.insert("sid".into(), json!(id));
    claims.insert("sub".into(), json!(user_id));
    claims.insert("st".into(), json!(kind.as_str()));
    claims.insert("iat".into(), json!(iat));
    claims.insert("exp".into(), json!(exp));
    let key = svc.keys.signing_key(&svc.store).await?;
    let mut ticket = Ticket {
        id,
        kind,
        user_id,
        token: key.sign(&claims),
        status: PENDING.to_owned(),
        actor: None,
        session_max_duration_ms: None,
        organization_id: None,
        expires_at: exp.saturating_mul(1000),
        created_at: now,
        updated_at: now,
    };
    fill(&mut ticket);
    Ok(ticket)
}
