//! `/v1/sessions`: create, list, get, revoke, expiry, tokens and verify.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Api, claims, each_backend, each_backend_with, jwt_header, verify_with_jwks};

const SESSION_KEYS: &[&str] = &[
    "object",
    "id",
    "user_id",
    "client_id",
    "status",
    "last_active_at",
    "expire_at",
    "abandon_at",
    "updated_at",
    "created_at",
];

#[tokio::test]
async fn create_get_and_list() {
    each_backend(async |api: &mut Api| {
        let user = api.user(json!({"email_address": ["s@example.com"]})).await;
        let uid = user["id"].as_str().unwrap();
        let session = api.session(uid).await;
        for key in SESSION_KEYS {
            assert!(!session[key].is_null(), "session.{key}");
        }
        assert_eq!(session["object"], "session");
        assert_eq!(session["status"], "active");
        assert_eq!(session["user_id"], uid);
        assert!(session["id"].as_str().unwrap().starts_with("sess_"));
        assert!(
            session["client_id"]
                .as_str()
                .unwrap()
                .starts_with("client_")
        );
        let week = 7 * 86_400_000;
        assert_eq!(
            session["expire_at"].as_i64().unwrap() - session["created_at"].as_i64().unwrap(),
            week
        );
        assert!(session["abandon_at"].as_i64() > session["expire_at"].as_i64());
        assert_eq!(session["actor"], Value::Null);
        assert_eq!(session["last_active_organization_id"], Value::Null);

        let sid = session["id"].as_str().unwrap();
        assert_eq!(api.get(&format!("/v1/sessions/{sid}")).await.ok(), &session);
        api.get("/v1/sessions/sess_missing")
            .await
            .err(404, "resource_not_found");

        api.server.advance_clock(Duration::from_secs(1));
        let second = api.session(uid).await;
        let other_user = api.user(json!({})).await;
        api.session(other_user["id"].as_str().unwrap()).await;

        let by_user = api.get(&format!("/v1/sessions?user_id={uid}")).await;
        assert!(by_user.ok().is_array());
        assert_eq!(by_user.ids(), vec![second["id"].as_str().unwrap(), sid]);
        let paginated = api
            .get(&format!(
                "/v1/sessions?user_id={uid}&paginated=true&limit=1"
            ))
            .await;
        assert_eq!(paginated.ok()["total_count"], 2);
        assert_eq!(paginated.ids(), vec![second["id"].as_str().unwrap()]);
        let by_client = api
            .get(&format!(
                "/v1/sessions?client_id={}&status=active&paginated=true",
                session["client_id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(by_client.ids(), vec![sid]);
        let python_style = api
            .get(&format!("/v1/sessions?user_id={uid}&limit=10&offset=0"))
            .await;
        assert_eq!(python_style.ids().len(), 2);

        api.get("/v1/sessions")
            .await
            .err(400, "missing_query_parameter");
        api.get(&format!("/v1/sessions?user_id={uid}&status=sleeping"))
            .await
            .err(422, "form_param_value_invalid");
        // `pending` (a Session status that Clerk's JS client filters by) is accepted and
        // matches nothing: no session here is ever pending.
        let pending = api
            .get(&format!("/v1/sessions?user_id={uid}&status=pending"))
            .await;
        assert!(pending.ids().is_empty());
        api.post("/v1/sessions", json!({"user_id": "user_missing"}))
            .await
            .err(404, "resource_not_found");
        api.post("/v1/sessions", json!({}))
            .await
            .err(422, "form_param_missing");
        api.post("/v1/sessions", json!({"user_id": uid, "device": "x"}))
            .await
            .err(422, "form_param_unknown");

        // The active organization must exist and have the user as a member.
        api.post(
            "/v1/sessions",
            json!({"user_id": uid, "active_organization_id": "org_123"}),
        )
        .await
        .err(404, "organization_not_found_or_unauthorized");
        let org = api
            .post("/v1/organizations", json!({"name": "Elsewhere"}))
            .await
            .ok()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        api.post(
            "/v1/sessions",
            json!({"user_id": uid, "active_organization_id": org}),
        )
        .await
        .err(404, "organization_not_found_or_unauthorized");
        api.post(
            &format!("/v1/organizations/{org}/memberships"),
            json!({"user_id": uid, "role": "org:member"}),
        )
        .await
        .ok();
        let with_org = api
            .post(
                "/v1/sessions",
                json!({"user_id": uid, "active_organization_id": org}),
            )
            .await;
        assert_eq!(with_org.ok()["last_active_organization_id"], json!(org));

        // Deleting the user removes its sessions.
        api.delete(&format!("/v1/users/{uid}")).await.ok();
        api.get(&format!("/v1/sessions/{sid}"))
            .await
            .err(404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn revoke_and_expiry() {
    each_backend_with(
        || clerk_server::Config::default().with_session_lifetime(Duration::from_secs(60)),
        async |api: &mut Api| {
            let user = api.user(json!({})).await;
            let uid = user["id"].as_str().unwrap();
            let doomed = api.session(uid).await;
            let lasting = api.session(uid).await;
            let (doomed_id, lasting_id) = (
                doomed["id"].as_str().unwrap(),
                lasting["id"].as_str().unwrap(),
            );

            let revoked = api
                .post_empty(&format!("/v1/sessions/{doomed_id}/revoke"))
                .await;
            assert_eq!(revoked.ok()["status"], "revoked");
            api.post_empty("/v1/sessions/sess_missing/revoke")
                .await
                .err(404, "resource_not_found");
            let active = api
                .get(&format!("/v1/sessions?user_id={uid}&status=active"))
                .await;
            assert_eq!(active.ids(), vec![lasting_id]);
            let revoked_list = api
                .get(&format!("/v1/sessions?user_id={uid}&status=revoked"))
                .await;
            assert_eq!(revoked_list.ids(), vec![doomed_id]);

            // Past expire_at the session reads, lists and filters as expired.
            api.server.advance_clock(Duration::from_secs(61));
            let expired = api.get(&format!("/v1/sessions/{lasting_id}")).await;
            assert_eq!(expired.ok()["status"], "expired");
            let expired_list = api
                .get(&format!("/v1/sessions?user_id={uid}&status=expired"))
                .await;
            assert_eq!(expired_list.ids(), vec![lasting_id]);
            assert!(
                api.get(&format!("/v1/sessions?user_id={uid}&status=active"))
                    .await
                    .ids()
                    .is_empty()
            );
            let all = api.get(&format!("/v1/sessions?user_id={uid}")).await;
            let statuses: Vec<&str> = all
                .ok()
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["status"].as_str().unwrap())
                .collect();
            assert_eq!(statuses, vec!["expired", "revoked"]);

            // Revoking an expired session leaves it expired; tokens are refused for both.
            let still = api
                .post_empty(&format!("/v1/sessions/{lasting_id}/revoke"))
                .await;
            assert_eq!(still.ok()["status"], "expired");
            for sid in [doomed_id, lasting_id] {
                let resp = api.post_empty(&format!("/v1/sessions/{sid}/tokens")).await;
                resp.err(401, "authentication_invalid");
            }
        },
    )
    .await;
}

#[tokio::test]
async fn tokens_follow_the_api_version() {
    each_backend(async |api: &mut Api| {
        let user = api.user(json!({})).await;
        let uid = user["id"].as_str().unwrap().to_owned();
        let session = api.session(&uid).await;
        let sid = session["id"].as_str().unwrap().to_owned();
        let jwks = api.get("/v1/jwks").await.ok().clone();

        // No version: 2021-02-05, v1 claims. A JS-style empty POST works.
        let resp = api.post_empty(&format!("/v1/sessions/{sid}/tokens")).await;
        let token = resp.ok();
        assert_eq!(token["object"], "token");
        let jwt = token["jwt"].as_str().unwrap();
        assert!(verify_with_jwks(jwt, &jwks));
        let header = jwt_header(jwt);
        assert_eq!(header["alg"], "RS256");
        assert_eq!(header["typ"], "JWT");
        assert_eq!(header["kid"], jwks["keys"][0]["kid"]);
        let c = claims(jwt);
        assert_eq!(c["sub"], uid.as_str());
        assert_eq!(c["sid"], sid.as_str());
        assert_eq!(c["iss"], api.server.issuer());
        let iat = c["iat"].as_i64().unwrap();
        assert_eq!(c["nbf"].as_i64().unwrap(), iat - 10);
        assert_eq!(c["exp"].as_i64().unwrap(), iat + 60);
        assert!(c.get("azp").is_none(), "Backend API tokens carry no azp");
        assert!(c.get("v").is_none() && c.get("sts").is_none() && c.get("jti").is_none());
        assert_eq!(c["fva"], json!([0, -1]));

        // 2025-04-10 and later: v2 claims. Python's `{}` body works.
        api.version("2025-04-10");
        let resp = api
            .post(&format!("/v1/sessions/{sid}/tokens"), json!({}))
            .await;
        let jwt = resp.ok()["jwt"].as_str().unwrap().to_owned();
        let c = claims(&jwt);
        assert_eq!(c["v"], 2);
        assert_eq!(c["sts"], "active");
        assert!(c["jti"].is_string());
        assert!(verify_with_jwks(&jwt, &jwks));

        // expires_in_seconds, within the spec's bounds.
        let resp = api
            .post(
                &format!("/v1/sessions/{sid}/tokens"),
                json!({"expires_in_seconds": 120}),
            )
            .await;
        let c = claims(resp.ok()["jwt"].as_str().unwrap());
        assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 120);
        for bad in [
            json!({"expires_in_seconds": 5}),
            json!({"expires_in_seconds": 315_360_001}),
        ] {
            api.post(&format!("/v1/sessions/{sid}/tokens"), bad)
                .await
                .err(422, "form_param_value_invalid");
        }
        api.post(
            &format!("/v1/sessions/{sid}/tokens"),
            json!({"expires_in_seconds": "soon"}),
        )
        .await
        .err(422, "form_param_type_invalid");
        api.post(
            &format!("/v1/sessions/{sid}/tokens"),
            json!({"template": "x"}),
        )
        .await
        .err(422, "form_param_unknown");

        // Organization claims follow the version too.
        let org = api
            .post(
                "/v1/organizations",
                json!({"name": "Nine", "slug": "nine", "created_by": uid}),
            )
            .await
            .ok()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let org_session = api
            .post(
                "/v1/sessions",
                json!({"user_id": uid, "active_organization_id": org}),
            )
            .await;
        let org_sid = org_session.ok()["id"].as_str().unwrap().to_owned();
        let v2 = claims(
            api.post_empty(&format!("/v1/sessions/{org_sid}/tokens"))
                .await
                .ok()["jwt"]
                .as_str()
                .unwrap(),
        );
        // The system permissions of org:admin stay out of tokens.
        assert_eq!(v2["o"], json!({"id": org, "slg": "nine", "rol": "admin"}));
        assert!(v2.get("fea").is_none());
        api.version("2024-10-01");
        let v1 = claims(
            api.post_empty(&format!("/v1/sessions/{org_sid}/tokens"))
                .await
                .ok()["jwt"]
                .as_str()
                .unwrap(),
        );
        assert_eq!(v1["org_id"], json!(org));
        assert_eq!(v1["org_slug"], "nine");
        assert_eq!(v1["org_role"], "org:admin");
        assert_eq!(v1["org_permissions"], json!([]));

        // An unknown template is 404 naming it; unknown sessions are 404.
        let resp = api
            .post_empty(&format!("/v1/sessions/{sid}/tokens/hasura"))
            .await;
        resp.err(404, "resource_not_found");
        assert!(
            resp.json["errors"][0]["long_message"]
                .as_str()
                .unwrap()
                .contains("hasura")
        );
        api.post_empty("/v1/sessions/sess_missing/tokens")
            .await
            .err(404, "resource_not_found");
        api.post_empty("/v1/sessions/sess_missing/tokens/hasura")
            .await
            .err(404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn verify_before_and_after_2025_04_10() {
    each_backend(async |api: &mut Api| {
        let user = api.user(json!({})).await;
        let uid = user["id"].as_str().unwrap();
        let session = api.session(uid).await;
        let sid = session["id"].as_str().unwrap().to_owned();
        let other = api.session(uid).await;
        let other_sid = other["id"].as_str().unwrap().to_owned();
        let token = api
            .post_empty(&format!("/v1/sessions/{sid}/tokens"))
            .await
            .ok()["jwt"]
            .as_str()
            .unwrap()
            .to_owned();

        let verified = api
            .post(
                &format!("/v1/sessions/{sid}/verify"),
                json!({"token": token}),
            )
            .await;
        assert_eq!(verified.ok()["id"], sid.as_str());
        api.post(
            &format!("/v1/sessions/{other_sid}/verify"),
            json!({"token": token}),
        )
        .await
        .err(400, "invalid_session_token");
        api.post(
            &format!("/v1/sessions/{sid}/verify"),
            json!({"token": "garbage"}),
        )
        .await
        .err(400, "invalid_session_token");
        api.post(&format!("/v1/sessions/{sid}/verify"), json!({}))
            .await
            .err(400, "invalid_session_token");
        api.post("/v1/sessions/sess_missing/verify", json!({"token": token}))
            .await
            .err(404, "resource_not_found");
        // A tampered payload fails the signature.
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        let mut c = claims(&token);
        c["sub"] = json!("user_someone_else");
        use base64::Engine;
        parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(c.to_string());
        api.post(
            &format!("/v1/sessions/{sid}/verify"),
            json!({"token": parts.join(".")}),
        )
        .await
        .err(400, "invalid_session_token");
        // An expired token is refused; a revoked session too.
        api.server.advance_clock(Duration::from_secs(120));
        api.post(
            &format!("/v1/sessions/{sid}/verify"),
            json!({"token": token}),
        )
        .await
        .err(400, "invalid_session_token");
        let fresh = api
            .post_empty(&format!("/v1/sessions/{sid}/tokens"))
            .await
            .ok()["jwt"]
            .clone();
        api.post_empty(&format!("/v1/sessions/{sid}/revoke"))
            .await
            .ok();
        api.post(
            &format!("/v1/sessions/{sid}/verify"),
            json!({"token": fresh}),
        )
        .await
        .err(400, "invalid_session_token");

        for version in ["2025-04-10", "2025-11-10", "2026-05-12"] {
            api.version(version);
            api.post(
                &format!("/v1/sessions/{other_sid}/verify"),
                json!({"token": token}),
            )
            .await
            .err(410, "operation_deprecated");
        }
    })
    .await;
}

#[tokio::test]
async fn local_mint_sets_chosen_claims() {
    each_backend(async |api: &mut Api| {
        let user = api.user(json!({})).await;
        let session = api.session(user["id"].as_str().unwrap()).await;
        let sid = session["id"].as_str().unwrap();
        let jwks = api.get("/.well-known/jwks.json").await.ok().clone();

        let jwt = api
            .server
            .mint_token(
                sid,
                json!({
                    "azp": "https://app.example.com",
                    "iss": "https://clerk.example.com",
                    "exp": 1,
                    "sts": "pending",
                    "act": {"sub": "user_admin", "iss": "https://dashboard.clerk.com"},
                    "o": {"id": "org_1", "rol": "admin", "slg": "acme"},
                    "jti": null,
                }),
            )
            .await;
        assert!(verify_with_jwks(&jwt, &jwks));
        let c = claims(&jwt);
        assert_eq!(c["azp"], "https://app.example.com");
        assert_eq!(c["iss"], "https://clerk.example.com");
        assert_eq!(c["exp"], 1);
        assert_eq!(c["sts"], "pending");
        assert_eq!(c["act"]["sub"], "user_admin");
        assert_eq!(c["o"]["rol"], "admin");
        assert!(c.get("jti").is_none(), "null removes a claim");
        assert_eq!(c["sid"], sid);

        // Works for sessions that are no longer active, for testing verifiers.
        api.post_empty(&format!("/v1/sessions/{sid}/revoke"))
            .await
            .ok();
        let resp = api
            .post(
                &format!("/v1/_local/sessions/{sid}/tokens"),
                json!({"expires_in_seconds": 300}),
            )
            .await;
        let c = claims(resp.ok()["jwt"].as_str().unwrap());
        assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 300);
        api.post(
            &format!("/v1/_local/sessions/{sid}/tokens"),
            json!({"claims": [1]}),
        )
        .await
        .err(422, "form_param_type_invalid");
        api.post_empty("/v1/_local/sessions/sess_missing/tokens")
            .await
            .err(404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn test_server_helpers_give_a_valid_token_in_three_lines() {
    let server = clerk_server::TestServer::start().await;
    let user = server.create_user("three@example.com").await;
    let session = server.create_session(&user.id).await;
    let token = server.session_token(&session.id).await;

    let jwks = crate::common::http_client()
        .get(server.jwks_url())
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert!(verify_with_jwks(&token, &jwks));
    let c = claims(&token);
    assert_eq!(c["sub"], user.id.as_str());
    assert_eq!(c["sid"], session.id.as_str());
    assert_eq!(c["v"], 2);
    assert_eq!(
        session.client_id,
        session.json["client_id"].as_str().unwrap()
    );
    server.shutdown().await;
}
