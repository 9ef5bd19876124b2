//! Verifying that a user controls an email address or phone number with a one-time code:
//! `prepare` sends a 6-digit code (the `verification_code` email or SMS, through the
//! outbox), `attempt` checks one. A code lives [`CODE_LIFETIME_MS`] and allows
//! [`MAX_ATTEMPTS`] wrong tries; the right code marks the identification verified and emits
//! `user.updated`.
//!
//! Test identifiers, as in Clerk development instances: an email address whose local part
//! contains `+clerk_test`, and a phone number `+1 XXX 555-0100` … `555-0199`. They get no
//! message, and their code is always [`TEST_CODE`].
//!
//! The Backend API answers a wrong or expired code through the verification's status (the
//! spec says so); the Frontend API will map [`Outcome::Incorrect`] to 422
//! `form_code_incorrect` over the same operation.

use aws_lc_rs::constant_time::verify_slices_are_equal;
use aws_lc_rs::digest::{SHA256, digest};

use super::error::{Result, Rule};
use super::identifications::refresh_user;
use super::identifiers::IdentifierKind;
use super::message_templates::render;
use super::services::Services;
use crate::ids::{self, prefix};
use crate::store::UnitOfWork;
use crate::store::identifications;
use crate::store::verifications::{self, IdentificationVerification};
use serde_json::json;

/// How long a code is valid: 10 minutes, as Clerk's codes.
pub(crate) const CODE_LIFETIME_MS: i64 = 10 * 60 * 1000;

/// How many codes one verification accepts before it is `failed`.
pub(crate) const MAX_ATTEMPTS: i64 = 3;

/// The code of test identifiers.
pub(crate) const TEST_CODE: &str = "424242";

/// What an attempt found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The right code: the verification (and the identification) is verified.
    Verified,
    /// A wrong code, counted; more attempts are left.
    Incorrect,
    /// A wrong code that used the last attempt, or an attempt at a failed verification.
    Failed,
    /// The code expired before this attempt.
    Expired,
}

/// Whether `value` (normalised) is a test identifier: no message, code [`TEST_CODE`].
pub(crate) fn is_test_identifier(kind: IdentifierKind, value: &str) -> bool {
    match kind {
        IdentifierKind::EmailAddress => value
            .rsplit_once('@')
            .is_some_and(|(local, _)| local.contains("+clerk_test")),
        IdentifierKind::PhoneNumber => {
            let digits = value.strip_prefix("+1").unwrap_or_default();
            digits.len() == 10
                && digits.bytes().all(|b| b.is_ascii_digit())
                && &digits[3..8] == "55501"
        }
        IdentifierKind::Web3Wallet => false,
    }
}

/// Puts the email or SMS (by the identifier's kind) of template `slug` carrying `code` in
/// the outbox, in `work`: `verification_code`, or `reset_password_code` for a password reset.
pub(crate) async fn send_code(
    svc: &Services,
    work: &mut UnitOfWork,
    kind: IdentifierKind,
    slug: &str,
    recipient: render::Recipient<'_>,
    code: &str,
    now: i64,
) -> Result<()> {
    let values = json!({
        "otp_code": code,
        "ttl_minutes": CODE_LIFETIME_MS / 60_000,
        "requested_at": render::timestamp(now),
    });
    match kind {
        IdentifierKind::EmailAddress => {
            render::email(svc, work, slug, recipient, values, now).await?;
        }
        _ => {
            render::sms(svc, work, slug, recipient, values, now).await?;
        }
    }
    Ok(())
}

/// Hex SHA-256 of a verification's id, a colon and its code: what is stored of a code.
pub(crate) fn code_digest(verification_id: &str, code: &str) -> String {
    digest(&SHA256, format!("{verification_id}:{code}").as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A uniformly random 6-digit code.
pub(crate) fn new_code() -> String {
    loop {
        let mut bytes = [0u8; 4];
        ids::fill_random(&mut bytes);
        let n = u32::from_be_bytes(bytes);
        // 4_294_000_000 is the largest multiple of 10^6 below 2^32: no bias.
        if n < 4_294_000_000 {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

/// Sends a new code to the email address or phone number `id` and starts its verification.
pub(crate) async fn prepare(
    svc: &Services,
    kind: IdentifierKind,
    id: &str,
) -> Result<IdentificationVerification> {
    prepare_with(svc, kind, id, "verification_code").await
}

/// [`prepare`], sending the code with the template `slug` (`reset_password_code` for a
/// password reset).
pub(crate) async fn prepare_with(
    svc: &Services,
    kind: IdentifierKind,
    id: &str,
    slug: &str,
) -> Result<IdentificationVerification> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let ident = identifications::lock(work.tx(), svc.store.dialect(), id, kind).await?;
    let strategy = match kind {
        IdentifierKind::EmailAddress => "email_code",
        IdentifierKind::PhoneNumber => "phone_code",
        IdentifierKind::Web3Wallet => {
            return Err(Rule::refused(
                "verification_strategy_not_supported",
                "not supported",
                "Web3 wallets are verified by signature, not by code.",
            )
            .into());
        }
    };
    let test = is_test_identifier(kind, &ident.value);
    let code = if test {
        TEST_CODE.to_owned()
    } else {
        new_code()
    };
    let verification_id = ids::new_id(prefix::VERIFICATION, now);
    let verification = IdentificationVerification {
        code_digest: code_digest(&verification_id, &code),
        id: verification_id,
        identification_id: ident.id.clone(),
        strategy: strategy.to_owned(),
        status: "unverified".to_owned(),
        attempts: 0,
        expire_at: now + CODE_LIFETIME_MS,
        created_at: now,
        updated_at: now,
    };
    verifications::insert(work.tx(), &verification).await?;
    if !test {
        let recipient = render::Recipient {
            to: &ident.value,
            identification_id: Some(&ident.id),
            user_id: Some(&ident.user_id),
        };
        send_code(svc, &mut work, kind, slug, recipient, &code, now).await?;
    }
    work.commit().await?;
    Ok(verification)
}

/// Checks `code` against the verification `verification_id` of the email address or phone
/// number `id`. A verification already verified is refused
/// (`verification_already_verified`); otherwise the outcome comes back with the
/// verification as it now is.
pub(crate) async fn attempt(
    svc: &Services,
    kind: IdentifierKind,
    id: &str,
    verification_id: &str,
    code: &str,
) -> Result<(Outcome, IdentificationVerification)> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut ident = identifications::lock(work.tx(), svc.store.dialect(), id, kind).await?;
    let mut verification = verifications::get(work.tx(), &ident.id, verification_id).await?;
    match verification.status_at(now) {
        "verified" => {
            return Err(Rule::refused(
                "verification_already_verified",
                "already verified",
                "This verification has already been verified.",
            )
            .into());
        }
        "failed" => return Ok((Outcome::Failed, verification)),
        "expired" => return Ok((Outcome::Expired, verification)),
        _ => {}
    }
    verification.attempts += 1;
    verification.updated_at = now;
    let right = verify_slices_are_equal(
        code_digest(&verification.id, code.trim()).as_bytes(),
        verification.code_digest.as_bytes(),
    )
    .is_ok();
    let outcome = if right {
        verification.status = "verified".to_owned();
        Outcome::Verified
    } else if verification.attempts >= MAX_ATTEMPTS {
        verification.status = "failed".to_owned();
        Outcome::Failed
    } else {
        Outcome::Incorrect
    };
    verifications::save(work.tx(), &verification).await?;
    if right && !ident.verified {
        ident.verified = true;
        ident.reserved = false;
        ident.updated_at = now;
        identifications::save(work.tx(), &ident).await?;
        refresh_user(&mut work, svc, &ident.user_id, |_| {}).await?;
    }
    work.commit().await?;
    Ok((outcome, verification))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_identifiers() {
        let email = IdentifierKind::EmailAddress;
        let phone = IdentifierKind::PhoneNumber;
        assert!(is_test_identifier(email, "jane+clerk_test@example.com"));
        assert!(is_test_identifier(email, "jane+clerk_test_2@example.com"));
        assert!(!is_test_identifier(email, "jane@clerk_test.example.com"));
        assert!(!is_test_identifier(email, "jane@example.com"));
        assert!(is_test_identifier(phone, "+12015550100"));
        assert!(is_test_identifier(phone, "+19735550199"));
        assert!(!is_test_identifier(phone, "+12015550200"));
        assert!(!is_test_identifier(phone, "+442015550100"));
        assert!(!is_test_identifier(phone, "+1201555010"));
    }

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..100 {
            let code = new_code();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
