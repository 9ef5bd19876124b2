//! Sign-up attempts.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

string_enum! {
    /// Where a sign-up stands.
    pub enum SignUpStatus {
        MissingRequirements => "missing_requirements",
        Complete => "complete",
        Abandoned => "abandoned",
    }
}

/// A sign-up attempt (`object: "sign_up_attempt"`, ID prefix `sua_`).
///
/// ```
/// let sign_up: clerk_sdk::SignUp = serde_json::from_str(r#"{
///     "object": "sign_up_attempt", "id": "sua_1", "status": "missing_requirements",
///     "required_fields": ["email_address"], "optional_fields": [], "missing_fields": [],
///     "unverified_fields": ["email_address"], "verifications": {},
///     "email_address": "ada@example.com", "password_enabled": false,
///     "custom_action": false, "abandon_at": 1700000000000
/// }"#)?;
/// assert_eq!(sign_up.status, clerk_sdk::SignUpStatus::MissingRequirements);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SignUp {
    /// `"sign_up_attempt"`.
    pub object: String,
    /// The ID (`sua_...`).
    pub id: String,
    /// Where it stands.
    pub status: SignUpStatus,
    /// Fields the instance requires.
    #[serde(default)]
    pub required_fields: Vec<String>,
    /// Fields the instance accepts.
    #[serde(default)]
    pub optional_fields: Vec<String>,
    /// Required fields not given yet.
    #[serde(default)]
    pub missing_fields: Vec<String>,
    /// Identifiers given but not verified yet.
    #[serde(default)]
    pub unverified_fields: Vec<String>,
    /// One verification per identifier (`email_address`, `phone_number`, `web3_wallet`,
    /// `external_account`), as the API gives them.
    #[serde(default)]
    pub verifications: Option<Value>,
    /// The username given.
    #[serde(default)]
    pub username: Option<String>,
    /// The email address given.
    #[serde(default)]
    pub email_address: Option<String>,
    /// The phone number given.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// The web3 wallet given.
    #[serde(default)]
    pub web3_wallet: Option<String>,
    /// Whether a password was given.
    #[serde(default)]
    pub password_enabled: Option<bool>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Metadata the browser may write.
    #[serde(default)]
    pub unsafe_metadata: Option<Map<String, Value>>,
    /// Metadata from the backend.
    #[serde(default)]
    pub public_metadata: Option<Map<String, Value>>,
    /// Whether it is marked as a custom action.
    #[serde(default)]
    pub custom_action: Option<bool>,
    /// Your ID for the person signing up, copied to the user.
    #[serde(default)]
    pub external_id: Option<String>,
    /// The session created when it completed.
    #[serde(default)]
    pub created_session_id: Option<String>,
    /// The user created when it completed.
    #[serde(default)]
    pub created_user_id: Option<String>,
    /// When it is (or was) abandoned (Unix ms).
    #[serde(default)]
    pub abandon_at: Option<i64>,
    /// When the legal terms were accepted (Unix ms).
    #[serde(default)]
    pub legal_accepted_at: Option<i64>,
    /// BCP-47 locale.
    #[serde(default)]
    pub locale: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
