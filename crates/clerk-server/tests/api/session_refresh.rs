//! `POST /v1/sessions/{id}/refresh` and the local refresh tokens it checks.

use serde_json::{Value, json};

use crate::common::{Api, claims, each_backend};

const ORIGIN: &str = "http://localhost:3000";

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// A token of `sid` with these claims replaced (signed by the instance).
async fn token(api: &Api, sid: &str, claims: Value) -> String {
    let minted = api
        .post(
            &format!("/v1/_local/sessions/{sid}/tokens"),
            json!({ "claims": claims }),
        )
        .await;
    minted.ok()["jwt"].as_str().unwrap().to_owned()
}

async fn refresh_token(api: &Api, sid: &str) -> String {
    let minted = api
        .post_empty(&format!("/v1/_local/sessions/{sid}/refresh_token"))
        .await;
    assert_eq!(minted.ok()["object"], "refresh_token");
    minted.ok()["refresh_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_session_is_refreshed_with_its_expired_token_and_refresh_token() {
    each_backend(async |api: &mut Api| {
        let uid = id(&api
            .user(json!({"email_address": ["refresh@example.com"]}))
            .await);
        let sid = id(&api.session(&uid).await);
        let expired = token(api, &sid, json!({"exp": 1_000_000_000, "azp": ORIGIN})).await;
        let refresh = refresh_token(api, &sid).await;
        let path = format!("/v1/sessions/{sid}/refresh");
        let body = |extra: Value| {
            let mut body = json!({
                "expired_token": expired,
                "refresh_token": refresh,
                "request_origin": ORIGIN,
            });
            body.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            body
        };

        let fresh = api.post(&path, body(json!({}))).await;
        assert_eq!(fresh.ok()["object"], "token");
        let jwt = fresh.ok()["jwt"].as_str().unwrap();
        let c = claims(jwt);
        assert_eq!(c["sid"], json!(sid));
        assert_eq!(c["sub"], json!(uid));
        assert!(c["exp"].as_i64().unwrap() > 1_000_000_000);

        let cookies = api
            .post(
                &path,
                body(json!({
                    "format": "cookie",
                    "request_headers": {"cookie": ["x"]},
                    "request_originating_ip": "127.0.0.1",
                })),
            )
            .await;
        assert_eq!(cookies.ok()["object"], "cookies");
        let cookie = cookies.ok()["cookies"][0].as_str().unwrap();
        assert!(cookie.starts_with("__session=ey"), "{cookie}");
        assert!(cookie.contains("; Path=/"), "{cookie}");

        // Refusals: 401 with why.
        let refused = async |api: &Api, body: Value, code: &str| {
            let answer = api.post(&path, body).await;
            answer.err(401, code);
        };
        refused(
            api,
            body(json!({"refresh_token": "nope"})),
            "refresh_token_invalid",
        )
        .await;
        refused(
            api,
            body(json!({"expired_token": "not.a.jwt"})),
            "token_invalid",
        )
        .await;
        let other_sid = id(&api.session(&uid).await);
        let other = token(api, &other_sid, json!({})).await;
        refused(api, body(json!({"expired_token": other})), "token_invalid").await;
        refused(
            api,
            body(json!({"request_origin": "https://elsewhere.example"})),
            "token_invalid",
        )
        .await;
        // A new refresh token replaces the old one.
        let newer = refresh_token(api, &sid).await;
        refused(api, body(json!({})), "refresh_token_invalid").await;
        api.post(&path, body(json!({"refresh_token": newer})))
            .await
            .ok();
        // A revoked session is not refreshed.
        api.post_empty(&format!("/v1/sessions/{sid}/revoke"))
            .await
            .ok();
        refused(
            api,
            body(json!({"refresh_token": newer})),
            "session_not_active",
        )
        .await;

        // Bad input: 400 (the operation declares no 422).
        api.post(&path, json!({"expired_token": expired}))
            .await
            .err(400, "form_param_missing");
        api.post(&path, body(json!({"request_origin": "localhost"})))
            .await
            .err(400, "form_param_format_invalid");
        api.post(&path, body(json!({"format": "xml"})))
            .await
            .err(400, "form_param_value_invalid");
        let missing = api
            .post("/v1/sessions/sess_missing/refresh", body(json!({})))
            .await;
        let error = missing.err(404, "resource_not_found");
        assert!(
            error["long_message"]
                .as_str()
                .unwrap()
                .contains("sess_missing")
        );
        api.post_empty("/v1/_local/sessions/sess_missing/refresh_token")
            .await
            .err(404, "resource_not_found");
    })
    .await;
}
