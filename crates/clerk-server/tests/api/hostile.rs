//! Hostile HTTP: malformed paths, queries, bodies, headers and framing. Each is answered by
//! a Clerk error with the right status and `application/json` (or, for what is not HTTP at
//! all, by the HTTP layer's own 4xx), never a 500, never a hang, and changes nothing.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{Api, each_backend, each_backend_with, http_client};

/// A response read off a raw connection.
struct Raw {
    status: u16,
    head: String,
    body: serde_json::Value,
}

impl Raw {
    /// Asserts a Clerk error with this status and code.
    #[track_caller]
    fn err(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{}\n{}", self.head, self.body);
        assert!(
            self.head
                .to_ascii_lowercase()
                .contains("content-type: application/json\r\n"),
            "{}",
            self.head
        );
        assert_eq!(self.body["errors"][0]["code"], code, "{}", self.body);
    }
}

/// Sends `request` (the request line and any headers, without the final CRLF) as is on a
/// fresh connection, then `Host`, the secret key, `Connection: close`, the blank line and
/// `body`, and reads the whole answer.
async fn raw(api: &Api, request: &[u8], body: &[u8]) -> Raw {
    let addr = api
        .server
        .base_url()
        .trim_start_matches("http://")
        .to_owned();
    let mut stream = TcpStream::connect(&addr).await.expect("connect");
    let mut bytes = request.to_vec();
    bytes.extend_from_slice(
        format!(
            "\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
            api.server.secret_key()
        )
        .as_bytes(),
    );
    bytes.extend_from_slice(body);
    // hyper may answer and close before reading everything (a 431, say): what it wrote
    // still counts, so a failed write is not a failure of the test.
    let _ = stream.write_all(&bytes).await;
    read_answer(stream).await
}

/// Reads until the server closes the connection (at most 20 s: longer is a hang).
async fn read_answer(mut stream: TcpStream) -> Raw {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer))
        .await
        .expect("the server answers and closes in time");
    // A reset after the answer (unread request bytes) is fine once there is an answer.
    if answer.is_empty() {
        read.expect("read");
    }
    let text = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    Raw {
        status,
        head: head.to_owned(),
        body: serde_json::from_str(body).unwrap_or(serde_json::Value::Null),
    }
}

/// Nothing was created by the hostile requests.
async fn assert_untouched(api: &Api) {
    assert_eq!(api.get("/v1/users/count").await.ok()["total_count"], 0);
    assert_eq!(
        api.get("/v1/allowlist_identifiers?paginated=true")
            .await
            .ok()["total_count"],
        0
    );
}

#[tokio::test]
async fn undecodable_path_segments_are_404() {
    each_backend(async |api: &mut Api| {
        // NUL and invalid UTF-8 after percent-decoding: PostgreSQL cannot compare text with
        // a NUL (this was a 500 there), and the path extractor answered a bare 400 for %FF.
        for path in [
            "/v1/users/user_%00",
            "/v1/users/user_%FF",
            "/v1/users/%C3%28/ban",
            "/v1/sessions/sess_%00x",
            "/v1/email_addresses/%00",
            "/v1/allowlist_identifiers/%FF%FE",
        ] {
            let method = if path.ends_with("/ban") {
                Method::POST
            } else if path.starts_with("/v1/allowlist") {
                Method::DELETE
            } else {
                Method::GET
            };
            let resp = api.send(api.request(method, path)).await;
            resp.err(404, "resource_not_found");
        }
        // The key is still checked first.
        let resp = api
            .send(http_client().get(api.url("/v1/users/user_%00")))
            .await;
        resp.err(401, "clerk_key_invalid");
        // Raw bytes that are not even a URI: hyper refuses them before any route (a bare 400).
        let resp = raw(api, b"GET /v1/users/\xff\xfe HTTP/1.1", b"").await;
        assert_eq!(resp.status, 400, "{}", resp.head);
        assert_untouched(api).await;
    })
    .await;
}

#[tokio::test]
async fn hostile_query_values() {
    each_backend(async |api: &mut Api| {
        // NUL in a filter: a 500 on PostgreSQL before.
        for path in [
            "/v1/users?email_address=a%00b",
            "/v1/users/count?external_id=%00",
            "/v1/sessions?user_id=%00",
        ] {
            let resp = api.get(path).await;
            resp.err(422, "form_param_format_invalid");
        }
        assert_eq!(
            api.get("/v1/users?username=%00").await.param(),
            "username"
        );
        // Invalid UTF-8 in a value decodes lossily and matches nothing.
        assert_eq!(api.get("/v1/users?email_address=%FF").await.ok(), &json!([]));
        // The first of a repeated scalar wins.
        api.get("/v1/users?limit=5&limit=abc").await.ok();
        api.get("/v1/users?limit=abc&limit=5")
            .await
            .err(422, "form_param_format_invalid");
        for (query, code) in [
            ("limit=-1", "form_param_value_invalid"),
            ("limit=0", "form_param_value_invalid"),
            ("limit=1e3", "form_param_format_invalid"),
            ("offset=-1", "form_param_value_invalid"),
            ("offset=99999999999999999999", "form_param_format_invalid"),
            ("created_at_before=99999999999999999999", "form_param_invalid_date"),
        ] {
            api.get(&format!("/v1/users?{query}")).await.err(422, code);
        }
        // The largest offsets and dates are fine (no overflow in paging or date arithmetic).
        for path in [
            "/v1/users?offset=9223372036854775807",
            "/v1/users?created_at_before=9223372036854775807&last_active_at_since=-9223372036854775808",
            "/v1/clients?offset=9223372036854775807&paginated=true",
            "/v1/allowlist_identifiers?offset=9223372036854775807&paginated=true",
            "/v1/sessions?user_id=user_x&offset=9223372036854775807",
        ] {
            api.get(path).await.ok();
        }
        // A huge order_by (under hyper's URI limit) is a precise 422.
        let resp = api
            .get(&format!("/v1/users?order_by={}", "a".repeat(60_000)))
            .await;
        resp.err(422, "form_param_value_invalid");
        // Over hyper's URI limit (64 KiB), hyper answers 414 itself.
        let line = format!("GET /v1/users?order_by={} HTTP/1.1", "a".repeat(70_000));
        let resp = raw(api, line.as_bytes(), b"").await;
        assert_eq!(resp.status, 414, "{}", resp.head);
        assert_untouched(api).await;
    })
    .await;
}

#[tokio::test]
async fn hostile_json_bodies() {
    each_backend(async |api: &mut Api| {
        let post = async |body: &[u8]| {
            api.send(
                api.request(Method::POST, "/v1/users")
                    .header("Content-Type", "application/json")
                    .body(body.to_vec()),
            )
            .await
        };
        let deep_array = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let deep_object = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
        for body in [
            &b"[]"[..],
            b"\"a string\"",
            b"42",
            b"null",
            b"true",
            deep_array.as_bytes(),
            deep_object.as_bytes(),
            br#"{"first_name":1e400}"#,
            br#"{"first_name":"\ud800"}"#,
            b"{\"first_name\":\"\xff\"}",
            b"{\"first_name\":",
            b"\x00",
        ] {
            let resp = post(body).await;
            resp.err(400, "request_body_invalid");
        }
        // NUL in a string or a key, however deep: a 500 on PostgreSQL before.
        for (body, param) in [
            (json!({"first_name": "a\u{0}b"}), "first_name"),
            (json!({"external_id": "\u{0}"}), "external_id"),
            (
                json!({"email_address": ["a\u{0}@example.com"]}),
                "email_address",
            ),
            (
                json!({"public_metadata": {"k": ["\u{0}"]}}),
                "public_metadata",
            ),
            (
                json!({"private_metadata": {"\u{0}": 1}}),
                "private_metadata",
            ),
        ] {
            let resp = api.post("/v1/users", body).await;
            resp.err(422, "form_param_format_invalid");
            assert_eq!(resp.param(), param);
        }
        // Numbers out of i64 range in an integer field are the wrong type, not a crash.
        let user = api.user(json!({"first_name": "n"})).await;
        let session = api.session(user["id"].as_str().unwrap()).await;
        let path = format!("/v1/sessions/{}/tokens", session["id"].as_str().unwrap());
        let resp = api
            .post(
                &path,
                json!({"expires_in_seconds": 99999999999999999999u128 as f64}),
            )
            .await;
        resp.err(422, "form_param_type_invalid");
        let resp = api
            .post(&path, json!({"expires_in_seconds": i64::MIN}))
            .await;
        resp.err(422, "form_param_value_invalid");
        // Duplicate keys: the last wins, as in Go's encoding/json.
        let resp = post(br#"{"first_name":"first","first_name":"last"}"#).await;
        assert_eq!(resp.ok()["first_name"], "last");
        // Content-Type is not looked at: JSON is JSON, a form is not JSON.
        let resp = api
            .send(
                api.request(Method::POST, "/v1/users")
                    .header("Content-Type", "text/plain")
                    .body(r#"{"first_name":"plain"}"#),
            )
            .await;
        assert_eq!(resp.ok()["first_name"], "plain");
        let resp = api
            .send(
                api.request(Method::POST, "/v1/users")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body("first_name=form"),
            )
            .await;
        resp.err(400, "request_body_invalid");
        // Only the three users made on purpose exist.
        assert_eq!(api.get("/v1/users/count").await.ok()["total_count"], 3);
    })
    .await;
}

#[tokio::test]
async fn request_errors_take_a_status_the_operation_declares() {
    each_backend(async |api: &mut Api| {
        let user = api.user(json!({"email_address": ["d@example.com"]})).await;
        let email_id = user["email_addresses"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let before = api.get(&format!("/v1/email_addresses/{email_id}")).await;
        // PATCH /v1/email_addresses/{id} declares 400 and not 422.
        let resp = api
            .patch(
                &format!("/v1/email_addresses/{email_id}"),
                json!({"verified": "yes"}),
            )
            .await;
        resp.err(400, "form_param_type_invalid");
        let resp = api
            .patch(&format!("/v1/email_addresses/{email_id}"), json!({"x": 1}))
            .await;
        resp.err(400, "form_param_unknown");
        // POST /v1/clients/verify declares 400 and not 422.
        api.post("/v1/clients/verify", json!({}))
            .await
            .err(400, "form_param_missing");
        // PATCH /v1/instance declares 422 and not 400.
        let resp = api
            .send(
                api.request(Method::PATCH, "/v1/instance")
                    .header("Content-Type", "application/json")
                    .body("\u{0}"),
            )
            .await;
        resp.err(422, "request_body_invalid");
        // POST /v1/sessions declares 400 and 422 but not 403.
        let user_id = user["id"].as_str().unwrap();
        api.post_empty(&format!("/v1/users/{user_id}/ban"))
            .await
            .ok();
        api.post("/v1/sessions", json!({"user_id": user_id}))
            .await
            .err(400, "user_banned");
        // Operations that declare both keep Clerk's usual statuses.
        api.post("/v1/users", json!({"x": 1}))
            .await
            .err(422, "form_param_unknown");
        api.post_empty("/v1/users/user_missing/ban")
            .await
            .err(404, "resource_not_found");
        // The email address is unchanged.
        let after = api.get(&format!("/v1/email_addresses/{email_id}")).await;
        assert_eq!(after.ok(), before.ok());
    })
    .await;
}

#[tokio::test]
async fn unknown_methods_are_405_with_allow() {
    each_backend(async |api: &mut Api| {
        for method in ["PUT", "DELETE", "FOO", "OPTIONS", "TRACE"] {
            let resp = raw(api, format!("{method} /v1/users HTTP/1.1").as_bytes(), b"").await;
            resp.err(405, "resource_not_found");
            assert!(
                resp.head
                    .to_ascii_lowercase()
                    .contains("allow: get,head,post\r\n"),
                "{}",
                resp.head
            );
        }
        let resp = raw(api, b"PATCH /v1/sessions/sess_x/revoke HTTP/1.1", b"").await;
        resp.err(405, "resource_not_found");
        // An unknown path is 404 whatever the method.
        raw(api, b"FOO /v1/nothing HTTP/1.1", b"")
            .await
            .err(404, "resource_not_found");
        assert_untouched(api).await;
    })
    .await;
}

#[tokio::test]
async fn authorization_variants() {
    each_backend(async |api: &mut Api| {
        let key = api.server.secret_key().to_owned();
        let accepted = [
            format!("Bearer {key}"),
            format!("bearer {key}"),
            format!("BEARER {key}"),
            format!("Bearer   {key}  "),
        ];
        for value in &accepted {
            let resp = api
                .send(
                    http_client()
                        .get(api.url("/v1/users/count"))
                        .header("Authorization", value),
                )
                .await;
            resp.ok();
        }
        let refused = [
            String::new(),
            "Bearer".to_owned(),
            "Bearer ".to_owned(),
            key.clone(),
            format!("Basic {key}"),
            format!("Bearer\t{key}"),
            format!("Bearer {key} extra"),
            format!("Bearer {key}x"),
            format!("Token {key}"),
            format!("Bearer {}", "k".repeat(60_000)),
        ];
        for value in &refused {
            let resp = api
                .send(
                    http_client()
                        .post(api.url("/v1/users"))
                        .header("Authorization", value)
                        .json(&json!({"first_name": "x"})),
                )
                .await;
            resp.err(401, "clerk_key_invalid");
        }
        // Bytes that are not text in the header.
        let addr = api
            .server
            .base_url()
            .trim_start_matches("http://")
            .to_owned();
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        stream
            .write_all(
                format!("GET /v1/users/count HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n")
                    .as_bytes(),
            )
            .await
            .unwrap();
        stream
            .write_all(b"Authorization: Bearer \xff\xfe\r\n\r\n")
            .await
            .unwrap();
        read_answer(stream).await.err(401, "clerk_key_invalid");
        assert_untouched(api).await;
    })
    .await;
}

#[tokio::test]
async fn long_headers() {
    each_backend(async |api: &mut Api| {
        // Long but within hyper's limits: answered normally.
        let resp = api
            .send(
                api.request(Method::GET, "/v1/users/count")
                    .header("X-Long", "a".repeat(60_000)),
            )
            .await;
        resp.ok();
        let resp = api
            .send(
                api.request(Method::GET, "/v1/users/count")
                    .header("Clerk-API-Version", "2".repeat(10_000)),
            )
            .await;
        resp.err(400, "api_version_invalid");
        // Beyond hyper's header buffer: 431 from hyper itself, and the server goes on.
        let resp = raw(
            api,
            format!(
                "GET /v1/users/count HTTP/1.1\r\nX-Huge: {}",
                "a".repeat(500_000)
            )
            .as_bytes(),
            b"",
        )
        .await;
        assert_eq!(resp.status, 431, "{}", resp.head);
        api.get("/v1/users/count").await.ok();
    })
    .await;
}

#[tokio::test]
async fn content_length_lies() {
    each_backend_with(
        || clerk_server::Config::default().with_body_read_timeout(Duration::from_millis(500)),
        async |api: &mut Api| {
            let head =
                b"POST /v1/users HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 100";
            // Less than announced, then the client stops writing: the body ends early.
            let addr = api
                .server
                .base_url()
                .trim_start_matches("http://")
                .to_owned();
            let mut stream = TcpStream::connect(&addr).await.unwrap();
            let mut bytes = head.to_vec();
            bytes.extend_from_slice(
                format!(
                    "\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\r\n{{\"first_name\":\"x\"}}",
                    api.server.secret_key()
                )
                .as_bytes(),
            );
            stream.write_all(&bytes).await.unwrap();
            stream.shutdown().await.unwrap();
            read_answer(stream).await.err(400, "request_body_invalid");
            // Less than announced, connection kept open: 408 after the read timeout, not a hang.
            let mut stream = TcpStream::connect(&addr).await.unwrap();
            stream.write_all(&bytes).await.unwrap();
            read_answer(stream).await.err(408, "request_timeout");
            // More than announced: the body is cut at the length (here not JSON).
            raw(
                api,
                b"POST /v1/users HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 5",
                br#"{"first_name":"y"}"#,
            )
            .await
            .err(400, "request_body_invalid");
            // A non-numeric length is not HTTP: hyper answers 400 itself.
            let resp = raw(
                api,
                b"POST /v1/users HTTP/1.1\r\nContent-Length: abc",
                b"{}",
            )
            .await;
            assert_eq!(resp.status, 400);
            assert_untouched(api).await;
        },
    )
    .await;
}

#[tokio::test]
async fn two_megabyte_bodies_are_413() {
    each_backend(async |api: &mut Api| {
        let big = json!({"first_name": "x".repeat(2 * 1024 * 1024)});
        api.post("/v1/users", big.clone())
            .await
            .err(413, "request_body_too_large");
        api.patch("/v1/instance", big)
            .await
            .err(413, "request_body_too_large");
        assert_untouched(api).await;
    })
    .await;
}

#[tokio::test]
async fn stalled_headers_are_cut_off() {
    // One backend is enough: this is the HTTP layer, and it takes HEADER_READ_TIMEOUT.
    let server = clerk_server::TestServer::start().await;
    let addr = server.base_url().trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    stream
        .write_all(b"GET /v1/users HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    let limit = clerk_server::HEADER_READ_TIMEOUT + Duration::from_secs(15);
    let closed = tokio::time::timeout(limit, stream.read_to_end(&mut answer)).await;
    assert!(
        closed.is_ok(),
        "a connection that never finishes its headers is closed"
    );
    assert!(started.elapsed() >= clerk_server::HEADER_READ_TIMEOUT - Duration::from_secs(1));
    // The server goes on serving.
    let resp = http_client()
        .get(format!("{}/v1/users/count", server.base_url()))
        .bearer_auth(server.secret_key())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    server.shutdown().await;
}
