//! Clients: list (and stream), get, and verify with a client token from the
//! local extension.

use std::collections::BTreeSet;

use clerk_sdk::{Client, ListClients, Method, SessionStatus};
use e2e::{Env, each_backend};
use futures_util::TryStreamExt;
use serde_json::{Value, json};

use crate::support::{api_error, local, sign_in, user};

/// A client token for `client_id`, minted by the server's local extension.
async fn client_token(env: &Env, client_id: &str, body: Option<Value>) -> String {
    let answer = local(
        env,
        Method::POST,
        &format!("/_local/clients/{client_id}/token"),
        body,
    )
    .await;
    assert_eq!(answer["object"], "token");
    answer["jwt"].as_str().expect("a jwt").to_owned()
}

#[tokio::test]
async fn list_get_and_stream() {
    each_backend(async |env| {
        let clients = env.clerk.clients();
        let ann = user(env, "ann@example.com").await;
        let mut made = BTreeSet::new();
        for _ in 0..7 {
            let session = sign_in(env, &ann.id).await;
            made.insert(session.client_id);
        }

        let page = clients.list(ListClients::new().limit(3)).await.unwrap();
        assert_eq!(page.total_count, Some(7));
        assert_eq!(page.len(), 3);

        let before = env.proxy.checked();
        let all: Vec<Client> = clients
            .stream(ListClients::new().limit(3))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(env.proxy.checked() - before, 3, "3 + 3 + 1");
        let ids: BTreeSet<String> = all.iter().map(|c| c.id.clone()).collect();
        assert_eq!(ids, made);

        let one = &all[0];
        let fetched = clients.get(&one.id).await.unwrap();
        assert_eq!(fetched.object, "client");
        assert_eq!(fetched.session_ids.len(), 1);
        assert_eq!(fetched.sessions[0].id, fetched.session_ids[0]);
        assert_eq!(fetched.sessions[0].status, SessionStatus::Active);
        assert_eq!(
            fetched.last_active_session_id.as_deref(),
            Some(fetched.session_ids[0].as_str())
        );
        api_error(
            clients.get("client_missing").await,
            404,
            "resource_not_found",
        );
    })
    .await;
}

#[tokio::test]
async fn verify_a_client_token() {
    each_backend(async |env| {
        let clients = env.clerk.clients();
        let ann = user(env, "ann@example.com").await;
        let session = sign_in(env, &ann.id).await;

        let token = client_token(env, &session.client_id, None).await;
        let verified = clients.verify_token(&token).await.unwrap();
        assert_eq!(verified.id, session.client_id);
        assert_eq!(verified.session_ids, std::slice::from_ref(&session.id));

        api_error(
            clients.verify_token("not-a-client-token").await,
            400,
            "cookie_invalid",
        );
        // A token with a flipped signature byte.
        let mut forged = token.clone().into_bytes();
        let last = forged.len() - 2;
        forged[last] = if forged[last] == b'A' { b'B' } else { b'A' };
        api_error(
            clients
                .verify_token(std::str::from_utf8(&forged).unwrap())
                .await,
            400,
            "cookie_invalid",
        );
        // A session token is not a client token.
        let session_token = env.server.session_token(&session.id).await;
        api_error(
            clients.verify_token(&session_token).await,
            400,
            "cookie_invalid",
        );

        // Expired.
        let short = client_token(
            env,
            &session.client_id,
            Some(json!({"expires_in_seconds": 60})),
        )
        .await;
        env.server
            .advance_clock(std::time::Duration::from_secs(120));
        api_error(clients.verify_token(&short).await, 400, "cookie_invalid");

        // A valid token for a client that no longer exists... clients outlive their
        // users here (as in Clerk), so the token still verifies, with no sessions.
        env.clerk.users().delete(&ann.id).await.unwrap();
        let orphan = clients.verify_token(&token).await.unwrap();
        assert!(orphan.sessions.is_empty());

        api_error(
            env.clerk
                .request::<Value>(
                    Method::POST,
                    "/_local/clients/client_missing/token",
                    &[],
                    None,
                )
                .await,
            404,
            "resource_not_found",
        );
    })
    .await;
}
