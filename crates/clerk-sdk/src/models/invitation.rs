//! Instance invitations: an email address invited to sign up.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

string_enum! {
    /// Where an instance invitation is.
    pub enum InvitationStatus {
        Pending => "pending",
        Accepted => "accepted",
        Revoked => "revoked",
        Expired => "expired",
    }
}

/// An instance invitation (`object: "invitation"`, ID prefix `inv_`). Its `url` carries the
/// ticket (`__clerk_ticket`) that accepts it: `Debug` leaves it out.
///
/// ```
/// let invitation: clerk_sdk::Invitation = serde_json::from_str(r#"{
///     "object": "invitation", "id": "inv_1", "email_address": "ada@example.com",
///     "public_metadata": {}, "status": "pending", "created_at": 1, "updated_at": 1
/// }"#)?;
/// assert_eq!(invitation.status, clerk_sdk::InvitationStatus::Pending);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Invitation {
    /// `"invitation"`.
    pub object: String,
    /// The ID (`inv_...`).
    pub id: String,
    /// The invited address.
    pub email_address: String,
    /// Metadata the new user gets when it accepts.
    pub public_metadata: Map<String, Value>,
    /// Whether it was revoked.
    pub revoked: Option<bool>,
    /// Pending, accepted, revoked or expired.
    pub status: InvitationStatus,
    /// The link that accepts it (with the ticket).
    pub url: Option<String>,
    /// When it expires (Unix ms).
    pub expires_at: Option<i64>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl std::fmt::Debug for Invitation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invitation")
            .field("id", &self.id)
            .field("email_address", &self.email_address)
            .field("status", &self.status)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}
