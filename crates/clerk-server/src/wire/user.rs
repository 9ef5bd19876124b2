//! `user`, `email_address`, `phone_number` and `web3_wallet` objects (a user's passkeys and
//! external accounts are in `user_accounts`).
//!
//! Each object is a view borrowing the stored data (no copy of a string or of metadata is
//! made to answer), wrapped by a type that owns what it shows so handlers can return it.

use std::sync::Arc;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::user_accounts::{ExternalAccountView, PasskeyView};
use crate::domain::identifiers::IdentifierKind;
use crate::store::identifications::Identification;
use crate::store::users::User;

/// What rendering a user needs besides the user.
#[derive(Debug, Clone)]
pub(crate) struct UserContext {
    pub now_ms: i64,
    /// The server's public URL, where images are served (`image_url`).
    pub base_url: Arc<str>,
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
struct AdminVerification {
    object: &'static str,
    status: &'static str,
    strategy: &'static str,
    attempts: Option<i64>,
    expire_at: Option<i64>,
}

fn verification(ident: &Identification) -> Option<AdminVerification> {
    ident.verified.then_some(AdminVerification {
        object: "verification_admin",
        status: "verified",
        strategy: "admin",
        attempts: None,
        expire_at: None,
    })
}

/// The lists no identification of this server is linked to or has.
const NONE: [Value; 0] = [];

#[derive(Serialize)]
struct EmailAddressView<'a> {
    id: &'a str,
    object: &'static str,
    email_address: &'a str,
    reserved: bool,
    verification: Option<AdminVerification>,
    linked_to: [Value; 0],
    matches_sso_connection: bool,
    created_at: i64,
    updated_at: i64,
}

impl<'a> EmailAddressView<'a> {
    fn of(ident: &'a Identification) -> Self {
        Self {
            id: &ident.id,
            object: "email_address",
            email_address: &ident.value,
            reserved: ident.reserved,
            verification: verification(ident),
            linked_to: NONE,
            matches_sso_connection: false,
            created_at: ident.created_at,
            updated_at: ident.updated_at,
        }
    }
}

#[derive(Serialize)]
struct PhoneNumberView<'a> {
    id: &'a str,
    object: &'static str,
    phone_number: &'a str,
    reserved_for_second_factor: bool,
    default_second_factor: bool,
    reserved: bool,
    verification: Option<AdminVerification>,
    linked_to: [Value; 0],
    backup_codes: Option<[String; 0]>,
    created_at: i64,
    updated_at: i64,
}

impl<'a> PhoneNumberView<'a> {
    fn of(ident: &'a Identification) -> Self {
        Self {
            id: &ident.id,
            object: "phone_number",
            phone_number: &ident.value,
            reserved_for_second_factor: ident.reserved_for_second_factor,
            default_second_factor: ident.default_second_factor,
            reserved: ident.reserved,
            verification: verification(ident),
            linked_to: NONE,
            backup_codes: None,
            created_at: ident.created_at,
            updated_at: ident.updated_at,
        }
    }
}

#[derive(Serialize)]
struct Web3WalletView<'a> {
    id: &'a str,
    object: &'static str,
    web3_wallet: &'a str,
    verification: Option<AdminVerification>,
    created_at: i64,
    updated_at: i64,
}

impl<'a> Web3WalletView<'a> {
    fn of(ident: &'a Identification) -> Self {
        Self {
            id: &ident.id,
            object: "web3_wallet",
            web3_wallet: &ident.value,
            verification: verification(ident),
            created_at: ident.created_at,
            updated_at: ident.updated_at,
        }
    }
}

/// An `email_address` object.
pub(crate) struct EmailAddressJson(Identification);

impl EmailAddressJson {
    pub(crate) fn new(ident: Identification) -> Self {
        Self(ident)
    }
}

impl Serialize for EmailAddressJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        EmailAddressView::of(&self.0).serialize(serializer)
    }
}

/// A `phone_number` object.
pub(crate) struct PhoneNumberJson(Identification);

impl PhoneNumberJson {
    pub(crate) fn new(ident: Identification) -> Self {
        Self(ident)
    }
}

impl Serialize for PhoneNumberJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        PhoneNumberView::of(&self.0).serialize(serializer)
    }
}

#[derive(Serialize)]
pub(crate) struct UserView<'a> {
    id: &'a str,
    object: &'static str,
    external_id: Option<&'a str>,
    primary_email_address_id: Option<&'a str>,
    primary_phone_number_id: Option<&'a str>,
    primary_web3_wallet_id: Option<&'a str>,
    username: Option<&'a str>,
    first_name: Option<&'a str>,
    last_name: Option<&'a str>,
    locale: Option<&'a str>,
    profile_image_url: String,
    image_url: String,
    has_image: bool,
    public_metadata: &'a Map<String, Value>,
    private_metadata: &'a Map<String, Value>,
    unsafe_metadata: &'a Map<String, Value>,
    email_addresses: Vec<EmailAddressView<'a>>,
    phone_numbers: Vec<PhoneNumberView<'a>>,
    web3_wallets: Vec<Web3WalletView<'a>>,
    passkeys: Vec<PasskeyView<'a>>,
    password_enabled: bool,
    two_factor_enabled: bool,
    totp_enabled: bool,
    backup_code_enabled: bool,
    mfa_enabled_at: Option<i64>,
    mfa_disabled_at: Option<i64>,
    password_last_updated_at: Option<i64>,
    external_accounts: Vec<ExternalAccountView<'a>>,
    saml_accounts: [Value; 0],
    enterprise_accounts: [Value; 0],
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

impl<'a> UserView<'a> {
    /// The view of `user`, borrowing it.
    pub(crate) fn of(user: &'a User, ctx: &UserContext) -> Self {
        let r = &user.record;
        let (locked, lockout_expires_in_seconds) = r.lock_state(ctx.now_ms, ctx.lockout_ms);
        let second_factor_phone = user
            .of_kind(IdentifierKind::PhoneNumber)
            .any(|p| p.reserved_for_second_factor);
        let image = super::image_url(&ctx.base_url, r.image_id.as_deref());
        Self {
            id: &r.id,
            object: "user",
            external_id: r.external_id.as_deref(),
            primary_email_address_id: r.primary_email_address_id.as_deref(),
            primary_phone_number_id: r.primary_phone_number_id.as_deref(),
            primary_web3_wallet_id: r.primary_web3_wallet_id.as_deref(),
            username: r.username.as_deref(),
            first_name: r.first_name.as_deref(),
            last_name: r.last_name.as_deref(),
            locale: r.locale.as_deref(),
            profile_image_url: image.clone(),
            image_url: image,
            has_image: r.image_id.is_some(),
            public_metadata: &r.public_metadata,
            private_metadata: &r.private_metadata,
            unsafe_metadata: &r.unsafe_metadata,
            email_addresses: user
                .of_kind(IdentifierKind::EmailAddress)
                .map(EmailAddressView::of)
                .collect(),
            phone_numbers: user
                .of_kind(IdentifierKind::PhoneNumber)
                .map(PhoneNumberView::of)
                .collect(),
            web3_wallets: user
                .of_kind(IdentifierKind::Web3Wallet)
                .map(Web3WalletView::of)
                .collect(),
            passkeys: user.passkeys.iter().map(PasskeyView::of).collect(),
            password_enabled: r.password_digest.is_some(),
            two_factor_enabled: r.totp_enabled || second_factor_phone,
            totp_enabled: r.totp_enabled,
            backup_code_enabled: r.backup_code_enabled,
            mfa_enabled_at: r.mfa_enabled_at,
            mfa_disabled_at: r.mfa_disabled_at,
            password_last_updated_at: r.password_last_updated_at,
            external_accounts: user
                .external_accounts
                .iter()
                .map(ExternalAccountView::of)
                .collect(),
            saml_accounts: NONE,
            enterprise_accounts: NONE,
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

/// A `user` object.
pub(crate) struct UserJson {
    user: User,
    ctx: UserContext,
}

impl UserJson {
    pub(crate) fn new(user: User, ctx: UserContext) -> Self {
        Self { user, ctx }
    }
}

impl Serialize for UserJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        UserView::of(&self.user, &self.ctx).serialize(serializer)
    }
}
