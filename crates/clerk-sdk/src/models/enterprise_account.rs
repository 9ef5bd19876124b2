//! SAML and enterprise (SSO) accounts of users.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Metadata, Verification};

string_enum! {
    /// The protocol of an enterprise connection.
    pub enum EnterpriseProtocol {
        Oauth => "oauth",
        Saml => "saml",
    }
}

/// A SAML account of a user (`object: "saml_account"`).
///
/// ```
/// let account: clerk_sdk::SamlAccount = serde_json::from_str(r#"{
///     "id": "samlacc_1", "object": "saml_account", "provider": "saml_okta", "active": true,
///     "email_address": "ada@example.com", "verification": null
/// }"#)?;
/// assert!(account.active);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SamlAccount {
    /// The ID.
    pub id: String,
    /// `"saml_account"`.
    pub object: String,
    /// The provider, e.g. `saml_okta`.
    pub provider: String,
    /// Whether the account is active.
    pub active: bool,
    /// The email address reported by the identity provider.
    pub email_address: String,
    /// First name at the identity provider.
    pub first_name: Option<String>,
    /// Last name at the identity provider.
    pub last_name: Option<String>,
    /// The user's ID at the identity provider.
    pub provider_user_id: Option<String>,
    /// Last authentication through this account (Unix ms).
    pub last_authenticated_at: Option<i64>,
    /// Public metadata of the account.
    pub public_metadata: Option<Metadata>,
    /// How it was verified, if it was.
    pub verification: Option<Verification>,
    /// The SAML connection the account belongs to.
    pub saml_connection: Option<SamlConnection>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The SAML connection of a [`SamlAccount`].
///
/// ```
/// let connection: clerk_sdk::SamlConnection = serde_json::from_str(r#"{
///     "id": "samlc_1", "name": "Okta", "active": true, "provider": "saml_okta",
///     "sync_user_attributes": true, "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert_eq!(connection.name, "Okta");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SamlConnection {
    /// The ID.
    pub id: String,
    /// The name.
    pub name: String,
    /// Deprecated: use `domains`.
    pub domain: Option<String>,
    /// The email domains of the connection.
    pub domains: Option<Vec<String>>,
    /// Whether the connection is active.
    pub active: bool,
    /// The provider, e.g. `saml_okta`.
    pub provider: String,
    /// Whether user attributes are synced from the identity provider.
    pub sync_user_attributes: bool,
    /// Whether subdomains of the domains are accepted.
    pub allow_subdomains: Option<bool>,
    /// Whether IdP-initiated sign-ins are allowed.
    pub allow_idp_initiated: Option<bool>,
    /// Whether users may add other identifications.
    pub disable_additional_identifications: Option<bool>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An enterprise (SAML or OIDC) account of a user (`object: "enterprise_account"`).
///
/// ```
/// let account: clerk_sdk::EnterpriseAccount = serde_json::from_str(r#"{
///     "id": "eac_1", "object": "enterprise_account", "protocol": "saml", "provider": "saml_okta",
///     "active": true, "email_address": "ada@example.com", "verification": null
/// }"#)?;
/// assert_eq!(account.protocol, Some(clerk_sdk::EnterpriseProtocol::Saml));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EnterpriseAccount {
    /// The ID.
    pub id: String,
    /// `"enterprise_account"`.
    pub object: String,
    /// The protocol.
    pub protocol: Option<EnterpriseProtocol>,
    /// The provider.
    pub provider: String,
    /// Whether the account is active.
    pub active: bool,
    /// The email address reported by the identity provider.
    pub email_address: String,
    /// First name at the identity provider.
    pub first_name: Option<String>,
    /// Last name at the identity provider.
    pub last_name: Option<String>,
    /// The user's ID at the identity provider.
    pub provider_user_id: Option<String>,
    /// The enterprise connection's ID.
    pub enterprise_connection_id: Option<String>,
    /// Public metadata of the account.
    pub public_metadata: Option<Metadata>,
    /// How it was verified, if it was.
    pub verification: Option<Verification>,
    /// The enterprise connection the account belongs to.
    pub enterprise_connection: Option<EnterpriseConnection>,
    /// Last authentication through this account (Unix ms).
    pub last_authenticated_at: Option<i64>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The enterprise connection of an [`EnterpriseAccount`].
///
/// ```
/// let connection: clerk_sdk::EnterpriseConnection = serde_json::from_str(r#"{
///     "id": "ec_1", "protocol": "saml", "provider": "saml_okta", "name": "Okta",
///     "logo_public_url": null, "active": true, "sync_user_attributes": true,
///     "disable_additional_identifications": false, "allow_subdomains": false,
///     "allow_idp_initiated": false, "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert_eq!(connection.protocol, "saml");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EnterpriseConnection {
    /// The ID.
    pub id: String,
    /// The protocol (`saml`, `oauth`, ...).
    pub protocol: String,
    /// The provider.
    pub provider: String,
    /// The name.
    pub name: String,
    /// The logo's public URL.
    pub logo_public_url: Option<String>,
    /// Deprecated: use `domains`.
    pub domain: Option<String>,
    /// The email domains of the connection.
    pub domains: Option<Vec<String>>,
    /// Whether the connection is active.
    pub active: bool,
    /// Whether user attributes are synced from the identity provider.
    pub sync_user_attributes: bool,
    /// Whether subdomains of the domains are accepted.
    pub allow_subdomains: bool,
    /// Whether IdP-initiated sign-ins are allowed.
    pub allow_idp_initiated: bool,
    /// Whether users may add other identifications.
    pub disable_additional_identifications: bool,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
