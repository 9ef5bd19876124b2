//! Organizations: creating one (with its creator as the first member), changing, deleting,
//! its metadata and its logo. Memberships, invitations, domains and the roles catalog have
//! modules of their own.
//!
//! Every change locks the organization's row first ([`organizations::lock`]), so that
//! concurrent changes to one organization (its members against its membership limit) take
//! turns.
//!
//! Every change emits the webhook events Clerk sends for it, in its unit of work, with the
//! object's wire view after the change as `data` (`docs/server.md`, "Webhook events"):
//! `organization.created` (then `organizationMembership.created` for its creator),
//! `organization.updated` (fields, metadata, logo), `organization.deleted`. A member joining
//! or leaving changes only the counts, and Clerk sends no `organization.updated` for that.

pub(crate) mod access;
pub(crate) mod catalog;
pub(crate) mod domains;
pub(crate) mod invitations;
pub(crate) mod invitee;
pub(crate) mod logo;
pub(crate) mod memberships;
pub(crate) mod role_sets;
pub(crate) mod roles;
pub(crate) mod seed;

use serde_json::{Map, Value};

use super::error::{Error, Result, Rule, RuleKind};
use super::metadata::{check_size, deep_merge};
use super::services::Services;
use crate::ids::{self, prefix};
use crate::store::organizations::memberships::{self as membership_store, MembershipRecord};
use crate::store::organizations::roles::{self as role_store, RoleSet};
use crate::store::organizations::{self as store, Extras, OrganizationRecord};
use crate::store::{StoreError, UnitOfWork, instance, users};
use crate::wire::{DeletedObject, OrganizationJson};

/// The longest organization name Clerk accepts.
const MAX_NAME_CHARS: usize = 256;

/// `POST /v1/organizations`.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewOrganization {
    pub name: String,
    pub slug: Option<String>,
    pub created_by: Option<String>,
    pub max_allowed_memberships: Option<i64>,
    pub public_metadata: Option<Map<String, Value>>,
    pub private_metadata: Option<Map<String, Value>>,
    pub created_at: Option<i64>,
    pub role_set_key: Option<String>,
}

/// `PATCH /v1/organizations/{id}`: each field that is `Some` changes. Metadata is accepted
/// (and replaced whole) only by API versions before 2026-05-12.
#[derive(Debug, Clone, Default)]
pub(crate) struct OrganizationChange {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub max_allowed_memberships: Option<i64>,
    pub admin_delete_enabled: Option<bool>,
    pub created_at: Option<i64>,
    pub role_set_key: Option<String>,
    pub public_metadata: Option<Map<String, Value>>,
    pub private_metadata: Option<Map<String, Value>>,
}

/// Metadata to merge into (or replace) an organization's or a membership's.
#[derive(Debug, Clone, Default)]
pub(crate) struct MetadataChange {
    pub public_metadata: Option<Map<String, Value>>,
    pub private_metadata: Option<Map<String, Value>>,
}

impl MetadataChange {
    /// Merges (deeply, `null` deleting) or replaces the two fields.
    pub(crate) fn apply(
        &self,
        public: &mut Map<String, Value>,
        private: &mut Map<String, Value>,
        merge: bool,
    ) -> Result<()> {
        for (param, patch, target) in [
            ("public_metadata", &self.public_metadata, public),
            ("private_metadata", &self.private_metadata, private),
        ] {
            let Some(patch) = patch else { continue };
            if merge {
                deep_merge(target, patch);
            } else {
                *target = patch.clone();
            }
            check_size(param, target)?;
        }
        Ok(())
    }
}

/// 422 unless `name` is a name Clerk accepts: not blank, at most 256 characters, without
/// URLs or HTML.
fn check_name(name: &str) -> Result<String> {
    let trimmed = name.trim();
    let invalid = |why: &str| {
        Error::from(Rule::value_invalid(
            "name",
            format!("The organization name {trimmed:?} is invalid: {why}"),
        ))
    };
    if trimmed.is_empty() {
        return Err(invalid("it is empty."));
    }
    if trimmed.chars().count() > MAX_NAME_CHARS {
        return Err(Rule::input(
            "form_param_max_length_exceeded",
            "name",
            "exceeds maximum length",
            format!("name should not exceed {MAX_NAME_CHARS} characters."),
        )
        .into());
    }
    let lower = trimmed.to_lowercase();
    if trimmed.contains(['<', '>']) || lower.contains("://") || lower.contains("www.") {
        return Err(invalid("it may not contain URLs or HTML."));
    }
    Ok(trimmed.to_owned())
}

/// 422 unless `slug` is lowercase letters, digits and dashes.
pub(crate) fn check_slug(slug: &str) -> Result<String> {
    let valid = !slug.is_empty()
        && slug.len() <= MAX_NAME_CHARS
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(Rule::format_invalid(
            "slug",
            "slug must contain only lowercase alphanumeric characters and the dash \"-\".",
        )
        .into());
    }
    Ok(slug.to_owned())
}

/// A slug made of a name: lowercase letters and digits, other runs as one dash.
pub(crate) fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        ids::random_base62(10).to_lowercase()
    } else {
        slug
    }
}

/// 422 unless `value` is a membership limit (0: none).
fn check_limit(value: i64) -> Result<i64> {
    if value < 0 {
        return Err(Rule::value_invalid(
            "max_allowed_memberships",
            "max_allowed_memberships must be zero (no limit) or more.",
        )
        .into());
    }
    Ok(value)
}

/// 403 `organization_not_enabled_in_instance` when the instance has organizations off.
async fn check_enabled(work: &mut UnitOfWork) -> Result<()> {
    let settings = instance::load(work.tx(), "").await?.settings;
    if settings.organizations.enabled {
        return Ok(());
    }
    Err(Rule::refused(
        "organization_not_enabled_in_instance",
        "access denied",
        "The organizations feature is not enabled for this instance. You can enable it at https://dashboard.clerk.com.",
    )
    .with_kind(RuleKind::Forbidden)
    .into())
}

/// The role set `key` (the initial one without a key): 422 if there is none.
pub(crate) async fn role_set_for(work: &mut UnitOfWork, key: Option<&str>) -> Result<RoleSet> {
    let found = match key {
        Some(key) => role_store::role_set(work.tx(), key).await?,
        None => role_store::initial_role_set(work.tx()).await?,
    };
    found.ok_or_else(|| {
        Rule::value_invalid(
            "role_set_key",
            format!(
                "No role set was found with key {}.",
                key.unwrap_or("(initial)")
            ),
        )
        .into()
    })
}

/// Creates an organization; with `created_by`, that user becomes its first member with the
/// role set's creator role.
pub(crate) async fn create(svc: &Services, new: NewOrganization) -> Result<OrganizationRecord> {
    let name = check_name(&new.name)?;
    let given_slug = new.slug.as_deref().map(check_slug).transpose()?;
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    catalog::hold(svc, &mut work).await?;
    check_enabled(&mut work).await?;
    let settings = instance::load(work.tx(), "").await?.settings.organizations;
    let role_set = role_set_for(&mut work, new.role_set_key.as_deref()).await?;
    if let Some(creator) = &new.created_by
        && users::load(work.tx(), svc.store.dialect(), creator, "")
            .await?
            .is_none()
    {
        return Err(Rule::refused(
            "organization_creator_not_found",
            "creator not found",
            format!("No users found with id {creator}."),
        )
        .with_param("created_by")
        .into());
    }
    let mut record = OrganizationRecord {
        id: ids::new_id(prefix::ORGANIZATION, now),
        slug: given_slug.clone().unwrap_or_else(|| slug_of(&name)),
        name,
        image_id: None,
        max_allowed_memberships: check_limit(
            new.max_allowed_memberships
                .unwrap_or(settings.max_allowed_memberships),
        )?,
        admin_delete_enabled: settings.admin_delete_enabled,
        public_metadata: Map::new(),
        private_metadata: Map::new(),
        created_by: new.created_by.clone(),
        role_set_key: Some(role_set.record.key.clone()),
        created_at: new.created_at.unwrap_or(now),
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
    insert_with_free_slug(&mut work, &mut record, given_slug.is_none()).await?;
    if let Some(creator) = &new.created_by {
        let role = role_set
            .role(&role_set.record.creator_role_id)
            .map(|r| r.key.clone())
            .ok_or_else(|| Error::Internal("the role set has no creator role".into()))?;
        let membership = MembershipRecord {
            id: ids::new_id(prefix::ORGANIZATION_MEMBERSHIP, now),
            organization_id: record.id.clone(),
            user_id: creator.clone(),
            role,
            public_metadata: Map::new(),
            private_metadata: Map::new(),
            created_at: now,
            updated_at: now,
        };
        membership_store::insert(work.tx(), &membership).await?;
    }
    emit(svc, &mut work, "organization.created", &record, now).await?;
    if let Some(creator) = &new.created_by {
        memberships::emit(
            svc,
            &mut work,
            "organizationMembership.created",
            &record.id,
            creator,
            now,
        )
        .await?;
    }
    work.commit().await?;
    Ok(record)
}

/// Emits `event_type` (`organization.created` or `.updated`) with the organization as a
/// `GET` shows it (without the counts a read may ask for).
pub(crate) async fn emit(
    svc: &Services,
    work: &mut UnitOfWork,
    event_type: &'static str,
    record: &OrganizationRecord,
    now_ms: i64,
) -> Result<()> {
    let view = OrganizationJson::new(record, &svc.issuer);
    svc.events.emit(work, event_type, &view, now_ms).await?;
    Ok(())
}

/// Emits `organization.updated` for each organization of `ids` (changed by a change to
/// their role set), as each now reads in `work`.
pub(crate) async fn emit_updated_each(
    svc: &Services,
    work: &mut UnitOfWork,
    ids: &[String],
    now_ms: i64,
) -> Result<()> {
    for id in ids {
        let organization = store::load(work.tx(), id, Extras::default(), "")
            .await?
            .ok_or_else(|| StoreError::not_found("organization", id))?;
        emit(
            svc,
            work,
            "organization.updated",
            &organization.record,
            now_ms,
        )
        .await?;
    }
    Ok(())
}

/// Inserts the organization; when its slug was made of its name and is taken, tries again
/// with a random suffix.
async fn insert_with_free_slug(
    work: &mut UnitOfWork,
    record: &mut OrganizationRecord,
    slug_was_made: bool,
) -> Result<()> {
    if !slug_was_made {
        return Ok(store::insert(work.tx(), record).await?);
    }
    let base = slug_of(&record.name);
    let next = move || format!("{base}-{}", ids::random_base62(6).to_lowercase());
    Ok(store::insert_with_other_slugs(work.tx(), record, next, 5).await?)
}

/// Changes an organization.
pub(crate) async fn update(
    svc: &Services,
    id_or_slug: &str,
    change: OrganizationChange,
) -> Result<OrganizationRecord> {
    let name = change.name.as_deref().map(check_name).transpose()?;
    let slug = change.slug.as_deref().map(check_slug).transpose()?;
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut record = store::lock(work.tx(), svc.store.dialect(), id_or_slug).await?;
    if let Some(name) = name {
        record.name = name;
    }
    if let Some(slug) = slug {
        record.slug = slug;
    }
    if let Some(limit) = change.max_allowed_memberships {
        record.max_allowed_memberships = check_limit(limit)?;
    }
    if let Some(enabled) = change.admin_delete_enabled {
        record.admin_delete_enabled = enabled;
    }
    if let Some(created_at) = change.created_at {
        record.created_at = created_at;
    }
    if let Some(key) = &change.role_set_key {
        let set = role_set_for(&mut work, Some(key)).await?;
        check_roles_fit(&mut work, &record.id, &set).await?;
        record.role_set_key = Some(set.record.key);
    }
    MetadataChange {
        public_metadata: change.public_metadata,
        private_metadata: change.private_metadata,
    }
    .apply(
        &mut record.public_metadata,
        &mut record.private_metadata,
        false,
    )?;
    record.updated_at = svc.now_ms();
    store::save(work.tx(), &record).await?;
    emit(
        svc,
        &mut work,
        "organization.updated",
        &record,
        record.updated_at,
    )
    .await?;
    work.commit().await?;
    Ok(record)
}

/// 422 unless every role the organization's members have is in `set`.
async fn check_roles_fit(
    work: &mut UnitOfWork,
    organization_id: &str,
    set: &RoleSet,
) -> Result<()> {
    let keys = membership_store::roles_in_use(work.tx(), organization_id).await?;
    match keys.iter().find(|k| !set.has_key(k)) {
        None => Ok(()),
        Some(missing) => Err(Rule::value_invalid(
            "role_set_key",
            format!(
                "The role set {} does not have the role {missing}, which members of this organization have.",
                set.record.key
            ),
        )
        .into()),
    }
}

/// Merges (`PATCH`) or replaces (`PUT`) an organization's metadata.
pub(crate) async fn update_metadata(
    svc: &Services,
    id_or_slug: &str,
    change: MetadataChange,
    merge: bool,
) -> Result<OrganizationRecord> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut record = store::lock(work.tx(), svc.store.dialect(), id_or_slug).await?;
    change.apply(
        &mut record.public_metadata,
        &mut record.private_metadata,
        merge,
    )?;
    record.updated_at = svc.now_ms();
    store::save(work.tx(), &record).await?;
    emit(
        svc,
        &mut work,
        "organization.updated",
        &record,
        record.updated_at,
    )
    .await?;
    work.commit().await?;
    Ok(record)
}

/// Deletes an organization with its memberships, invitations, domains and logo. Only
/// `organization.deleted` is emitted, as Clerk does: what hung off the organization goes
/// with it without events of its own.
pub(crate) async fn delete(svc: &Services, id_or_slug: &str) -> Result<OrganizationRecord> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let record = store::lock(work.tx(), svc.store.dialect(), id_or_slug).await?;
    store::delete(work.tx(), &record.id).await?;
    let deleted = DeletedObject::new("organization", &record.id).with_slug(&record.slug);
    svc.events
        .emit(&mut work, "organization.deleted", &deleted, svc.now_ms())
        .await?;
    work.commit().await?;
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_of_names() {
        assert_eq!(slug_of("Acme Inc."), "acme-inc");
        assert_eq!(slug_of("  Über  Co  "), "ber-co");
        assert_eq!(slug_of("a--b"), "a-b");
        assert_eq!(slug_of("!!!").len(), 10);
    }

    #[test]
    fn names_and_slugs_are_checked() {
        assert!(check_name("Acme").is_ok());
        assert!(check_name("  ").is_err());
        assert!(check_name("<b>x</b>").is_err());
        assert!(check_name("see https://x.io").is_err());
        assert!(check_name(&"a".repeat(257)).is_err());
        assert!(check_slug("acme-1").is_ok());
        assert!(check_slug("Acme").is_err());
        assert!(check_slug("a_b").is_err());
        assert!(check_slug("").is_err());
    }
}
