//! `instance`, `instance_restrictions`, `instance_settings` and `allowlist_identifier`
//! objects.

use serde::Serialize;

use crate::domain::instance::OrganizationSettingsView;
use crate::store::allowlist::AllowlistIdentifier;
use crate::store::instance::Instance;

/// An `instance` object.
#[derive(Serialize)]
pub(crate) struct InstanceJson {
    object: &'static str,
    id: String,
    environment_type: &'static str,
    allowed_origins: Option<Vec<String>>,
    workspace_id: Option<String>,
    /// A local extension: the key a page gives clerk-js (with `proxyUrl` set to the
    /// server's `/__clerk`).
    publishable_key: String,
}

impl InstanceJson {
    pub(crate) fn new(instance: &Instance, publishable_key: &str) -> Self {
        Self {
            object: "instance",
            id: instance.id.clone(),
            environment_type: "development",
            allowed_origins: instance.settings.allowed_origins.clone(),
            workspace_id: None,
            publishable_key: publishable_key.to_owned(),
        }
    }
}

/// An `instance_restrictions` object.
#[derive(Serialize)]
pub(crate) struct InstanceRestrictionsJson {
    object: &'static str,
    allowlist: bool,
    blocklist: bool,
    allowlist_blocklist_disabled_on_sign_in: bool,
    block_email_subaddresses: bool,
    block_disposable_email_domains: bool,
}

impl InstanceRestrictionsJson {
    pub(crate) fn new(instance: &Instance) -> Self {
        let s = &instance.settings;
        Self {
            object: "instance_restrictions",
            allowlist: s.restricted_to_allowlist,
            blocklist: s.blocklist,
            allowlist_blocklist_disabled_on_sign_in: s.allowlist_blocklist_disabled_on_sign_in,
            block_email_subaddresses: s.block_email_subaddresses,
            block_disposable_email_domains: s.block_disposable_email_domains,
        }
    }
}

/// An `instance_settings` object.
#[derive(Serialize)]
pub(crate) struct InstanceSettingsJson {
    object: &'static str,
    id: String,
    restricted_to_allowlist: bool,
    from_email_address: String,
    progressive_sign_up: bool,
    enhanced_email_deliverability: bool,
}

impl InstanceSettingsJson {
    pub(crate) fn new(instance: &Instance) -> Self {
        let s = &instance.settings;
        Self {
            object: "instance_settings",
            id: instance.id.clone(),
            restricted_to_allowlist: s.restricted_to_allowlist,
            from_email_address: s.from_email_address.clone(),
            progressive_sign_up: s.progressive_sign_up,
            enhanced_email_deliverability: s.enhanced_email_deliverability,
        }
    }
}

/// An `allowlist_identifier` object.
#[derive(Serialize)]
pub(crate) struct AllowlistIdentifierJson {
    object: &'static str,
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    invitation_id: Option<String>,
    identifier: String,
    identifier_type: &'static str,
    instance_id: String,
    created_at: i64,
    updated_at: i64,
}

impl AllowlistIdentifierJson {
    pub(crate) fn new(item: &AllowlistIdentifier, instance_id: &str) -> Self {
        Self {
            object: "allowlist_identifier",
            id: item.id.clone(),
            invitation_id: item.invitation_id.clone(),
            identifier: item.identifier.clone(),
            identifier_type: item.identifier_type.as_str(),
            instance_id: instance_id.to_owned(),
            created_at: item.created_at,
            updated_at: item.updated_at,
        }
    }
}

/// An `instance_protect` object.
#[derive(Serialize)]
pub(crate) struct InstanceProtectJson {
    object: &'static str,
    rules_enabled: bool,
    specter_enabled: bool,
    checks_bypassed: bool,
}

impl InstanceProtectJson {
    pub(crate) fn new(instance: &Instance) -> Self {
        let p = &instance.settings.protect;
        Self {
            object: "instance_protect",
            rules_enabled: p.rules_enabled,
            specter_enabled: p.specter_enabled,
            // The prerequisite checks are never bypassed: there is no way to opt out.
            checks_bypassed: false,
        }
    }
}

/// An `instance_communication` object.
#[derive(Serialize)]
pub(crate) struct InstanceCommunicationJson {
    object: &'static str,
    blocked_country_codes: Vec<String>,
}

impl InstanceCommunicationJson {
    pub(crate) fn new(instance: &Instance) -> Self {
        Self {
            object: "instance_communication",
            blocked_country_codes: instance.settings.blocked_country_codes.clone(),
        }
    }
}

/// The scopes OAuth applications get when the instance sets none, as Clerk's.
pub(crate) const DEFAULT_OAUTH_SCOPES: [&str; 2] = ["profile", "email"];

/// An `oauth_application_settings` object.
#[derive(Serialize)]
pub(crate) struct OAuthApplicationSettingsJson {
    object: &'static str,
    dynamic_oauth_client_registration: bool,
    default_scopes: Vec<String>,
    oauth_jwt_access_tokens: bool,
    client_id_metadata_documents_advertised: bool,
    client_id_metadata_documents_only_allow_pre_registered_clients: bool,
    client_id_metadata_documents_block_implicitly_allowed_clients: bool,
}

impl OAuthApplicationSettingsJson {
    pub(crate) fn new(instance: &Instance) -> Self {
        let o = &instance.settings.oauth_applications;
        Self {
            object: "oauth_application_settings",
            dynamic_oauth_client_registration: o.dynamic_oauth_client_registration,
            default_scopes: o.default_scopes.clone().unwrap_or_else(|| {
                DEFAULT_OAUTH_SCOPES
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect()
            }),
            oauth_jwt_access_tokens: o.oauth_jwt_access_tokens,
            client_id_metadata_documents_advertised: o.client_id_metadata_documents_advertised,
            client_id_metadata_documents_only_allow_pre_registered_clients: o
                .client_id_metadata_documents_only_allow_pre_registered_clients,
            client_id_metadata_documents_block_implicitly_allowed_clients: o
                .client_id_metadata_documents_block_implicitly_allowed_clients,
        }
    }
}

/// An `organization_settings` object.
#[derive(Serialize)]
pub(crate) struct OrganizationSettingsJson {
    object: &'static str,
    enabled: bool,
    max_allowed_memberships: i64,
    max_allowed_roles: i64,
    max_role_sets_allowed: i64,
    max_allowed_domains: i64,
    max_allowed_permissions: i64,
    creator_role: String,
    admin_delete_enabled: bool,
    domains_enabled: bool,
    slug_disabled: bool,
    domains_enrollment_modes: Vec<String>,
    domains_default_role: String,
    initial_role_set_key: Option<String>,
}

impl OrganizationSettingsJson {
    pub(crate) fn new(view: &OrganizationSettingsView) -> Self {
        let s = &view.settings;
        Self {
            object: "organization_settings",
            enabled: s.enabled,
            max_allowed_memberships: s.max_allowed_memberships,
            max_allowed_roles: s.max_allowed_roles,
            max_role_sets_allowed: s.max_role_sets_allowed,
            max_allowed_domains: s.max_allowed_domains,
            max_allowed_permissions: s.max_allowed_permissions,
            creator_role: view.creator_role.clone(),
            admin_delete_enabled: s.admin_delete_enabled,
            domains_enabled: s.domains_enabled,
            slug_disabled: s.slug_disabled,
            domains_enrollment_modes: s.domains_enrollment_modes.clone(),
            domains_default_role: s.domains_default_role.clone(),
            initial_role_set_key: view.initial_role_set_key.clone(),
        }
    }
}
