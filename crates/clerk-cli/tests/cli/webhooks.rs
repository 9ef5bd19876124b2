//! `clerk webhooks` (endpoints, messages, attempts, resend, trigger, listen) and
//! `clerk serve --webhook`, against real servers and a receiver run by the test.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use clerk_sdk::webhooks::WebhookVerifier;
use clerk_server::Config;
use serde_json::{Value, json};

use crate::common::{CLERK, Env, raw_get};

/// One request the receiver got.
#[derive(Clone, Debug)]
struct Received {
    headers: HeaderMap,
    body: Bytes,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    fn verifies_with(&self, secret: &str) -> bool {
        WebhookVerifier::new(secret)
            .expect("a whsec_ secret")
            .verify_event(&self.headers, &self.body)
            .is_ok()
    }
}

/// An app's webhook route: records requests, answers the queued statuses, then 200.
#[derive(Clone)]
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
    answers: Arc<Mutex<VecDeque<u16>>>,
}

impl Receiver {
    fn start(env: &Env) -> Self {
        env.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let receiver = Receiver {
                url: format!("http://{}/api/webhooks", listener.local_addr().unwrap()),
                got: Arc::default(),
                answers: Arc::default(),
            };
            let state = receiver.clone();
            let app = axum::Router::new().fallback(move |headers: HeaderMap, body: Bytes| {
                let state = state.clone();
                async move {
                    state.got.lock().unwrap().push(Received { headers, body });
                    let status = state.answers.lock().unwrap().pop_front().unwrap_or(200);
                    StatusCode::from_u16(status).unwrap()
                }
            });
            tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
            receiver
        })
    }

    /// Answers these statuses to the next requests.
    fn answer(&self, statuses: &[u16]) {
        self.answers.lock().unwrap().extend(statuses);
    }

    /// Waits until `n` requests arrived; all of them.
    #[track_caller]
    fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let got = self.got.lock().unwrap().clone();
            if got.len() >= n {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "expected {n} request(s), got {got:#?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Polls `check` until it returns `Some`, for up to 15 s.
#[track_caller]
fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn endpoints_add_list_rm() {
    let env = Env::start();
    let created = env.json(&[
        "webhooks",
        "endpoints",
        "add",
        "http://127.0.0.1:9/hooks",
        "--events",
        "user.created,user.deleted",
        "--description",
        "user sync",
    ]);
    assert_eq!(created["object"], "webhook_endpoint");
    assert_eq!(
        created["filter_types"],
        json!(["user.created", "user.deleted"])
    );
    assert_eq!(created["description"], "user sync");
    assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
    let id = created["id"].as_str().unwrap().to_owned();

    // Table mode prints the secret too: it is what the app needs.
    let second = env
        .clerk(&["webhooks", "endpoints", "add", "http://127.0.0.1:9/other"])
        .ok()
        .stdout_has("Signing secret:")
        .stdout_has("whsec_")
        .stdout_has("all");
    assert!(
        second.stdout.contains("http://127.0.0.1:9/other"),
        "{second:#?}"
    );

    let table = env.clerk(&["webhooks", "endpoints", "list"]).ok();
    assert!(table.stdout.starts_with("ID"), "{table:#?}");
    assert!(
        table.stdout.contains(&id) && table.stdout.contains("user.created,user.deleted"),
        "{table:#?}"
    );
    let json = env.clerk(&["--json", "webhooks", "endpoints", "list"]).ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(&env, "/v1/_local/webhooks/endpoints")
    );
    assert_eq!(json.json()["total_count"], 2);

    env.clerk(&["webhooks", "endpoints", "rm", &id])
        .ok()
        .stdout_has(&format!("removed webhook endpoint {id}"));
    let left = env.json(&["webhooks", "endpoints", "list"]);
    assert_eq!(left["total_count"], 1);
    assert!(!left.to_string().contains(&id));
    env.clerk(&["webhooks", "endpoints", "rm", &id]).code(1);
    env.clerk(&["webhooks", "endpoints", "add", "not a url"])
        .code(1);
}

#[test]
fn messages_attempts_and_resend() {
    let env = Env::start();
    let receiver = Receiver::start(&env);
    let endpoint = env.json(&["webhooks", "endpoints", "add", &receiver.url]);
    let (endpoint_id, secret) = (
        endpoint["id"].as_str().unwrap().to_owned(),
        endpoint["secret"].as_str().unwrap().to_owned(),
    );
    let user = env.user("ada@example.com");
    let first = receiver.wait_for(1).remove(0);
    assert!(first.verifies_with(&secret));
    assert_eq!(first.json()["type"], "user.created");
    let message_id = first.header("svix-id").to_owned();

    let json = env
        .clerk(&[
            "--json",
            "webhooks",
            "messages",
            "--event",
            "user.created",
            "--limit",
            "5",
        ])
        .ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(
            &env,
            "/v1/_local/webhooks/messages?event_type=user.created&limit=5"
        )
    );
    assert_eq!(json.json()["data"][0]["id"], message_id.as_str());
    // Wait for the attempt to be recorded as succeeded, then read the table.
    let table = eventually("the delivery to succeed", || {
        let run = env.clerk(&["webhooks", "messages"]).ok();
        run.stdout
            .contains(&format!("{endpoint_id} succeeded (1)"))
            .then_some(run)
    });
    assert!(
        table.stdout.contains(&message_id)
            && table.stdout.contains("user.created")
            && table.stdout.contains(&user),
        "{table:#?}"
    );
    env.clerk(&["webhooks", "messages", "--event", "session.created"])
        .ok()
        .stdout_has("no webhook messages");

    let attempts = env.clerk(&["webhooks", "attempts", &message_id]).ok();
    assert!(
        attempts.stdout.starts_with("ID")
            && attempts.stdout.contains("succeeded")
            && attempts.stdout.contains("200")
            && attempts.stdout.contains("scheduled"),
        "{attempts:#?}"
    );

    // A resend is one more, manual, attempt with the same svix-id.
    receiver.answer(&[503]);
    env.clerk(&["webhooks", "resend", &message_id])
        .ok()
        .stdout_has(&format!("resent {message_id}"));
    let again = receiver.wait_for(2).remove(1);
    assert_eq!(again.header("svix-id"), message_id);
    assert!(again.verifies_with(&secret));
    let attempts = eventually("the manual attempt", || {
        let page = env.json(&[
            "webhooks",
            "attempts",
            &message_id,
            "--endpoint",
            &endpoint_id,
        ]);
        // The rows, not total_count: the server counts in a separate read.
        (page["data"].as_array().map_or(0, Vec::len) == 2).then_some(page)
    });
    assert_eq!(attempts["data"][0]["trigger_type"], "manual");
    assert_eq!(attempts["data"][0]["response_status_code"], 503);
    assert_eq!(attempts["data"][0]["status"], "failed");
    let resent = env.json(&[
        "webhooks",
        "resend",
        &message_id,
        "--endpoint",
        &endpoint_id,
    ]);
    assert_eq!(resent["id"], message_id.as_str());
    receiver.wait_for(3);

    env.clerk(&["webhooks", "attempts", "msg_missing"]).code(1);
    env.clerk(&["webhooks", "resend", "msg_missing"]).code(1);
}

#[test]
fn trigger_user_created_produces_a_message() {
    let env = Env::start();
    let receiver = Receiver::start(&env);
    let endpoint = env.json(&["webhooks", "endpoints", "add", &receiver.url]);
    let secret = endpoint["secret"].as_str().unwrap();

    let run = env
        .clerk(&["--json", "webhooks", "trigger", "user.created"])
        .ok()
        .stderr_has("created user user_");
    let message = run.json();
    assert_eq!(message["object"], "webhook_message");
    assert_eq!(message["event_type"], "user.created");
    let user_id = message["payload"]["data"]["id"].as_str().unwrap();
    assert!(run.stderr.contains(user_id), "{run:#?}");
    let got = receiver.wait_for(1).remove(0);
    assert!(got.verifies_with(secret));
    assert_eq!(got.json()["data"]["id"], user_id);
    assert_eq!(env.user_count(), 1);

    env.clerk(&["webhooks", "trigger", "user.created"])
        .ok()
        .stdout_has("user.created → message msg_");

    let refused = env
        .clerk(&["webhooks", "trigger", "billing.paid"])
        .code(2)
        .stderr_has("cannot trigger \"billing.paid\"");
    for listed in [
        "user.created",
        "session.created",
        "organization.deleted",
        "sms.created",
    ] {
        assert!(refused.stderr.contains(listed), "{refused:#?}");
    }
}

/// A `clerk` child process with its stdout and stderr read line by line.
struct Running {
    child: Child,
    stdout: mpsc::Receiver<String>,
    stderr: mpsc::Receiver<String>,
}

impl Running {
    fn spawn(mut command: Command) -> Self {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("clerk starts");
        let lines = |pipe: Box<dyn std::io::Read + Send>| {
            let (sender, receiver) = mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines() {
                    let Ok(line) = line else { break };
                    if sender.send(line).is_err() {
                        break;
                    }
                }
            });
            receiver
        };
        let stdout = lines(Box::new(child.stdout.take().unwrap()));
        let stderr = lines(Box::new(child.stderr.take().unwrap()));
        Self {
            child,
            stdout,
            stderr,
        }
    }

    /// The first line of `pipe` that contains `text` (30 s at most).
    #[track_caller]
    fn line(pipe: &mpsc::Receiver<String>, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match pipe.recv_timeout(left) {
                Ok(line) if line.contains(text) => return line,
                Ok(line) => seen.push(line),
                Err(_) => panic!("no line with {text:?}; saw {seen:#?}"),
            }
        }
    }

    /// SIGTERM; waits for a clean exit.
    #[track_caller]
    fn terminate(mut self) -> Vec<String> {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let status = self.child.wait().expect("clerk exits");
        assert!(status.success(), "exit status {status}");
        // The rest of stderr, until the pipe closes.
        let mut rest = Vec::new();
        while let Ok(line) = self.stderr.recv_timeout(Duration::from_secs(5)) {
            rest.push(line);
        }
        rest
    }
}

#[test]
fn listen_forwards_signed_events_and_removes_its_endpoint() {
    // Retries a second after a failure, so the app's 500 is seen retried.
    let env = Env::start_with(
        Config::default().with_webhook_retry_schedule(vec![Duration::from_millis(500)]),
    );
    let app = Receiver::start(&env);
    let mut command = Command::new(CLERK);
    command
        .args([
            "webhooks",
            "listen",
            "--forward-to",
            &app.url,
            "--events",
            "user.created",
        ])
        .env("CLERK_API_URL", env.server.api_url())
        .env("CLERK_SECRET_KEY", env.server.secret_key())
        .env_remove("RUST_LOG");
    let listen = Running::spawn(command);
    let ready = Running::line(&listen.stderr, "Ready!");
    let secret = ready
        .split_whitespace()
        .find(|word| word.starts_with("whsec_"))
        .unwrap_or_else(|| panic!("no secret in {ready:?}"))
        .to_owned();
    assert!(ready.contains(&app.url), "{ready}");
    let endpoints = env.json(&["webhooks", "endpoints", "list"]);
    assert_eq!(endpoints["total_count"], 1);
    assert_eq!(
        endpoints["data"][0]["filter_types"],
        json!(["user.created"])
    );

    // The app fails the first delivery: the CLI shows its 500 and answers the server 500,
    // so the server retries, and the retry reaches the app.
    app.answer(&[500]);
    let user = env.user("ada@example.com");
    let got = app.wait_for(2);
    for delivery in &got {
        assert!(delivery.verifies_with(&secret), "{delivery:?}");
        assert_eq!(delivery.json()["data"]["id"], user.as_str());
        assert_eq!(delivery.header("content-type"), "application/json");
    }
    let message_id = got[0].header("svix-id").to_owned();
    assert!(message_id.starts_with("msg_"));
    assert_eq!(got[1].header("svix-id"), message_id);
    let failed = Running::line(&listen.stdout, "→ 500");
    let succeeded = Running::line(&listen.stdout, "→ 200");
    for line in [&failed, &succeeded] {
        assert!(
            line.contains("user.created") && line.contains(&message_id),
            "{line}"
        );
    }
    // An event the filter excludes never reaches the CLI.
    env.block_on(env.server.create_session(&user));

    let stderr = listen.terminate();
    assert!(
        stderr.iter().any(|line| line.contains("removed endpoint")),
        "{stderr:#?}"
    );
    assert_eq!(
        env.json(&["webhooks", "endpoints", "list"])["total_count"],
        0
    );
    assert_eq!(app.wait_for(2).len(), 2);
}

#[test]
fn listen_json_prints_each_event_on_one_line() {
    let env = Env::start();
    let mut command = Command::new(CLERK);
    command
        .args(["--json", "webhooks", "listen"])
        .env("CLERK_API_URL", env.server.api_url())
        .env("CLERK_SECRET_KEY", env.server.secret_key())
        .env_remove("RUST_LOG");
    let listen = Running::spawn(command);
    Running::line(&listen.stderr, "Your webhook signing secret is whsec_");
    let user = env.user("ada@example.com");
    let line = Running::line(&listen.stdout, "user.created");
    let event: Value = serde_json::from_str(&line).expect("one JSON event per line");
    assert_eq!(event["type"], "user.created");
    assert_eq!(event["data"]["id"], user.as_str());
    listen.terminate();
}

#[test]
fn serve_webhook_prints_the_secret_and_delivers() {
    let env = Env::start();
    let app = Receiver::start(&env);
    let db = format!("sqlite://{}", env.path("serve.db").display());
    let key = "sk_test_webhooks_from_the_command_line";
    let mut command = Command::new(CLERK);
    command
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &db,
            "--secret-key",
            key,
            "--webhook",
            &app.url,
            "--webhook-retry-schedule",
            "100ms,1s",
        ])
        .env_remove("CLERK_SECRET_KEY")
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn");
    let serve = Running::spawn(command);
    let line = Running::line(&serve.stderr, "webhook endpoint ep_");
    assert!(line.contains(&format!("→ {} ", app.url)), "{line}");
    let secret = line
        .split(|c: char| c.is_whitespace() || c == ')')
        .find(|word| word.starts_with("whsec_"))
        .unwrap_or_else(|| panic!("no secret in {line:?}"))
        .to_owned();
    let api_url = Running::line(&serve.stdout, "API URL:")
        .trim()
        .trim_start_matches("API URL:")
        .trim()
        .to_owned();

    app.answer(&[500]);
    let created: Value = env.block_on(async {
        reqwest::Client::new()
            .post(format!("{api_url}/users"))
            .bearer_auth(key)
            .json(&json!({"email_address": ["ada@example.com"]}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    // The 500 is retried 100 ms later, as the schedule says.
    let got = app.wait_for(2);
    for delivery in &got {
        assert!(delivery.verifies_with(&secret));
        assert_eq!(delivery.json()["type"], "user.created");
        assert_eq!(delivery.json()["data"]["id"], created["id"]);
    }
    serve.terminate();

    // A bad schedule is a usage error.
    let mut bad = crate::common::command(&["serve", "--webhook-retry-schedule", "soon"]);
    bad.env_remove("DATABASE_URL");
    let run = crate::common::run(bad);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(run.stderr.contains("not a duration"), "{run:#?}");
}

#[test]
fn listen_answers_502_when_the_app_is_unreachable() {
    let env = Env::start();
    let mut command = Command::new(CLERK);
    command
        .args([
            "webhooks",
            "listen",
            "--forward-to",
            "http://127.0.0.1:1/down",
        ])
        .env("CLERK_API_URL", env.server.api_url())
        .env("CLERK_SECRET_KEY", env.server.secret_key())
        .env_remove("RUST_LOG");
    let listen = Running::spawn(command);
    Running::line(&listen.stderr, "Ready!");
    env.user("ada@example.com");
    let line = Running::line(&listen.stdout, "user.created");
    assert!(
        line.contains("→ failed: ") && line.contains("refused"),
        "{line}"
    );
    let message_id = line
        .split_whitespace()
        .find(|word| word.starts_with("msg_"))
        .unwrap()
        .to_owned();
    let attempt = eventually("the failed attempt", || {
        let page = env.json(&["webhooks", "attempts", &message_id]);
        (page["data"].as_array().map_or(0, Vec::len) == 1).then(|| page["data"][0].clone())
    });
    assert_eq!(attempt["status"], "failed");
    assert_eq!(attempt["response_status_code"], 502);
    listen.terminate();

    // A --forward-to that is not a URL is refused before anything is registered.
    env.clerk(&["webhooks", "listen", "--forward-to", "localhost:3000"])
        .code(2)
        .stderr_has("--forward-to");
    assert_eq!(
        env.json(&["webhooks", "endpoints", "list"])["total_count"],
        0
    );
}
