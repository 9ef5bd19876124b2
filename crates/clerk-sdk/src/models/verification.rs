//! How an identifier (email address, phone number, wallet, account) was verified.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::ClerkError;

string_enum! {
    /// Which kind of verification this is: the spec's `oneOf` variants,
    /// discriminated by the `object` field.
    pub enum VerificationKind {
        Otp => "verification_otp",
        Admin => "verification_admin",
        FromOauth => "verification_from_oauth",
        Oauth => "verification_oauth",
        GoogleOneTap => "verification_google_one_tap",
        Ticket => "verification_ticket",
        Saml => "verification_saml",
        EmailLink => "verification_email_link",
        Scim => "verification_scim",
        Web3 => "verification_web3",
        Passkey => "verification_passkey",
    }
}

string_enum! {
    /// The state of a verification.
    pub enum VerificationStatus {
        Unverified => "unverified",
        Verified => "verified",
        Failed => "failed",
        Expired => "expired",
        Transferable => "transferable",
    }
}

string_enum! {
    /// How the verification is performed. OAuth strategies are per provider
    /// (`oauth_google`, `from_oauth_github`, ...) and arrive as
    /// [`VerificationStrategy::Other`]; see [`VerificationStrategy::oauth_provider`].
    pub enum VerificationStrategy {
        PhoneCode => "phone_code",
        EmailCode => "email_code",
        ResetPasswordEmailCode => "reset_password_email_code",
        Admin => "admin",
        Ticket => "ticket",
        Saml => "saml",
        EmailLink => "email_link",
        Scim => "scim",
        Passkey => "passkey",
        GoogleOneTap => "google_one_tap",
        Web3MetamaskSignature => "web3_metamask_signature",
        Web3BaseSignature => "web3_base_signature",
        Web3CoinbaseWalletSignature => "web3_coinbase_wallet_signature",
        Web3OkxWalletSignature => "web3_okx_wallet_signature",
        Web3SolanaSignature => "web3_solana_signature",
    }
}

impl VerificationStrategy {
    /// The provider of an OAuth strategy: `google` for `oauth_google` and
    /// `from_oauth_google`.
    ///
    /// ```
    /// use clerk_sdk::VerificationStrategy;
    /// assert_eq!(VerificationStrategy::from("oauth_github").oauth_provider(), Some("github"));
    /// assert_eq!(VerificationStrategy::from("from_oauth_google").oauth_provider(), Some("google"));
    /// assert_eq!(VerificationStrategy::EmailCode.oauth_provider(), None);
    /// ```
    pub fn oauth_provider(&self) -> Option<&str> {
        let value = self.as_str();
        value
            .strip_prefix("from_oauth_")
            .or_else(|| value.strip_prefix("oauth_"))
    }
}

/// A verification. The spec's `oneOf` (`verification_otp`,
/// `verification_admin`, `verification_oauth`, ...) is read into this one
/// struct holding the fields of every variant, so code that only cares about
/// [`status`](Verification::status) needs no `match`; [`Verification::kind`]
/// tells the variant, from `object` or, when an older API omits it, from
/// the strategy.
///
/// ```
/// use clerk_sdk::{Verification, VerificationKind, VerificationStatus};
/// let v: Verification = serde_json::from_str(
///     r#"{"status":"verified","strategy":"admin","attempts":null,"expire_at":null}"#,
/// )?;
/// assert_eq!(v.kind(), VerificationKind::Admin);
/// assert!(v.is_verified());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Verification {
    /// The variant (`verification_otp`, ...); absent in answers of older API versions.
    pub object: Option<VerificationKind>,
    /// The state of the verification.
    pub status: VerificationStatus,
    /// How it is performed.
    pub strategy: VerificationStrategy,
    /// Attempts made so far.
    pub attempts: Option<i64>,
    /// When the verification expires (Unix ms).
    pub expire_at: Option<i64>,
    /// The client that completed the verification.
    pub verified_at_client: Option<String>,
    /// The delivery channel of a code (phone codes only): `sms`, `whatsapp`, ...
    pub channel: Option<String>,
    /// Why an OAuth or SAML verification failed.
    pub error: Option<ClerkError>,
    /// Where an OAuth or SAML verification continues.
    pub external_verification_redirect_url: Option<String>,
    /// The nonce of a web3 or passkey verification.
    pub nonce: Option<String>,
    /// The message of a web3 or passkey verification.
    pub message: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Verification {
    /// The variant: `object` when present, otherwise inferred from the strategy.
    ///
    /// ```
    /// # use clerk_sdk::{Verification, VerificationKind};
    /// let v: Verification = serde_json::from_str(r#"{"status":"unverified","strategy":"email_code"}"#)?;
    /// assert_eq!(v.kind(), VerificationKind::Otp);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn kind(&self) -> VerificationKind {
        if let Some(kind) = &self.object {
            return kind.clone();
        }
        use VerificationStrategy as S;
        match &self.strategy {
            S::PhoneCode | S::EmailCode | S::ResetPasswordEmailCode => VerificationKind::Otp,
            S::Admin => VerificationKind::Admin,
            S::Ticket => VerificationKind::Ticket,
            S::Saml => VerificationKind::Saml,
            S::EmailLink => VerificationKind::EmailLink,
            S::Scim => VerificationKind::Scim,
            S::Passkey => VerificationKind::Passkey,
            S::GoogleOneTap => VerificationKind::GoogleOneTap,
            S::Web3MetamaskSignature
            | S::Web3BaseSignature
            | S::Web3CoinbaseWalletSignature
            | S::Web3OkxWalletSignature
            | S::Web3SolanaSignature => VerificationKind::Web3,
            other if other.as_str().starts_with("from_oauth_") => VerificationKind::FromOauth,
            other if other.as_str().starts_with("oauth_") => VerificationKind::Oauth,
            other => VerificationKind::Other(other.as_str().to_owned()),
        }
    }

    /// Whether the status is `verified`.
    ///
    /// ```
    /// # use clerk_sdk::Verification;
    /// let v: Verification = serde_json::from_str(r#"{"status":"expired","strategy":"email_code"}"#)?;
    /// assert!(!v.is_verified());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn is_verified(&self) -> bool {
        self.status == VerificationStatus::Verified
    }
}

/// The verification answered by `prepare_verification` and `attempt_verification` of an
/// email address or phone number: pass its `id` to the attempt; after an attempt, `status`
/// says how it went (`unverified` for a wrong code with attempts left, `failed` when they
/// ran out, `expired`, `verified`). Every field is optional in the spec.
///
/// ```
/// let v: clerk_sdk::CodeVerification = serde_json::from_str(r#"{
///     "object": "verification", "id": "ver_1", "status": "unverified",
///     "strategy": "email_code", "attempts": 0, "expire_at": 1700000600000, "channel": null
/// }"#)?;
/// assert_eq!(v.status, Some(clerk_sdk::VerificationStatus::Unverified));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CodeVerification {
    /// `"verification"`.
    pub object: Option<String>,
    /// The ID to pass to `attempt_verification`.
    pub id: Option<String>,
    /// Where it stands.
    pub status: Option<VerificationStatus>,
    /// `email_code` or `phone_code`.
    pub strategy: Option<VerificationStrategy>,
    /// Attempts made so far.
    pub attempts: Option<i64>,
    /// When the code expires (Unix ms).
    pub expire_at: Option<i64>,
    /// The channel the code went over (phone numbers only: `sms`).
    pub channel: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
