//! [`WebhookSecret`]: an endpoint's signing secret, decoded once and kept out of `Debug`.

use std::fmt;
use std::str::FromStr;

use aws_lc_rs::hmac;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The prefix of every Svix (and so Clerk) endpoint signing secret.
///
/// ```
/// assert!("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".starts_with(clerk_sdk::webhooks::SECRET_PREFIX));
/// ```
pub const SECRET_PREFIX: &str = "whsec_";

/// A webhook endpoint's signing secret (`whsec_...`, from the Clerk dashboard's endpoint
/// page), ready to compute HMAC-SHA256 signatures.
///
/// The HMAC key is the standard-base64-decoded text after `whsec_`. The secret never
/// appears in `Debug` output, and it has no `Display`.
///
/// Unlike the Svix libraries, which also take the bare base64 text, the `whsec_` prefix is
/// required: a pasted secret key (`sk_...`) or the wrong variable is then caught when the
/// secret is read instead of failing every delivery. Use [`WebhookSecret::from_bytes`] for a
/// raw key.
///
/// ```
/// use clerk_sdk::webhooks::WebhookSecret;
///
/// let secret: WebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".parse()?;
/// assert_eq!(format!("{secret:?}"), "WebhookSecret(whsec_…(redacted))");
/// # Ok::<(), clerk_sdk::webhooks::SecretError>(())
/// ```
#[derive(Clone)]
pub struct WebhookSecret {
    key: hmac::Key,
}

impl WebhookSecret {
    /// Reads a `whsec_...` secret. Surrounding whitespace (a newline from a `.env` file) is
    /// ignored.
    ///
    /// ```
    /// use clerk_sdk::webhooks::{SecretError, WebhookSecret};
    ///
    /// assert!(WebhookSecret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n").is_ok());
    /// assert_eq!(
    ///     WebhookSecret::new("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap_err(),
    ///     SecretError::MissingPrefix
    /// );
    /// ```
    ///
    /// # Errors
    /// [`SecretError`] when the prefix is missing, the rest is not standard base64, or the
    /// key is empty.
    pub fn new(secret: &str) -> Result<Self, SecretError> {
        let encoded = secret
            .trim()
            .strip_prefix(SECRET_PREFIX)
            .ok_or(SecretError::MissingPrefix)?;
        let key = STANDARD
            .decode(encoded)
            .map_err(|_| SecretError::InvalidBase64)?;
        Self::from_bytes(&key)
    }

    /// A secret from the raw HMAC key bytes (what the base64 text after `whsec_` encodes).
    ///
    /// ```
    /// use clerk_sdk::webhooks::WebhookSecret;
    ///
    /// let secret = WebhookSecret::from_bytes(&[7; 24])?;
    /// # Ok::<(), clerk_sdk::webhooks::SecretError>(())
    /// ```
    ///
    /// # Errors
    /// [`SecretError::Empty`] for an empty key.
    pub fn from_bytes(key: &[u8]) -> Result<Self, SecretError> {
        if key.is_empty() {
            return Err(SecretError::Empty);
        }
        Ok(WebhookSecret {
            key: hmac::Key::new(hmac::HMAC_SHA256, key),
        })
    }

    /// The `v1,<base64>` signature of a message, as Svix puts it in `svix-signature`: for
    /// testing your own webhook handler with deliveries you make up.
    ///
    /// `timestamp` is the `svix-timestamp` value (Unix seconds), signed as written.
    ///
    /// ```
    /// use clerk_sdk::webhooks::WebhookSecret;
    ///
    /// let secret = WebhookSecret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
    /// let signature = secret.sign("msg_1", 1_700_000_000, br#"{"type":"user.created"}"#);
    /// assert!(signature.starts_with("v1,"));
    /// assert_eq!(signature.len(), 3 + 44);
    /// # Ok::<(), clerk_sdk::webhooks::SecretError>(())
    /// ```
    #[must_use]
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let tag = self.tag(id, &timestamp.to_string(), body);
        format!("v1,{}", STANDARD.encode(tag.as_ref()))
    }

    /// HMAC-SHA256 of `{id}.{timestamp}.{body}`, fed in pieces so the body is never copied.
    pub(crate) fn tag(&self, id: &str, timestamp: &str, body: &[u8]) -> hmac::Tag {
        let mut context = hmac::Context::with_key(&self.key);
        context.update(id.as_bytes());
        context.update(b".");
        context.update(timestamp.as_bytes());
        context.update(b".");
        context.update(body);
        context.sign()
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WebhookSecret({SECRET_PREFIX}…(redacted))")
    }
}

impl FromStr for WebhookSecret {
    type Err = SecretError;

    fn from_str(secret: &str) -> Result<Self, SecretError> {
        Self::new(secret)
    }
}

/// Why a webhook signing secret could not be read. It never contains the secret.
///
/// ```
/// use clerk_sdk::webhooks::{SecretError, WebhookSecret};
///
/// let error = WebhookSecret::new("whsec_not base64!").unwrap_err();
/// assert_eq!(error, SecretError::InvalidBase64);
/// assert!(error.to_string().contains("base64"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SecretError {
    /// The secret does not start with `whsec_`.
    MissingPrefix,
    /// The text after `whsec_` is not standard (padded) base64.
    InvalidBase64,
    /// The key is empty (`whsec_` alone).
    Empty,
    /// A verifier was built without any secret.
    NoSecret,
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SecretError::MissingPrefix => {
                "a webhook signing secret starts with `whsec_`; copy it from the endpoint's page in the Clerk dashboard (it is not the `sk_` secret key)"
            }
            SecretError::InvalidBase64 => {
                "the webhook signing secret is not `whsec_` followed by standard base64; copy it again from the Clerk dashboard"
            }
            SecretError::Empty => "the webhook signing secret is empty",
            SecretError::NoSecret => "a webhook verifier needs at least one signing secret",
        })
    }
}

impl std::error::Error for SecretError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_secrets_are_refused_without_echoing_them() {
        for (secret, expected) in [
            ("", SecretError::MissingPrefix),
            (
                "sk_test_abcdefghijklmnopqrstuvwx",
                SecretError::MissingPrefix,
            ),
            (
                "WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                SecretError::MissingPrefix,
            ),
            ("whsec_", SecretError::Empty),
            (
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",
                SecretError::InvalidBase64,
            ),
            (
                "whsec_MfKQ9r8G-YqrTwjUPD8ILPZIo2LaLaSw",
                SecretError::InvalidBase64,
            ),
            (
                "whsec_MfKQ 9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                SecretError::InvalidBase64,
            ),
        ] {
            let error = WebhookSecret::new(secret).unwrap_err();
            assert_eq!(error, expected, "{secret:?}");
            if secret.len() > 6 {
                assert!(!error.to_string().contains(&secret[6..]));
                assert!(!format!("{error:?}").contains(&secret[6..]));
            }
        }
    }

    #[test]
    fn debug_output_hides_the_key() {
        let secret = WebhookSecret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        // Nothing of the key, encoded or decoded, is printed: the output is a constant.
        assert_eq!(format!("{secret:?}"), "WebhookSecret(whsec_…(redacted))");
        assert_eq!(format!("{secret:#?}"), "WebhookSecret(whsec_…(redacted))");
    }

    #[test]
    fn signatures_match_the_svix_reference_vector() {
        // The test vector of the Svix and Standard Webhooks libraries.
        let secret = WebhookSecret::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").unwrap();
        assert_eq!(
            secret.sign(
                "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
                1_649_367_553,
                br#"{"email":"test@example.com","username":"test_user"}"#
            ),
            "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw="
        );
    }
}
