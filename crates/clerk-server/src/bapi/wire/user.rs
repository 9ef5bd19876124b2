//! `user`, `email_address`, `phone_number` and `web3_wallet` objects.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::domain::identifiers::IdentifierKind;
use crate::store::identifications::Identification;
use crate::store::users::User;

/// What rendering a user needs besides the user.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UserContext {
    pub now_ms: i64,
    /// How long a lock lasts; `None` means until unlocked.
    pub lockout_ms: Option<i64>,
    /// Failed checks that lock a user; `None` when the lockout is off.
    pub lockout_attempts: Option<i64>,
}

impl UserContext {
    /// `verification_attempts_remaining`: `null` with the lockout off; after a lock that
    /// expired, every attempt again; otherwise what the counter leaves (a user locked
    /// through the Backend API may still have some, as Clerk documents).
    fn attempts_remaining(&self, user: &User, locked: bool) -> Option<i64> {
        let max = self.lockout_attempts?;
        let r = &user.record;
        if r.locked_at.is_some() && !locked {
            return Some(max);
        }
        Some((max - r.failed_verification_attempts).max(0))
    }
}

/// The `verification` of an identification verified through the Backend API.
#[derive(Serialize)]
pub(crate) struct AdminVerificationJson {
    object: &'static str,
    status: &'static str,
    strategy: &'static str,
    attempts: Option<i64>,
    expire_at: Option<i64>,
}

fn verification(ident: &Identification) -> Option<AdminVerificationJson> {
    ident.verified.then_some(AdminVerificationJson {
        object: "verification_admin",
        status: "verified",
        strategy: "admin",
        attempts: None,
        expire_at: None,
    })
}

/// An `email_address` object.
#[derive(Serialize)]
pub(crate) struct EmailAddressJson {
    id: String,
    object: &'static str,
    email_address: String,
    reserved: bool,
    verification: Option<AdminVerificationJson>,
    linked_to: Vec<Value>,
    matches_sso_connection: bool,
    created_at: i64,
    updated_at: i64,
}

impl EmailAddressJson {
    pub(crate) fn new(ident: &Identification) -> Self {
        Self {
            id: ident.id.clone(),
            object: "email_address",
            email_address: ident.value.clone(),
            reserved: ident.reserved,
            verification: verification(ident),
            linked_to: Vec::new(),
            matches_sso_connection: false,
            created_at: ident.created_at,
            updated_at: ident.updated_at,
        }
    }
}

/// A `phone_number` object.
#[derive(Serialize)]
pub(crate) struct PhoneNumberJson {
    id: String,
    object: &'static str,
    phone_number: String,
    reserved_for_second_factor: bool,
    default_second_factor: bool,
    reserved: bool,
    verification: Option<AdminVerificationJson>,
    linked_to: Vec<Value>,
    backup_codes: Option<Vec<String>>,
    created_at: i64,
    updated_at: i64,
}

impl PhoneNumberJson {
    pub(crate) fn new(ident: &Identification) -> Self {
        Self {
            id: ident.id.clone(),
            object: "phone_number",
            phone_number: ident.value.clone(),
            reserved_for_second_factor: ident.reserved_for_second_factor,
            default_second_factor: ident.default_second_factor,
            reserved: ident.reserved,
            verification: verification(ident),
            linked_to: Vec::new(),
            backup_codes: None,
            created_at: ident.created_at,
            updated_at: ident.updated_at,
        }
    }
}

/// A `web3_wallet` object.
#[derive(Serialize)]
pub(crate) struct Web3WalletJson {
    id: String,
    object: &'static str,
    web3_wallet: String,
    verification: Option<AdminVerificationJson>,
    created_at: i64,
    updated_at: i64,
}

impl Web3WalletJson {
    fn new(ident: &Identification) -> Self {
        Self {
            id: ident.id.clone(),
            object: "web3_wallet",
            web3_wallet: ident.value.clone(),
            verification: verification(ident),
            created_at: ident.created_at,
            updated_at: ident.updated_at,
        }
    }
}

/// A `user` object.
#[derive(Serialize)]
pub(crate) struct UserJson {
    id: String,
    object: &'static str,
    external_id: Option<String>,
    primary_email_address_id: Option<String>,
    primary_phone_number_id: Option<String>,
    primary_web3_wallet_id: Option<String>,
    username: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    locale: Option<String>,
    has_image: bool,
    public_metadata: Map<String, Value>,
    private_metadata: Map<String, Value>,
    unsafe_metadata: Map<String, Value>,
    email_addresses: Vec<EmailAddressJson>,
    phone_numbers: Vec<PhoneNumberJson>,
    web3_wallets: Vec<Web3WalletJson>,
    passkeys: Vec<Value>,
    password_enabled: bool,
    two_factor_enabled: bool,
    totp_enabled: bool,
    backup_code_enabled: bool,
    mfa_enabled_at: Option<i64>,
    mfa_disabled_at: Option<i64>,
    password_last_updated_at: Option<i64>,
    external_accounts: Vec<Value>,
    saml_accounts: Vec<Value>,
    enterprise_accounts: Vec<Value>,
    last_sign_in_at: Option<i64>,
    banned: bool,
    locked: bool,
    lockout_expires_in_seconds: Option<i64>,
    verification_attempts_remaining: Option<i64>,
    updated_at: i64,
    created_at: i64,
    delete_self_enabled: bool,
    create_organization_enabled: bool,
    create_organizations_limit: Option<i64>,
    last_active_at: Option<i64>,
    legal_accepted_at: Option<i64>,
    bypass_client_trust: bool,
}

impl UserJson {
    pub(crate) fn new(user: &User, ctx: UserContext) -> Self {
        let r = &user.record;
        let (locked, lockout_expires_in_seconds) = r.lock_state(ctx.now_ms, ctx.lockout_ms);
        let second_factor_phone = user
            .of_kind(IdentifierKind::PhoneNumber)
            .any(|p| p.reserved_for_second_factor);
        Self {
            id: r.id.clone(),
            object: "user",
            external_id: r.external_id.clone(),
            primary_email_address_id: r.primary_email_address_id.clone(),
            primary_phone_number_id: r.primary_phone_number_id.clone(),
            primary_web3_wallet_id: r.primary_web3_wallet_id.clone(),
            username: r.username.clone(),
            first_name: r.first_name.clone(),
            last_name: r.last_name.clone(),
            locale: r.locale.clone(),
            has_image: false,
            public_metadata: r.public_metadata.clone(),
            private_metadata: r.private_metadata.clone(),
            unsafe_metadata: r.unsafe_metadata.clone(),
            email_addresses: user
                .of_kind(IdentifierKind::EmailAddress)
                .map(EmailAddressJson::new)
                .collect(),
            phone_numbers: user
                .of_kind(IdentifierKind::PhoneNumber)
                .map(PhoneNumberJson::new)
                .collect(),
            web3_wallets: user
                .of_kind(IdentifierKind::Web3Wallet)
                .map(Web3WalletJson::new)
                .collect(),
            passkeys: Vec::new(),
            password_enabled: r.password_digest.is_some(),
            two_factor_enabled: r.totp_enabled || second_factor_phone,
            totp_enabled: r.totp_enabled,
            backup_code_enabled: r.backup_code_enabled,
            mfa_enabled_at: r.mfa_enabled_at,
            mfa_disabled_at: r.mfa_disabled_at,
            password_last_updated_at: r.password_last_updated_at,
            external_accounts: Vec::new(),
            saml_accounts: Vec::new(),
            enterprise_accounts: Vec::new(),
            last_sign_in_at: r.last_sign_in_at,
            banned: r.banned,
            locked,
            lockout_expires_in_seconds,
            verification_attempts_remaining: ctx.attempts_remaining(user, locked),
            updated_at: r.updated_at,
            created_at: r.created_at,
            delete_self_enabled: r.delete_self_enabled,
            create_organization_enabled: r.create_organization_enabled,
            create_organizations_limit: r.create_organizations_limit,
            last_active_at: r.last_active_at,
            legal_accepted_at: r.legal_accepted_at,
            bypass_client_trust: r.bypass_client_trust,
        }
    }
}
