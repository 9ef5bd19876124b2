//! The verification answered by `prepare_verification` and `attempt_verification`.

use serde::Serialize;

use crate::store::verifications::IdentificationVerification;

/// `{object, id, status, strategy, attempts, expire_at, channel}` (the spec's
/// `_VerificationResponse`).
#[derive(Serialize)]
pub(crate) struct CodeVerificationJson {
    object: &'static str,
    id: String,
    status: String,
    strategy: String,
    attempts: Option<i64>,
    expire_at: Option<i64>,
    /// `sms` for a phone number, `null` for an email address.
    channel: Option<&'static str>,
}

impl CodeVerificationJson {
    pub(crate) fn new(verification: &IdentificationVerification, now_ms: i64) -> Self {
        Self {
            object: "verification",
            id: verification.id.clone(),
            status: verification.status_at(now_ms).to_owned(),
            strategy: verification.strategy.clone(),
            attempts: Some(verification.attempts),
            expire_at: Some(verification.expire_at),
            channel: (verification.strategy == "phone_code").then_some("sms"),
        }
    }
}
