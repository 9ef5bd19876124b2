//! A user's passkeys, external accounts and trusted devices.
//!
//! The Backend API only lists and removes them: passkeys are registered through WebAuthn,
//! external accounts through an OAuth sign-in and trusted devices by a native app, none of
//! which this server serves yet. So they are also *seeded* here (the `/v1/_local` endpoints
//! and `TestServer` helpers), as those flows would leave them.
//!
//! A change to what the user object shows (its `passkeys`, its `external_accounts`) emits
//! `user.updated` in its unit of work; adding or removing a passkey also emails the user's
//! primary address (`passkey_added`, `passkey_removed`), as Clerk does. Trusted devices are
//! not part of the user object and Clerk has no event for them: revoking one emits nothing.

use serde_json::{Map, Value, json};

use super::error::{Result, Rule};
use super::identifiers::IdentifierKind;
use super::message_templates::render;
use super::services::Services;
use super::users::emit_updated;
use crate::ids::{self, prefix};
use crate::store::external_accounts::{self, ExternalAccount};
use crate::store::passkeys::{self, Passkey};
use crate::store::trusted_devices::{self, TrustedDevice};
use crate::store::users::{self, User};
use crate::store::{StoreError, UnitOfWork};

/// A passkey to seed.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewPasskey {
    /// Its name; `None` is "Passkey".
    pub name: Option<String>,
    /// The WebAuthn credential id; `None` makes a random one.
    pub credential_id: Option<String>,
    /// When it was last used; `None` is now (registering a passkey uses it).
    pub last_used_at: Option<i64>,
}

/// An external account to seed.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewExternalAccount {
    pub provider: String,
    pub provider_user_id: String,
    pub email_address: Option<String>,
    pub email_address_verified: Option<bool>,
    pub approved_scopes: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub image_url: Option<String>,
    pub username: Option<String>,
    pub phone_number: Option<String>,
    pub public_metadata: Option<Map<String, Value>>,
    pub label: Option<String>,
    /// Whether the OAuth verification completed; `None` is verified.
    pub verified: Option<bool>,
}

/// A trusted device to seed.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewTrustedDevice {
    pub platform: String,
    pub app_identifier: String,
    pub name: Option<String>,
    pub last_used_at: Option<i64>,
}

/// The longest name, identifier or id a seeded object may have.
const MAX_TEXT: usize = 256;

fn bounded(param: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() || value.len() > MAX_TEXT {
        return Err(Rule::value_invalid(
            param,
            format!("{param} must be between 1 and {MAX_TEXT} characters long."),
        )
        .into());
    }
    Ok(())
}

/// Registers a passkey for a user, as a WebAuthn registration would: `user.updated`, and
/// the `passkey_added` email to the user's primary email address.
pub(crate) async fn add_passkey(svc: &Services, user_id: &str, new: NewPasskey) -> Result<Passkey> {
    let now = svc.now_ms();
    let name = new.name.unwrap_or_else(|| "Passkey".to_owned());
    bounded("name", &name)?;
    let credential_id = match new.credential_id {
        Some(id) => {
            bounded("credential_id", &id)?;
            id
        }
        None => ids::random_base62(43),
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    users::lock(work.tx(), svc.store.dialect(), user_id).await?;
    let passkey = Passkey {
        id: ids::new_id(prefix::IDENTIFICATION, now),
        user_id: user_id.to_owned(),
        name,
        credential_id,
        last_used_at: new.last_used_at.unwrap_or(now),
        created_at: now,
        updated_at: now,
    };
    passkeys::insert(work.tx(), &passkey).await?;
    let user = touch_user(&mut work, svc, user_id).await?;
    notify_passkey(svc, &mut work, &user, "passkey_added", &passkey.name).await?;
    work.commit().await?;
    Ok(passkey)
}

/// `DELETE /v1/users/{user_id}/passkeys/{id}`: removes the passkey ("notify them through
/// email": `passkey_removed`) and emits `user.updated`. A passkey of another user is as
/// unknown as none.
pub(crate) async fn delete_passkey(svc: &Services, user_id: &str, id: &str) -> Result<()> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    users::lock(work.tx(), svc.store.dialect(), user_id).await?;
    let passkey = passkeys::lock(work.tx(), svc.store.dialect(), user_id, id).await?;
    passkeys::delete(work.tx(), &passkey.id).await?;
    let user = touch_user(&mut work, svc, user_id).await?;
    notify_passkey(svc, &mut work, &user, "passkey_removed", &passkey.name).await?;
    Ok(work.commit().await?)
}

/// Links an external account to a user, as an OAuth sign-in would, and emits
/// `user.updated`. The provider is Clerk's strategy name (`oauth_google`,
/// `oauth_custom_acme`, …); an account another user has is refused.
pub(crate) async fn add_external_account(
    svc: &Services,
    user_id: &str,
    new: NewExternalAccount,
) -> Result<ExternalAccount> {
    let now = svc.now_ms();
    check_provider(&new.provider)?;
    bounded("provider_user_id", &new.provider_user_id)?;
    let email_address = match new.email_address {
        Some(raw) => IdentifierKind::EmailAddress.normalize("email_address", &raw)?,
        None => String::new(),
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    users::lock(work.tx(), svc.store.dialect(), user_id).await?;
    let account = ExternalAccount {
        id: ids::new_id(prefix::EXTERNAL_ACCOUNT, now),
        user_id: user_id.to_owned(),
        identification_id: ids::new_id(prefix::IDENTIFICATION, now),
        provider: new.provider,
        provider_user_id: new.provider_user_id,
        approved_scopes: new.approved_scopes.unwrap_or_default(),
        email_address,
        email_address_verified: new.email_address_verified.map(i64::from),
        first_name: new.first_name.unwrap_or_default(),
        last_name: new.last_name.unwrap_or_default(),
        image_url: new.image_url,
        username: new.username,
        phone_number: new.phone_number,
        public_metadata: new.public_metadata.unwrap_or_default(),
        label: new.label,
        verified: new.verified.unwrap_or(true),
        created_at: now,
        updated_at: now,
    };
    external_accounts::insert(work.tx(), &account).await?;
    touch_user(&mut work, svc, user_id).await?;
    work.commit().await?;
    Ok(account)
}

/// `DELETE /v1/users/{user_id}/external_accounts/{id}`: unlinks the account and emits
/// `user.updated`. An account of another user is as unknown as none.
pub(crate) async fn delete_external_account(svc: &Services, user_id: &str, id: &str) -> Result<()> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    users::lock(work.tx(), svc.store.dialect(), user_id).await?;
    let account = external_accounts::lock(work.tx(), svc.store.dialect(), user_id, id).await?;
    external_accounts::delete(work.tx(), &account.id).await?;
    touch_user(&mut work, svc, user_id).await?;
    Ok(work.commit().await?)
}

/// Enrolls a device the user trusts (a native app's ES256 device key), active.
pub(crate) async fn add_trusted_device(
    svc: &Services,
    user_id: &str,
    new: NewTrustedDevice,
) -> Result<TrustedDevice> {
    let now = svc.now_ms();
    if !matches!(new.platform.as_str(), "ios" | "android") {
        return Err(Rule::value_invalid(
            "platform",
            format!(
                "{} does not match the allowed values for parameter platform. \
                 Allowed values: ios, android",
                new.platform
            ),
        )
        .into());
    }
    bounded("app_identifier", &new.app_identifier)?;
    if let Some(name) = &new.name {
        bounded("name", name)?;
    }
    let mut work = UnitOfWork::begin(&svc.store).await?;
    users::lock(work.tx(), svc.store.dialect(), user_id).await?;
    let device = TrustedDevice {
        id: ids::new_id(prefix::TRUSTED_DEVICE, now),
        user_id: user_id.to_owned(),
        platform: new.platform,
        app_identifier: new.app_identifier,
        name: new.name,
        algorithm: "ES256".to_owned(),
        status: trusted_devices::ACTIVE.to_owned(),
        last_used_at: new.last_used_at,
        revoked_at: None,
        created_at: now,
        updated_at: now,
    };
    trusted_devices::insert(work.tx(), &device).await?;
    work.commit().await?;
    Ok(device)
}

/// `DELETE /v1/users/{user_id}/trusted_devices/{id}`: revokes an active device of the
/// user (`revoked`, `revoked_at`). Unknown, another user's or already revoked: not found.
pub(crate) async fn revoke_trusted_device(
    svc: &Services,
    user_id: &str,
    id: &str,
) -> Result<TrustedDevice> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    users::lock(work.tx(), svc.store.dialect(), user_id).await?;
    let mut device =
        trusted_devices::lock_active(work.tx(), svc.store.dialect(), user_id, id).await?;
    device.status = trusted_devices::REVOKED.to_owned();
    device.revoked_at = Some(now);
    device.updated_at = now;
    trusted_devices::save(work.tx(), &device).await?;
    work.commit().await?;
    Ok(device)
}

/// The active trusted devices of a user, newest first; an unknown user is not found.
pub(crate) async fn trusted_devices_of(
    svc: &Services,
    user_id: &str,
) -> Result<Vec<TrustedDevice>> {
    svc.store
        .active_trusted_devices(user_id)
        .await?
        .ok_or_else(|| StoreError::not_found("user", user_id).into())
}

/// Clerk's OAuth strategy names: `oauth_<provider>`, `oauth_custom_<key>` or
/// `oauth_token_<provider>`, lowercase letters.
fn check_provider(provider: &str) -> Result<()> {
    let rest = provider.strip_prefix("oauth_").unwrap_or("");
    let name = rest
        .strip_prefix("custom_")
        .or_else(|| rest.strip_prefix("token_"))
        .unwrap_or(rest);
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(Rule::format_invalid(
            "provider",
            "provider must be an OAuth strategy such as oauth_google or oauth_custom_acme.",
        )
        .into());
    }
    Ok(())
}

/// Saves the locked user with a new `updated_at` (its passkeys or external accounts
/// changed in `work`), read back with them, and emits `user.updated`.
async fn touch_user(work: &mut UnitOfWork, svc: &Services, user_id: &str) -> Result<User> {
    let now = svc.now_ms();
    let mut user = users::lock(work.tx(), svc.store.dialect(), user_id).await?;
    user.record.updated_at = now;
    users::save(work.tx(), &user).await?;
    emit_updated(svc, work, &user, now).await?;
    Ok(user)
}

/// Emails the user's primary email address about a passkey (none without one).
async fn notify_passkey(
    svc: &Services,
    work: &mut UnitOfWork,
    user: &User,
    slug: &str,
    passkey_name: &str,
) -> Result<()> {
    let Some(primary) = user.primary(IdentifierKind::EmailAddress) else {
        return Ok(());
    };
    let r = &user.record;
    let greeting = r
        .first_name
        .clone()
        .or_else(|| r.username.clone())
        .unwrap_or_default();
    let values = json!({
        "passkey_name": passkey_name,
        "greeting_name": greeting,
        "primary_email_address": primary.value,
    });
    let recipient = render::Recipient {
        to: &primary.value,
        identification_id: Some(&primary.id),
        user_id: Some(&r.id),
    };
    render::email(svc, work, slug, recipient, values, svc.now_ms()).await
}
