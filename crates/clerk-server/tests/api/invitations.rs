//! Instance invitations: create (with the invitation email), bulk, list, revoke, and
//! accepting one by redeeming its ticket (a new user, signed in).

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Api, each_backend};

#[tokio::test]
async fn create_list_revoke() {
    each_backend(async |api: &mut Api| {
        let created = api
            .post(
                "/v1/invitations",
                json!({"email_address": "Ann@Example.com", "public_metadata": {"plan": "pro"},
                       "redirect_url": "https://app.example.com/welcome"}),
            )
            .await;
        let inv = created.ok().clone();
        assert_eq!(inv["object"], "invitation");
        assert!(inv["id"].as_str().unwrap().starts_with("inv_"));
        assert_eq!(inv["email_address"], "ann@example.com");
        assert_eq!(inv["status"], "pending");
        assert_eq!(inv["revoked"], false);
        assert_eq!(inv["public_metadata"], json!({"plan": "pro"}));
        let url = inv["url"].as_str().unwrap();
        assert!(url.starts_with("https://app.example.com/welcome?__clerk_ticket="), "{url}");
        let days = (inv["expires_at"].as_i64().unwrap() - inv["created_at"].as_i64().unwrap())
            / 86_400_000;
        assert_eq!(days, 30);
        let outbox = api.get("/v1/_local/outbox?type=email").await;
        let emails = outbox.ok()["data"].as_array().unwrap().clone();
        assert_eq!(emails.len(), 1);
        assert_eq!(emails[0]["to_email_address"], "ann@example.com");
        assert_eq!(emails[0]["slug"], "invitation");

        api.post("/v1/invitations", json!({"email_address": "ann@example.com"}))
            .await
            .err(400, "duplicate_record");
        let again = api
            .post(
                "/v1/invitations",
                json!({"email_address": "ann@example.com", "ignore_existing": true, "notify": false}),
            )
            .await;
        assert_eq!(again.ok()["status"], "pending");
        api.user(json!({"email_address": ["taken@example.com"]})).await;
        api.post("/v1/invitations", json!({"email_address": "taken@example.com"}))
            .await
            .err(422, "form_identifier_exists");
        api.post("/v1/invitations", json!({"email_address": "not-an-email"}))
            .await
            .err(422, "form_param_format_invalid");
        api.post(
            "/v1/invitations",
            json!({"email_address": "x@example.com", "expires_in_days": 400}),
        )
        .await
        .err(422, "form_param_value_invalid");

        let bulk = api
            .post(
                "/v1/invitations/bulk",
                json!([{"email_address": "b1@example.com", "notify": false},
                       {"email_address": "b2@example.com", "notify": false, "expires_in_days": 1}]),
            )
            .await;
        let items = bulk.ok().as_array().unwrap().clone();
        assert_eq!(items.len(), 2, "a bare array");
        api.post(
            "/v1/invitations/bulk",
            json!([{"email_address": "b3@example.com"}, {"email_address": "b3@example.com"}]),
        )
        .await
        .err(400, "duplicate_record");

        let list = api.get("/v1/invitations").await;
        assert!(list.ok().is_array());
        assert_eq!(list.ids().len(), 4);
        let page = api
            .get("/v1/invitations?paginated=true&limit=1&offset=1&order_by=email_address")
            .await;
        assert_eq!(page.ok()["total_count"], 4);
        assert_eq!(page.ok()["data"][0]["email_address"], "ann@example.com");
        let found = api.get("/v1/invitations?query=B1").await;
        assert_eq!(found.ids(), vec![items[0]["id"].as_str().unwrap()]);

        let path = format!("/v1/invitations/{}/revoke", inv["id"].as_str().unwrap());
        let revoked = api.post_empty(&path).await;
        assert_eq!(revoked.ok()["status"], "revoked");
        assert_eq!(revoked.ok()["revoked"], true);
        api.post_empty(&path)
            .await
            .err(400, "invitation_not_pending");
        api.post_empty("/v1/invitations/inv_missing/revoke")
            .await
            .err(404, "resource_not_found");
        let revoked_list = api.get("/v1/invitations?status=revoked").await;
        assert_eq!(revoked_list.ids(), vec![inv["id"].as_str().unwrap()]);

        api.server.advance_clock(Duration::from_secs(2 * 86_400));
        let expired = api.get("/v1/invitations?status=expired").await;
        assert_eq!(expired.ids(), vec![items[1]["id"].as_str().unwrap()]);
        api.get("/v1/invitations?status=nope")
            .await
            .err(400, "form_param_value_invalid");
    })
    .await;
}

#[tokio::test]
async fn accepting_creates_the_user_once() {
    each_backend(async |api: &mut Api| {
        let inv = api
            .post(
                "/v1/invitations",
                json!({"email_address": "new@example.com", "public_metadata": {"team": "red"}, "notify": false}),
            )
            .await
            .ok()
            .clone();
        let url = inv["url"].as_str().unwrap();
        let ticket = url
            .split("__clerk_ticket=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_owned();
        let api = &*api;
        let tries = (0..6).map(|_| {
            let ticket = ticket.clone();
            async move {
                api.post("/v1/_local/tickets/redeem", json!({"ticket": ticket}))
                    .await
            }
        });
        let responses = futures_util::future::join_all(tries).await;
        let winners: Vec<&Value> = responses
            .iter()
            .filter(|r| r.status == 200)
            .map(|r| &r.json)
            .collect();
        assert_eq!(winners.len(), 1, "accepted once");
        for loser in responses.iter().filter(|r| r.status != 200) {
            loser.err(400, "ticket_invalid");
        }
        let redemption = winners[0];
        assert_eq!(redemption["ticket_type"], "invitation");
        assert_eq!(redemption["user_created"], true);
        let user = api
            .get(&format!("/v1/users/{}", redemption["user_id"].as_str().unwrap()))
            .await;
        let user = user.ok();
        assert_eq!(user["public_metadata"], json!({"team": "red"}));
        assert_eq!(user["email_addresses"][0]["email_address"], "new@example.com");
        assert_eq!(
            user["email_addresses"][0]["verification"]["status"],
            "verified"
        );
        let listed = api.get("/v1/invitations?status=accepted").await;
        assert_eq!(listed.ids(), vec![inv["id"].as_str().unwrap()]);
        let count = api.get("/v1/users/count").await;
        assert_eq!(count.ok()["total_count"], 1);

        let short = api
            .post(
                "/v1/invitations",
                json!({"email_address": "late@example.com", "expires_in_days": 1, "notify": false}),
            )
            .await
            .ok()
            .clone();
        let late = short["url"].as_str().unwrap().split("__clerk_ticket=").nth(1).unwrap();
        let late = late.split('&').next().unwrap();
        api.server.advance_clock(Duration::from_secs(86_401));
        api.post("/v1/_local/tickets/redeem", json!({"ticket": late}))
            .await
            .err(400, "ticket_expired");
    })
    .await;
}

#[tokio::test]
async fn redemptions_send_their_webhook_events() {
    use crate::webhook_receiver::Subscription;
    each_backend(async |api: &mut Api| {
        let mut hook = Subscription::start(api, None).await;
        let inv = api
            .post(
                "/v1/invitations",
                json!({"email_address": "hook@example.com"}),
            )
            .await
            .ok()
            .clone();
        let email = hook.expect("email.created").await;
        assert_eq!(email["data"]["to_email_address"], "hook@example.com");
        let url = inv["url"].as_str().unwrap();
        let ticket = url
            .split("__clerk_ticket=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        let done = api
            .post("/v1/_local/tickets/redeem", json!({"ticket": ticket}))
            .await
            .ok()
            .clone();
        let created = hook.expect("user.created").await;
        assert_eq!(created["data"]["id"], done["user_id"]);
        assert_eq!(
            created["data"]["email_addresses"][0]["email_address"],
            "hook@example.com"
        );
        let session = hook.expect("session.created").await;
        assert_eq!(session["data"]["id"], done["session_id"]);

        let token = api
            .post(
                "/v1/actor_tokens",
                json!({"user_id": done["user_id"], "actor": {"sub": "user_admin"}}),
            )
            .await
            .ok()
            .clone();
        let acted = api
            .post(
                "/v1/_local/tickets/redeem",
                json!({"ticket": token["token"]}),
            )
            .await
            .ok()
            .clone();
        let session = hook.expect("session.created").await;
        assert_eq!(session["data"]["id"], acted["session_id"]);
        assert_eq!(session["data"]["actor"]["sub"], "user_admin");
    })
    .await;
}
