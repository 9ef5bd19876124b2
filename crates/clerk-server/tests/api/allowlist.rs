//! The allowlist: identifiers, the one flag behind three endpoints, and the instance.

use serde_json::json;

use crate::common::{Api, each_backend};

#[tokio::test]
async fn identifiers_list_create_delete() {
    each_backend(async |api: &mut Api| {
        let instance = api.get("/v1/instance").await.ok().clone();
        let created = api
            .post(
                "/v1/allowlist_identifiers",
                json!({"identifier": "Friend@Example.com", "notify": false}),
            )
            .await;
        let item = created.ok().clone();
        assert_eq!(item["object"], "allowlist_identifier");
        assert!(item["id"].as_str().unwrap().starts_with("alid_"));
        assert_eq!(item["identifier"], "friend@example.com");
        assert_eq!(item["identifier_type"], "email_address");
        assert_eq!(item["instance_id"], instance["id"]);
        assert!(
            item.get("invitation_id").is_none(),
            "no invitation without notify"
        );
        assert!(item["created_at"].is_i64() && item["updated_at"].is_i64());

        let cases = [
            ("+15555550123", "phone_number"),
            ("0x52908400098527886e0f7030069857d2e4169ee7", "web3_wallet"),
            ("partner.example", "email_address"),
        ];
        for (identifier, kind) in cases {
            let resp = api
                .post(
                    "/v1/allowlist_identifiers",
                    json!({"identifier": identifier}),
                )
                .await;
            assert_eq!(resp.ok()["identifier_type"], kind, "{identifier}");
        }
        api.post(
            "/v1/allowlist_identifiers",
            json!({"identifier": "friend@example.com"}),
        )
        .await
        .err(400, "duplicate_record");
        api.post(
            "/v1/allowlist_identifiers",
            json!({"identifier": "not an identifier"}),
        )
        .await
        .err(422, "form_param_format_invalid");
        api.post("/v1/allowlist_identifiers", json!({}))
            .await
            .err(422, "form_param_missing");
        api.post(
            "/v1/allowlist_identifiers",
            json!({"identifier": "x@example.com", "notify": "yes"}),
        )
        .await
        .err(422, "form_param_type_invalid");

        let list = api.get("/v1/allowlist_identifiers").await;
        assert!(list.ok().is_array());
        assert_eq!(list.ids().len(), 4);
        assert_eq!(list.ids()[3], item["id"].as_str().unwrap(), "newest first");
        let page = api
            .get("/v1/allowlist_identifiers?paginated=true&limit=2&offset=1")
            .await;
        assert_eq!(page.ok()["total_count"], 4);
        assert_eq!(page.ids().len(), 2);

        let path = format!("/v1/allowlist_identifiers/{}", item["id"].as_str().unwrap());
        let deleted = api.delete(&path).await;
        assert_eq!(
            deleted.ok(),
            &json!({"object": "allowlist_identifier", "id": item["id"], "deleted": true})
        );
        api.delete(&path).await.err(404, "resource_not_found");
        assert_eq!(
            api.get("/v1/allowlist_identifiers?paginated=true")
                .await
                .ok()["total_count"],
            3
        );
    })
    .await;
}

#[tokio::test]
async fn notify_sends_invitations_to_the_outbox() {
    each_backend(async |api: &mut Api| {
        let item = api
            .post(
                "/v1/allowlist_identifiers",
                json!({"identifier": "invitee@example.com", "notify": true}),
            )
            .await;
        assert!(
            item.ok()["invitation_id"]
                .as_str()
                .unwrap()
                .starts_with("inv_")
        );
        api.post(
            "/v1/allowlist_identifiers",
            json!({"identifier": "+15555550199", "notify": true}),
        )
        .await
        .ok();
        // Wallets and domains get no invitation.
        api.post(
            "/v1/allowlist_identifiers",
            json!({"identifier": "corp.example", "notify": true}),
        )
        .await
        .ok();
        let outbox = api.get("/v1/_local/outbox").await;
        let outbox = outbox.ok();
        assert_eq!(outbox["total_count"], 2);
        let sms = &outbox["data"][0];
        assert_eq!(sms["object"], "sms_message");
        assert_eq!(sms["to_phone_number"], "+15555550199");
        assert_eq!(sms["slug"], "invitation");
        let email = &outbox["data"][1];
        assert_eq!(email["object"], "email");
        assert_eq!(email["to_email_address"], "invitee@example.com");
        assert_eq!(email["slug"], "invitation");
        assert_eq!(email["status"], "queued");
    })
    .await;
}

#[tokio::test]
async fn one_flag_behind_three_endpoints() {
    each_backend(async |api: &mut Api| {
        let settings = api
            .patch(
                "/v1/beta_features/instance_settings",
                json!({"restricted_to_allowlist": true}),
            )
            .await;
        let settings = settings.ok().clone();
        assert_eq!(settings["object"], "instance_settings");
        assert_eq!(settings["restricted_to_allowlist"], true);
        assert!(settings["id"].as_str().unwrap().starts_with("ins_"));

        let restrictions = api.patch("/v1/instance/restrictions", json!({})).await;
        assert_eq!(
            restrictions.ok(),
            &json!({
                "object": "instance_restrictions",
                "allowlist": true,
                "blocklist": false,
                "allowlist_blocklist_disabled_on_sign_in": false,
                "block_email_subaddresses": false,
                "block_disposable_email_domains": false,
            })
        );
        let restrictions = api
            .patch(
                "/v1/instance/restrictions",
                json!({"allowlist": false, "blocklist": true}),
            )
            .await;
        assert_eq!(restrictions.ok()["allowlist"], false);
        assert_eq!(restrictions.ok()["blocklist"], true);

        let legacy = api
            .patch(
                "/v1/beta_features/allowlist",
                json!({"restricted_to_allowlist": true}),
            )
            .await;
        assert_eq!(legacy.ok()["restricted_to_allowlist"], true);
        let again = api.patch("/v1/instance/restrictions", json!({})).await;
        assert_eq!(again.ok()["allowlist"], true);
        let settings = api
            .patch(
                "/v1/beta_features/instance_settings",
                json!({"from_email_address": "hello"}),
            )
            .await;
        assert_eq!(settings.ok()["restricted_to_allowlist"], true);
        assert_eq!(settings.ok()["from_email_address"], "hello");

        api.patch(
            "/v1/beta_features/instance_settings",
            json!({"from_email_address": "not valid!"}),
        )
        .await
        .err(422, "form_param_format_invalid");
        api.patch("/v1/instance/restrictions", json!({"allowlist": "on"}))
            .await
            .err(422, "form_param_type_invalid");
        api.patch(
            "/v1/instance/restrictions",
            json!({"ignore_everything": true}),
        )
        .await
        .err(422, "form_param_unknown");

        // The allowlist restricts sign-ups, not users created through the Backend API.
        api.user(json!({"email_address": ["not-on-the-list@example.com"]}))
            .await;
    })
    .await;
}

#[tokio::test]
async fn instance_get_and_update() {
    each_backend(async |api: &mut Api| {
        let instance = api.get("/v1/instance").await;
        let instance = instance.ok().clone();
        assert_eq!(instance["object"], "instance");
        assert_eq!(instance["environment_type"], "development");
        assert!(instance.get("allowed_origins").is_some() && instance.get("workspace_id").is_some());

        let updated = api
            .patch("/v1/instance", json!({"test_mode": true, "allowed_origins": ["http://localhost:3000"], "support_email": "help@example.com"}))
            .await;
        assert_eq!(updated.status, 204);
        assert!(updated.text.is_empty());
        assert!(updated.trace_id().is_some());
        let instance = api.get("/v1/instance").await;
        assert_eq!(instance.ok()["allowed_origins"], json!(["http://localhost:3000"]));
        api.patch("/v1/instance", json!({"allowlist": true})).await.err(422, "form_param_unknown");
        api.patch("/v1/instance", json!({"preferred_sign_in_strategy_when_password_required": "magic"}))
            .await
            .err(422, "form_param_value_invalid");
        assert_eq!(
            api.patch("/v1/instance", json!({"preferred_sign_in_strategy_when_password_required": "otp"})).await.status,
            204
        );
    })
    .await;
}
