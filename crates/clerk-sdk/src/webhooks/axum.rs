//! The axum extractor (feature `axum`): [`ClerkWebhook`] verifies a delivery and hands its
//! [`Event`] to the handler.

use std::ops::Deref;

use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt as _;

use super::{Delivery, Event, WebhookError, WebhookVerifier};

/// A verified webhook delivery: a handler argument that reads the body, checks its signature
/// and reads it as an [`Event`].
///
/// The [`WebhookVerifier`] comes from the request extensions: add it to the router with
/// `.layer(Extension(verifier))`. The body is read up to the verifier's
/// [`max_body_len`](WebhookVerifier::max_body_len) and no further.
///
/// A delivery that fails is answered before the handler runs (see [`WebhookRejection`]):
/// `400 Bad Request` with a short plain-text body naming the [`WebhookError::code`], `413`
/// for a body over the limit. Svix retries failed deliveries, so a handler should answer
/// `2xx` only once the event is handled.
///
/// ```
/// use axum::{Extension, Router, routing::post};
/// use clerk_sdk::webhooks::{ClerkWebhook, EventData, WebhookVerifier};
///
/// async fn clerk_webhook(webhook: ClerkWebhook) -> &'static str {
///     match &webhook.event.data {
///         EventData::UserCreated(user) => println!("new user {} ({})", user.id, webhook.delivery.id),
///         _ => {}
///     }
///     "ok"
/// }
///
/// fn app(verifier: WebhookVerifier) -> Router {
///     Router::new()
///         .route("/webhooks/clerk", post(clerk_webhook))
///         .layer(Extension(verifier))
/// }
/// # app(WebhookVerifier::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap());
/// ```
#[derive(Debug, Clone)]
pub struct ClerkWebhook {
    /// The event.
    pub event: Event,
    /// The message id and timestamp the signature covers.
    pub delivery: Delivery,
}

impl Deref for ClerkWebhook {
    type Target = Event;

    fn deref(&self) -> &Event {
        &self.event
    }
}

impl<S: Send + Sync> FromRequest<S> for ClerkWebhook {
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, _state: &S) -> Result<Self, WebhookRejection> {
        let Some(verifier) = request.extensions().get::<WebhookVerifier>().cloned() else {
            return Err(WebhookRejection::new(RejectionKind::MissingVerifier));
        };
        let (parts, body) = request.into_parts();
        let body = read_limited(body, &parts.headers, verifier.max_body_len()).await?;
        let verified = verifier
            .verify(&parts.headers, &body)
            .and_then(|delivery| Ok((delivery, Event::from_slice(&body)?)));
        match verified {
            Ok((delivery, event)) => Ok(ClerkWebhook { event, delivery }),
            Err(error) => {
                tracing::debug!(code = error.code(), "webhook delivery rejected: {error}");
                Err(WebhookRejection::new(RejectionKind::Refused(error)))
            }
        }
    }
}

/// Reads the body, stopping as soon as it grows past `limit` (a `Content-Length` over it is
/// refused before reading anything).
async fn read_limited(
    body: axum::body::Body,
    headers: &axum::http::HeaderMap,
    limit: usize,
) -> Result<Vec<u8>, WebhookRejection> {
    let too_large =
        || WebhookRejection::new(RejectionKind::Refused(WebhookError::BodyTooLarge { limit }));
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let mut stream = body.into_data_stream();
    // Trust a declared length for the first allocation only up to a point: it costs the
    // sender nothing to declare the limit and send nothing.
    const PREALLOCATE_AT_MOST: u64 = 64 * 1024;
    let mut bytes = Vec::with_capacity(declared.map_or(0, |n| n.min(PREALLOCATE_AT_MOST) as usize));
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| WebhookRejection::new(RejectionKind::Unreadable))?;
        if bytes.len() + chunk.len() > limit {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Why [`ClerkWebhook`] refused a request. As a response: `400` with a short plain-text body
/// (`webhook rejected: signature_mismatch`) for a delivery that failed verification or is not
/// a Clerk event, `413` for a body over the limit, and `500` when no [`WebhookVerifier`] was
/// added to the router (a programming error, also logged).
///
/// ```
/// use axum::response::{IntoResponse, Response};
/// use clerk_sdk::webhooks::{ClerkWebhook, WebhookRejection};
///
/// // A handler may take the extractor's result to answer in its own way.
/// async fn hook(webhook: Result<ClerkWebhook, WebhookRejection>) -> Response {
///     match webhook {
///         Ok(webhook) => webhook.event.event_type.clone().into_response(),
///         Err(rejection) => {
///             eprintln!("refused: {rejection}");
///             rejection.into_response()
///         }
///     }
/// }
/// ```
#[derive(Debug)]
pub struct WebhookRejection {
    kind: RejectionKind,
}

#[derive(Debug)]
enum RejectionKind {
    Refused(WebhookError),
    /// The client went away or sent a broken body.
    Unreadable,
    /// A programming error: `ClerkWebhook` on a route without the verifier extension.
    MissingVerifier,
}

impl WebhookRejection {
    fn new(kind: RejectionKind) -> Self {
        WebhookRejection { kind }
    }

    /// Why the delivery was refused; `None` when the body could not be read or no verifier
    /// was configured.
    ///
    /// ```
    /// use clerk_sdk::webhooks::WebhookRejection;
    /// fn code(rejection: &WebhookRejection) -> &'static str {
    ///     rejection.error().map_or("not verified", |e| e.code())
    /// }
    /// ```
    #[must_use]
    pub fn error(&self) -> Option<&WebhookError> {
        match &self.kind {
            RejectionKind::Refused(error) => Some(error),
            RejectionKind::Unreadable | RejectionKind::MissingVerifier => None,
        }
    }

    /// The status this rejection answers with.
    ///
    /// ```
    /// use axum::http::StatusCode;
    /// use clerk_sdk::webhooks::WebhookRejection;
    /// fn is_client_error(rejection: &WebhookRejection) -> bool {
    ///     rejection.status() != StatusCode::INTERNAL_SERVER_ERROR
    /// }
    /// ```
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match &self.kind {
            RejectionKind::Refused(WebhookError::BodyTooLarge { .. }) => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            RejectionKind::Refused(_) | RejectionKind::Unreadable => StatusCode::BAD_REQUEST,
            RejectionKind::MissingVerifier => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl std::fmt::Display for WebhookRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            RejectionKind::Refused(error) => write!(f, "webhook rejected: {error}"),
            RejectionKind::Unreadable => {
                f.write_str("webhook rejected: the body could not be read")
            }
            RejectionKind::MissingVerifier => {
                f.write_str("ClerkWebhook used on a route without a WebhookVerifier extension")
            }
        }
    }
}

impl std::error::Error for WebhookRejection {}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        let body = match &self.kind {
            RejectionKind::Refused(error) => format!("webhook rejected: {}\n", error.code()),
            RejectionKind::Unreadable => "webhook rejected: body_unreadable\n".to_owned(),
            RejectionKind::MissingVerifier => {
                tracing::error!(
                    "ClerkWebhook used on a route without a WebhookVerifier; add `.layer(Extension(verifier))` to the router"
                );
                "webhook verification is not configured\n".to_owned()
            }
        };
        (self.status(), body).into_response()
    }
}

// Extractors are used from handlers that must be `Send`.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<ClerkWebhook>();
    assert_send_sync::<WebhookRejection>();
    assert_send_sync::<WebhookVerifier>();
};
