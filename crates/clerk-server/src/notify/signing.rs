//! Svix signatures: an endpoint's secret is `whsec_` + standard base64 of 24 random bytes,
//! and a delivery is signed `v1,` + base64(HMAC-SHA256(decoded secret,
//! "{svix-id}.{svix-timestamp}.{body}")) over the exact bytes sent.

use aws_lc_rs::hmac;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::ids::fill_random;

/// What every secret starts with.
pub(crate) const SECRET_PREFIX: &str = "whsec_";

/// Bytes of a new secret's key (what Svix uses).
const SECRET_BYTES: usize = 24;

/// A new endpoint secret.
pub(crate) fn new_secret() -> String {
    let mut key = [0u8; SECRET_BYTES];
    fill_random(&mut key);
    format!("{SECRET_PREFIX}{}", STANDARD.encode(key))
}

/// The `svix-signature` value for one attempt, or `None` if `secret` is not one this
/// server made (it always is: secrets are only ever made by [`new_secret`]).
pub(crate) fn sign(secret: &str, message_id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD
        .decode(secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret))
        .ok()?;
    let key = hmac::Key::new(hmac::HMAC_SHA256, &key);
    let mut context = hmac::Context::with_key(&key);
    context.update(message_id.as_bytes());
    context.update(b".");
    context.update(timestamp.to_string().as_bytes());
    context.update(b".");
    context.update(body.as_bytes());
    Some(format!("v1,{}", STANDARD.encode(context.sign().as_ref())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_whsec_and_24_bytes() {
        let secret = new_secret();
        let key = STANDARD
            .decode(secret.strip_prefix("whsec_").unwrap())
            .unwrap();
        assert_eq!(key.len(), 24);
        assert_ne!(secret, new_secret());
    }

    /// The example of Svix's documentation of manual verification.
    #[test]
    fn signs_as_svix_documents() {
        let signature = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(
            signature.as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }
}
