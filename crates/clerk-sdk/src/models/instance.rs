//! Instance settings and restrictions.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Instance settings, as answered by `PATCH /beta_features/instance_settings`
/// (`object: "instance_settings"`). Every field is optional in the spec.
///
/// ```
/// let settings: clerk_sdk::InstanceSettings = serde_json::from_str(
///     r#"{"object":"instance_settings","id":"ins_1","restricted_to_allowlist":true}"#,
/// )?;
/// assert_eq!(settings.restricted_to_allowlist, Some(true));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InstanceSettings {
    /// `"instance_settings"`.
    pub object: Option<String>,
    /// The instance ID.
    pub id: Option<String>,
    /// Whether sign-ups are restricted to the allowlist.
    pub restricted_to_allowlist: Option<bool>,
    /// The local part of the address authentication emails come from.
    pub from_email_address: Option<String>,
    /// Whether progressive sign-up is on (deprecated).
    pub progressive_sign_up: Option<bool>,
    /// Deprecated: legacy managed email delivery.
    pub enhanced_email_deliverability: Option<bool>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Instance restrictions (`object: "instance_restrictions"`).
///
/// ```
/// let restrictions: clerk_sdk::InstanceRestrictions = serde_json::from_str(r#"{
///     "object": "instance_restrictions", "allowlist": true, "blocklist": false,
///     "allowlist_blocklist_disabled_on_sign_in": false, "block_email_subaddresses": false,
///     "block_disposable_email_domains": false
/// }"#)?;
/// assert!(restrictions.allowlist);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InstanceRestrictions {
    /// `"instance_restrictions"`.
    pub object: String,
    /// Whether only allowlisted identifiers may sign up.
    pub allowlist: bool,
    /// Whether blocklisted identifiers are refused.
    pub blocklist: bool,
    /// Whether the allowlist and blocklist are ignored on sign-in.
    pub allowlist_blocklist_disabled_on_sign_in: bool,
    /// Whether email subaddresses (`a+b@x.com`) are refused.
    pub block_email_subaddresses: bool,
    /// Whether disposable email domains are refused.
    pub block_disposable_email_domains: bool,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Clerk Protect's switches (`object: "instance_protect"`), from
/// `GET`/`PATCH /instance/protect`.
///
/// ```
/// let protect: clerk_sdk::InstanceProtect = serde_json::from_str(r#"{
///     "object": "instance_protect", "rules_enabled": true, "specter_enabled": false,
///     "checks_bypassed": false
/// }"#)?;
/// assert!(protect.rules_enabled);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InstanceProtect {
    /// `"instance_protect"`.
    pub object: String,
    /// Whether Protect's rules are on.
    pub rules_enabled: bool,
    /// Whether Protect's device fingerprinting (Specter) is on.
    pub specter_enabled: bool,
    /// Whether the instance opted out of Protect's prerequisite checks.
    pub checks_bypassed: bool,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// SMS communication settings (`object: "instance_communication"`), from
/// `GET`/`PATCH /instance/communication`.
///
/// ```
/// let communication: clerk_sdk::InstanceCommunication = serde_json::from_str(
///     r#"{"object":"instance_communication","blocked_country_codes":["KP"]}"#,
/// )?;
/// assert_eq!(communication.blocked_country_codes, ["KP"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InstanceCommunication {
    /// `"instance_communication"`.
    pub object: String,
    /// ISO 3166-1 alpha-2 codes SMS is not sent to.
    pub blocked_country_codes: Vec<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The instance's OAuth application settings (`object: "oauth_application_settings"`).
///
/// ```
/// let settings: clerk_sdk::OAuthApplicationSettings = serde_json::from_str(r#"{
///     "object": "oauth_application_settings", "dynamic_oauth_client_registration": false,
///     "default_scopes": ["profile", "email"], "oauth_jwt_access_tokens": true,
///     "client_id_metadata_documents_advertised": false,
///     "client_id_metadata_documents_only_allow_pre_registered_clients": false,
///     "client_id_metadata_documents_block_implicitly_allowed_clients": false
/// }"#)?;
/// assert!(settings.oauth_jwt_access_tokens);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OAuthApplicationSettings {
    /// `"oauth_application_settings"`.
    pub object: String,
    /// Whether dynamic client registration (RFC 7591) is on.
    pub dynamic_oauth_client_registration: bool,
    /// The scopes OAuth applications get by default.
    pub default_scopes: Option<Vec<String>>,
    /// Whether access tokens are JWTs (else opaque).
    pub oauth_jwt_access_tokens: bool,
    /// Whether Client ID Metadata Documents are advertised.
    pub client_id_metadata_documents_advertised: bool,
    /// Whether unknown Client ID Metadata Document clients are refused.
    pub client_id_metadata_documents_only_allow_pre_registered_clients: bool,
    /// Whether implicitly allowed Client ID Metadata Document clients are refused.
    pub client_id_metadata_documents_block_implicitly_allowed_clients: bool,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The instance's organization settings (`object: "organization_settings"`).
///
/// ```
/// let settings: clerk_sdk::OrganizationSettings = serde_json::from_str(r#"{
///     "object": "organization_settings", "enabled": true, "max_allowed_memberships": 5,
///     "max_allowed_roles": 10, "max_allowed_domains": 10, "creator_role": "org:admin",
///     "admin_delete_enabled": true, "domains_enabled": true,
///     "domains_enrollment_modes": ["manual_invitation"], "domains_default_role": "org:member"
/// }"#)?;
/// assert_eq!(settings.max_allowed_memberships, 5);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrganizationSettings {
    /// `"organization_settings"`.
    pub object: String,
    /// Whether organizations are on.
    pub enabled: bool,
    /// The membership limit of new organizations; 0: none.
    pub max_allowed_memberships: i64,
    /// The most roles the instance may have.
    pub max_allowed_roles: i64,
    /// The most role sets the instance may have.
    pub max_role_sets_allowed: Option<i64>,
    /// The most verified domains an organization may have.
    pub max_allowed_domains: i64,
    /// The key of the role an organization's creator gets.
    pub creator_role: String,
    /// Whether admins may delete their organization from the Frontend API.
    pub admin_delete_enabled: bool,
    /// Whether organization domains are on.
    pub domains_enabled: bool,
    /// Whether organization slugs are off.
    pub slug_disabled: Option<bool>,
    /// The enrollment modes organization domains may use.
    pub domains_enrollment_modes: Vec<crate::DomainEnrollmentMode>,
    /// The key of the role domain enrollment gives.
    pub domains_default_role: String,
    /// The key of the role set new organizations get.
    pub initial_role_set_key: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
