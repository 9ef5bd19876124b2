//! `clerk_sdk::authenticate` per call: an API key answered from the warm answer cache, a
//! JWT-format M2M token verified networkless, and a session token (the verified-token cache
//! hit, and the full check with that cache off), all through one `Authenticator`.
//!
//! `cargo bench -p clerk-sdk --bench authenticate`; figures in BENCHMARKS.md.

#[path = "../tests/verify_common/mod.rs"]
mod verify_common;

use std::hint::black_box;

use axum::Router;
use axum::routing::post;
use clerk_sdk::authenticate::{Authenticated, Authenticator, TokenType};
use clerk_sdk::{Clerk, Verifier};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use verify_common::{TestKey, now, session_claims};

fn authentication(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let key = TestKey::fixed("ins_2x3YnFq7bP9kLmN4oR8sT1uVwXz");

    // A stand-in Backend API answering /api_keys/verify, asked once to warm the cache.
    let api = runtime.block_on(async {
        let answer = || async {
            axum::Json(json!({
                "object": "api_key", "id": "ak_id_1", "type": "api_key",
                "subject": "user_1", "name": "ci", "description": null, "claims": null,
                "scopes": ["read"], "revoked": false, "revocation_reason": null,
                "expired": false, "expiration": null, "created_by": null,
                "last_used_at": null, "created_at": 1, "updated_at": 1
            }))
        };
        // Whichever path the SDK uses (with or without /v1).
        let app = Router::new()
            .route("/api_keys/verify", post(answer))
            .route("/v1/api_keys/verify", post(answer));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    });
    let clerk = Clerk::builder()
        .secret_key("sk_test_bench")
        .base_url(format!("{api}/v1"))
        .build()
        .unwrap();
    let build = |cache: usize| {
        let verifier = Verifier::builder_pem(key.pem())
            .verified_token_cache(cache)
            .build()
            .unwrap();
        Authenticator::builder(clerk.clone(), verifier)
            .accepts(TokenType::ALL)
            .build()
    };
    let auth = build(clerk_sdk::verify::DEFAULT_VERIFIED_TOKEN_CACHE);
    let uncached = build(0);

    let mut claims = session_claims(now());
    claims["exp"] = json!(now() + 3600);
    let session = key.token(&claims);
    let m2m = key.sign(
        &json!({"alg": "RS256", "kid": "ins_2x3YnFq7bP9kLmN4oR8sT1uVwXz", "typ": "JWT", "cat": "cl_B7d4PD333AAA"}),
        &json!({"sub": "mch_1", "exp": now() + 3600, "iat": now(), "jti": "mt_1", "scopes": "mch_2"}),
    );
    runtime.block_on(async {
        for token in ["ak_secret", m2m.as_str(), session.as_str()] {
            auth.authenticate_token(token).await.expect("warm-up");
        }
        assert!(matches!(
            auth.authenticate_token("ak_secret").await,
            Ok(Authenticated::ApiKey(_))
        ));
    });

    let mut group = c.benchmark_group("authenticate");
    group.bench_function("api_key_warm_answer_cache", |b| {
        b.iter(|| black_box(ready(auth.authenticate_token("ak_secret")).unwrap()))
    });
    group.bench_function("m2m_jwt_networkless", |b| {
        b.iter(|| black_box(ready(auth.authenticate_token(&m2m)).unwrap()))
    });
    group.bench_function("session_token_repeated", |b| {
        b.iter(|| black_box(ready(auth.authenticate_token(&session)).unwrap()))
    });
    group.bench_function("session_token_full_check", |b| {
        b.iter(|| black_box(ready(uncached.authenticate_token(&session)).unwrap()))
    });
    group.finish();
}

/// Polls once: these paths do no I/O (the answer cache, the verifier's keys), so a pending
/// future would mean the measurement is not what it claims.
fn ready<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut std::task::Context::from_waker(std::task::Waker::noop()))
    {
        std::task::Poll::Ready(output) => output,
        std::task::Poll::Pending => panic!("the measured path waited"),
    }
}

criterion_group!(benches, authentication);
criterion_main!(benches);
