//! `Verifier::authenticate_request` on browsers' cookies (with a publishable key), by
//! `@clerk/backend`'s rules, and the axum layer's answer to a handshake.

mod verify_common;

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use base64::Engine as _;
use clerk_sdk::middleware::{ClerkAuth, ClerkLayer};
use clerk_sdk::verify::{AuthState, ManualClock, Reason, Verifier, VerifierBuilder, cookie_suffix};
use serde_json::json;
use tower::ServiceExt as _;
use verify_common::{ISSUER, TestKey, now, session_claims, with_claim};

const FAPI: &str = "http://127.0.0.1:8080/__clerk";

fn key() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate("ins_browser"))
}

/// The publishable key of the instance `ISSUER` names.
fn publishable_key(live: bool) -> String {
    let host = ISSUER.trim_start_matches("https://");
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{host}$"));
    format!("pk_{}_{encoded}", if live { "live" } else { "test" })
}

fn verifier_for(now: i64, pk: &str) -> Verifier {
    Verifier::builder_pem(key().pem())
        .clock(Arc::new(ManualClock::at_unix(now as u64)))
        .publishable_key(pk)
        .frontend_api_url(FAPI)
        .build()
        .unwrap()
}

fn verifier(now: i64) -> Verifier {
    verifier_for(now, &publishable_key(false))
}

fn page(cookie: &str) -> http::request::Parts {
    request(
        "GET",
        "/dashboard?tab=1",
        cookie,
        &[("sec-fetch-dest", "document")],
    )
}

fn fetch(cookie: &str) -> http::request::Parts {
    request("GET", "/api/data", cookie, &[("sec-fetch-dest", "empty")])
}

fn request(
    method: &str,
    uri: &str,
    cookie: &str,
    headers: &[(&str, &str)],
) -> http::request::Parts {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("host", "127.0.0.1:3000");
    if !cookie.is_empty() {
        request = request.header("cookie", cookie);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(()).unwrap().into_parts().0
}

#[track_caller]
fn signed_out(state: &AuthState, reason: Reason) {
    match state {
        AuthState::SignedOut(error) => assert_eq!(error.reason(), reason, "{state:?}"),
        other => panic!("expected signed out ({reason}), got {other:?}"),
    }
}

#[track_caller]
fn handshake(state: &AuthState, reason: Reason) -> String {
    match state {
        AuthState::Handshake {
            location,
            reason: why,
            redirect_count,
            ..
        } => {
            assert_eq!(why.reason(), reason, "{state:?}");
            assert_eq!(*redirect_count, 1);
            location.clone()
        }
        other => panic!("expected a handshake ({reason}), got {other:?}"),
    }
}

#[tokio::test]
async fn browser_cookies_follow_clerk_backend() {
    let now = now();
    let v = verifier(now);
    let token = key().token(&session_claims(now));
    let uat = now - 30;
    let signed_in = format!("__clerk_db_jwt=dvb; __client_uat={uat}; __session={token}");

    let state = v.authenticate_request(&page(&signed_in)).await;
    assert_eq!(state.user_id(), Some("user_2x3YnFq7bP9kLmN4oR8sT1uVwXy"));
    assert!(
        v.authenticate_request(&fetch(&signed_in))
            .await
            .is_signed_in()
    );

    // The suffixed cookies, when they are the ones to read.
    let s = cookie_suffix(&publishable_key(false));
    // Another instance's `__session` on the same host: this instance's are suffixed.
    let other = key().token(&with_claim(
        &session_claims(now),
        "iss",
        json!("https://other.example"),
    ));
    let suffixed = format!(
        "__clerk_db_jwt_{s}=dvb; __client_uat_{s}={uat}; __session_{s}={token}; __session={other}"
    );
    assert!(
        v.authenticate_request(&page(&suffixed))
            .await
            .is_signed_in()
    );
    // A `__session` without an issuer: the unsuffixed cookies count (no `__clerk_db_jwt`).
    let unsuffixed = format!("__session=junk; {suffixed}");
    let state = v.authenticate_request(&page(&unsuffixed)).await;
    handshake(&state, Reason::DevBrowserMissing);

    // Development instance without a development browser token.
    let no_dvb = format!("__client_uat={uat}; __session={token}");
    let location = handshake(
        &v.authenticate_request(&page(&no_dvb)).await,
        Reason::DevBrowserMissing,
    );
    let url = url::Url::parse(&location).unwrap();
    assert_eq!(
        url.as_str().split('?').next(),
        Some("http://127.0.0.1:8080/__clerk/v1/client/handshake")
    );
    let redirect = url
        .query_pairs()
        .find(|(k, _)| k == "redirect_url")
        .unwrap()
        .1;
    assert_eq!(redirect, "http://127.0.0.1:3000/dashboard?tab=1");
    signed_out(
        &v.authenticate_request(&fetch(&no_dvb)).await,
        Reason::DevBrowserMissing,
    );
    // ... a query parameter counts; a production instance needs none.
    let with_query = request("GET", "/?__clerk_db_jwt=dvb", &no_dvb, &[]);
    assert!(v.authenticate_request(&with_query).await.is_signed_in());
    let live = verifier_for(now, &publishable_key(true));
    assert!(
        live.authenticate_request(&page(&no_dvb))
            .await
            .is_signed_in()
    );

    // Signed out: neither cookie (a zero uat is none).
    signed_out(
        &v.authenticate_request(&page("__clerk_db_jwt=dvb")).await,
        Reason::SessionTokenAndUatMissing,
    );
    signed_out(
        &v.authenticate_request(&page("__clerk_db_jwt=dvb; __client_uat=0"))
            .await,
        Reason::SessionTokenAndUatMissing,
    );
    // One without the other.
    let only_session = format!("__clerk_db_jwt=dvb; __client_uat=0; __session={token}");
    handshake(
        &v.authenticate_request(&page(&only_session)).await,
        Reason::SessionTokenWithoutClientUat,
    );
    signed_out(
        &v.authenticate_request(&fetch(&only_session)).await,
        Reason::SessionTokenWithoutClientUat,
    );
    let only_uat = format!("__clerk_db_jwt=dvb; __client_uat={uat}");
    handshake(
        &v.authenticate_request(&page(&only_uat)).await,
        Reason::ClientUatWithoutSessionToken,
    );
    signed_out(
        &v.authenticate_request(&fetch(&only_uat)).await,
        Reason::ClientUatWithoutSessionToken,
    );
    // A token older than the client's last change.
    let stale = format!(
        "__clerk_db_jwt=dvb; __client_uat={}; __session={token}",
        now + 1
    );
    handshake(
        &v.authenticate_request(&page(&stale)).await,
        Reason::SessionTokenIatBeforeClientUat,
    );
    signed_out(
        &v.authenticate_request(&fetch(&stale)).await,
        Reason::SessionTokenIatBeforeClientUat,
    );
    // Expired: a handshake for a page, signed out otherwise.
    let old = key().token(&with_claim(
        &session_claims(now - 120),
        "iat",
        json!(now - 120),
    ));
    let expired = format!(
        "__clerk_db_jwt=dvb; __client_uat={}; __session={old}",
        now - 200
    );
    handshake(
        &v.authenticate_request(&page(&expired)).await,
        Reason::Expired,
    );
    signed_out(
        &v.authenticate_request(&fetch(&expired)).await,
        Reason::Expired,
    );
    // A forged or malformed token is signed out, never a handshake.
    let forged = format!(
        "__clerk_db_jwt=dvb; __client_uat={uat}; __session={}",
        TestKey::generate("ins_browser").fresh_token()
    );
    signed_out(
        &v.authenticate_request(&page(&forged)).await,
        Reason::SignatureInvalid,
    );
    signed_out(
        &v.authenticate_request(&page(&format!(
            "__clerk_db_jwt=dvb; __client_uat={uat}; __session=x.y"
        )))
        .await,
        Reason::Malformed,
    );
    // A page load that is not a GET, or an HTML fetch without Sec-Fetch-Dest.
    let post = request("POST", "/", &no_dvb, &[("sec-fetch-dest", "document")]);
    signed_out(
        &v.authenticate_request(&post).await,
        Reason::DevBrowserMissing,
    );
    let html = request("GET", "/", &no_dvb, &[("accept", "text/html")]);
    handshake(
        &v.authenticate_request(&html).await,
        Reason::DevBrowserMissing,
    );
    // Three handshakes in a row: signed out instead of a loop.
    let looping = request(
        "GET",
        "/",
        &format!("{no_dvb}; __clerk_redirect_count=3"),
        &[("accept", "text/html")],
    );
    signed_out(
        &v.authenticate_request(&looping).await,
        Reason::DevBrowserMissing,
    );
    // A token without `iat` is not compared with `__client_uat`.
    let mut no_iat = session_claims(now);
    no_iat.as_object_mut().unwrap().remove("iat");
    let no_iat = format!(
        "__clerk_db_jwt=dvb; __client_uat={}; __session={}",
        now + 1,
        key().token(&no_iat)
    );
    assert!(v.authenticate_request(&page(&no_iat)).await.is_signed_in());
    // An expired bearer token: a handshake for a page load, signed out for a fetch.
    let bearer = format!("Bearer {old}");
    let header_page = request(
        "GET",
        "/",
        "",
        &[("authorization", &bearer), ("sec-fetch-dest", "document")],
    );
    handshake(&v.authenticate_request(&header_page).await, Reason::Expired);
    let header_fetch = request("GET", "/", "", &[("authorization", &bearer)]);
    signed_out(
        &v.authenticate_request(&header_fetch).await,
        Reason::Expired,
    );
    // A bearer header wins over cookies.
    let header = request(
        "GET",
        "/",
        "",
        &[("authorization", &format!("Bearer {token}"))],
    );
    assert!(v.authenticate_request(&header).await.is_signed_in());
}

#[tokio::test]
async fn without_a_publishable_key_nothing_changes() {
    let now = now();
    let v = Verifier::builder_pem(key().pem())
        .clock(Arc::new(ManualClock::at_unix(now as u64)))
        .build()
        .unwrap();
    let token = key().token(&session_claims(now));
    assert!(
        v.authenticate_request(&page(&format!("__session={token}")))
            .await
            .is_signed_in()
    );
    signed_out(
        &v.authenticate_request(&page("")).await,
        Reason::TokenMissing,
    );
}

#[test]
fn the_environment_configures_cookies() {
    let pem = key().pem();
    let env = |name: &str| match name {
        "CLERK_JWT_KEY" => Some(pem.clone()),
        "CLERK_PUBLISHABLE_KEY" => Some("pk_test_bm90IGEga2V5".to_owned()),
        _ => None,
    };
    // The key must decode to a host ending in `$`.
    assert!(
        VerifierBuilder::from_env_with(env)
            .unwrap()
            .build()
            .is_err()
    );
    let pk = publishable_key(false);
    let good = |name: &str| match name {
        "CLERK_JWT_KEY" => Some(pem.clone()),
        "CLERK_PUBLISHABLE_KEY" => Some(pk.clone()),
        "CLERK_PROXY_URL" => Some(FAPI.to_owned()),
        _ => None,
    };
    assert!(
        VerifierBuilder::from_env_with(good)
            .unwrap()
            .build()
            .is_ok()
    );
}

async fn me(ClerkAuth(claims): ClerkAuth) -> String {
    claims.sub
}

async fn home(auth: Option<ClerkAuth>) -> String {
    auth.map_or("stranger".to_owned(), |a| a.0.sub)
}

#[tokio::test]
async fn the_layer_redirects_page_loads_to_the_handshake() {
    let now = now();
    let app = Router::new()
        .route("/", get(home))
        .route("/api/me", get(me))
        .layer(ClerkLayer::new(verifier(now)));
    let call = |uri: &str, cookie: String, dest: &str| {
        let app = app.clone();
        let request = Request::builder()
            .uri(uri)
            .header("host", "127.0.0.1:3000")
            .header("cookie", cookie)
            .header("sec-fetch-dest", dest)
            .body(Body::empty())
            .unwrap();
        async move { app.oneshot(request).await.unwrap() }
    };
    let token = key().token(&session_claims(now));

    let answer = call(
        "/?x=1",
        format!("__client_uat={now}; __session={token}"),
        "document",
    )
    .await;
    assert_eq!(answer.status(), StatusCode::TEMPORARY_REDIRECT);
    let location = answer.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with(&format!(
            "{FAPI}/v1/client/handshake?redirect_url=http%3A%2F%2F127.0.0.1%3A3000%2F%3Fx%3D1"
        )),
        "{location}"
    );
    assert_eq!(answer.headers()["cache-control"], "no-store");
    let counter = answer.headers()["set-cookie"].to_str().unwrap();
    assert!(
        counter.starts_with("__clerk_redirect_count=1;"),
        "{counter}"
    );

    // The same cookies from fetch(): signed out, 401 on a protected route, stranger on a public one.
    let answer = call(
        "/api/me",
        format!("__client_uat={now}; __session={token}"),
        "empty",
    )
    .await;
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    let body = axum::body::to_bytes(answer.into_body(), 1 << 16)
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["errors"][0]["meta"]["reason"], "dev_browser_missing");
    let answer = call(
        "/",
        format!("__client_uat={now}; __session={token}"),
        "empty",
    )
    .await;
    let body = axum::body::to_bytes(answer.into_body(), 1 << 16)
        .await
        .unwrap();
    assert_eq!(&body[..], b"stranger");

    // With the development browser token: signed in on both.
    let cookie = format!("__clerk_db_jwt=dvb; __client_uat={now}; __session={token}");
    let answer = call("/api/me", cookie.clone(), "document").await;
    assert_eq!(answer.status(), StatusCode::OK);
    let answer = call("/", cookie, "document").await;
    let body = axum::body::to_bytes(answer.into_body(), 1 << 16)
        .await
        .unwrap();
    assert_eq!(&body[..], b"user_2x3YnFq7bP9kLmN4oR8sT1uVwXy");
}
