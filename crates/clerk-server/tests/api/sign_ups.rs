//! Sign-ups: started through the local extension, read and patched through the Backend API.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Api, each_backend};

#[tokio::test]
async fn sign_ups_get_and_update() {
    each_backend(async |api: &mut Api| {
        let created = api
            .post(
                "/v1/_local/sign_ups",
                json!({"email_address": "Ada@Example.com", "first_name": "Ada",
                       "unsafe_metadata": {"plan": "pro"}, "legal_accepted": true}),
            )
            .await
            .ok()
            .clone();
        assert_eq!(created["object"], "sign_up_attempt");
        let id = created["id"].as_str().unwrap().to_owned();
        assert!(id.starts_with("sua_"));
        assert_eq!(created["status"], "missing_requirements");
        assert_eq!(created["email_address"], "ada@example.com");
        assert_eq!(created["required_fields"], json!(["email_address"]));
        assert_eq!(created["missing_fields"], json!([]));
        assert_eq!(created["unverified_fields"], json!(["email_address"]));
        assert_eq!(
            created["verifications"]["email_address"]["next_action"],
            "needs_prepare"
        );
        assert_eq!(created["verifications"]["phone_number"], Value::Null);
        assert_eq!(created["custom_action"], false);
        assert!(created["legal_accepted_at"].is_i64());
        let path = format!("/v1/sign_ups/{id}");
        assert_eq!(api.get(&path).await.ok(), &created);

        let updated = api
            .patch(
                &path,
                json!({"external_id": "ext_1", "custom_action": true}),
            )
            .await
            .ok()
            .clone();
        assert_eq!(updated["external_id"], "ext_1");
        assert_eq!(updated["custom_action"], true);
        assert_eq!(api.get(&path).await.ok(), &updated);
        let cleared = api.patch(&path, json!({"external_id": null})).await;
        assert_eq!(cleared.ok()["external_id"], Value::Null);
        assert_eq!(cleared.ok()["custom_action"], true);

        let bare = api.post("/v1/_local/sign_ups", json!({})).await;
        assert_eq!(bare.ok()["missing_fields"], json!(["email_address"]));

        // A day later it is abandoned.
        api.server.advance_clock(Duration::from_secs(24 * 3600 + 1));
        assert_eq!(api.get(&path).await.ok()["status"], "abandoned");

        let err = api.get("/v1/sign_ups/sua_missing").await;
        let err = err.err(404, "resource_not_found");
        assert!(
            err["long_message"]
                .as_str()
                .unwrap()
                .contains("sua_missing")
        );
        api.patch("/v1/sign_ups/sua_missing", json!({"custom_action": true}))
            .await
            .err(404, "resource_not_found");
        api.patch(&path, json!({"first_name": "x"}))
            .await
            .err(422, "form_param_unknown");
        api.post("/v1/_local/sign_ups", json!({"email_address": "nope"}))
            .await
            .err(422, "form_param_format_invalid");
    })
    .await;
}
