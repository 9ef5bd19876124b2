//! Why a delivery was refused ([`WebhookError`]).

use std::fmt;

/// Why a webhook delivery was refused. It never contains the secret, the signature or the
/// body, so it is safe to log.
///
/// [`code`](WebhookError::code) is a stable `snake_case` name for logs and metrics.
///
/// ```
/// use clerk_sdk::webhooks::WebhookError;
///
/// let error = WebhookError::SignatureMismatch;
/// assert_eq!(error.code(), "signature_mismatch");
/// assert!(error.to_string().contains("signing secret"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// A required header is absent (`svix-id`, `svix-timestamp`, `svix-signature`, or their
    /// `webhook-*` equivalents when those are the ones sent).
    MissingHeader {
        /// The header's name.
        name: &'static str,
    },
    /// A header is present but unusable.
    MalformedHeader {
        /// The header's name.
        name: &'static str,
        /// What is wrong with it (repeated, not visible ASCII, empty, not a number of seconds).
        problem: &'static str,
    },
    /// The timestamp is older than the tolerance allows: a replay, or a delivery that sat in
    /// a queue (check the server clock if this is unexpected).
    TimestampTooOld,
    /// The timestamp is further in the future than the tolerance allows (check the server
    /// clock; a timestamp in milliseconds lands here too).
    TimestampTooNew,
    /// The signature header holds no `v1` signature: only other schemes (`v1a`, `v2`, ...),
    /// which are never accepted in place of `v1`.
    NoSupportedSignature,
    /// No `v1` signature matches the id, timestamp and body under any configured secret.
    SignatureMismatch,
    /// The body is larger than the verifier accepts; it was not hashed.
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The signature is good but the body is not a Clerk event.
    InvalidPayload {
        /// Where the JSON did not fit (such as `data.created_at: invalid type`).
        detail: String,
    },
}

impl WebhookError {
    /// A stable `snake_case` identifier, for logs and metrics.
    ///
    /// ```
    /// use clerk_sdk::webhooks::WebhookError;
    /// assert_eq!(WebhookError::MissingHeader { name: "svix-id" }.code(), "header_missing");
    /// ```
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            WebhookError::MissingHeader { .. } => "header_missing",
            WebhookError::MalformedHeader { .. } => "header_malformed",
            WebhookError::TimestampTooOld => "timestamp_too_old",
            WebhookError::TimestampTooNew => "timestamp_too_new",
            WebhookError::NoSupportedSignature => "signature_unsupported",
            WebhookError::SignatureMismatch => "signature_mismatch",
            WebhookError::BodyTooLarge { .. } => "body_too_large",
            WebhookError::InvalidPayload { .. } => "payload_invalid",
        }
    }

    /// Whether the delivery could not be authenticated (every error but
    /// [`WebhookError::InvalidPayload`], which comes after a good signature).
    ///
    /// ```
    /// use clerk_sdk::webhooks::WebhookError;
    /// assert!(WebhookError::TimestampTooOld.is_unauthenticated());
    /// assert!(!WebhookError::InvalidPayload { detail: "data".into() }.is_unauthenticated());
    /// ```
    #[must_use]
    pub fn is_unauthenticated(&self) -> bool {
        !matches!(self, WebhookError::InvalidPayload { .. })
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingHeader { name } => write!(f, "the `{name}` header is missing"),
            WebhookError::MalformedHeader { name, problem } => {
                write!(f, "the `{name}` header is malformed: {problem}")
            }
            WebhookError::TimestampTooOld => f.write_str(
                "the delivery's timestamp is too old (a replay, or check the server clock)",
            ),
            WebhookError::TimestampTooNew => f.write_str(
                "the delivery's timestamp is too far in the future (check the server clock)",
            ),
            WebhookError::NoSupportedSignature => {
                f.write_str("the signature header holds no `v1` signature")
            }
            WebhookError::SignatureMismatch => f.write_str(
                "no signature matches; check the endpoint's signing secret, and pass the body exactly as received",
            ),
            WebhookError::BodyTooLarge { limit } => {
                write!(f, "the body is larger than {limit} bytes")
            }
            WebhookError::InvalidPayload { detail } => {
                write!(f, "the signed body is not a Clerk event: {detail}")
            }
        }
    }
}

impl std::error::Error for WebhookError {}
