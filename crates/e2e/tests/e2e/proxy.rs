//! The validating layer itself: it must catch bad answers, and pass good ones
//! (and every request) through unchanged. A fake upstream plays the server.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use clerk_sdk::{Clerk, CreateUser, Error, ListUsers, RetryPolicy};
use e2e::ValidatingProxy;
use serde_json::{Value, json};

/// Serves `app` on a loopback port; returns its base URL.
async fn upstream(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

fn client(proxy: &ValidatingProxy) -> Clerk {
    Clerk::builder()
        .base_url(proxy.base_url())
        .secret_key("sk_test_proxy")
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

fn json_answer(status: StatusCode, body: Value) -> axum::response::Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::HeaderName::from_static("clerk-trace-id"),
                "trace_fake",
            ),
        ],
        body.to_string(),
    )
        .into_response()
}

#[tokio::test]
async fn violations_name_the_operation_status_and_json_path() {
    let app = Router::new().route(
        "/v1/users/{id}",
        get(|| async {
            json_answer(
                StatusCode::OK,
                json!({"object": "user", "id": "user_1", "created_at": "yesterday"}),
            )
        }),
    );
    let proxy = ValidatingProxy::start(&upstream(app).await).await;
    let result = client(&proxy).users().get("user_1").await;
    assert!(matches!(result, Err(Error::Decode(_))), "{result:?}");

    let violations = proxy.take_violations();
    assert!(!violations.is_empty());
    for v in &violations {
        assert_eq!(v.request, "GET /v1/users/user_1");
        assert_eq!(v.operation, "GET /users/{user_id} in bapi-2026-05-12");
        assert_eq!(v.status, 200);
    }
    assert!(
        violations
            .iter()
            .any(|v| v.json_path == "$"
                && v.message == "missing required property `email_addresses`"),
        "{violations:#?}"
    );
    assert!(
        violations
            .iter()
            .any(|v| v.json_path == "$.created_at" && v.message.contains("expected integer")),
        "{violations:#?}"
    );

    // Unlooked-at violations fail the test.
    let _ = client(&proxy).users().get("user_2").await;
    let failed = std::panic::catch_unwind(AssertUnwindSafe(|| proxy.assert_clean()));
    let message = failed.expect_err("assert_clean must panic on violations");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(
        message.contains("GET /v1/users/user_2 answered 200 (checked as GET /users/{user_id} in bapi-2026-05-12): $.created_at"),
        "{message}"
    );
    proxy.assert_clean(); // the panic consumed them
}

#[tokio::test]
async fn wire_rule_breaks_are_violations() {
    let app = Router::new()
        .route(
            "/v1/users/count",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
                    r#"{"object":"total_count","total_count":1}"#,
                )
            }),
        )
        .route(
            "/v1/jwks",
            get(|| async {
                (
                    StatusCode::UNAUTHORIZED,
                    [(header::CONTENT_TYPE, "application/json")],
                    r#"{"errors":[{"message":"m","long_message":"l","code":"clerk_key_invalid"}]}"#,
                )
            }),
        );
    let proxy = ValidatingProxy::start(&upstream(app).await).await;
    let clerk = client(&proxy);
    assert_eq!(clerk.users().count(ListUsers::new()).await.unwrap(), 1);
    assert!(clerk.jwks().get().await.unwrap_err().is_unauthorized());
    let messages: Vec<String> = proxy
        .take_violations()
        .into_iter()
        .map(|v| v.message)
        .collect();
    assert_eq!(
        messages,
        [
            "Content-Type is Some(\"application/json; charset=utf-8\"), not exactly \"application/json\"",
            "an error without a Clerk-Trace-Id header"
        ]
    );
}

#[derive(Debug, Clone, Default)]
struct Seen {
    method: String,
    uri: String,
    headers: HeaderMap,
    body: String,
}

#[tokio::test]
async fn requests_and_answers_pass_through_unchanged() {
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let record = {
        let seen = seen.clone();
        move |request: Request| {
            let seen = seen.clone();
            async move {
                let (parts, body) = request.into_parts();
                let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
                seen.lock().unwrap().push(Seen {
                    method: parts.method.to_string(),
                    uri: parts.uri.to_string(),
                    headers: parts.headers,
                    body: String::from_utf8(body.to_vec()).unwrap(),
                });
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [
                        (header::CONTENT_TYPE, "application/json"),
                        (header::RETRY_AFTER, "7"),
                        (
                            header::HeaderName::from_static("clerk-trace-id"),
                            "trace_429",
                        ),
                    ],
                    r#"{"errors":[{"message":"slow down","long_message":"Too many requests","code":"too_many_requests","meta":{}}],"clerk_trace_id":"trace_429"}"#,
                )
            }
        }
    };
    let app = Router::new().route("/v1/users", post(record.clone()).get(record));
    let proxy = ValidatingProxy::start(&upstream(app).await).await;
    let clerk = client(&proxy);

    let err = clerk
        .users()
        .create(
            CreateUser::new()
                .first_name("Zoë")
                .email_address(["a+b@x.com"]),
        )
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.code(), Some("too_many_requests"));
    assert_eq!(err.trace_id(), Some("trace_429"));
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(7)));
    let _ = clerk
        .users()
        .list(
            ListUsers::new()
                .email_address(["a@x.com", "b+c@x.com"])
                .order_by("+created_at"),
        )
        .await
        .unwrap_err();

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].uri, "/v1/users");
    assert_eq!(
        serde_json::from_str::<Value>(&seen[0].body).unwrap(),
        json!({"first_name": "Zoë", "email_address": ["a+b@x.com"]})
    );
    assert_eq!(seen[0].headers["authorization"], "Bearer sk_test_proxy");
    assert_eq!(seen[0].headers["clerk-api-version"], "2026-05-12");
    assert_eq!(seen[0].headers["content-type"], "application/json");
    assert_eq!(seen[1].method, "GET");
    assert_eq!(
        seen[1].uri,
        "/v1/users?email_address=a%40x.com&email_address=b%2Bc%40x.com&order_by=%2Bcreated_at"
    );
    assert_eq!(seen[1].body, "");
    assert_eq!(proxy.checked(), 2);
    proxy.assert_clean();
}

#[tokio::test]
async fn a_server_that_is_down_is_a_bad_gateway_not_a_violation() {
    // A port that was free a moment ago: nothing listens there.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let proxy = ValidatingProxy::start(&format!("http://{closed}")).await;
    let err = client(&proxy).users().get("user_1").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502), "{err:?}");
    assert_eq!(proxy.checked(), 0);
    proxy.assert_clean();
}
