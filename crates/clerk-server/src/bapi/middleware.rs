//! The middleware every request passes through, outermost first: the trace id (set for the
//! request, sent as `Clerk-Trace-Id`, and any error response not already in Clerk's format
//! rewritten into it), request logging, panic recovery (500 `internal_clerk_error`), then
//! the routes. Every `/v1` route also passes [`crate::bapi::auth::authenticate`].
//!
//! A response sent before the request's body was read (an unknown route, a bad key, a
//! body over the limit) carries `Connection: close`: hyper drops such a connection
//! after the response, and a client told nothing would send its next request into it.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderValue, Method, Version, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::bapi::errors::{ApiError, ClerkErrorBody, with_trace_id};
use crate::ids;
use crate::notify::events::{RequestOrigin, with_origin};

/// The trace id of a request, readable by the request logger.
#[derive(Clone, Debug)]
struct TraceId(String);

/// Wraps routes in the middleware every request passes through (see the module docs).
pub(super) fn with_middleware(routes: Router) -> Router {
    routes
        .layer(CatchPanicLayer::custom(|_panic| {
            tracing::error!("a request handler panicked");
            ApiError::internal().into_response()
        }))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let trace_id = req
                        .extensions()
                        .get::<TraceId>()
                        .map(|t| t.0.as_str())
                        .unwrap_or_default();
                    // The path only: query strings carry emails and other personal data,
                    // and headers carry the secret key.
                    tracing::info_span!(
                        "request",
                        method = %req.method(),
                        path = %req.uri().path(),
                        trace_id = %trace_id,
                    )
                })
                .on_request(())
                .on_response(|response: &Response, latency: Duration, _span: &Span| {
                    tracing::info!(
                        status = response.status().as_u16(),
                        ?latency,
                        "request served"
                    );
                })
                .on_failure(()),
        )
        .layer(middleware::from_fn(trace_and_errors))
}

/// Gives the request a trace id, answers in Clerk's error format whatever did not, and
/// sends the trace id in `Clerk-Trace-Id`; closes the connection after a response that
/// left the request's body unread (see the module docs).
async fn trace_and_errors(req: Request, next: Next) -> Response {
    let trace_id = ids::trace_id();
    let unread_body_closes = req.version() <= Version::HTTP_11 && !req.body().is_end_stream();
    let body_read = Arc::new(AtomicBool::new(false));
    let mut req = req.map(|inner| {
        Body::new(TrackedBody {
            inner,
            read: Arc::clone(&body_read),
        })
    });
    req.extensions_mut().insert(TraceId(trace_id.clone()));
    let response = with_trace_id(trace_id.clone(), next.run(req)).await;
    let status = response.status();
    let mut response =
        if status.as_u16() >= 400 && response.extensions().get::<ClerkErrorBody>().is_none() {
            // A 405 must keep the `Allow` header axum put on it (RFC 9110 §15.5.6).
            let allow = response.headers().get(header::ALLOW).cloned();
            let mut rewritten = with_trace_id(trace_id.clone(), async move {
                ApiError::for_status(status).into_response()
            })
            .await;
            if let Some(allow) = allow {
                rewritten.headers_mut().insert(header::ALLOW, allow);
            }
            rewritten
        } else {
            response
        };
    if let Ok(value) = HeaderValue::from_str(&trace_id) {
        response.headers_mut().insert("clerk-trace-id", value);
    }
    if unread_body_closes && !body_read.load(Ordering::Acquire) {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// A request body that records when it has been read to its end.
struct TrackedBody {
    inner: Body,
    read: Arc<AtomicBool>,
}

impl HttpBody for TrackedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        let frame = Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(frame, Poll::Ready(None)) || self.inner.is_end_stream() {
            self.read.store(true, Ordering::Release);
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

pub(super) async fn no_route() -> ApiError {
    ApiError::no_route()
}

/// Answers 404 `resource_not_found` for a path whose percent-decoding is not UTF-8 or holds
/// a NUL: no id has either (ids are ASCII), and PostgreSQL cannot even compare text with a
/// NUL in it. Without this, the path extractors would answer a bare 400.
pub(super) async fn reject_undecodable_paths(
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let decoded = percent_encoding::percent_decode_str(req.uri().path()).decode_utf8();
    match decoded {
        Ok(path) if !path.contains('\0') => Ok(next.run(req).await),
        _ => Err(ApiError::no_route()),
    }
}

/// Middleware: the request's client address and user agent become the
/// `event_attributes.http_request` of the webhook events its handling emits.
pub(super) async fn event_origin(req: Request, next: Next) -> Response {
    let client_ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_default();
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let origin = RequestOrigin {
        client_ip,
        user_agent,
    };
    with_origin(origin, next.run(req)).await
}

/// Marks an answer whose database connection broke under it (see [`retry_broken_reads`]).
#[derive(Clone, Copy, Debug)]
pub(super) struct ConnectionBroke;

/// Middleware: a `GET` or `HEAD` whose database connection broke under it is run once more
/// (on another connection: the pool discards the broken one). Reads change nothing, so a
/// second try is safe; writes are never replayed, since a commit may have happened before
/// the connection broke.
pub(crate) async fn retry_broken_reads(req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let again = copy_bodiless(&req);
    let answer = next.clone().run(req).await;
    match again {
        Some(again) if answer.extensions().get::<ConnectionBroke>().is_some() => {
            tracing::info!("retrying a read whose database connection broke");
            next.run(again).await
        }
        _ => answer,
    }
}

/// A copy of a request without a body (`GET`, `HEAD`); `None` if it has one.
fn copy_bodiless(req: &Request) -> Option<Request> {
    if !req.body().is_end_stream() {
        return None;
    }
    let mut copy = Request::new(axum::body::Body::empty());
    *copy.method_mut() = req.method().clone();
    *copy.uri_mut() = req.uri().clone();
    *copy.version_mut() = req.version();
    *copy.headers_mut() = req.headers().clone();
    *copy.extensions_mut() = req.extensions().clone();
    Some(copy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::StatusCode;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn call(
        router: Router,
        path: &str,
    ) -> (StatusCode, axum::http::HeaderMap, serde_json::Value) {
        let response = router
            .oneshot(axum::http::Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        (
            parts.status,
            parts.headers,
            serde_json::from_slice(&bytes).unwrap(),
        )
    }

    #[tokio::test]
    async fn panics_become_clerk_500s() {
        async fn boom() -> &'static str {
            panic!("deliberate panic in a test handler")
        }
        let router = with_middleware(Router::new().route("/boom", get(boom)));
        let (status, headers, body) = call(router, "/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(body["errors"][0]["code"], "internal_clerk_error");
        assert_eq!(
            headers["clerk-trace-id"],
            body["clerk_trace_id"].as_str().unwrap()
        );
    }

    #[tokio::test]
    async fn foreign_error_responses_are_rewritten() {
        let router = with_middleware(Router::new().route(
            "/teapot",
            get(|| async { (StatusCode::BAD_REQUEST, "plain text") }),
        ));
        let (status, headers, body) = call(router, "/teapot").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(body["errors"][0]["code"], "bad_request");
        assert_eq!(
            headers["clerk-trace-id"],
            body["clerk_trace_id"].as_str().unwrap()
        );
    }

    /// A read whose connection broke is run once more; a write is not replayed.
    #[tokio::test]
    async fn broken_reads_are_retried_once_and_writes_never() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        use tower::ServiceExt;

        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let flaky = move || {
            let counter = Arc::clone(&counter);
            async move {
                let broken = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
                match counter.fetch_add(1, Ordering::SeqCst) % 2 {
                    0 => Err(ApiError::from(crate::store::StoreError::Database(
                        sqlx::Error::Io(broken),
                    ))),
                    _ => Ok("fine"),
                }
            }
        };
        let router = axum::Router::new()
            .route("/r", axum::routing::get(flaky.clone()).post(flaky))
            .layer(axum::middleware::from_fn(retry_broken_reads));
        let request = |method: &str| {
            axum::http::Request::builder()
                .method(method)
                .uri("/r")
                .body(axum::body::Body::empty())
                .unwrap()
        };
        let read = router.clone().oneshot(request("GET")).await.unwrap();
        assert_eq!(read.status(), StatusCode::OK);
        assert_eq!(calls.swap(0, Ordering::SeqCst), 2);
        let write = router.oneshot(request("POST")).await.unwrap();
        assert_eq!(write.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(write.headers()["retry-after"], "1");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
