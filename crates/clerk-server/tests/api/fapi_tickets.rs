//! Invitation tickets through the Frontend API and the local redemption: an organization
//! invitation's ticket (its `url`) redeemed by a sign-in, a sign-up, the link itself or
//! `POST /v1/_local/tickets/redeem` makes one member, once; a browser sign-up with an
//! instance invitation's ticket. Both backends.

use serde_json::{Value, json};

use crate::common::{Api, each_backend};
use crate::fapi::{PAGE_ORIGIN, Tab, url_encode};
use crate::webhook_receiver::Subscription;

async fn org(api: &Api, name: &str) -> String {
    let creator = api
        .user(json!({"email_address": [format!("owner.{name}@example.com")]}))
        .await;
    api.post(
        "/v1/organizations",
        json!({"name": name, "created_by": creator["id"]}),
    )
    .await
    .ok()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Invites `email` into `oid` as `role`; the invitation.
async fn invite(api: &Api, oid: &str, email: &str, role: &str, extra: Value) -> Value {
    let mut body = json!({"email_address": email, "role": role, "notify": false});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    api.post(&format!("/v1/organizations/{oid}/invitations"), body)
        .await
        .ok()
        .clone()
}

/// The ticket in an organization invitation's `url`.
fn ticket_of(api: &Api, invitation: &Value) -> String {
    let url = invitation["url"].as_str().unwrap();
    let prefix = format!(
        "{}/__clerk/v1/tickets/accept?ticket=",
        api.server.base_url()
    );
    url.strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{url}"))
        .to_owned()
}

/// The members of `oid`: (user id, role).
async fn members(api: &Api, oid: &str) -> Vec<(String, String)> {
    let list = api
        .get(&format!("/v1/organizations/{oid}/memberships?limit=100"))
        .await;
    list.ok()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["public_user_data"]["user_id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                m["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn invitation_status(api: &Api, oid: &str, id: &str) -> String {
    api.get(&format!("/v1/organizations/{oid}/invitations/{id}"))
        .await
        .ok()["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn an_organization_invitation_ticket_signs_in_and_makes_a_member_once() {
    each_backend(async |api: &mut Api| {
        let oid = org(api, "Tickets").await;
        let bob = api
            .user(
                json!({"email_address": ["bob@example.com"], "password": "correct horse battery"}),
            )
            .await;
        let bob_id = bob["id"].as_str().unwrap();
        let mut hook = Subscription::start(
            api,
            Some(&[
                "organizationMembership.created",
                "organizationInvitation.accepted",
            ]),
        )
        .await;
        let invitation = invite(api, &oid, "bob@example.com", "org:admin", json!({})).await;
        let iid = invitation["id"].as_str().unwrap();
        let ticket = ticket_of(api, &invitation);

        // clerk-js's `signIn.create({strategy: 'ticket', ticket})`.
        let mut tab = Tab::new(api);
        let signed_in = tab
            .call(
                "POST",
                "/v1/client/sign_ins",
                &[("strategy", "ticket"), ("ticket", &ticket)],
            )
            .await;
        assert_eq!(signed_in.ok()["response"]["status"], "complete");
        let session = signed_in.ok()["client"]["sessions"][0].clone();
        assert_eq!(session["user"]["id"], bob_id);
        assert!(
            members(api, &oid)
                .await
                .contains(&(bob_id.to_owned(), "org:admin".to_owned()))
        );
        assert_eq!(invitation_status(api, &oid, iid).await, "accepted");
        let created = hook.expect("organizationMembership.created").await;
        assert_eq!(created["data"]["public_user_data"]["user_id"], bob_id);
        assert_eq!(created["data"]["role"], "org:admin");
        let accepted = hook.expect("organizationInvitation.accepted").await;
        assert_eq!(accepted["data"]["id"], iid);
        assert_eq!(accepted["data"]["user_id"], bob_id);
        assert_eq!(accepted["data"]["status"], "accepted");

        // Once: the same ticket again, in a sign-in or the local redemption.
        let mut again = Tab::new(api);
        let refused = again
            .call(
                "POST",
                "/v1/client/sign_ins",
                &[("strategy", "ticket"), ("ticket", &ticket)],
            )
            .await;
        assert_eq!(
            refused.err(400, "ticket_invalid")["meta"]["param_name"],
            "ticket"
        );
        api.post("/v1/_local/tickets/redeem", json!({"ticket": ticket}))
            .await
            .err(400, "ticket_invalid");
        // The local accept endpoint shares the operation: already accepted.
        api.post(
            &format!("/v1/_local/organization_invitations/{iid}/accept"),
            json!({}),
        )
        .await
        .err(400, "organization_invitation_already_accepted");
        assert!(
            hook.receiver
                .quiet_for(std::time::Duration::from_millis(300))
                .await,
            "a refused redemption sends nothing"
        );

        // The local redemption: nobody has the address yet, so the user is created.
        let carol = invite(api, &oid, "carol@example.com", "org:member", json!({})).await;
        let redeemed = api
            .post(
                "/v1/_local/tickets/redeem",
                json!({"ticket": ticket_of(api, &carol)}),
            )
            .await;
        let done = redeemed.ok();
        assert_eq!(done["ticket_type"], "organization_invitation");
        assert_eq!(done["ticket_id"], carol["id"]);
        assert_eq!(done["user_created"], true);
        let carol_id = done["user_id"].as_str().unwrap();
        let user = api.get(&format!("/v1/users/{carol_id}")).await;
        assert_eq!(
            user.ok()["email_addresses"][0]["email_address"],
            "carol@example.com"
        );
        assert_eq!(
            user.ok()["email_addresses"][0]["verification"]["status"],
            "verified"
        );
        assert!(
            members(api, &oid)
                .await
                .contains(&(carol_id.to_owned(), "org:member".to_owned()))
        );
        let session = api
            .get(&format!(
                "/v1/sessions/{}",
                done["session_id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(session.ok()["status"], "active");

        // A revoked invitation's ticket, and a forged one, are refused.
        let dave = invite(api, &oid, "dave@example.com", "org:member", json!({})).await;
        api.post(
            &format!(
                "/v1/organizations/{oid}/invitations/{}/revoke",
                dave["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await
        .ok();
        let revoked = api
            .post(
                "/v1/_local/tickets/redeem",
                json!({"ticket": ticket_of(api, &dave)}),
            )
            .await;
        assert!(
            revoked.err(400, "ticket_invalid")["long_message"]
                .as_str()
                .unwrap()
                .contains("revoked"),
            "{}",
            revoked.text
        );
        let mut forged = ticket_of(api, &dave);
        forged.pop();
        forged.push('A');
        api.post("/v1/_local/tickets/redeem", json!({"ticket": forged}))
            .await
            .err(400, "ticket_invalid");
    })
    .await;
}

#[tokio::test]
async fn two_redemptions_at_once_make_one_member() {
    each_backend(async |api: &mut Api| {
        let oid = org(api, "Race").await;
        api.user(json!({"email_address": ["racer@example.com"]}))
            .await;
        let invitation = invite(api, &oid, "racer@example.com", "org:member", json!({})).await;
        let ticket = ticket_of(api, &invitation);
        let body = json!({"ticket": ticket});
        let (a, b) = tokio::join!(
            api.post("/v1/_local/tickets/redeem", body.clone()),
            api.post("/v1/_local/tickets/redeem", body.clone()),
        );
        let mut statuses = vec![a.status, b.status];
        statuses.sort_unstable();
        assert_eq!(statuses, vec![200, 400], "{} / {}", a.text, b.text);
        let loser = if a.status == 400 { &a } else { &b };
        loser.err(400, "ticket_invalid");
        // The creator and the one invitee.
        assert_eq!(members(api, &oid).await.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn the_invitation_link_redirects_or_signs_the_browser_in() {
    each_backend(async |api: &mut Api| {
        let oid = org(api, "Links").await;
        // With a redirect URL: the app's page gets the ticket and what to do with it.
        let join = format!("{PAGE_ORIGIN}/join");
        let invitation = invite(
            api,
            &oid,
            "newcomer@example.com",
            "org:member",
            json!({"redirect_url": join}),
        )
        .await;
        let ticket = ticket_of(api, &invitation);
        let mut tab = Tab::new(api);
        let followed = tab
            .call("GET", &format!("/v1/tickets/accept?ticket={ticket}"), &[])
            .await;
        assert_eq!(followed.status, 303, "{}", followed.text);
        assert_eq!(
            followed.headers["location"],
            format!("{join}?__clerk_ticket={ticket}&__clerk_status=sign_up")
        );
        // Nothing was redeemed: the app's page does that.
        assert_eq!(
            invitation_status(api, &oid, invitation["id"].as_str().unwrap()).await,
            "pending"
        );

        // Without one: the link signs the invited user in, a member.
        let existing = api
            .user(json!({"email_address": ["existing@example.com"]}))
            .await;
        let plain = invite(api, &oid, "existing@example.com", "org:member", json!({})).await;
        let mut browser = Tab::new(api);
        let page = browser
            .call(
                "GET",
                &format!(
                    "/v1/tickets/accept?ticket={}&redirect_url={}",
                    ticket_of(api, &plain),
                    url_encode(&format!("{PAGE_ORIGIN}/home"))
                ),
                &[],
            )
            .await;
        assert_eq!(page.status, 303, "{}", page.text);
        let client = browser.call("GET", "/v1/client", &[]).await;
        assert_eq!(
            client.ok()["response"]["sessions"][0]["user"]["id"],
            existing["id"]
        );
        assert!(
            members(api, &oid)
                .await
                .iter()
                .any(|(id, _)| Some(id.as_str()) == existing["id"].as_str())
        );
    })
    .await;
}

#[tokio::test]
async fn a_browser_signs_up_with_an_invitation_ticket() {
    each_backend(async |api: &mut Api| {
        let oid = org(api, "Signups").await;
        let invitation = invite(
            api,
            &oid,
            "newbie@example.com",
            "org:admin",
            json!({"public_metadata": {"team": "blue"}}),
        )
        .await;
        let ticket = ticket_of(api, &invitation);

        // clerk-js's `signUp.create({strategy: 'ticket', ticket})`: the invited address,
        // verified by the ticket; the password is still missing.
        let mut tab = Tab::new(api);
        let created = tab
            .call(
                "POST",
                "/v1/client/sign_ups",
                &[("strategy", "ticket"), ("ticket", &ticket)],
            )
            .await;
        let sign_up = created.ok()["response"].clone();
        assert_eq!(sign_up["status"], "missing_requirements");
        assert_eq!(sign_up["email_address"], "newbie@example.com");
        assert_eq!(sign_up["missing_fields"], json!(["password"]));
        assert_eq!(sign_up["unverified_fields"], json!([]));
        assert_eq!(
            sign_up["verifications"]["email_address"]["status"],
            "verified"
        );
        assert_eq!(
            sign_up["verifications"]["email_address"]["strategy"],
            "ticket"
        );
        // Nothing is accepted until the sign-up completes.
        assert_eq!(
            invitation_status(api, &oid, invitation["id"].as_str().unwrap()).await,
            "pending"
        );
        let id = sign_up["id"].as_str().unwrap();
        let done = tab
            .call(
                "PATCH",
                &format!("/v1/client/sign_ups/{id}"),
                &[("password", "correct horse battery")],
            )
            .await;
        let sign_up = done.ok()["response"].clone();
        assert_eq!(sign_up["status"], "complete", "{}", done.text);
        let user_id = sign_up["created_user_id"].as_str().unwrap();
        let session_id = sign_up["created_session_id"].as_str().unwrap();
        assert_eq!(done.ok()["client"]["sessions"][0]["id"], session_id);
        assert_eq!(
            done.ok()["client"]["last_authentication_strategy"],
            "ticket"
        );
        let user = api.get(&format!("/v1/users/{user_id}")).await;
        assert_eq!(user.ok()["password_enabled"], true);
        assert_eq!(
            user.ok()["email_addresses"][0]["verification"]["status"],
            "verified"
        );
        assert!(members(api, &oid).await.contains(&(user_id.to_owned(), "org:admin".to_owned())));
        assert_eq!(
            invitation_status(api, &oid, invitation["id"].as_str().unwrap()).await,
            "accepted"
        );

        // An instance invitation's ticket, with the password: complete at once, the
        // invitation's public metadata on the user.
        let instance = api
            .post(
                "/v1/invitations",
                json!({"email_address": "invitee@example.com", "public_metadata": {"plan": "pro"}, "notify": false}),
            )
            .await
            .ok()
            .clone();
        let url = instance["url"].as_str().unwrap();
        let instance_ticket = url
            .split("__clerk_ticket=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_owned();
        let mut other = Tab::new(api);
        let created = other
            .call(
                "POST",
                "/v1/client/sign_ups",
                &[
                    ("strategy", "ticket"),
                    ("ticket", &instance_ticket),
                    ("password", "correct horse battery"),
                ],
            )
            .await;
        let sign_up = created.ok()["response"].clone();
        assert_eq!(sign_up["status"], "complete", "{}", created.text);
        let user_id = sign_up["created_user_id"].as_str().unwrap();
        let user = api.get(&format!("/v1/users/{user_id}")).await;
        assert_eq!(user.ok()["public_metadata"], json!({"plan": "pro"}));
        assert_eq!(
            user.ok()["email_addresses"][0]["email_address"],
            "invitee@example.com"
        );
        let list = api.get("/v1/invitations?status=accepted").await;
        assert!(
            list.ok()
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["id"] == instance["id"]),
            "{}",
            list.text
        );

        // Used tickets, a sign-in token, and an address someone has are refused.
        let mut third = Tab::new(api);
        third
            .call(
                "POST",
                "/v1/client/sign_ups",
                &[("strategy", "ticket"), ("ticket", &instance_ticket)],
            )
            .await
            .err(400, "ticket_invalid");
        let sign_in_token = api
            .post("/v1/sign_in_tokens", json!({"user_id": user_id}))
            .await
            .ok()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        third
            .call(
                "POST",
                "/v1/client/sign_ups",
                &[("strategy", "ticket"), ("ticket", &sign_in_token)],
            )
            .await
            .err(400, "ticket_invalid");
        api.user(json!({"email_address": ["taken@example.com"]}))
            .await;
        let taken = invite(api, &oid, "taken@example.com", "org:member", json!({})).await;
        third
            .call(
                "POST",
                "/v1/client/sign_ups",
                &[("strategy", "ticket"), ("ticket", &ticket_of(api, &taken))],
            )
            .await
            .err(422, "form_identifier_exists");
        third
            .call("POST", "/v1/client/sign_ups", &[("strategy", "ticket")])
            .await
            .err(422, "form_param_missing");
    })
    .await;
}
