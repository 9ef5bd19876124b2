//! Secrets at rest: the SQLite files are the owner's only, signing keys are stored sealed
//! (a copy of the database alone does not give them away), keys stored in plain text by
//! older versions are sealed at start, and a server without the sealing key refuses to
//! start with a message that names what it needs.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use base64::Engine;
use clerk_server::{Config, Error, Server, TestBackend, TestDatabase, TestServer, test_backends};
use sqlx::{Connection, Row};

use crate::common::{http_client, jwt_header, verify_with_jwks};

const MASTER: &str = "k8FJ3Zr0v1yQ0m2V7Qh6e4gqX0yq1mJmXv5s5J8m3kQ=";

/// The stored private keys, newest first, read straight from the database.
async fn stored_private_keys(url: &str) -> Vec<(String, String)> {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    let rows = sqlx::query("SELECT kid, private_key FROM signing_keys ORDER BY seq DESC")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    rows.iter()
        .map(|row| (row.get::<String, _>(0), row.get::<String, _>(1)))
        .collect()
}

async fn jwks(server: &TestServer) -> serde_json::Value {
    http_client()
        .get(server.jwks_url())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[cfg(unix)]
#[tokio::test]
async fn sqlite_files_are_the_owners_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new-folder").join("clerk.db");
    let server = TestServer::start_with(Config::new(format!("sqlite://{}", db.display()))).await;
    server.create_user("files@example.com").await;
    let mode = |name: &str| {
        let path = db.with_file_name(name);
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777
    };
    for name in ["clerk.db", "clerk.db-wal", "clerk.db-shm", "clerk.db.key"] {
        assert_eq!(mode(name), 0o600, "{name}");
    }
    let folder = std::fs::metadata(dir.path().join("new-folder")).unwrap();
    assert_eq!(folder.permissions().mode() & 0o777, 0o700);
    server.shutdown().await;
}

#[tokio::test]
async fn signing_keys_are_stored_sealed() {
    for backend in test_backends() {
        let server = TestServer::start_on(&backend, Config::default()).await;
        let source = match backend {
            TestBackend::Sqlite => "file",
            TestBackend::Postgres(_) => "secret",
        };
        for (kid, stored) in stored_private_keys(server.database_url()).await {
            assert!(
                stored.starts_with(&format!("sealed:v1:{source}:")),
                "{kid}: {stored}"
            );
            // PKCS#8 DER starts 0x30 0x82, "MII" in base64: the sealed payload must not (it
            // may hold "MII" elsewhere by chance: it is random-looking base64).
            let payload = stored.rsplit(':').next().unwrap();
            assert!(!payload.starts_with("MII"), "{stored}");
            assert!(payload.len() > 1000, "{stored}");
        }
        server.shutdown().await;
    }
}

/// A JWT template's own signing key is stored sealed under the template's id, never as
/// given.
#[tokio::test]
async fn template_signing_keys_are_stored_sealed() {
    for backend in test_backends() {
        let server = TestServer::start_on(&backend, Config::default()).await;
        let secret = "a-template-shared-secret-0123456789";
        let created: serde_json::Value = http_client()
            .post(format!("{}/jwt_templates", server.api_url()))
            .bearer_auth(server.secret_key())
            .json(&serde_json::json!({"name": "sealed", "claims": {},
                "custom_signing_key": true, "signing_algorithm": "HS256", "signing_key": secret}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(!created.to_string().contains(secret), "{created}");
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(server.database_url())
            .await
            .unwrap();
        let stored: String = sqlx::query("SELECT signing_key FROM jwt_templates")
            .fetch_one(&mut conn)
            .await
            .unwrap()
            .get(0);
        conn.close().await.unwrap();
        assert!(stored.starts_with("sealed:v1:"), "{stored}");
        assert!(!stored.contains(secret), "{stored}");
        server.shutdown().await;
    }
}

/// TOTP secrets are sealed and backup codes kept as digests; the TestServer helper and
/// `totp_code` still verify.
#[tokio::test]
async fn totp_secrets_and_backup_codes_are_not_stored_in_clear() {
    for backend in test_backends() {
        let server = TestServer::start_on(&backend, Config::default()).await;
        let ann = server.create_user("ann@example.com").await;
        let totp = server.enroll_totp(&ann.id).await;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(server.database_url())
            .await
            .unwrap();
        let row = sqlx::query("SELECT totp_secret, backup_code_digests FROM users WHERE id = $1")
            .bind(&ann.id)
            .fetch_one(&mut conn)
            .await
            .unwrap();
        let (sealed, digests): (String, String) = (row.get(0), row.get(1));
        conn.close().await.unwrap();
        assert!(sealed.starts_with("sealed:v1:"), "{sealed}");
        assert!(!sealed.contains(&totp.secret));
        for code in &totp.backup_codes {
            assert!(!digests.contains(code.as_str()));
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let code = clerk_server::totp_code(&totp.secret, now).unwrap();
        let verified: serde_json::Value = http_client()
            .post(format!("{}/users/{}/verify_totp", server.api_url(), ann.id))
            .bearer_auth(server.secret_key())
            .json(&serde_json::json!({ "code": code }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(verified["code_type"], "totp");
        server.shutdown().await;
    }
}

/// A database written before sealing holds its private key as base64 PKCS#8: the next start
/// seals it, and the same key goes on signing and verifying.
#[tokio::test]
async fn plaintext_keys_from_older_versions_are_sealed_at_start() {
    for backend in test_backends() {
        let database = TestDatabase::create(&backend).await.unwrap();
        let config = || Config::new(database.url()).with_secret_key("sk_test_upgrade_key");
        TestServer::start_with(config()).await.shutdown().await;
        // What an older version stored: the key in plain text.
        let pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
        let der = base64::engine::general_purpose::STANDARD.encode(pair.as_der().unwrap().as_ref());
        let mut conn = sqlx::AnyConnection::connect(database.url()).await.unwrap();
        sqlx::query("UPDATE signing_keys SET retired_at = 1")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("INSERT INTO signing_keys (kid, private_key, created_at) VALUES ('ins_plaintext', $1, 2)")
            .bind(&der)
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();

        let server = TestServer::start_with(config()).await;
        let stored = stored_private_keys(database.url()).await;
        assert_eq!(stored[0].0, "ins_plaintext");
        assert!(
            stored.iter().all(|(_, key)| key.starts_with("sealed:v1:")),
            "{stored:?}"
        );
        let user = server.create_user("upgrade@example.com").await;
        let session = server.create_session(&user.id).await;
        let token = server.session_token(&session.id).await;
        assert_eq!(jwt_header(&token)["kid"], "ins_plaintext");
        assert!(verify_with_jwks(&token, &jwks(&server).await));
        server.shutdown().await;
        database.remove().await;
    }
}

/// Without the key the signing keys were sealed with, the server does not start, and says
/// what to give it; with the old key and a master key, they move under the master key.
#[tokio::test]
async fn a_missing_sealing_key_stops_the_start_with_its_remedy() {
    for backend in test_backends() {
        let database = TestDatabase::create(&backend).await.unwrap();
        let bind =
            |config: Config| Server::bind(config.with_listen("127.0.0.1:0".parse().unwrap()));
        let first = Config::new(database.url()).with_secret_key("sk_test_first_key");
        bind(first.clone()).await.unwrap();
        let kid = stored_private_keys(database.url()).await[0].0.clone();
        if let TestBackend::Sqlite = backend {
            // On SQLite the key file seals; lose it and the keys cannot be opened.
            let file = database.url().trim_start_matches("sqlite://").to_owned() + ".key";
            std::fs::remove_file(file).unwrap();
        }
        let other = Config::new(database.url()).with_secret_key("sk_test_other_key");
        let err = bind(other.clone()).await.unwrap_err();
        assert!(matches!(err, Error::Keys(_)), "{err}");
        let message = err.to_string();
        assert!(
            message.contains(&kid) && message.contains("key"),
            "{message}"
        );
        if let TestBackend::Postgres(_) = backend {
            assert!(message.contains("--secret-key"), "{message}");
            // The old secret key and a master key: resealed under the master key...
            bind(first.clone().with_master_key(MASTER)).await.unwrap();
            let stored = stored_private_keys(database.url()).await;
            assert!(stored[0].1.starts_with("sealed:v1:master:"), "{stored:?}");
            // ...which then opens them whatever secret key is given.
            bind(other.with_master_key(MASTER)).await.unwrap();
        }
        let short = Config::new(database.url()).with_master_key("short");
        assert!(matches!(
            bind(short).await.unwrap_err(),
            Error::InvalidConfig(_)
        ));
        database.remove().await;
    }
}

/// Every column of sealed secrets (TOTP secrets, machine secret keys, M2M tokens, API-key
/// secrets, JWT templates' own keys), like the signing keys, moves under a master key once
/// one is given, so that the old source can go: each secret still works after it has.
#[tokio::test]
async fn every_sealed_secret_moves_under_a_new_master_key() {
    use serde_json::{Value, json};
    let columns = [
        ("users", "totp_secret"),
        ("machines", "secret_key"),
        ("m2m_tokens", "token"),
        ("api_keys", "secret_sealed"),
        ("jwt_templates", "signing_key"),
    ];
    let stored = async |url: &str| -> Vec<String> {
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
        let mut values = Vec::new();
        for (table, column) in columns {
            let sql = format!("SELECT {column} FROM {table} WHERE {column} IS NOT NULL");
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(&mut conn)
                .await
                .unwrap();
            assert_eq!(rows.len(), 1, "{table}.{column}");
            values.push(rows[0].get::<String, _>(0));
        }
        conn.close().await.unwrap();
        values
    };
    let call = async |server: &TestServer, key: &str, path: &str, body: Option<Value>| {
        let url = format!("{}{path}", server.api_url());
        let request = match body {
            Some(body) => http_client().post(url).json(&body),
            None => http_client().get(url),
        };
        let resp = request.bearer_auth(key).send().await.unwrap();
        let status = resp.status();
        let body = resp.json::<Value>().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {body}");
        body
    };
    let reuse = json!({"seconds_until_expiration": 600, "min_remaining_ttl_seconds": 300});
    for backend in test_backends() {
        let database = TestDatabase::create(&backend).await.unwrap();
        let config = |secret: &str| Config::new(database.url()).with_secret_key(secret);
        let server = TestServer::start_with(config("sk_test_first_key")).await;
        let sk = server.secret_key().to_owned();
        let ann = server.create_user("ann@example.com").await;
        let totp = server.enroll_totp(&ann.id).await;
        let machine = call(&server, &sk, "/machines", Some(json!({"name": "worker"}))).await;
        let machine_secret = machine["secret_key"].as_str().unwrap().to_owned();
        let m2m = call(&server, &machine_secret, "/m2m_tokens", Some(reuse.clone())).await;
        let api_key = call(
            &server,
            &sk,
            "/api_keys",
            Some(json!({"name": "reseal key", "subject": ann.id})),
        )
        .await;
        let template = json!({"name": "own", "claims": {}, "custom_signing_key": true,
            "signing_algorithm": "HS256", "signing_key": "a-template-shared-secret-0123456789"});
        call(&server, &sk, "/jwt_templates", Some(template)).await;
        server.shutdown().await;
        for value in stored(database.url()).await {
            assert!(!value.starts_with("sealed:v1:master:"), "{value}");
        }

        // A master key given: every value is sealed anew under it at start.
        let server =
            TestServer::start_with(config("sk_test_first_key").with_master_key(MASTER)).await;
        server.shutdown().await;
        for value in stored(database.url()).await {
            assert!(value.starts_with("sealed:v1:master:"), "{value}");
        }
        // The old source goes (the key file, or another secret key): every secret still works.
        if let TestBackend::Sqlite = backend {
            let file = database.url().trim_start_matches("sqlite://").to_owned() + ".key";
            std::fs::remove_file(file).unwrap();
        }
        let server =
            TestServer::start_with(config("sk_test_other_key").with_master_key(MASTER)).await;
        let sk = server.secret_key().to_owned();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let code = clerk_server::totp_code(&totp.secret, now).unwrap();
        let path = format!("/users/{}/verify_totp", ann.id);
        let verified = call(&server, &sk, &path, Some(json!({ "code": code }))).await;
        assert_eq!(verified["code_type"], "totp");
        let path = format!("/machines/{}/secret_key", machine["id"].as_str().unwrap());
        assert_eq!(
            call(&server, &sk, &path, None).await["secret"],
            machine_secret.as_str()
        );
        let again = call(&server, &machine_secret, "/m2m_tokens", Some(reuse.clone())).await;
        assert_eq!(again["token"], m2m["token"]);
        let path = format!("/api_keys/{}/secret", api_key["id"].as_str().unwrap());
        assert_eq!(
            call(&server, &sk, &path, None).await["secret"],
            api_key["secret"]
        );
        let session = server.create_session(&ann.id).await;
        let path = format!("/sessions/{}/tokens/own", session.id);
        let token = call(&server, &sk, &path, Some(json!({}))).await;
        assert_eq!(jwt_header(token["jwt"].as_str().unwrap())["alg"], "HS256");
        server.shutdown().await;
        database.remove().await;
    }
}
