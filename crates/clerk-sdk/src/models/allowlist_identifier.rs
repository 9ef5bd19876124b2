//! Identifiers allowed to sign up when the allowlist is on.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

string_enum! {
    /// What kind of identifier an allowlist entry is.
    pub enum IdentifierType {
        EmailAddress => "email_address",
        PhoneNumber => "phone_number",
        Web3Wallet => "web3_wallet",
    }
}

/// An allowlist entry (`object: "allowlist_identifier"`, ID prefix `alid_`).
/// Every field is optional in the spec.
///
/// ```
/// let entry: clerk_sdk::AllowlistIdentifier = serde_json::from_str(r#"{
///     "object": "allowlist_identifier", "id": "alid_1", "identifier": "ada@example.com",
///     "identifier_type": "email_address", "created_at": 1, "updated_at": 1
/// }"#)?;
/// assert_eq!(entry.identifier_type, Some(clerk_sdk::IdentifierType::EmailAddress));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AllowlistIdentifier {
    /// `"allowlist_identifier"`.
    pub object: Option<String>,
    /// The ID (`alid_...`).
    pub id: Option<String>,
    /// The invitation sent for it, when `notify` was set.
    pub invitation_id: Option<String>,
    /// The email address, phone number, web3 wallet or domain.
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
