//! The `passkey` and `external_account` objects a user shows, and `trusted_device`.

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::store::external_accounts::ExternalAccount;
use crate::store::passkeys::Passkey;
use crate::store::trusted_devices::TrustedDevice;

/// A registered passkey's `verification_passkey`: verified, as registration verifies it.
#[derive(Serialize)]
struct PasskeyVerification {
    object: &'static str,
    status: &'static str,
    strategy: &'static str,
    attempts: Option<i64>,
    expire_at: Option<i64>,
}

/// The spec's `Passkey` (which has no timestamps besides `last_used_at`).
#[derive(Serialize)]
pub(crate) struct PasskeyView<'a> {
    id: &'a str,
    object: &'static str,
    name: &'a str,
    last_used_at: i64,
    verification: PasskeyVerification,
}

impl<'a> PasskeyView<'a> {
    pub(crate) fn of(passkey: &'a Passkey) -> Self {
        Self {
            id: &passkey.id,
            object: "passkey",
            name: &passkey.name,
            last_used_at: passkey.last_used_at,
            verification: PasskeyVerification {
                object: "verification_passkey",
                status: "verified",
                strategy: "passkey",
                attempts: None,
                expire_at: None,
            },
        }
    }
}

/// An external account's `verification_oauth`: the OAuth flow's outcome, long over.
#[derive(Serialize)]
struct OAuthVerification<'a> {
    object: &'static str,
    status: &'static str,
    strategy: &'a str,
    attempts: Option<i64>,
    expire_at: i64,
    error: Option<Value>,
}

/// The spec's `ExternalAccountWithVerification`.
#[derive(Serialize)]
pub(crate) struct ExternalAccountView<'a> {
    object: &'static str,
    id: &'a str,
    provider: &'a str,
    identification_id: &'a str,
    provider_user_id: &'a str,
    approved_scopes: &'a str,
    email_address: &'a str,
    email_address_verified: Option<bool>,
    first_name: &'a str,
    last_name: &'a str,
    /// Deprecated in the spec for `image_url`; the same value (`""` without an image).
    avatar_url: &'a str,
    image_url: Option<&'a str>,
    username: Option<&'a str>,
    phone_number: Option<&'a str>,
    public_metadata: &'a Map<String, Value>,
    label: Option<&'a str>,
    created_at: i64,
    updated_at: i64,
    verification: OAuthVerification<'a>,
}

impl<'a> ExternalAccountView<'a> {
    pub(crate) fn of(account: &'a ExternalAccount) -> Self {
        Self {
            object: "external_account",
            id: &account.id,
            provider: &account.provider,
            identification_id: &account.identification_id,
            provider_user_id: &account.provider_user_id,
            approved_scopes: &account.approved_scopes,
            email_address: &account.email_address,
            email_address_verified: account.email_address_verified.map(|v| v != 0),
            first_name: &account.first_name,
            last_name: &account.last_name,
            avatar_url: account.image_url.as_deref().unwrap_or_default(),
            image_url: account.image_url.as_deref(),
            username: account.username.as_deref(),
            phone_number: account.phone_number.as_deref(),
            public_metadata: &account.public_metadata,
            label: account.label.as_deref(),
            created_at: account.created_at,
            updated_at: account.updated_at,
            verification: OAuthVerification {
                object: "verification_oauth",
                status: if account.verified {
                    "verified"
                } else {
                    "unverified"
                },
                strategy: &account.provider,
                attempts: None,
                // Clerk's OAuth verifications expire ten minutes after they start.
                expire_at: account.created_at + 10 * 60 * 1000,
                error: None,
            },
        }
    }
}

/// A `passkey` object.
pub(crate) struct PasskeyJson(pub(crate) Passkey);

impl Serialize for PasskeyJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        PasskeyView::of(&self.0).serialize(serializer)
    }
}

/// An `external_account` object.
pub(crate) struct ExternalAccountJson(pub(crate) ExternalAccount);

impl Serialize for ExternalAccountJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ExternalAccountView::of(&self.0).serialize(serializer)
    }
}

/// A `trusted_device` object (the spec's `TrustedDevice`).
#[derive(Serialize)]
struct TrustedDeviceView<'a> {
    object: &'static str,
    id: &'a str,
    platform: &'a str,
    app_identifier: &'a str,
    name: Option<&'a str>,
    algorithm: &'a str,
    status: &'a str,
    created_at: i64,
    updated_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

/// A `trusted_device` object.
pub(crate) struct TrustedDeviceJson(pub(crate) TrustedDevice);

impl Serialize for TrustedDeviceJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let d = &self.0;
        TrustedDeviceView {
            object: "trusted_device",
            id: &d.id,
            platform: &d.platform,
            app_identifier: &d.app_identifier,
            name: d.name.as_deref(),
            algorithm: &d.algorithm,
            status: &d.status,
            created_at: d.created_at,
            updated_at: d.updated_at,
            last_used_at: d.last_used_at,
            revoked_at: d.revoked_at,
        }
        .serialize(serializer)
    }
}
