//! The last user operations through the SDK's typed methods: passwords marked compromised
//! and profile images. The proxy checks every answer against the spec.

use clerk_sdk::{CreateUser, Method, ProfileImage, SessionStatus};
use e2e::each_backend;

use crate::support::{api_error, local, sign_in, user};

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

#[tokio::test]
async fn passwords_set_and_unset_as_compromised() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let target = users
            .create(
                CreateUser::new()
                    .email_address(["compromised@example.com"])
                    .password("correct-horse-battery"),
            )
            .await
            .unwrap();
        let session = sign_in(env, &target.id).await;
        let status_path = format!("/_local/users/{}/password", target.id);

        let flagged = users
            .set_password_compromised(&target.id, false)
            .await
            .unwrap();
        assert!(flagged.password_enabled);
        assert_eq!(
            local(env, Method::GET, &status_path, None).await["compromised"],
            true
        );
        let kept = env.clerk.sessions().get(&session.id).await.unwrap();
        assert_eq!(kept.status, SessionStatus::Active);

        users
            .set_password_compromised(&target.id, true)
            .await
            .unwrap();
        let revoked = env.clerk.sessions().get(&session.id).await.unwrap();
        assert_eq!(revoked.status, SessionStatus::Revoked);

        users.unset_password_compromised(&target.id).await.unwrap();
        assert_eq!(
            local(env, Method::GET, &status_path, None).await["compromised"],
            false
        );

        // The documented error: a user without a password cannot have it compromised.
        let plain = user(env, "nopassword@example.com").await;
        api_error(
            users.set_password_compromised(&plain.id, false).await,
            400,
            "no_password_set",
        );
        api_error(
            users.unset_password_compromised("user_missing").await,
            404,
            "resource_not_found",
        );
    })
    .await;
}

#[tokio::test]
async fn profile_images_set_served_and_deleted() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let target = user(env, "portrait@example.com").await;
        assert!(!target.has_image);

        let pictured = users
            .set_profile_image(
                &target.id,
                ProfileImage::new(PNG.to_vec()).file_name("me.png"),
            )
            .await
            .unwrap();
        assert!(pictured.has_image);
        let url = pictured.image_url.clone().unwrap();
        assert!(url.contains("/images/img_"), "{url}");
        let served = reqwest::get(&url).await.unwrap();
        assert_eq!(served.status(), 200);
        assert_eq!(served.headers()["content-type"], "image/png");
        assert_eq!(served.bytes().await.unwrap().as_ref(), PNG);
        assert_eq!(users.get(&target.id).await.unwrap().image_url, Some(url));

        // The documented error: only images are accepted.
        api_error(
            users
                .set_profile_image(&target.id, ProfileImage::new(b"<svg/>".to_vec()))
                .await,
            400,
            "request_body_invalid",
        );

        let plain = users.delete_profile_image(&target.id).await.unwrap();
        assert!(!plain.has_image);
        assert!(plain.image_url.unwrap().ends_with("/images/default"));
        api_error(
            users.delete_profile_image("user_missing").await,
            404,
            "resource_not_found",
        );
    })
    .await;
}

fn now_s() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn totp_and_backup_codes_verify() {
    each_backend(async |env| {
        let users = env.clerk.users();
        let target = user(env, "authenticator@example.com").await;
        let enrolled = local(
            env,
            Method::POST,
            &format!("/_local/users/{}/totp", target.id),
            None,
        )
        .await;
        let secret = enrolled["secret"].as_str().unwrap();
        let backup = enrolled["backup_codes"][0].as_str().unwrap();
        assert!(users.get(&target.id).await.unwrap().totp_enabled);

        let code = clerk_server::totp_code(secret, now_s()).unwrap();
        assert_eq!(
            users.verify_totp(&target.id, &code).await.unwrap(),
            Some(clerk_sdk::TotpCodeType::Totp)
        );
        assert_eq!(
            users.verify_totp(&target.id, backup).await.unwrap(),
            Some(clerk_sdk::TotpCodeType::BackupCode)
        );
        // Used up.
        assert_eq!(users.verify_totp(&target.id, backup).await.unwrap(), None);

        // The documented error: a user without TOTP is 400.
        let plain = user(env, "no-authenticator@example.com").await;
        api_error(
            users.verify_totp(&plain.id, "123456").await,
            400,
            "totp_not_enabled",
        );
    })
    .await;
}
