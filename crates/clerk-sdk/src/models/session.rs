//! Sessions.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

string_enum! {
    /// The state of a session.
    pub enum SessionStatus {
        Active => "active",
        Revoked => "revoked",
        Ended => "ended",
        Expired => "expired",
        Removed => "removed",
        Abandoned => "abandoned",
        Replaced => "replaced",
        Pending => "pending",
    }
}

/// A session (`object: "session"`, ID prefix `sess_`).
///
/// ```
/// let session: clerk_sdk::Session = serde_json::from_str(r#"{
///     "object": "session", "id": "sess_1", "user_id": "user_1", "client_id": "client_1",
///     "status": "active", "last_active_at": 1, "expire_at": 2, "abandon_at": 3,
///     "updated_at": 1, "created_at": 1
/// }"#)?;
/// assert_eq!(session.status, clerk_sdk::SessionStatus::Active);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Session {
    /// `"session"`.
    pub object: String,
    /// The ID (`sess_...`).
    pub id: String,
    /// The user the session belongs to.
    pub user_id: String,
    /// The client (browser or device) holding the session.
    pub client_id: String,
    /// The impersonator, for an impersonation session.
    pub actor: Option<Map<String, Value>>,
    /// The state.
    pub status: SessionStatus,
    /// The organization last active in this session.
    pub last_active_organization_id: Option<String>,
    /// Latest activity (Unix ms).
    pub last_active_at: i64,
    /// The latest activity's details.
    pub latest_activity: Option<SessionActivity>,
    /// Expiry (Unix ms).
    pub expire_at: i64,
    /// When the session will be abandoned (Unix ms).
    pub abandon_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Tasks the user must complete before the session is active (API 2026-05-12).
    pub tasks: Option<Vec<SessionTask>>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Where and on what a session was last active.
///
/// ```
/// let activity: clerk_sdk::SessionActivity = serde_json::from_str(
///     r#"{"object":"session_activity","id":"sess_activity_1","is_mobile":false,"city":"Lisbon"}"#,
/// )?;
/// assert_eq!(activity.city.as_deref(), Some("Lisbon"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionActivity {
    /// `"session_activity"`.
    pub object: String,
    /// The ID.
    pub id: String,
    /// Device type.
    pub device_type: Option<String>,
    /// Whether the device is mobile.
    pub is_mobile: bool,
    /// Browser name.
    pub browser_name: Option<String>,
    /// Browser version.
    pub browser_version: Option<String>,
    /// IP address.
    pub ip_address: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A task a session's user must complete (`{"key": "choose-organization"}`).
///
/// ```
/// let task: clerk_sdk::SessionTask = serde_json::from_str(r#"{"key":"choose-organization"}"#)?;
/// assert_eq!(task.key, "choose-organization");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionTask {
    /// What to do.
    pub key: String,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
