//! `instance`, `instance_restrictions`, `instance_settings` and `allowlist_identifier`
//! objects.

use serde::Serialize;

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
}

impl InstanceJson {
    pub(crate) fn new(instance: &Instance) -> Self {
        Self {
            object: "instance",
            id: instance.id.clone(),
            environment_type: "development",
            allowed_origins: instance.settings.allowed_origins.clone(),
            workspace_id: None,
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
