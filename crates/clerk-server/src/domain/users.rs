//! Users: creating, changing and deleting them, their metadata, bans and locks, and
//! password checks. Each operation is one unit of work on the locked user row: the record is
//! changed here, in Rust, and written back whole (`store::users::save`), and the webhook
//! event Clerk sends for the change (`user.created`, `user.updated`, `user.deleted`, and
//! `session.revoked` for the sessions a change revokes) is written in the same unit of work.

use clerk_core::Patch;
use serde_json::{Map, Value, json};

use super::error::{Result, Rule};
use super::identifiers::IdentifierKind;
use super::lockout::{self, Claim, Outcome};
use super::message_templates::render;
use super::metadata::{check_size, deep_merge};
use super::password::PasswordDigest;
use super::services::Services;
use crate::clock::start_of_day_ms;
use crate::ids::{self, prefix};
use crate::secret::Secret;
use crate::store::identifications::Identification;
use crate::store::users::{self, User, UserRecord};
use crate::store::{StoreError, UnitOfWork};
use crate::wire::{DeletedObject, UserView};

pub(crate) mod image;
mod new;

pub(crate) use new::{NewIdentifier, NewUser};

/// Changes of `PATCH /v1/users/{id}` (read and checked by the route).
#[derive(Debug, Clone, Default)]
pub(crate) struct UserChanges {
    pub external_id: Patch<String>,
    pub first_name: Patch<String>,
    pub last_name: Patch<String>,
    pub locale: Patch<String>,
    pub username: Patch<String>,
    pub primary_email_address_id: Option<String>,
    pub primary_phone_number_id: Option<String>,
    pub primary_web3_wallet_id: Option<String>,
    pub password: Option<PasswordDigest>,
    pub sign_out_of_other_sessions: bool,
    /// A base32 TOTP secret: TOTP on with it.
    pub totp_secret: Option<Secret>,
    /// New backup codes (none turns backup codes off).
    pub backup_codes: Option<Vec<Secret>>,
    pub public_metadata: Option<Map<String, Value>>,
    pub private_metadata: Option<Map<String, Value>>,
    pub unsafe_metadata: Option<Map<String, Value>>,
    pub delete_self_enabled: Option<bool>,
    pub create_organization_enabled: Option<bool>,
    pub create_organizations_limit: Patch<i64>,
    pub legal_accepted_at: Patch<i64>,
    pub created_at: Option<i64>,
    pub bypass_client_trust: Option<bool>,
    /// Tell the previous primary email address that it was replaced.
    pub notify_primary_email_address_changed: bool,
}

/// How `/metadata` applies its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetadataMode {
    /// `PATCH`: deep merge, `null` deletes.
    Merge,
    /// `PUT`: each given field replaces the old value.
    Replace,
}

/// The three metadata fields of a `/metadata` request.
#[derive(Debug, Clone)]
pub(crate) struct MetadataChange {
    pub public: Patch<Map<String, Value>>,
    pub private: Patch<Map<String, Value>>,
    pub unsafe_: Patch<Map<String, Value>>,
}

/// Creates a user with its identifications; the first of each kind becomes primary.
pub(crate) async fn create(svc: &Services, new: NewUser) -> Result<User> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let user = create_in(svc, &mut work, new).await?;
    work.commit().await?;
    Ok(user)
}

/// [`create`] inside `work`, which the caller commits: the same checks and the same
/// `user.created` event.
pub(crate) async fn create_in(svc: &Services, work: &mut UnitOfWork, new: NewUser) -> Result<User> {
    for (kind, param, given) in [
        (
            IdentifierKind::EmailAddress,
            "email_address",
            &new.email_addresses,
        ),
        (
            IdentifierKind::PhoneNumber,
            "phone_number",
            &new.phone_numbers,
        ),
        (IdentifierKind::Web3Wallet, "web3_wallet", &new.web3_wallets),
    ] {
        for identifier in given {
            super::blocklist::refuse_blocked(work.tx(), kind, param, &identifier.value).await?;
        }
    }
    let now = svc.now_ms();
    let (totp_secret, backup_codes) = (new.totp_secret.clone(), new.backup_codes.clone());
    let mut user = new.into_user(now);
    if let Some(secret) = &totp_secret {
        super::totp::keep_secret(svc, &mut user.record, secret, now);
    }
    if let Some(codes) = &backup_codes {
        super::totp::keep_backup_codes(&mut user.record, codes);
    }
    users::insert(work.tx(), std::slice::from_ref(&user)).await?;
    let view = UserView::of(&user, &svc.user_context());
    svc.events
        .emit(work, "user.created", &view, user.record.created_at)
        .await?;
    Ok(user)
}

/// Applies `PATCH /v1/users/{id}`.
pub(crate) async fn update(svc: &Services, id: &str, changes: UserChanges) -> Result<User> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let before = users::lock(work.tx(), svc.store.dialect(), id).await?;
    let mut user = before.clone();
    set_primaries(&mut user, &changes)?;
    apply(&mut user.record, &changes, now);
    if let Some(secret) = &changes.totp_secret {
        super::totp::keep_secret(svc, &mut user.record, secret, now);
    }
    if let Some(codes) = &changes.backup_codes {
        super::totp::keep_backup_codes(&mut user.record, codes);
    }
    users::save(work.tx(), &user).await?;
    emit_updated(svc, &mut work, &user, now).await?;
    if changes.password.is_some() && changes.sign_out_of_other_sessions {
        super::sessions::revoke_all_of_user(svc, &mut work, &user, now).await?;
    }
    if changes.notify_primary_email_address_changed {
        notify_primary_email_changed(svc, &mut work, &before, &user, now).await?;
    }
    work.commit().await?;
    Ok(user)
}

/// Makes the identifications the changes name primary: each must be the user's and
/// verified.
fn set_primaries(user: &mut User, changes: &UserChanges) -> Result<()> {
    let primaries = [
        (
            IdentifierKind::EmailAddress,
            "primary_email_address_id",
            &changes.primary_email_address_id,
        ),
        (
            IdentifierKind::PhoneNumber,
            "primary_phone_number_id",
            &changes.primary_phone_number_id,
        ),
        (
            IdentifierKind::Web3Wallet,
            "primary_web3_wallet_id",
            &changes.primary_web3_wallet_id,
        ),
    ];
    for (kind, param, wanted) in primaries {
        let Some(wanted) = wanted else { continue };
        let ident = user
            .of_kind(kind)
            .find(|i| &i.id == wanted)
            .ok_or_else(|| {
                Rule::input(
                    "form_identifier_not_found",
                    param,
                    "not found",
                    format!("No {} with id {wanted} belongs to this user.", kind.words()),
                )
            })?;
        if !ident.verified {
            return Err(Rule::input(
                "form_verification_needed",
                param,
                "is unverified",
                format!(
                    "The {} must be verified before it can be the primary one.",
                    kind.words()
                ),
            )
            .into());
        }
        user.record.set_primary(kind, Some(wanted.clone()));
    }
    Ok(())
}

/// The profile, credential, metadata and flag changes of `PATCH /v1/users/{id}`.
fn apply(r: &mut UserRecord, changes: &UserChanges, now: i64) {
    r.updated_at = now;
    let texts = [
        (&mut r.external_id, &changes.external_id),
        (&mut r.first_name, &changes.first_name),
        (&mut r.last_name, &changes.last_name),
        (&mut r.locale, &changes.locale),
        (&mut r.username, &changes.username),
    ];
    for (field, patch) in texts {
        patch_field(field, patch);
    }
    patch_field(
        &mut r.create_organizations_limit,
        &changes.create_organizations_limit,
    );
    patch_field(&mut r.legal_accepted_at, &changes.legal_accepted_at);
    if let Some(password) = &changes.password {
        r.set_password(Some(password.clone()), now);
    }
    let metadata = [
        (&mut r.public_metadata, &changes.public_metadata),
        (&mut r.private_metadata, &changes.private_metadata),
        (&mut r.unsafe_metadata, &changes.unsafe_metadata),
    ];
    for (field, value) in metadata {
        if let Some(map) = value {
            *field = map.clone();
        }
    }
    let flags = [
        (&mut r.delete_self_enabled, changes.delete_self_enabled),
        (
            &mut r.create_organization_enabled,
            changes.create_organization_enabled,
        ),
        (&mut r.bypass_client_trust, changes.bypass_client_trust),
    ];
    for (field, value) in flags {
        if let Some(v) = value {
            *field = v;
        }
    }
    if let Some(created_at) = changes.created_at {
        r.created_at = created_at;
    }
}

/// Applies a three-state change to a nullable field.
fn patch_field<T: Clone>(field: &mut Option<T>, patch: &Patch<T>) {
    match patch {
        Patch::Unchanged => {}
        Patch::Null => *field = None,
        Patch::Set(value) => *field = Some(value.clone()),
    }
}

/// Deletes a user with its identifications and sessions (`user.deleted`, with the external
/// id it had). False if there was none.
pub(crate) async fn delete(svc: &Services, id: &str) -> Result<bool> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let user = match users::lock(work.tx(), svc.store.dialect(), id).await {
        Ok(user) => user,
        Err(StoreError::NotFound { .. }) => return Ok(false),
        Err(err) => return Err(err.into()),
    };
    if !users::delete(work.tx(), id).await? {
        return Ok(false);
    }
    let data = DeletedObject::new("user", id).with_external_id(user.record.external_id.as_deref());
    svc.events
        .emit(&mut work, "user.deleted", &data, svc.now_ms())
        .await?;
    work.commit().await?;
    Ok(true)
}

/// Emits `user.updated` for `user` as it is after a change, in the change's `work`.
pub(crate) async fn emit_updated(
    svc: &Services,
    work: &mut UnitOfWork,
    user: &User,
    now: i64,
) -> Result<()> {
    let view = UserView::of(user, &svc.user_context());
    svc.events.emit(work, "user.updated", &view, now).await?;
    Ok(())
}

/// Applies `PATCH` (merge) or `PUT` (replace) `/v1/users/{id}/metadata`; each field must stay
/// within Clerk's size limit as stored.
pub(crate) async fn update_metadata(
    svc: &Services,
    id: &str,
    change: &MetadataChange,
    mode: MetadataMode,
) -> Result<User> {
    let apply = |current: &mut Map<String, Value>, patch: &Patch<Map<String, Value>>, name| {
        match patch {
            Patch::Unchanged => {}
            // A top-level null obeys "null deletes": the whole field is emptied.
            Patch::Null => current.clear(),
            Patch::Set(new) => match mode {
                MetadataMode::Replace => *current = new.clone(),
                MetadataMode::Merge => deep_merge(current, new),
            },
        }
        check_size(name, current)
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut user = users::lock(work.tx(), svc.store.dialect(), id).await?;
    let r = &mut user.record;
    apply(&mut r.public_metadata, &change.public, "public_metadata")?;
    apply(&mut r.private_metadata, &change.private, "private_metadata")?;
    apply(&mut r.unsafe_metadata, &change.unsafe_, "unsafe_metadata")?;
    let now = svc.now_ms();
    r.updated_at = now;
    users::save(work.tx(), &user).await?;
    emit_updated(svc, &mut work, &user, now).await?;
    work.commit().await?;
    Ok(user)
}

/// Bans (revoking the user's active sessions) or unbans a user.
pub(crate) async fn set_banned(svc: &Services, id: &str, banned: bool) -> Result<User> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let user = ban(&mut work, svc, id, banned).await?;
    work.commit().await?;
    Ok(user)
}

/// Bans or unbans every existing user of `ids` in one unit of work; answers those users in
/// the order of `ids` (unknown ids are skipped). Each user has its own `user.updated`.
pub(crate) async fn set_banned_many(
    svc: &Services,
    ids: &[String],
    banned: bool,
) -> Result<Vec<User>> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut answered = Vec::with_capacity(ids.len());
    for id in ids {
        match ban(&mut work, svc, id, banned).await {
            Ok(user) => answered.push(user),
            Err(super::error::Error::Store(StoreError::NotFound { .. })) => {}
            Err(err) => return Err(err),
        }
    }
    work.commit().await?;
    Ok(answered)
}

/// Bans or unbans one user inside `work`: `user.updated`, then a `session.revoked` for each
/// session a ban revokes.
async fn ban(work: &mut UnitOfWork, svc: &Services, id: &str, banned: bool) -> Result<User> {
    let now = svc.now_ms();
    let mut user = users::lock(work.tx(), svc.store.dialect(), id).await?;
    user.record.banned = banned;
    user.record.updated_at = now;
    users::save(work.tx(), &user).await?;
    emit_updated(svc, work, &user, now).await?;
    if banned {
        super::sessions::revoke_all_of_user(svc, work, &user, now).await?;
    }
    Ok(user)
}

/// Locks (from now) or unlocks a user. Unlocking also clears the lockout counter, as
/// Clerk's unlock does.
pub(crate) async fn set_locked(svc: &Services, id: &str, locked: bool) -> Result<User> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut user = users::lock(work.tx(), svc.store.dialect(), id).await?;
    user.record.locked_at = locked.then_some(now);
    if !locked {
        user.record.failed_verification_attempts = 0;
    }
    user.record.updated_at = now;
    users::save(work.tx(), &user).await?;
    emit_updated(svc, &mut work, &user, now).await?;
    work.commit().await?;
    Ok(user)
}

/// Records a sign-in on a locked user: `last_sign_in_at` exactly, `last_active_at` with day
/// precision.
pub(crate) fn record_sign_in(record: &mut UserRecord, now_ms: i64) {
    record.last_sign_in_at = Some(now_ms);
    record.last_active_at = Some(start_of_day_ms(now_ms));
}

/// 400 `no_password_set`: the operation needs a password the user does not have.
pub(crate) fn no_password_set() -> Rule {
    Rule::refused(
        "no_password_set",
        "no password set",
        "This user does not have a password set for their account",
    )
}

/// `POST /v1/users/{id}/verify_password`: whether `password` is the user's. With the
/// lockout on, a failed check counts toward it as a failed sign-in does, a right one starts
/// the count over, and a locked user is refused before any check. A user without a
/// password is refused (`no_password_set`).
pub(crate) async fn verify_password(svc: &Services, id: &str, password: Secret) -> Result<bool> {
    let user = svc
        .store
        .user(id)
        .await?
        .ok_or_else(|| StoreError::not_found("user", id))?;
    let stored = user.record.password().ok_or_else(no_password_set)?;
    let Some(lockout) = svc.settings.lockout() else {
        let (locked, expires_in_s) = user
            .record
            .lock_state(svc.now_ms(), svc.settings.lockout_ms);
        if locked {
            return Err(Rule::user_locked(expires_in_s).into());
        }
        return Ok(svc.passwords.verify(password, stored).await?);
    };
    if let Claim::Locked { expires_in_s } = lockout::claim(svc, id, lockout).await? {
        return Err(Rule::user_locked(expires_in_s).into());
    }
    let checked = svc.passwords.verify(password, stored).await;
    let outcome = match checked {
        Ok(true) => Outcome::Passed,
        Ok(false) => Outcome::Failed,
        Err(_) => Outcome::NotChecked,
    };
    lockout::settle(svc, id, outcome, lockout).await?;
    Ok(checked?)
}

/// Tells the previous primary email address of a user that it was replaced.
pub(crate) async fn notify_primary_email_changed(
    svc: &Services,
    work: &mut UnitOfWork,
    before: &User,
    after: &User,
    now: i64,
) -> Result<()> {
    let primary = |user: &User| user.primary(IdentifierKind::EmailAddress).cloned();
    let (Some(old), new): (Option<Identification>, _) = (primary(before), primary(after)) else {
        return Ok(());
    };
    if new.as_ref().is_some_and(|n| n.id == old.id) {
        return Ok(());
    }
    let new_address = new.map(|n| n.value).unwrap_or_default();
    let values = json!({
        "new_email_address": new_address,
        "primary_email_address": old.value,
    });
    let recipient = render::Recipient {
        to: &old.value,
        identification_id: Some(&old.id),
        user_id: Some(&after.record.id),
    };
    render::email(
        svc,
        work,
        "primary_email_address_changed",
        recipient,
        values,
        now,
    )
    .await?;
    Ok(())
}

/// A new identification of a user, with a fresh id.
pub(crate) fn new_identification(
    user_id: &str,
    kind: IdentifierKind,
    value: String,
    verified: bool,
    reserved: bool,
    now_ms: i64,
) -> Identification {
    Identification {
        id: ids::new_id(prefix::IDENTIFICATION, now_ms),
        user_id: user_id.to_owned(),
        kind,
        value,
        verified,
        reserved,
        reserved_for_second_factor: false,
        default_second_factor: false,
        created_at: now_ms,
        updated_at: now_ms,
    }
}
