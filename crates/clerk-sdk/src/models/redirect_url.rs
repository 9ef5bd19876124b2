//! The URLs an instance may redirect to (OAuth callbacks, native app schemes).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A redirect URL (`object: "redirect_url"`, ID prefix `ru_`).
///
/// ```
/// let url: clerk_sdk::RedirectUrl = serde_json::from_str(r#"{
///     "object": "redirect_url", "id": "ru_1", "url": "my-app://oauth-callback",
///     "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert_eq!(url.url, "my-app://oauth-callback");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RedirectUrl {
    /// `"redirect_url"`.
    pub object: String,
    /// The ID (`ru_...`).
    pub id: String,
    /// The URL: `https://…` or a custom scheme.
    pub url: String,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
