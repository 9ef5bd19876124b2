//! Several servers on one database behave as one instance: no state lives in one process.

use serde_json::{Value, json};

use clerk_server::{Config, Server, TestDatabase, TestServer, test_backends};

use crate::common::{http_client, jwt_header, verify_with_jwks};

/// A server started with `Server::bind` and served in the background.
struct Replica {
    base: String,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), clerk_server::Error>>,
}

async fn replica(config: Config) -> Replica {
    let server = Server::bind(config.with_listen("127.0.0.1:0".parse().unwrap()))
        .await
        .expect("replica starts");
    let base = server.base_url();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(server.serve(async {
        let _ = stopped.await;
    }));
    Replica { base, stop, task }
}

impl Replica {
    async fn get(&self, path: &str, key: &str) -> Value {
        let resp = http_client()
            .get(format!("{}{path}", self.base))
            .bearer_auth(key)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{path}: {}", resp.status());
        resp.json().await.unwrap()
    }

    async fn post(&self, path: &str, key: &str, body: Value) -> Value {
        let resp = http_client()
            .post(format!("{}{path}", self.base))
            .bearer_auth(key)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{path}: {}", resp.status());
        resp.json().await.unwrap()
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.unwrap().unwrap();
    }
}

#[tokio::test]
async fn replicas_share_users_keys_and_settings() {
    for backend in test_backends() {
        let a = TestServer::start_on(&backend, Config::default()).await;
        let key = a.secret_key().to_owned();
        let b = replica(Config::new(a.database_url())).await;

        // A user created on one is read on the other; the secret key works on both.
        let user = a.create_user("replica@example.com").await;
        assert_eq!(
            b.get(&format!("/v1/users/{}", user.id), &key).await["id"],
            user.id.as_str()
        );

        // A token from one verifies with the other's JWKS.
        let session = a.create_session(&user.id).await;
        let token = a.session_token(&session.id).await;
        let jwks = b.get("/.well-known/jwks.json", "").await;
        assert!(verify_with_jwks(&token, &jwks));

        // A rotation on one: the other signs with the new key at once.
        let rotated = b.post("/v1/_local/keys/rotate", &key, json!({})).await;
        let token = a.session_token(&session.id).await;
        assert_eq!(jwt_header(&token)["kid"], rotated["kid"]);

        // Settings too.
        b.post(
            "/v1/allowlist_identifiers",
            &key,
            json!({"identifier": "x@example.com"}),
        )
        .await;
        let (_, list) = a
            .request(reqwest::Method::GET, "/v1/allowlist_identifiers", None)
            .await;
        assert_eq!(list[0]["identifier"], "x@example.com");

        b.stop().await;
        a.shutdown().await;
    }
}

#[tokio::test]
async fn concurrent_first_starts_agree_on_one_instance() {
    for backend in test_backends() {
        let database = TestDatabase::create(&backend).await.unwrap();
        let key = "sk_test_concurrent_start";
        let starts = (0..4).map(|_| replica(Config::new(database.url()).with_secret_key(key)));
        let replicas = futures_util::future::join_all(starts).await;
        let mut instance_ids = Vec::new();
        let mut kids = Vec::new();
        for r in &replicas {
            instance_ids.push(r.get("/v1/instance", key).await["id"].clone());
            let jwks = r.get("/v1/jwks", key).await;
            assert_eq!(jwks["keys"].as_array().unwrap().len(), 1, "one signing key");
            kids.push(jwks["keys"][0]["kid"].clone());
        }
        assert!(
            instance_ids.windows(2).all(|w| w[0] == w[1]),
            "{instance_ids:?}"
        );
        assert!(kids.windows(2).all(|w| w[0] == w[1]), "{kids:?}");
        for r in replicas {
            r.stop().await;
        }
        database.remove().await;
    }
}
