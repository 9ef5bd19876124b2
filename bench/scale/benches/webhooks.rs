//! Webhook delivery on loopback (BENCHMARKS.md, "Webhook delivery"): how many events per
//! second flow from a change to a receiver, what they cost the writes that cause them, and
//! how long one event takes to arrive on an idle server.
//!
//! ```text
//! cargo bench -p clerk-scale-bench --bench webhooks -- [events] [writers]   # 2000 16
//! ```
//!
//! On SQLite, and on PostgreSQL when `CLERK_TEST_POSTGRES_URL` is set. Everything runs in
//! this process (server, writers, receiver) on a 2-thread runtime; compare the ratios
//! measured in the same run rather than the absolute numbers across machines.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use clerk_server::{Config, TestBackend, TestServer, test_backends};
use serde_json::{Value, json};
use tokio::sync::Notify;

/// When each user's `user.created` arrived, by external id.
#[derive(Clone, Default)]
struct Arrivals {
    at: Arc<Mutex<HashMap<String, Instant>>>,
    changed: Arc<Notify>,
}

impl Arrivals {
    fn count(&self) -> usize {
        self.at.lock().unwrap().len()
    }

    fn of(&self, external_id: &str) -> Option<Instant> {
        self.at.lock().unwrap().get(external_id).copied()
    }

    /// Waits until `n` events have arrived (or 120 s), returning when the last did.
    async fn wait_for(&self, n: usize) -> Instant {
        let deadline = Instant::now() + Duration::from_secs(120);
        while self.count() < n {
            assert!(
                Instant::now() < deadline,
                "only {} of {n} events arrived",
                self.count()
            );
            let _ = tokio::time::timeout(Duration::from_millis(50), self.changed.notified()).await;
        }
        self.at
            .lock()
            .unwrap()
            .values()
            .copied()
            .max()
            .unwrap_or_else(Instant::now)
    }
}

async fn receiver(arrivals: Arrivals) -> String {
    let app = Router::new().route(
        "/hook",
        post(move |body: String| {
            let arrivals = arrivals.clone();
            async move {
                let now = Instant::now();
                let event: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                if let Some(id) = event["data"]["external_id"].as_str() {
                    arrivals
                        .at
                        .lock()
                        .unwrap()
                        .entry(id.to_owned())
                        .or_insert(now);
                    arrivals.changed.notify_one();
                }
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn create_user(http: &reqwest::Client, server: &TestServer, external_id: &str) {
    let resp = http
        .post(format!("{}/users", server.api_url()))
        .bearer_auth(server.secret_key())
        .json(&json!({ "external_id": external_id }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.bytes().await.unwrap();
}

/// Creates `n` users from `writers` concurrent writers; the seconds it took.
async fn write_storm(server: &TestServer, prefix: &str, n: usize, writers: usize) -> f64 {
    let started = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let (http, server_url, key, prefix) = (
                http(),
                server.api_url(),
                server.secret_key().to_owned(),
                prefix.to_owned(),
            );
            tokio::spawn(async move {
                for i in (w..n).step_by(writers) {
                    let resp = http
                        .post(format!("{server_url}/users"))
                        .bearer_auth(&key)
                        .json(&json!({ "external_id": format!("{prefix}-{i}") }))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(resp.status(), 200);
                    resp.bytes().await.unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    started.elapsed().as_secs_f64()
}

async fn register(server: &TestServer, url: &str) {
    let resp = http()
        .post(format!("{}/_local/webhooks/endpoints", server.base_url()))
        .bearer_auth(server.secret_key())
        .json(&json!({ "url": url, "filter_types": ["user.created"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn measure(backend: &TestBackend, events: usize, writers: usize) {
    // Writes without an endpoint, then with one, on fresh servers: what delivery costs.
    let plain = TestServer::start_on(backend, Config::default()).await;
    let plain_seconds = write_storm(&plain, "plain", events, writers).await;
    plain.shutdown().await;

    let server = TestServer::start_on(backend, Config::default()).await;
    let arrivals = Arrivals::default();
    register(&server, &receiver(arrivals.clone()).await).await;
    let started = Instant::now();
    let write_seconds = write_storm(&server, "storm", events, writers).await;
    let last = arrivals.wait_for(events).await;
    let delivered_seconds = last.duration_since(started).as_secs_f64();

    // One change at a time on the now idle server: from sending the request to receipt,
    // against the request alone.
    let client = http();
    let (mut delays, mut requests) = (Vec::new(), Vec::new());
    for i in 0..300 {
        let id = format!("one-{i}");
        let sent = Instant::now();
        create_user(&client, &server, &id).await;
        requests.push(sent.elapsed().as_secs_f64() * 1000.0);
        arrivals.wait_for(events + i + 1).await;
        delays.push(arrivals.of(&id).unwrap().duration_since(sent).as_secs_f64() * 1000.0);
    }
    delays.sort_by(f64::total_cmp);
    requests.sort_by(f64::total_cmp);
    server.shutdown().await;

    let label = match backend {
        TestBackend::Sqlite => "SQLite",
        _ => "PostgreSQL",
    };
    println!(
        "| {label} | {:.0}/s | {:.0}/s | {:.2} | {:.0}/s | {:.2} | {:.1} ms | {:.1} ms | {:.1} ms |",
        events as f64 / plain_seconds,
        events as f64 / write_seconds,
        plain_seconds / write_seconds,
        events as f64 / delivered_seconds,
        write_seconds / delivered_seconds,
        percentile(&requests, 0.5),
        percentile(&delays, 0.5),
        percentile(&delays, 0.99),
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let events = args.first().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let writers = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(16);
    println!("{events} user creations by {writers} writers; then 300 one at a time\n");
    println!(
        "| backend | writes/s, no endpoint | writes/s, one endpoint | ratio | events delivered/s | delivered over written | request p50 | event delay p50 | event delay p99 |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for backend in test_backends() {
        measure(&backend, events, writers).await;
    }
}
