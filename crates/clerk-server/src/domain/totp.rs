//! TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) and backup codes: the secrets a
//! user's second factors keep, and `POST /v1/users/{id}/verify_totp`. The TOTP secret is
//! sealed with the vault (bound to the user's id); backup codes are kept as SHA-256 digests
//! and a verified one is consumed.

use crate::keys::sealed::SealedColumn;
use aws_lc_rs::hmac;

use super::error::{Result, Rule, RuleKind};
use super::services::Services;
use super::users::emit_updated;
use crate::ids;
use crate::secret::Secret;
use crate::store::UnitOfWork;
use crate::store::users::{self, UserRecord};

/// A TOTP time step.
const STEP_SECONDS: i64 = 30;
/// Steps accepted on either side of now (clock drift).
const DRIFT_STEPS: i64 = 1;
/// Backup codes a local enrollment makes.
const BACKUP_CODES: usize = 10;
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Which kind of code verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeType {
    Totp,
    BackupCode,
}

impl CodeType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Totp => "totp",
            Self::BackupCode => "backup_code",
        }
    }
}

/// RFC 4648 base32 without padding.
pub(crate) fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..chars {
            out.push(BASE32[((bits >> (35 - 5 * i)) & 31) as usize] as char);
        }
    }
    out
}

/// Decodes base32 (either case, padding ignored); `None` if it is not base32.
pub(crate) fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.trim_end_matches('=').bytes() {
        let value = BASE32.iter().position(|&b| b == c.to_ascii_uppercase())? as u32;
        acc = (acc << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The 6-digit code of `key` at time step `counter`.
fn code_at(key: &[u8], counter: i64) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, key);
    let mac = hmac::sign(&key, &counter.to_be_bytes());
    let mac = mac.as_ref();
    let offset = (mac[mac.len() - 1] & 0x0f) as usize;
    let value = u32::from_be_bytes([
        mac[offset],
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ]) & 0x7fff_ffff;
    format!("{:06}", value % 1_000_000)
}

/// The code of a base32 secret at `unix_s` (`clerk_server::totp_code` for tests and tools).
pub(crate) fn totp_code(secret_base32: &str, unix_s: i64) -> Option<String> {
    let key = base32_decode(secret_base32)?;
    Some(code_at(&key, unix_s.div_euclid(STEP_SECONDS)))
}

fn digest(code: &str) -> String {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, code.trim().as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The vault context of a user's TOTP secret.
fn context(user_id: &str) -> String {
    SealedColumn::TotpSecret.context(user_id)
}

/// Keeps a TOTP secret (base32, checked by the caller) on the record, sealed, and turns TOTP
/// on (`mfa_enabled_at` when it was off).
pub(crate) fn keep_secret(svc: &Services, r: &mut UserRecord, secret: &Secret, now: i64) {
    let normalized = secret.expose().trim_end_matches('=').to_ascii_uppercase();
    let sealed = svc
        .keys
        .vault()
        .seal(&context(&r.id), normalized.as_bytes());
    r.totp_secret = Some(Secret::new(sealed));
    if !r.totp_enabled {
        r.mfa_enabled_at = Some(now);
    }
    r.totp_enabled = true;
}

/// Keeps backup codes on the record (their digests) and turns backup codes on.
pub(crate) fn keep_backup_codes(r: &mut UserRecord, codes: &[Secret]) {
    let digests: Vec<String> = codes.iter().map(|c| digest(c.expose())).collect();
    r.backup_code_digests = Some(digests.join(" "));
    r.backup_code_enabled = !codes.is_empty();
}

/// What a local enrollment hands out.
pub(crate) struct Enrollment {
    pub secret: Secret,
    pub backup_codes: Vec<Secret>,
}

/// `POST /v1/_local/users/{id}/totp`: a new TOTP secret and new backup codes for the user
/// (replacing any), as an authenticator app's enrollment would; emits `user.updated`.
pub(crate) async fn enroll(svc: &Services, id: &str) -> Result<Enrollment> {
    let now = svc.now_ms();
    let mut key = [0u8; 20];
    ids::fill_random(&mut key);
    let secret = Secret::new(base32_encode(&key));
    let backup_codes: Vec<Secret> = (0..BACKUP_CODES)
        .map(|_| Secret::new(ids::random_base62(8).to_ascii_lowercase()))
        .collect();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut user = users::lock(work.tx(), svc.store.dialect(), id).await?;
    keep_secret(svc, &mut user.record, &secret, now);
    keep_backup_codes(&mut user.record, &backup_codes);
    user.record.updated_at = now;
    users::save(work.tx(), &user).await?;
    emit_updated(svc, &mut work, &user, now).await?;
    work.commit().await?;
    Ok(Enrollment {
        secret,
        backup_codes,
    })
}

/// `POST /v1/users/{id}/verify_totp`: whether `code` is the user's current TOTP code (one
/// step either side) or one of its unused backup codes, which is then consumed.
pub(crate) async fn verify(svc: &Services, id: &str, code: &str) -> Result<CodeType> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut user = users::lock(work.tx(), svc.store.dialect(), id).await?;
    let r = &mut user.record;
    let secret = match (&r.totp_secret, r.totp_enabled) {
        (Some(sealed), true) => Some(
            svc.keys
                .vault()
                .open(&context(&r.id), sealed.expose())
                .map_err(|e| super::error::Error::Internal(format!("TOTP secret of {id}: {e}")))?,
        ),
        _ => None,
    };
    let digests: Vec<String> = match (&r.backup_code_digests, r.backup_code_enabled) {
        (Some(list), true) => list.split_whitespace().map(str::to_owned).collect(),
        _ => Vec::new(),
    };
    if secret.is_none() && digests.is_empty() {
        return Err(Rule::refused(
            "totp_not_enabled",
            "TOTP not enabled",
            "The user does not have TOTP or backup codes configured for their account.",
        )
        .into());
    }
    let code = code.trim();
    if let Some(key) = secret.as_ref().and_then(|s| base32_decode(s.expose())) {
        let step = now.div_euclid(1000).div_euclid(STEP_SECONDS);
        let matches = (step - DRIFT_STEPS..=step + DRIFT_STEPS).any(|counter| {
            aws_lc_rs::constant_time::verify_slices_are_equal(
                code_at(&key, counter).as_bytes(),
                code.as_bytes(),
            )
            .is_ok()
        });
        if matches {
            return Ok(CodeType::Totp);
        }
    }
    let presented = digest(code);
    if let Some(index) = digests.iter().position(|d| *d == presented) {
        let mut rest = digests;
        rest.remove(index);
        r.backup_code_digests = Some(rest.join(" "));
        // Internal state only: the user object shows no codes, so no event.
        users::save(work.tx(), &user).await?;
        work.commit().await?;
        return Ok(CodeType::BackupCode);
    }
    Err(Rule::refused(
        "form_code_incorrect",
        "Incorrect code",
        "The provided TOTP or backup code is incorrect.",
    )
    .with_kind(RuleKind::Unprocessable)
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_round_trips() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("MZXW6YTBOI======").unwrap(), b"foobar");
        assert_eq!(base32_decode("mzxw6ytboi").unwrap(), b"foobar");
        assert!(base32_decode("0189").is_none());
    }

    #[test]
    fn rfc_6238_vectors() {
        // The SHA-1 vectors of RFC 6238, appendix B (8 digits there; the last 6 here).
        let secret = base32_encode(b"12345678901234567890");
        assert_eq!(totp_code(&secret, 59).unwrap(), "287082");
        assert_eq!(totp_code(&secret, 1_111_111_109).unwrap(), "081804");
        assert_eq!(totp_code(&secret, 2_000_000_000).unwrap(), "279037");
    }
}
