//! What every call shares: authentication, API versions, removed operations,
//! unknown paths, malformed bodies, and the JWKS.

use clerk_sdk::{CreateSession, CreateUser, ListSessions, ListUsers, Method, Session};
use e2e::each_backend;
use serde_json::{Value, json};

use crate::support::{api_error, sign_in, user};

#[tokio::test]
async fn a_bad_secret_key_is_401_everywhere() {
    each_backend(async |env| {
        let ann = user(env, "ann@example.com").await;
        for key in ["sk_test_not_the_key", "not even a key"] {
            let intruder = env.clerk_builder().secret_key(key).build().unwrap();
            let err = api_error(
                intruder.users().list(ListUsers::new()).await,
                401,
                "clerk_key_invalid",
            );
            assert!(err.status().as_u16() == 401);
            api_error(
                intruder.users().get(&ann.id).await,
                401,
                "clerk_key_invalid",
            );
            api_error(
                intruder.users().count(ListUsers::new()).await,
                401,
                "clerk_key_invalid",
            );
            api_error(
                intruder
                    .sessions()
                    .list(ListSessions::new().user_id(&ann.id))
                    .await,
                401,
                "clerk_key_invalid",
            );
            api_error(intruder.jwks().get().await, 401, "clerk_key_invalid");
            api_error(
                intruder
                    .request::<Value>(Method::GET, "/_local/outbox", &[], None)
                    .await,
                401,
                "clerk_key_invalid",
            );
            assert!(
                intruder
                    .users()
                    .get(&ann.id)
                    .await
                    .unwrap_err()
                    .is_unauthorized()
            );
        }
        // Nothing changed hands: the real key still works.
        assert_eq!(env.clerk.users().count(ListUsers::new()).await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn api_versions() {
    each_backend(async |env| {
        // Each version's answers are checked against its own spec by the proxy.
        let versions = [
            "2021-02-05",
            "2024-10-01",
            "2025-04-10",
            "2025-11-10",
            "2026-05-12",
        ];
        for (i, version) in versions.into_iter().enumerate() {
            let clerk = env.clerk_with_version(version);
            let user = clerk
                .users()
                .create(
                    CreateUser::new()
                        .email_address([format!("v{i}@example.com")])
                        .phone_number([format!("+1555555010{i}")]),
                )
                .await
                .unwrap();
            let session = clerk
                .sessions()
                .create(CreateSession::new(&user.id))
                .await
                .unwrap();
            let listed = clerk
                .sessions()
                .list(ListSessions::new().user_id(&user.id))
                .await
                .unwrap();
            assert_eq!(listed.data, std::slice::from_ref(&session), "{version}");
            clerk.clients().get(&session.client_id).await.unwrap();
            clerk.users().list(ListUsers::new()).await.unwrap();
            let count = clerk.users().count(ListUsers::new()).await.unwrap();
            assert_eq!(count as usize, i + 1, "{version}");
        }
        let err = api_error(
            env.clerk_with_version("1999-01-01")
                .users()
                .count(ListUsers::new())
                .await,
            400,
            "api_version_invalid",
        );
        assert!(err.errors()[0].message.contains("version"), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn session_verify_is_gone_from_2025_04_10() {
    each_backend(async |env| {
        let ann = user(env, "ann@example.com").await;
        let session = sign_in(env, &ann.id).await;
        let token = env.server.session_token(&session.id).await;
        let path = format!("/sessions/{}/verify", session.id);
        let body = Some(json!({"token": token}));

        // Before: the session, checked against the 2021 spec's operation.
        let legacy = env.clerk_with_version("2024-10-01");
        let verified: Session = legacy
            .request(Method::POST, &path, &[], body.clone())
            .await
            .unwrap();
        assert_eq!(verified.id, session.id);
        api_error(
            legacy
                .request::<Session>(Method::POST, &path, &[], Some(json!({"token": "garbage"})))
                .await,
            400,
            "invalid_session_token",
        );
        let other = sign_in(env, &ann.id).await;
        api_error(
            legacy
                .request::<Session>(
                    Method::POST,
                    &format!("/sessions/{}/verify", other.id),
                    &[],
                    body.clone(),
                )
                .await,
            400,
            "invalid_session_token",
        );

        // From 2025-04-10 (the SDK's default is 2026-05-12): 410 Gone.
        let err = api_error(
            env.clerk
                .request::<Session>(Method::POST, &path, &[], body)
                .await,
            410,
            "operation_deprecated",
        );
        assert!(err.status().as_u16() == 410);
    })
    .await;
}

#[tokio::test]
async fn unknown_paths_and_malformed_bodies() {
    each_backend(async |env| {
        api_error(
            env.clerk
                .request::<Value>(Method::GET, "/nowhere", &[], None)
                .await,
            404,
            "resource_not_found",
        );
        api_error(
            env.clerk
                .request::<Value>(Method::GET, "/users/user_1/nowhere", &[], None)
                .await,
            404,
            "resource_not_found",
        );
        let err = env
            .clerk
            .request::<Value>(Method::PUT, "/users", &[], Some(json!({})))
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(405));

        // Malformed JSON needs a raw client: the SDK cannot send it.
        let raw = reqwest::Client::new();
        for body in ["{not json", "[1, 2]", "\"a string\""] {
            let answer = raw
                .post(format!("{}/users", env.api_url()))
                .bearer_auth(env.server.secret_key())
                .header("Clerk-API-Version", "2026-05-12")
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status().as_u16(), 400, "{body}");
            let json: Value = answer.json().await.unwrap();
            assert_eq!(json["errors"][0]["code"], "request_body_invalid", "{body}");
        }
        // An empty body with a JSON content type is an empty object (Clerk's JS client
        // sends those): a user with nothing set.
        let answer = raw
            .post(format!("{}/users", env.api_url()))
            .bearer_auth(env.server.secret_key())
            .header("Content-Type", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 200);
    })
    .await;
}

#[tokio::test]
async fn jwks_with_and_without_the_secret_key() {
    each_backend(async |env| {
        let jwks = env.clerk.jwks().get().await.unwrap();
        assert_eq!(jwks.keys.len(), 1);
        let key = &jwks.keys[0];
        assert!(key.kid.starts_with("ins_"), "{}", key.kid);
        assert_eq!(key.alg, "RS256");
        assert_eq!(key.key_use, "sig");
        assert_eq!(key.e.as_deref(), Some("AQAB"));
        // RSA-2048: a 256-byte modulus, 342 base64url characters.
        assert_eq!(key.n.as_deref().map(str::len), Some(342));
        assert!(key.d.is_none(), "no private parts");
        assert!(jwks.find(&key.kid).is_some());

        // The Frontend API path needs no key, and is validated like GET /jwks.
        let public: clerk_sdk::Jwks =
            reqwest::get(format!("{}/.well-known/jwks.json", env.proxy.base_url()))
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
        assert_eq!(public, jwks);

        // Tokens are signed by that key.
        let ann = user(env, "ann@example.com").await;
        let session = sign_in(env, &ann.id).await;
        let token = env.server.session_token(&session.id).await;
        let header = token.split('.').next().unwrap();
        let header: Value = serde_json::from_slice(
            &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, header)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            header,
            json!({"alg": "RS256", "kid": key.kid, "typ": "JWT"})
        );

        // After a rotation both keys are published, the new one signs.
        let rotated: Value = env
            .clerk
            .request(Method::POST, "/_local/keys/rotate", &[], None)
            .await
            .unwrap();
        let new_kid = rotated["kid"].as_str().unwrap();
        assert_eq!(rotated["retired"], json!([key.kid]));
        let jwks = env.clerk.jwks().get().await.unwrap();
        let kids: Vec<&str> = jwks.keys.iter().map(|k| k.kid.as_str()).collect();
        assert_eq!(kids.len(), 2);
        assert!(
            kids.contains(&new_kid) && kids.contains(&key.kid.as_str()),
            "{kids:?}"
        );
    })
    .await;
}
