//! clerk-sdk's webhook verification against the `svix` crate's, on the same deliveries.
//!
//! `webhooks-svix-bench time [rounds]` times both, interleaved (each round runs a batch of
//! one then a batch of the other, alternating which goes first), and prints per-verification
//! medians and the median of the per-round ratios, which the machine's noise moves far less
//! than the times.
//!
//! `webhooks-svix-bench callgrind <clerk|svix> <small|clerk|64k> [iterations]` runs one case
//! for `valgrind --tool=callgrind --toggle-collect='*run_case*'` (see run.sh): instruction
//! counts, repeatable where times are not.

use std::hint::black_box;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use clerk_sdk::webhooks::{WebhookSecret, WebhookVerifier};
use http::HeaderMap;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID: &str = "msg_2x3YnFq7bP9kLmN4oR8sT1uVwXz";

/// One delivery: a body and the headers Svix would send with it, signed now.
struct Delivery {
    name: &'static str,
    body: Vec<u8>,
    headers: HeaderMap,
}

struct Verifiers {
    clerk: WebhookVerifier,
    svix: svix::webhooks::Webhook,
}

impl Verifiers {
    fn new() -> Self {
        Verifiers {
            clerk: WebhookVerifier::new(SECRET).expect("secret"),
            svix: svix::webhooks::Webhook::new(SECRET).expect("secret"),
        }
    }

    fn clerk(&self, delivery: &Delivery) {
        self.clerk
            .verify(&delivery.headers, &delivery.body)
            .expect("clerk-sdk refused a good delivery");
    }

    fn svix(&self, delivery: &Delivery) {
        self.svix
            .verify(&delivery.body, &delivery.headers)
            .expect("svix refused a good delivery");
    }
}

/// The spec's `user.created` example, as compact JSON: a typical Clerk delivery.
fn clerk_user_created() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../spec/webhooks-2025-04-15.json"
    );
    let spec: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).expect("the webhooks spec")).expect("JSON");
    let example = spec
        .pointer("/x-webhooks/user.created/post/requestBody/content/application~1json/example")
        .expect("the user.created example");
    serde_json::to_vec(example).expect("JSON")
}

fn delivery(name: &'static str, body: Vec<u8>) -> Delivery {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let signature = WebhookSecret::new(SECRET).unwrap().sign(ID, now, &body);
    // Both libraries must sign alike, or the comparison means nothing.
    let svix_signature = svix::webhooks::Webhook::new(SECRET)
        .unwrap()
        .sign(ID, now, &body)
        .unwrap();
    assert_eq!(signature, svix_signature);
    let mut headers = HeaderMap::new();
    headers.insert("svix-id", ID.parse().unwrap());
    headers.insert("svix-timestamp", now.to_string().parse().unwrap());
    headers.insert("svix-signature", signature.parse().unwrap());
    Delivery {
        name,
        body,
        headers,
    }
}

fn deliveries() -> Vec<Delivery> {
    let small = br#"{"data":{"object":"user","id":"user_1","deleted":true},"object":"event","type":"user.deleted","timestamp":1767225600123,"instance_id":"ins_1"}"#;
    let mut large = b"{\"data\":{\"blob\":\"".to_vec();
    large.resize(64 * 1024 - 3, b'x');
    large.extend_from_slice(b"\"}}");
    vec![
        delivery("small", small.to_vec()),
        delivery("clerk", clerk_user_created()),
        delivery("64k", large),
    ]
}

#[inline(never)]
fn run_case(verifiers: &Verifiers, which: &str, delivery: &Delivery, iterations: u64) {
    for _ in 0..iterations {
        match which {
            "clerk" => verifiers.clerk(black_box(delivery)),
            "svix" => verifiers.svix(black_box(delivery)),
            other => panic!("unknown verifier {other}: use clerk or svix"),
        }
    }
}

/// Nanoseconds per verification over one batch.
fn batch(verifiers: &Verifiers, which: &str, delivery: &Delivery, iterations: u64) -> f64 {
    let start = Instant::now();
    run_case(verifiers, which, delivery, iterations);
    start.elapsed().as_nanos() as f64 / iterations as f64
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn time(rounds: usize) {
    let verifiers = Verifiers::new();
    println!("| body | bytes | clerk-sdk | svix | svix / clerk-sdk |");
    println!("|---|---:|---:|---:|---:|");
    for delivery in deliveries() {
        // About 20 ms per batch, whatever the body size.
        let warm = batch(&verifiers, "svix", &delivery, 200);
        let iterations = ((20e6 / warm) as u64).max(10);
        let (mut clerk, mut svix, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..rounds {
            let (c, s) = if round % 2 == 0 {
                let c = batch(&verifiers, "clerk", &delivery, iterations);
                (c, batch(&verifiers, "svix", &delivery, iterations))
            } else {
                let s = batch(&verifiers, "svix", &delivery, iterations);
                (batch(&verifiers, "clerk", &delivery, iterations), s)
            };
            clerk.push(c);
            svix.push(s);
            ratios.push(s / c);
        }
        println!(
            "| {} | {} | {:.2} µs | {:.2} µs | {:.2}x |",
            delivery.name,
            delivery.body.len(),
            median(&mut clerk) / 1e3,
            median(&mut svix) / 1e3,
            median(&mut ratios)
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["time", rest @ ..] => time(rest.first().map_or(31, |n| n.parse().expect("rounds"))),
        ["callgrind", which, body, rest @ ..] => {
            let iterations = rest
                .first()
                .map_or(1000, |n| n.parse().expect("iterations"));
            let delivery = deliveries()
                .into_iter()
                .find(|d| d.name == *body)
                .expect("body: small, clerk or 64k");
            run_case(&Verifiers::new(), which, &delivery, iterations);
        }
        _ => eprintln!(
            "usage: webhooks-svix-bench time [rounds]\n       webhooks-svix-bench callgrind <clerk|svix> <small|clerk|64k> [iterations]"
        ),
    }
}
