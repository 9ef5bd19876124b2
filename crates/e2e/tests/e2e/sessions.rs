//! Sessions: create, list (with its filters and streams), get, revoke, tokens.

use std::collections::BTreeSet;
use std::time::Duration;

use clerk_sdk::{CreateSession, CreateSessionToken, ListSessions, Method, Session, SessionStatus};
use e2e::each_backend;
use futures_util::TryStreamExt;
use serde_json::Value;

use crate::support::{api_error, claims, sign_in, user};

#[tokio::test]
async fn create_get_list_revoke() {
    each_backend(async |env| {
        let sessions = env.clerk.sessions();
        let ann = user(env, "ann@example.com").await;
        let bob = user(env, "bob@example.com").await;

        let first = sessions.create(CreateSession::new(&ann.id)).await.unwrap();
        assert!(first.id.starts_with("sess_"));
        assert_eq!(first.object, "session");
        assert_eq!(first.user_id, ann.id);
        assert_eq!(first.status, SessionStatus::Active);
        assert!(first.client_id.starts_with("client_"));
        assert_eq!(first.expire_at - first.created_at, 7 * 24 * 3600 * 1000);
        assert_eq!(first.abandon_at - first.created_at, 30 * 24 * 3600 * 1000);
        let second = sessions.create(CreateSession::new(&ann.id)).await.unwrap();
        assert_ne!(
            second.client_id, first.client_id,
            "each session gets a client"
        );
        let bobs = sessions.create(CreateSession::new(&bob.id)).await.unwrap();

        assert_eq!(sessions.get(&first.id).await.unwrap(), first);

        let page = sessions
            .list(ListSessions::new().user_id(&ann.id))
            .await
            .unwrap();
        assert_eq!(page.total_count, Some(2));
        let ids: BTreeSet<&str> = page.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, BTreeSet::from([first.id.as_str(), second.id.as_str()]));
        let by_client = sessions
            .list(ListSessions::new().client_id(&bobs.client_id))
            .await
            .unwrap();
        assert_eq!(by_client.data, std::slice::from_ref(&bobs));

        let revoked = sessions.revoke(&first.id).await.unwrap();
        assert_eq!(revoked.status, SessionStatus::Revoked);
        assert_eq!(
            sessions.get(&first.id).await.unwrap().status,
            SessionStatus::Revoked
        );
        let active = sessions
            .list(
                ListSessions::new()
                    .user_id(&ann.id)
                    .status(SessionStatus::Active),
            )
            .await
            .unwrap();
        assert_eq!(active.total_count, Some(1));
        assert_eq!(active.data[0].id, second.id);
        let gone = sessions
            .list(
                ListSessions::new()
                    .user_id(&ann.id)
                    .status(SessionStatus::Revoked),
            )
            .await
            .unwrap();
        assert_eq!(gone.data[0].id, first.id);

        // Errors.
        api_error(
            sessions.get("sess_missing").await,
            404,
            "resource_not_found",
        );
        api_error(
            sessions.revoke("sess_missing").await,
            404,
            "resource_not_found",
        );
        api_error(
            sessions.create(CreateSession::new("user_missing")).await,
            404,
            "resource_not_found",
        );
        api_error(
            sessions.list(ListSessions::new()).await,
            400,
            "missing_query_parameter",
        );
        api_error(
            sessions
                .list(
                    ListSessions::new()
                        .user_id(&ann.id)
                        .status(SessionStatus::Other("sleepy".into())),
                )
                .await,
            422,
            "form_param_value_invalid",
        );
    })
    .await;
}

#[tokio::test]
async fn sessions_expire_with_the_clock() {
    each_backend(async |env| {
        let ann = user(env, "ann@example.com").await;
        let session = sign_in(env, &ann.id).await;
        env.server.advance_clock(Duration::from_secs(8 * 24 * 3600));
        let read = env.clerk.sessions().get(&session.id).await.unwrap();
        assert_eq!(read.status, SessionStatus::Expired);
        let expired = env
            .clerk
            .sessions()
            .list(
                ListSessions::new()
                    .user_id(&ann.id)
                    .status(SessionStatus::Expired),
            )
            .await
            .unwrap();
        assert_eq!(expired.total_count, Some(1));
        api_error(
            env.clerk
                .sessions()
                .create_token(&session.id, CreateSessionToken::new())
                .await,
            401,
            "authentication_invalid",
        );
    })
    .await;
}

#[tokio::test]
async fn session_stream_walks_every_page() {
    each_backend(async |env| {
        let ann = user(env, "ann@example.com").await;
        let mut created = BTreeSet::new();
        for _ in 0..12 {
            let session = sign_in(env, &ann.id).await;
            created.insert(session.id);
        }
        let before = env.proxy.checked();
        let streamed: Vec<Session> = env
            .clerk
            .sessions()
            .stream(ListSessions::new().user_id(&ann.id).limit(5))
            .try_collect()
            .await
            .unwrap();
        let ids: BTreeSet<String> = streamed.into_iter().map(|s| s.id).collect();
        assert_eq!(ids, created);
        // 5 + 5 + 2; the total tells the stream to stop after the third page.
        assert_eq!(env.proxy.checked() - before, 3);
    })
    .await;
}

#[tokio::test]
async fn tokens_by_version_expiry_and_template() {
    each_backend(async |env| {
        let ann = user(env, "ann@example.com").await;
        let session = sign_in(env, &ann.id).await;

        let token = env
            .clerk
            .sessions()
            .create_token(&session.id, CreateSessionToken::new())
            .await
            .unwrap();
        assert_eq!(token.object.as_deref(), Some("token"));
        let jwt = token.jwt.expect("a jwt");
        let v2 = claims(&jwt);
        assert_eq!(v2["sub"], ann.id.as_str());
        assert_eq!(v2["sid"], session.id.as_str());
        assert_eq!(v2["iss"], env.server.issuer());
        assert_eq!(v2["v"], 2);
        assert_eq!(v2["sts"], "active");
        assert!(v2["jti"].is_string());
        assert_eq!(
            v2["exp"].as_i64().unwrap() - v2["iat"].as_i64().unwrap(),
            60
        );
        assert_eq!(
            v2["iat"].as_i64().unwrap() - v2["nbf"].as_i64().unwrap(),
            10
        );

        // Before 2025-04-10: version 1 claims.
        let legacy = env.clerk_with_version("2024-10-01");
        let v1 = claims(
            &legacy
                .sessions()
                .create_token(&session.id, CreateSessionToken::new())
                .await
                .unwrap()
                .jwt
                .unwrap(),
        );
        assert_eq!(v1["sid"], session.id.as_str());
        assert_eq!(v1.get("v"), None, "{v1}");
        assert_eq!(v1.get("sts"), None, "{v1}");

        let long = env
            .clerk
            .sessions()
            .create_token(
                &session.id,
                CreateSessionToken::new().expires_in_seconds(3600),
            )
            .await
            .unwrap();
        let long = claims(&long.jwt.unwrap());
        assert_eq!(
            long["exp"].as_i64().unwrap() - long["iat"].as_i64().unwrap(),
            3600
        );

        let err = api_error(
            env.clerk
                .sessions()
                .create_token(&session.id, CreateSessionToken::new().template("supabase"))
                .await,
            404,
            "resource_not_found",
        );
        assert!(
            err.errors()[0]
                .long_message
                .as_deref()
                .unwrap_or_default()
                .contains("supabase")
        );
        api_error(
            env.clerk
                .sessions()
                .create_token("sess_missing", CreateSessionToken::new())
                .await,
            404,
            "resource_not_found",
        );
        api_error(
            env.clerk
                .sessions()
                .create_token(&session.id, CreateSessionToken::new().expires_in_seconds(5))
                .await,
            422,
            "form_param_value_invalid",
        );

        env.clerk.sessions().revoke(&session.id).await.unwrap();
        api_error(
            env.clerk
                .sessions()
                .create_token(&session.id, CreateSessionToken::new())
                .await,
            401,
            "authentication_invalid",
        );
        // The local extension still mints one, for testing verifiers.
        let minted: Value = env
            .clerk
            .request(
                Method::POST,
                &format!("/_local/sessions/{}/tokens", session.id),
                &[],
                Some(serde_json::json!({"claims": {"azp": "https://app.example"}})),
            )
            .await
            .unwrap();
        let minted = claims(minted["jwt"].as_str().unwrap());
        assert_eq!(minted["azp"], "https://app.example");
        assert_eq!(
            minted["sts"], "active",
            "claims as asked, whatever the status"
        );
    })
    .await;
}
