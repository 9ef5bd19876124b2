//! Users.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    EmailAddress, EnterpriseAccount, ExternalAccount, Metadata, OrganizationMembership, Passkey,
    PhoneNumber, SamlAccount, Web3Wallet,
};

/// A user (`object: "user"`, ID prefix `user_`).
///
/// ```
/// # fn show(user: &clerk_sdk::User) {
/// let name = [user.first_name.as_deref(), user.last_name.as_deref()]
///     .into_iter()
///     .flatten()
///     .collect::<Vec<_>>()
///     .join(" ");
/// println!("{} <{:?}>", name, user.primary_email_address().map(|e| &e.email_address));
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct User {
    /// The ID (`user_...`).
    pub id: String,
    /// `"user"`.
    pub object: String,
    /// The ID in your own systems.
    pub external_id: Option<String>,
    /// The primary email address's ID.
    pub primary_email_address_id: Option<String>,
    /// The primary phone number's ID.
    pub primary_phone_number_id: Option<String>,
    /// The primary web3 wallet's ID.
    pub primary_web3_wallet_id: Option<String>,
    /// Username.
    pub username: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Locale, e.g. `en-US`.
    pub locale: Option<String>,
    /// Deprecated: use `image_url`.
    pub profile_image_url: Option<String>,
    /// Profile image.
    pub image_url: Option<String>,
    /// Whether an image was uploaded.
    pub has_image: bool,
    /// Metadata readable by frontend and backend, writable by the backend.
    #[serde(default)]
    pub public_metadata: Metadata,
    /// Metadata only the backend sees.
    pub private_metadata: Option<Metadata>,
    /// Metadata the frontend can write too: never trust it.
    pub unsafe_metadata: Option<Metadata>,
    /// Email addresses.
    #[serde(default)]
    pub email_addresses: Vec<EmailAddress>,
    /// Phone numbers.
    #[serde(default)]
    pub phone_numbers: Vec<PhoneNumber>,
    /// Web3 wallets.
    #[serde(default)]
    pub web3_wallets: Vec<Web3Wallet>,
    /// Passkeys.
    #[serde(default)]
    pub passkeys: Vec<Passkey>,
    /// Whether the user has a password.
    pub password_enabled: bool,
    /// Whether any second factor is enabled.
    pub two_factor_enabled: bool,
    /// Whether TOTP is enabled.
    pub totp_enabled: bool,
    /// Whether backup codes are enabled.
    pub backup_code_enabled: bool,
    /// When MFA was last enabled (Unix ms; not cleared when disabled).
    pub mfa_enabled_at: Option<i64>,
    /// When MFA was last disabled (Unix ms; not cleared when enabled again).
    pub mfa_disabled_at: Option<i64>,
    /// When the password was last changed (Unix ms).
    pub password_last_updated_at: Option<i64>,
    /// Linked OAuth accounts.
    #[serde(default)]
    pub external_accounts: Vec<ExternalAccount>,
    /// SAML accounts.
    #[serde(default)]
    pub saml_accounts: Vec<SamlAccount>,
    /// Enterprise (SSO) accounts.
    #[serde(default)]
    pub enterprise_accounts: Vec<EnterpriseAccount>,
    /// Organization memberships (only when requested).
    pub organization_memberships: Option<Vec<OrganizationMembership>>,
    /// Last sign-in (Unix ms).
    pub last_sign_in_at: Option<i64>,
    /// Whether the user is banned.
    pub banned: bool,
    /// Whether the user is locked out.
    pub locked: bool,
    /// Whether the user was deprovisioned by a directory.
    pub deprovisioned: Option<bool>,
    /// Seconds until a lockout ends (`None` for a locked user: never).
    pub lockout_expires_in_seconds: Option<i64>,
    /// Verification attempts left before a lockout (`None`: lockout disabled).
    pub verification_attempts_remaining: Option<i64>,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Whether the user can delete themselves through the Frontend API.
    pub delete_self_enabled: bool,
    /// Whether the user can create organizations through the Frontend API.
    pub create_organization_enabled: bool,
    /// Most organizations the user may create (0: unlimited).
    pub create_organizations_limit: Option<i64>,
    /// Latest session activity (Unix ms, day precision).
    pub last_active_at: Option<i64>,
    /// When the user accepted the legal requirements (Unix ms).
    pub legal_accepted_at: Option<i64>,
    /// Whether the user bypasses device-trust checks.
    pub bypass_client_trust: Option<bool>,
    /// Directory (SCIM) provisioning data.
    pub scim: Option<ScimUserMetadata>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl User {
    /// The primary email address, found among `email_addresses`.
    ///
    /// ```
    /// # fn show(user: &clerk_sdk::User) {
    /// if let Some(email) = user.primary_email_address() {
    ///     println!("{}", email.email_address);
    /// }
    /// # }
    /// ```
    pub fn primary_email_address(&self) -> Option<&EmailAddress> {
        let id = self.primary_email_address_id.as_deref()?;
        self.email_addresses
            .iter()
            .find(|email| email.id.as_deref() == Some(id))
    }

    /// The primary phone number, found among `phone_numbers`.
    ///
    /// ```
    /// # fn show(user: &clerk_sdk::User) {
    /// let phone = user.primary_phone_number().map(|p| p.phone_number.as_str());
    /// # }
    /// ```
    pub fn primary_phone_number(&self) -> Option<&PhoneNumber> {
        let id = self.primary_phone_number_id.as_deref()?;
        self.phone_numbers
            .iter()
            .find(|phone| phone.id.as_deref() == Some(id))
    }
}

/// How a directory (SCIM) provisions a user.
///
/// ```
/// let scim: clerk_sdk::ScimUserMetadata = serde_json::from_str(r#"{"directory_id":"dir_1","external_id":null}"#)?;
/// assert_eq!(scim.directory_id, "dir_1");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScimUserMetadata {
    /// The directory's ID.
    pub directory_id: String,
    /// Whether the directory is enabled (omitted when false).
    pub directory_enabled: Option<bool>,
    /// The user's ID in the directory.
    pub external_id: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The answer of `POST /users/{id}/verify_password`.
///
/// [`Users::verify_password`](crate::resources::Users::verify_password) reads
/// it into a `bool`.
///
/// ```
/// let answer: clerk_sdk::PasswordVerification = serde_json::from_str(r#"{"verified":true}"#)?;
/// assert_eq!(answer.verified, Some(true));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PasswordVerification {
    /// Whether the password matched.
    pub verified: Option<bool>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

string_enum! {
    /// Which kind of code `POST /users/{id}/verify_totp` accepted.
    pub enum TotpCodeType {
        Totp => "totp",
        BackupCode => "backup_code",
    }
}

/// The answer of `POST /users/{id}/verify_totp`.
///
/// [`Users::verify_totp`](crate::resources::Users::verify_totp) reads it into the
/// [`TotpCodeType`] that verified.
///
/// ```
/// use clerk_sdk::{TotpCodeType, TotpVerification};
/// let answer: TotpVerification =
///     serde_json::from_str(r#"{"verified":true,"code_type":"backup_code"}"#)?;
/// assert_eq!(answer.code_type, Some(TotpCodeType::BackupCode));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TotpVerification {
    /// Whether the code matched.
    pub verified: Option<bool>,
    /// Which kind of code it was.
    pub code_type: Option<TotpCodeType>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
