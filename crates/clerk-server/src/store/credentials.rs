//! A user's credentials beyond the profile: removing the password, turning second factors
//! off, replacing every email address or phone number with one, banning many at once.

use super::identifications::{self, Identification};
use super::users::{self, User};
use super::{Store, flag, sessions};
use crate::error::ApiError;
use crate::identifiers::IdentifierKind;
use crate::ids::{self, prefix};

/// Which second factors `DELETE /v1/users/{id}/mfa`, `/totp` or `/backup_code` turns off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SecondFactors {
    /// Every one: TOTP, backup codes, and phone numbers reserved for second factor.
    All,
    Totp,
    BackupCodes,
}

/// The status of the identification `PUT /v1/users/{id}/email_address` (or
/// `/phone_number`) creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReplacementStatus {
    Verified,
    Reserved,
    Unverified,
}

impl Store {
    /// Removes a user's password (a user without one is returned unchanged); with
    /// `sign_out`, revokes the user's active sessions.
    pub(crate) async fn remove_password(
        &self,
        id: &str,
        sign_out: bool,
        now_ms: i64,
    ) -> Result<User, ApiError> {
        let mut tx = self.write().await?;
        let user = users::existing_user(&mut tx, id, self.dialect().for_update()).await?;
        if user.record.password.is_none() {
            return Ok(user);
        }
        sqlx::query(
            "UPDATE users SET password_digest = NULL, password_hasher = NULL, \
             password_last_updated_at = NULL, updated_at = $1 WHERE id = $2",
        )
        .bind(now_ms)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if sign_out {
            sessions::revoke_user_sessions(&mut tx, id, now_ms).await?;
        }
        let user = users::existing_user(&mut tx, id, "").await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Turns second factors off; `mfa_disabled_at` is set when the user had any on.
    pub(crate) async fn disable_second_factors(
        &self,
        id: &str,
        which: SecondFactors,
        now_ms: i64,
    ) -> Result<(), ApiError> {
        let mut tx = self.write().await?;
        let user = users::existing_user(&mut tx, id, self.dialect().for_update()).await?;
        let r = &user.record;
        let phones = user
            .identifications
            .iter()
            .any(|i| i.reserved_for_second_factor);
        let (totp, backup_codes, phone) = match which {
            SecondFactors::All => (r.totp_enabled, r.backup_code_enabled, phones),
            SecondFactors::Totp => (r.totp_enabled, false, false),
            SecondFactors::BackupCodes => (false, r.backup_code_enabled, false),
        };
        if !(totp || backup_codes || phone) {
            return Ok(());
        }
        sqlx::query(
            "UPDATE users SET totp_enabled = $1, backup_code_enabled = $2, mfa_disabled_at = $3, \
             updated_at = $3 WHERE id = $4",
        )
        .bind(flag(r.totp_enabled && !totp))
        .bind(flag(r.backup_code_enabled && !backup_codes))
        .bind(now_ms)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if phone {
            sqlx::query(
                "UPDATE identifications SET reserved_for_second_factor = 0, \
                 default_second_factor = 0, updated_at = $1 WHERE user_id = $2 \
                 AND reserved_for_second_factor = 1",
            )
            .bind(now_ms)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Replaces every identification of `kind` of a user with one new primary one.
    pub(crate) async fn replace_identifications(
        &self,
        user_id: &str,
        kind: IdentifierKind,
        value: String,
        status: ReplacementStatus,
        now_ms: i64,
    ) -> Result<Identification, ApiError> {
        let mut tx = self.write().await?;
        let user = users::existing_user(&mut tx, user_id, self.dialect().for_update()).await?;
        // The old ones go first, so the user may keep the value it already had.
        let old: Vec<&Identification> = user.of_kind(kind).collect();
        users::set_primary(&mut tx, user_id, kind, None).await?;
        for ident in &old {
            sqlx::query("DELETE FROM identifications WHERE id = $1")
                .bind(&ident.id)
                .execute(&mut *tx)
                .await?;
        }
        let ident = Identification {
            id: ids::new_id(prefix::IDENTIFICATION, now_ms),
            user_id: user_id.to_owned(),
            kind,
            value,
            verified: status == ReplacementStatus::Verified,
            reserved: status == ReplacementStatus::Reserved,
            reserved_for_second_factor: false,
            default_second_factor: false,
            created_at: now_ms,
            updated_at: now_ms,
        };
        identifications::insert(&mut tx, &ident).await?;
        users::set_primary(&mut tx, user_id, kind, Some(&ident.id)).await?;
        users::touch_and_refresh(&mut tx, user_id, now_ms).await?;
        tx.commit().await?;
        Ok(ident)
    }

    /// Bans (revoking their active sessions) or unbans every existing user of `ids`, in
    /// one transaction; answers those users in the order of `ids` (unknown ids are
    /// skipped).
    pub(crate) async fn set_banned_many(
        &self,
        ids: &[String],
        banned: bool,
        now_ms: i64,
    ) -> Result<Vec<User>, ApiError> {
        let mut tx = self.write().await?;
        let mut answered = Vec::with_capacity(ids.len());
        for id in ids {
            if !users::ban_in(&mut tx, id, banned, now_ms).await? {
                continue;
            }
            if let Some(user) = users::load_user(&mut tx, id, "").await? {
                answered.push(user);
            }
        }
        tx.commit().await?;
        Ok(answered)
    }
}
