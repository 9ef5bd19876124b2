//! [`ValidatingProxy`]: an HTTP proxy on `127.0.0.1:0` that forwards every
//! request to a server and checks every answer against Clerk's specs.

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::StatusCode;
use http::header::{self, HeaderMap, HeaderName};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::specs::{Exchange, Specs, Violation};

/// The largest request body the proxy forwards (the server refuses more than 1 MiB).
const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

/// Headers that belong to one connection, not to the message (RFC 9110 §7.6.1),
/// and `Content-Length`, which the proxy recomputes.
const HOP_BY_HOP: &[HeaderName] = &[
    header::CONNECTION,
    header::CONTENT_LENGTH,
    header::HOST,
    header::PROXY_AUTHENTICATE,
    header::PROXY_AUTHORIZATION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
];

/// A proxy between a client (the SDK) and a server: it forwards every request
/// unchanged, and checks every answer with [`Specs::check`] before handing it
/// back unchanged. Violations are collected; [`ValidatingProxy::assert_clean`]
/// (or dropping the proxy) fails the test that caused them, naming the request,
/// operation, status and JSON path. Answers are never altered, so the client sees exactly what the
/// server sent.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use e2e::ValidatingProxy;
///
/// let server = clerk_server::TestServer::start().await;
/// let proxy = ValidatingProxy::start(server.base_url()).await;
/// let clerk = clerk_sdk::Clerk::builder()
///     .base_url(proxy.base_url())
///     .secret_key(server.secret_key())
///     .build()
///     .unwrap();
/// assert_eq!(clerk.users().count(clerk_sdk::ListUsers::new()).await.unwrap(), 0);
/// assert_eq!(proxy.checked(), 1);
/// proxy.assert_clean();
/// # }
/// ```
pub struct ValidatingProxy {
    base_url: String,
    state: Arc<ProxyState>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

struct ProxyState {
    upstream: String,
    http: reqwest::Client,
    specs: &'static Specs,
    log: Mutex<Log>,
}

#[derive(Default)]
struct Log {
    checked: usize,
    violations: Vec<Violation>,
}

impl fmt::Debug for ValidatingProxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidatingProxy")
            .field("base_url", &self.base_url)
            .field("upstream", &self.state.upstream)
            .finish_non_exhaustive()
    }
}

impl ValidatingProxy {
    /// Starts a proxy in front of `upstream` (`http://127.0.0.1:<port>`), checking
    /// answers against [`Specs::shared`].
    ///
    /// # Panics
    /// If no loopback port can be bound.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let proxy = e2e::ValidatingProxy::start(server.base_url()).await;
    /// // Point the client under test at the proxy instead of the server.
    /// assert_ne!(proxy.base_url(), server.base_url());
    /// proxy.assert_clean();
    /// # }
    /// ```
    pub async fn start(upstream: &str) -> Self {
        Self::start_with(upstream, Specs::shared()).await
    }

    /// Starts a proxy checking answers against `specs`.
    ///
    /// # Panics
    /// If no loopback port can be bound.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), openapi_kit::SpecError> {
    /// use e2e::{Specs, ValidatingProxy};
    ///
    /// // Specs from another folder (newer copies, say); the proxy needs them for 'static.
    /// let specs: &'static Specs = Box::leak(Box::new(Specs::load("specs/next".as_ref())?));
    /// let server = clerk_server::TestServer::start().await;
    /// let proxy = ValidatingProxy::start_with(server.base_url(), specs).await;
    /// # let _ = proxy;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start_with(upstream: &str, specs: &'static Specs) -> Self {
        let http = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        let state = Arc::new(ProxyState {
            upstream: upstream.trim_end_matches('/').to_owned(),
            http,
            specs,
            log: Mutex::default(),
        });
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("bind a loopback port for the validating proxy");
        let addr = listener.local_addr().expect("the proxy's address");
        let app = Router::new().fallback(forward).with_state(state.clone());
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stop.await;
                })
                .await;
        });
        Self {
            base_url: format!("http://{addr}"),
            state,
            shutdown: Some(shutdown),
            task: Some(task),
        }
    }

    /// `http://127.0.0.1:<port>`: point clients here instead of at the server.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let proxy = e2e::ValidatingProxy::start(server.base_url()).await;
    /// let clerk = clerk_sdk::Clerk::builder()
    ///     .base_url(proxy.base_url())
    ///     .secret_key(server.secret_key())
    ///     .build()
    ///     .unwrap();
    /// # let _ = clerk;
    /// # }
    /// ```
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// How many answers the proxy has checked.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk, proxy: e2e::ValidatingProxy) {
    /// // `clerk` talks through `proxy`.
    /// let before = proxy.checked();
    /// let _ = clerk.users().get("user_missing").await;
    /// assert_eq!(proxy.checked(), before + 1);
    /// # }
    /// ```
    pub fn checked(&self) -> usize {
        self.log().checked
    }

    /// The violations found so far.
    ///
    /// ```no_run
    /// # async fn run(proxy: e2e::ValidatingProxy) {
    /// for violation in proxy.violations() {
    ///     eprintln!("{violation}"); // request, status, operation, JSON path, message
    /// }
    /// # }
    /// ```
    pub fn violations(&self) -> Vec<Violation> {
        self.log().violations.clone()
    }

    /// The violations found so far, forgetting them (for tests that provoke one
    /// on purpose).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk, proxy: e2e::ValidatingProxy) {
    /// // A test that provokes a violation on purpose (against a fake upstream), looks at it, and
    /// // leaves the proxy clean.
    /// let _ = clerk.users().get("user_1").await;
    /// let violations = proxy.take_violations();
    /// assert!(violations.iter().any(|v| v.json_path == "$.created_at"));
    /// proxy.assert_clean();
    /// # }
    /// ```
    pub fn take_violations(&self) -> Vec<Violation> {
        std::mem::take(&mut self.log().violations)
    }

    /// Fails (panics) listing every violation found so far.
    ///
    /// # Panics
    /// If any answer broke the spec or the wire rules.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk, proxy: e2e::ValidatingProxy) {
    /// clerk.users().count(clerk_sdk::ListUsers::new()).await.unwrap();
    /// proxy.assert_clean(); // panics, naming every violation, if an answer broke the spec
    /// # }
    /// ```
    #[track_caller]
    pub fn assert_clean(&self) {
        let violations = self.take_violations();
        if !violations.is_empty() {
            panic!("{}", describe(&violations));
        }
    }

    /// Stops the proxy.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let proxy = e2e::ValidatingProxy::start(server.base_url()).await;
    /// // ... the test ...
    /// proxy.assert_clean();
    /// proxy.shutdown().await;
    /// server.shutdown().await;
    /// # }
    /// ```
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        self.state
            .log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for ValidatingProxy {
    /// Stops the proxy; fails if violations were never looked at.
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
        let violations = self.take_violations();
        if violations.is_empty() {
            return;
        }
        if std::thread::panicking() {
            // The test is failing already, maybe because of these: show them
            // with the failure (test output, not a log line).
            eprintln!("{}", describe(&violations));
        } else {
            panic!("{}", describe(&violations));
        }
    }
}

/// One line per violation, for a test failure message.
pub(crate) fn describe(violations: &[Violation]) -> String {
    let mut text = format!(
        "{} answer(s) broke Clerk's spec or the wire rules:",
        violations.len()
    );
    for violation in violations {
        text.push_str("\n  - ");
        text.push_str(&violation.to_string());
    }
    text
}

/// Forwards one request upstream, checks the answer and returns it unchanged.
async fn forward(State(state): State<Arc<ProxyState>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, MAX_REQUEST_BYTES).await {
        Ok(body) => body,
        Err(e) => return bad_gateway(format!("cannot read the request body: {e}")),
    };
    let path_and_query = parts
        .uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_owned();
    let mut upstream = state
        .http
        .request(
            parts.method.clone(),
            format!("{}{path_and_query}", state.upstream),
        )
        .headers(without_hop_by_hop(&parts.headers));
    if !body.is_empty() {
        upstream = upstream.body(body);
    }
    let answer = match upstream.send().await {
        Ok(answer) => answer,
        // The server is down (some tests stop it on purpose): say so, as a
        // gateway would; there is no answer to check.
        Err(e) => return bad_gateway(format!("the upstream server did not answer: {e}")),
    };
    let status = answer.status();
    let headers = answer.headers().clone();
    let body: Bytes = match answer.bytes().await {
        Ok(body) => body,
        Err(e) => return bad_gateway(format!("the upstream answer broke off: {e}")),
    };

    let header_text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let exchange = Exchange {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        api_version: parts
            .headers
            .get("clerk-api-version")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        status: status.as_u16(),
        content_type: header_text("content-type"),
        trace_id: header_text("clerk-trace-id"),
        body: body.to_vec(),
    };
    let violations = state.specs.check(&exchange);
    {
        let mut log = state.log.lock().unwrap_or_else(PoisonError::into_inner);
        log.checked += 1;
        log.violations.extend(violations);
    }

    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    *response.headers_mut() = without_hop_by_hop(&headers);
    response
}

fn without_hop_by_hop(headers: &HeaderMap) -> HeaderMap {
    let mut kept = headers.clone();
    for name in HOP_BY_HOP {
        kept.remove(name);
    }
    kept
}

fn bad_gateway(reason: String) -> Response {
    (StatusCode::BAD_GATEWAY, reason).into_response()
}
