//! A user's email addresses and phone numbers (and web3 wallets): adding, changing and
//! removing one, and replacing all of a kind with one. Every change also updates the user
//! (its primary identifications, `updated_at`, the derived search columns), in the same
//! unit of work, and emits `user.updated` with the user as it is after the change (Clerk has
//! no event of its own for identifications).

use super::blocklist::refuse_blocked;
use super::error::{Result, Rule};
use super::identifiers::IdentifierKind;
use super::services::Services;
use super::users::{emit_updated, new_identification, notify_primary_email_changed};
use crate::store::identifications::{self, Identification};
use crate::store::users::{self, User};
use crate::store::{StoreError, UnitOfWork};

/// A new identification for an existing user.
#[derive(Debug, Clone)]
pub(crate) struct NewIdentification {
    pub kind: IdentifierKind,
    /// Already validated and normalised.
    pub value: String,
    pub verified: bool,
    pub primary: bool,
    pub reserved_for_second_factor: bool,
}

/// Changes to an identification (`None` leaves a field alone).
#[derive(Debug, Clone, Default)]
pub(crate) struct IdentificationChanges {
    pub verified: Option<bool>,
    pub primary: Option<bool>,
    pub reserved_for_second_factor: Option<bool>,
}

/// The status `PUT /v1/users/{id}/email_address` (or `/phone_number`) gives the one it
/// creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReplacementStatus {
    Verified,
    Reserved,
    Unverified,
}

/// Adds an identification to a user. With `notify`, a previous primary email address that
/// it replaces is told so.
pub(crate) async fn create(
    svc: &Services,
    user_id: &str,
    new: NewIdentification,
    notify: bool,
) -> Result<Identification> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let before = users::lock(work.tx(), svc.store.dialect(), user_id).await?;
    refuse_blocked(work.tx(), new.kind, new.kind.as_str(), &new.value).await?;
    let has_primary = before.record.primary_id(new.kind).is_some();
    if new.primary && has_primary && !new.verified {
        return Err(verification_needed(new.kind).into());
    }
    if new.reserved_for_second_factor && !new.verified {
        return Err(Rule::refused(
            "identification_create_second_factor_unverified",
            "Create failed",
            "Unverified identifications cannot be a second factor",
        )
        .into());
    }
    let mut ident = new_identification(user_id, new.kind, new.value, new.verified, false, now);
    ident.reserved_for_second_factor = new.reserved_for_second_factor;
    ident.default_second_factor = new.reserved_for_second_factor
        && !before
            .identifications
            .iter()
            .any(|i| i.default_second_factor);
    identifications::insert(work.tx(), &ident).await?;
    let primary = (new.primary || !has_primary).then(|| ident.id.clone());
    let after = refresh_user(&mut work, svc, user_id, |user| {
        if let Some(id) = primary {
            user.record.set_primary(new.kind, Some(id));
        }
    })
    .await?;
    if notify {
        notify_primary_email_changed(svc, &mut work, &before, &after, now).await?;
    }
    work.commit().await?;
    Ok(ident)
}

/// Changes an identification of `kind`. With `notify`, a previous primary email address that
/// it replaces is told so.
pub(crate) async fn update(
    svc: &Services,
    id: &str,
    kind: IdentifierKind,
    changes: IdentificationChanges,
    notify: bool,
) -> Result<Identification> {
    let now = svc.now_ms();
    let dialect = svc.store.dialect();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut ident = identifications::lock(work.tx(), dialect, id, kind).await?;
    let before = users::lock(work.tx(), dialect, &ident.user_id).await?;
    let verified = changes.verified.unwrap_or(ident.verified);
    if changes.primary == Some(true) && !verified {
        return Err(verification_needed(kind).into());
    }
    let second_factor = changes
        .reserved_for_second_factor
        .unwrap_or(ident.reserved_for_second_factor);
    if second_factor && !verified {
        return Err(Rule::refused(
            "identification_update_second_factor_unverified",
            "Update failed",
            "Cannot update second factor attributes for unverified identification",
        )
        .into());
    }
    let was_default = ident.default_second_factor;
    ident.default_second_factor = second_factor
        && (was_default
            || !before
                .identifications
                .iter()
                .any(|i| i.default_second_factor));
    ident.reserved = ident.reserved && !verified;
    ident.verified = verified;
    ident.reserved_for_second_factor = second_factor;
    ident.updated_at = now;
    identifications::save(work.tx(), &ident).await?;
    if was_default && !ident.default_second_factor {
        identifications::promote_default_second_factor(work.tx(), &ident.user_id, id).await?;
    }
    let after = refresh_user(&mut work, svc, &ident.user_id, |user| {
        if changes.primary == Some(true) {
            user.record.set_primary(kind, Some(id.to_owned()));
        }
    })
    .await?;
    if notify {
        notify_primary_email_changed(svc, &mut work, &before, &after, now).await?;
    }
    work.commit().await?;
    Ok(ident)
}

/// Deletes an identification of `kind`. If it was the user's primary of its kind, the
/// oldest remaining verified one (if any) becomes primary.
pub(crate) async fn delete(svc: &Services, id: &str, kind: IdentifierKind) -> Result<()> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let ident = identifications::lock(work.tx(), svc.store.dialect(), id, kind).await?;
    delete_in(&mut work, svc, &ident).await?;
    Ok(work.commit().await?)
}

/// Deletes `ident` inside `work` (see [`delete`]).
async fn delete_in(work: &mut UnitOfWork, svc: &Services, ident: &Identification) -> Result<()> {
    let (id, kind) = (ident.id.as_str(), ident.kind);
    identifications::delete(work.tx(), &[id]).await?;
    if ident.default_second_factor {
        identifications::promote_default_second_factor(work.tx(), &ident.user_id, id).await?;
    }
    refresh_user(work, svc, &ident.user_id, |user| {
        if user.record.primary_id(kind) == Some(id) {
            let successor = user
                .of_kind(kind)
                .find(|i| i.verified)
                .map(|i| i.id.clone());
            user.record.set_primary(kind, successor);
        }
    })
    .await?;
    Ok(())
}

/// Replaces every identification of `kind` of a user with one new primary one. With
/// `notify`, the previous primary email address is told.
pub(crate) async fn replace_all(
    svc: &Services,
    user_id: &str,
    kind: IdentifierKind,
    value: String,
    status: ReplacementStatus,
    notify: bool,
) -> Result<Identification> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let before = users::lock(work.tx(), svc.store.dialect(), user_id).await?;
    refuse_blocked(work.tx(), kind, kind.as_str(), &value).await?;
    // The old ones go first, so the user may keep the value it already had.
    let old: Vec<&str> = before.of_kind(kind).map(|i| i.id.as_str()).collect();
    identifications::delete(work.tx(), &old).await?;
    let ident = new_identification(
        user_id,
        kind,
        value,
        status == ReplacementStatus::Verified,
        status == ReplacementStatus::Reserved,
        now,
    );
    identifications::insert(work.tx(), &ident).await?;
    let after = refresh_user(&mut work, svc, user_id, |user| {
        user.record.set_primary(kind, Some(ident.id.clone()));
    })
    .await?;
    if notify {
        notify_primary_email_changed(svc, &mut work, &before, &after, now).await?;
    }
    work.commit().await?;
    Ok(ident)
}

/// Deletes a web3 wallet of a user: a wallet of another user is as unknown as no wallet at
/// all.
pub(crate) async fn delete_web3_wallet(
    svc: &Services,
    user_id: &str,
    wallet_id: &str,
) -> Result<()> {
    let kind = IdentifierKind::Web3Wallet;
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let wallet = identifications::lock(work.tx(), svc.store.dialect(), wallet_id, kind).await?;
    if wallet.user_id != user_id {
        return Err(StoreError::not_found(kind.words(), wallet_id).into());
    }
    delete_in(&mut work, svc, &wallet).await?;
    Ok(work.commit().await?)
}

/// Reloads a user whose identifications changed in `work`, lets `change` adjust it (its
/// primaries), and saves it: `updated_at` and the derived columns follow, and
/// `user.updated` is emitted.
pub(super) async fn refresh_user(
    work: &mut UnitOfWork,
    svc: &Services,
    user_id: &str,
    change: impl FnOnce(&mut User),
) -> Result<User> {
    let now = svc.now_ms();
    let mut user = users::lock(work.tx(), svc.store.dialect(), user_id).await?;
    change(&mut user);
    user.record.updated_at = now;
    users::save(work.tx(), &user).await?;
    emit_updated(svc, work, &user, now).await?;
    Ok(user)
}

fn verification_needed(kind: IdentifierKind) -> Rule {
    Rule::input(
        "form_verification_needed",
        "primary",
        "is unverified",
        format!(
            "This {} needs to be verified before it can be the primary one.",
            kind.words()
        ),
    )
}
