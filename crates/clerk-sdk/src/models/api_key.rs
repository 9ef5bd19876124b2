//! API keys: credentials a user or an organization gives out to call the application's own
//! API.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An API key (`object: "api_key"`, ID `ak_` and 32 hex digits). Its `secret` is only in
/// the answer of [`ApiKeys::create`](crate::ApiKeys::create); `Debug` never shows it.
///
/// ```
/// let key: clerk_sdk::ApiKey = serde_json::from_str(r#"{
///     "object": "api_key", "id": "ak_3beecc9c60adb5f9b850e91a8ee1e992", "type": "api_key",
///     "subject": "user_2x", "name": "ci", "description": null, "claims": {"tier": "gold"},
///     "scopes": ["read"], "secret": "ak_live_secret", "revoked": false,
///     "revocation_reason": null, "expired": false, "expiration": null, "created_by": null,
///     "last_used_at": null, "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert_eq!(key.scopes, ["read"]);
/// assert!(!format!("{key:?}").contains("ak_live_secret"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiKey {
    /// `"api_key"`.
    pub object: String,
    /// The ID (`ak_...`).
    pub id: String,
    /// The key's type (`api_key`).
    #[serde(rename = "type")]
    pub key_type: String,
    /// The user (`user_...`) or organization (`org_...`) the key acts for.
    pub subject: String,
    /// The key's name.
    pub name: String,
    /// What it is for.
    #[serde(default)]
    pub description: Option<String>,
    /// Custom claims, any JSON.
    #[serde(default)]
    pub claims: Option<Value>,
    /// The scopes it grants.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The secret (`ak_...`): only when the key was just created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Whether it was revoked.
    pub revoked: bool,
    /// Why it was revoked.
    #[serde(default)]
    pub revocation_reason: Option<String>,
    /// Whether it has expired.
    pub expired: bool,
    /// When it expires (Unix ms).
    #[serde(default)]
    pub expiration: Option<i64>,
    /// The user who created it.
    #[serde(default)]
    pub created_by: Option<String>,
    /// When it was last verified (Unix ms).
    #[serde(default)]
    pub last_used_at: Option<i64>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKey")
            .field("id", &self.id)
            .field("key_type", &self.key_type)
            .field("subject", &self.subject)
            .field("name", &self.name)
            .field("description", &self.description)
            .field("claims", &self.claims)
            .field("scopes", &self.scopes)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field("revoked", &self.revoked)
            .field("revocation_reason", &self.revocation_reason)
            .field("expired", &self.expired)
            .field("expiration", &self.expiration)
            .field("created_by", &self.created_by)
            .field("last_used_at", &self.last_used_at)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish_non_exhaustive()
    }
}

/// An API key's secret, from [`ApiKeys::secret`](crate::ApiKeys::secret). `Debug` never
/// shows it.
///
/// ```
/// let secret: clerk_sdk::ApiKeySecret = serde_json::from_str(r#"{"secret": "ak_xyz"}"#)?;
/// assert_eq!(secret.secret, "ak_xyz");
/// assert!(!format!("{secret:?}").contains("ak_xyz"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiKeySecret {
    /// The secret (`ak_...`).
    pub secret: String,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl std::fmt::Debug for ApiKeySecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKeySecret { secret: [redacted] }")
    }
}
