//! JWT templates: the claims of tokens minted for third-party services.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A JWT template (`object: "jwt_template"`, ID prefix `jtmp_`). Its signing key,
/// when it has its own, is never returned.
///
/// ```
/// let template: clerk_sdk::JwtTemplate = serde_json::from_str(r#"{
///     "object": "jwt_template", "id": "jtmp_1", "name": "hasura",
///     "claims": {"role": "{{user.public_metadata.role}}"}, "lifetime": 60,
///     "allowed_clock_skew": 5, "custom_signing_key": false, "signing_algorithm": "RS256",
///     "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert_eq!(template.signing_algorithm, "RS256");
/// assert_eq!(template.claims["role"], "{{user.public_metadata.role}}");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JwtTemplate {
    /// `"jwt_template"`.
    pub object: String,
    /// The ID (`jtmp_...`).
    pub id: String,
    /// The name tokens are minted by (`POST /sessions/{id}/tokens/{name}`).
    pub name: String,
    /// The claims, with `{{...}}` shortcodes.
    pub claims: Map<String, Value>,
    /// Token lifetime in seconds.
    pub lifetime: i64,
    /// Seconds `nbf` lies before `iat`.
    pub allowed_clock_skew: i64,
    /// Whether the template signs with its own key.
    pub custom_signing_key: bool,
    /// The signing algorithm (`RS256` with the instance's keys).
    pub signing_algorithm: String,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
