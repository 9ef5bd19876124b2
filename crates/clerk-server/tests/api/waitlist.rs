//! Waitlist entries: add (one and in bulk), list with its filters and orders, invite,
//! reject, delete; their webhook events and emails.

use std::sync::LazyLock;

use openapi_kit::Spec;
use serde_json::{Value, json};

use crate::common::{Api, each_backend};
use crate::webhook_receiver::Subscription;

static WEBHOOKS: LazyLock<Spec> =
    LazyLock::new(|| openapi_kit::load_spec("webhooks-2025-04-15.json"));

/// The next event, of `event_type` and valid against Clerk's webhooks spec: its `data`.
async fn expect(hook: &mut Subscription, event_type: &str) -> Value {
    let event = hook.expect(event_type).await;
    let schema = &WEBHOOKS.document()["x-webhooks"][event_type]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    if let Err(violations) = WEBHOOKS.validate(&event, schema) {
        panic!("{event_type}: {violations:?}\n{event:#}");
    }
    event["data"].clone()
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn entries_add_list_invite_reject_delete() {
    each_backend(async |api: &mut Api| {
        let mut hook = Subscription::start(
            api,
            Some(&["waitlistEntry.created", "waitlistEntry.updated"]),
        )
        .await;
        let ada = api
            .post(
                "/v1/waitlist_entries",
                json!({"email_address": "Ada@Example.com", "notify": false}),
            )
            .await
            .ok()
            .clone();
        assert_eq!(ada["object"], "waitlist_entry");
        assert!(id(&ada).starts_with("wle_"));
        assert_eq!(ada["email_address"], "ada@example.com");
        assert_eq!(ada["status"], "pending");
        assert_eq!(ada["is_locked"], false);
        assert_eq!(ada["invitation"], Value::Null);
        assert_eq!(expect(&mut hook, "waitlistEntry.created").await, ada);

        // The same address again: the same entry, nothing new.
        let again = api
            .post(
                "/v1/waitlist_entries",
                json!({"email_address": "ada@example.com"}),
            )
            .await;
        assert_eq!(again.ok(), &ada);

        let bulk = api
            .post(
                "/v1/waitlist_entries/bulk",
                json!([
                    {"email_address": "bob@example.com"},
                    {"email_address": "ada@example.com", "notify": false},
                    {"email_address": "cy@example.org", "notify": false}
                ]),
            )
            .await;
        let bulk = bulk.ok().as_array().unwrap().clone();
        assert_eq!(bulk.len(), 3);
        assert_eq!(bulk[1], ada);
        assert_eq!(expect(&mut hook, "waitlistEntry.created").await, bulk[0]);
        assert_eq!(expect(&mut hook, "waitlistEntry.created").await, bulk[2]);
        let (bob, cy) = (id(&bulk[0]), id(&bulk[2]));

        // Bob asked for the confirmation email (notify defaults to true).
        let outbox = api.get("/v1/_local/outbox").await;
        assert_eq!(outbox.ok()["total_count"], 1);
        assert_eq!(outbox.ok()["data"][0]["slug"], "waitlist_confirmation");
        assert_eq!(
            outbox.ok()["data"][0]["to_email_address"],
            "bob@example.com"
        );

        let list = api.get("/v1/waitlist_entries").await;
        assert_eq!(list.ok()["total_count"], 3);
        assert_eq!(list.ids()[2], id(&ada), "newest first");
        let list = api
            .get("/v1/waitlist_entries?order_by=email_address&limit=2")
            .await;
        assert_eq!(list.ids(), vec![id(&ada), bob.clone()]);
        assert_eq!(list.ok()["total_count"], 3);
        let list = api.get("/v1/waitlist_entries?query=EXAMPLE.ORG").await;
        assert_eq!(list.ids(), vec![cy.clone()]);
        let list = api.get(&format!("/v1/waitlist_entries?query={bob}")).await;
        assert_eq!(list.ids(), vec![bob.clone()]);

        // Invite: the entry is invited, the address gets the invitation email.
        let invited = api
            .post_empty(&format!("/v1/waitlist_entries/{bob}/invite"))
            .await
            .ok()
            .clone();
        assert_eq!(invited["status"], "invited");
        assert_eq!(expect(&mut hook, "waitlistEntry.updated").await, invited);
        let outbox = api.get("/v1/_local/outbox").await;
        assert_eq!(outbox.ok()["data"][0]["slug"], "waitlist_invitation");
        assert_eq!(
            outbox.ok()["data"][0]["to_email_address"],
            "bob@example.com"
        );
        api.post(
            &format!("/v1/waitlist_entries/{bob}/invite"),
            json!({"ignore_existing": false}),
        )
        .await
        .err(409, "duplicate_record");
        let again = api
            .post(
                &format!("/v1/waitlist_entries/{bob}/invite"),
                json!({"ignore_existing": true}),
            )
            .await;
        assert_eq!(again.ok()["status"], "invited");
        expect(&mut hook, "waitlistEntry.updated").await;
        let list = api.get("/v1/waitlist_entries?status=invited").await;
        assert_eq!(list.ids(), vec![bob.clone()]);
        let list = api.get("/v1/waitlist_entries?order_by=-invited_at").await;
        assert_eq!(list.ids()[0], bob);

        // An address a user has is refused unless ignore_existing.
        api.user(json!({"email_address": ["cy@example.org"]})).await;
        api.post_empty(&format!("/v1/waitlist_entries/{cy}/invite"))
            .await
            .err(422, "form_identifier_exists");

        // Reject, then delete only what is pending.
        let rejected = api
            .post_empty(&format!("/v1/waitlist_entries/{cy}/reject"))
            .await
            .ok()
            .clone();
        assert_eq!(rejected["status"], "rejected");
        assert_eq!(expect(&mut hook, "waitlistEntry.updated").await, rejected);
        api.delete(&format!("/v1/waitlist_entries/{cy}"))
            .await
            .err(409, "waitlist_entry_not_pending");
        let deleted = api
            .delete(&format!("/v1/waitlist_entries/{}", id(&ada)))
            .await;
        assert_eq!(
            deleted.ok(),
            &json!({"object": "waitlist_entry", "id": ada["id"], "deleted": true})
        );
        assert_eq!(api.get("/v1/waitlist_entries").await.ok()["total_count"], 2);
    })
    .await;
}

#[tokio::test]
async fn refused_requests() {
    each_backend(async |api: &mut Api| {
        for path in ["invite", "reject"] {
            let resp = api
                .post_empty(&format!("/v1/waitlist_entries/wle_missing/{path}"))
                .await;
            let err = resp.err(404, "resource_not_found");
            assert!(
                err["long_message"]
                    .as_str()
                    .unwrap()
                    .contains("wle_missing")
            );
        }
        api.delete("/v1/waitlist_entries/wle_missing")
            .await
            .err(404, "resource_not_found");
        api.post("/v1/waitlist_entries", json!({"email_address": "nope"}))
            .await
            .err(422, "form_param_format_invalid");
        api.post("/v1/waitlist_entries", json!({}))
            .await
            .err(422, "form_param_missing");
        api.post(
            "/v1/waitlist_entries/bulk",
            json!([{"email_address": "a@example.com"}, {"email_address": "A@example.com"}]),
        )
        .await
        .err(422, "duplicate_record");
        api.post("/v1/waitlist_entries/bulk", json!([]))
            .await
            .err(400, "request_body_invalid");
        let many: Vec<Value> = (0..51)
            .map(|i| json!({"email_address": format!("u{i}@example.com")}))
            .collect();
        api.post("/v1/waitlist_entries/bulk", Value::Array(many))
            .await
            .err(400, "bulk_size_exceeded");
        api.get("/v1/waitlist_entries?status=waiting")
            .await
            .err(422, "form_param_value_invalid");
        api.get("/v1/waitlist_entries?order_by=status")
            .await
            .err(422, "form_param_value_invalid");
        // Nothing was added by the refused bulk requests.
        assert_eq!(api.get("/v1/waitlist_entries").await.ok()["total_count"], 0);
    })
    .await;
}

/// Inviting an entry makes (or reuses) a pending instance invitation: the entry names it,
/// the email links to its ticket, redeeming that ticket completes the entry, and rejecting
/// an invited entry revokes its invitation.
#[tokio::test]
async fn invited_entries_name_their_invitation() {
    each_backend(async |api: &mut Api| {
        let mut hook = Subscription::start(api, Some(&["waitlistEntry.updated"])).await;
        let add = async |api: &mut Api, email: &str| {
            let body = json!({"email_address": email, "notify": false});
            id(api.post("/v1/waitlist_entries", body).await.ok())
        };
        let dee = add(api, "dee@example.com").await;
        let invited = api
            .post_empty(&format!("/v1/waitlist_entries/{dee}/invite"))
            .await
            .ok()
            .clone();
        let invitation = &invited["invitation"];
        assert_eq!(invitation["object"], "invitation");
        assert_eq!(invitation["status"], "pending");
        assert_eq!(invitation["email_address"], "dee@example.com");
        let url = invitation["url"].as_str().unwrap().to_owned();
        let ticket = url.split("__clerk_ticket=").nth(1).unwrap();
        let ticket = ticket.split('&').next().unwrap().to_owned();
        assert_eq!(expect(&mut hook, "waitlistEntry.updated").await, invited);
        // The invitation is an instance invitation like any other, and the email links to it.
        let pending = api.get("/v1/invitations?status=pending").await;
        assert_eq!(pending.ids(), vec![id(invitation)]);
        let email = api.get("/v1/_local/outbox").await.ok()["data"][0].clone();
        assert_eq!(email["slug"], "waitlist_invitation");
        assert!(email["body"].as_str().unwrap().contains(&ticket), "{email}");
        // Inviting again reuses the pending invitation.
        let again = api
            .post(
                &format!("/v1/waitlist_entries/{dee}/invite"),
                json!({"ignore_existing": true}),
            )
            .await;
        assert_eq!(again.ok()["invitation"]["id"], invitation["id"]);
        expect(&mut hook, "waitlistEntry.updated").await;
        // Redeeming the ticket signs the new user in and completes the entry.
        let redeemed = api
            .post("/v1/_local/tickets/redeem", json!({"ticket": ticket}))
            .await;
        assert_eq!(redeemed.ok()["ticket_type"], "invitation");
        let completed = expect(&mut hook, "waitlistEntry.updated").await;
        assert_eq!(completed["id"], dee.as_str());
        assert_eq!(completed["status"], "completed");
        assert_eq!(completed["invitation"]["status"], "accepted");
        let listed = api.get("/v1/waitlist_entries?status=completed").await;
        assert_eq!(listed.ids(), vec![dee.clone()]);
        assert_eq!(listed.ok()["data"][0], completed);

        // An address with a pending invitation already: the entry names that one.
        let sent = api
            .post(
                "/v1/invitations",
                json!({"email_address": "eve@example.com", "notify": false}),
            )
            .await
            .ok()
            .clone();
        let eve = add(api, "eve@example.com").await;
        let invited = api
            .post_empty(&format!("/v1/waitlist_entries/{eve}/invite"))
            .await;
        assert_eq!(invited.ok()["invitation"]["id"], sent["id"]);
        expect(&mut hook, "waitlistEntry.updated").await;
        // Rejecting it revokes the invitation: its ticket no longer lets anyone in.
        let rejected = api
            .post_empty(&format!("/v1/waitlist_entries/{eve}/reject"))
            .await
            .ok()
            .clone();
        assert_eq!(rejected["status"], "rejected");
        assert_eq!(rejected["invitation"]["status"], "revoked");
        assert_eq!(expect(&mut hook, "waitlistEntry.updated").await, rejected);
        let ticket = sent["url"]
            .as_str()
            .unwrap()
            .split("__clerk_ticket=")
            .nth(1)
            .unwrap();
        let ticket = ticket.split('&').next().unwrap();
        api.post("/v1/_local/tickets/redeem", json!({"ticket": ticket}))
            .await
            .err(400, "ticket_invalid");
    })
    .await;
}
