//! Session-token verification, compared with the bare RS256 check it is built on.
//!
//! `cargo bench -p clerk-sdk --bench verify`; figures and method in BENCHMARKS.md.

mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

fn verification(c: &mut Criterion) {
    let fixture = common::Fixture::new();
    let mut group = c.benchmark_group(format!("verify_{}_byte_token", fixture.token.len()));
    group.bench_function("bare_rs256_check", |b| {
        b.iter(|| black_box(&fixture).bare())
    });
    group.bench_function("verifier_jwks_warm", |b| {
        b.iter(|| black_box(&fixture).warm_jwks())
    });
    group.bench_function("verifier_pem", |b| b.iter(|| black_box(&fixture).pem()));
    group.bench_function("verifier_repeated_token", |b| {
        b.iter(|| black_box(&fixture).repeated())
    });
    let mut next = 0;
    group.bench_function("verifier_first_seen_token", |b| {
        b.iter(|| {
            next += 1;
            black_box(&fixture).first_seen(next)
        })
    });
    group.finish();
}

criterion_group!(benches, verification);
criterion_main!(benches);
