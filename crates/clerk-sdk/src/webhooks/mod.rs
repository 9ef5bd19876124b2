//! Verifying Clerk's webhooks.
//!
//! Clerk delivers webhooks through Svix: each delivery is a `POST` whose JSON body is an
//! [`Event`], with three headers that authenticate it:
//!
//! - `svix-id`: the message id (`msg_...`), the same for every retry of one message (use it
//!   to handle each message once);
//! - `svix-timestamp`: when the delivery was signed, in Unix seconds;
//! - `svix-signature`: one or more space-separated `v1,<base64>` signatures, each
//!   HMAC-SHA256 of `{svix-id}.{svix-timestamp}.{body}` under an endpoint's signing secret
//!   (several while a secret is being rotated).
//!
//! The Standard Webhooks names (`webhook-id`, `webhook-timestamp`, `webhook-signature`) are
//! accepted too, as the Svix libraries accept them, when no `svix-*` header is present.
//!
//! ```
//! use clerk_sdk::webhooks::{EventData, WebhookVerifier};
//!
//! # fn handle(headers: &http::HeaderMap, body: &[u8]) -> Result<(), clerk_sdk::webhooks::WebhookError> {
//! # let verifier = WebhookVerifier::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
//! // let verifier = WebhookVerifier::new(&std::env::var("CLERK_WEBHOOK_SIGNING_SECRET")?)?;
//! let event = verifier.verify_event(headers, body)?;
//! match &event.data {
//!     EventData::UserCreated(user) => println!("welcome {}", user.id),
//!     EventData::UserDeleted(deleted) => println!("goodbye {:?}", deleted.id),
//!     _ => println!("ignoring {}", event.event_type),
//! }
//! # Ok(()) }
//! ```
//!
//! With axum (feature `axum`), the [`ClerkWebhook`] extractor does the same and answers
//! `400` to deliveries that fail.
//!
//! # What is checked, in order
//!
//! 1. Size: a body larger than [`DEFAULT_MAX_BODY_LEN`] (1 MiB, configurable) is refused
//!    before it is hashed.
//! 2. Headers: each of the three present exactly once (a repeated header is refused, since
//!    which copy was signed would be ambiguous), visible ASCII, not empty; surrounding spaces
//!    are trimmed. The timestamp must be plain decimal digits.
//! 3. Timestamp: within the tolerance of the verifier's clock, either way (default
//!    [`DEFAULT_TOLERANCE`], 5 minutes, as in the Svix libraries), so that a captured
//!    delivery cannot be replayed later.
//! 4. Signatures: every `v1` entry that decodes to 32 bytes is compared, in constant time,
//!    with HMAC-SHA256 under each configured secret; one match is enough. Other schemes
//!    (`v1a`, `v2`, ...) are ignored, never accepted.
//!
//! The body is hashed exactly as received: verify the raw bytes, before any JSON parsing.
//! Every rejection is a [`WebhookError`].

mod error;
mod event;
mod headers;
mod secret;
mod signature;

#[cfg(feature = "axum")]
mod axum;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::verify::{Clock, SystemClock};

#[cfg(feature = "axum")]
pub use self::axum::{ClerkWebhook, WebhookRejection};
pub use error::WebhookError;
pub use event::{EVENT_TYPES, Event, EventAttributes, EventData, HttpRequest, SessionEvent};
pub use headers::{HeaderLookup, WebhookHeaders};
pub use secret::{SECRET_PREFIX, SecretError, WebhookSecret};

use headers::SignedHeaders;

/// How far a delivery's timestamp may be from the verifier's clock, either way, unless the
/// builder sets another tolerance. The Svix libraries use the same.
///
/// ```
/// assert_eq!(clerk_sdk::webhooks::DEFAULT_TOLERANCE.as_secs(), 300);
/// ```
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The largest body accepted, in bytes, unless the builder sets another limit. Clerk's
/// events are a few kilobytes (a user with its metadata, each metadata object capped at
/// 8 KB); the limit bounds what an unauthenticated sender can make the server read and hash.
///
/// ```
/// assert_eq!(clerk_sdk::webhooks::DEFAULT_MAX_BODY_LEN, 1 << 20);
/// ```
pub const DEFAULT_MAX_BODY_LEN: usize = 1024 * 1024;

/// The environment variable Clerk's own SDKs read the signing secret from
/// ([`WebhookVerifier::from_env`]).
///
/// ```
/// assert_eq!(clerk_sdk::webhooks::SIGNING_SECRET_ENV, "CLERK_WEBHOOK_SIGNING_SECRET");
/// ```
pub const SIGNING_SECRET_ENV: &str = "CLERK_WEBHOOK_SIGNING_SECRET";

/// Verifies Clerk webhook deliveries against one or more signing secrets.
///
/// Cheap to clone (the configuration is shared); build it once.
///
/// ```
/// use std::time::Duration;
/// use clerk_sdk::webhooks::WebhookVerifier;
///
/// // One secret, default tolerance and size limit:
/// let verifier = WebhookVerifier::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
///
/// // During a rotation, both secrets:
/// let verifier = WebhookVerifier::builder()
///     .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
///     .secret("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")
///     .tolerance(Duration::from_secs(60))
///     .build()?;
/// # Ok::<(), clerk_sdk::webhooks::SecretError>(())
/// ```
#[derive(Clone)]
pub struct WebhookVerifier {
    inner: Arc<Inner>,
}

struct Inner {
    secrets: Vec<WebhookSecret>,
    tolerance: Duration,
    max_body_len: usize,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Secrets print as redacted placeholders; only how many there are shows.
        f.debug_struct("WebhookVerifier")
            .field("secrets", &self.inner.secrets.len())
            .field("tolerance", &self.inner.tolerance)
            .field("max_body_len", &self.inner.max_body_len)
            .finish_non_exhaustive()
    }
}

/// What a good signature vouches for, besides the body.
///
/// ```
/// use clerk_sdk::webhooks::{WebhookSecret, WebhookVerifier};
///
/// let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
/// let body = br#"{"type":"user.created"}"#;
/// let signature = WebhookSecret::new(secret)?.sign("msg_1", now, body);
/// let headers = [
///     ("svix-id", "msg_1".to_owned()),
///     ("svix-timestamp", now.to_string()),
///     ("svix-signature", signature),
/// ];
/// let delivery = WebhookVerifier::new(secret)?.verify(&headers, body).unwrap();
/// assert_eq!((delivery.id.as_str(), delivery.timestamp), ("msg_1", now));
/// # Ok::<(), clerk_sdk::webhooks::SecretError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivery {
    /// The message id (`svix-id`): the same for every retry of one message, so a handler can
    /// skip messages it has already processed.
    pub id: String,
    /// When the delivery was signed (`svix-timestamp`), in Unix seconds.
    pub timestamp: i64,
}

impl WebhookVerifier {
    /// A verifier for one `whsec_...` secret, with the default tolerance and size limit.
    ///
    /// ```
    /// let verifier = clerk_sdk::webhooks::WebhookVerifier::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
    /// # Ok::<(), clerk_sdk::webhooks::SecretError>(())
    /// ```
    ///
    /// # Errors
    /// [`SecretError`] when the secret is not `whsec_` and base64.
    pub fn new(secret: &str) -> Result<Self, SecretError> {
        Self::builder().secret(secret).build()
    }

    /// A verifier whose secrets come from `CLERK_WEBHOOK_SIGNING_SECRET` (the variable
    /// Clerk's own SDKs read). Several secrets may be given, separated by spaces.
    ///
    /// ```no_run
    /// let verifier = clerk_sdk::webhooks::WebhookVerifier::from_env()?;
    /// # Ok::<(), clerk_sdk::webhooks::SecretError>(())
    /// ```
    ///
    /// # Errors
    /// [`SecretError::NoSecret`] when the variable is unset or blank; other [`SecretError`]s
    /// for a malformed secret.
    pub fn from_env() -> Result<Self, SecretError> {
        let value = std::env::var(SIGNING_SECRET_ENV).unwrap_or_default();
        value
            .split_whitespace()
            .fold(Self::builder(), WebhookVerifierBuilder::secret)
            .build()
    }

    /// A builder, for several secrets or another tolerance, size limit or clock.
    ///
    /// ```
    /// let verifier = clerk_sdk::webhooks::WebhookVerifier::builder()
    ///     .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    ///     .max_body_len(256 * 1024)
    ///     .build()?;
    /// # Ok::<(), clerk_sdk::webhooks::SecretError>(())
    /// ```
    pub fn builder() -> WebhookVerifierBuilder {
        WebhookVerifierBuilder {
            secrets: Vec::new(),
            tolerance: DEFAULT_TOLERANCE,
            max_body_len: DEFAULT_MAX_BODY_LEN,
            clock: Arc::new(SystemClock),
        }
    }

    /// Checks a delivery's signature: `headers` as received, `body` byte for byte as
    /// received. Returns the message id and timestamp the signature covers.
    ///
    /// ```
    /// use clerk_sdk::webhooks::{WebhookError, WebhookVerifier};
    ///
    /// let verifier = WebhookVerifier::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
    /// let headers = http::HeaderMap::new();
    /// assert_eq!(
    ///     verifier.verify(&headers, b"{}").unwrap_err(),
    ///     WebhookError::MissingHeader { name: "svix-id" }
    /// );
    /// # Ok::<(), clerk_sdk::webhooks::SecretError>(())
    /// ```
    ///
    /// # Errors
    /// A [`WebhookError`] saying why the delivery is refused (see the
    /// [module docs](self#what-is-checked-in-order)).
    pub fn verify<H: WebhookHeaders + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<Delivery, WebhookError> {
        let inner = &*self.inner;
        if body.len() > inner.max_body_len {
            return Err(WebhookError::BodyTooLarge {
                limit: inner.max_body_len,
            });
        }
        let signed = SignedHeaders::read(headers)?;
        let timestamp = signature::parse_timestamp(&signed)?;
        signature::check_timestamp(timestamp, inner.clock.now(), inner.tolerance)?;
        let candidates =
            signature::v1_signatures(signed.signature).ok_or(WebhookError::NoSupportedSignature)?;
        if !signature::matches(&inner.secrets, &signed, body, &candidates) {
            return Err(WebhookError::SignatureMismatch);
        }
        Ok(Delivery {
            id: signed.id.to_owned(),
            timestamp,
        })
    }

    /// [`verify`](Self::verify), then reads the body as an [`Event`].
    ///
    /// ```
    /// use clerk_sdk::webhooks::{WebhookError, WebhookVerifier};
    ///
    /// let verifier = WebhookVerifier::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
    /// let headers = [("svix-id", "msg_1"), ("svix-timestamp", "1"), ("svix-signature", "v1,x")];
    /// assert_eq!(verifier.verify_event(&headers, b"{}").unwrap_err(), WebhookError::TimestampTooOld);
    /// # Ok::<(), clerk_sdk::webhooks::SecretError>(())
    /// ```
    ///
    /// # Errors
    /// The errors of [`verify`](Self::verify), and [`WebhookError::InvalidPayload`] when the
    /// signed body is not a Clerk event.
    pub fn verify_event<H: WebhookHeaders + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<Event, WebhookError> {
        self.verify(headers, body)?;
        Event::from_slice(body)
    }

    /// The largest body this verifier accepts, in bytes.
    ///
    /// ```
    /// use clerk_sdk::webhooks::{DEFAULT_MAX_BODY_LEN, WebhookVerifier};
    /// let verifier = WebhookVerifier::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
    /// assert_eq!(verifier.max_body_len(), DEFAULT_MAX_BODY_LEN);
    /// # Ok::<(), clerk_sdk::webhooks::SecretError>(())
    /// ```
    #[must_use]
    pub fn max_body_len(&self) -> usize {
        self.inner.max_body_len
    }
}

/// Configures a [`WebhookVerifier`]; start from [`WebhookVerifier::builder`].
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use clerk_sdk::verify::ManualClock;
/// use clerk_sdk::webhooks::WebhookVerifier;
///
/// let verifier = WebhookVerifier::builder()
///     .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
///     .tolerance(Duration::from_secs(120))
///     .max_body_len(512 * 1024)
///     .clock(Arc::new(ManualClock::at_unix(1_700_000_000)))
///     .build()?;
/// # Ok::<(), clerk_sdk::webhooks::SecretError>(())
/// ```
#[must_use = "a builder does nothing until `build` is called"]
pub struct WebhookVerifierBuilder {
    secrets: Vec<Result<WebhookSecret, SecretError>>,
    tolerance: Duration,
    max_body_len: usize,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for WebhookVerifierBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifierBuilder")
            .field("secrets", &self.secrets.len())
            .field("tolerance", &self.tolerance)
            .field("max_body_len", &self.max_body_len)
            .finish_non_exhaustive()
    }
}

impl WebhookVerifierBuilder {
    /// Adds a `whsec_...` secret; call it again for each secret in use during a rotation. A
    /// malformed secret fails [`build`](Self::build).
    ///
    /// ```
    /// let builder = clerk_sdk::webhooks::WebhookVerifier::builder()
    ///     .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    /// ```
    pub fn secret(mut self, secret: impl AsRef<str>) -> Self {
        self.secrets.push(WebhookSecret::new(secret.as_ref()));
        self
    }

    /// Adds a secret already read (such as one made with [`WebhookSecret::from_bytes`]).
    ///
    /// ```
    /// use clerk_sdk::webhooks::{WebhookSecret, WebhookVerifier};
    /// let builder = WebhookVerifier::builder().webhook_secret(WebhookSecret::from_bytes(&[7; 24])?);
    /// # Ok::<(), clerk_sdk::webhooks::SecretError>(())
    /// ```
    pub fn webhook_secret(mut self, secret: WebhookSecret) -> Self {
        self.secrets.push(Ok(secret));
        self
    }

    /// How far a delivery's timestamp may be from the clock, either way (default
    /// [`DEFAULT_TOLERANCE`]). Counted in whole seconds.
    ///
    /// ```
    /// use std::time::Duration;
    /// let builder = clerk_sdk::webhooks::WebhookVerifier::builder().tolerance(Duration::from_secs(60));
    /// ```
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// The largest body accepted, in bytes (default [`DEFAULT_MAX_BODY_LEN`]). The axum
    /// extractor stops reading past it.
    ///
    /// ```
    /// let builder = clerk_sdk::webhooks::WebhookVerifier::builder().max_body_len(64 * 1024);
    /// ```
    pub fn max_body_len(mut self, bytes: usize) -> Self {
        self.max_body_len = bytes;
        self
    }

    /// Where the verifier reads the time (default [`SystemClock`]); tests use a
    /// [`ManualClock`](crate::verify::ManualClock).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use clerk_sdk::verify::ManualClock;
    /// let builder = clerk_sdk::webhooks::WebhookVerifier::builder()
    ///     .clock(Arc::new(ManualClock::at_unix(1_700_000_000)));
    /// ```
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Builds the verifier.
    ///
    /// ```
    /// use clerk_sdk::webhooks::{SecretError, WebhookVerifier};
    /// assert_eq!(WebhookVerifier::builder().build().unwrap_err(), SecretError::NoSecret);
    /// assert_eq!(
    ///     WebhookVerifier::builder().secret("sk_test_123").build().unwrap_err(),
    ///     SecretError::MissingPrefix
    /// );
    /// ```
    ///
    /// # Errors
    /// The first malformed secret's [`SecretError`], or [`SecretError::NoSecret`].
    pub fn build(self) -> Result<WebhookVerifier, SecretError> {
        let secrets = self.secrets.into_iter().collect::<Result<Vec<_>, _>>()?;
        if secrets.is_empty() {
            return Err(SecretError::NoSecret);
        }
        Ok(WebhookVerifier {
            inner: Arc::new(Inner {
                secrets,
                tolerance: self.tolerance,
                max_body_len: self.max_body_len,
                clock: self.clock,
            }),
        })
    }
}
