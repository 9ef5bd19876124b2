//! The webhook events of users, their identifications and sessions: every change sends the
//! event Clerk sends, signed, in order, with the `data` a `GET` answers right after; a
//! refused change and a change that changes nothing send none.

use clerk_server::Config;
use serde_json::{Value, json};

use crate::common::{Api, each_backend, each_backend_with};
use crate::webhook_receiver::Subscription;

/// A receiver subscribed to every event.
struct Hook(Subscription);

impl Hook {
    async fn start(api: &Api) -> Self {
        Self(Subscription::start(api, None).await)
    }

    /// The next event: it must be of `event_type` and verify with the endpoint's secret.
    async fn expect(&mut self, event_type: &str) -> Value {
        self.0.expect(event_type).await
    }

    /// The next event is `user.updated` for `id`; its `data` is what `GET` answers now.
    async fn expect_updated(&mut self, api: &Api, id: &str) -> Value {
        let event = self.expect("user.updated").await;
        assert_eq!(
            comparable(&event["data"]),
            comparable(&get_user(api, id).await)
        );
        event["data"].clone()
    }

    /// Proves that nothing was sent since the last event: a change of `id` is made, and the
    /// next event must be its `user.updated`.
    async fn expect_nothing_before_marker(&mut self, api: &Api, id: &str, marker: &str) {
        api.patch(&format!("/v1/users/{id}"), json!({ "first_name": marker }))
            .await
            .ok();
        let data = self.expect_updated(api, id).await;
        assert_eq!(data["first_name"], marker);
    }
}

/// Asserts a refusal (any 4xx) with `code`.
fn refused(resp: &crate::common::Resp, code: &str) {
    assert!((400..500).contains(&resp.status), "{resp:?}");
    assert_eq!(resp.json["errors"][0]["code"], code, "{resp:?}");
}

async fn get_user(api: &Api, id: &str) -> Value {
    api.get(&format!("/v1/users/{id}")).await.ok().clone()
}

async fn get_session(api: &Api, id: &str) -> Value {
    api.get(&format!("/v1/sessions/{id}")).await.ok().clone()
}

/// A user view without `lockout_expires_in_seconds`, which counts down between the event and
/// the `GET` (checked separately where it matters).
fn comparable(user: &Value) -> Value {
    let mut user = user.clone();
    if let Some(map) = user.as_object_mut() {
        map.remove("lockout_expires_in_seconds");
    }
    user
}

/// Creates a user and consumes its `user.created`; its id.
async fn user(api: &Api, hook: &mut Hook, body: Value) -> String {
    let user = api.user(body).await;
    let event = hook.expect("user.created").await;
    assert_eq!(event["data"], user);
    user["id"].as_str().unwrap().to_owned()
}

/// Creates a session of `user_id` and checks its `session.created`; the session's id.
async fn session(api: &Api, hook: &mut Hook, user_id: &str) -> String {
    let session = api.session(user_id).await;
    let id = session["id"].as_str().unwrap().to_owned();
    let event = hook.expect("session.created").await;
    assert_session_event(api, &event, &id, user_id).await;
    id
}

/// `data` of a session event is the session as `GET` answers it, with its `user` as `GET`
/// answers it.
async fn assert_session_event(api: &Api, event: &Value, session_id: &str, user_id: &str) {
    let mut data = event["data"].clone();
    let user = data.as_object_mut().unwrap().remove("user").expect("user");
    assert_eq!(data, get_session(api, session_id).await);
    assert_eq!(comparable(&user), comparable(&get_user(api, user_id).await));
}

#[tokio::test]
async fn every_change_of_a_user_sends_user_updated_with_what_get_answers() {
    each_backend(async |api: &mut Api| {
        let mut hook = Hook::start(api).await;
        let id = user(
            api,
            &mut hook,
            json!({"email_address": ["ev@example.com"], "password": "correct horse battery"}),
        )
        .await;
        let path = |rest: &str| format!("/v1/users/{id}{rest}");

        api.patch(&path(""), json!({"first_name": "Ada", "external_id": "ext-1"}))
            .await
            .ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["first_name"], "Ada");

        api.patch(&path("/metadata"), json!({"public_metadata": {"a": 1}}))
            .await
            .ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["public_metadata"], json!({"a": 1}));
        api.put(&path("/metadata"), json!({"private_metadata": {"b": 2}}))
            .await
            .ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["private_metadata"], json!({"b": 2}));

        for (action, field, value) in [
            ("/lock", "locked", true),
            ("/unlock", "locked", false),
            ("/ban", "banned", true),
            ("/unban", "banned", false),
        ] {
            api.post_empty(&path(action)).await.ok();
            let data = hook.expect_updated(api, &id).await;
            assert_eq!(data[field], value, "{action}");
        }

        // Second factors on (PATCH), then off one by one.
        api.patch(
            &path(""),
            json!({"totp_secret": "AICJ3HCXKO4KOU6NDHKHSKQ7KEVQ7Y7N", "backup_codes": ["a1", "b2"]}),
        )
        .await
        .ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["totp_enabled"], true);
        assert_eq!(data["backup_code_enabled"], true);
        api.delete(&path("/totp")).await.ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["totp_enabled"], false);
        api.delete(&path("/backup_code")).await.ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["backup_code_enabled"], false);

        api.patch(&path(""), json!({"totp_secret": "AICJ3HCXKO4KOU6NDHKHSKQ7KEVQ7Y7N"}))
            .await
            .ok();
        hook.expect_updated(api, &id).await;
        api.delete(&path("/mfa")).await.ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["two_factor_enabled"], false);

        api.post(&path("/remove_password"), json!({})).await.ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["password_enabled"], false);

        hook.expect_nothing_before_marker(api, &id, "Marker").await;
    })
    .await;
}

#[tokio::test]
async fn identification_changes_send_user_updated() {
    each_backend(async |api: &mut Api| {
        let mut hook = Hook::start(api).await;
        let id = user(
            api,
            &mut hook,
            json!({
                "email_address": ["first@example.com"],
                "web3_wallet": ["0x1111111111111111111111111111111111111111"],
            }),
        )
        .await;

        let email = api
            .post(
                "/v1/email_addresses",
                json!({"user_id": id, "email_address": "second@example.com"}),
            )
            .await
            .ok()
            .clone();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["email_addresses"].as_array().unwrap().len(), 2);
        let email_id = email["id"].as_str().unwrap();

        api.patch(
            &format!("/v1/email_addresses/{email_id}"),
            json!({"verified": true, "primary": true}),
        )
        .await
        .ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["primary_email_address_id"], email_id);

        api.delete(&format!("/v1/email_addresses/{email_id}"))
            .await
            .ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["email_addresses"].as_array().unwrap().len(), 1);

        let phone = api
            .post(
                "/v1/phone_numbers",
                json!({"user_id": id, "phone_number": "+15555550140", "verified": true}),
            )
            .await
            .ok()
            .clone();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["primary_phone_number_id"], phone["id"]);
        api.patch(
            &format!("/v1/phone_numbers/{}", phone["id"].as_str().unwrap()),
            json!({"reserved_for_second_factor": true}),
        )
        .await
        .ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["phone_numbers"][0]["reserved_for_second_factor"], true);
        // Turning MFA off clears the phone's second factor: the event shows it cleared.
        api.delete(&format!("/v1/users/{id}/mfa")).await.ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(
            data["phone_numbers"][0]["reserved_for_second_factor"],
            false
        );
        api.delete(&format!(
            "/v1/phone_numbers/{}",
            phone["id"].as_str().unwrap()
        ))
        .await
        .ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["phone_numbers"], json!([]));

        api.put(
            &format!("/v1/users/{id}/email_address"),
            json!({"email_address": "only@example.com"}),
        )
        .await
        .ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(
            data["email_addresses"][0]["email_address"],
            "only@example.com"
        );

        let wallet_id = data["web3_wallets"][0]["id"].as_str().unwrap().to_owned();
        api.delete(&format!("/v1/users/{id}/web3_wallets/{wallet_id}"))
            .await
            .ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["web3_wallets"], json!([]));
    })
    .await;
}

#[tokio::test]
async fn refused_and_empty_changes_send_nothing() {
    each_backend(async |api: &mut Api| {
        let mut hook = Hook::start(api).await;
        let id = user(api, &mut hook, json!({"email_address": ["a@example.com"]})).await;
        let other = user(api, &mut hook, json!({"email_address": ["b@example.com"]})).await;

        // Unknown ids.
        api.patch("/v1/users/user_unknown", json!({"first_name": "X"}))
            .await
            .err(404, "resource_not_found");
        api.delete("/v1/users/user_unknown")
            .await
            .err(404, "resource_not_found");
        api.post_empty("/v1/users/user_unknown/ban")
            .await
            .err(404, "resource_not_found");
        api.post_empty("/v1/sessions/sess_unknown/revoke")
            .await
            .err(404, "resource_not_found");
        // A taken identifier, a taken username, an unverified primary.
        api.post(
            "/v1/email_addresses",
            json!({"user_id": id, "email_address": "b@example.com"}),
        )
        .await
        .err(422, "form_identifier_exists");
        api.patch(&format!("/v1/users/{other}"), json!({"username": "taken"}))
            .await
            .ok();
        hook.expect_updated(api, &other).await;
        let taken = api
            .patch(&format!("/v1/users/{id}"), json!({"username": "taken"}))
            .await;
        refused(&taken, "form_identifier_exists");
        let unverified = api
            .post(
                "/v1/email_addresses",
                json!({"user_id": id, "email_address": "c@example.com", "primary": true}),
            )
            .await;
        refused(&unverified, "form_verification_needed");
        let too_big = api
            .patch(
                &format!("/v1/users/{id}/metadata"),
                json!({"public_metadata": {"x": "y".repeat(9000)}}),
            )
            .await;
        assert!((400..500).contains(&too_big.status), "{too_big:?}");
        // Nothing to change: no password, no second factor.
        api.post(&format!("/v1/users/{id}/remove_password"), json!({}))
            .await
            .ok();
        api.delete(&format!("/v1/users/{id}/mfa")).await.ok();
        // A session revoked twice has one event.
        let session_id = session(api, &mut hook, &id).await;
        api.post_empty(&format!("/v1/sessions/{session_id}/revoke"))
            .await
            .ok();
        let event = hook.expect("session.revoked").await;
        assert_eq!(event["data"]["status"], "revoked");
        assert_session_event(api, &event, &session_id, &id).await;
        let again = api
            .post_empty(&format!("/v1/sessions/{session_id}/revoke"))
            .await;
        assert_eq!(again.ok()["status"], "revoked");

        hook.expect_nothing_before_marker(api, &id, "Marker").await;
    })
    .await;
}

#[tokio::test]
async fn a_deleted_user_sends_user_deleted_with_its_external_id() {
    each_backend(async |api: &mut Api| {
        let mut hook = Hook::start(api).await;
        let with = user(
            api,
            &mut hook,
            json!({"email_address": ["x@example.com"], "external_id": "crm-42"}),
        )
        .await;
        let without = user(api, &mut hook, json!({"email_address": ["y@example.com"]})).await;
        for (id, external_id) in [(&with, Some("crm-42")), (&without, None)] {
            api.delete(&format!("/v1/users/{id}")).await.ok();
            let event = hook.expect("user.deleted").await;
            let mut expected = json!({"object": "user", "id": id, "deleted": true});
            if let Some(external_id) = external_id {
                expected["external_id"] = json!(external_id);
            }
            assert_eq!(event["data"], expected);
        }
        api.delete(&format!("/v1/users/{with}"))
            .await
            .err(404, "resource_not_found");
        // Only the marker's user.created comes next.
        let marker = api.user(json!({"email_address": ["z@example.com"]})).await;
        let event = hook.expect("user.created").await;
        assert_eq!(event["data"]["id"], marker["id"]);
    })
    .await;
}

#[tokio::test]
async fn sessions_send_created_and_revoked_with_their_user() {
    each_backend(async |api: &mut Api| {
        let mut hook = Hook::start(api).await;
        let id = user(
            api,
            &mut hook,
            json!({"email_address": ["s@example.com"], "password": "correct horse battery"}),
        )
        .await;
        let first = session(api, &mut hook, &id).await;
        let second = session(api, &mut hook, &id).await;

        // A password change that signs the user out: user.updated, then each session.
        api.patch(
            &format!("/v1/users/{id}"),
            json!({"password": "another horse battery", "sign_out_of_other_sessions": true}),
        )
        .await
        .ok();
        hook.expect_updated(api, &id).await;
        for session_id in [&first, &second] {
            let event = hook.expect("session.revoked").await;
            assert_eq!(event["data"]["id"], session_id.as_str());
            assert_eq!(event["data"]["status"], "revoked");
            assert_session_event(api, &event, session_id, &id).await;
        }

        // A ban revokes the sessions left; its event's user is banned.
        let third = session(api, &mut hook, &id).await;
        api.post_empty(&format!("/v1/users/{id}/ban")).await.ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["banned"], true);
        let event = hook.expect("session.revoked").await;
        assert_eq!(event["data"]["id"], third.as_str());
        assert_eq!(event["data"]["user"]["banned"], true);
        assert_session_event(api, &event, &third, &id).await;

        // A banned user gets no session, and no event.
        let banned = api.post("/v1/sessions", json!({"user_id": id})).await;
        refused(&banned, "user_banned");
        api.post_empty(&format!("/v1/users/{id}/unban")).await.ok();
        hook.expect_updated(api, &id).await;
    })
    .await;
}

#[tokio::test]
async fn bulk_bans_send_one_event_per_user() {
    each_backend(async |api: &mut Api| {
        let mut hook = Hook::start(api).await;
        let a = user(api, &mut hook, json!({"email_address": ["a@example.com"]})).await;
        let b = user(api, &mut hook, json!({"email_address": ["b@example.com"]})).await;
        let session_b = session(api, &mut hook, &b).await;
        api.post("/v1/users/ban", json!({"user_ids": [b, "user_unknown", a]}))
            .await
            .ok();
        let data = hook.expect_updated(api, &b).await;
        assert_eq!(data["banned"], true);
        let event = hook.expect("session.revoked").await;
        assert_eq!(event["data"]["id"], session_b.as_str());
        let data = hook.expect_updated(api, &a).await;
        assert_eq!(data["banned"], true);
        api.post("/v1/users/unban", json!({"user_ids": [a, b]}))
            .await
            .ok();
        for id in [&a, &b] {
            let data = hook.expect_updated(api, id).await;
            assert_eq!(data["banned"], false);
        }
    })
    .await;
}

#[tokio::test]
async fn only_the_failed_check_that_locks_the_user_sends_an_event() {
    let three_attempts = || Config::default().with_lockout_attempts(Some(3));
    each_backend_with(three_attempts, async |api: &mut Api| {
        let mut hook = Hook::start(api).await;
        let password = "correct horse battery";
        let id = user(
            api,
            &mut hook,
            json!({"email_address": ["l@example.com"], "password": password}),
        )
        .await;
        let check = async |password: &str| {
            api.post(
                &format!("/v1/users/{id}/verify_password"),
                json!({ "password": password }),
            )
            .await
        };
        check("wrong").await.err(422, "incorrect_password");
        check(password).await.ok();
        check("wrong").await.err(422, "incorrect_password");
        check("wrong").await.err(422, "incorrect_password");
        check("wrong").await.err(422, "incorrect_password");
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["locked"], true);
        assert_eq!(data["verification_attempts_remaining"], 0);
        let expires = data["lockout_expires_in_seconds"].as_i64().unwrap();
        assert!((3599..=3600).contains(&expires), "{expires}");
        // Refused while locked: nothing more.
        check(password).await.err(400, "user_locked");
        api.post_empty(&format!("/v1/users/{id}/unlock")).await.ok();
        let data = hook.expect_updated(api, &id).await;
        assert_eq!(data["locked"], false);
        assert_eq!(data["verification_attempts_remaining"], 3);
    })
    .await;
}
