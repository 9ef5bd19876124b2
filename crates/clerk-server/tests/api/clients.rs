//! `/v1/clients`: list, get, verify (with the local client token extension).

use serde_json::json;

use crate::common::{Api, each_backend};

const CLIENT_KEYS: &[&str] = &[
    "object",
    "id",
    "session_ids",
    "sessions",
    "sign_in_id",
    "sign_up_id",
    "last_active_session_id",
    "last_authentication_strategy",
    "updated_at",
    "created_at",
];

#[tokio::test]
async fn list_get_and_verify() {
    each_backend(async |api: &mut Api| {
        let user = api.user(json!({})).await;
        let session = api.session(user["id"].as_str().unwrap()).await;
        let client_id = session["client_id"].as_str().unwrap().to_owned();

        let client = api.get(&format!("/v1/clients/{client_id}")).await;
        let client = client.ok();
        for key in CLIENT_KEYS {
            assert!(client.get(*key).is_some(), "client lacks {key}");
        }
        assert_eq!(client["object"], "client");
        assert_eq!(client["session_ids"], json!([session["id"]]));
        assert_eq!(client["sessions"][0], session);
        assert_eq!(client["last_active_session_id"], session["id"]);
        api.get("/v1/clients/client_missing")
            .await
            .err(404, "resource_not_found");

        let list = api.get("/v1/clients").await;
        assert_eq!(list.ids(), vec![client_id.clone()]);
        let paginated = api.get("/v1/clients?paginated=true").await;
        assert_eq!(paginated.ok()["total_count"], 1);
        assert_eq!(paginated.ids(), vec![client_id.clone()]);
        api.get("/v1/clients?limit=0")
            .await
            .err(422, "form_param_value_invalid");

        let token = api.server.client_token(&client_id).await;
        let verified = api
            .post("/v1/clients/verify", json!({"token": token}))
            .await;
        assert_eq!(verified.ok()["id"], client_id.as_str());

        api.post("/v1/clients/verify", json!({"token": "not-a-client-token"}))
            .await
            .err(400, "cookie_invalid");
        api.post("/v1/clients/verify", json!({}))
            .await
            .err(400, "form_param_missing");
        // 400, not 422: the operation declares only 400 (see declared.rs).
        api.post("/v1/clients/verify", json!({"token": token, "x": 1}))
            .await
            .err(400, "form_param_unknown");
        // A session token is not a client token.
        let session_token = api
            .server
            .session_token(session["id"].as_str().unwrap())
            .await;
        api.post("/v1/clients/verify", json!({"token": session_token}))
            .await
            .err(400, "cookie_invalid");
        // A token from another instance (another key) is refused.
        let other = clerk_server::TestServer::start().await;
        let other_user = other.create_user("o@example.com").await;
        let other_session = other.create_session(&other_user.id).await;
        let foreign = other.client_token(&other_session.client_id).await;
        api.post("/v1/clients/verify", json!({"token": foreign}))
            .await
            .err(400, "cookie_invalid");
        other.shutdown().await;
        // Expired client tokens are refused.
        let short = api
            .post(
                &format!("/v1/_local/clients/{client_id}/token"),
                json!({"expires_in_seconds": 1}),
            )
            .await;
        let short = short.ok()["jwt"].clone();
        api.server.advance_clock(std::time::Duration::from_secs(60));
        api.post("/v1/clients/verify", json!({"token": short}))
            .await
            .err(400, "cookie_invalid");
        api.post_empty("/v1/_local/clients/client_missing/token")
            .await
            .err(404, "resource_not_found");
    })
    .await;
}
