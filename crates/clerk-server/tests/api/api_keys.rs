//! API keys: every operation, with and without `/v1`, the secret at rest, and verification's
//! hostile cases.

use std::time::Duration;

use serde_json::{Value, json};
use sqlx::{Connection, Row};

use crate::common::{Api, each_backend};

/// A user's id.
async fn user(api: &Api, email: &str) -> String {
    api.user(json!({"email_address": [email]})).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// What a key's row keeps of its secret, read straight from the database.
async fn stored_secret_columns(url: &str, id: &str) -> (String, String) {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    let row = sqlx::query("SELECT secret_digest, secret_sealed FROM api_keys WHERE id = $1")
        .bind(id)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let columns = (row.get::<String, _>(0), row.get::<String, _>(1));
    conn.close().await.unwrap();
    columns
}

#[tokio::test]
async fn create_get_list_update_secret_revoke_delete() {
    each_backend(async |api: &mut Api| {
        let ann = user(api, "ann@example.com").await;
        // As `@clerk/backend` sends it: no /v1, nulls for what it was not given.
        let created = api
            .post(
                "/api_keys",
                json!({
                    "name": "ci key",
                    "subject": ann,
                    "description": null,
                    "claims": {"tier": "gold"},
                    "scopes": ["read", "write"],
                    "created_by": ann,
                    "seconds_until_expiration": 3600.0,
                }),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.text);
        let created = created.ok().clone();
        assert_eq!(created["object"], "api_key");
        assert_eq!(created["type"], "api_key");
        let id = created["id"].as_str().unwrap().to_owned();
        assert!(id.starts_with("ak_") && id.len() == 35, "{id}");
        assert!(id[3..].bytes().all(|b| b.is_ascii_hexdigit()));
        let secret = created["secret"].as_str().unwrap().to_owned();
        assert!(secret.starts_with("ak_") && secret.len() == 51, "{secret}");
        assert_eq!(created["subject"], ann);
        assert_eq!(created["claims"], json!({"tier": "gold"}));
        assert_eq!(created["scopes"], json!(["read", "write"]));
        assert_eq!(created["revoked"], false);
        assert_eq!(created["expired"], false);
        assert_eq!(
            created["expiration"].as_i64().unwrap(),
            created["created_at"].as_i64().unwrap() + 3_600_000
        );
        assert_eq!(created["last_used_at"], Value::Null);
        assert_eq!(created["created_by"], ann);

        // At rest: a digest and a sealed value, never the secret.
        let (digest, sealed) = stored_secret_columns(api.server.database_url(), &id).await;
        assert_eq!(digest.len(), 64);
        assert!(sealed.starts_with("sealed:v1:"), "{sealed}");
        assert!(!sealed.contains(&secret[3..]) && !digest.contains(&secret[3..]));

        // The same through /v1, and the secret again.
        let path = format!("/v1/api_keys/{id}");
        let shown = api.get(&path).await.ok().clone();
        assert_eq!(shown["name"], "ci key");
        assert!(shown.get("secret").is_none(), "only creation shows the secret");
        assert_eq!(api.get(&format!("/api_keys/{id}")).await.ok(), &shown);
        assert_eq!(
            api.get(&format!("{path}/secret")).await.ok(),
            &json!({"secret": secret})
        );

        // An organization's key, listed apart.
        let org = api
            .post("/v1/organizations", json!({"name": "Acme", "created_by": ann}))
            .await
            .ok()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let org_key = api
            .post("/v1/api_keys", json!({"name": "org key", "subject": org}))
            .await;
        assert_eq!(org_key.status, 201);
        assert_eq!(org_key.ok()["subject"], org);
        assert_eq!(org_key.ok()["expiration"], Value::Null);
        assert_eq!(org_key.ok()["scopes"], json!([]));

        // Lists as the Python client asks (floats, its defaults).
        let list = api
            .get(&format!(
                "/v1/api_keys?subject={ann}&limit=10.0&offset=0.0&type=api_key&include_invalid=false"
            ))
            .await;
        assert_eq!(list.ok()["total_count"], 1);
        assert_eq!(list.ids(), vec![id.clone()]);
        let found = api
            .get(&format!("/api_keys?subject={ann}&query=CI"))
            .await;
        assert_eq!(found.ids(), vec![id.clone()]);
        let none = api
            .get(&format!("/api_keys?subject={ann}&query=nothing"))
            .await;
        assert_eq!(none.ok()["total_count"], 0);

        // Update: claims cleared, scopes replaced, the expiry removed.
        let updated = api
            .patch(
                &path,
                json!({
                    "subject": ann,
                    "description": "for CI",
                    "claims": null,
                    "scopes": ["read"],
                    "seconds_until_expiration": null,
                }),
            )
            .await
            .ok()
            .clone();
        assert_eq!(updated["description"], "for CI");
        assert_eq!(updated["claims"], Value::Null);
        assert_eq!(updated["scopes"], json!(["read"]));
        assert_eq!(updated["expiration"], Value::Null);

        // Verify, with and without /v1: `last_used_at` is recorded.
        let verified = api
            .post("/api_keys/verify", json!({"secret": secret}))
            .await
            .ok()
            .clone();
        assert_eq!(verified["id"], id);
        assert_eq!(verified["subject"], ann);
        assert!(verified.get("secret").is_none());
        let used = verified["last_used_at"].as_i64().unwrap();
        assert_eq!(api.get(&path).await.ok()["last_used_at"], used);
        api.post("/v1/api_keys/verify", json!({"secret": secret}))
            .await
            .ok();

        // Revoked: refused, listed only with include_invalid.
        let revoked = api
            .post(
                &format!("{path}/revoke"),
                json!({"revocation_reason": "leaked"}),
            )
            .await
            .ok()
            .clone();
        assert_eq!(revoked["revoked"], true);
        assert_eq!(revoked["revocation_reason"], "leaked");
        api.post("/api_keys/verify", json!({"secret": secret}))
            .await
            .err(404, "api_key_revoked");
        let valid = api.get(&format!("/api_keys?subject={ann}")).await;
        assert_eq!(valid.ok()["total_count"], 0);
        let all = api
            .get(&format!("/api_keys?subject={ann}&include_invalid=true"))
            .await;
        assert_eq!(all.ids(), vec![id.clone()]);
        // As `@clerk/backend` revokes: a null reason.
        let org_id = org_key.ok()["id"].as_str().unwrap().to_owned();
        let again = api
            .post(
                &format!("/api_keys/{org_id}/revoke"),
                json!({"revocation_reason": null}),
            )
            .await;
        assert_eq!(again.ok()["revocation_reason"], Value::Null);

        // Delete; then every route names the key.
        assert_eq!(
            api.delete(&path).await.ok(),
            &json!({"object": "api_key", "id": id, "deleted": true})
        );
        for gone in [
            api.get(&path).await,
            api.delete(&path).await,
            api.get(&format!("{path}/secret")).await,
            api.post(&format!("{path}/revoke"), json!({})).await,
            api.patch(&path, json!({"scopes": []})).await,
        ] {
            let error = gone.err(404, "resource_not_found");
            assert_eq!(
                error["long_message"],
                format!("No api key was found with id {id}")
            );
        }
    })
    .await;
}

#[tokio::test]
async fn bad_input_is_refused() {
    each_backend(async |api: &mut Api| {
        let ann = user(api, "ann@example.com").await;
        let value = "form_param_value_invalid";
        for (body, param, code) in [
            (json!({"name": "ab", "subject": ann}), "name", value),
            (
                json!({"name": " padded ", "subject": ann}),
                "name",
                "form_param_format_invalid",
            ),
            (
                json!({"name": "key", "subject": "user_2xhFjEI5X2qWRvtV13BzSj8H6Dk"}),
                "subject",
                value,
            ),
            (
                json!({"name": "key", "subject": "mch_2xhFjEI5X2qWRvtV13BzSj8H6Dk"}),
                "subject",
                value,
            ),
            (
                json!({"name": "key", "subject": ann, "seconds_until_expiration": 0}),
                "seconds_until_expiration",
                value,
            ),
            (
                json!({"name": "key", "subject": ann, "description": "x".repeat(256)}),
                "description",
                value,
            ),
        ] {
            let resp = api.post("/api_keys", body).await;
            resp.err(400, code);
            assert_eq!(resp.param(), param);
        }
        api.post("/api_keys", json!({"subject": ann}))
            .await
            .err(400, "form_param_missing");
        api.post(
            "/api_keys",
            json!({"name": "key", "subject": ann, "other": 1}),
        )
        .await
        .err(400, "form_param_unknown");
        api.get("/api_keys").await.err(400, "form_param_missing");
        api.get(&format!("/api_keys?subject={ann}&limit=101"))
            .await
            .err(400, "form_param_value_invalid");
        api.post("/api_keys/verify", json!({}))
            .await
            .err(400, "form_param_missing");
    })
    .await;
}

#[tokio::test]
async fn verification_refuses_hostile_secrets_and_keys_never_authenticate() {
    each_backend(async |api: &mut Api| {
        let ann = user(api, "ann@example.com").await;
        let created = api
            .post(
                "/api_keys",
                json!({"name": "short lived", "subject": ann, "seconds_until_expiration": 60}),
            )
            .await
            .ok()
            .clone();
        let secret = created["secret"].as_str().unwrap().to_owned();
        let wrong_prefix = format!("mt_{}", &secret[3..]);
        let truncated = &secret[..secret.len() - 1];
        let unknown = format!("ak_{}", "A".repeat(48));
        for hostile in [
            truncated,
            wrong_prefix.as_str(),
            unknown.as_str(),
            "",
            "ak_",
        ] {
            let error = api
                .post("/api_keys/verify", json!({"secret": hostile}))
                .await
                .err(404, "api_key_not_found")
                .clone();
            assert!(!error.to_string().contains(&secret[3..]));
        }
        // An API key is not a secret key of the Backend API.
        let as_key = api
            .send(
                crate::common::http_client()
                    .get(api.url("/v1/users"))
                    .bearer_auth(&secret),
            )
            .await;
        as_key.err(401, "clerk_key_invalid");
        let unauthenticated = api
            .send(
                crate::common::http_client()
                    .post(api.url("/api_keys/verify"))
                    .json(&json!({"secret": secret})),
            )
            .await;
        unauthenticated.err(401, "clerk_key_invalid");

        // Expired: refused, shown as expired.
        api.post("/api_keys/verify", json!({"secret": secret}))
            .await
            .ok();
        api.server.advance_clock(Duration::from_secs(61));
        api.post("/api_keys/verify", json!({"secret": secret}))
            .await
            .err(404, "api_key_expired");
        let id = created["id"].as_str().unwrap();
        assert_eq!(
            api.get(&format!("/api_keys/{id}")).await.ok()["expired"],
            true
        );
    })
    .await;
}
