//! Role sets: the roles an organization may give, with its default and creator roles.
//!
//! Organizations name their role set by key, so a key change is carried to them. Moving
//! organizations to another role set (`replace`) or taking a role out of a set
//! (`roles/replace`) reassigns the members' and pending invitations' roles in the same
//! transaction: here a migration is finished when the request answers, so a role set never
//! shows a `role_set_migration` in progress.
//!
//! Clerk has no webhook events for role sets; what a change to one also changes emits its
//! own, one per object: `organization.updated` for each organization moved to another role
//! set or whose role set's key changed, `organizationMembership.updated` for each member
//! given another role (pending invitations given another role have no event: Clerk has no
//! `organizationInvitation.updated`).

use std::collections::BTreeMap;

use clerk_core::Patch;

use super::roles::{check_creator_eligible, check_name, check_quota};
use super::{catalog, memberships};
use crate::domain::error::{Error, Result, Rule, RuleKind};
use crate::domain::services::Services;
use crate::ids::{self, prefix};
use crate::store::organizations::roles::{
    self as store, CUSTOM, INITIAL, Role, RoleSet, RoleSetRecord,
};
use crate::store::organizations::{self as organizations, memberships as membership_store};
use crate::store::{StoreError, UnitOfWork};

/// The most roles one request may put in a role set.
const MAX_ROLES_PER_REQUEST: usize = 10;

/// What `POST /v1/role_sets` gives.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewRoleSet {
    pub name: String,
    pub key: Option<String>,
    pub description: Option<String>,
    pub default_role_key: String,
    pub creator_role_key: String,
    /// `initial` or `custom` (the default).
    pub kind: Option<String>,
    pub roles: Vec<String>,
}

/// `PATCH /v1/role_sets/{key_or_id}`.
#[derive(Debug, Clone, Default)]
pub(crate) struct RoleSetChange {
    pub name: Option<String>,
    pub key: Option<String>,
    pub description: Patch<String>,
    /// Only `initial`.
    pub kind: Option<String>,
    pub default_role_key: Option<String>,
    pub creator_role_key: Option<String>,
}

/// `POST /v1/role_sets/{key_or_id}/roles`.
#[derive(Debug, Clone, Default)]
pub(crate) struct AddRoles {
    pub role_keys: Vec<String>,
    pub default_role_key: Option<String>,
    pub creator_role_key: Option<String>,
}

/// 422 unless `key` is `role_set:<name>`, the name lowercase letters, digits and
/// underscores.
fn check_key(key: &str) -> Result<String> {
    let valid = key.strip_prefix("role_set:").is_some_and(|name| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    });
    if !valid {
        return Err(Rule::format_invalid(
            "key",
            "key must start with role_set: and contain only lowercase alphanumeric characters and underscores.",
        )
        .into());
    }
    Ok(key.to_owned())
}

/// `role_set:<name>` made of a name: lowercase letters and digits, other runs as one `_`.
fn key_of(name: &str) -> String {
    let mut key = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    let key = key.trim_end_matches('_');
    if key.is_empty() {
        format!("role_set:{}", ids::random_base62(8).to_lowercase())
    } else {
        format!("role_set:{key}")
    }
}

/// 422 `form_param_value_invalid` about `param`.
fn invalid(param: &str, long_message: String) -> Error {
    Rule::value_invalid(param, long_message).into()
}

/// 404 for a role key the catalog lacks, naming `param`.
fn role_not_found(param: &str) -> Error {
    Rule::refused(
        "resource_not_found",
        "not found",
        "Organization role not found",
    )
    .with_kind(RuleKind::NotFound)
    .with_param(param)
    .into()
}

/// The roles with these keys, in their order and without repeats: 404 naming `param` if
/// one does not exist.
async fn roles_by_key(work: &mut UnitOfWork, keys: &[String], param: &str) -> Result<Vec<Role>> {
    let mut unique: Vec<&str> = Vec::new();
    for key in keys {
        if !unique.contains(&key.as_str()) {
            unique.push(key);
        }
    }
    let found = store::roles_by_key(work.tx(), &unique).await?;
    unique
        .iter()
        .map(|key| {
            found
                .iter()
                .find(|r| r.record.key == *key)
                .cloned()
                .ok_or_else(|| role_not_found(param))
        })
        .collect()
}

/// 422 unless a request's role list holds 1 to 10 roles.
fn check_role_count(param: &str, keys: &[String]) -> Result<()> {
    if keys.is_empty() || keys.len() > MAX_ROLES_PER_REQUEST {
        return Err(invalid(
            param,
            format!(
                "{param} must contain at least one role and no more than {MAX_ROLES_PER_REQUEST} roles."
            ),
        ));
    }
    Ok(())
}

/// The role set `key_or_id`, 404 if there is none.
async fn role_set_of(work: &mut UnitOfWork, key_or_id: &str) -> Result<RoleSet> {
    store::role_set(work.tx(), key_or_id)
        .await?
        .ok_or_else(|| StoreError::not_found("role set", key_or_id).into())
}

/// The role of `set` with key `key` (after a change, as stored): 422 naming `param` if the
/// set lacks it, 404 if no role has that key.
async fn role_in_set(work: &mut UnitOfWork, set: &RoleSet, key: &str, param: &str) -> Result<Role> {
    let role = store::role_by_key(work.tx(), key)
        .await?
        .ok_or_else(|| role_not_found(param))?;
    if set.role(&role.record.id).is_none() {
        return Err(invalid(
            param,
            format!("{param} must be one of the roles of the role set ({key} is not)."),
        ));
    }
    Ok(role)
}

/// Creates a role set.
pub(crate) async fn create(svc: &Services, new: NewRoleSet) -> Result<RoleSet> {
    let name = check_name(&new.name)?;
    let key = match &new.key {
        Some(key) => check_key(key)?,
        None => key_of(&name),
    };
    let kind = match new.kind.as_deref() {
        None | Some(CUSTOM) => CUSTOM,
        Some(INITIAL) => INITIAL,
        Some(other) => {
            return Err(invalid(
                "type",
                format!("type must be initial or custom, not {other}."),
            ));
        }
    };
    check_role_count("roles", &new.roles)?;
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let limit = catalog::lock(svc, &mut work)
        .await?
        .settings
        .organizations
        .max_role_sets_allowed;
    check_quota(
        store::count_role_sets(work.tx()).await?,
        limit,
        Rule::refused(
            "quota_exceeded",
            "Quota exceeded",
            format!("Quota exceeded, you have reached your limit of {limit} role sets."),
        ),
    )?;
    let roles = roles_by_key(&mut work, &new.roles, "roles").await?;
    let pick = |key: &str, param: &str| {
        roles.iter().find(|r| r.record.key == key).ok_or_else(|| {
            invalid(
                param,
                format!("{param} must be one of the roles in roles ({key} is not)."),
            )
        })
    };
    let default_role = pick(&new.default_role_key, "default_role_key")?;
    let creator_role = pick(&new.creator_role_key, "creator_role_key")?;
    check_creator_eligible(creator_role)?;
    let record = RoleSetRecord {
        id: ids::new_id(prefix::ROLE_SET, now),
        key,
        name,
        description: new.description,
        kind: kind.to_owned(),
        default_role_id: default_role.record.id.clone(),
        creator_role_id: creator_role.record.id.clone(),
        created_at: now,
        updated_at: now,
    };
    store::insert_role_set(work.tx(), &record).await?;
    let role_ids: Vec<&str> = roles.iter().map(|r| r.record.id.as_str()).collect();
    store::add_role_set_roles(work.tx(), &record.id, &role_ids, now).await?;
    if kind == INITIAL {
        store::demote_other_initial_sets(work.tx(), &record.id, now).await?;
    }
    let set = role_set_of(&mut work, &record.id).await?;
    work.commit().await?;
    Ok(set)
}

/// Changes a role set; a new key is carried to its organizations.
pub(crate) async fn update(
    svc: &Services,
    key_or_id: &str,
    change: RoleSetChange,
) -> Result<RoleSet> {
    let name = change.name.as_deref().map(check_name).transpose()?;
    let key = change.key.as_deref().map(check_key).transpose()?;
    if let Some(kind) = change.kind.as_deref()
        && kind != INITIAL
    {
        return Err(invalid(
            "type",
            format!("type can only be set to initial, not {kind}."),
        ));
    }
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    catalog::lock(svc, &mut work).await?;
    let set = role_set_of(&mut work, key_or_id).await?;
    let mut record = set.record.clone();
    if let Some(name) = name {
        record.name = name;
    }
    match change.description {
        Patch::Unchanged => {}
        Patch::Null => record.description = None,
        Patch::Set(description) => record.description = Some(description),
    }
    if let Some(key) = &change.default_role_key {
        record.default_role_id = role_in_set(&mut work, &set, key, "default_role_key")
            .await?
            .record
            .id;
    }
    if let Some(key) = &change.creator_role_key {
        let role = role_in_set(&mut work, &set, key, "creator_role_key").await?;
        check_creator_eligible(&role)?;
        record.creator_role_id = role.record.id;
    }
    let old_key = record.key.clone();
    if let Some(key) = key {
        record.key = key;
    }
    if change.kind.is_some() {
        record.kind = INITIAL.to_owned();
    }
    record.updated_at = now;
    store::save_role_set(work.tx(), &record).await?;
    if record.key != old_key {
        let moved = organizations::ids_with_role_set(work.tx(), &old_key).await?;
        organizations::move_role_set(work.tx(), &old_key, &record.key, now).await?;
        super::emit_updated_each(svc, &mut work, &moved, now).await?;
    }
    if record.kind == INITIAL {
        store::demote_other_initial_sets(work.tx(), &record.id, now).await?;
    }
    let set = role_set_of(&mut work, &record.id).await?;
    work.commit().await?;
    Ok(set)
}

/// Adds roles to a role set, and optionally makes some of them its default or creator
/// role.
pub(crate) async fn add_roles(svc: &Services, key_or_id: &str, add: AddRoles) -> Result<RoleSet> {
    check_role_count("role_keys", &add.role_keys)?;
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    catalog::lock(svc, &mut work).await?;
    let set = role_set_of(&mut work, key_or_id).await?;
    let roles = roles_by_key(&mut work, &add.role_keys, "role_keys").await?;
    let role_ids: Vec<&str> = roles.iter().map(|r| r.record.id.as_str()).collect();
    store::add_role_set_roles(work.tx(), &set.record.id, &role_ids, now).await?;
    let set = role_set_of(&mut work, &set.record.id).await?;
    let mut record = set.record.clone();
    if let Some(key) = &add.default_role_key {
        record.default_role_id = role_in_set(&mut work, &set, key, "default_role_key")
            .await?
            .record
            .id;
    }
    if let Some(key) = &add.creator_role_key {
        let role = role_in_set(&mut work, &set, key, "creator_role_key").await?;
        check_creator_eligible(&role)?;
        record.creator_role_id = role.record.id;
    }
    record.updated_at = now;
    store::save_role_set(work.tx(), &record).await?;
    let set = role_set_of(&mut work, &record.id).await?;
    work.commit().await?;
    Ok(set)
}

/// Takes the role `role_key` out of a role set: the members and pending invitations of the
/// set's organizations that have it get `to_role_key` (a role of the set), which also takes
/// its place as the set's default or creator role.
pub(crate) async fn replace_role(
    svc: &Services,
    key_or_id: &str,
    role_key: &str,
    to_role_key: &str,
) -> Result<RoleSet> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    catalog::lock(svc, &mut work).await?;
    let set = role_set_of(&mut work, key_or_id).await?;
    let role = role_in_set(&mut work, &set, role_key, "role_key").await?;
    let to = role_in_set(&mut work, &set, to_role_key, "to_role_key").await?;
    if role.record.id == to.record.id {
        return Err(invalid(
            "to_role_key",
            "to_role_key must be another role than role_key.".to_owned(),
        ));
    }
    let mut record = set.record.clone();
    if record.default_role_id == role.record.id {
        record.default_role_id = to.record.id.clone();
    }
    if record.creator_role_id == role.record.id {
        check_creator_eligible(&to)?;
        record.creator_role_id = to.record.id.clone();
    }
    record.updated_at = now;
    store::save_role_set(work.tx(), &record).await?;
    let reassigned =
        membership_store::with_roles(work.tx(), &[role_key], Some(&record.key)).await?;
    store::reassign_roles_in_role_set(work.tx(), &record.key, &[(role_key, to_role_key)], now)
        .await?;
    store::remove_role_set_role(work.tx(), &record.id, &role.record.id).await?;
    memberships::emit_updated_each(svc, &mut work, &reassigned, now).await?;
    let set = role_set_of(&mut work, &record.id).await?;
    work.commit().await?;
    Ok(set)
}

/// Moves every organization of a role set to another and deletes it. The roles its
/// members and pending invitations have that the destination lacks must be mapped (by
/// `mappings`) to roles of the destination; a mapping applies to every member with that
/// role, all mappings at once. When the set replaced was the initial one, the destination becomes it.
pub(crate) async fn replace(
    svc: &Services,
    key_or_id: &str,
    dest_key: &str,
    mappings: BTreeMap<String, String>,
) -> Result<RoleSetRecord> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    catalog::lock(svc, &mut work).await?;
    let source = role_set_of(&mut work, key_or_id).await?;
    let dest = role_set_of(&mut work, dest_key).await?;
    if source.record.id == dest.record.id {
        return Err(invalid(
            "dest_role_set_key",
            "dest_role_set_key must name another role set than the one replaced.".to_owned(),
        ));
    }
    for to in mappings.values() {
        if !dest.has_key(to) {
            return Err(invalid(
                "reassignment_mappings",
                format!(
                    "reassignment_mappings must map to roles of {}, which does not have {to}.",
                    dest.record.key
                ),
            ));
        }
    }
    let in_use = store::roles_in_use_in_role_set(work.tx(), &source.record.key).await?;
    if let Some(unmapped) = in_use
        .iter()
        .find(|key| !dest.has_key(key) && !mappings.contains_key(*key))
    {
        return Err(invalid(
            "reassignment_mappings",
            format!(
                "Members of organizations of {} have the role {unmapped}, which {} does not have: map it to one of its roles in reassignment_mappings.",
                source.record.key, dest.record.key
            ),
        ));
    }
    let moves: Vec<(&str, &str)> = mappings
        .iter()
        .filter(|(from, to)| from != to)
        .map(|(from, to)| (from.as_str(), to.as_str()))
        .collect();
    let from: Vec<&str> = moves.iter().map(|(from, _)| *from).collect();
    let reassigned =
        membership_store::with_roles(work.tx(), &from, Some(&source.record.key)).await?;
    let moved = organizations::ids_with_role_set(work.tx(), &source.record.key).await?;
    store::reassign_roles_in_role_set(work.tx(), &source.record.key, &moves, now).await?;
    organizations::move_role_set(work.tx(), &source.record.key, &dest.record.key, now).await?;
    if source.record.kind == INITIAL {
        let mut record = dest.record.clone();
        record.kind = INITIAL.to_owned();
        record.updated_at = now;
        store::save_role_set(work.tx(), &record).await?;
    }
    store::delete_role_set(work.tx(), &source.record.id).await?;
    super::emit_updated_each(svc, &mut work, &moved, now).await?;
    memberships::emit_updated_each(svc, &mut work, &reassigned, now).await?;
    work.commit().await?;
    Ok(source.record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert!(check_key("role_set:agency").is_ok());
        assert!(check_key("role_set:agency_2").is_ok());
        assert!(check_key("role_set:").is_err());
        assert!(check_key("agency").is_err());
        assert!(check_key("role_set:Agency").is_err());
        assert_eq!(key_of("Agency Roles!"), "role_set:agency_roles");
        assert_eq!(key_of("  x  "), "role_set:x");
        assert!(key_of("!!").starts_with("role_set:"));
    }
}
