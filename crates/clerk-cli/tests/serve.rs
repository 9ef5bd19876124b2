//! `clerk serve` as a process: its banner, graceful shutdown, and durability of
//! acknowledged writes across `kill -9`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

/// A running `clerk serve` and what its banner said.
struct Serve {
    child: Child,
    api_url: String,
    jwks_url: String,
    dashboard_url: String,
    generated_key: Option<String>,
    publishable_key: String,
}

fn serve(database_url: &str, secret_key: Option<&str>) -> Serve {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clerk"));
    command
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            database_url,
        ])
        .env_remove("CLERK_SECRET_KEY")
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(key) = secret_key {
        command.args(["--secret-key", key]);
    }
    let mut child = command.spawn().expect("clerk serve starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let (mut api_url, mut jwks_url, mut generated_key, mut publishable_key) =
        (None, None, None, None);
    let mut dashboard_url = None;
    for line in lines.by_ref() {
        let line = line.expect("banner line");
        let line = line.trim();
        if let Some(url) = line.strip_prefix("API URL:") {
            api_url = Some(url.trim().to_owned());
        } else if let Some(url) = line.strip_prefix("JWKS URL:") {
            jwks_url = Some(url.trim().to_owned());
        } else if let Some(rest) = line.strip_prefix("Dashboard:") {
            dashboard_url = rest.split_whitespace().next().map(str::to_owned);
        } else if let Some(key) = line.strip_prefix("publishable key:") {
            publishable_key = Some(key.trim().to_owned());
        } else if let Some(key) = line.strip_prefix("Secret key:") {
            generated_key = Some(key.trim().to_owned());
        } else if line.starts_with("Press Ctrl-C") {
            break;
        }
    }
    // Keep draining stdout in the background so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Serve {
        child,
        api_url: api_url.expect("banner has the API URL"),
        jwks_url: jwks_url.expect("banner has the JWKS URL"),
        dashboard_url: dashboard_url.expect("banner has the dashboard URL"),
        generated_key,
        publishable_key: publishable_key.expect("banner has the publishable key"),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

#[test]
fn banner_prints_urls_and_a_generated_key_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("banner.db").display());
    let mut first = serve(&db, None);
    assert!(first.api_url.starts_with("http://127.0.0.1:") && first.api_url.ends_with("/v1"));
    assert!(first.jwks_url.ends_with("/.well-known/jwks.json"));
    assert_eq!(
        first.dashboard_url,
        format!("{}/", first.api_url.trim_end_matches("/v1"))
    );
    let key = first
        .generated_key
        .clone()
        .expect("a new database prints its key");
    assert!(key.starts_with("sk_test_"));
    // The publishable key names the bound address, as clerk-js reads it.
    let encoded = first.publishable_key.strip_prefix("pk_test_").unwrap();
    let host = first
        .api_url
        .trim_start_matches("http://")
        .trim_end_matches("/v1");
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(encoded)
        .unwrap();
    assert_eq!(String::from_utf8(decoded).unwrap(), format!("{host}$"));
    runtime().block_on(async {
        let users = client()
            .get(format!("{}/users", first.api_url))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap();
        assert_eq!(users.status(), 200);
        let jwks: Value = client()
            .get(&first.jwks_url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(jwks["keys"][0]["kty"], "RSA");
        // The printed dashboard URL answers with the sign-in page.
        let page = client().get(&first.dashboard_url).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains(">Secret key</label>"));
    });
    terminate(&mut first);
}

/// SIGTERM, and check the process exits cleanly.
fn terminate(serve: &mut Serve) {
    let status = Command::new("kill")
        .args(["-TERM", &serve.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = serve.child.wait().expect("clerk serve exits");
    assert!(exit.success(), "graceful shutdown exits 0, got {exit:?}");
}

#[test]
fn acknowledged_writes_survive_kill_9() {
    // SQLite, and PostgreSQL when CLERK_TEST_POSTGRES_URL is set (required in CI).
    for backend in clerk_server::test_backends() {
        let rt = runtime();
        let database = rt
            .block_on(clerk_server::TestDatabase::create(&backend))
            .expect("a fresh database");
        eprintln!("kill -9 during a write storm on {backend:?}");
        write_storm_then_kill_9(database.url(), &rt);
        rt.block_on(database.remove());
    }
}

/// Writers create users and merge metadata on `clerk serve` until it is killed with
/// SIGKILL; after a restart on the same database every acknowledged write is there.
fn write_storm_then_kill_9(db: &str, rt: &tokio::runtime::Runtime) {
    let key = "sk_test_durability_check_key";
    let mut server = serve(db, Some(key));
    let api = server.api_url.clone();

    // Writers create users and merge metadata as fast as they can; each remembers only what
    // the server acknowledged. The server is killed while writes are in flight.
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = rt.block_on(async {
        let http = client();
        let anchor: Value = http
            .post(format!("{api}/users"))
            .bearer_auth(key)
            .json(&json!({"external_id": "anchor"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let anchor_id = anchor["id"].as_str().unwrap().to_owned();
        let mut writers = Vec::new();
        for w in 0..8 {
            let (http, api, stop, anchor_id) =
                (http.clone(), api.clone(), stop.clone(), anchor_id.clone());
            writers.push(tokio::spawn(async move {
                let mut users = Vec::new();
                let mut merged = Vec::new();
                let mut i = 0;
                while !stop.load(Ordering::SeqCst) {
                    i += 1;
                    let created = http
                        .post(format!("{api}/users"))
                        .bearer_auth(key)
                        .json(&json!({"email_address": [format!("w{w}-{i}@example.com")]}))
                        .send()
                        .await;
                    match created {
                        Ok(resp) if resp.status() == 200 => match resp.json::<Value>().await {
                            Ok(user) => users.push(user["id"].as_str().unwrap().to_owned()),
                            Err(_) => break,
                        },
                        _ => break,
                    }
                    let name = format!("w{w}_{i}");
                    let merge = http
                        .patch(format!("{api}/users/{anchor_id}/metadata"))
                        .bearer_auth(key)
                        .json(&json!({"public_metadata": {name.clone(): i}}))
                        .send()
                        .await;
                    match merge {
                        Ok(resp) if resp.status() == 200 => {
                            if resp.bytes().await.is_ok() {
                                merged.push(name)
                            } else {
                                break;
                            }
                        }
                        _ => break,
                    }
                }
                (users, merged)
            }));
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        // SIGKILL while the writers are still going.
        server.child.kill().expect("kill -9");
        server.child.wait().unwrap();
        stop.store(true, Ordering::SeqCst);
        let mut users = Vec::new();
        let mut merged = Vec::new();
        for writer in writers {
            let (u, m) = writer.await.unwrap();
            users.extend(u);
            merged.extend(m);
        }
        (anchor_id, users, merged)
    });
    let (anchor_id, users, merged) = acknowledged;
    assert!(
        users.len() > 10,
        "the writers got going ({} users)",
        users.len()
    );
    eprintln!(
        "{} user creations and {} metadata merges acknowledged before kill -9",
        users.len(),
        merged.len()
    );

    // Restart on the same database: every acknowledged write is there.
    let mut again = serve(db, Some(key));
    assert!(again.generated_key.is_none());
    let api = again.api_url.clone();
    rt.block_on(async {
        let http = client();
        for id in &users {
            let resp = http
                .get(format!("{api}/users/{id}"))
                .bearer_auth(key)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200, "acknowledged user {id} was lost");
        }
        let anchor: Value = http
            .get(format!("{api}/users/{anchor_id}"))
            .bearer_auth(key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for name in &merged {
            assert!(
                anchor["public_metadata"].get(name).is_some(),
                "acknowledged metadata key {name} was lost"
            );
        }
    });
    terminate(&mut again);
}

#[test]
fn committed_webhook_events_survive_kill_9() {
    // SQLite, and PostgreSQL when CLERK_TEST_POSTGRES_URL is set (required in CI).
    for backend in clerk_server::test_backends() {
        let rt = runtime();
        let database = rt
            .block_on(clerk_server::TestDatabase::create(&backend))
            .expect("a fresh database");
        eprintln!("kill -9 with webhook deliveries pending on {backend:?}");
        events_then_kill_9(database.url(), &rt);
        rt.block_on(database.remove());
    }
}

/// The ids of the users whose `user.created` a receiver got, and how many requests it got.
#[derive(Clone, Default)]
struct Received(Arc<std::sync::Mutex<(std::collections::HashSet<String>, usize)>>);

impl Received {
    fn users(&self) -> std::collections::HashSet<String> {
        self.0.lock().unwrap().0.clone()
    }
}

/// A receiver answering 200 to every delivery, recording the user ids of `user.created`.
async fn start_receiver(received: Received) -> String {
    use axum::routing::post;
    let app = axum::Router::new().route(
        "/hook",
        post(move |body: String| {
            let received = received.clone();
            async move {
                let event: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                let mut seen = received.0.lock().unwrap();
                seen.1 += 1;
                if event["type"] == "user.created" {
                    if let Some(id) = event["data"]["id"].as_str() {
                        seen.0.insert(id.to_owned());
                    }
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

/// Writers create users on `clerk serve` with a webhook endpoint registered, until it is
/// killed with SIGKILL (deliveries pending or in flight); after a restart every
/// acknowledged user's `user.created` reaches the receiver, and every user a delivery
/// names exists (no event of a change that did not commit).
fn events_then_kill_9(db: &str, rt: &tokio::runtime::Runtime) {
    let key = "sk_test_webhook_durability_key";
    let received = Received::default();
    let hook = rt.block_on(start_receiver(received.clone()));
    let mut server = serve(db, Some(key));
    let api = server.api_url.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let users = rt.block_on(async {
        let http = client();
        let endpoint = http
            .post(format!("{api}/_local/webhooks/endpoints"))
            .bearer_auth(key)
            .json(&json!({ "url": hook, "filter_types": ["user.created"] }))
            .send()
            .await
            .unwrap();
        assert_eq!(endpoint.status(), 200);
        let mut writers = Vec::new();
        for w in 0..4 {
            let (http, api, stop) = (http.clone(), api.clone(), stop.clone());
            writers.push(tokio::spawn(async move {
                let mut users = Vec::new();
                let mut i = 0;
                while !stop.load(Ordering::SeqCst) {
                    i += 1;
                    let created = http
                        .post(format!("{api}/users"))
                        .bearer_auth(key)
                        .json(&json!({ "external_id": format!("w{w}-{i}") }))
                        .send()
                        .await;
                    match created {
                        Ok(resp) if resp.status() == 200 => match resp.json::<Value>().await {
                            Ok(user) => users.push(user["id"].as_str().unwrap().to_owned()),
                            Err(_) => break,
                        },
                        _ => break,
                    }
                }
                users
            }));
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        server.child.kill().expect("kill -9");
        server.child.wait().unwrap();
        stop.store(true, Ordering::SeqCst);
        let mut users = Vec::new();
        for writer in writers {
            users.extend(writer.await.unwrap());
        }
        users
    });
    assert!(
        users.len() > 10,
        "the writers got going ({} users)",
        users.len()
    );
    eprintln!(
        "{} users acknowledged, {} of their user.created received before kill -9",
        users.len(),
        received.users().len()
    );

    // Restart: the worker sends what was pending, and what the dead process was sending once
    // its lease (the attempt timeout + 5 s) has run out.
    let mut again = serve(db, Some(key));
    let api = again.api_url.clone();
    rt.block_on(async {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let got = received.users();
            let missing = users.iter().filter(|u| !got.contains(*u)).count();
            if missing == 0 {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{missing} acknowledged users' user.created never arrived"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let http = client();
        for id in received.users() {
            let resp = http
                .get(format!("{api}/users/{id}"))
                .bearer_auth(key)
                .send()
                .await
                .unwrap();
            assert_eq!(
                resp.status(),
                200,
                "an event named user {id}, which does not exist"
            );
        }
    });
    terminate(&mut again);
}
