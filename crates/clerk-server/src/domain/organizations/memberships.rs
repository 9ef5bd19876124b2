//! Memberships: adding a user to an organization, changing a member's role or metadata,
//! removing a member.
//!
//! Two rules hold whatever the order of concurrent requests, because each change locks the
//! organization first: an organization never has more members plus pending invitations
//! than its `max_allowed_memberships` (0: no limit), and one that has a member able to
//! manage members (`org:sys_memberships:manage`) keeps one.
//!
//! Each change emits `organizationMembership.created`, `.updated` or `.deleted` with the
//! membership as the API shows it (with its organization and its member's public data).

use serde_json::Map;

use super::{MetadataChange, catalog};
use crate::domain::error::{Error, Result, Rule, RuleKind};
use crate::domain::services::Services;
use crate::ids::{self, prefix};
use crate::store::organizations::memberships::{self as store, Membership, MembershipRecord};
use crate::store::organizations::roles::{self as role_store, Role};
use crate::store::organizations::{
    self as organizations, MANAGE_MEMBERSHIPS, OrganizationRecord, invitations,
};
use crate::store::{StoreError, Unique, UnitOfWork, users};
use crate::wire::MembershipJson;

/// `POST /v1/organizations/{id}/memberships`.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewMembership {
    pub user_id: String,
    pub role: String,
    pub public_metadata: Option<Map<String, serde_json::Value>>,
    pub private_metadata: Option<Map<String, serde_json::Value>>,
}

/// The role `key` if the organization may give it (it is in the organization's role set):
/// 404 `resource_not_found` about `param` otherwise, as Clerk answers an unknown role.
pub(crate) async fn role_of(
    work: &mut UnitOfWork,
    organization: &OrganizationRecord,
    key: &str,
    param: &str,
) -> Result<Role> {
    let not_found = || {
        Error::from(
            Rule::refused(
                "resource_not_found",
                "not found",
                "Organization role not found",
            )
            .with_kind(RuleKind::NotFound)
            .with_param(param),
        )
    };
    let role = role_store::role_by_key(work.tx(), key)
        .await?
        .ok_or_else(not_found)?;
    if let Some(set_key) = &organization.role_set_key
        && let Some(set) = role_store::role_set(work.tx(), set_key).await?
        && !set.has_key(key)
    {
        return Err(not_found());
    }
    Ok(role)
}

/// 403 `organization_membership_quota_exceeded` unless the organization can take one more
/// member or invitation: members and pending invitations together stay within its limit.
pub(crate) async fn check_quota(
    work: &mut UnitOfWork,
    organization: &OrganizationRecord,
    now_ms: i64,
) -> Result<()> {
    let limit = organization.max_allowed_memberships;
    if limit <= 0 {
        return Ok(());
    }
    let members = organizations::members_count(work.tx(), &organization.id).await?;
    let pending = invitations::count_pending(work.tx(), &organization.id, now_ms).await?;
    if members + pending < limit {
        return Ok(());
    }
    Err(Rule::refused(
        "organization_membership_quota_exceeded",
        "organization membership quota exceeded",
        format!(
            "You have reached your limit of {limit} organization memberships, including outstanding invitations."
        ),
    )
    .with_kind(RuleKind::Forbidden)
    .into())
}

/// 422 `organization_minimum_permissions_needed` if the member `old` is the last one whose
/// role can manage members and the change takes that away.
async fn check_keeps_a_manager(
    work: &mut UnitOfWork,
    old: &MembershipRecord,
    new_role: Option<&Role>,
) -> Result<()> {
    let old_role = role_store::role_by_key(work.tx(), &old.role).await?;
    let was_manager = old_role.is_some_and(|r| r.has(MANAGE_MEMBERSHIPS));
    let stays_manager = new_role.is_some_and(|r| r.has(MANAGE_MEMBERSHIPS));
    if !was_manager || stays_manager {
        return Ok(());
    }
    if store::count_holding(work.tx(), &old.organization_id, MANAGE_MEMBERSHIPS).await? > 1 {
        return Ok(());
    }
    Err(Rule::refused(
        "organization_minimum_permissions_needed",
        "minimum organization permissions needed",
        "There has to be at least one organization member with the minimum required permissions",
    )
    .with_kind(RuleKind::Unprocessable)
    .into())
}

/// Adds a user to an organization.
pub(crate) async fn create(
    svc: &Services,
    organization_id: &str,
    new: NewMembership,
) -> Result<Membership> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    catalog::hold(svc, &mut work).await?;
    let organization = organizations::lock(work.tx(), svc.store.dialect(), organization_id).await?;
    if users::load(work.tx(), svc.store.dialect(), &new.user_id, "")
        .await?
        .is_none()
    {
        return Err(StoreError::not_found("user", &new.user_id).into());
    }
    let role = role_of(&mut work, &organization, &new.role, "role").await?;
    check_quota(&mut work, &organization, now).await?;
    let mut record = MembershipRecord {
        id: ids::new_id(prefix::ORGANIZATION_MEMBERSHIP, now),
        organization_id: organization.id.clone(),
        user_id: new.user_id.clone(),
        role: role.record.key,
        public_metadata: Map::new(),
        private_metadata: Map::new(),
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
    store::insert(work.tx(), &record)
        .await
        .map_err(|err| match err {
            StoreError::Taken(Unique::Membership) => already_a_member(&new.user_id),
            other => other.into(),
        })?;
    finish(
        svc,
        work,
        "organizationMembership.created",
        &organization.id,
        &new.user_id,
    )
    .await
}

/// 400 `already_a_member_in_organization`.
pub(crate) fn already_a_member(user_id: &str) -> Error {
    Rule::refused(
        "already_a_member_in_organization",
        "already a member",
        format!("{user_id} is already a member of the organization."),
    )
    .into()
}

/// Reads the membership back as it is shown, emits `event_type` with it and commits.
async fn finish(
    svc: &Services,
    mut work: UnitOfWork,
    event_type: &'static str,
    organization_id: &str,
    user_id: &str,
) -> Result<Membership> {
    let shown = emit(
        svc,
        &mut work,
        event_type,
        organization_id,
        user_id,
        svc.now_ms(),
    )
    .await?;
    work.commit().await?;
    Ok(shown)
}

/// Emits `event_type` with the membership of `user_id` in `organization_id` as it now
/// reads in `work` (as a `GET` shows it); returns it.
pub(crate) async fn emit(
    svc: &Services,
    work: &mut UnitOfWork,
    event_type: &'static str,
    organization_id: &str,
    user_id: &str,
    now_ms: i64,
) -> Result<Membership> {
    let shown = store::load(work.tx(), organization_id, user_id)
        .await?
        .ok_or_else(|| StoreError::not_found("organization membership", user_id))?;
    emit_shown(svc, work, event_type, &shown, now_ms).await?;
    Ok(shown)
}

/// Emits `organizationMembership.updated` for each membership of `members` (organization
/// and user ids; changed by a change to roles or role sets), as each now reads in `work`.
pub(crate) async fn emit_updated_each(
    svc: &Services,
    work: &mut UnitOfWork,
    members: &[(String, String)],
    now_ms: i64,
) -> Result<()> {
    for (organization_id, user_id) in members {
        emit(
            svc,
            work,
            "organizationMembership.updated",
            organization_id,
            user_id,
            now_ms,
        )
        .await?;
    }
    Ok(())
}

/// Emits `event_type` with `membership` as its data.
async fn emit_shown(
    svc: &Services,
    work: &mut UnitOfWork,
    event_type: &'static str,
    membership: &Membership,
    now_ms: i64,
) -> Result<()> {
    let view = MembershipJson::new(membership, &svc.issuer);
    svc.events.emit(work, event_type, &view, now_ms).await?;
    Ok(())
}

/// Changes a member's role.
pub(crate) async fn update_role(
    svc: &Services,
    organization_id: &str,
    user_id: &str,
    role_key: &str,
) -> Result<Membership> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    catalog::hold(svc, &mut work).await?;
    let organization = organizations::lock(work.tx(), svc.store.dialect(), organization_id).await?;
    let mut record = store::get(work.tx(), &organization.id, user_id).await?;
    let role = role_of(&mut work, &organization, role_key, "role").await?;
    check_keeps_a_manager(&mut work, &record, Some(&role)).await?;
    record.role = role.record.key;
    record.updated_at = svc.now_ms();
    store::save(work.tx(), &record).await?;
    finish(
        svc,
        work,
        "organizationMembership.updated",
        &organization.id,
        user_id,
    )
    .await
}

/// Merges metadata into a member's.
pub(crate) async fn update_metadata(
    svc: &Services,
    organization_id: &str,
    user_id: &str,
    change: MetadataChange,
) -> Result<Membership> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let organization = organizations::lock(work.tx(), svc.store.dialect(), organization_id).await?;
    let mut record = store::get(work.tx(), &organization.id, user_id).await?;
    change.apply(
        &mut record.public_metadata,
        &mut record.private_metadata,
        true,
    )?;
    record.updated_at = svc.now_ms();
    store::save(work.tx(), &record).await?;
    finish(
        svc,
        work,
        "organizationMembership.updated",
        &organization.id,
        user_id,
    )
    .await
}

/// Removes a member; returns the membership as it was.
pub(crate) async fn delete(
    svc: &Services,
    organization_id: &str,
    user_id: &str,
) -> Result<Membership> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let organization = organizations::lock(work.tx(), svc.store.dialect(), organization_id).await?;
    let record = store::get(work.tx(), &organization.id, user_id).await?;
    check_keeps_a_manager(&mut work, &record, None).await?;
    let shown = store::load(work.tx(), &organization.id, user_id)
        .await?
        .ok_or_else(|| StoreError::not_found("organization membership", user_id))?;
    store::delete(work.tx(), &organization.id, user_id).await?;
    emit_shown(
        svc,
        &mut work,
        "organizationMembership.deleted",
        &shown,
        svc.now_ms(),
    )
    .await?;
    work.commit().await?;
    Ok(shown)
}
