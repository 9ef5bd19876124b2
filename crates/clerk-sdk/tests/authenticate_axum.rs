//! The axum extractors over an `Authenticator` in the router's state: each names the token
//! kind it accepts; anything else is a 401 with Clerk's error JSON, an unreachable API a 503.

mod verify_common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use clerk_sdk::authenticate::Authenticator;
use clerk_sdk::middleware::{ClerkAnyToken, ClerkApiKey, ClerkMachine, ClerkOAuth};
use clerk_sdk::{Clerk, Verifier};
use serde_json::{Value, json};
use tower::ServiceExt as _;
use verify_common::{TestKey, now};

fn app(key: &TestKey) -> Router {
    let clerk = Clerk::builder()
        .secret_key("sk_test_unused")
        .base_url("http://127.0.0.1:9/v1")
        .build()
        .unwrap();
    let auth = Authenticator::builder(clerk, Verifier::from_pem(&key.pem()).unwrap())
        .accepts_any()
        .build();
    Router::new()
        .route(
            "/machine",
            get(|ClerkMachine(m): ClerkMachine| async move { m.machine_id }),
        )
        .route(
            "/api-key",
            get(|ClerkApiKey(k): ClerkApiKey| async move { k.subject }),
        )
        .route(
            "/oauth",
            get(|ClerkOAuth(o): ClerkOAuth| async move { o.user_id }),
        )
        .route(
            "/any",
            get(|ClerkAnyToken(who): ClerkAnyToken| async move { who.token_type().to_string() }),
        )
        .with_state(auth)
}

async fn call(app: &Router, path: &str, token: Option<&str>) -> (StatusCode, String) {
    let mut request = Request::builder().uri(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn each_extractor_takes_its_own_kind() {
    let key = TestKey::generate("ins_a");
    let app = app(&key);
    let m2m = key.sign(
        &json!({"alg": "RS256", "kid": "ins_a", "typ": "JWT", "cat": "cl_B7d4PD333AAA"}),
        &json!({"sub": "mch_1", "exp": now() + 60, "jti": "mt_1", "scopes": ""}),
    );
    assert_eq!(
        call(&app, "/machine", Some(&m2m)).await,
        (StatusCode::OK, "mch_1".into())
    );
    assert_eq!(
        call(&app, "/any", Some(&m2m)).await,
        (StatusCode::OK, "m2m_token".into())
    );
    assert_eq!(
        call(&app, "/any", Some(&key.fresh_token())).await,
        (StatusCode::OK, "session_token".into())
    );

    for (path, token) in [
        ("/api-key", Some(m2m.as_str())),
        ("/oauth", Some(m2m.as_str())),
        ("/machine", Some(&key.fresh_token())),
        ("/machine", None),
    ] {
        let (status, body) = call(&app, path, token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["errors"][0]["code"], "authentication_invalid");
        let reason = &body["errors"][0]["meta"]["reason"];
        assert!(
            reason == "token_type_not_accepted" || reason == "token_missing",
            "{path}: {body}"
        );
    }
    // An opaque API key cannot be checked: the API is unreachable, so 503, not 401.
    assert_eq!(
        call(&app, "/api-key", Some("ak_123")).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
}
