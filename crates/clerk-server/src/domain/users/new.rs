//! A user about to be created, and the records it becomes.

use crate::secret::Secret;
use serde_json::{Map, Value};

use super::new_identification;
use crate::domain::identifiers::IdentifierKind;
use crate::domain::password::PasswordDigest;
use crate::ids::{self, prefix};
use crate::store::users::{User, UserRecord};

/// An identifier of a new user: already validated and normalised.
#[derive(Debug, Clone)]
pub(crate) struct NewIdentifier {
    pub value: String,
    pub verified: bool,
    pub reserved: bool,
}

/// A user to create (read and checked by the route).
#[derive(Debug, Clone, Default)]
pub(crate) struct NewUser {
    pub external_id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub locale: Option<String>,
    pub username: Option<String>,
    pub email_addresses: Vec<NewIdentifier>,
    pub phone_numbers: Vec<NewIdentifier>,
    pub web3_wallets: Vec<NewIdentifier>,
    pub password: Option<PasswordDigest>,
    pub public_metadata: Map<String, Value>,
    pub private_metadata: Map<String, Value>,
    pub unsafe_metadata: Map<String, Value>,
    /// A base32 TOTP secret (TOTP on; sealed when the user is created).
    pub totp_secret: Option<Secret>,
    /// Backup codes (on when there are some; kept as digests).
    pub backup_codes: Option<Vec<Secret>>,
    pub delete_self_enabled: bool,
    pub create_organization_enabled: bool,
    pub create_organizations_limit: Option<i64>,
    pub legal_accepted_at: Option<i64>,
    pub created_at: Option<i64>,
    pub bypass_client_trust: bool,
    pub banned: bool,
    pub locked: bool,
}

impl NewUser {
    /// The user this creates at `now_ms`, with fresh ids; the first identification of each
    /// kind is the primary one.
    pub(crate) fn into_user(self, now_ms: i64) -> User {
        let id = ids::new_id(prefix::USER, now_ms);
        let mut identifications = Vec::new();
        let mut primaries = [None, None, None];
        let kinds = [
            (IdentifierKind::EmailAddress, self.email_addresses),
            (IdentifierKind::PhoneNumber, self.phone_numbers),
            (IdentifierKind::Web3Wallet, self.web3_wallets),
        ];
        for (slot, (kind, values)) in primaries.iter_mut().zip(kinds) {
            for value in values {
                let ident = new_identification(
                    &id,
                    kind,
                    value.value,
                    value.verified,
                    value.reserved,
                    now_ms,
                );
                slot.get_or_insert_with(|| ident.id.clone());
                identifications.push(ident);
            }
        }
        let [primary_email, primary_phone, primary_web3] = primaries;
        let mut record = UserRecord {
            id,
            external_id: self.external_id,
            username: self.username,
            first_name: self.first_name,
            last_name: self.last_name,
            locale: self.locale,
            password_digest: None,
            password_hasher: None,
            password_last_updated_at: None,
            primary_email_address_id: primary_email,
            primary_phone_number_id: primary_phone,
            primary_web3_wallet_id: primary_web3,
            public_metadata: self.public_metadata,
            private_metadata: self.private_metadata,
            unsafe_metadata: self.unsafe_metadata,
            totp_enabled: self.totp_secret.is_some(),
            backup_code_enabled: self.backup_codes.as_ref().is_some_and(|c| !c.is_empty()),
            mfa_enabled_at: self.totp_secret.is_some().then_some(now_ms),
            mfa_disabled_at: None,
            banned: self.banned,
            locked_at: self.locked.then_some(now_ms),
            failed_verification_attempts: 0,
            delete_self_enabled: self.delete_self_enabled,
            create_organization_enabled: self.create_organization_enabled,
            create_organizations_limit: self.create_organizations_limit,
            bypass_client_trust: self.bypass_client_trust,
            image_id: None,
            password_compromised_at: None,
            totp_secret: None,
            backup_code_digests: None,
            legal_accepted_at: self.legal_accepted_at,
            last_sign_in_at: None,
            last_active_at: None,
            created_at: self.created_at.unwrap_or(now_ms),
            updated_at: now_ms,
        };
        record.set_password(self.password, now_ms);
        User {
            record,
            identifications,
            passkeys: Vec::new(),
            external_accounts: Vec::new(),
        }
    }
}
