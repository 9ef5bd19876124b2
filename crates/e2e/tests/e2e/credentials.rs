//! The user operations beyond the profile, through the SDK's escape hatch (it has no typed
//! method for them; Clerk's JS and Python clients do): removing the password, turning
//! second factors off, replacing every email address or phone number with one, deleting
//! a web3 wallet, bulk bans, and the (empty) organization and OAuth token lists. The
//! proxy checks every answer against the spec.

use clerk_sdk::{CreateSession, CreateUser, Method, SessionStatus, VerificationStatus};
use e2e::each_backend;
use serde_json::{Value, json};

use crate::support::{api_error, user};

/// The SDK's escape hatch (`clerk.request`) without query parameters, the answer as raw JSON.
async fn call(
    env: &e2e::Env,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> clerk_sdk::Result<Value> {
    env.clerk.request(method, path, &[], body).await
}

const PASSWORD: &str = "correct-horse-battery";

#[tokio::test]
async fn remove_password_and_sign_out() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let target = users
            .create(
                CreateUser::new()
                    .email_address(["pw@example.com"])
                    .password(PASSWORD),
            )
            .await
            .unwrap();
        let session = env
            .clerk
            .sessions()
            .create(CreateSession::new(&target.id))
            .await
            .unwrap();
        let path = format!("/users/{}/remove_password", target.id);

        // Without sign_out_of_other_sessions the sessions stay.
        let removed: Value = call(env, Method::POST, &path, Some(json!({})))
            .await
            .unwrap();
        assert_eq!(removed["password_enabled"], false);
        assert_eq!(removed["password_last_updated_at"], Value::Null);
        api_error(
            users.verify_password(&target.id, PASSWORD).await,
            400,
            "no_password_set",
        );
        let kept = env.clerk.sessions().get(&session.id).await.unwrap();
        assert_eq!(kept.status, SessionStatus::Active);

        // A user without a password comes back unchanged, even with sign-out asked.
        let again: Value = call(
            env,
            Method::POST,
            &path,
            Some(json!({"sign_out_of_other_sessions": true})),
        )
        .await
        .unwrap();
        assert_eq!(again["updated_at"], removed["updated_at"]);
        let still = env.clerk.sessions().get(&session.id).await.unwrap();
        assert_eq!(still.status, SessionStatus::Active);

        // With a password and sign-out, the sessions are revoked.
        users
            .update(&target.id, clerk_sdk::UpdateUser::new().password(PASSWORD))
            .await
            .unwrap();
        let _: Value = call(
            env,
            Method::POST,
            &path,
            Some(json!({"sign_out_of_other_sessions": true})),
        )
        .await
        .unwrap();
        let revoked = env.clerk.sessions().get(&session.id).await.unwrap();
        assert_eq!(revoked.status, SessionStatus::Revoked);

        let unknown = call(
            env,
            Method::POST,
            "/users/user_missing/remove_password",
            None,
        )
        .await;
        api_error(unknown, 404, "resource_not_found");
        let extra = call(env, Method::POST, &path, Some(json!({"reason": "x"}))).await;
        // 400, not 422: the operation declares 400 only (see clerk-server's declared.rs).
        api_error(extra, 400, "form_param_unknown");
    })
    .await;
}

#[tokio::test]
async fn second_factors_off_one_kind_or_all() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let target = users
            .create(
                CreateUser::new()
                    .email_address(["mfa@example.com"])
                    .totp_secret("JBSWY3DPEHPK3PXP")
                    .backup_codes(["one-code", "two-code"]),
            )
            .await
            .unwrap();
        let phone: Value = call(
            env,
            Method::POST,
            "/phone_numbers",
            Some(json!({"user_id": target.id, "phone_number": "+15555550142",
                    "verified": true, "reserved_for_second_factor": true})),
        )
        .await
        .unwrap();
        assert_eq!(phone["default_second_factor"], true);
        let user = users.get(&target.id).await.unwrap();
        assert!(user.totp_enabled && user.backup_code_enabled && user.two_factor_enabled);
        assert_eq!(user.mfa_disabled_at, None);

        let answer: Value = call(
            env,
            Method::DELETE,
            &format!("/users/{}/totp", target.id),
            None,
        )
        .await
        .unwrap();
        assert_eq!(answer, json!({"user_id": target.id}));
        let user = users.get(&target.id).await.unwrap();
        assert!(!user.totp_enabled);
        assert!(user.backup_code_enabled, "only TOTP");
        assert!(
            user.two_factor_enabled,
            "the phone number still is a second factor"
        );
        assert!(user.mfa_disabled_at.is_some());

        let _: Value = call(
            env,
            Method::DELETE,
            &format!("/users/{}/backup_code", target.id),
            None,
        )
        .await
        .unwrap();
        assert!(!users.get(&target.id).await.unwrap().backup_code_enabled);

        let _: Value = call(
            env,
            Method::DELETE,
            &format!("/users/{}/mfa", target.id),
            None,
        )
        .await
        .unwrap();
        let user = users.get(&target.id).await.unwrap();
        assert!(!user.two_factor_enabled);
        assert_eq!(
            user.phone_numbers[0].reserved_for_second_factor,
            Some(false)
        );
        assert_eq!(user.phone_numbers[0].default_second_factor, Some(false));
        assert_eq!(
            user.phone_numbers[0]
                .verification
                .as_ref()
                .map(|v| &v.status),
            Some(&VerificationStatus::Verified),
            "the number itself stays"
        );

        for path in ["mfa", "totp", "backup_code"] {
            let unknown = call(
                env,
                Method::DELETE,
                &format!("/users/user_missing/{path}"),
                None,
            )
            .await;
            api_error(unknown, 404, "resource_not_found");
        }
    })
    .await;
}

#[tokio::test]
async fn replace_every_email_address_or_phone_number() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let target = users
            .create(
                CreateUser::new()
                    .email_address(["old1@example.com", "old2@example.com"])
                    .phone_number(["+15555550150"]),
            )
            .await
            .unwrap();
        let other = user(env, "taken@example.com").await;
        let path = format!("/users/{}/email_address", target.id);

        let address: Value = call(
            env,
            Method::PUT,
            &path,
            Some(json!({"email_address": "New@Example.com"})),
        )
        .await
        .unwrap();
        assert_eq!(address["object"], "email_address");
        assert_eq!(address["email_address"], "new@example.com");
        assert_eq!(address["verification"]["status"], "verified");
        let user = users.get(&target.id).await.unwrap();
        assert_eq!(user.email_addresses.len(), 1);
        assert_eq!(
            user.primary_email_address_id.as_deref(),
            address["id"].as_str()
        );
        assert_eq!(user.phone_numbers.len(), 1, "phone numbers untouched");

        // Keeping the address it already has is allowed; another user's is not.
        let again: Value = call(
            env,
            Method::PUT,
            &path,
            Some(json!({"email_address": "new@example.com",
                    "identification_status": "reserved"})),
        )
        .await
        .unwrap();
        assert_eq!(again["reserved"], true);
        assert_eq!(again["verification"], Value::Null);
        let taken = call(
            env,
            Method::PUT,
            &path,
            Some(json!({"email_address": "taken@example.com"})),
        )
        .await;
        api_error(taken, 422, "form_identifier_exists");
        assert_eq!(users.get(&other.id).await.unwrap().email_addresses.len(), 1);
        assert_eq!(
            users.get(&target.id).await.unwrap().email_addresses[0].email_address,
            "new@example.com",
            "a failed replacement changes nothing"
        );
        for (body, code) in [
            (json!({}), "form_param_missing"),
            (
                json!({"email_address": "not an email"}),
                "form_param_format_invalid",
            ),
            (
                json!({"email_address": "x@example.com", "identification_status": "maybe"}),
                "form_param_value_invalid",
            ),
        ] {
            let bad = call(env, Method::PUT, &path, Some(body)).await;
            api_error(bad, 422, code);
        }

        let number: Value = call(
            env,
            Method::PUT,
            &format!("/users/{}/phone_number", target.id),
            Some(json!({"phone_number": "+1 555 555 0151", "identification_status": "unverified"})),
        )
        .await
        .unwrap();
        assert_eq!(number["object"], "phone_number");
        assert_eq!(number["phone_number"], "+15555550151");
        assert_eq!(number["reserved"], false);
        assert_eq!(number["verification"], Value::Null);
        let user = users.get(&target.id).await.unwrap();
        assert_eq!(user.phone_numbers.len(), 1);
        assert_eq!(
            user.primary_phone_number_id.as_deref(),
            number["id"].as_str()
        );

        let unknown = call(
            env,
            Method::PUT,
            "/users/user_missing/email_address",
            Some(json!({"email_address": "z@example.com"})),
        )
        .await;
        api_error(unknown, 404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn delete_a_web3_wallet_of_its_user_only() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let owner = users
            .create(CreateUser::new().web3_wallet(["0x52908400098527886E0F7030069857D2E4169EE7"]))
            .await
            .unwrap();
        let wallet = owner.web3_wallets[0].id.clone().expect("a wallet id");
        let stranger = user(env, "stranger@example.com").await;

        let wrong_user = call(
            env,
            Method::DELETE,
            &format!("/users/{}/web3_wallets/{wallet}", stranger.id),
            None,
        )
        .await;
        api_error(wrong_user, 404, "resource_not_found");

        let deleted: Value = call(
            env,
            Method::DELETE,
            &format!("/users/{}/web3_wallets/{wallet}", owner.id),
            None,
        )
        .await
        .unwrap();
        assert_eq!(
            deleted,
            json!({"object": "web3_wallet", "id": wallet, "deleted": true})
        );
        let owner = users.get(&owner.id).await.unwrap();
        assert!(owner.web3_wallets.is_empty());
        assert_eq!(owner.primary_web3_wallet_id, None);
    })
    .await;
}

#[tokio::test]
async fn bulk_ban_and_unban() {
    each_backend(async |env| {
        let a = user(env, "bulk.a@example.com").await;
        let b = user(env, "bulk.b@example.com").await;
        let session = env
            .clerk
            .sessions()
            .create(CreateSession::new(&a.id))
            .await
            .unwrap();

        let banned: Value = call(
            env,
            Method::POST,
            "/users/ban",
            Some(json!({"user_ids": [b.id, "user_missing", a.id, b.id]})),
        )
        .await
        .unwrap();
        let ids: Vec<&str> = banned
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [b.id.as_str(), a.id.as_str()],
            "given order, once each"
        );
        assert!(
            banned
                .as_array()
                .unwrap()
                .iter()
                .all(|u| u["banned"] == true)
        );
        let revoked = env.clerk.sessions().get(&session.id).await.unwrap();
        assert_eq!(revoked.status, SessionStatus::Revoked);

        let unbanned: Value = call(
            env,
            Method::POST,
            "/users/unban",
            Some(json!({"user_ids": [a.id]})),
        )
        .await
        .unwrap();
        assert_eq!(unbanned[0]["banned"], false);
        assert!(env.clerk.users().get(&b.id).await.unwrap().banned);

        let too_many: Vec<String> = (0..51).map(|i| format!("user_{i}")).collect();
        for body in [json!({"user_ids": []}), json!({"user_ids": too_many})] {
            let bad = call(env, Method::POST, "/users/ban", Some(body)).await;
            api_error(bad, 400, "form_param_value_invalid");
        }
        let missing = call(env, Method::POST, "/users/unban", Some(json!({}))).await;
        // 400, not 422: the operation declares 400 only (see clerk-server's declared.rs).
        api_error(missing, 400, "form_param_missing");
    })
    .await;
}

#[tokio::test]
async fn organization_lists_are_empty() {
    each_backend(async |env| {
        let target = user(env, "orgless@example.com").await;
        let empty = json!({"data": [], "total_count": 0});
        for list in ["organization_memberships", "organization_invitations"] {
            let answer: Value = env
                .clerk
                .request(
                    Method::GET,
                    &format!("/users/{}/{list}", target.id),
                    &[("limit", "5"), ("offset", "0")],
                    None,
                )
                .await
                .unwrap();
            assert_eq!(answer, empty, "{list}");
        }
        let pending: Value = env
            .clerk
            .request(
                Method::GET,
                &format!("/users/{}/organization_invitations", target.id),
                &[("status", "pending")],
                None,
            )
            .await
            .unwrap();
        assert_eq!(pending, empty);
        let bad = env
            .clerk
            .request::<Value>(
                Method::GET,
                &format!("/users/{}/organization_invitations", target.id),
                &[("status", "maybe")],
                None,
            )
            .await;
        api_error(bad, 400, "form_param_value_invalid");
        let unknown = call(
            env,
            Method::GET,
            "/users/user_missing/organization_invitations",
            None,
        )
        .await;
        api_error(unknown, 404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn no_oauth_access_tokens_without_external_accounts() {
    each_backend(async |env| {
        let target = user(env, "local@example.com").await;
        let path = format!("/users/{}/oauth_access_tokens/oauth_google", target.id);
        let bare: Value = call(env, Method::GET, &path, None).await.unwrap();
        assert_eq!(bare, json!([]));
        let envelope: Value = env
            .clerk
            .request(
                Method::GET,
                &path,
                &[("paginated", "true"), ("limit", "5")],
                None,
            )
            .await
            .unwrap();
        assert_eq!(envelope, json!({"data": [], "total_count": 0}));
        let unknown = call(
            env,
            Method::GET,
            "/users/user_missing/oauth_access_tokens/oauth_google",
            None,
        )
        .await;
        api_error(unknown, 404, "resource_not_found");
    })
    .await;
}
