//! `POST /v1/sessions/{id}/refresh` through the SDK's typed method, with the refresh token
//! and an expired session token from the server's local extensions. The proxy checks every
//! answer against the spec.

use clerk_sdk::{Method, RefreshFormat, RefreshSession};
use e2e::each_backend;
use serde_json::json;

use crate::support::{api_error, claims, local, sign_in, user};

const ORIGIN: &str = "http://localhost:3000";

#[tokio::test]
async fn an_expired_session_token_is_refreshed() {
    each_backend(async |env| {
        let target = user(env, "refresh@example.com").await;
        let session = sign_in(env, &target.id).await;
        let expired = local(
            env,
            Method::POST,
            &format!("/_local/sessions/{}/tokens", session.id),
            Some(json!({"claims": {"exp": 1_000_000_000}})),
        )
        .await["jwt"]
            .as_str()
            .unwrap()
            .to_owned();
        let refresh = local(
            env,
            Method::POST,
            &format!("/_local/sessions/{}/refresh_token", session.id),
            None,
        )
        .await["refresh_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let sessions = env.clerk.sessions();

        let answer = sessions
            .refresh(&session.id, RefreshSession::new(&expired, &refresh, ORIGIN))
            .await
            .unwrap();
        let jwt = answer.session_token().unwrap();
        assert_eq!(claims(jwt)["sid"], json!(session.id));
        env.clerk.verify_token(jwt).await.unwrap();

        let cookies = sessions
            .refresh(
                &session.id,
                RefreshSession::new(&expired, &refresh, ORIGIN).format(RefreshFormat::Cookie),
            )
            .await
            .unwrap();
        assert_eq!(cookies.object.as_deref(), Some("cookies"));
        assert!(cookies.session_token().is_some());

        // The documented error: a refresh token that is not the session's is 401.
        api_error(
            sessions
                .refresh(&session.id, RefreshSession::new(&expired, "wrong", ORIGIN))
                .await,
            401,
            "refresh_token_invalid",
        );
        api_error(
            sessions
                .refresh(
                    "sess_missing",
                    RefreshSession::new(&expired, &refresh, ORIGIN),
                )
                .await,
            404,
            "resource_not_found",
        );
    })
    .await;
}
