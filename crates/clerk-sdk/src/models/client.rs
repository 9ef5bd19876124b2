//! Clients: the browsers and devices that hold sessions.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Session;

/// A client: one browser or device and its sessions (`object: "client"`, ID prefix `client_`).
///
/// ```
/// let client: clerk_sdk::Client = serde_json::from_str(r#"{
///     "object": "client", "id": "client_1", "session_ids": [], "sessions": [],
///     "sign_in_id": null, "sign_up_id": null, "last_active_session_id": null,
///     "last_authentication_strategy": null, "updated_at": 1, "created_at": 1
/// }"#)?;
/// assert!(client.sessions.is_empty());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Client {
    /// `"client"`.
    pub object: String,
    /// The ID (`client_...`).
    pub id: String,
    /// IDs of its sessions.
    #[serde(default)]
    pub session_ids: Vec<String>,
    /// Its sessions.
    #[serde(default)]
    pub sessions: Vec<Session>,
    /// The sign-in in progress.
    pub sign_in_id: Option<String>,
    /// The sign-up in progress.
    pub sign_up_id: Option<String>,
    /// The last active session.
    pub last_active_session_id: Option<String>,
    /// The strategy last used to authenticate on this client.
    pub last_authentication_strategy: Option<String>,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
