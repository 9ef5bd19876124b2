//! The JWKS and signing-key rotation.

use std::time::Duration;

use base64::Engine;
use serde_json::json;

use crate::common::{
    Api, each_backend, each_backend_with, http_client, jwt_header, verify_with_jwks,
};

#[tokio::test]
async fn jwks_with_and_without_the_secret_key() {
    each_backend(async |api: &mut Api| {
        let jwks = api.get("/v1/jwks").await;
        let jwks = jwks.ok();
        let keys = jwks["keys"].as_array().unwrap();
        assert_eq!(keys.len(), 1);
        let key = &keys[0];
        assert_eq!(
            (
                key["use"].as_str(),
                key["kty"].as_str(),
                key["alg"].as_str()
            ),
            (Some("sig"), Some("RSA"), Some("RS256"))
        );
        assert_eq!(key["e"], "AQAB");
        assert!(key["kid"].as_str().unwrap().starts_with("ins_"));
        let n = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(key["n"].as_str().unwrap())
            .unwrap();
        assert_eq!(n.len(), 256, "RSA-2048");

        let public = http_client()
            .get(api.server.jwks_url())
            .send()
            .await
            .unwrap();
        assert_eq!(public.status(), 200);
        assert_eq!(public.headers()["content-type"], "application/json");
        assert_eq!(&public.json::<serde_json::Value>().await.unwrap(), jwks);

        let unauthenticated = http_client().get(api.url("/v1/jwks")).send().await.unwrap();
        assert_eq!(unauthenticated.status(), 401);
    })
    .await;
}

#[tokio::test]
async fn rotation_keeps_the_old_key_for_the_grace_period() {
    each_backend_with(
        || clerk_server::Config::default().with_key_grace_period(Duration::from_secs(3600)),
        async |api: &mut Api| {
            let user = api.user(json!({})).await;
            let session = api.session(user["id"].as_str().unwrap()).await;
            let sid = session["id"].as_str().unwrap().to_owned();
            let old_token = api.server.session_token(&sid).await;
            let old_kid = jwt_header(&old_token)["kid"].as_str().unwrap().to_owned();

            let rotated = api.post_empty("/v1/_local/keys/rotate").await;
            let rotated = rotated.ok().clone();
            assert_eq!(rotated["object"], "signing_key_rotation");
            assert_eq!(rotated["retired"], json!([old_kid]));
            let new_kid = rotated["kid"].as_str().unwrap().to_owned();
            assert_ne!(new_kid, old_kid);

            // The new key signs from now on; both are published.
            let new_token = api.server.session_token(&sid).await;
            assert_eq!(jwt_header(&new_token)["kid"], new_kid.as_str());
            let jwks = api.get("/v1/jwks").await.ok().clone();
            let kids: Vec<&str> = jwks["keys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k["kid"].as_str().unwrap())
                .collect();
            assert_eq!(kids, vec![new_kid.as_str(), old_kid.as_str()]);
            assert!(verify_with_jwks(&old_token, &jwks) && verify_with_jwks(&new_token, &jwks));

            let keys = api.get("/v1/_local/keys").await;
            let statuses: Vec<&str> = keys.ok()["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k["status"].as_str().unwrap())
                .collect();
            assert_eq!(statuses, vec!["active", "retired"]);

            // After the grace period the old key leaves the JWKS.
            api.server.advance_clock(Duration::from_secs(3601));
            let jwks = api.get("/.well-known/jwks.json").await.ok().clone();
            let kids: Vec<&str> = jwks["keys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k["kid"].as_str().unwrap())
                .collect();
            assert_eq!(kids, vec![new_kid.as_str()]);
            let keys = api.get("/v1/_local/keys").await;
            assert_eq!(keys.ok()["data"][1]["status"], "expired");
        },
    )
    .await;
}

#[tokio::test]
async fn the_pem_key_verifies_tokens() {
    let server = clerk_server::TestServer::start().await;
    let user = server.create_user("pem@example.com").await;
    let session = server.create_session(&user.id).await;
    let token = server.session_token(&session.id).await;
    let pem = server.jwt_key().await;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    let (signed, sig) = token.rsplit_once('.').unwrap();
    let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sig)
        .unwrap();
    aws_lc_rs::signature::UnparsedPublicKey::new(
        &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
        &der,
    )
    .verify(signed.as_bytes(), &sig)
    .expect("the PEM key verifies the session token");
    server.shutdown().await;
}

#[tokio::test]
async fn library_rotation_works_on_the_database_of_a_running_server() {
    // `clerk keys rotate` calls the library on the same database while the server runs.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("rotate.db").display());
    let config = clerk_server::Config::new(url.clone());
    let server = clerk_server::TestServer::start_with(config.clone()).await;
    let before = http_client()
        .get(server.jwks_url())
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let rotated = clerk_server::rotate_signing_key(&config).await.unwrap();
    assert_eq!(
        rotated.retired,
        vec![before["keys"][0]["kid"].as_str().unwrap().to_owned()]
    );
    let after = http_client()
        .get(server.jwks_url())
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(after["keys"][0]["kid"], rotated.kid.as_str());
    let user = server.create_user("rot@example.com").await;
    let session = server.create_session(&user.id).await;
    let token = server.session_token(&session.id).await;
    assert_eq!(jwt_header(&token)["kid"], rotated.kid.as_str());
    server.shutdown().await;
}

#[tokio::test]
async fn keys_and_secret_keys_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("restart.db").display());
    let first = clerk_server::TestServer::start_with(clerk_server::Config::new(url.clone())).await;
    let key = first.secret_key().to_owned();
    let user = first.create_user("restart@example.com").await;
    let session = first.create_session(&user.id).await;
    let token = first.session_token(&session.id).await;
    first.shutdown().await;

    // The same database, no secret key given: the old one still works, tokens still verify.
    let second = clerk_server::Server::bind(
        clerk_server::Config::new(url).with_listen("127.0.0.1:0".parse().unwrap()),
    )
    .await
    .unwrap();
    assert!(
        second.generated_secret_key().is_none(),
        "a key exists already"
    );
    let base = second.base_url();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(second.serve(async {
        let _ = stopped.await;
    }));
    let http = http_client();
    let got = http
        .get(format!("{base}/v1/users/{}", user.id))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    let jwks = http
        .get(format!("{base}/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert!(verify_with_jwks(&token, &jwks));
    let _ = stop.send(());
    task.await.unwrap().unwrap();
}
