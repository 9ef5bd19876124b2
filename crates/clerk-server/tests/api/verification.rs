//! `prepare_verification` / `attempt_verification` of email addresses and phone numbers:
//! real codes in the outbox, attempts, expiry, test identifiers, `user.updated`.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Api, each_backend};
use crate::webhook_receiver::Subscription;

/// The code of the newest outbox message (its subject or text starts with it).
async fn last_code(api: &Api) -> String {
    let outbox = api.get("/v1/_local/outbox").await;
    let newest = &outbox.ok()["data"][0];
    let text = newest["subject"]
        .as_str()
        .or(newest["message"].as_str())
        .unwrap_or_else(|| panic!("{:#}", outbox.ok()));
    assert_eq!(newest["slug"], "verification_code", "{newest}");
    text[..6].to_owned()
}

async fn unverified_email(api: &Api, address: &str) -> (String, String) {
    let user = api.user(json!({"external_id": address})).await;
    let user_id = user["id"].as_str().unwrap().to_owned();
    let email = api
        .post(
            "/v1/email_addresses",
            json!({"user_id": user_id, "email_address": address, "verified": false}),
        )
        .await;
    (user_id, email.ok()["id"].as_str().unwrap().to_owned())
}

fn attempt(verification: &Value, code: &str) -> Value {
    json!({"verification_id": verification["id"], "code": code})
}

#[tokio::test]
async fn email_code_verifies_after_a_wrong_one() {
    each_backend(async |api: &mut Api| {
        let (user_id, id) = unverified_email(api, "ada@example.com").await;
        let mut hook = Subscription::start(api, Some(&["user.updated"])).await;
        let prepared = api
            .post_empty(&format!("/v1/email_addresses/{id}/prepare_verification"))
            .await
            .ok()
            .clone();
        assert_eq!(prepared["object"], "verification");
        assert!(prepared["id"].as_str().unwrap().starts_with("ver_"));
        assert_eq!(prepared["status"], "unverified");
        assert_eq!(prepared["strategy"], "email_code");
        assert_eq!(prepared["attempts"], 0);
        assert_eq!(prepared["channel"], Value::Null);
        assert!(prepared["expire_at"].as_i64().unwrap() > 0);
        let code = last_code(api).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };

        let path = format!("/v1/email_addresses/{id}/attempt_verification");
        let answer = api.post(&path, attempt(&prepared, wrong)).await;
        assert_eq!(answer.ok()["status"], "unverified");
        assert_eq!(answer.ok()["attempts"], 1);
        let answer = api.post(&path, attempt(&prepared, &code)).await;
        assert_eq!(answer.ok()["status"], "verified");
        assert_eq!(answer.ok()["attempts"], 2);
        let event = hook.expect("user.updated").await;
        assert_eq!(event["data"]["id"], user_id.as_str());
        let email = api.get(&format!("/v1/email_addresses/{id}")).await;
        assert_eq!(email.ok()["verification"]["status"], "verified");
        api.post(&path, attempt(&prepared, &code))
            .await
            .err(400, "verification_already_verified");

        // Unknown ids.
        api.post_empty("/v1/email_addresses/idn_missing/prepare_verification")
            .await
            .err(404, "resource_not_found");
        api.post(
            &path,
            json!({"verification_id": "ver_missing", "code": "123456"}),
        )
        .await
        .err(404, "resource_not_found");
        api.post(&path, json!({"code": "123456"}))
            .await
            .err(400, "form_param_missing");
    })
    .await;
}

#[tokio::test]
async fn attempts_run_out_and_codes_expire() {
    each_backend(async |api: &mut Api| {
        let (_, id) = unverified_email(api, "bob@example.com").await;
        let prepare = format!("/v1/email_addresses/{id}/prepare_verification");
        let path = format!("/v1/email_addresses/{id}/attempt_verification");
        let first = api.post_empty(&prepare).await.ok().clone();
        let code = last_code(api).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for n in 1..=2 {
            let answer = api.post(&path, attempt(&first, wrong)).await;
            assert_eq!(answer.ok()["status"], "unverified");
            assert_eq!(answer.ok()["attempts"], n);
        }
        let answer = api.post(&path, attempt(&first, wrong)).await;
        assert_eq!(answer.ok()["status"], "failed");
        assert_eq!(answer.ok()["attempts"], 3);
        // Even the right code no longer helps, and is not counted.
        let answer = api.post(&path, attempt(&first, &code)).await;
        assert_eq!(answer.ok()["status"], "failed");
        assert_eq!(answer.ok()["attempts"], 3);
        let email = api.get(&format!("/v1/email_addresses/{id}")).await;
        assert_ne!(email.ok()["verification"]["status"], "verified");

        // A new code, past its 10 minutes.
        let second = api.post_empty(&prepare).await.ok().clone();
        let code = last_code(api).await;
        api.server.advance_clock(Duration::from_secs(601));
        let answer = api.post(&path, attempt(&second, &code)).await;
        assert_eq!(answer.ok()["status"], "expired");
        assert_eq!(answer.ok()["attempts"], 0);
    })
    .await;
}

#[tokio::test]
async fn test_identifiers_get_no_message_and_424242() {
    each_backend(async |api: &mut Api| {
        let (_, email_id) = unverified_email(api, "jane+clerk_test@example.com").await;
        let user = api.user(json!({"external_id": "phone"})).await;
        let phone = api
            .post(
                "/v1/phone_numbers",
                json!({"user_id": user["id"], "phone_number": "+12015550142", "verified": false}),
            )
            .await;
        let phone_id = phone.ok()["id"].as_str().unwrap().to_owned();
        for (kind, id, strategy, channel) in [
            ("email_addresses", email_id, "email_code", Value::Null),
            ("phone_numbers", phone_id, "phone_code", json!("sms")),
        ] {
            let prepared = api
                .post_empty(&format!("/v1/{kind}/{id}/prepare_verification"))
                .await
                .ok()
                .clone();
            assert_eq!(prepared["strategy"], strategy);
            assert_eq!(prepared["channel"], channel);
            let answer = api
                .post(
                    &format!("/v1/{kind}/{id}/attempt_verification"),
                    attempt(&prepared, "424242"),
                )
                .await;
            assert_eq!(answer.ok()["status"], "verified", "{kind}");
            let shown = api.get(&format!("/v1/{kind}/{id}")).await;
            assert_eq!(shown.ok()["verification"]["status"], "verified");
        }
        let outbox = api.get("/v1/_local/outbox").await;
        assert_eq!(
            outbox.ok()["total_count"],
            0,
            "test identifiers get no message"
        );
    })
    .await;
}

#[tokio::test]
async fn phone_code_goes_out_by_sms() {
    each_backend(async |api: &mut Api| {
        let user = api.user(json!({"external_id": "sms"})).await;
        let phone = api
            .post(
                "/v1/phone_numbers",
                json!({"user_id": user["id"], "phone_number": "+14155550260", "verified": false}),
            )
            .await;
        let id = phone.ok()["id"].as_str().unwrap().to_owned();
        let prepared = api
            .post_empty(&format!("/v1/phone_numbers/{id}/prepare_verification"))
            .await
            .ok()
            .clone();
        let code = last_code(api).await;
        let outbox = api.get("/v1/_local/outbox").await;
        assert_eq!(outbox.ok()["data"][0]["to_phone_number"], "+14155550260");
        let answer = api
            .post(
                &format!("/v1/phone_numbers/{id}/attempt_verification"),
                attempt(&prepared, &code),
            )
            .await;
        assert_eq!(answer.ok()["status"], "verified");
    })
    .await;
}

/// The instance's SMS country blocklist: no code goes to a number of a blocked country
/// (`unsupported_country_code`, nothing in the outbox), a number of another country
/// sharing its calling code still gets one, and a test number needs none.
#[tokio::test]
async fn no_sms_to_a_blocked_country() {
    each_backend(async |api: &mut Api| {
        let user = api.user(json!({"external_id": "blocked"})).await;
        let add = async |api: &mut Api, number: &str| {
            let body = json!({"user_id": user["id"], "phone_number": number, "verified": false});
            api.post("/v1/phone_numbers", body).await.ok()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        let canadian = add(api, "+14163921234").await;
        let american = add(api, "+12127361234").await;
        let test_number = add(api, "+12015550105").await;
        let patch = json!({"blocked_country_codes": ["CA"]});
        api.patch("/v1/instance/communication", patch).await.ok();
        let outbox_size = async |api: &mut Api| {
            api.get("/v1/_local/outbox").await.ok()["total_count"]
                .as_i64()
                .unwrap()
        };
        let before = outbox_size(api).await;
        let refused = api
            .post_empty(&format!(
                "/v1/phone_numbers/{canadian}/prepare_verification"
            ))
            .await;
        // 400: the status prepare_verification declares for refused input (it declares no 422).
        refused.err(400, "unsupported_country_code");
        assert_eq!(
            refused.json["errors"][0]["meta"]["param_name"],
            "phone_number"
        );
        assert_eq!(outbox_size(api).await, before);
        // The same calling code, another country: the code goes out.
        api.post_empty(&format!(
            "/v1/phone_numbers/{american}/prepare_verification"
        ))
        .await
        .ok();
        assert_eq!(outbox_size(api).await, before + 1);
        // Blocking the test number's country does not stop its verification (no SMS).
        let patch = json!({"blocked_country_codes": ["CA", "US"]});
        api.patch("/v1/instance/communication", patch).await.ok();
        api.post_empty(&format!(
            "/v1/phone_numbers/{test_number}/prepare_verification"
        ))
        .await
        .ok();
        api.post_empty(&format!(
            "/v1/phone_numbers/{american}/prepare_verification"
        ))
        .await
        .err(400, "unsupported_country_code");
        // Unblocked again: the Canadian number gets its code.
        let patch = json!({"blocked_country_codes": []});
        api.patch("/v1/instance/communication", patch).await.ok();
        api.post_empty(&format!(
            "/v1/phone_numbers/{canadian}/prepare_verification"
        ))
        .await
        .ok();
        assert_eq!(outbox_size(api).await, before + 2);
    })
    .await;
}
