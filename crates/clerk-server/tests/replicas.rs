//! Replicas: several servers on one database behave as one instance, because nothing an
//! instance is lives in one process only (issue #6). Each test runs on SQLite and, with
//! `CLERK_TEST_POSTGRES_URL`, on PostgreSQL, the backend replicas are meant for.
//!
//! The replicas are full [`Server`]s in this process, each with its own connection pool and
//! caches, talking to each other only through the database.

#[path = "api/common.rs"]
#[allow(dead_code)]
mod common;
#[path = "api/webhook_receiver.rs"]
#[allow(dead_code)]
mod webhook_receiver;

use serde_json::{Value, json};

use clerk_server::{Config, Server, TestBackend, TestDatabase, test_backends};
use common::{claims, http_client, jwt_header, verify_with_jwks};

const KEY: &str = "sk_test_replicas_share_this_key";

/// A server started with [`Server::bind`] and served in the background.
struct Replica {
    base: String,
    key: String,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), clerk_server::Error>>,
}

/// A response's status and JSON body.
struct Answer {
    status: u16,
    json: Value,
}

impl Answer {
    #[track_caller]
    fn ok(self) -> Value {
        assert!(
            (200..300).contains(&self.status),
            "expected success, got {}: {}",
            self.status,
            self.json
        );
        self.json
    }

    #[track_caller]
    fn err(self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{}", self.json);
        assert_eq!(self.json["errors"][0]["code"], code, "{}", self.json);
    }
}

/// The master key every replica is given (see docs/scaling.md).
const MASTER_KEY: &str = "replicas-share-this-master-key-0123456789";

impl Replica {
    /// Starts a server on `database_url` accepting `key` (which it records). Replicas share a
    /// master key, which seals the signing keys whatever secret key each is given.
    async fn start(database_url: &str, key: &str) -> Self {
        let config = Config::new(database_url)
            .with_secret_key(key)
            .with_master_key(MASTER_KEY)
            .with_issuer("https://clerk.replicas.example")
            .with_listen("127.0.0.1:0".parse().unwrap());
        let server = Server::bind(config).await.expect("replica starts");
        let base = server.base_url();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(server.serve(async {
            let _ = stopped.await;
        }));
        Replica {
            base,
            key: key.to_owned(),
            stop,
            task,
        }
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Answer {
        let mut request = http_client()
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.key);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body read");
        Answer {
            status,
            json: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }

    async fn get(&self, path: &str) -> Answer {
        self.send(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Answer {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    async fn patch(&self, path: &str, body: Value) -> Answer {
        self.send(reqwest::Method::PATCH, path, Some(body)).await
    }

    async fn delete(&self, path: &str) -> Answer {
        self.send(reqwest::Method::DELETE, path, None).await
    }

    /// The public JWKS (`/.well-known/jwks.json`, no key).
    async fn public_jwks(&self) -> Value {
        let response = http_client()
            .get(format!("{}/.well-known/jwks.json", self.base))
            .send()
            .await
            .expect("JWKS fetched");
        assert_eq!(response.status(), 200);
        response.json().await.expect("JWKS JSON")
    }

    /// A session token for `session_id`, asserting success.
    async fn token(&self, session_id: &str) -> String {
        let answer = self
            .post(&format!("/v1/sessions/{session_id}/tokens"), json!({}))
            .await
            .ok();
        answer["jwt"].as_str().expect("a jwt").to_owned()
    }

    /// The same replica, sending another secret key from now on.
    fn with_key(self, key: &str) -> Self {
        Self {
            key: key.to_owned(),
            ..self
        }
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.unwrap().unwrap();
    }
}

/// Two replicas on a fresh database of `backend`.
async fn pair(backend: &TestBackend) -> (TestDatabase, Replica, Replica) {
    let database = TestDatabase::create(backend)
        .await
        .expect("database created");
    let a = Replica::start(database.url(), KEY).await;
    let b = Replica::start(database.url(), KEY).await;
    (database, a, b)
}

async fn stop_all(database: TestDatabase, replicas: Vec<Replica>) {
    for replica in replicas {
        replica.stop().await;
    }
    database.remove().await;
}

/// A user with one session, created through `replica`: (user id, session id).
async fn user_with_session(replica: &Replica, email: &str) -> (String, String) {
    let user = replica
        .post("/v1/users", json!({ "email_address": [email] }))
        .await
        .ok();
    let user_id = user["id"].as_str().unwrap().to_owned();
    let session = replica
        .post("/v1/sessions", json!({ "user_id": user_id }))
        .await
        .ok();
    (user_id, session["id"].as_str().unwrap().to_owned())
}

/// Whether `token` is a valid, unexpired token of `session_id` by the keys of `jwks`.
fn valid_for(token: &str, session_id: &str, jwks: &Value) -> bool {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let claims = claims(token);
    verify_with_jwks(token, jwks)
        && claims["sid"] == session_id
        && claims["exp"].as_i64().is_some_and(|exp| exp > now)
}

#[tokio::test]
async fn a_user_written_through_one_replica_is_read_through_the_other() {
    for backend in test_backends() {
        let (database, a, b) = pair(&backend).await;
        let user = a
            .post(
                "/v1/users",
                json!({"email_address": ["ann@example.com"], "first_name": "Ann"}),
            )
            .await
            .ok();
        let id = user["id"].as_str().unwrap();
        let path = format!("/v1/users/{id}");
        assert_eq!(b.get(&path).await.ok()["first_name"], "Ann");

        // Written on B, read on A: fields, metadata, lists, counts and the search index.
        b.patch(&path, json!({"last_name": "Lovelace"})).await.ok();
        b.patch(
            &format!("{path}/metadata"),
            json!({"public_metadata": {"plan": "pro"}}),
        )
        .await
        .ok();
        let read = a.get(&path).await.ok();
        assert_eq!(read["last_name"], "Lovelace");
        assert_eq!(read["public_metadata"], json!({"plan": "pro"}));
        let found = a.get("/v1/users?query=lovelace").await.ok();
        assert_eq!(found[0]["id"], id);
        assert_eq!(a.get("/v1/users/count").await.ok()["total_count"], 1);

        // Deleted on A: gone on B.
        a.delete(&path).await.ok();
        b.get(&path).await.err(404, "resource_not_found");
        assert_eq!(b.get("/v1/users/count").await.ok()["total_count"], 0);
        stop_all(database, vec![a, b]).await;
    }
}

#[tokio::test]
async fn a_token_minted_by_one_replica_verifies_with_the_jwks_of_the_other() {
    for backend in test_backends() {
        let (database, a, b) = pair(&backend).await;
        let (_, session) = user_with_session(&a, "tok@example.com").await;
        let from_a = a.token(&session).await;
        let from_b = b.token(&session).await;
        for (jwks, which) in [
            (b.public_jwks().await, "B's /.well-known/jwks.json"),
            (b.get("/v1/jwks").await.ok(), "B's /v1/jwks"),
            (a.public_jwks().await, "A's /.well-known/jwks.json"),
        ] {
            assert!(
                valid_for(&from_a, &session, &jwks),
                "A's token with {which}"
            );
            assert!(
                valid_for(&from_b, &session, &jwks),
                "B's token with {which}"
            );
        }
        // One instance: the same issuer and signing key whichever replica answered.
        assert_eq!(claims(&from_a)["iss"], claims(&from_b)["iss"]);
        assert_eq!(jwt_header(&from_a)["kid"], jwt_header(&from_b)["kid"]);
        stop_all(database, vec![a, b]).await;
    }
}

#[tokio::test]
async fn a_key_rotation_on_one_replica_is_seen_by_the_other() {
    for backend in test_backends() {
        let (database, a, b) = pair(&backend).await;
        let (_, session) = user_with_session(&a, "rot@example.com").await;
        let before = b.token(&session).await;
        let old_kid = jwt_header(&before)["kid"].clone();

        let rotated = a.post("/v1/_local/keys/rotate", json!({})).await.ok();
        assert_eq!(rotated["retired"], json!([old_kid]));
        let new_kid = rotated["kid"].clone();

        // B signs with the new key at once, and publishes both.
        let after = b.token(&session).await;
        assert_eq!(jwt_header(&after)["kid"], new_kid);
        let jwks = b.public_jwks().await;
        let kids: Vec<&Value> = jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| &k["kid"])
            .collect();
        assert_eq!(kids, [&new_kid, &old_kid]);
        // Tokens of the retired key keep verifying through the grace period.
        assert!(valid_for(&before, &session, &jwks));
        assert!(valid_for(&after, &session, &jwks));
        assert_eq!(
            jwt_header(&a.token(&session).await)["kid"],
            new_kid,
            "A signs with its own rotation too"
        );
        stop_all(database, vec![a, b]).await;
    }
}

#[tokio::test]
async fn after_a_revoke_is_answered_no_replica_mints_a_token_for_the_session() {
    for backend in test_backends() {
        let (database, a, b) = pair(&backend).await;
        let replicas = [&a, &b];
        let mut sessions = Vec::new();
        for i in 0..12 {
            let (_, session) =
                user_with_session(replicas[i % 2], &format!("rv{i}@example.com")).await;
            sessions.push(session);
        }
        // Revokes alternate between the replicas; the moment one answers, each replica is
        // asked for a token (concurrently), and must refuse.
        for (i, session) in sessions.iter().enumerate() {
            let (revoker, other) = (replicas[i % 2], replicas[(i + 1) % 2]);
            let minted_before = [a.token(session).await, b.token(session).await];
            let revoked = revoker
                .post(&format!("/v1/sessions/{session}/revoke"), json!({}))
                .await
                .ok();
            assert_eq!(revoked["status"], "revoked");
            let path = format!("/v1/sessions/{session}/tokens");
            let (on_other, on_revoker) =
                tokio::join!(other.post(&path, json!({})), revoker.post(&path, json!({})));
            on_other.err(401, "authentication_invalid");
            on_revoker.err(401, "authentication_invalid");
            assert_eq!(
                other.get(&format!("/v1/sessions/{session}")).await.ok()["status"],
                "revoked"
            );

            // Tokens minted before the revoke stay valid until they expire: verification
            // is networkless, by the published keys.
            let jwks = other.public_jwks().await;
            for token in &minted_before {
                assert!(
                    valid_for(token, session, &jwks),
                    "a token minted before the revoke"
                );
            }
        }
        stop_all(database, vec![a, b]).await;
    }
}

#[tokio::test]
async fn a_secret_key_recorded_by_one_replica_works_on_the_other_at_once() {
    for backend in test_backends() {
        let database = TestDatabase::create(&backend).await.unwrap();
        let a = Replica::start(database.url(), KEY).await;
        // A has just checked its keys; B records another key as it starts.
        a.get("/v1/users").await.ok();
        let b = Replica::start(database.url(), "sk_test_added_by_replica_b").await;
        let a = a.with_key("sk_test_added_by_replica_b");
        a.get("/v1/users").await.ok();
        let a = a.with_key("sk_test_nobody_recorded_this");
        a.get("/v1/users").await.err(401, "clerk_key_invalid");
        stop_all(database, vec![a, b]).await;
    }
}

#[tokio::test]
async fn settings_changed_on_one_replica_apply_on_the_other() {
    for backend in test_backends() {
        let (database, a, b) = pair(&backend).await;
        a.patch("/v1/instance/restrictions", json!({"allowlist": true}))
            .await
            .ok();
        let settings = b
            .patch("/v1/beta_features/instance_settings", json!({}))
            .await
            .ok();
        assert_eq!(settings["restricted_to_allowlist"], true);
        b.post(
            "/v1/allowlist_identifiers",
            json!({"identifier": "x@example.com"}),
        )
        .await
        .ok();
        let list = a.get("/v1/allowlist_identifiers").await.ok();
        assert_eq!(list[0]["identifier"], "x@example.com");
        stop_all(database, vec![a, b]).await;
    }
}

#[tokio::test]
async fn concurrent_first_starts_agree_on_one_instance() {
    for backend in test_backends() {
        let database = TestDatabase::create(&backend).await.unwrap();
        let starts = (0..4).map(|_| Replica::start(database.url(), KEY));
        let replicas = futures_util::future::join_all(starts).await;
        let mut instance_ids = Vec::new();
        let mut kids = Vec::new();
        for r in &replicas {
            instance_ids.push(r.get("/v1/instance").await.ok()["id"].clone());
            let jwks = r.get("/v1/jwks").await.ok();
            assert_eq!(jwks["keys"].as_array().unwrap().len(), 1, "one signing key");
            kids.push(jwks["keys"][0]["kid"].clone());
        }
        assert!(
            instance_ids.windows(2).all(|w| w[0] == w[1]),
            "{instance_ids:?}"
        );
        assert!(kids.windows(2).all(|w| w[0] == w[1]), "{kids:?}");
        stop_all(database, replicas).await;
    }
}

#[tokio::test]
async fn each_webhook_message_is_delivered_by_one_replica_once() {
    for backend in test_backends() {
        let (database, a, b) = pair(&backend).await;
        let mut receiver = webhook_receiver::Receiver::start().await;
        let endpoint = a
            .post(
                "/_local/webhooks/endpoints",
                json!({ "url": receiver.url, "filter_types": ["user.created"] }),
            )
            .await
            .ok();
        let secret = endpoint["secret"].as_str().unwrap().to_owned();
        // Writers on both replicas at once: both workers are woken and compete for the
        // same deliveries.
        let (ra, rb) = (&a, &b);
        let writes = (0..60).map(|i| async move {
            let replica = if i % 2 == 0 { ra } else { rb };
            replica
                .post(
                    "/v1/users",
                    json!({ "external_id": format!("replica-{i}") }),
                )
                .await
                .ok()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        });
        let users = futures_util::future::join_all(writes).await;
        let mut seen = std::collections::HashMap::new();
        for _ in 0..users.len() {
            let delivery = receiver.next().await;
            assert!(delivery.verifies_with(&secret));
            let user_id = delivery.json()["data"]["id"].as_str().unwrap().to_owned();
            *seen.entry((delivery.id, user_id)).or_insert(0) += 1;
        }
        assert!(
            receiver
                .quiet_for(std::time::Duration::from_millis(700))
                .await,
            "a message was delivered twice on {backend:?}"
        );
        assert!(seen.values().all(|n| *n == 1), "{seen:?}");
        let delivered: std::collections::HashSet<_> = seen.keys().map(|(_, u)| u.clone()).collect();
        assert_eq!(
            delivered.len(),
            users.len(),
            "every user.created arrived on {backend:?}"
        );
        assert!(users.iter().all(|u| delivered.contains(u)));
        stop_all(database, vec![a, b]).await;
    }
}
