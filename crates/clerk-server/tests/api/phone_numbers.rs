//! `/v1/phone_numbers`.

use serde_json::{Value, json};

use crate::common::{Api, each_backend};

#[tokio::test]
async fn create_get_update_delete() {
    each_backend(async |api: &mut Api| {
        let user = api.user(json!({"email_address": ["phone-owner@example.com"]})).await;
        let uid = user["id"].as_str().unwrap();

        let created = api
            .post("/v1/phone_numbers", json!({"user_id": uid, "phone_number": "+1 (555) 555-0140", "verified": true}))
            .await;
        let phone = created.ok().clone();
        for key in ["id", "object", "phone_number", "reserved", "verification", "linked_to", "created_at", "updated_at"] {
            assert!(phone.get(key).is_some(), "phone lacks {key}");
        }
        assert_eq!(phone["object"], "phone_number");
        assert_eq!(phone["phone_number"], "+15555550140");
        assert_eq!(phone["reserved_for_second_factor"], false);
        assert_eq!(phone["verification"]["strategy"], "admin");
        let pid = phone["id"].as_str().unwrap().to_owned();
        let user_now = api.get(&format!("/v1/users/{uid}")).await;
        assert_eq!(user_now.ok()["primary_phone_number_id"], pid.as_str(), "first phone is primary");
        assert_eq!(user_now.ok()["two_factor_enabled"], false);

        let path = format!("/v1/phone_numbers/{pid}");
        assert_eq!(api.get(&path).await.ok(), &phone);
        let second_factor = api.patch(&path, json!({"reserved_for_second_factor": true})).await;
        assert_eq!(second_factor.ok()["reserved_for_second_factor"], true);
        assert_eq!(second_factor.ok()["default_second_factor"], true);
        assert_eq!(api.get(&format!("/v1/users/{uid}")).await.ok()["two_factor_enabled"], true);

        let unverified = api
            .post("/v1/phone_numbers", json!({"user_id": uid, "phone_number": "+15555550141"}))
            .await;
        assert_eq!(unverified.ok()["verification"], Value::Null);
        let unverified_id = unverified.ok()["id"].as_str().unwrap().to_owned();
        api.patch(&format!("/v1/phone_numbers/{unverified_id}"), json!({"reserved_for_second_factor": true}))
            .await
            .err(400, "identification_update_second_factor_unverified");
        api.post(
            "/v1/phone_numbers",
            json!({"user_id": uid, "phone_number": "+15555550142", "reserved_for_second_factor": true}),
        )
        .await
        .err(400, "identification_create_second_factor_unverified");

        let deleted = api.delete(&path).await;
        assert_eq!(deleted.ok(), &json!({"object": "phone_number", "id": pid, "deleted": true}));
        let user_now = api.get(&format!("/v1/users/{uid}")).await;
        assert_eq!(user_now.ok()["primary_phone_number_id"], Value::Null, "no verified phone left");
        assert_eq!(user_now.ok()["two_factor_enabled"], false);

        api.post("/v1/phone_numbers", json!({"user_id": uid, "phone_number": "12345"}))
            .await
            .err(422, "form_param_format_invalid");
        api.post("/v1/phone_numbers", json!({"user_id": uid, "phone_number": "+15555550141"}))
            .await
            .err(422, "form_identifier_exists");
        api.post("/v1/phone_numbers", json!({"user_id": uid, "phone_number": "+15555550143", "notify": true}))
            .await
            .err(422, "form_param_unknown");
        api.get("/v1/phone_numbers/idn_missing").await.err(404, "resource_not_found");
        let email_id = user["email_addresses"][0]["id"].as_str().unwrap();
        api.delete(&format!("/v1/phone_numbers/{email_id}")).await.err(404, "resource_not_found");
    })
    .await;
}
