//! Webhook verification on a typical Clerk delivery (the spec's `user.created` example):
//! the bare HMAC-SHA256 of the signed content, the whole signature check, and the check plus
//! reading the typed `Event`.
//!
//! `cargo bench -p clerk-sdk --bench webhooks`. The comparison with the svix crate lives
//! outside the workspace, in `bench/webhooks-svix/`; figures in BENCHMARKS.md.

use std::hint::black_box;
use std::time::{SystemTime, UNIX_EPOCH};

use clerk_sdk::webhooks::{WebhookSecret, WebhookVerifier};
use criterion::{Criterion, criterion_group, criterion_main};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID: &str = "msg_2x3YnFq7bP9kLmN4oR8sT1uVwXz";

fn user_created() -> Vec<u8> {
    let spec = openapi_kit::load_spec("webhooks-2025-04-15.json");
    let example = spec
        .document()
        .pointer("/x-webhooks/user.created/post/requestBody/content/application~1json/example")
        .expect("the user.created example");
    serde_json::to_vec(example).expect("JSON")
}

fn webhooks(c: &mut Criterion) {
    let body = user_created();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let secret = WebhookSecret::new(SECRET).unwrap();
    let mut headers = http::HeaderMap::new();
    headers.insert("svix-id", ID.parse().unwrap());
    headers.insert("svix-timestamp", now.to_string().parse().unwrap());
    headers.insert(
        "svix-signature",
        secret.sign(ID, now, &body).parse().unwrap(),
    );
    let verifier = WebhookVerifier::new(SECRET).unwrap();
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &[0; 24]);
    let content = [ID.as_bytes(), b".", now.to_string().as_bytes(), b".", &body].concat();

    let mut group = c.benchmark_group(format!("webhook_{}_byte_user_created", body.len()));
    group.bench_function("bare_hmac_sha256", |b| {
        b.iter(|| aws_lc_rs::hmac::sign(&key, black_box(&content)))
    });
    group.bench_function("verify", |b| {
        b.iter(|| {
            verifier
                .verify(black_box(&headers), black_box(&body))
                .unwrap()
        })
    });
    group.bench_function("verify_event", |b| {
        b.iter(|| {
            verifier
                .verify_event(black_box(&headers), black_box(&body))
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, webhooks);
criterion_main!(benches);
