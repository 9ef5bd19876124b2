//! The shared harness: start a server, talk raw HTTP to it, run a test on every backend.

use std::time::Duration;

use clerk_server::{Config, TestBackend, TestServer, test_backends};
use reqwest::Method;
use serde_json::Value;

/// A running server and an HTTP client pointed at it.
pub struct Api {
    pub server: TestServer,
    http: reqwest::Client,
    version: Option<String>,
}

/// A response: status, headers and the body as JSON (`Null` when empty).
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub json: Value,
    pub text: String,
}

pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("http client")
}

impl Api {
    pub async fn start(backend: &TestBackend, config: Config) -> Self {
        Self {
            server: TestServer::start_on(backend, config).await,
            http: http_client(),
            version: None,
        }
    }

    /// The same server, sending `Clerk-API-Version: version` from now on.
    pub fn version(&mut self, version: &str) -> &mut Self {
        self.version = Some(version.to_owned());
        self
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    /// A request with the secret key and the chosen API version.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(self.server.secret_key());
        if let Some(v) = &self.version {
            request = request.header("Clerk-API-Version", v);
        }
        request
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Resp {
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body read");
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::Null)
        };
        Resp {
            status,
            headers,
            json,
            text,
        }
    }

    /// A request with `key` as the Bearer instead of the instance's secret key (a machine's
    /// secret key, a wrong key).
    pub fn request_with_key(
        &self,
        method: Method,
        path: &str,
        key: &str,
    ) -> reqwest::RequestBuilder {
        self.http.request(method, self.url(path)).bearer_auth(key)
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(self.request(Method::GET, path)).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.send(self.request(Method::DELETE, path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(self.request(Method::POST, path).json(&body))
            .await
    }

    /// A POST with `Content-Type: application/json` and no body, as Clerk's JS client sends.
    pub async fn post_empty(&self, path: &str) -> Resp {
        self.send(
            self.request(Method::POST, path)
                .header("Content-Type", "application/json"),
        )
        .await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.send(self.request(Method::PATCH, path).json(&body))
            .await
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.send(self.request(Method::PUT, path).json(&body)).await
    }

    /// Creates a user and returns its JSON, asserting success.
    pub async fn user(&self, body: Value) -> Value {
        self.post("/v1/users", body).await.ok().clone()
    }

    /// Creates a session for a user and returns its JSON.
    pub async fn session(&self, user_id: &str) -> Value {
        self.post("/v1/sessions", serde_json::json!({ "user_id": user_id }))
            .await
            .ok()
            .clone()
    }

    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}

impl Resp {
    /// The JSON of a 2xx response, checking the wire rules every response keeps.
    #[track_caller]
    pub fn ok(&self) -> &Value {
        assert!(
            (200..300).contains(&self.status),
            "expected success, got {}: {}",
            self.status,
            self.text
        );
        if self.status != 204 {
            assert_eq!(self.content_type(), "application/json", "{}", self.text);
        }
        assert!(self.trace_id().is_some(), "no Clerk-Trace-Id header");
        &self.json
    }

    /// Asserts a Clerk error with this status and first code; returns the first error.
    #[track_caller]
    pub fn err(&self, status: u16, code: &str) -> &Value {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(self.content_type(), "application/json", "{}", self.text);
        let first = &self.json["errors"][0];
        assert_eq!(first["code"], code, "{}", self.text);
        assert!(first["message"].is_string(), "{}", self.text);
        assert!(first["long_message"].is_string(), "{}", self.text);
        assert!(first["meta"].is_object(), "{}", self.text);
        let trace = self.json["clerk_trace_id"]
            .as_str()
            .expect("clerk_trace_id");
        assert_eq!(
            Some(trace),
            self.trace_id(),
            "trace id in body and header differ"
        );
        first
    }

    /// `meta.param_name` of the first error.
    #[track_caller]
    pub fn param(&self) -> &str {
        self.json["errors"][0]["meta"]["param_name"]
            .as_str()
            .unwrap_or_default()
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    pub fn trace_id(&self) -> Option<&str> {
        self.headers
            .get("clerk-trace-id")
            .and_then(|v| v.to_str().ok())
    }

    /// The ids of a JSON array (or of `data` in an envelope).
    pub fn ids(&self) -> Vec<String> {
        let items = match &self.json {
            Value::Array(items) => items,
            other => other["data"].as_array().expect("a list"),
        };
        items
            .iter()
            .map(|i| i["id"].as_str().unwrap_or_default().to_owned())
            .collect()
    }
}

/// Runs `test` against a fresh server on every backend (SQLite; PostgreSQL too when
/// `CLERK_TEST_POSTGRES_URL` is set).
pub async fn each_backend(test: impl AsyncFn(&mut Api)) {
    each_backend_with(Config::default, test).await;
}

/// Like [`each_backend`], with a configuration per backend run.
pub async fn each_backend_with(config: impl Fn() -> Config, test: impl AsyncFn(&mut Api)) {
    for backend in test_backends() {
        let mut api = Api::start(&backend, config()).await;
        test(&mut api).await;
        api.shutdown().await;
    }
}

/// Decodes the claims of a JWT (no verification).
pub fn claims(jwt: &str) -> Value {
    use base64::Engine;
    let part = jwt.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON claims")
}

/// Decodes the header of a JWT.
pub fn jwt_header(jwt: &str) -> Value {
    use base64::Engine;
    let part = jwt.split('.').next().expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON header")
}

/// Verifies an RS256 JWT's signature against a JWKS JSON document.
pub fn verify_with_jwks(jwt: &str, jwks: &Value) -> bool {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let kid = jwt_header(jwt)["kid"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let Some(key) = jwks["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["kid"] == kid.as_str()))
    else {
        return false;
    };
    let n = b64.decode(key["n"].as_str().unwrap()).unwrap();
    let e = b64.decode(key["e"].as_str().unwrap()).unwrap();
    let (signed, sig) = jwt.rsplit_once('.').unwrap();
    let sig = b64.decode(sig).unwrap();
    aws_lc_rs::signature::RsaPublicKeyComponents { n: &n, e: &e }
        .verify(
            &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
            signed.as_bytes(),
            &sig,
        )
        .is_ok()
}
