//! The instance's organization permissions and roles: creating, changing and deleting them,
//! and assigning permissions to roles. Clerk's system permissions (`org:sys_*`) cannot be
//! changed.
//!
//! Every change locks the instance row first, so that concurrent changes to the catalog
//! take turns (its quotas and the creator-role rule hold whatever their order).
//! Memberships name their role by key and session tokens read the role's permissions when
//! they are minted, so a change here shows in the next token.
//!
//! Each change emits `permission.created`/`.updated`/`.deleted` or
//! `role.created`/`.updated`/`.deleted` (assigning or taking a permission is a
//! `role.updated`). A change to a permission emits only `permission.*`, not a
//! `role.updated` for each role that holds it (the roles themselves did not change); a
//! role's new key, carried to its members, also emits `organizationMembership.updated` for
//! each of them.

use clerk_core::Patch;

use super::catalog::{self, CREATOR_PERMISSIONS};
use super::memberships;
use crate::domain::error::{Error, Result, Rule, RuleKind};
use crate::domain::services::Services;
use crate::ids::{self, prefix};
use crate::store::organizations::memberships as membership_store;
use crate::store::organizations::roles::{
    self as store, PermissionRecord, Role, RoleRecord, SYSTEM, USER,
};
use crate::store::{StoreError, UnitOfWork, instance};
use crate::wire::{DeletedObject, PermissionJson, RoleJson};

/// What `POST /v1/organization_permissions` gives.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewPermission {
    pub name: String,
    pub key: String,
    pub description: Option<String>,
}

/// `PATCH /v1/organization_permissions/{id}`: each field that is `Some` changes.
#[derive(Debug, Clone, Default)]
pub(crate) struct PermissionChange {
    pub name: Option<String>,
    pub key: Option<String>,
    pub description: Option<String>,
}

/// What `POST /v1/organization_roles` gives.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewRole {
    pub name: String,
    pub key: String,
    pub description: Option<String>,
    /// Permission ids.
    pub permissions: Vec<String>,
    pub include_in_initial_role_set: bool,
}

/// `PATCH /v1/organization_roles/{id}`.
#[derive(Debug, Clone, Default)]
pub(crate) struct RoleChange {
    pub name: Option<String>,
    pub key: Option<String>,
    pub description: Patch<String>,
    /// Replaces the role's permissions (ids) when given.
    pub permissions: Option<Vec<String>>,
}

/// Whether `segment` is lowercase letters, digits and underscores, and not empty.
fn is_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// 422 unless `key` is `org:<feature>:<action>` and not a system key.
fn check_permission_key(key: &str) -> Result<String> {
    let parts: Vec<&str> = key.split(':').collect();
    let valid =
        parts.len() == 3 && parts[0] == "org" && is_segment(parts[1]) && is_segment(parts[2]);
    if !valid {
        return Err(Rule::format_invalid(
            "key",
            "key must have the format org:<feature>:<action>, where feature and action consist of lowercase letters, digits or underscores.",
        )
        .into());
    }
    if parts[1].starts_with("sys_") {
        return Err(Rule::value_invalid(
            "key",
            "key cannot begin with org:sys_, which is reserved for system permissions.",
        )
        .into());
    }
    Ok(key.to_owned())
}

/// 422 unless `key` is `org:<name>`, the name lowercase letters, digits and underscores.
fn check_role_key(key: &str) -> Result<String> {
    match key.strip_prefix("org:") {
        Some(name) if is_segment(name) => Ok(key.to_owned()),
        _ => Err(Rule::format_invalid(
            "key",
            "key must start with org: and contain only lowercase alphanumeric characters and underscores.",
        )
        .into()),
    }
}

/// 422 unless `name` is not blank; answers it trimmed.
pub(crate) fn check_name(name: &str) -> Result<String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(Rule::value_invalid("name", "name must not be blank.").into());
    }
    Ok(trimmed.to_owned())
}

/// `refusal`, as 403, once `count` has reached the catalog's quota `limit`.
pub(crate) fn check_quota(count: i64, limit: i64, refusal: Rule) -> Result<()> {
    if count >= limit {
        return Err(refusal.with_kind(RuleKind::Forbidden).into());
    }
    Ok(())
}

/// 403 `organization_system_permission_not_modifiable` for a system permission.
fn check_modifiable(permission: &PermissionRecord) -> Result<()> {
    if permission.kind != SYSTEM {
        return Ok(());
    }
    Err(Rule::refused(
        "organization_system_permission_not_modifiable",
        "organization system permission cannot be modified",
        "This organization permission cannot be modified because it is a system permission.",
    )
    .with_kind(RuleKind::Forbidden)
    .into())
}

/// Creates one of the instance's own permissions.
pub(crate) async fn create_permission(
    svc: &Services,
    new: NewPermission,
) -> Result<PermissionRecord> {
    let name = check_name(&new.name)?;
    let key = check_permission_key(&new.key)?;
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let limit = catalog::lock(svc, &mut work)
        .await?
        .settings
        .organizations
        .max_allowed_permissions;
    check_quota(
        store::count_user_permissions(work.tx()).await?,
        limit,
        Rule::refused(
            "organization_instance_permissions_quota_exceeded",
            "organization permissions for instance quota exceeded",
            format!(
                "You have reached your limit of {limit} organization permissions per instance."
            ),
        ),
    )?;
    let permission = PermissionRecord {
        id: ids::new_id(prefix::PERMISSION, now),
        key,
        name,
        description: new.description.unwrap_or_default(),
        kind: USER.to_owned(),
        created_at: now,
        updated_at: now,
    };
    store::insert_permission(work.tx(), &permission).await?;
    emit_permission(svc, &mut work, "permission.created", &permission).await?;
    work.commit().await?;
    Ok(permission)
}

/// Emits `event_type` with the permission as a `GET` shows it.
async fn emit_permission(
    svc: &Services,
    work: &mut UnitOfWork,
    event_type: &'static str,
    permission: &PermissionRecord,
) -> Result<()> {
    let view = PermissionJson::new(permission);
    svc.events
        .emit(work, event_type, &view, permission.updated_at)
        .await?;
    Ok(())
}

/// Emits `event_type` with the role as a `GET` shows it.
async fn emit_role(
    svc: &Services,
    work: &mut UnitOfWork,
    event_type: &'static str,
    role: &Role,
) -> Result<()> {
    let view = RoleJson::new(role);
    svc.events
        .emit(work, event_type, &view, role.record.updated_at)
        .await?;
    Ok(())
}

/// Emits `event_type` (`role.deleted` or `permission.deleted`) for the object `id`.
async fn emit_deleted(
    svc: &Services,
    work: &mut UnitOfWork,
    event_type: &'static str,
    object: &str,
    id: &str,
) -> Result<()> {
    let deleted = DeletedObject::new(object, id);
    svc.events
        .emit(work, event_type, &deleted, svc.now_ms())
        .await?;
    Ok(())
}

/// The permission `id`, 404 if there is none.
async fn permission_of(work: &mut UnitOfWork, id: &str) -> Result<PermissionRecord> {
    store::permission(work.tx(), id)
        .await?
        .ok_or_else(|| StoreError::not_found("permission", id).into())
}

/// Changes one of the instance's own permissions.
pub(crate) async fn update_permission(
    svc: &Services,
    id: &str,
    change: PermissionChange,
) -> Result<PermissionRecord> {
    let name = change.name.as_deref().map(check_name).transpose()?;
    let key = change
        .key
        .as_deref()
        .map(check_permission_key)
        .transpose()?;
    let mut work = UnitOfWork::begin(&svc.store).await?;
    catalog::lock(svc, &mut work).await?;
    let mut permission = permission_of(&mut work, id).await?;
    check_modifiable(&permission)?;
    if let Some(name) = name {
        permission.name = name;
    }
    if let Some(key) = key {
        permission.key = key;
    }
    if let Some(description) = change.description {
        permission.description = description;
    }
    permission.updated_at = svc.now_ms();
    store::save_permission(work.tx(), &permission).await?;
    emit_permission(svc, &mut work, "permission.updated", &permission).await?;
    work.commit().await?;
    Ok(permission)
}

/// Deletes one of the instance's own permissions, taking it from every role.
pub(crate) async fn delete_permission(svc: &Services, id: &str) -> Result<PermissionRecord> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    catalog::lock(svc, &mut work).await?;
    let permission = permission_of(&mut work, id).await?;
    check_modifiable(&permission)?;
    store::delete_permission(work.tx(), id).await?;
    emit_deleted(svc, &mut work, "permission.deleted", "permission", id).await?;
    work.commit().await?;
    Ok(permission)
}

/// The permission ids given, each existing (404 otherwise), without repeats.
async fn permission_ids(work: &mut UnitOfWork, ids: &[String]) -> Result<Vec<String>> {
    let mut unique: Vec<String> = Vec::new();
    for id in ids {
        if !unique.contains(id) {
            unique.push(id.clone());
        }
    }
    let found = store::permissions_by_id(work.tx(), &unique).await?;
    if found.len() != unique.len() {
        return Err(Rule::refused(
            "resource_not_found",
            "not found",
            "Organization permission not found",
        )
        .with_kind(RuleKind::NotFound)
        .with_param("permissions")
        .into());
    }
    Ok(unique)
}

/// The role `id`, 404 if there is none.
async fn role_of(work: &mut UnitOfWork, id: &str) -> Result<Role> {
    store::role(work.tx(), id)
        .await?
        .ok_or_else(|| StoreError::not_found("organization role", id).into())
}

/// Whether a role may be an organization's creator role: it holds every permission needed
/// to run the organization.
pub(crate) fn is_creator_eligible(role: &Role) -> bool {
    CREATOR_PERMISSIONS.iter().all(|key| role.has(key))
}

/// 422 `organization_missing_creator_role_permissions` unless `role` may be a creator role.
pub(crate) fn check_creator_eligible(role: &Role) -> Result<()> {
    if is_creator_eligible(role) {
        return Ok(());
    }
    Err(Rule::refused(
        "organization_missing_creator_role_permissions",
        "missing permissions for creator role",
        format!(
            "The creator role must contain the following permissions: {}",
            CREATOR_PERMISSIONS.join(", ")
        ),
    )
    .with_kind(RuleKind::Unprocessable)
    .into())
}

/// The role as it is now in the transaction; it still must be a creator role where it is
/// one.
async fn check_still_creator_eligible(work: &mut UnitOfWork, role_id: &str) -> Result<Role> {
    let role = role_of(work, role_id).await?;
    let is_creator = store::role_sets_holding(work.tx(), role_id)
        .await?
        .iter()
        .any(|set| set.record.creator_role_id == role_id);
    if is_creator {
        check_creator_eligible(&role)?;
    }
    Ok(role)
}

/// Creates a role.
pub(crate) async fn create_role(svc: &Services, new: NewRole) -> Result<Role> {
    let name = check_name(&new.name)?;
    let key = check_role_key(&new.key)?;
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let limit = catalog::lock(svc, &mut work)
        .await?
        .settings
        .organizations
        .max_allowed_roles;
    check_quota(
        store::count_roles(work.tx()).await?,
        limit,
        Rule::refused(
            "organization_instance_roles_quota_exceeded",
            "organization roles for instance quota exceeded",
            format!("You have reached your limit of {limit} organization roles per instance."),
        ),
    )?;
    let permissions = permission_ids(&mut work, &new.permissions).await?;
    let record = RoleRecord {
        id: ids::new_id(prefix::ROLE, now),
        key,
        name,
        description: new.description,
        created_at: now,
        updated_at: now,
    };
    store::insert_role(work.tx(), &record).await?;
    store::set_role_permissions(work.tx(), &record.id, &permissions, now).await?;
    if new.include_in_initial_role_set
        && let Some(set) = store::initial_role_set(work.tx()).await?
    {
        store::add_role_set_roles(work.tx(), &set.record.id, &[&record.id], now).await?;
    }
    let role = role_of(&mut work, &record.id).await?;
    emit_role(svc, &mut work, "role.created", &role).await?;
    work.commit().await?;
    Ok(role)
}

/// Changes a role; a new key is carried to the memberships and invitations that have it
/// (and to the domains' default role).
pub(crate) async fn update_role(svc: &Services, id: &str, change: RoleChange) -> Result<Role> {
    let name = change.name.as_deref().map(check_name).transpose()?;
    let key = change.key.as_deref().map(check_role_key).transpose()?;
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let settings = catalog::lock(svc, &mut work).await?.settings.organizations;
    let mut record = role_of(&mut work, id).await?.record;
    if let Some(name) = name {
        record.name = name;
    }
    match change.description {
        Patch::Unchanged => {}
        Patch::Null => record.description = None,
        Patch::Set(description) => record.description = Some(description),
    }
    let old_key = record.key.clone();
    if let Some(key) = key {
        record.key = key;
    }
    record.updated_at = now;
    store::save_role(work.tx(), &record).await?;
    let mut renamed = Vec::new();
    if record.key != old_key {
        renamed = membership_store::with_roles(work.tx(), &[&old_key], None).await?;
        store::rename_role_key(work.tx(), &old_key, &record.key).await?;
        if settings.domains_default_role == old_key {
            let new_key = record.key.clone();
            instance::update_settings(work.tx(), svc.store.dialect(), now, |s| {
                s.organizations.domains_default_role = new_key;
            })
            .await?;
        }
    }
    if let Some(permissions) = &change.permissions {
        let permissions = permission_ids(&mut work, permissions).await?;
        store::set_role_permissions(work.tx(), id, &permissions, now).await?;
    }
    let role = check_still_creator_eligible(&mut work, id).await?;
    emit_role(svc, &mut work, "role.updated", &role).await?;
    memberships::emit_updated_each(svc, &mut work, &renamed, now).await?;
    work.commit().await?;
    Ok(role)
}

/// 422 with `code` and `long_message` (a role in use).
fn in_use(code: &'static str, message: &str, long_message: &str) -> Error {
    Rule::refused(code, message, long_message)
        .with_kind(RuleKind::Unprocessable)
        .into()
}

/// Deletes a role no member, pending invitation, role set (as its default or creator role)
/// or the domains' settings use.
pub(crate) async fn delete_role(svc: &Services, id: &str) -> Result<RoleRecord> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let settings = catalog::lock(svc, &mut work).await?.settings.organizations;
    let role = role_of(&mut work, id).await?.record;
    let sets = store::role_sets_holding(work.tx(), id).await?;
    if sets.iter().any(|s| s.record.creator_role_id == role.id) {
        return Err(in_use(
            "organization_role_default_creator_role",
            "role is used as the creator role",
            "The organization role cannot be deleted as it is currently used as the creator role.",
        ));
    }
    if sets.iter().any(|s| s.record.default_role_id == role.id) {
        return Err(in_use(
            "organization_role_default_creator_role",
            "role is used as the default role",
            "The organization role cannot be deleted as it is currently used as the default role.",
        ));
    }
    if settings.domains_default_role == role.key {
        return Err(in_use(
            "organization_role_domain_default_role",
            "role is used as the domain default role",
            "The organization role cannot be deleted as it is currently used as the default domain role.",
        ));
    }
    let (members, invitations) = store::role_usage(work.tx(), &role.key, svc.now_ms()).await?;
    if members > 0 {
        return Err(in_use(
            "organization_role_assigned_members",
            "role is assigned to organization members",
            "The organization role is currently assigned to one or more organization members.",
        ));
    }
    if invitations > 0 {
        return Err(in_use(
            "organization_role_exists_in_invitations",
            "role exists in pending organization invitations",
            "The organization role exists in one or more pending organization invitations. Please revoke these invitations to proceed.",
        ));
    }
    store::delete_role(work.tx(), id).await?;
    emit_deleted(svc, &mut work, "role.deleted", "role", id).await?;
    work.commit().await?;
    Ok(role)
}

/// Gives a role a permission: 409 if it has it already.
pub(crate) async fn assign_permission(
    svc: &Services,
    role_id: &str,
    permission_id: &str,
) -> Result<Role> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    catalog::lock(svc, &mut work).await?;
    let mut role = role_of(&mut work, role_id).await?.record;
    permission_of(&mut work, permission_id).await?;
    if !store::add_role_permission(work.tx(), role_id, permission_id, now).await? {
        return Err(Rule::refused(
            "organization_role_permission_association_exists",
            "permission already assigned to role",
            "This organization permission is already associated to this organization role.",
        )
        .with_kind(RuleKind::Conflict)
        .into());
    }
    role.updated_at = now;
    store::save_role(work.tx(), &role).await?;
    let role = role_of(&mut work, role_id).await?;
    emit_role(svc, &mut work, "role.updated", &role).await?;
    work.commit().await?;
    Ok(role)
}

/// Takes a permission from a role: 404 if it does not have it; 422 if the role is a creator
/// role and needs it.
pub(crate) async fn remove_permission(
    svc: &Services,
    role_id: &str,
    permission_id: &str,
) -> Result<Role> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    catalog::lock(svc, &mut work).await?;
    let mut role = role_of(&mut work, role_id).await?.record;
    permission_of(&mut work, permission_id).await?;
    if !store::role_has_permission(work.tx(), role_id, permission_id).await? {
        return Err(Rule::refused(
            "organization_role_permission_association_not_found",
            "permission not assigned to role",
            "This organization permission is not associated to this organization role.",
        )
        .with_kind(RuleKind::NotFound)
        .into());
    }
    store::remove_role_permission(work.tx(), role_id, permission_id).await?;
    role.updated_at = now;
    store::save_role(work.tx(), &role).await?;
    let role = check_still_creator_eligible(&mut work, role_id).await?;
    emit_role(svc, &mut work, "role.updated", &role).await?;
    work.commit().await?;
    Ok(role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked() {
        assert!(check_permission_key("org:invoices:read").is_ok());
        assert!(check_permission_key("org:team_2:manage_all").is_ok());
        assert!(check_permission_key("org:invoices").is_err());
        assert!(check_permission_key("org:Invoices:read").is_err());
        assert!(check_permission_key("org:a:b:c").is_err());
        assert!(check_permission_key("app:a:b").is_err());
        assert!(check_permission_key("org:sys_profile:manage").is_err());
        assert!(check_role_key("org:billing").is_ok());
        assert!(check_role_key("org:billing_admin2").is_ok());
        assert!(check_role_key("billing").is_err());
        assert!(check_role_key("org:").is_err());
        assert!(check_role_key("org:a:b").is_err());
        assert!(check_role_key("org:Billing").is_err());
    }
}
