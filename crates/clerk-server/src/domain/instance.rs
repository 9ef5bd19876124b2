//! The instance's settings: one document every replica shares, changed atomically.

use super::error::{Result, Rule};
use super::organizations::catalog;
use super::organizations::roles::check_creator_eligible;
use super::services::Services;
use crate::store::instance::{self, Instance, InstanceSettings, OrganizationSettings};
use crate::store::organizations::roles::{self, Role};
use crate::store::{StoreError, UnitOfWork};

/// Applies `change` to the instance settings (the instance row locked meanwhile) and returns
/// the instance as it now is.
pub(crate) async fn update_settings(
    svc: &Services,
    change: impl FnOnce(&mut InstanceSettings),
) -> Result<Instance> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let instance =
        instance::update_settings(work.tx(), svc.store.dialect(), svc.now_ms(), change).await?;
    work.commit().await?;
    Ok(instance)
}

/// The organization settings as `/v1/instance/organization_settings` shows them: the
/// stored document, and the creator role and initial role set from the roles catalog.
#[derive(Debug, Clone)]
pub(crate) struct OrganizationSettingsView {
    pub settings: OrganizationSettings,
    /// The key of the initial role set's creator role.
    pub creator_role: String,
    /// The initial role set's key.
    pub initial_role_set_key: Option<String>,
}

/// What `PATCH /v1/instance/organization_settings` changes (`None`: unchanged).
#[derive(Debug, Clone, Default)]
pub(crate) struct OrganizationSettingsChange {
    pub enabled: Option<bool>,
    pub max_allowed_memberships: Option<i64>,
    pub admin_delete_enabled: Option<bool>,
    pub domains_enabled: Option<bool>,
    pub slug_disabled: Option<bool>,
    pub domains_enrollment_modes: Option<Vec<String>>,
    pub creator_role_id: Option<String>,
    pub domains_default_role_id: Option<String>,
}

/// The enrollment modes an organization domain can have.
const ENROLLMENT_MODES: [&str; 3] = [
    "manual_invitation",
    "automatic_invitation",
    "automatic_suggestion",
];

/// The organization settings now.
pub(crate) async fn organization_settings(svc: &Services) -> Result<OrganizationSettingsView> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let instance = instance::load(work.tx(), "").await?;
    let view = view_of(&mut work, instance.settings.organizations).await?;
    work.commit().await?;
    Ok(view)
}

async fn view_of(
    work: &mut UnitOfWork,
    settings: OrganizationSettings,
) -> Result<OrganizationSettingsView> {
    let set = roles::initial_role_set(work.tx()).await?;
    let creator_role = set
        .as_ref()
        .and_then(|s| s.role(&s.record.creator_role_id))
        .map_or_else(|| catalog::ADMIN.to_owned(), |r| r.key.clone());
    Ok(OrganizationSettingsView {
        settings,
        creator_role,
        initial_role_set_key: set.map(|s| s.record.key),
    })
}

/// Changes the organization settings. The creator role is the initial role set's (it must
/// be one of its roles and hold the creator permissions); the domains' default role is
/// stored by key, as roles are given.
pub(crate) async fn update_organization_settings(
    svc: &Services,
    change: OrganizationSettingsChange,
) -> Result<OrganizationSettingsView> {
    if let Some(max) = change.max_allowed_memberships
        && max < 0
    {
        return Err(Rule::value_invalid(
            "max_allowed_memberships",
            "max_allowed_memberships must be 0 (no limit) or more.",
        )
        .into());
    }
    let modes = match change.domains_enrollment_modes {
        None => None,
        Some(modes) => {
            let mut unique: Vec<String> = Vec::new();
            for mode in modes {
                if !ENROLLMENT_MODES.contains(&mode.as_str()) {
                    return Err(Rule::value_invalid(
                        "domains_enrollment_modes",
                        format!(
                            "{mode} is not a valid enrollment mode: use {}.",
                            ENROLLMENT_MODES.join(", ")
                        ),
                    )
                    .into());
                }
                if !unique.contains(&mode) {
                    unique.push(mode);
                }
            }
            Some(unique)
        }
    };
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    catalog::lock(svc, &mut work).await?;
    if let Some(id) = &change.creator_role_id {
        let role = role_by_id(&mut work, id).await?;
        let set = roles::initial_role_set(work.tx())
            .await?
            .ok_or_else(|| StoreError::not_found("role set", "initial"))?;
        if set.role(&role.record.id).is_none() {
            return Err(Rule::value_invalid(
                "creator_role_id",
                format!(
                    "creator_role_id must be one of the roles of the initial role set {} ({} is not).",
                    set.record.key, role.record.key
                ),
            )
            .into());
        }
        check_creator_eligible(&role)?;
        let mut record = set.record;
        if record.creator_role_id != role.record.id {
            record.creator_role_id = role.record.id;
            record.updated_at = now;
            roles::save_role_set(work.tx(), &record).await?;
        }
    }
    let default_role = match &change.domains_default_role_id {
        Some(id) => Some(role_by_id(&mut work, id).await?.record.key),
        None => None,
    };
    let instance = instance::update_settings(work.tx(), svc.store.dialect(), now, |s| {
        let o = &mut s.organizations;
        let flags = [
            (&mut o.enabled, change.enabled),
            (&mut o.admin_delete_enabled, change.admin_delete_enabled),
            (&mut o.domains_enabled, change.domains_enabled),
            (&mut o.slug_disabled, change.slug_disabled),
        ];
        for (field, value) in flags {
            if let Some(v) = value {
                *field = v;
            }
        }
        if let Some(max) = change.max_allowed_memberships {
            o.max_allowed_memberships = max;
        }
        if let Some(modes) = modes {
            o.domains_enrollment_modes = modes;
        }
        if let Some(key) = default_role {
            o.domains_default_role = key;
        }
    })
    .await?;
    let view = view_of(&mut work, instance.settings.organizations).await?;
    work.commit().await?;
    Ok(view)
}

/// The role `id`: 404 naming it if there is none.
async fn role_by_id(work: &mut UnitOfWork, id: &str) -> Result<Role> {
    roles::role(work.tx(), id)
        .await?
        .ok_or_else(|| StoreError::not_found("role", id).into())
}
