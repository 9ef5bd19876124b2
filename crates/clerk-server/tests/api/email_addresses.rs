//! `/v1/email_addresses`.

use serde_json::{Value, json};

use crate::common::{Api, each_backend};

#[tokio::test]
async fn create_get_update_delete() {
    each_backend(async |api: &mut Api| {
        let user = api
            .user(json!({"email_address": ["first@example.com"]}))
            .await;
        let uid = user["id"].as_str().unwrap();
        let first_id = user["email_addresses"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();

        let created = api
            .post(
                "/v1/email_addresses",
                json!({"user_id": uid, "email_address": "Second@Example.com"}),
            )
            .await;
        let second = created.ok().clone();
        for key in [
            "id",
            "object",
            "email_address",
            "reserved",
            "verification",
            "linked_to",
            "created_at",
            "updated_at",
        ] {
            assert!(second.get(key).is_some(), "email lacks {key}");
        }
        assert_eq!(second["object"], "email_address");
        assert_eq!(second["email_address"], "second@example.com");
        assert_eq!(second["verification"], Value::Null, "unverified by default");
        let second_id = second["id"].as_str().unwrap().to_owned();

        let fetched = api.get(&format!("/v1/email_addresses/{second_id}")).await;
        assert_eq!(fetched.ok(), &second);
        api.get("/v1/email_addresses/idn_missing")
            .await
            .err(404, "resource_not_found");

        // Making it primary needs verification.
        let path = format!("/v1/email_addresses/{second_id}");
        // 400, not 422: the operation declares only 400 (see declared.rs).
        api.patch(&path, json!({"primary": true}))
            .await
            .err(400, "form_verification_needed");
        let verified = api
            .patch(&path, json!({"verified": true, "primary": true}))
            .await;
        assert_eq!(verified.ok()["verification"]["status"], "verified");
        let user_now = api.get(&format!("/v1/users/{uid}")).await;
        assert_eq!(
            user_now.ok()["primary_email_address_id"],
            second_id.as_str()
        );
        assert_eq!(
            user_now.ok()["email_addresses"].as_array().unwrap().len(),
            2
        );
        api.patch(&path, json!({"label": "x"}))
            .await
            .err(400, "form_param_unknown");

        // Deleting the primary promotes the remaining verified address.
        let deleted = api.delete(&path).await;
        assert_eq!(
            deleted.ok(),
            &json!({"object": "email_address", "id": second_id, "deleted": true})
        );
        let user_now = api.get(&format!("/v1/users/{uid}")).await;
        assert_eq!(user_now.ok()["primary_email_address_id"], first_id.as_str());
        api.delete(&path).await.err(404, "resource_not_found");

        // Errors.
        api.post(
            "/v1/email_addresses",
            json!({"user_id": "user_missing", "email_address": "x@example.com"}),
        )
        .await
        .err(404, "resource_not_found");
        api.post("/v1/email_addresses", json!({"user_id": uid}))
            .await
            .err(422, "form_param_missing");
        api.post(
            "/v1/email_addresses",
            json!({"user_id": uid, "email_address": "broken"}),
        )
        .await
        .err(422, "form_param_format_invalid");
        api.post(
            "/v1/email_addresses",
            json!({"user_id": uid, "email_address": "FIRST@example.com"}),
        )
        .await
        .err(422, "form_identifier_exists");

        // A user without any email gets its first one as primary, verified or not.
        let bare = api.user(json!({})).await;
        let bare_id = bare["id"].as_str().unwrap();
        let only = api
            .post(
                "/v1/email_addresses",
                json!({"user_id": bare_id, "email_address": "only@example.com"}),
            )
            .await;
        let user_now = api.get(&format!("/v1/users/{bare_id}")).await;
        assert_eq!(user_now.ok()["primary_email_address_id"], only.ok()["id"]);

        // A phone number id is not an email address.
        let phone_user = api.user(json!({"phone_number": ["+15555550177"]})).await;
        let phone_id = phone_user["phone_numbers"][0]["id"].as_str().unwrap();
        api.get(&format!("/v1/email_addresses/{phone_id}"))
            .await
            .err(404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn notify_primary_email_address_changed() {
    each_backend(async |api: &mut Api| {
        let user = api.user(json!({"email_address": ["old@example.com"]})).await;
        let uid = user["id"].as_str().unwrap();
        api.post(
            "/v1/email_addresses",
            json!({"user_id": uid, "email_address": "new@example.com", "verified": true, "primary": true, "notify_primary_email_address_changed": true}),
        )
        .await
        .ok();
        let outbox = api.get("/v1/_local/outbox?type=email").await;
        assert_eq!(outbox.ok()["total_count"], 1);
        let email = &outbox.ok()["data"][0];
        assert_eq!(email["to_email_address"], "old@example.com");
        assert_eq!(email["slug"], "primary_email_address_changed");
        assert_eq!(email["user_id"], uid);

        // Through PATCH /v1/users/{id} as well.
        let third = api
            .post("/v1/email_addresses", json!({"user_id": uid, "email_address": "third@example.com", "verified": true}))
            .await;
        api.patch(
            &format!("/v1/users/{uid}"),
            json!({"primary_email_address_id": third.ok()["id"], "notify_primary_email_address_changed": true}),
        )
        .await
        .ok();
        let outbox = api.get("/v1/_local/outbox?to=new%40example.com").await;
        assert_eq!(outbox.ok()["total_count"], 1);
    })
    .await;
}
