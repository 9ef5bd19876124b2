//! A webhook receiver for tests: records every delivery (headers and exact body) and
//! answers with the statuses it is told, one per request (then 200).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use tokio::sync::mpsc;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: String,
}

impl Delivery {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }

    pub fn event_type(&self) -> String {
        self.json()["type"].as_str().unwrap_or_default().to_owned()
    }

    /// Whether one of the `v1` signatures is right for `secret`.
    pub fn verifies_with(&self, secret: &str) -> bool {
        let key = STANDARD
            .decode(secret.strip_prefix("whsec_").expect("a whsec_ secret"))
            .expect("base64 secret");
        let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &key);
        let signed = format!("{}.{}.{}", self.id, self.timestamp, self.body);
        self.signature.split(' ').any(|entry| {
            entry.strip_prefix("v1,").is_some_and(|sig| {
                STANDARD
                    .decode(sig)
                    .is_ok_and(|sig| aws_lc_rs::hmac::verify(&key, signed.as_bytes(), &sig).is_ok())
            })
        })
    }
}

#[derive(Clone)]
struct Shared {
    statuses: Arc<Mutex<VecDeque<u16>>>,
    sent: mpsc::UnboundedSender<Delivery>,
}

/// A running receiver.
pub struct Receiver {
    pub url: String,
    statuses: Arc<Mutex<VecDeque<u16>>>,
    got: mpsc::UnboundedReceiver<Delivery>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Receiver {
    pub async fn start() -> Self {
        let (sent, got) = mpsc::unbounded_channel();
        let statuses = Arc::new(Mutex::new(VecDeque::new()));
        let shared = Shared {
            statuses: Arc::clone(&statuses),
            sent,
        };
        let app = Router::new()
            .route("/hook", post(receive))
            .with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            url,
            statuses,
            got,
            task,
        }
    }

    /// Answers the next requests with `statuses`, in order.
    pub fn answer(&self, statuses: &[u16]) {
        self.statuses.lock().unwrap().extend(statuses);
    }

    /// The next delivery, waiting up to 10 s.
    pub async fn next(&mut self) -> Delivery {
        tokio::time::timeout(Duration::from_secs(10), self.got.recv())
            .await
            .expect("a delivery within 10 s")
            .expect("the receiver runs")
    }

    /// The next delivery of `event_type`, skipping others.
    pub async fn next_of(&mut self, event_type: &str) -> Delivery {
        loop {
            let delivery = self.next().await;
            if delivery.event_type() == event_type {
                return delivery;
            }
        }
    }

    /// Whether nothing more arrives within `wait`.
    pub async fn quiet_for(&mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, self.got.recv()).await.is_err()
    }
}

/// A receiver with an endpoint registered for it on a server, and the endpoint's secret.
pub struct Subscription {
    pub receiver: Receiver,
    pub secret: String,
}

impl Subscription {
    /// Registers a new receiver for `filter_types` (every type with `None`).
    pub async fn start(api: &crate::common::Api, filter_types: Option<&[&str]>) -> Self {
        let receiver = Receiver::start().await;
        let endpoint = api
            .post(
                "/_local/webhooks/endpoints",
                serde_json::json!({ "url": receiver.url, "filter_types": filter_types }),
            )
            .await;
        let secret = endpoint.ok()["secret"].as_str().unwrap().to_owned();
        Self { receiver, secret }
    }

    /// The next event: it must be of `event_type`, verify with the endpoint's secret and
    /// have Clerk's envelope. Answers the whole event.
    pub async fn expect(&mut self, event_type: &str) -> Value {
        let delivery = self.receiver.next().await;
        assert!(delivery.verifies_with(&self.secret), "{delivery:?}");
        let event = delivery.json();
        assert_eq!(event["type"], event_type, "{event:#}");
        assert_eq!(event["object"], "event");
        assert!(event["instance_id"].as_str().unwrap().starts_with("ins_"));
        assert!(
            event["timestamp"].as_i64().unwrap() > 1_000_000_000_000,
            "milliseconds"
        );
        event
    }
}

async fn receive(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let _ = shared.sent.send(Delivery {
        id: header("svix-id"),
        timestamp: header("svix-timestamp"),
        signature: header("svix-signature"),
        body: String::from_utf8(body.to_vec()).unwrap_or_default(),
    });
    let status = shared.statuses.lock().unwrap().pop_front().unwrap_or(200);
    StatusCode::from_u16(status).unwrap()
}
