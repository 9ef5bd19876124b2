//! The block-list: identifiers, and what a blocked identifier is refused.

use serde_json::json;

use crate::common::{Api, each_backend};

#[tokio::test]
async fn identifiers_list_create_delete() {
    each_backend(async |api: &mut Api| {
        let instance = api.get("/v1/instance").await.ok().clone();
        let item = api
            .post(
                "/v1/blocklist_identifiers",
                json!({"identifier": "Spammer@Example.com"}),
            )
            .await
            .ok()
            .clone();
        assert_eq!(item["object"], "blocklist_identifier");
        assert!(item["id"].as_str().unwrap().starts_with("blid_"));
        assert_eq!(item["identifier"], "spammer@example.com");
        assert_eq!(item["identifier_type"], "email_address");
        assert_eq!(item["instance_id"], instance["id"]);
        assert!(item["created_at"].is_i64() && item["updated_at"].is_i64());
        for (identifier, kind, stored) in [
            ("+15555550123", "phone_number", "+15555550123"),
            (
                "0x52908400098527886e0f7030069857d2e4169ee7",
                "web3_wallet",
                "0x52908400098527886e0f7030069857d2e4169ee7",
            ),
            ("*@Spam.example", "email_address", "spam.example"),
        ] {
            let resp = api
                .post(
                    "/v1/blocklist_identifiers",
                    json!({"identifier": identifier}),
                )
                .await;
            assert_eq!(resp.ok()["identifier_type"], kind, "{identifier}");
            assert_eq!(resp.ok()["identifier"], stored, "{identifier}");
        }
        api.post(
            "/v1/blocklist_identifiers",
            json!({"identifier": "spammer@example.com"}),
        )
        .await
        .err(400, "duplicate_record");
        api.post(
            "/v1/blocklist_identifiers",
            json!({"identifier": "not an identifier"}),
        )
        .await
        .err(422, "form_param_format_invalid");
        api.post("/v1/blocklist_identifiers", json!({}))
            .await
            .err(422, "form_param_missing");
        api.post(
            "/v1/blocklist_identifiers",
            json!({"identifier": "x@example.com", "notify": true}),
        )
        .await
        .err(422, "form_param_unknown");

        let list = api.get("/v1/blocklist_identifiers").await;
        assert_eq!(list.ok()["total_count"], 4, "always the envelope");
        assert_eq!(list.ids().len(), 4);
        assert_eq!(list.ids()[3], item["id"].as_str().unwrap(), "newest first");

        let path = format!("/v1/blocklist_identifiers/{}", item["id"].as_str().unwrap());
        assert_eq!(
            api.delete(&path).await.ok(),
            &json!({"object": "blocklist_identifier", "id": item["id"], "deleted": true})
        );
        let gone = api.delete(&path).await;
        let error = gone.err(404, "resource_not_found");
        assert_eq!(
            error["long_message"],
            format!(
                "No identifier was found with id {}",
                item["id"].as_str().unwrap()
            )
        );
        assert_eq!(
            api.get("/v1/blocklist_identifiers").await.ok()["total_count"],
            3
        );
    })
    .await;
}

#[tokio::test]
async fn blocked_identifiers_are_refused_when_the_blocklist_is_on() {
    each_backend(async |api: &mut Api| {
        for identifier in ["blocked@example.com", "spam.example", "+15555550111"] {
            api.post(
                "/v1/blocklist_identifiers",
                json!({"identifier": identifier}),
            )
            .await
            .ok();
        }
        // Off (the default): the block-list refuses nothing.
        api.user(json!({"email_address": ["blocked@example.com"]}))
            .await;
        api.patch("/v1/instance/restrictions", json!({"blocklist": true}))
            .await
            .ok();

        for (body, param) in [
            (
                json!({"email_address": ["blocked+x@example.com"]}),
                "email_address",
            ),
            (
                json!({"email_address": ["ann@mail.spam.example"]}),
                "email_address",
            ),
            (json!({"phone_number": ["+15555550111"]}), "phone_number"),
        ] {
            let refused = api.post("/v1/users", body).await;
            let error = refused.err(403, "not_allowed_access");
            assert_eq!(error["meta"]["param_name"], param);
            assert!(
                error["long_message"]
                    .as_str()
                    .unwrap()
                    .ends_with("is not allowed to access this application.")
            );
        }
        let user = api.user(json!({"email_address": ["ok@example.com"]})).await;
        let user_id = user["id"].as_str().unwrap();
        api.post(
            "/v1/email_addresses",
            json!({"user_id": user_id, "email_address": "someone@spam.example"}),
        )
        .await
        .err(403, "not_allowed_access");
        api.post(
            "/v1/phone_numbers",
            json!({"user_id": user_id, "phone_number": "+15555550111"}),
        )
        .await
        .err(403, "not_allowed_access");
        api.put(
            &format!("/v1/users/{user_id}/email_address"),
            json!({"email_address": "blocked@example.com"}),
        )
        .await
        .err(403, "not_allowed_access");
        let after = api.get(&format!("/v1/users/{user_id}")).await;
        assert_eq!(after.ok()["email_addresses"].as_array().unwrap().len(), 1);

        // The allowlist, when on, wins over the block-list.
        api.post(
            "/v1/allowlist_identifiers",
            json!({"identifier": "vip@spam.example"}),
        )
        .await
        .ok();
        api.patch("/v1/instance/restrictions", json!({"allowlist": true}))
            .await
            .ok();
        api.user(json!({"email_address": ["vip@spam.example"]}))
            .await;
    })
    .await;
}
