//! Runs one verification path many times, for `valgrind --tool=callgrind` instruction
//! counts (repeatable where wall-clock timings are not). Driven by
//! `bench/verify-callgrind.sh`; see BENCHMARKS.md.
//!
//! Usage: `verify_callgrind <bare|jwks|pem|repeated|first_seen> [iterations]`. Only `run_case` is measured
//! (`--toggle-collect`), so setup (key parsing, the JWKS fetch) is excluded.

mod common;

use std::hint::black_box;

#[inline(never)]
fn run_case(fixture: &common::Fixture, case: &str, iterations: u64) {
    for i in 0..iterations {
        match case {
            "bare" => black_box(fixture).bare(),
            "jwks" => drop(black_box(fixture.warm_jwks())),
            "pem" => drop(black_box(fixture.pem())),
            "repeated" => drop(black_box(fixture.repeated())),
            "first_seen" => drop(black_box(fixture.first_seen(i as usize))),
            other => panic!("unknown case {other}: use bare, jwks, pem, repeated or first_seen"),
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` runs every bench target with `--bench`: nothing to do here.
    let Some(case) = args.first().filter(|a| !a.starts_with('-')) else {
        eprintln!(
            "usage: verify_callgrind <bare|jwks|pem|repeated|first_seen> [iterations] (see bench/verify-callgrind.sh)"
        );
        return;
    };
    let iterations = args.get(1).map_or(1000, |n| n.parse().expect("iterations"));
    let fixture = common::Fixture::new();
    run_case(&fixture, case, iterations);
}
