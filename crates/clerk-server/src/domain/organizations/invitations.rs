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

use serde_json::{Map, Value};

use super::memberships::{already_a_member, check_quota, role_of};
use super::{MetadataChange, catalog};
use crate::domain::error::{Error, Result, Rule, RuleKind};
use crate::domain::identifiers::normalize_email;
use crate::domain::message_templates::render;
use crate::domain::services::Services;
use crate::ids::{self, prefix};
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
    let action_url = record
        .redirect_url
        .clone()
        .unwrap_or_else(|| format!("{}/sign-in", svc.issuer.trim_end_matches('/')));
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
    let view = InvitationJson::new(invitation, &svc.issuer, now_ms);
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

/// Accepts a pending invitation (the local extension): `user_id`, or else the user who has
/// the invited email address, becomes a member with the invited role and the invitation's
/// metadata.
pub(crate) async fn accept(svc: &Services, id: &str, user_id: Option<&str>) -> Result<Invitation> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    catalog::hold(svc, &mut work).await?;
    let organization_id = store::get(work.tx(), None, id).await?.organization_id;
    let organization =
        organizations::lock(work.tx(), svc.store.dialect(), &organization_id).await?;
    let mut record = store::get(work.tx(), Some(&organization.id), id).await?;
    check_pending(&record, now)?;
    let user_id = match user_id {
        Some(user_id) => {
            if users::load(work.tx(), svc.store.dialect(), user_id, "")
                .await?
                .is_none()
            {
                return Err(StoreError::not_found("user", user_id).into());
            }
            user_id.to_owned()
        }
        None => store::user_with_email(work.tx(), &record.email_address)
            .await?
            .ok_or_else(|| {
                Error::from(
                    Rule::refused(
                        "organization_invitation_identification_not_exist",
                        "no user with this email address",
                        format!(
                            "No user has the email address {}: create one, or name the user with user_id.",
                            record.email_address
                        ),
                    )
                    .with_param("user_id"),
                )
            })?,
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
    let invitation = shown(&mut work, &organization.id, id).await?;
    super::memberships::emit(
        svc,
        &mut work,
        "organizationMembership.created",
        &organization.id,
        &user_id,
        now,
    )
    .await?;
    let accepted = AcceptedInvitationJson::new(&invitation, &user_id, &svc.issuer, now);
    svc.events
        .emit(&mut work, "organizationInvitation.accepted", &accepted, now)
        .await?;
    work.commit().await?;
    Ok(invitation)
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
