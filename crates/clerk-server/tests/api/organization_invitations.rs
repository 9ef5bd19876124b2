//! Organization invitations: create (one and in bulk), the invitation email, list (per
//! organization, pending, instance-wide, per user), get, revoke, the local accept, expiry,
//! and the rules (duplicates, members, inviters, the membership limit).

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Api, each_backend};

async fn user(api: &Api, email: &str) -> String {
    api.user(json!({"email_address": [email], "first_name": "F"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn org(api: &Api, body: Value) -> String {
    api.post("/v1/organizations", body).await.ok()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn emails(resp: &Value) -> Vec<String> {
    resp["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["email_address"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn create_get_list_revoke() {
    each_backend(async |api: &mut Api| {
        let ada = user(api, "ada@example.com").await;
        let oid = org(api, json!({"name": "Acme", "created_by": ada})).await;
        let path = format!("/v1/organizations/{oid}/invitations");

        let created = api
            .post(
                &path,
                json!({"email_address": "Bob@Example.com", "role": "org:member", "inviter_user_id": ada,
                       "public_metadata": {"team": "red"}, "private_metadata": {"n": 1},
                       "redirect_url": "https://app.example.com/join", "expires_in_days": 7}),
            )
            .await;
        let inv = created.ok().clone();
        assert_eq!(inv["object"], "organization_invitation");
        let iid = inv["id"].as_str().unwrap().to_owned();
        assert!(iid.starts_with("orginv_"));
        assert_eq!(inv["email_address"], "bob@example.com");
        assert_eq!(inv["role"], "org:member");
        assert_eq!(inv["role_name"], "Member");
        assert_eq!(inv["organization_id"], json!(oid));
        assert_eq!(inv["status"], "pending");
        assert_eq!(inv["inviter_id"], json!(ada));
        assert_eq!(inv["public_inviter_data"]["user_id"], json!(ada));
        assert_eq!(inv["public_inviter_data"]["identifier"], "ada@example.com");
        assert_eq!(inv["public_metadata"], json!({"team": "red"}));
        assert_eq!(inv["private_metadata"], json!({"n": 1}));
        // The link is the Frontend API's accept link with the invitation's ticket, the same
        // on every read.
        let url = inv["url"].as_str().unwrap();
        assert!(
            url.starts_with(&format!(
                "{}/__clerk/v1/tickets/accept?ticket=",
                api.server.base_url()
            )),
            "{url}"
        );
        assert_eq!(
            api.get(&format!("{path}/{}", inv["id"].as_str().unwrap()))
                .await
                .ok()["url"],
            inv["url"]
        );
        assert!(inv.get("public_organization_data").is_none());
        let created_at = inv["created_at"].as_i64().unwrap();
        assert_eq!(
            inv["expires_at"].as_i64().unwrap() - created_at,
            7 * 86_400_000
        );

        // The email went to the outbox.
        let outbox = api.get("/v1/_local/outbox").await;
        let email = &outbox.ok()["data"][0];
        assert_eq!(email["to_email_address"], "bob@example.com");
        assert_eq!(email["slug"], "organization_invitation");
        // Its link is the invitation's url, with the ticket.
        let ticket = url.split("ticket=").nth(1).unwrap();
        assert!(
            email["body"].as_str().unwrap().contains(ticket),
            "{}",
            email["body"]
        );

        // notify: false sends nothing; no inviter: public_inviter_data is null.
        let quiet = api
            .post(
                &path,
                json!({"email_address": "cy@example.com", "role": "org:admin", "notify": false}),
            )
            .await;
        assert_eq!(quiet.ok()["public_inviter_data"], Value::Null);
        assert_eq!(quiet.ok()["role_name"], "Admin");
        let outbox = api.get("/v1/_local/outbox").await;
        assert_eq!(outbox.ok()["total_count"], 1);

        // Get, and 404s.
        let got = api.get(&format!("{path}/{iid}")).await;
        assert_eq!(got.ok()["id"], json!(iid));
        let missing = api.get(&format!("{path}/orginv_missing")).await;
        assert_eq!(
            missing.err(404, "resource_not_found")["long_message"],
            "No organization invitation was found with id orginv_missing"
        );
        api.get("/v1/organizations/org_missing/invitations/x")
            .await
            .err(404, "resource_not_found");

        // Lists: newest first, status and email filters, order_by.
        let listed = api.get(&path).await;
        assert_eq!(emails(listed.ok()), ["cy@example.com", "bob@example.com"]);
        assert_eq!(listed.ok()["total_count"], 2);
        let ordered = api.get(&format!("{path}?order_by=email_address")).await;
        assert_eq!(emails(ordered.ok()), ["bob@example.com", "cy@example.com"]);
        let by_email = api
            .get(&format!("{path}?email_address=CY@example.com"))
            .await;
        assert_eq!(emails(by_email.ok()), ["cy@example.com"]);
        let paged = api.get(&format!("{path}?limit=1&offset=1")).await;
        assert_eq!(emails(paged.ok()), ["bob@example.com"]);
        assert_eq!(paged.ok()["total_count"], 2);
        api.get(&format!("{path}?status=nope"))
            .await
            .err(400, "form_param_value_invalid");
        api.get("/v1/organizations/org_missing/invitations")
            .await
            .err(404, "resource_not_found");

        // Revoke: pending only.
        let revoked = api
            .post(&format!("{path}/{iid}/revoke"), json!({"requesting_user_id": ada}))
            .await;
        assert_eq!(revoked.ok()["status"], "revoked");
        api.post_empty(&format!("{path}/{iid}/revoke"))
            .await
            .err(400, "organization_invitation_not_pending");
        api.post_empty(&format!("{path}/orginv_missing/revoke"))
            .await
            .err(404, "resource_not_found");
        let pending = api.get(&format!("{path}/pending")).await;
        assert_eq!(emails(pending.ok()), ["cy@example.com"]);
        let revoked_list = api.get(&format!("{path}?status=revoked")).await;
        assert_eq!(emails(revoked_list.ok()), ["bob@example.com"]);
        api.get("/v1/organizations/org_missing/invitations/pending")
            .await
            .err(404, "resource_not_found");

        // A revoked invitation no longer blocks a new one.
        api.post(
            &path,
            json!({"email_address": "bob@example.com", "role": "org:member"}),
        )
        .await
        .ok();
    })
    .await;
}

#[tokio::test]
async fn rules_of_creating() {
    each_backend(async |api: &mut Api| {
        let ada = user(api, "ada@example.com").await;
        let bob = user(api, "bob@example.com").await;
        let dan = user(api, "dan@example.com").await;
        let oid = org(api, json!({"name": "Acme", "created_by": ada})).await;
        api.post(
            &format!("/v1/organizations/{oid}/memberships"),
            json!({"user_id": bob, "role": "org:member"}),
        )
        .await
        .ok();
        let path = format!("/v1/organizations/{oid}/invitations");
        let invite = |email: &str, role: &str| json!({"email_address": email, "role": role});

        api.post(&path, invite("bob@example.com", "org:member"))
            .await
            .err(400, "already_a_member_in_organization");
        api.post(&path, invite("new@example.com", "org:member"))
            .await
            .ok();
        api.post(&path, invite("NEW@example.com", "org:admin"))
            .await
            .err(400, "organization_invitation_not_unique");
        let role = api.post(&path, invite("x@example.com", "org:nope")).await;
        assert_eq!(role.err(404, "resource_not_found")["meta"]["param_name"], "role");
        api.post(&path, invite("not-an-email", "org:member"))
            .await
            .err(422, "form_param_format_invalid");
        api.post(&path, json!({"email_address": "x@example.com"}))
            .await
            .err(422, "form_param_missing");
        api.post(&path, json!({"email_address": "x@example.com", "role": "org:member", "expires_in_days": 0}))
            .await
            .err(422, "form_param_value_invalid");
        api.post(&path, json!({"email_address": "x@example.com", "role": "org:member", "bogus": 1}))
            .await
            .err(422, "form_param_unknown");
        api.post(
            "/v1/organizations/org_missing/invitations",
            invite("x@example.com", "org:member"),
        )
        .await
        .err(404, "resource_not_found");

        // The inviter must be an administrator of the organization.
        let with_inviter =
            |inviter: &str| json!({"email_address": "x@example.com", "role": "org:member", "inviter_user_id": inviter});
        api.post(&path, with_inviter(&bob))
            .await
            .err(403, "not_an_admin_in_organization");
        api.post(&path, with_inviter(&dan))
            .await
            .err(403, "not_a_member_in_organization");
        api.post(&path, with_inviter("user_missing"))
            .await
            .err(404, "resource_not_found");
        api.post_empty(&format!("{path}/x/revoke")).await.err(404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn pending_invitations_count_against_the_membership_limit() {
    each_backend(async |api: &mut Api| {
        let ada = user(api, "ada@example.com").await;
        let bob = user(api, "bob@example.com").await;
        let oid = org(
            api,
            json!({"name": "Small", "created_by": ada, "max_allowed_memberships": 2}),
        )
        .await;
        let path = format!("/v1/organizations/{oid}/invitations");
        let inv = api
            .post(
                &path,
                json!({"email_address": "cy@example.com", "role": "org:member"}),
            )
            .await;
        let iid = inv.ok()["id"].as_str().unwrap().to_owned();
        api.post(
            &path,
            json!({"email_address": "dee@example.com", "role": "org:member"}),
        )
        .await
        .err(403, "organization_membership_quota_exceeded");
        api.post(
            &format!("/v1/organizations/{oid}/memberships"),
            json!({"user_id": bob, "role": "org:member"}),
        )
        .await
        .err(403, "organization_membership_quota_exceeded");
        // Revoking frees the place.
        api.post_empty(&format!("{path}/{iid}/revoke")).await.ok();
        api.post(
            &path,
            json!({"email_address": "dee@example.com", "role": "org:member"}),
        )
        .await
        .ok();
    })
    .await;
}

#[tokio::test]
async fn bulk() {
    each_backend(async |api: &mut Api| {
        let ada = user(api, "ada@example.com").await;
        let oid = org(api, json!({"name": "Acme", "created_by": ada})).await;
        let path = format!("/v1/organizations/{oid}/invitations/bulk");
        let created = api
            .post(
                &path,
                json!([
                    {"email_address": "a@example.com", "role": "org:member", "inviter_user_id": ada},
                    {"email_address": "b@example.com", "role": "org:admin", "notify": false}
                ]),
            )
            .await;
        assert_eq!(created.ok()["total_count"], 2);
        assert_eq!(emails(created.ok()), ["a@example.com", "b@example.com"]);
        let outbox = api.get("/v1/_local/outbox").await;
        assert_eq!(outbox.ok()["total_count"], 1);

        // All or nothing: the duplicate refuses the whole batch.
        api.post(
            &path,
            json!([
                {"email_address": "c@example.com", "role": "org:member"},
                {"email_address": "a@example.com", "role": "org:member"}
            ]),
        )
        .await
        .err(400, "organization_invitation_not_unique");
        let listed = api.get(&format!("/v1/organizations/{oid}/invitations")).await;
        assert_eq!(listed.ok()["total_count"], 2);

        let eleven: Vec<Value> = (0..11)
            .map(|i| json!({"email_address": format!("u{i}@example.com"), "role": "org:member"}))
            .collect();
        api.post(&path, json!(eleven))
            .await
            .err(400, "bulk_size_exceeded");
        api.post(&path, json!([])).await.err(400, "request_body_invalid");
        api.post(&path, json!({"email_address": "a@example.com"}))
            .await
            .err(400, "request_body_invalid");
        api.post(
            "/v1/organizations/org_missing/invitations/bulk",
            json!([{"email_address": "z@example.com", "role": "org:member"}]),
        )
        .await
        .err(404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn accept_expire_and_the_instance_and_user_lists() {
    each_backend(async |api: &mut Api| {
        let ada = user(api, "ada@example.com").await;
        let bob = user(api, "bob@example.com").await;
        let acme = org(api, json!({"name": "Acme", "created_by": ada})).await;
        let beta = org(api, json!({"name": "Beta", "created_by": ada})).await;
        let invite = async |oid: &str, email: &str, days: i64| {
            api.post(
                &format!("/v1/organizations/{oid}/invitations"),
                json!({"email_address": email, "role": "org:member", "expires_in_days": days,
                       "public_metadata": {"via": "invite"}}),
            )
            .await
            .ok()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        let to_acme = invite(&acme, "bob@example.com", 30).await;
        let to_beta = invite(&beta, "bob@example.com", 1).await;
        invite(&acme, "zed@example.com", 30).await;

        // Bob's invitations, with the organizations' public data.
        let bobs = api
            .get(&format!("/v1/users/{bob}/organization_invitations"))
            .await;
        assert_eq!(bobs.ok()["total_count"], 2);
        let first = &bobs.ok()["data"][0];
        assert_eq!(first["id"], json!(to_beta));
        assert_eq!(first["public_organization_data"]["name"], "Beta");
        assert_eq!(first["public_organization_data"]["slug"], "beta");
        api.get("/v1/users/user_missing/organization_invitations")
            .await
            .err(404, "resource_not_found");

        // The instance's list: query on the address, status, order.
        let all = api.get("/v1/organization_invitations").await;
        assert_eq!(all.ok()["total_count"], 3);
        assert!(all.ok()["data"][0]["public_organization_data"].is_object());
        let zed = api.get("/v1/organization_invitations?query=ZED").await;
        assert_eq!(emails(zed.ok()), ["zed@example.com"]);
        let ordered = api
            .get("/v1/organization_invitations?order_by=-email_address&limit=1")
            .await;
        assert_eq!(emails(ordered.ok()), ["zed@example.com"]);
        api.get("/v1/organization_invitations?order_by=role")
            .await
            .err(422, "form_param_value_invalid");
        api.get("/v1/organization_invitations?status=bogus")
            .await
            .err(400, "form_param_value_invalid");

        // Accept (local): Bob is found by his address, and joins with the invited role.
        let accepted = api
            .post_empty(&format!(
                "/v1/_local/organization_invitations/{to_acme}/accept"
            ))
            .await;
        assert_eq!(accepted.ok()["status"], "accepted");
        let member = api
            .get(&format!(
                "/v1/organizations/{acme}/memberships?user_id={bob}"
            ))
            .await;
        let membership = &member.ok()["data"][0];
        assert_eq!(membership["role"], "org:member");
        assert_eq!(membership["public_metadata"], json!({"via": "invite"}));
        api.post_empty(&format!(
            "/v1/_local/organization_invitations/{to_acme}/accept"
        ))
        .await
        .err(400, "organization_invitation_already_accepted");
        api.post_empty("/v1/_local/organization_invitations/orginv_missing/accept")
            .await
            .err(404, "resource_not_found");
        let accepted_list = api
            .get(&format!(
                "/v1/users/{bob}/organization_invitations?status=accepted"
            ))
            .await;
        assert_eq!(accepted_list.ok()["data"][0]["id"], json!(to_acme));

        // Two days later the one-day invitation has expired.
        api.server.advance_clock(Duration::from_secs(2 * 86_400));
        let expired = api
            .get(&format!(
                "/v1/organizations/{beta}/invitations?status=expired"
            ))
            .await;
        assert_eq!(expired.ok()["data"][0]["id"], json!(to_beta));
        assert_eq!(expired.ok()["data"][0]["status"], "expired");
        let pending = api
            .get(&format!("/v1/organizations/{beta}/invitations/pending"))
            .await;
        assert_eq!(pending.ok()["total_count"], 0);
        let counted = api
            .get(&format!("/v1/organizations/{beta}?include_members_count=true"))
            .await;
        assert_eq!(counted.ok()["pending_invitations_count"], 0);
        api.post(
            &format!("/v1/_local/organization_invitations/{to_beta}/accept"),
            json!({"user_id": bob}),
        )
        .await
        .err(400, "organization_invitation_not_pending");

        // Deleting an organization deletes its invitations.
        api.delete(&format!("/v1/organizations/{acme}")).await.ok();
        let all = api.get("/v1/organization_invitations").await;
        assert_eq!(all.ok()["total_count"], 1);

        // Deleting a user leaves the invitations they sent, without their public data.
        let cy = user(api, "cy@example.com").await;
        api.post(
            &format!("/v1/organizations/{beta}/memberships"),
            json!({"user_id": cy, "role": "org:admin"}),
        )
        .await
        .ok();
        let sent = api
            .post(
                &format!("/v1/organizations/{beta}/invitations"),
                json!({"email_address": "dee@example.com", "role": "org:member", "inviter_user_id": cy}),
            )
            .await;
        let sent_id = sent.ok()["id"].as_str().unwrap().to_owned();
        assert_eq!(sent.ok()["public_inviter_data"]["user_id"], json!(cy));
        api.delete(&format!("/v1/users/{cy}")).await.ok();
        let kept = api
            .get(&format!("/v1/organizations/{beta}/invitations/{sent_id}"))
            .await;
        assert_eq!(kept.ok()["inviter_id"], json!(cy));
        assert_eq!(kept.ok()["public_inviter_data"], Value::Null);
    })
    .await;
}

/// `TestServer`'s helpers invite and accept, so apps' tests can reach `accepted`.
#[tokio::test]
async fn test_server_helpers_invite_and_accept() {
    let server = clerk_server::TestServer::start().await;
    let ann = server.create_user("ann@example.com").await;
    let bob = server.create_user("bob@example.com").await;
    let acme = server.create_organization("Acme", Some(&ann.id)).await;
    let invitation = server
        .invite_to_organization(&acme.id, "bob@example.com", "org:admin")
        .await;
    assert_eq!(invitation["status"], "pending");
    let id = invitation["id"].as_str().unwrap();
    let accepted = server.accept_organization_invitation(id, None).await;
    assert_eq!(accepted["status"], "accepted");
    // Bob is now an administrator: his session's token carries the role.
    let session = server.create_session_in(&bob.id, &acme.id).await;
    let token = server.session_token(&session.id).await;
    let claims = crate::common::claims(&token);
    assert_eq!(claims["o"]["rol"], "admin");
    server.shutdown().await;
}
