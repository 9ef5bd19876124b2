//! Phone numbers of users.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{IdentificationLink, Verification};

/// A phone number of a user (`object: "phone_number"`, ID prefix `idn_`).
///
/// ```
/// let phone: clerk_sdk::PhoneNumber = serde_json::from_str(r#"{
///     "object": "phone_number", "phone_number": "+15555550100", "reserved": false,
///     "verification": null, "linked_to": [], "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert_eq!(phone.phone_number, "+15555550100");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PhoneNumber {
    /// The ID (`idn_...`). Optional in the spec, present in practice.
    pub id: Option<String>,
    /// `"phone_number"`.
    pub object: String,
    /// The number, E.164.
    pub phone_number: String,
    /// Whether the number is reserved for multi-factor authentication.
    pub reserved_for_second_factor: Option<bool>,
    /// Whether it is the user's default second factor.
    pub default_second_factor: Option<bool>,
    /// Whether the number is reserved (held for the user, not yet usable).
    pub reserved: bool,
    /// How it was verified, if it was.
    pub verification: Option<Verification>,
    /// Accounts linked to this number.
    #[serde(default)]
    pub linked_to: Vec<IdentificationLink>,
    /// Backup codes, when the number is a second factor.
    pub backup_codes: Option<Vec<String>>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
