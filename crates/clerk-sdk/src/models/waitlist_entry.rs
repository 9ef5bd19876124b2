//! Waitlist entries: email addresses waiting to be let in.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

string_enum! {
    /// Where a waitlist entry stands.
    pub enum WaitlistEntryStatus {
        Pending => "pending",
        Invited => "invited",
        Rejected => "rejected",
        Completed => "completed",
    }
}

/// A waitlist entry (`object: "waitlist_entry"`, ID prefix `wle_`).
///
/// ```
/// let entry: clerk_sdk::WaitlistEntry = serde_json::from_str(r#"{
///     "object": "waitlist_entry", "id": "wle_1", "email_address": "ada@example.com",
///     "status": "pending", "is_locked": false, "invitation": null,
///     "created_at": 1, "updated_at": 1
/// }"#)?;
/// assert_eq!(entry.status, clerk_sdk::WaitlistEntryStatus::Pending);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WaitlistEntry {
    /// `"waitlist_entry"`.
    pub object: String,
    /// The ID (`wle_...`).
    pub id: String,
    /// The address on the waitlist.
    pub email_address: String,
    /// Where it stands.
    pub status: WaitlistEntryStatus,
    /// Whether a batch action is processing it.
    #[serde(default)]
    pub is_locked: Option<bool>,
    /// The instance invitation made when it was invited (`None` before); accepting it
    /// completes the entry.
    #[serde(default)]
    pub invitation: Option<crate::Invitation>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
