//! PostgreSQL going away: a connection the database terminated costs a read nothing (it is
//! retried once on a fresh connection), an outage is answered 503 with `Retry-After` within
//! seconds instead of hanging, and the server recovers on its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clerk_server::{Config, TestBackend, TestDatabase, TestServer, test_backends};
use serde_json::json;
use sqlx::Connection;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use crate::common::http_client;

/// The PostgreSQL URL of the test run, if there is one.
fn postgres() -> Option<String> {
    test_backends()
        .into_iter()
        .find_map(|backend| match backend {
            TestBackend::Postgres(url) => Some(url),
            TestBackend::Sqlite => None,
        })
}

/// `url` with an `application_name`, so the test can find its server's connections.
fn named(url: &str, name: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}application_name={name}")
}

async fn get_user(server: &TestServer, id: &str) -> reqwest::Response {
    http_client()
        .get(format!("{}/v1/users/{id}", server.base_url()))
        .bearer_auth(server.secret_key())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn reads_survive_connections_the_database_terminated() {
    let Some(base) = postgres() else { return };
    let database = TestDatabase::create(&TestBackend::Postgres(base.clone()))
        .await
        .unwrap();
    let name = format!("clerk_blip_{}", std::process::id());
    let server = TestServer::start_with(Config::new(named(database.url(), &name))).await;
    let user = server.create_user("blip@example.com").await;
    // Warm the pool, then cut every connection it holds.
    for _ in 0..5 {
        assert_eq!(get_user(&server, &user.id).await.status(), 200);
    }
    let mut admin = sqlx::AnyConnection::connect(&base).await.unwrap();
    for round in 0..3 {
        let terminated: i64 = sqlx::query_scalar(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1",
        )
        .bind(&name)
        .fetch_one(&mut admin)
        .await
        .unwrap();
        assert!(
            terminated > 0 || round > 0,
            "no connection of the server was found"
        );
        let resp = get_user(&server, &user.id).await;
        assert_eq!(resp.status(), 200, "read {round} after the terminations");
    }
    admin.close().await.unwrap();
    server.shutdown().await;
    database.remove().await;
}

/// A TCP forwarder to PostgreSQL that can be switched off: connections are cut, and new
/// ones are closed at once, as when the database is down.
struct Switch {
    addr: std::net::SocketAddr,
    up: Arc<AtomicBool>,
    cut: Arc<tokio::sync::Notify>,
}

impl Switch {
    async fn start(upstream: std::net::SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let up = Arc::new(AtomicBool::new(true));
        let cut = Arc::new(tokio::sync::Notify::new());
        let (flag, signal) = (Arc::clone(&up), Arc::clone(&cut));
        tokio::spawn(async move {
            let mut links = JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((mut client, _)) = accepted else { continue };
                        if !flag.load(Ordering::SeqCst) {
                            continue; // dropped: the database is "down"
                        }
                        links.spawn(async move {
                            if let Ok(mut server) = TcpStream::connect(upstream).await {
                                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                            }
                        });
                    }
                    () = signal.notified() => links.abort_all(),
                    Some(_) = links.join_next(), if !links.is_empty() => {}
                }
            }
        });
        Self { addr, up, cut }
    }

    fn down(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.cut.notify_one();
    }

    fn up(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn an_outage_is_a_quick_503_and_the_server_recovers() {
    let Some(base) = postgres() else { return };
    let database = TestDatabase::create(&TestBackend::Postgres(base.clone()))
        .await
        .unwrap();
    let direct = url::Url::parse(database.url()).unwrap();
    let upstream = tokio::net::lookup_host((
        direct.host_str().unwrap().to_owned(),
        direct.port().unwrap_or(5432),
    ))
    .await
    .unwrap()
    .next()
    .unwrap();
    let switch = Switch::start(upstream).await;
    let mut through = direct.clone();
    through.set_host(Some("127.0.0.1")).unwrap();
    through.set_port(Some(switch.addr.port())).unwrap();
    let server = TestServer::start_with(Config::new(through.as_str())).await;
    let user = server.create_user("outage@example.com").await;
    assert_eq!(get_user(&server, &user.id).await.status(), 200);

    switch.down();
    for _ in 0..2 {
        let started = Instant::now();
        let resp = get_user(&server, &user.id).await;
        let took = started.elapsed();
        assert_eq!(resp.status(), 503);
        assert!(resp.headers().contains_key("retry-after"));
        let body: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(body["errors"][0]["code"], "service_unavailable");
        assert!(took < Duration::from_secs(10), "the 503 took {took:?}");
    }
    let write = http_client()
        .post(format!("{}/v1/users", server.base_url()))
        .bearer_auth(server.secret_key())
        .json(&json!({"email_address": ["during@example.com"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(write.status(), 503);

    switch.up();
    let recovered = Instant::now();
    loop {
        let status = get_user(&server, &user.id).await.status();
        if status == 200 {
            break;
        }
        assert!(
            recovered.elapsed() < Duration::from_secs(30),
            "still {status} after the outage"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    server.shutdown().await;
    database.remove().await;
}
