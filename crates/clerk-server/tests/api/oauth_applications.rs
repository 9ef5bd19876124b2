//! OAuth applications and their access tokens: every operation, the local issuing endpoint,
//! verification (opaque and JWT, with and without `/v1`) and its hostile cases.

use std::time::Duration;

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::common::{Api, claims, each_backend, jwt_header, verify_with_jwks};

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

async fn create_app(api: &Api, body: Value) -> Value {
    api.post("/v1/oauth_applications", body).await.ok().clone()
}

async fn issue(api: &Api, app: &str, body: Value) -> crate::common::Resp {
    api.post(
        &format!("/v1/_local/oauth_applications/{app}/access_tokens"),
        body,
    )
    .await
}

#[tokio::test]
async fn create_list_get_update_logo_rotate_delete() {
    each_backend(async |api: &mut Api| {
        let base = api.server.issuer().trim_end_matches('/').to_owned();
        let created = create_app(
            api,
            json!({"name": "Zapier", "redirect_uris": ["https://zapier.example/cb"], "public": false}),
        )
        .await;
        assert_eq!(created["object"], "oauth_application");
        let app = id(&created);
        assert!(app.starts_with("oa_"), "{app}");
        assert!(created["instance_id"].as_str().unwrap().starts_with("ins_"));
        assert_eq!(created["scopes"], "profile email");
        assert_eq!(created["consent_screen_enabled"], true);
        assert_eq!(created["pkce_required"], false);
        assert_eq!(created["dynamically_registered"], false);
        assert_eq!(created["callback_url"], "https://zapier.example/cb");
        assert_eq!(created["authorize_url"], format!("{base}/oauth/authorize"));
        assert_eq!(created["token_fetch_url"], format!("{base}/oauth/token"));
        assert_eq!(created["client_image_url"], Value::Null);
        let secret = created["client_secret"].as_str().unwrap().to_owned();
        assert_eq!(secret.len(), 32);

        // As the Python client creates one: its defaults, scopes as a string.
        let python = create_app(
            api,
            json!({"name": "Py", "redirect_uris": [], "scopes": "profile  email openid",
                   "consent_screen_enabled": true, "pkce_required": false, "public": true}),
        )
        .await;
        assert_eq!(python["scopes"], "profile email openid");
        assert_eq!(python["public"], true);
        assert!(python.get("client_secret").is_none(), "public: no secret");
        assert_eq!(python["callback_url"], "");

        let path = format!("/v1/oauth_applications/{app}");
        let shown = api.get(&path).await.ok().clone();
        assert!(shown.get("client_secret").is_none(), "shown once");
        assert_eq!(shown["client_id"], created["client_id"]);

        let list = api.get("/v1/oauth_applications").await;
        assert_eq!(list.ok()["total_count"], 2);
        assert_eq!(list.ids(), vec![app.clone(), id(&python)], "oldest first");
        let newest = api
            .get("/v1/oauth_applications?order_by=-created_at&limit=1")
            .await;
        assert_eq!(newest.ids(), vec![id(&python)]);
        let named = api.get("/v1/oauth_applications?name_query=zap").await;
        assert_eq!(named.ids(), vec![app.clone()]);

        let updated = api
            .patch(&path, json!({"name": "Zapier 2", "scopes": "profile", "pkce_required": true}))
            .await
            .ok()
            .clone();
        assert_eq!(updated["name"], "Zapier 2");
        assert_eq!(updated["scopes"], "profile");
        assert_eq!(updated["pkce_required"], true);
        assert_eq!(updated["redirect_uris"], json!(["https://zapier.example/cb"]));

        // The logo, through the images store.
        let form = Form::new()
            .part("file", Part::bytes(PNG.to_vec()).file_name("blob"))
            .text("uploader_user_id", "user_x");
        let logo = api
            .send(
                api.request(Method::PUT, &format!("{path}/logo"))
                    .multipart(form),
            )
            .await;
        let url = logo.ok()["client_image_url"].as_str().unwrap().to_owned();
        assert!(url.contains("/images/img_"), "{url}");
        let served = crate::common::http_client().get(&url).send().await.unwrap();
        assert_eq!(served.bytes().await.unwrap().as_ref(), PNG);
        let no_file = api
            .send(
                api.request(Method::PUT, &format!("{path}/logo"))
                    .multipart(Form::new().text("uploader_user_id", "user_x")),
            )
            .await;
        no_file.err(400, "form_param_missing");

        let rotated = api
            .post_empty(&format!("{path}/rotate_secret"))
            .await
            .ok()
            .clone();
        let new_secret = rotated["client_secret"].as_str().unwrap();
        assert_ne!(new_secret, secret);

        assert_eq!(
            api.delete(&path).await.ok(),
            &json!({"object": "oauth_application", "id": app, "deleted": true})
        );
        for gone in [
            api.get(&path).await,
            api.delete(&path).await,
            api.patch(&path, json!({"name": "x"})).await,
            api.post_empty(&format!("{path}/rotate_secret")).await,
            api.post(&format!("{path}/revoke_token"), json!({"token": "oat_x"}))
                .await,
        ] {
            let error = gone.err(404, "resource_not_found");
            assert_eq!(
                error["long_message"],
                format!("No oauth application was found with id {app}")
            );
        }
        api.post("/v1/oauth_applications", json!({"name": "  "}))
            .await
            .err(422, "form_param_value_invalid");
        api.post(
            "/v1/oauth_applications",
            json!({"name": "bad", "redirect_uris": ["javascript://x"]}),
        )
        .await
        .err(422, "form_param_format_invalid");
    })
    .await;
}

#[tokio::test]
async fn access_tokens_issue_verify_revoke() {
    each_backend(async |api: &mut Api| {
        let ann = api
            .user(json!({"email_address": ["ann@example.com"]}))
            .await;
        let ann = id(&ann);
        let app = create_app(api, json!({"name": "App", "scopes": "profile email"})).await;
        let app_id = id(&app);

        // Opaque.
        let issued = issue(api, &app_id, json!({"user_id": ann, "scopes": ["email"]})).await;
        let issued = issued.ok().clone();
        let token = issued["token"].as_str().unwrap().to_owned();
        assert!(token.starts_with("oat_"), "{token}");
        let verified = api
            .post(
                "/oauth_applications/access_tokens/verify",
                json!({"access_token": token}),
            )
            .await
            .ok()
            .clone();
        assert_eq!(verified["object"], "clerk_idp_oauth_access_token");
        assert_eq!(verified["id"], issued["id"]);
        assert_eq!(verified["subject"], ann);
        assert_eq!(verified["client_id"], app["client_id"]);
        assert_eq!(verified["scopes"], json!(["email"]));
        assert_eq!(verified["revoked"], false);
        // The deprecated `secret`, and /v1.
        api.post(
            "/v1/oauth_applications/access_tokens/verify",
            json!({"secret": token}),
        )
        .await
        .ok();

        // JWT: typ at+jwt, signed by the instance's keys.
        let jwt_issued = issue(
            api,
            &app_id,
            json!({"user_id": ann, "format": "jwt", "expires_in_seconds": 60}),
        )
        .await
        .ok()
        .clone();
        let jwt = jwt_issued["token"].as_str().unwrap().to_owned();
        assert_eq!(jwt_header(&jwt)["typ"], "at+jwt");
        let c = claims(&jwt);
        assert_eq!(c["sub"], ann);
        assert_eq!(c["client_id"], app["client_id"]);
        assert_eq!(c["scope"], "profile email");
        assert_eq!(c["jti"], jwt_issued["id"]);
        assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 60);
        let jwks = api.get("/v1/jwks").await.ok().clone();
        assert!(verify_with_jwks(&jwt, &jwks));
        let verified = api
            .post(
                "/oauth_applications/access_tokens/verify",
                json!({"access_token": jwt}),
            )
            .await
            .ok()
            .clone();
        assert_eq!(verified["id"], jwt_issued["id"]);

        // Revoked: the opaque token is 404, the JWT inactive. Revoking again is no error.
        let revoke = format!("/v1/oauth_applications/{app_id}/revoke_token");
        for t in [&token, &jwt] {
            let resp = api.post(&revoke, json!({"token": t})).await;
            assert_eq!(resp.status, 204, "{}", resp.text);
            assert!(resp.text.is_empty());
        }
        assert_eq!(api.post(&revoke, json!({"token": token})).await.status, 204);
        api.post(
            "/oauth_applications/access_tokens/verify",
            json!({"access_token": token}),
        )
        .await
        .err(404, "oauth_access_token_revoked");
        assert_eq!(
            api.post(
                "/oauth_applications/access_tokens/verify",
                json!({"access_token": jwt}),
            )
            .await
            .ok(),
            &json!({"active": false})
        );

        // Expired.
        let short = issue(
            api,
            &app_id,
            json!({"user_id": ann, "expires_in_seconds": 30}),
        )
        .await
        .ok()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let short_jwt = issue(
            api,
            &app_id,
            json!({"user_id": ann, "expires_in_seconds": 30, "format": "jwt"}),
        )
        .await
        .ok()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        api.server.advance_clock(Duration::from_secs(31));
        api.post(
            "/oauth_applications/access_tokens/verify",
            json!({"access_token": short}),
        )
        .await
        .err(404, "oauth_access_token_expired");
        assert_eq!(
            api.post(
                "/oauth_applications/access_tokens/verify",
                json!({"access_token": short_jwt}),
            )
            .await
            .ok(),
            &json!({"active": false})
        );

        // Hostile: truncated, another prefix, unknown, a session token, garbage.
        let session = api.session(&ann).await;
        let session_jwt = api
            .server
            .session_token(session["id"].as_str().unwrap())
            .await;
        let fresh = issue(api, &app_id, json!({"user_id": ann})).await.ok()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        for hostile in [
            fresh[..fresh.len() - 1].to_owned(),
            format!("ak_{}", &fresh[4..]),
            format!("oat_{}", "A".repeat(48)),
            session_jwt,
            "a.b.c".to_owned(),
        ] {
            api.post(
                "/oauth_applications/access_tokens/verify",
                json!({"access_token": hostile}),
            )
            .await
            .err(404, "oauth_access_token_not_found");
        }
        api.post("/oauth_applications/access_tokens/verify", json!({}))
            .await
            .err(400, "form_param_missing");

        // Issuing: scopes within the application's, a real user, a known format.
        issue(api, &app_id, json!({"user_id": ann, "scopes": ["admin"]}))
            .await
            .err(422, "form_param_value_invalid");
        issue(api, &app_id, json!({"user_id": ann, "format": "paseto"}))
            .await
            .err(422, "form_param_value_invalid");
        issue(api, &app_id, json!({"user_id": "user_nobody"}))
            .await
            .err(404, "resource_not_found");
        issue(api, "oa_nothing", json!({"user_id": ann}))
            .await
            .err(404, "resource_not_found");

        // An application's tokens go with it.
        api.delete(&format!("/v1/oauth_applications/{app_id}"))
            .await
            .ok();
        api.post(
            "/oauth_applications/access_tokens/verify",
            json!({"access_token": fresh}),
        )
        .await
        .err(404, "oauth_access_token_not_found");
    })
    .await;
}
