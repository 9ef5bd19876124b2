//! `POST /v1/users/{id}/verify_totp`, the local TOTP enrollment, and how the second-factor
//! deletions forget what they turn off.

use serde_json::{Value, json};

use crate::common::{Api, each_backend};

fn now_s() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn totp_and_backup_codes_verify_and_backup_codes_are_consumed() {
    each_backend(async |api: &mut Api| {
        let uid = id(&api
            .user(json!({"email_address": ["totp@example.com"]}))
            .await);
        let path = format!("/v1/users/{uid}/verify_totp");
        api.post(&path, json!({"code": "123456"}))
            .await
            .err(400, "totp_not_enabled");

        let enrolled = api
            .post_empty(&format!("/v1/_local/users/{uid}/totp"))
            .await;
        let e = enrolled.ok().clone();
        let secret = e["secret"].as_str().unwrap().to_owned();
        assert!(e["uri"].as_str().unwrap().starts_with("otpauth://totp/"));
        assert!(
            e["uri"]
                .as_str()
                .unwrap()
                .contains(&format!("secret={secret}"))
        );
        let codes: Vec<String> = e["backup_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(codes.len(), 10);
        let user = api.get(&format!("/v1/users/{uid}")).await;
        assert_eq!(user.ok()["totp_enabled"], true);
        assert_eq!(user.ok()["two_factor_enabled"], true);
        assert_eq!(user.ok()["backup_code_enabled"], true);

        let code = clerk_server::totp_code(&secret, now_s()).unwrap();
        let ok = api.post(&path, json!({ "code": code })).await;
        assert_eq!(ok.ok(), &json!({"verified": true, "code_type": "totp"}));
        // One step either side is accepted; further is not.
        let previous = clerk_server::totp_code(&secret, now_s() - 30).unwrap();
        api.post(&path, json!({ "code": previous })).await.ok();
        let stale = clerk_server::totp_code(&secret, now_s() - 300).unwrap();
        api.post(&path, json!({ "code": stale }))
            .await
            .err(422, "form_code_incorrect");

        let backup = api.post(&path, json!({ "code": codes[0] })).await;
        assert_eq!(
            backup.ok(),
            &json!({"verified": true, "code_type": "backup_code"})
        );
        api.post(&path, json!({ "code": codes[0] }))
            .await
            .err(422, "form_code_incorrect");
        api.post(&path, json!({ "code": codes[1] })).await.ok();

        // Bad input and unknown users.
        api.post(&path, json!({}))
            .await
            .err(422, "form_param_missing");
        api.post("/v1/users/user_missing/verify_totp", json!({"code": "1"}))
            .await
            .err(404, "resource_not_found");
        api.post_empty("/v1/_local/users/user_missing/totp")
            .await
            .err(404, "resource_not_found");

        // DELETE …/totp forgets the secret: TOTP codes stop verifying, backup codes do not.
        api.delete(&format!("/v1/users/{uid}/totp")).await.ok();
        let code = clerk_server::totp_code(&secret, now_s()).unwrap();
        api.post(&path, json!({ "code": code }))
            .await
            .err(422, "form_code_incorrect");
        api.post(&path, json!({ "code": codes[2] })).await.ok();
        // …and DELETE …/backup_code the codes: nothing is left.
        api.delete(&format!("/v1/users/{uid}/backup_code"))
            .await
            .ok();
        api.post(&path, json!({ "code": codes[3] }))
            .await
            .err(400, "totp_not_enabled");
    })
    .await;
}

#[tokio::test]
async fn a_totp_secret_given_on_create_or_update_verifies() {
    each_backend(async |api: &mut Api| {
        let secret = "JBSWY3DPEHPK3PXP";
        let uid = id(&api
            .user(
                json!({"email_address": ["given@example.com"], "totp_secret": secret,
                         "backup_codes": ["alpha-1", "beta-2"]}),
            )
            .await);
        let path = format!("/v1/users/{uid}/verify_totp");
        let code = clerk_server::totp_code(secret, now_s()).unwrap();
        assert_eq!(
            api.post(&path, json!({ "code": code })).await.ok()["code_type"],
            "totp"
        );
        assert_eq!(
            api.post(&path, json!({"code": "beta-2"})).await.ok()["code_type"],
            "backup_code"
        );
        // A new secret by PATCH replaces the old one; DELETE …/mfa forgets both.
        let other = "KRSXG5CTMVRXEZLU";
        api.patch(
            &format!("/v1/users/{uid}"),
            json!({"totp_secret": other.to_lowercase()}),
        )
        .await
        .ok();
        let code = clerk_server::totp_code(other, now_s()).unwrap();
        api.post(&path, json!({ "code": code })).await.ok();
        api.delete(&format!("/v1/users/{uid}/mfa")).await.ok();
        api.post(&path, json!({"code": "alpha-1"}))
            .await
            .err(400, "totp_not_enabled");
    })
    .await;
}
