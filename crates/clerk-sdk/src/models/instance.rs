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
