//! Sign-in tokens, actor tokens, testing tokens and redeeming a ticket for a session.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Api, claims, each_backend};

#[tokio::test]
async fn sign_in_token_is_redeemed_once() {
    each_backend(async |api: &mut Api| {
        let user = api
            .user(json!({"email_address": ["ann@example.com"]}))
            .await;
        let user_id = user["id"].as_str().unwrap();
        let created = api
            .post("/v1/sign_in_tokens", json!({"user_id": user_id}))
            .await;
        let token = created.ok().clone();
        assert_eq!(token["object"], "sign_in_token");
        assert!(token["id"].as_str().unwrap().starts_with("sit_"));
        assert_eq!(token["status"], "pending");
        assert_eq!(token["user_id"], user_id);
        let ticket = token["token"].as_str().unwrap();
        assert_eq!(ticket.split('.').count(), 3, "a JWT, as Clerk's");
        let jwt = claims(ticket);
        assert_eq!(jwt["sub"], user_id);
        let lifetime = jwt["exp"].as_i64().unwrap() - jwt["iat"].as_i64().unwrap();
        assert_eq!(lifetime, 30 * 24 * 3600, "30 days by default");
        assert!(
            token["url"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/__clerk/v1/tickets/accept?ticket={ticket}"))
        );

        let redeemed = api
            .post("/v1/_local/tickets/redeem", json!({"ticket": ticket}))
            .await;
        let redemption = redeemed.ok().clone();
        assert_eq!(redemption["object"], "ticket_redemption");
        assert_eq!(redemption["ticket_type"], "sign_in_token");
        assert_eq!(redemption["user_id"], user_id);
        let session_path = format!(
            "/v1/sessions/{}",
            redemption["session_id"].as_str().unwrap()
        );
        let session = api.get(&session_path).await;
        assert_eq!(session.ok()["status"], "active");
        assert_eq!(session.ok()["user_id"], user_id);
        assert!(session.ok()["actor"].is_null());

        api.post("/v1/_local/tickets/redeem", json!({"ticket": ticket}))
            .await
            .err(400, "ticket_invalid");
        let revoke = format!(
            "/v1/sign_in_tokens/{}/revoke",
            token["id"].as_str().unwrap()
        );
        api.post_empty(&revoke)
            .await
            .err(400, "sign_in_token_not_pending");
        api.post("/v1/_local/tickets/redeem", json!({"ticket": "nope"}))
            .await
            .err(400, "ticket_invalid");
    })
    .await;
}

#[tokio::test]
async fn sign_in_token_revoke_expiry_and_errors() {
    each_backend(async |api: &mut Api| {
        let user = api
            .user(json!({"email_address": ["bob@example.com"]}))
            .await;
        let user_id = user["id"].as_str().unwrap();
        let token = api
            .post("/v1/sign_in_tokens", json!({"user_id": user_id}))
            .await
            .ok()
            .clone();
        let revoke = format!(
            "/v1/sign_in_tokens/{}/revoke",
            token["id"].as_str().unwrap()
        );
        let revoked = api.post_empty(&revoke).await;
        assert_eq!(revoked.ok()["status"], "revoked");
        assert_eq!(revoked.ok()["id"], token["id"]);
        api.post(
            "/v1/_local/tickets/redeem",
            json!({"ticket": token["token"]}),
        )
        .await
        .err(400, "ticket_invalid");

        let short = api
            .post(
                "/v1/sign_in_tokens",
                json!({"user_id": user_id, "expires_in_seconds": 60}),
            )
            .await
            .ok()
            .clone();
        api.server.advance_clock(Duration::from_secs(61));
        api.post(
            "/v1/_local/tickets/redeem",
            json!({"ticket": short["token"]}),
        )
        .await
        .err(400, "ticket_expired");

        api.post("/v1/sign_in_tokens", json!({"user_id": "user_missing"}))
            .await
            .err(404, "resource_not_found");
        api.post(
            "/v1/sign_in_tokens",
            json!({"user_id": user_id, "expires_in_seconds": 0}),
        )
        .await
        .err(422, "form_param_value_invalid");
        api.post("/v1/sign_in_tokens", json!({}))
            .await
            .err(422, "form_param_missing");
        api.post_empty("/v1/sign_in_tokens/sit_missing/revoke")
            .await
            .err(404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn concurrent_redemptions_accept_once() {
    each_backend(async |api: &mut Api| {
        let user = api.user(json!({"email_address": ["cy@example.com"]})).await;
        let user_id = user["id"].as_str().unwrap();
        let token = api
            .post("/v1/sign_in_tokens", json!({"user_id": user_id}))
            .await
            .ok()
            .clone();
        let api = &*api;
        let ticket = token["token"].clone();
        let tries = (0..8).map(|_| {
            let ticket = ticket.clone();
            async move {
                api.post("/v1/_local/tickets/redeem", json!({"ticket": ticket}))
                    .await
            }
        });
        let responses = futures_util::future::join_all(tries).await;
        let winners = responses.iter().filter(|r| r.status == 200).count();
        assert_eq!(winners, 1, "exactly one redemption wins");
        for loser in responses.iter().filter(|r| r.status != 200) {
            loser.err(400, "ticket_invalid");
        }
        let sessions = api.get(&format!("/v1/sessions?user_id={user_id}")).await;
        assert_eq!(sessions.ids().len(), 1, "one session");
    })
    .await;
}

#[tokio::test]
async fn actor_token_session_carries_act() {
    each_backend(async |api: &mut Api| {
        let user = api
            .user(json!({"email_address": ["dee@example.com"]}))
            .await;
        let user_id = user["id"].as_str().unwrap();
        let actor = json!({"sub": "user_admin", "iss": "support"});
        let created = api
            .post(
                "/v1/actor_tokens",
                json!({"user_id": user_id, "actor": actor, "session_max_duration_in_seconds": 600}),
            )
            .await;
        let token = created.ok().clone();
        assert_eq!(token["object"], "actor_token");
        assert!(token["id"].as_str().unwrap().starts_with("act_"));
        assert_eq!(token["actor"], actor);
        assert_eq!(token["status"], "pending");
        let ticket = token["token"].as_str().unwrap();
        assert!(token["url"].as_str().unwrap().contains(ticket));
        let jwt = claims(ticket);
        assert_eq!(
            jwt["exp"].as_i64().unwrap() - jwt["iat"].as_i64().unwrap(),
            3600,
            "an hour by default"
        );

        let redemption = api
            .post("/v1/_local/tickets/redeem", json!({"ticket": ticket}))
            .await
            .ok()
            .clone();
        assert_eq!(redemption["actor"], actor);
        let session_id = redemption["session_id"].as_str().unwrap();
        let session = api.get(&format!("/v1/sessions/{session_id}")).await;
        assert_eq!(session.ok()["actor"], actor);
        let expire = session.ok()["expire_at"].as_i64().unwrap();
        let created_at = session.ok()["created_at"].as_i64().unwrap();
        assert_eq!(
            expire - created_at,
            600_000,
            "the session's maximum duration"
        );
        let jwt = api
            .post(&format!("/v1/sessions/{session_id}/tokens"), json!({}))
            .await
            .ok()["jwt"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(claims(&jwt)["act"], actor, "every token carries act");

        let again = api
            .post(
                "/v1/actor_tokens",
                json!({"user_id": user_id, "actor": {"sub": "user_admin"}}),
            )
            .await
            .ok()
            .clone();
        let revoke = format!("/v1/actor_tokens/{}/revoke", again["id"].as_str().unwrap());
        assert_eq!(api.post_empty(&revoke).await.ok()["status"], "revoked");
        api.post_empty(&revoke)
            .await
            .err(400, "actor_token_not_pending");
        api.post_empty("/v1/actor_tokens/act_missing/revoke")
            .await
            .err(404, "resource_not_found");
        api.post(
            "/v1/actor_tokens",
            json!({"user_id": user_id, "actor": {"name": "no sub"}}),
        )
        .await
        .err(422, "form_param_value_invalid");
        api.post("/v1/actor_tokens", json!({"user_id": user_id}))
            .await
            .err(422, "form_param_missing");
        api.post(
            "/v1/actor_tokens",
            json!({"user_id": "user_missing", "actor": {"sub": "x"}}),
        )
        .await
        .err(400, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn testing_tokens_are_stored_and_checked() {
    each_backend(async |api: &mut Api| {
        let created = api.post_empty("/v1/testing_tokens").await;
        let token = created.ok().clone();
        assert_eq!(token["object"], "testing_token");
        let value = token["token"].as_str().unwrap();
        let expires_at = token["expires_at"].as_i64().unwrap();
        let issued: i64 = value.split('-').next().unwrap().parse().unwrap();
        assert_eq!(expires_at - issued, 3600, "seconds, an hour");
        assert_eq!(check(api, json!(value)).await, true);
        assert_eq!(check(api, json!("1-unknown")).await, false);
        api.server.advance_clock(Duration::from_secs(3601));
        assert_eq!(check(api, json!(value)).await, false, "expired");
    })
    .await;
}

async fn check(api: &Api, token: Value) -> Value {
    api.post("/v1/_local/testing_tokens/verify", json!({"token": token}))
        .await
        .ok()["valid"]
        .clone()
}

#[tokio::test]
async fn test_server_helpers_redeem_every_ticket() {
    each_backend(async |api: &mut Api| {
        let server = &api.server;
        let ann = server.create_user("ann@example.com").await;
        let signed_in = server
            .redeem_ticket(&server.sign_in_token(&ann.id).await)
            .await;
        assert_eq!(signed_in.json["user_id"], ann.id.as_str());
        let acting = server
            .redeem_ticket(&server.actor_token(&ann.id, "user_admin").await)
            .await;
        let token = server.session_token(&acting.id).await;
        assert_eq!(claims(&token)["act"]["sub"], "user_admin");
        let invited = server
            .redeem_ticket(&server.invitation_ticket("new@example.com").await)
            .await;
        assert_eq!(invited.json["user_created"], true);
    })
    .await;
}
