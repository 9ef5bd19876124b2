//! Passkeys of users.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Verification;

/// A passkey of a user (`object: "passkey"`).
///
/// ```
/// let passkey: clerk_sdk::Passkey = serde_json::from_str(r#"{
///     "object": "passkey", "name": "Laptop", "last_used_at": 1, "verification": null
/// }"#)?;
/// assert_eq!(passkey.name, "Laptop");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Passkey {
    /// The ID. Optional in the spec, present in practice.
    pub id: Option<String>,
    /// `"passkey"`.
    pub object: String,
    /// The name the user gave it.
    pub name: String,
    /// When it was last used (Unix ms).
    pub last_used_at: i64,
    /// How it was verified, if it was.
    pub verification: Option<Verification>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
