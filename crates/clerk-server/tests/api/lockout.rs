//! The user lockout: failed password checks count, lock the user at the limit for the
//! lockout duration, and a right password or an unlock starts the count over.

use std::time::Duration;

use clerk_server::Config;
use serde_json::{Value, json};

use crate::common::{Api, each_backend_with};

const PASSWORD: &str = "correct horse battery";

fn three_attempts() -> Config {
    Config::default().with_lockout_attempts(Some(3))
}

async fn user_with_password(api: &Api) -> String {
    let user = api
        .user(json!({"email_address": ["lock@example.com"], "password": PASSWORD}))
        .await;
    user["id"].as_str().unwrap().to_owned()
}

async fn check(api: &Api, id: &str, password: &str) -> crate::common::Resp {
    api.post(
        &format!("/v1/users/{id}/verify_password"),
        json!({ "password": password }),
    )
    .await
}

async fn remaining(api: &Api, id: &str) -> Value {
    api.get(&format!("/v1/users/{id}")).await.ok()["verification_attempts_remaining"].clone()
}

#[tokio::test]
async fn failed_checks_lock_the_user_until_the_lock_expires() {
    each_backend_with(three_attempts, async |api: &mut Api| {
        let id = user_with_password(api).await;
        assert_eq!(remaining(api, &id).await, 3);
        for left in [2, 1] {
            check(api, &id, "wrong")
                .await
                .err(422, "incorrect_password");
            assert_eq!(remaining(api, &id).await, left);
        }
        // A right password starts the count over.
        check(api, &id, PASSWORD).await.ok();
        assert_eq!(remaining(api, &id).await, 3);
        for _ in 0..3 {
            check(api, &id, "wrong")
                .await
                .err(422, "incorrect_password");
        }
        let user = api.get(&format!("/v1/users/{id}")).await;
        let user = user.ok();
        assert_eq!(user["locked"], true);
        assert_eq!(user["lockout_expires_in_seconds"], 3600);
        assert_eq!(user["verification_attempts_remaining"], 0);
        // Locked: even the right password is refused, and so is a session.
        let refused = check(api, &id, PASSWORD).await;
        refused.err(400, "user_locked");
        assert_eq!(
            refused.json["errors"][0]["meta"]["lockout_expires_in_seconds"],
            3600
        );
        api.post("/v1/sessions", json!({"user_id": id}))
            .await
            .err(400, "user_locked");
        // The lock lasts the lockout duration; then every attempt is back.
        api.server.advance_clock(Duration::from_secs(3601));
        assert_eq!(remaining(api, &id).await, 3);
        check(api, &id, "wrong")
            .await
            .err(422, "incorrect_password");
        assert_eq!(remaining(api, &id).await, 2);
        check(api, &id, PASSWORD).await.ok();
    })
    .await;
}

#[tokio::test]
async fn parallel_guesses_cannot_pass_the_limit() {
    each_backend_with(three_attempts, async |api: &mut Api| {
        let id = user_with_password(api).await;
        let guesses = (0..12).map(|i| check(api, &id, if i == 11 { PASSWORD } else { "wrong" }));
        let answers = futures_util::future::join_all(guesses).await;
        let checked = answers
            .iter()
            .filter(|a| a.status == 422 || a.status == 200)
            .count();
        let locked_out = answers
            .iter()
            .filter(|a| a.status == 400 && a.json["errors"][0]["code"] == "user_locked")
            .count();
        assert!(checked <= 3, "{checked} passwords were checked");
        assert_eq!(checked + locked_out, 12);
    })
    .await;
}

#[tokio::test]
async fn unlocking_starts_the_count_over() {
    each_backend_with(three_attempts, async |api: &mut Api| {
        let id = user_with_password(api).await;
        for _ in 0..3 {
            check(api, &id, "wrong").await;
        }
        let unlocked = api.post_empty(&format!("/v1/users/{id}/unlock")).await;
        assert_eq!(unlocked.ok()["locked"], false);
        assert_eq!(unlocked.ok()["verification_attempts_remaining"], 3);
        check(api, &id, PASSWORD).await.ok();
        // Locked through the Backend API: checks are refused, attempts are not used.
        let locked = api.post_empty(&format!("/v1/users/{id}/lock")).await;
        assert_eq!(locked.ok()["verification_attempts_remaining"], 3);
        check(api, &id, PASSWORD).await.err(400, "user_locked");
    })
    .await;
}

#[tokio::test]
async fn with_the_lockout_off_nothing_is_counted() {
    let off = || Config::default().with_lockout_attempts(None);
    each_backend_with(off, async |api: &mut Api| {
        let id = user_with_password(api).await;
        assert_eq!(remaining(api, &id).await, Value::Null);
        for _ in 0..15 {
            check(api, &id, "wrong")
                .await
                .err(422, "incorrect_password");
        }
        check(api, &id, PASSWORD).await.ok();
        // An explicit lock still holds.
        api.post_empty(&format!("/v1/users/{id}/lock")).await.ok();
        check(api, &id, PASSWORD).await.err(400, "user_locked");
    })
    .await;
}
