//! Identifiers blocked from the instance when the block-list is on.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::IdentifierType;

/// A block-list entry (`object: "blocklist_identifier"`, ID prefix `blid_`).
/// Every field is optional in the spec.
///
/// ```
/// let entry: clerk_sdk::BlocklistIdentifier = serde_json::from_str(r#"{
///     "object": "blocklist_identifier", "id": "blid_1", "identifier": "spam.example",
///     "identifier_type": "email_address", "instance_id": "ins_1",
///     "created_at": 1, "updated_at": 1
/// }"#)?;
/// assert_eq!(entry.identifier.as_deref(), Some("spam.example"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BlocklistIdentifier {
    /// `"blocklist_identifier"`.
    pub object: Option<String>,
    /// The ID (`blid_...`).
    pub id: Option<String>,
    /// The email address, email domain, phone number or web3 wallet.
    pub identifier: Option<String>,
    /// What kind of identifier it is.
    pub identifier_type: Option<IdentifierType>,
    /// The instance.
    pub instance_id: Option<String>,
    /// Creation time (Unix ms).
    pub created_at: Option<i64>,
    /// Last update (Unix ms).
    pub updated_at: Option<i64>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
