//! The axum layer and extractors, driven in-process through the example app's own router.

mod verify_common;

#[path = "../examples/axum_app.rs"]
#[allow(dead_code)]
mod axum_app;

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use clerk_sdk::middleware::{ClerkAuth, ClerkLayer};
use clerk_sdk::verify::{ManualClock, Verifier};
use serde_json::{Value, json};
use tower::ServiceExt as _;
use verify_common::{JwksServer, TestKey, now, session_claims, with_claim};

fn key() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate("ins_2x3YnFq7bP9kLmN4oR8sT1uVwXz"))
}

fn verifier(now: i64) -> Verifier {
    Verifier::builder_pem(key().pem())
        .clock(Arc::new(ManualClock::at_unix(now as u64)))
        .build()
        .unwrap()
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

async fn get_with(app: &Router, path: &str, header: Option<(&str, String)>) -> Answer {
    let mut request = Request::builder().uri(path);
    if let Some((name, value)) = header {
        request = request.header(name, value);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    Answer {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

fn bearer(token: &str) -> Option<(&'static str, String)> {
    Some(("authorization", format!("Bearer {token}")))
}

fn assert_clerk_error(answer: &Answer, status: StatusCode, code: &str, reason: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert_eq!(answer.headers["content-type"], "application/json");
    let body = answer.json();
    let error = &body["errors"][0];
    assert_eq!(error["code"], code);
    assert_eq!(error["meta"]["reason"], reason);
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(
        error["long_message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
}

#[tokio::test]
async fn public_route_serves_everyone_and_knows_who_is_signed_in() {
    let now = now();
    let app = axum_app::app(verifier(now));
    let anonymous = get_with(&app, "/", None).await;
    assert_eq!(anonymous.status, StatusCode::OK);
    assert!(anonymous.body.contains("stranger"));

    let token = key().token(&session_claims(now));
    let signed_in = get_with(&app, "/", bearer(&token)).await;
    assert_eq!(signed_in.body, "Hello, user_2x3YnFq7bP9kLmN4oR8sT1uVwXy!");

    // An invalid token is simply signed out for an optional extractor.
    let expired = key().token(&with_claim(&session_claims(now), "exp", json!(now - 60)));
    let answer = get_with(&app, "/", bearer(&expired)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.contains("stranger"));
}

#[tokio::test]
async fn protected_route_needs_a_session() {
    let now = now();
    let app = axum_app::app(verifier(now));

    let none = get_with(&app, "/api/me", None).await;
    assert_clerk_error(
        &none,
        StatusCode::UNAUTHORIZED,
        "authentication_invalid",
        "token_missing",
    );
    assert_eq!(none.headers["www-authenticate"], "Bearer");

    let expired = key().token(&with_claim(&session_claims(now), "exp", json!(now - 60)));
    let answer = get_with(&app, "/api/me", bearer(&expired)).await;
    assert_clerk_error(
        &answer,
        StatusCode::UNAUTHORIZED,
        "authentication_invalid",
        "token_expired",
    );
    assert!(!answer.body.contains(&expired));

    let forged = verify_common::hs256_with_public_key(key(), &session_claims(now));
    let answer = get_with(&app, "/api/me", bearer(&forged)).await;
    assert_clerk_error(
        &answer,
        StatusCode::UNAUTHORIZED,
        "authentication_invalid",
        "algorithm_not_allowed",
    );

    let mut claims = session_claims(now);
    claims["o"] = json!({"id": "org_1", "slg": "acme", "rol": "admin"});
    let token = key().token(&claims);
    let answer = get_with(&app, "/api/me", bearer(&token)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let body = answer.json();
    assert_eq!(body["user_id"], "user_2x3YnFq7bP9kLmN4oR8sT1uVwXy");
    assert_eq!(body["session_id"], "sess_2x3YnFq7bP9kLmN4oR8sT1uVwXz");
    assert_eq!(body["organization"]["role"], "org:admin");

    // The __session cookie works as well as the header.
    let cookie = get_with(
        &app,
        "/api/me",
        Some(("cookie", format!("__session={token}"))),
    )
    .await;
    assert_eq!(cookie.status, StatusCode::OK);
}

#[tokio::test]
async fn a_sub_router_can_require_a_session_for_all_its_routes() {
    let now = now();
    let app = axum_app::app(verifier(now));
    let answer = get_with(&app, "/admin/stats", None).await;
    assert_clerk_error(
        &answer,
        StatusCode::UNAUTHORIZED,
        "authentication_invalid",
        "token_missing",
    );
    let pending = key().token(&with_claim(&session_claims(now), "sts", json!("pending")));
    let answer = get_with(&app, "/admin/stats", bearer(&pending)).await;
    assert_clerk_error(
        &answer,
        StatusCode::UNAUTHORIZED,
        "authentication_invalid",
        "session_pending",
    );
    let token = key().token(&session_claims(now));
    let answer = get_with(&app, "/admin/stats", bearer(&token)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.json()["requested_by"],
        "user_2x3YnFq7bP9kLmN4oR8sT1uVwXy"
    );
}

#[tokio::test]
async fn unreachable_keys_answer_503_not_401() {
    // A client told 401 may drop a session that is in fact valid.
    let server = JwksServer::start(&[key()]).await;
    server.fail_with(StatusCode::INTERNAL_SERVER_ERROR);
    let verifier = Verifier::from_jwks_url(&server.url).unwrap();
    let app = axum_app::app(verifier);
    let answer = get_with(&app, "/api/me", bearer(&key().fresh_token())).await;
    assert_clerk_error(
        &answer,
        StatusCode::SERVICE_UNAVAILABLE,
        "authentication_unavailable",
        "keys_unavailable",
    );
    assert!(
        !answer.body.contains(&server.url),
        "no internal detail in the response"
    );
}

#[tokio::test]
async fn the_extractor_without_the_layer_is_a_500_not_a_pass() {
    let app = Router::new().route(
        "/me",
        get(|ClerkAuth(claims): ClerkAuth| async move { claims.sub }),
    );
    let answer = get_with(&app, "/me", bearer(&key().fresh_token())).await;
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(answer.json()["errors"][0]["code"], "internal_error");

    let optional = Router::new().route(
        "/me",
        get(|auth: Option<ClerkAuth>| async move { format!("{:?}", auth.map(|a| a.0.sub)) }),
    );
    let answer = get_with(&optional, "/me", None).await;
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn a_nested_layer_with_another_verifier_authenticates_again() {
    // The outer layer trusts key A, the inner one only key B: the inner verdict must win for
    // its routes, never the outer one's.
    let now = now();
    let other = TestKey::generate("ins_other");
    let other_verifier = Verifier::builder_pem(other.pem())
        .clock(Arc::new(ManualClock::at_unix(now as u64)))
        .build()
        .unwrap();
    let inner = Router::new()
        .route(
            "/inner",
            get(|ClerkAuth(c): ClerkAuth| async move { c.sub }),
        )
        .layer(ClerkLayer::new(other_verifier));
    let app = Router::new()
        .route(
            "/outer",
            get(|ClerkAuth(c): ClerkAuth| async move { c.sub }),
        )
        .merge(inner)
        .layer(ClerkLayer::new(verifier(now)));
    let token_a = key().token(&session_claims(now));
    assert_eq!(
        get_with(&app, "/outer", bearer(&token_a)).await.status,
        StatusCode::OK
    );
    let answer = get_with(&app, "/inner", bearer(&token_a)).await;
    assert_clerk_error(
        &answer,
        StatusCode::UNAUTHORIZED,
        "authentication_invalid",
        "signature_invalid",
    );
    let token_b = other.token(&session_claims(now));
    assert_eq!(
        get_with(&app, "/inner", bearer(&token_b)).await.status,
        StatusCode::OK
    );
}

/// A v2 session token in `org_acme` with this role and these `fpm` masks over
/// `fea: o:invoices` and `per: read,refund`.
fn org_token(now: i64, role: &str, invoices_mask: &str) -> String {
    let mut claims = session_claims(now);
    claims["fea"] = json!("o:invoices");
    claims["o"] = json!({"id": "org_acme", "slg": "acme", "rol": role,
                         "per": "read,refund", "fpm": invoices_mask});
    key().token(&claims)
}

#[tokio::test]
async fn the_organization_extractor_needs_a_session_then_an_active_organization() {
    let now = now();
    let app = axum_app::app(verifier(now));

    let none = get_with(&app, "/api/org/invoices", None).await;
    assert_clerk_error(
        &none,
        StatusCode::UNAUTHORIZED,
        "authentication_invalid",
        "token_missing",
    );

    let personal = key().token(&session_claims(now));
    let answer = get_with(&app, "/api/org/invoices", bearer(&personal)).await;
    assert_clerk_error(
        &answer,
        StatusCode::FORBIDDEN,
        "authorization_invalid",
        "no_active_organization",
    );
    assert!(!answer.headers.contains_key("www-authenticate"));

    let reader = org_token(now, "member", "1");
    let answer = get_with(&app, "/api/org/invoices", bearer(&reader)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["organization"], "org_acme");

    // In the organization, but without org:invoices:read (bit 0 unset).
    let refunder = org_token(now, "member", "2");
    let answer = get_with(&app, "/api/org/invoices", bearer(&refunder)).await;
    assert_clerk_error(
        &answer,
        StatusCode::FORBIDDEN,
        "authorization_invalid",
        "missing_permission",
    );
    assert!(
        !answer.body.contains("invoices:read"),
        "the answer does not name what is required: {}",
        answer.body
    );
}

#[tokio::test]
async fn a_layer_can_require_a_role_for_a_sub_router() {
    let now = now();
    let app = axum_app::app(verifier(now));
    let answer = get_with(&app, "/api/org/settings", None).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    let personal = key().token(&session_claims(now));
    let answer = get_with(&app, "/api/org/settings", bearer(&personal)).await;
    assert_clerk_error(
        &answer,
        StatusCode::FORBIDDEN,
        "authorization_invalid",
        "no_active_organization",
    );
    let member = org_token(now, "member", "3");
    let answer = get_with(&app, "/api/org/settings", bearer(&member)).await;
    assert_clerk_error(
        &answer,
        StatusCode::FORBIDDEN,
        "authorization_invalid",
        "missing_role",
    );
    let admin = org_token(now, "admin", "0");
    let answer = get_with(&app, "/api/org/settings", bearer(&admin)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["slug"], "acme");
}

#[tokio::test]
async fn layer_requirements_all_hold_and_read_v1_tokens_too() {
    let now = now();
    let guarded = Router::new()
        .route("/refund", get(|| async { "refunded" }))
        .layer(
            ClerkLayer::new(verifier(now))
                .require_organization()
                .require_role("admin")
                .require_permission("invoices:refund"),
        );
    let cases = [
        (org_token(now, "admin", "2"), StatusCode::OK),
        (org_token(now, "admin", "1"), StatusCode::FORBIDDEN),
        (org_token(now, "member", "2"), StatusCode::FORBIDDEN),
    ];
    for (token, status) in cases {
        let answer = get_with(&guarded, "/refund", bearer(&token)).await;
        assert_eq!(answer.status, status, "{}", answer.body);
    }

    let mut v1 = session_claims(now);
    for name in ["v", "sts", "jti"] {
        v1.as_object_mut().unwrap().remove(name);
    }
    v1["org_id"] = json!("org_acme");
    v1["org_role"] = json!("org:admin");
    v1["org_permissions"] = json!(["org:invoices:refund"]);
    let answer = get_with(&guarded, "/refund", bearer(&key().token(&v1))).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);

    // System permissions never pass, even listed in a token.
    let sys = Router::new()
        .route("/members", get(|| async { "members" }))
        .layer(ClerkLayer::new(verifier(now)).require_permission("org:sys_memberships:manage"));
    v1["org_permissions"] = json!(["org:sys_memberships:manage"]);
    let answer = get_with(&sys, "/members", bearer(&key().token(&v1))).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn organization_rejections_can_be_handled_by_the_handler() {
    use clerk_sdk::middleware::{AuthRejection, ClerkOrganization};
    let now = now();
    let app = Router::new()
        .route(
            "/who",
            get(|org: Result<ClerkOrganization, AuthRejection>| async move {
                match org {
                    Ok(org) => org.organization.id,
                    Err(rejection) => format!("{} {}", rejection.status().as_u16(), rejection),
                }
            }),
        )
        .layer(ClerkLayer::new(verifier(now)));
    let personal = key().token(&session_claims(now));
    let answer = get_with(&app, "/who", bearer(&personal)).await;
    assert_eq!(answer.body, "403 forbidden: no_active_organization");
    let answer = get_with(&app, "/who", None).await;
    assert!(answer.body.starts_with("401 signed out"), "{}", answer.body);
    let answer = get_with(&app, "/who", bearer(&org_token(now, "member", "0"))).await;
    assert_eq!(answer.body, "org_acme");

    let no_layer = Router::new().route(
        "/who",
        get(|org: ClerkOrganization| async move { org.organization.id }),
    );
    let answer = get_with(&no_layer, "/who", bearer(&personal)).await;
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
}
