//! The `ClerkWebhook` extractor, driven in-process through an axum router.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};
use clerk_sdk::verify::ManualClock;
use clerk_sdk::webhooks::{
    ClerkWebhook, EventData, WebhookRejection, WebhookSecret, WebhookVerifier,
};
use tower::ServiceExt as _;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_767_225_600;
const LIMIT: usize = 2048;
const BODY: &str = r#"{"data":{"object":"user","id":"user_1","deleted":true},"object":"event","type":"user.deleted","timestamp":1767225600123,"instance_id":"ins_1"}"#;

fn verifier() -> WebhookVerifier {
    WebhookVerifier::builder()
        .secret(SECRET)
        .max_body_len(LIMIT)
        .clock(Arc::new(ManualClock::at_unix(NOW as u64)))
        .build()
        .unwrap()
}

/// A router whose handler counts the deliveries it was handed.
fn app(handled: Arc<AtomicUsize>) -> Router {
    let handler = move |webhook: ClerkWebhook| async move {
        handled.fetch_add(1, Ordering::SeqCst);
        match &webhook.data {
            EventData::UserDeleted(deleted) => format!(
                "{} {} {:?}",
                webhook.event_type, webhook.delivery.id, deleted.id
            ),
            other => format!("unexpected {other:?}"),
        }
    };
    Router::new()
        .route("/webhooks/clerk", post(handler))
        .layer(Extension(verifier()))
}

fn signed(body: impl Into<Body>, body_bytes: &[u8]) -> Request<Body> {
    let signature = WebhookSecret::new(SECRET)
        .unwrap()
        .sign("msg_1", NOW, body_bytes);
    Request::post("/webhooks/clerk")
        .header("svix-id", "msg_1")
        .header("svix-timestamp", NOW.to_string())
        .header("svix-signature", signature)
        .body(body.into())
        .unwrap()
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, String, Option<String>) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned());
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (
        status,
        String::from_utf8(body.to_vec()).unwrap(),
        content_type,
    )
}

#[tokio::test]
async fn a_signed_delivery_reaches_the_handler_as_a_typed_event() {
    let handled = Arc::new(AtomicUsize::new(0));
    let app = app(handled.clone());
    let (status, body, _) = send(&app, signed(BODY, BODY.as_bytes())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, r#"user.deleted msg_1 Some("user_1")"#);
    assert_eq!(handled.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn bad_deliveries_get_a_short_plain_400_and_never_reach_the_handler() {
    let handled = Arc::new(AtomicUsize::new(0));
    let app = app(handled.clone());
    let tampered = BODY.replace("user_1", "user_2");
    let mut unsigned = signed(BODY, BODY.as_bytes());
    unsigned.headers_mut().remove("svix-signature");
    let not_an_event = "[]";
    for (request, expected) in [
        (
            signed(tampered, BODY.as_bytes()),
            "webhook rejected: signature_mismatch\n",
        ),
        (unsigned, "webhook rejected: header_missing\n"),
        (
            signed(not_an_event, not_an_event.as_bytes()),
            "webhook rejected: payload_invalid\n",
        ),
    ] {
        let (status, body, content_type) = send(&app, request).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body, expected);
        assert!(content_type.unwrap().starts_with("text/plain"));
    }
    assert_eq!(handled.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn bodies_over_the_limit_get_413_whether_declared_or_streamed() {
    let handled = Arc::new(AtomicUsize::new(0));
    let app = app(handled.clone());
    let big = vec![b' '; LIMIT + 1];

    // Declared: refused from Content-Length, before reading.
    let mut declared = signed(big.clone(), &big);
    declared
        .headers_mut()
        .insert(header::CONTENT_LENGTH, big.len().into());
    let (status, body, _) = send(&app, declared).await;
    assert_eq!(
        (status, body.as_str()),
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            "webhook rejected: body_too_large\n"
        )
    );

    // Streamed without a length, in chunks: reading stops past the limit.
    let chunks: Vec<Result<Bytes, std::io::Error>> = big
        .chunks(512)
        .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
        .collect();
    let streamed = signed(Body::from_stream(futures_util::stream::iter(chunks)), &big);
    let (status, _, _) = send(&app, streamed).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    // A Content-Length that understates the body does not get it past the limit.
    let mut lying = signed(big.clone(), &big);
    lying
        .headers_mut()
        .insert(header::CONTENT_LENGTH, 10.into());
    let (status, _, _) = send(&app, lying).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(handled.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_route_without_the_verifier_answers_500() {
    let app = Router::new().route("/webhooks/clerk", post(|_: ClerkWebhook| async { "never" }));
    let (status, body, _) = send(&app, signed(BODY, BODY.as_bytes())).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body, "webhook verification is not configured\n");
}

#[tokio::test]
async fn a_handler_can_take_the_rejection_and_answer_its_own_way() {
    async fn handler(webhook: Result<ClerkWebhook, WebhookRejection>) -> Response {
        match webhook {
            Ok(_) => "ok".into_response(),
            Err(rejection) => (
                StatusCode::UNAUTHORIZED,
                rejection.error().map_or("none", |e| e.code()),
            )
                .into_response(),
        }
    }
    let app = Router::new()
        .route("/webhooks/clerk", post(handler))
        .layer(Extension(verifier()));
    let (status, body, _) = send(&app, signed("{}", b"{ }")).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::UNAUTHORIZED, "signature_mismatch")
    );
}
