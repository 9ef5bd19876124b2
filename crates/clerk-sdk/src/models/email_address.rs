//! Email addresses of users.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Verification;

/// An email address of a user (`object: "email_address"`, ID prefix `idn_`).
///
/// ```
/// let email: clerk_sdk::EmailAddress = serde_json::from_str(r#"{
///     "id": "idn_1", "object": "email_address", "email_address": "ada@example.com",
///     "reserved": false, "linked_to": [], "created_at": 1, "updated_at": 2,
///     "verification": {"object": "verification_admin", "status": "verified", "strategy": "admin",
///                      "attempts": null, "expire_at": null}
/// }"#)?;
/// assert!(email.verification.unwrap().is_verified());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmailAddress {
    /// The ID (`idn_...`). Optional in the spec, present in practice.
    pub id: Option<String>,
    /// `"email_address"`.
    pub object: String,
    /// The address.
    pub email_address: String,
    /// Whether the address is reserved (held for the user, not yet usable).
    pub reserved: bool,
    /// How it was verified, if it was.
    pub verification: Option<Verification>,
    /// Accounts (OAuth, SAML, ...) linked to this address.
    #[serde(default)]
    pub linked_to: Vec<IdentificationLink>,
    /// Whether the address's domain matches an active enterprise connection.
    pub matches_sso_connection: Option<bool>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A link from an identifier to the account it belongs to
/// (`{"type": "oauth_google", "id": "idn_..."}`).
///
/// ```
/// let link: clerk_sdk::IdentificationLink = serde_json::from_str(r#"{"type":"oauth_google","id":"idn_1"}"#)?;
/// assert_eq!(link.kind, "oauth_google");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IdentificationLink {
    /// The kind of the linked account (`type` on the wire).
    #[serde(rename = "type")]
    pub kind: String,
    /// The linked identification's ID.
    pub id: String,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
