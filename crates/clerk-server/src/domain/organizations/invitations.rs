//! Organization invitations: inviting an email address into an organization with a role
//! (an email in the outbox unless `notify` is false), in bulk, revoking, and accepting (a
//! local extension, since nothing here can follow the email's link).
//!
//! Each change emits `organizationInvitation.created` (one per invitation of a bulk
//! request), `.revoked` or `.accepted` (after the `organizationMembership.created` of the
//! member it made), with the invitation as the API shows it.
//!
//! Every change locks the organization first, so that pending invitations and members
//! together stay within its `max_allowed_memberships` whatever the order of concurrent
//! requests (see [`super::memberships::check_quota`]).

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::memberships::{already_a_member, check_quota, role_of};
use super::{MetadataChange, catalog};
use crate::domain::error::{Result, Rule, RuleKind};
use crate::domain::identifiers::normalize_email;
use crate::domain::message_templates::render;
use crate::domain::services::Services;
use crate::domain::users::{NewIdentifier, NewUser};
use crate::ids::{self, prefix};
use crate::keys::SigningKey;
use crate::keys::verify_jwt_signature;
use crate::store::organizations::invitations::{self as store, Invitation, InvitationRecord};
use crate::store::organizations::memberships::{self as membership_store, MembershipRecord};
use crate::store::organizations::roles as role_store;
use crate::store::organizations::{self as organizations, MANAGE_MEMBERSHIPS, OrganizationRecord};
use crate::store::{StoreError, Unique, UnitOfWork, users};
use crate::wire::{AcceptedInvitationJson, InvitationJson};

/// How long an invitation is valid unless the request says otherwise.
const DEFAULT_EXPIRES_IN_DAYS: i64 = 30;

/// The most days an invitation can be valid.
const MAX_EXPIRES_IN_DAYS: i64 = 365;

const DAY_MS: i64 = 86_400_000;

/// `POST /v1/organizations/{id}/invitations` (and one item of the bulk operation).
#[derive(Debug, Clone, Default)]
pub(crate) struct NewInvitation {
    pub email_address: String,
    pub role: String,
    pub inviter_user_id: Option<String>,
    pub public_metadata: Option<Map<String, Value>>,
    pub private_metadata: Option<Map<String, Value>>,
    pub redirect_url: Option<String>,
    pub expires_in_days: Option<i64>,
    /// `None`: true.
    pub notify: Option<bool>,
}

/// 403 unless `user_id` is a member of the organization whose role can manage members:
/// only administrators invite and revoke.
async fn check_admin(
    svc: &Services,
    work: &mut UnitOfWork,
    organization: &OrganizationRecord,
    user_id: &str,
    param: &str,
) -> Result<()> {
    if users::load(work.tx(), svc.store.dialect(), user_id, "")
        .await?
        .is_none()
    {
        return Err(StoreError::not_found("user", user_id).into());
    }
    let membership = match membership_store::get(work.tx(), &organization.id, user_id).await {
        Ok(m) => m,
        Err(StoreError::NotFound { .. }) => {
            return Err(Rule::refused(
                "not_a_member_in_organization",
                "not a member",
                "Current user is not a member of the organization. Only organization members can perform this action.",
            )
            .with_kind(RuleKind::Forbidden)
            .with_param(param)
            .into());
        }
        Err(other) => return Err(other.into()),
    };
    let role = role_store::role_by_key(work.tx(), &membership.role).await?;
    if role.is_some_and(|r| r.has(MANAGE_MEMBERSHIPS)) {
        return Ok(());
    }
    Err(Rule::refused(
        "not_an_admin_in_organization",
        "not an admin",
        "Current user is not an administrator in the organization. Only administrators can perform this action.",
    )
    .with_kind(RuleKind::Forbidden)
    .with_param(param)
    .into())
}

/// 422 unless `days` is between 1 and 365.
fn check_expires_in_days(days: i64) -> Result<i64> {
    if (1..=MAX_EXPIRES_IN_DAYS).contains(&days) {
        return Ok(days);
    }
    Err(Rule::value_invalid(
        "expires_in_days",
        format!("expires_in_days must be between 1 and {MAX_EXPIRES_IN_DAYS}."),
    )
    .into())
}

/// Creates one invitation in `work` (the organization locked); returns its id.
async fn invite(
    svc: &Services,
    work: &mut UnitOfWork,
    organization: &OrganizationRecord,
    new: NewInvitation,
    now: i64,
) -> Result<String> {
    let email = normalize_email("email_address", &new.email_address)?;
    let days = check_expires_in_days(new.expires_in_days.unwrap_or(DEFAULT_EXPIRES_IN_DAYS))?;
    let role = role_of(work, organization, &new.role, "role").await?;
    if let Some(inviter) = &new.inviter_user_id {
        check_admin(svc, work, organization, inviter, "inviter_user_id").await?;
    }
    if store::is_member_email(work.tx(), &organization.id, &email).await? {
        return Err(already_a_member(&email));
    }
    if store::has_pending(work.tx(), &organization.id, &email, now).await? {
        return Err(Rule::refused(
            "organization_invitation_not_unique",
            "organization invitation not unique",
            "Organizations cannot have duplicate pending invitations for an email address.",
        )
        .with_param("email_address")
        .into());
    }
    check_quota(work, organization, now).await?;
    let mut record = InvitationRecord {
        id: ids::new_id(prefix::ORGANIZATION_INVITATION, now),
        organization_id: organization.id.clone(),
        email_address: email,
        role: role.record.key,
        status: "pending".to_owned(),
        inviter_id: new.inviter_user_id,
        public_metadata: Map::new(),
        private_metadata: Map::new(),
        redirect_url: new.redirect_url,
        expires_at: Some(now + days * DAY_MS),
        created_at: now,
        updated_at: now,
    };
    MetadataChange {
        public_metadata: new.public_metadata,
        private_metadata: new.private_metadata,
    }
    .apply(
        &mut record.public_metadata,
        &mut record.private_metadata,
        false,
    )?;
    store::insert(work.tx(), &record).await?;
    if new.notify.unwrap_or(true) {
        send_email(svc, work, organization, &record, now).await?;
    }
    Ok(record.id)
}

/// The invitation email, into the outbox of `work`.
async fn send_email(
    svc: &Services,
    work: &mut UnitOfWork,
    organization: &OrganizationRecord,
    record: &InvitationRecord,
    now: i64,
) -> Result<()> {
    // Rendered from the `organization_invitation` template; values are escaped there.
    let inviter_name = match &record.inviter_id {
        Some(id) => users::load(work.tx(), svc.store.dialect(), id, "")
            .await?
            .map(|user| {
                let r = &user.record;
                [r.first_name.as_deref(), r.last_name.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|name| !name.is_empty()),
        None => None,
    };
    // The invitation's link (its `url`): it carries the ticket, and sends the browser on
    // to `redirect_url` when there is one.
    let action_url = InvitationTickets::of(svc).await?.url(record);
    let values = serde_json::json!({
        "action_url": action_url,
        "inviter_name": inviter_name,
        "org": {"name": organization.name, "image_url": null},
        "role": record.role,
    });
    let recipient = render::Recipient {
        to: &record.email_address,
        identification_id: None,
        user_id: None,
    };
    render::email(svc, work, "organization_invitation", recipient, values, now).await?;
    Ok(())
}

/// Reads an invitation back as it is shown (in `work`, before it commits).
async fn shown(work: &mut UnitOfWork, organization_id: &str, id: &str) -> Result<Invitation> {
    Ok(store::load(work.tx(), organization_id, id)
        .await?
        .ok_or_else(|| StoreError::not_found("organization invitation", id))?)
}

/// Emits `event_type` with `invitation` as a `GET` shows it at `now_ms`.
async fn emit(
    svc: &Services,
    work: &mut UnitOfWork,
    event_type: &'static str,
    invitation: &Invitation,
    now_ms: i64,
) -> Result<()> {
    let tickets = InvitationTickets::of(svc).await?;
    let view = InvitationJson::new(invitation, &svc.issuer, &tickets, now_ms);
    svc.events.emit(work, event_type, &view, now_ms).await?;
    Ok(())
}

/// Invites an email address into an organization.
pub(crate) async fn create(
    svc: &Services,
    organization_id: &str,
    new: NewInvitation,
) -> Result<Invitation> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    catalog::hold(svc, &mut work).await?;
    let organization = organizations::lock(work.tx(), svc.store.dialect(), organization_id).await?;
    let id = invite(svc, &mut work, &organization, new, now).await?;
    let invitation = shown(&mut work, &organization.id, &id).await?;
    emit(
        svc,
        &mut work,
        "organizationInvitation.created",
        &invitation,
        now,
    )
    .await?;
    work.commit().await?;
    Ok(invitation)
}

/// Invites several email addresses at once: all of them or, when one is refused, none.
pub(crate) async fn create_bulk(
    svc: &Services,
    organization_id: &str,
    items: Vec<NewInvitation>,
) -> Result<Vec<Invitation>> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    catalog::hold(svc, &mut work).await?;
    let organization = organizations::lock(work.tx(), svc.store.dialect(), organization_id).await?;
    let mut ids = Vec::with_capacity(items.len());
    for new in items {
        ids.push(invite(svc, &mut work, &organization, new, now).await?);
    }
    let mut invitations = Vec::with_capacity(ids.len());
    for id in &ids {
        let invitation = shown(&mut work, &organization.id, id).await?;
        emit(
            svc,
            &mut work,
            "organizationInvitation.created",
            &invitation,
            now,
        )
        .await?;
        invitations.push(invitation);
    }
    work.commit().await?;
    Ok(invitations)
}

/// 400 `organization_invitation_not_pending` (or `…_already_accepted`) unless the
/// invitation can still be used.
fn check_pending(record: &InvitationRecord, now: i64) -> Result<()> {
    match record.status_at(now) {
        "pending" => Ok(()),
        "accepted" => Err(Rule::refused(
            "organization_invitation_already_accepted",
            "organization invitation already accepted",
            "This organization invitation has already been accepted.",
        )
        .into()),
        status => Err(Rule::refused(
            "organization_invitation_not_pending",
            "organization invitation is not pending",
            format!("Only pending organization invitations can be used or revoked; this one is {status}."),
        )
        .into()),
    }
}

/// Revokes a pending invitation; with `requesting_user_id`, that user must be an
/// administrator of the organization.
pub(crate) async fn revoke(
    svc: &Services,
    organization_id: &str,
    id: &str,
    requesting_user_id: Option<&str>,
) -> Result<Invitation> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let organization = organizations::lock(work.tx(), svc.store.dialect(), organization_id).await?;
    let mut record = store::get(work.tx(), Some(&organization.id), id).await?;
    if let Some(user_id) = requesting_user_id {
        check_admin(svc, &mut work, &organization, user_id, "requesting_user_id").await?;
    }
    check_pending(&record, now)?;
    record.status = "revoked".to_owned();
    record.updated_at = now;
    store::save_status(work.tx(), &record).await?;
    let invitation = shown(&mut work, &organization.id, id).await?;
    emit(
        svc,
        &mut work,
        "organizationInvitation.revoked",
        &invitation,
        now,
    )
    .await?;
    work.commit().await?;
    Ok(invitation)
}

/// The `st` claim of an organization invitation's ticket.
pub(crate) const TICKET_TYPE: &str = "organization_invitation";

/// What gives each invitation its ticket and its `url`: the instance's signing key.
///
/// A ticket is a JWT the instance signs naming the invitation (`sid`), its organization
/// (`oid`) and its kind (`st`), issued at the invitation's creation and expiring with it.
/// RS256 signatures are deterministic, so the ticket is the same on every read and nothing
/// is stored for it; a ticket signed by a key the instance has since rotated out of its
/// JWKS is no longer accepted.
pub(crate) struct InvitationTickets {
    key: Arc<SigningKey>,
    issuer: String,
}

impl InvitationTickets {
    /// The instance's current signing key, for the invitations about to be shown.
    pub(crate) async fn of(svc: &Services) -> Result<Self> {
        Ok(Self {
            key: svc.keys.signing_key(&svc.store).await?,
            issuer: svc.issuer.clone(),
        })
    }

    /// The invitation's ticket.
    pub(crate) fn ticket(&self, record: &InvitationRecord) -> String {
        let mut claims = Map::new();
        claims.insert("iss".into(), json!(self.issuer));
        claims.insert("sid".into(), json!(record.id));
        claims.insert("oid".into(), json!(record.organization_id));
        claims.insert("st".into(), json!(TICKET_TYPE));
        claims.insert("iat".into(), json!(record.created_at.div_euclid(1000)));
        if let Some(expires_at) = record.expires_at {
            claims.insert("exp".into(), json!(expires_at.div_euclid(1000)));
        }
        self.key.sign(&claims)
    }

    /// The invitation's link: the Frontend API's `/v1/tickets/accept?ticket=`, as Clerk's
    /// links are its Frontend API's. It sends the browser on to the invitation's
    /// `redirect_url` with `__clerk_ticket` and `__clerk_status` when it has one, and else
    /// redeems the ticket into the browser's client.
    pub(crate) fn url(&self, record: &InvitationRecord) -> String {
        format!(
            "{}/__clerk/v1/tickets/accept?ticket={}",
            self.issuer.trim_end_matches('/'),
            self.ticket(record)
        )
    }
}

/// The id of the invitation `token` names, if it is an organization invitation's ticket
/// signed by a key this instance publishes; `None` for any other token.
pub(crate) async fn ticket_invitation_id(svc: &Services, token: &str) -> Result<Option<String>> {
    let keys = svc
        .keys
        .published(&svc.store, svc.now_ms(), svc.settings.key_grace_ms)
        .await?;
    let Ok(claims) = verify_jwt_signature(token, &keys) else {
        return Ok(None);
    };
    if claims.get("st").and_then(Value::as_str) != Some(TICKET_TYPE) {
        return Ok(None);
    }
    Ok(claims.get("sid").and_then(Value::as_str).map(str::to_owned))
}

/// Where an organization invitation's link sends the browser when the invitation was made
/// with a `redirect_url` and is still pending: that URL with `__clerk_ticket` and
/// `__clerk_status` (`sign_in` if a user has the invited address, else `sign_up`), as
/// Clerk's link does, so the app's own page finishes the flow. `None` for any other ticket.
pub(crate) async fn ticket_redirect(svc: &Services, token: &str) -> Result<Option<String>> {
    let Some(id) = ticket_invitation_id(svc, token).await? else {
        return Ok(None);
    };
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let record = match store::get(work.tx(), None, &id).await {
        Ok(record) => record,
        Err(StoreError::NotFound { .. }) => return Ok(None),
        Err(other) => return Err(other.into()),
    };
    let Some(target) = record
        .redirect_url
        .clone()
        .filter(|_| record.status_at(now) == "pending")
    else {
        return Ok(None);
    };
    let status = match store::user_with_email(work.tx(), &record.email_address).await? {
        Some(_) => "sign_in",
        None => "sign_up",
    };
    work.commit().await?;
    let joiner = if target.contains('?') { '&' } else { '?' };
    Ok(Some(format!(
        "{target}{joiner}__clerk_ticket={token}&__clerk_status={status}"
    )))
}

/// Who accepts an invitation.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Invitee<'a> {
    /// This user (the local accept endpoint's `user_id`, or the user a ticket sign-up
    /// has just created).
    User(&'a str),
    /// The user who has the invited email address; refused if there is none.
    ByEmail,
    /// The user who has the invited email address or, if there is none, a new user with
    /// it (verified), as a redeemed ticket makes one.
    ByEmailOrNew,
}

/// An accepted invitation and the member it made.
#[derive(Debug)]
pub(crate) struct Accepted {
    pub invitation: Invitation,
    pub user_id: String,
    /// Whether accepting it created the user ([`Invitee::ByEmailOrNew`]).
    pub user_created: bool,
}

/// Accepts a pending invitation (the local extension): `user_id`, or else the user who has
/// the invited email address, becomes a member with the invited role and the invitation's
/// metadata.
pub(crate) async fn accept(svc: &Services, id: &str, user_id: Option<&str>) -> Result<Invitation> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let who = user_id.map_or(Invitee::ByEmail, Invitee::User);
    let accepted = accept_in(svc, &mut work, id, who, now).await?;
    work.commit().await?;
    Ok(accepted.invitation)
}

/// Accepts the pending invitation `id` in `work`, which the caller commits: the one
/// operation behind the local accept endpoint and every redemption of the invitation's
/// ticket (`POST /v1/_local/tickets/redeem`, a browser's sign-in or sign-up with it).
///
/// The organization is locked first and the invitation read again under the lock, so of
/// two concurrent acceptances one makes the member and the other finds it accepted. The
/// member gets the invited role and the invitation's metadata;
/// `organizationMembership.created` then `organizationInvitation.accepted` go out in
/// `work`.
pub(crate) async fn accept_in(
    svc: &Services,
    work: &mut UnitOfWork,
    id: &str,
    who: Invitee<'_>,
    now: i64,
) -> Result<Accepted> {
    catalog::hold(svc, work).await?;
    let organization_id = store::get(work.tx(), None, id).await?.organization_id;
    let organization =
        organizations::lock(work.tx(), svc.store.dialect(), &organization_id).await?;
    let mut record = store::get(work.tx(), Some(&organization.id), id).await?;
    check_pending(&record, now)?;
    let mut user_created = false;
    let user_id = match who {
        Invitee::User(user_id) => {
            if users::load(work.tx(), svc.store.dialect(), user_id, "")
                .await?
                .is_none()
            {
                return Err(StoreError::not_found("user", user_id).into());
            }
            user_id.to_owned()
        }
        Invitee::ByEmail | Invitee::ByEmailOrNew => {
            match store::user_with_email(work.tx(), &record.email_address).await? {
                Some(user_id) => user_id,
                None if matches!(who, Invitee::ByEmailOrNew) => {
                    user_created = true;
                    invited_user(svc, work, &record.email_address).await?
                }
                None => {
                    return Err(Rule::refused(
                        "organization_invitation_identification_not_exist",
                        "no user with this email address",
                        format!(
                            "No user has the email address {}: create one, or name the user with user_id.",
                            record.email_address
                        ),
                    )
                    .with_param("user_id")
                    .into());
                }
            }
        }
    };
    // The invitation itself was counted against the limit: accepting it swaps a pending
    // invitation for a member, so the quota is not checked again.
    let membership = MembershipRecord {
        id: ids::new_id(prefix::ORGANIZATION_MEMBERSHIP, now),
        organization_id: organization.id.clone(),
        user_id: user_id.clone(),
        role: record.role.clone(),
        public_metadata: record.public_metadata.clone(),
        private_metadata: record.private_metadata.clone(),
        created_at: now,
        updated_at: now,
    };
    membership_store::insert(work.tx(), &membership)
        .await
        .map_err(|err| match err {
            StoreError::Taken(Unique::Membership) => already_a_member(&user_id),
            other => other.into(),
        })?;
    record.status = "accepted".to_owned();
    record.updated_at = now;
    store::save_status(work.tx(), &record).await?;
    let invitation = shown(work, &organization.id, id).await?;
    super::memberships::emit(
        svc,
        work,
        "organizationMembership.created",
        &organization.id,
        &user_id,
        now,
    )
    .await?;
    let tickets = InvitationTickets::of(svc).await?;
    let accepted = AcceptedInvitationJson::new(&invitation, &user_id, &svc.issuer, &tickets, now);
    svc.events
        .emit(work, "organizationInvitation.accepted", &accepted, now)
        .await?;
    Ok(Accepted {
        invitation,
        user_id,
        user_created,
    })
}

/// A new user with the invited (verified) address, with its `user.created` event: the
/// invitee a redeemed ticket signs in when nobody has the address yet.
async fn invited_user(svc: &Services, work: &mut UnitOfWork, email: &str) -> Result<String> {
    let new = NewUser {
        email_addresses: vec![NewIdentifier {
            value: email.to_owned(),
            verified: true,
            reserved: false,
        }],
        delete_self_enabled: true,
        create_organization_enabled: true,
        ..NewUser::default()
    };
    Ok(crate::domain::users::create_in(svc, work, new)
        .await?
        .record
        .id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_days_are_bounded() {
        assert!(check_expires_in_days(1).is_ok());
        assert!(check_expires_in_days(365).is_ok());
        assert!(check_expires_in_days(0).is_err());
        assert!(check_expires_in_days(366).is_err());
    }
}
