//! The shared harness: a real clerk-server in the test process, the `clerk` binary run as a
//! child process against it, and a recording proxy for counting (or disturbing) requests.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::Response;
use clerk_server::TestServer;
use serde_json::{Value, json};

/// The binary under test.
pub const CLERK: &str = env!("CARGO_BIN_EXE_clerk");

/// A test's world: a runtime, a server on it, a temporary directory.
pub struct Env {
    pub rt: tokio::runtime::Runtime,
    pub server: TestServer,
    pub dir: tempfile::TempDir,
}

/// What a run of `clerk` did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts exit 0 and returns self.
    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(self.code, 0, "expected success: {self:#?}");
        self
    }

    /// Asserts this exit code and returns self.
    #[track_caller]
    pub fn code(self, code: i32) -> Self {
        assert_eq!(self.code, code, "expected exit {code}: {self:#?}");
        self
    }

    /// Asserts stdout contains `text`.
    #[track_caller]
    pub fn stdout_has(self, text: &str) -> Self {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}: {self:#?}"
        );
        self
    }

    /// Asserts stderr contains `text`.
    #[track_caller]
    pub fn stderr_has(self, text: &str) -> Self {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}: {self:#?}"
        );
        self
    }

    /// stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {self:#?}"))
    }

    /// An API error on stderr: exit 1, the Clerk code and a trace id.
    #[track_caller]
    pub fn api_error(self, code: &str) -> Self {
        let run = self.code(1).stderr_has(&format!("error: {code}: "));
        assert!(
            run.stderr.contains("trace id: ") && !run.stderr.contains("trace id: (none)"),
            "no trace id: {run:#?}"
        );
        assert!(
            run.stdout.is_empty(),
            "an error prints nothing on stdout: {run:#?}"
        );
        run
    }
}

impl Env {
    /// A fresh server on a temporary SQLite file.
    pub fn start() -> Self {
        Self::start_with(clerk_server::Config::default())
    }

    /// A fresh server on a temporary SQLite file, with this configuration.
    pub fn start_with(config: clerk_server::Config) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let server = rt.block_on(TestServer::start_with(config));
        Self {
            rt,
            server,
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    /// `clerk ARGS` against the server.
    pub fn clerk(&self, args: &[&str]) -> Run {
        self.clerk_at(&self.server.api_url(), args, None)
    }

    /// `clerk ARGS` with this stdin.
    pub fn clerk_stdin(&self, args: &[&str], stdin: &str) -> Run {
        self.clerk_at(&self.server.api_url(), args, Some(stdin))
    }

    /// `clerk ARGS` against another API URL (a proxy, a dead port).
    pub fn clerk_at(&self, api_url: &str, args: &[&str], stdin: Option<&str>) -> Run {
        let mut command = command(args);
        command
            .env("CLERK_API_URL", api_url)
            .env("CLERK_SECRET_KEY", self.server.secret_key());
        if let Some(stdin) = stdin {
            command.write_stdin(stdin);
        }
        run(command)
    }

    /// `clerk --json ARGS`, which must succeed, parsed.
    #[track_caller]
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        self.clerk(&all).ok().json()
    }

    /// `clerk --json ARGS` against `api_url` (a proxy, say), which must succeed, parsed.
    #[track_caller]
    pub fn json_at(&self, api_url: &str, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        self.clerk_at(api_url, &all, None).ok().json()
    }

    /// Runs a future on the test's runtime.
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.rt.block_on(future)
    }

    /// A user with this email address; its id.
    pub fn user(&self, email: &str) -> String {
        self.block_on(self.server.create_user(email)).id
    }

    /// The server's answer to a GET, straight from its router.
    pub fn get(&self, path: &str) -> Value {
        let (status, body) = self.block_on(self.server.request(Method::GET, path, None));
        assert!(status.is_success(), "{path}: {status} {body}");
        body
    }

    /// `GET /v1/users/count`.
    pub fn user_count(&self) -> i64 {
        self.get("/v1/users/count")["total_count"].as_i64().unwrap()
    }

    /// A path in the temporary directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// `clerk ARGS` with no Clerk configuration from the test's environment.
pub fn command(args: &[&str]) -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(CLERK);
    for name in [
        "CLERK_API_URL",
        "CLERK_API_BASE",
        "CLERK_SECRET_KEY",
        "CLERK_API_KEY",
        "CLERK_JWT_KEY",
        "CLERK_JWKS_URL",
        "CLERK_MACHINE_SECRET_KEY",
        "RUST_LOG",
    ] {
        command.env_remove(name);
    }
    command.args(args).timeout(Duration::from_secs(600));
    command
}

/// Runs a prepared command.
pub fn run(mut command: assert_cmd::Command) -> Run {
    let output = command.output().expect("clerk runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The raw body of a GET, as the server sends it.
pub fn raw_get(env: &Env, path_and_query: &str) -> String {
    let url = format!("{}{path_and_query}", env.server.base_url());
    env.block_on(async {
        reqwest::Client::new()
            .get(url)
            .bearer_auth(env.server.secret_key())
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body")
    })
}

/// One request the proxy saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: Method,
    pub path: String,
    pub query: String,
    pub body: Value,
    pub status: u16,
    /// When the request arrived at the proxy.
    pub at: Instant,
}

/// A proxy in front of the server that records every request; it can answer the first
/// `rate_limit` creates with 429, hide the local routes, or drop `starting_after`.
#[derive(Clone)]
pub struct Proxy {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    pub rate_limit: Arc<AtomicU32>,
    pub hide_local_routes: Arc<AtomicBool>,
    pub ignore_cursor: Arc<AtomicBool>,
}

impl Proxy {
    /// Starts a proxy to `env`'s server.
    pub fn start(env: &Env) -> Self {
        let upstream = env.server.base_url().to_owned();
        env.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let proxy = Proxy {
                url: format!("http://{}", listener.local_addr().unwrap()),
                seen: Arc::default(),
                rate_limit: Arc::default(),
                hide_local_routes: Arc::default(),
                ignore_cursor: Arc::default(),
            };
            let state = proxy.clone();
            let http = reqwest::Client::new();
            let app = axum::Router::new().fallback(move |request: Request<Body>| {
                let (state, http, upstream) = (state.clone(), http.clone(), upstream.clone());
                async move { state.forward(request, &http, &upstream).await }
            });
            tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
            proxy
        })
    }

    async fn forward(
        &self,
        request: Request<Body>,
        http: &reqwest::Client,
        upstream: &str,
    ) -> Response {
        let arrived = Instant::now();
        let (parts, body) = request.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let path = parts.uri.path().to_owned();
        let mut query = parts.uri.query().unwrap_or_default().to_owned();
        let is_create = parts.method == Method::POST && path == "/v1/users";
        let (status, headers, answer) = if is_create
            && self
                .rate_limit
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
        {
            let body = json!({"errors":[{"code":"too_many_requests","message":"Too many requests","long_message":"Too many requests, retry later"}],"clerk_trace_id":"proxy-429"});
            let mut headers = HeaderMap::new();
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            (
                StatusCode::TOO_MANY_REQUESTS,
                headers,
                Bytes::from(body.to_string()),
            )
        } else if path.starts_with("/v1/_local") && self.hide_local_routes.load(Ordering::SeqCst) {
            let body = json!({"errors":[{"code":"resource_not_found","message":"not found"}],"clerk_trace_id":"proxy-404"});
            (
                StatusCode::NOT_FOUND,
                HeaderMap::new(),
                Bytes::from(body.to_string()),
            )
        } else {
            if self.ignore_cursor.load(Ordering::SeqCst) {
                query = query
                    .split('&')
                    .filter(|pair| !pair.starts_with("starting_after="))
                    .collect::<Vec<_>>()
                    .join("&");
            }
            let url = format!("{upstream}{path}?{query}");
            let mut forward = http.request(parts.method.clone(), url).body(body.clone());
            for name in [header::AUTHORIZATION, header::CONTENT_TYPE] {
                if let Some(value) = parts.headers.get(&name) {
                    forward = forward.header(name, value);
                }
            }
            if let Some(value) = parts.headers.get("clerk-api-version") {
                forward = forward.header("clerk-api-version", value);
            }
            let answer = forward.send().await.expect("the server answers");
            let status = answer.status();
            let mut headers = HeaderMap::new();
            for (name, value) in answer.headers() {
                if name == header::CONTENT_TYPE || name.as_str() == "clerk-trace-id" {
                    headers.insert(name.clone(), value.clone());
                }
            }
            (status, headers, answer.bytes().await.unwrap_or_default())
        };
        self.seen.lock().unwrap().push(Seen {
            method: parts.method,
            path,
            query,
            body: serde_json::from_slice(&body).unwrap_or(Value::Null),
            status: status.as_u16(),
            at: arrived,
        });
        let mut response = Response::new(Body::from(answer));
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        response
    }

    /// The requests seen so far that match.
    pub fn requests(&self, method: Method, path: &str) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|seen| seen.method == method && seen.path == path)
            .cloned()
            .collect()
    }

    /// Forgets what was seen.
    pub fn reset(&self) {
        self.seen.lock().unwrap().clear();
    }
}

/// Writes `rows` users in Clerk's CSV export format; user `i` has email `u{i}@example.com`,
/// a bcrypt digest and an unverified second address.
pub fn write_users_csv(path: &Path, rows: usize) {
    use std::fmt::Write as _;
    let mut text = String::from(
        "id,first_name,last_name,username,primary_email_address,primary_phone_number,verified_email_addresses,unverified_email_addresses,verified_phone_numbers,unverified_phone_numbers,totp_secret,password_digest,password_hasher\n",
    );
    for i in 0..rows {
        let _ = writeln!(
            text,
            "user_old{i:05},First{i},Last{i},user{i:05},u{i}@example.com,,u{i}@example.com,alt{i}@example.com,,,,{DIGEST},bcrypt"
        );
    }
    std::fs::write(path, text).unwrap();
}

/// A bcrypt digest, in the form Clerk exports them.
pub const DIGEST: &str = "$2a$10$fgPOubgdJs90F1GK2u.Qye7Xyyi2ajrQJoB5LDG5bnITEvFR/xhZ.";
