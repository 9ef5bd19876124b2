//! OAuth accounts linked to users.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Metadata, Verification};

/// An OAuth account linked to a user (`object: "external_account"`; older
/// answers say `"google_account"` or `"facebook_account"`).
///
/// ```
/// let account: clerk_sdk::ExternalAccount = serde_json::from_str(r#"{
///     "object": "external_account", "id": "eac_1", "provider": "oauth_google",
///     "identification_id": "idn_1", "provider_user_id": "1234", "approved_scopes": "email",
///     "email_address": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace",
///     "public_metadata": {}, "created_at": 1, "updated_at": 2, "verification": null
/// }"#)?;
/// assert_eq!(account.provider, "oauth_google");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ExternalAccount {
    /// `"external_account"` (or a provider-specific legacy value).
    pub object: String,
    /// The ID.
    pub id: String,
    /// The provider, e.g. `oauth_google`.
    pub provider: String,
    /// The identification this account is linked to.
    pub identification_id: String,
    /// The user's ID at the provider.
    pub provider_user_id: String,
    /// The scopes the user granted, space separated.
    pub approved_scopes: String,
    /// The email address reported by the provider.
    pub email_address: String,
    /// Whether the provider reports that address verified.
    pub email_address_verified: Option<bool>,
    /// First name at the provider.
    pub first_name: String,
    /// Last name at the provider.
    pub last_name: String,
    /// Deprecated: use `image_url`.
    pub avatar_url: Option<String>,
    /// Profile image at the provider.
    pub image_url: Option<String>,
    /// Username at the provider.
    pub username: Option<String>,
    /// Phone number at the provider.
    pub phone_number: Option<String>,
    /// Public metadata of the account.
    #[serde(default)]
    pub public_metadata: Metadata,
    /// A label for the account.
    pub label: Option<String>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// How it was verified, if it was.
    pub verification: Option<Verification>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
