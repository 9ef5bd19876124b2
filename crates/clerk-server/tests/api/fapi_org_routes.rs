//! The Frontend API's organization routes as clerk-js's organization resources call them:
//! an administrator invites, a member accepts from `/v1/me/organization_invitations`, roles
//! change, invitations are revoked, members leave; suggestions from a verified domain.
//! Every change is checked through the Backend API and its webhook events, every refusal
//! (a non-member's 404, a member without the permission's 403, another user's invitation)
//! by its error. Both backends.

use serde_json::{Value, json};

use crate::common::{Api, each_backend};
use crate::fapi::signed_in;
use crate::webhook_receiver::Subscription;

/// The members of `oid` through the Backend API: (user id, role).
async fn members(api: &Api, oid: &str) -> Vec<(String, String)> {
    let list = api
        .get(&format!("/v1/organizations/{oid}/memberships?limit=100"))
        .await;
    let mut found: Vec<(String, String)> = list.ok()["data"]
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
        .collect();
    found.sort();
    found
}

fn user_id_of(me: &crate::common::Resp) -> String {
    me.ok()["response"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_admin_invites_and_a_member_accepts_in_the_browser() {
    each_backend(async |api: &mut Api| {
        let (mut ann, _) = signed_in(api, "ann@example.com").await;
        let ann_id = user_id_of(&ann.call("GET", "/v1/me", &[]).await);
        let (mut bob, _) = signed_in(api, "bob@example.com").await;
        let bob_id = user_id_of(&bob.call("GET", "/v1/me", &[]).await);
        let (mut eve, _) = signed_in(api, "eve@example.com").await;
        let created = ann
            .call("POST", "/v1/organizations", &[("name", "Browser Org")])
            .await;
        let oid = created.ok()["response"]["id"].as_str().unwrap().to_owned();
        let mut hook = Subscription::start(
            api,
            Some(&[
                "organizationInvitation.created",
                "organizationInvitation.accepted",
                "organizationInvitation.revoked",
                "organizationMembership.created",
                "organizationMembership.updated",
                "organizationMembership.deleted",
                "organization.updated",
            ]),
        )
        .await;

        // Ann (the creator, org:admin) invites Bob.
        let invited = ann
            .call(
                "POST",
                &format!("/v1/organizations/{oid}/invitations"),
                &[("email_address", "bob@example.com"), ("role", "org:member")],
            )
            .await;
        let invitation = invited.ok()["response"].clone();
        let iid = invitation["id"].as_str().unwrap().to_owned();
        assert_eq!(invitation["status"], "pending");
        assert_eq!(invitation["inviter_id"], ann_id.as_str());
        // No ticket and no private metadata for a browser.
        assert_eq!(invitation["url"], Value::Null);
        assert!(invitation.get("private_metadata").is_none());
        let event = hook.expect("organizationInvitation.created").await;
        assert_eq!(event["data"]["id"], iid.as_str());
        // The email went to the outbox, as the Backend API's invitations send it.
        let outbox = api.get("/v1/_local/outbox?limit=100").await;
        assert!(
            outbox.ok().to_string().contains("bob@example.com"),
            "{}",
            outbox.text
        );

        // Bob sees it among his invitations, with the organization's public data.
        let mine = bob
            .call("GET", "/v1/me/organization_invitations?status=pending", &[])
            .await;
        assert_eq!(mine.ok()["response"]["total_count"], 1);
        let listed = &mine.ok()["response"]["data"][0];
        assert_eq!(listed["id"], iid.as_str());
        assert_eq!(listed["public_organization_data"]["name"], "Browser Org");
        assert_eq!(listed["url"], Value::Null);
        // Eve has none, and cannot accept Bob's.
        let none = eve
            .call("GET", "/v1/me/organization_invitations", &[])
            .await;
        assert_eq!(none.ok()["response"]["total_count"], 0);
        eve.call(
            "POST",
            &format!("/v1/me/organization_invitations/{iid}/accept"),
            &[],
        )
        .await
        .err(404, "resource_not_found");
        assert_eq!(members(api, &oid).await.len(), 1);

        // Bob accepts: a member with the invited role, the invitation accepted.
        let accepted = bob
            .call(
                "POST",
                &format!("/v1/me/organization_invitations/{iid}/accept"),
                &[],
            )
            .await;
        assert_eq!(accepted.ok()["response"]["status"], "accepted");
        let memberships =
            &accepted.ok()["client"]["sessions"][0]["user"]["organization_memberships"];
        assert_eq!(memberships[0]["organization"]["id"], oid.as_str());
        let created = hook.expect("organizationMembership.created").await;
        assert_eq!(
            created["data"]["public_user_data"]["user_id"],
            bob_id.as_str()
        );
        let event = hook.expect("organizationInvitation.accepted").await;
        assert_eq!(event["data"]["user_id"], bob_id.as_str());
        let mut expected = vec![
            (ann_id.clone(), "org:admin".to_owned()),
            (bob_id.clone(), "org:member".to_owned()),
        ];
        expected.sort();
        assert_eq!(members(api, &oid).await, expected);
        bob.call(
            "POST",
            &format!("/v1/me/organization_invitations/{iid}/accept"),
            &[],
        )
        .await
        .err(400, "organization_invitation_already_accepted");

        // A member reads the organization and its members, but manages nothing.
        let read = bob
            .call("GET", &format!("/v1/organizations/{oid}"), &[])
            .await;
        assert_eq!(read.ok()["response"]["members_count"], 2);
        assert!(read.ok()["response"].get("private_metadata").is_none());
        let listed = bob
            .call(
                "GET",
                &format!("/v1/organizations/{oid}/memberships?paginated=true&limit=10&offset=0"),
                &[],
            )
            .await;
        assert_eq!(listed.ok()["response"]["total_count"], 2);
        assert!(
            listed.ok()["response"]["data"][0]
                .get("private_metadata")
                .is_none()
        );
        for (method, path, form) in [
            (
                "GET",
                format!("/v1/organizations/{oid}/invitations"),
                vec![],
            ),
            (
                "POST",
                format!("/v1/organizations/{oid}/invitations"),
                vec![("email_address", "x@example.com"), ("role", "org:member")],
            ),
            (
                "PATCH",
                format!("/v1/organizations/{oid}/memberships/{ann_id}"),
                vec![("role", "org:member")],
            ),
            (
                "PATCH",
                format!("/v1/organizations/{oid}"),
                vec![("name", "Mine")],
            ),
            ("DELETE", format!("/v1/organizations/{oid}"), vec![]),
            (
                "GET",
                format!("/v1/organizations/{oid}/membership_requests"),
                vec![],
            ),
        ] {
            let refused = bob.call(method, &path, &form).await;
            refused.err(403, "authorization_invalid");
        }
        // A non-member learns nothing: the organization is not found, as an unknown one.
        for path in [
            format!("/v1/organizations/{oid}"),
            format!("/v1/organizations/{oid}/memberships"),
            format!("/v1/organizations/{oid}/roles"),
            "/v1/organizations/org_unknown".to_owned(),
        ] {
            eve.call("GET", &path, &[])
                .await
                .err(404, "resource_not_found");
        }
        eve.call(
            "POST",
            &format!("/v1/organizations/{oid}/invitations"),
            &[("email_address", "eve@example.com"), ("role", "org:admin")],
        )
        .await
        .err(404, "resource_not_found");

        // The administrator changes Bob's role, renames the organization, lists roles.
        let roles = ann
            .call("GET", &format!("/v1/organizations/{oid}/roles"), &[])
            .await;
        let keys: Vec<&str> = roles.ok()["response"]["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["key"].as_str().unwrap())
            .collect();
        assert!(
            keys.contains(&"org:admin") && keys.contains(&"org:member"),
            "{keys:?}"
        );
        let changed = ann
            .call(
                "PATCH",
                &format!("/v1/organizations/{oid}/memberships/{bob_id}"),
                &[("role", "org:admin")],
            )
            .await;
        assert_eq!(changed.ok()["response"]["role"], "org:admin");
        let updated = hook.expect("organizationMembership.updated").await;
        assert_eq!(updated["data"]["role"], "org:admin");
        assert!(
            members(api, &oid)
                .await
                .contains(&(bob_id.clone(), "org:admin".to_owned()))
        );
        let renamed = ann
            .call(
                "PATCH",
                &format!("/v1/organizations/{oid}"),
                &[("name", "Renamed Org")],
            )
            .await;
        assert_eq!(renamed.ok()["response"]["name"], "Renamed Org");
        hook.expect("organization.updated").await;
        let through_bapi = api.get(&format!("/v1/organizations/{oid}")).await;
        assert_eq!(through_bapi.ok()["name"], "Renamed Org");

        // Bulk invitations, the pending list, a revocation.
        let bulk = ann
            .call(
                "POST",
                &format!("/v1/organizations/{oid}/invitations/bulk"),
                &[
                    ("email_address", "c1@example.com"),
                    ("email_address", "c2@example.com"),
                    ("role", "org:member"),
                ],
            )
            .await;
        let made = bulk.ok()["response"].as_array().unwrap().clone();
        assert_eq!(made.len(), 2);
        hook.expect("organizationInvitation.created").await;
        hook.expect("organizationInvitation.created").await;
        let pending = ann
            .call(
                "GET",
                &format!("/v1/organizations/{oid}/invitations/pending"),
                &[],
            )
            .await;
        assert_eq!(pending.ok()["response"]["total_count"], 2);
        let several = ann
            .call(
                "GET",
                &format!("/v1/organizations/{oid}/invitations?status=pending,accepted"),
                &[],
            )
            .await;
        assert_eq!(several.ok()["response"]["total_count"], 3);
        let revoked_id = made[0]["id"].as_str().unwrap();
        let revoked = ann
            .call(
                "POST",
                &format!("/v1/organizations/{oid}/invitations/{revoked_id}/revoke"),
                &[],
            )
            .await;
        assert_eq!(revoked.ok()["response"]["status"], "revoked");
        hook.expect("organizationInvitation.revoked").await;
        let seen = api
            .get(&format!("/v1/organizations/{oid}/invitations/{revoked_id}"))
            .await;
        assert_eq!(seen.ok()["status"], "revoked");
        let requests = ann
            .call(
                "GET",
                &format!("/v1/organizations/{oid}/membership_requests"),
                &[],
            )
            .await;
        assert_eq!(requests.ok()["response"]["total_count"], 0);

        // Removing a member, then leaving: the last administrator cannot.
        let removed = ann
            .call(
                "DELETE",
                &format!("/v1/organizations/{oid}/memberships/{bob_id}"),
                &[],
            )
            .await;
        assert_eq!(
            removed.ok()["response"]["public_user_data"]["user_id"],
            bob_id.as_str()
        );
        hook.expect("organizationMembership.deleted").await;
        assert_eq!(
            members(api, &oid).await,
            vec![(ann_id.clone(), "org:admin".to_owned())]
        );
        let refused = ann
            .call(
                "DELETE",
                &format!("/v1/me/organization_memberships/{oid}"),
                &[],
            )
            .await;
        refused.err(422, "organization_minimum_permissions_needed");
        bob.call(
            "DELETE",
            &format!("/v1/me/organization_memberships/{oid}"),
            &[],
        )
        .await
        .err(404, "resource_not_found");

        // Deleting the organization.
        let deleted = ann
            .call("DELETE", &format!("/v1/organizations/{oid}"), &[])
            .await;
        assert_eq!(deleted.ok()["response"]["deleted"], true);
        api.get(&format!("/v1/organizations/{oid}"))
            .await
            .err(404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn verified_domains_suggest_their_organization_and_members_leave() {
    each_backend(async |api: &mut Api| {
        let owner = api
            .user(json!({"email_address": ["owner@acme-corp.com"]}))
            .await;
        let owner_id = owner["id"].as_str().unwrap();
        let org = api
            .post(
                "/v1/organizations",
                json!({"name": "Acme", "created_by": owner_id}),
            )
            .await;
        let oid = org.ok()["id"].as_str().unwrap().to_owned();
        api.post(
            &format!("/v1/organizations/{oid}/domains"),
            json!({"name": "acme-corp.com", "enrollment_mode": "automatic_suggestion", "verified": true}),
        )
        .await
        .ok();
        // A manual-invitation domain suggests nothing.
        let other = api
            .post("/v1/organizations", json!({"name": "Other", "created_by": owner_id}))
            .await;
        let other_id = other.ok()["id"].as_str().unwrap().to_owned();
        api.post(
            &format!("/v1/organizations/{other_id}/domains"),
            json!({"name": "acme-corp.net", "enrollment_mode": "manual_invitation"}),
        )
        .await
        .ok();

        let (mut dave, _) = signed_in(api, "dave@acme-corp.com").await;
        let dave_id = user_id_of(&dave.call("GET", "/v1/me", &[]).await);
        let (mut zoe, _) = signed_in(api, "zoe@elsewhere.com").await;
        let none = zoe.call("GET", "/v1/me/organization_suggestions", &[]).await;
        assert_eq!(none.ok()["response"]["total_count"], 0);

        let listed = dave
            .call("GET", "/v1/me/organization_suggestions?status=pending", &[])
            .await;
        assert_eq!(listed.ok()["response"]["total_count"], 1, "{}", listed.text);
        let suggestion = listed.ok()["response"]["data"][0].clone();
        assert_eq!(suggestion["status"], "pending");
        assert_eq!(suggestion["public_organization_data"]["id"], oid.as_str());
        let sid = suggestion["id"].as_str().unwrap();
        assert!(sid.starts_with("orgsugg_"), "{sid}");
        zoe.call(
            "POST",
            &format!("/v1/me/organization_suggestions/{sid}/accept"),
            &[],
        )
        .await
        .err(404, "resource_not_found");

        let mut hook = Subscription::start(
            api,
            Some(&["organizationMembership.created", "organizationMembership.deleted"]),
        )
        .await;
        let accepted = dave
            .call(
                "POST",
                &format!("/v1/me/organization_suggestions/{sid}/accept"),
                &[],
            )
            .await;
        assert_eq!(accepted.ok()["response"]["status"], "accepted");
        let created = hook.expect("organizationMembership.created").await;
        assert_eq!(created["data"]["public_user_data"]["user_id"], dave_id.as_str());
        assert!(members(api, &oid).await.contains(&(dave_id.clone(), "org:member".to_owned())));
        let after = dave.call("GET", "/v1/me/organization_suggestions", &[]).await;
        assert_eq!(after.ok()["response"]["total_count"], 0);

        // Domains: a plain member may not read them; the owner reads, adds, removes.
        dave.call("GET", &format!("/v1/organizations/{oid}/domains"), &[])
            .await
            .err(403, "authorization_invalid");

        // Dave leaves.
        let left = dave
            .call(
                "DELETE",
                &format!("/v1/me/organization_memberships/{oid}"),
                &[],
            )
            .await;
        assert_eq!(left.ok()["response"]["deleted"], true);
        assert_eq!(left.ok()["response"]["object"], "organization_membership");
        hook.expect("organizationMembership.deleted").await;
        assert!(!members(api, &oid).await.iter().any(|(id, _)| *id == dave_id));
    })
    .await;
}

#[tokio::test]
async fn an_admin_manages_domains_in_the_browser() {
    each_backend(async |api: &mut Api| {
        let (mut ann, _) = signed_in(api, "ann@domains.example").await;
        let created = ann
            .call("POST", "/v1/organizations", &[("name", "Domains")])
            .await;
        let oid = created.ok()["response"]["id"].as_str().unwrap().to_owned();
        let added = ann
            .call(
                "POST",
                &format!("/v1/organizations/{oid}/domains"),
                &[
                    ("name", "Example-Domains.com"),
                    ("enrollment_mode", "automatic_suggestion"),
                ],
            )
            .await;
        let domain = added.ok()["response"].clone();
        assert_eq!(domain["name"], "example-domains.com");
        // A browser cannot vouch for a domain: it starts unverified.
        assert_eq!(domain["verification"], Value::Null);
        let did = domain["id"].as_str().unwrap().to_owned();
        let listed = ann
            .call("GET", &format!("/v1/organizations/{oid}/domains"), &[])
            .await;
        assert_eq!(listed.ok()["response"]["total_count"], 1);
        let bapi = api.get(&format!("/v1/organizations/{oid}/domains")).await;
        assert_eq!(bapi.ok()["data"][0]["id"], did.as_str());
        let deleted = ann
            .call(
                "DELETE",
                &format!("/v1/organizations/{oid}/domains/{did}"),
                &[],
            )
            .await;
        assert_eq!(deleted.ok()["response"]["deleted"], true);
        let bapi = api.get(&format!("/v1/organizations/{oid}/domains")).await;
        assert_eq!(bapi.ok()["total_count"], 0);
    })
    .await;
}

#[tokio::test]
async fn only_invitations_to_verified_addresses_are_the_users() {
    each_backend(async |api: &mut Api| {
        let (mut ann, _) = signed_in(api, "ann@verified.example").await;
        let created = ann
            .call("POST", "/v1/organizations", &[("name", "Verified Only")])
            .await;
        let oid = created.ok()["response"]["id"].as_str().unwrap().to_owned();
        let (mut bob, _) = signed_in(api, "bob@verified.example").await;
        // Bob adds an address he has not verified; an invitation to it is not his yet.
        bob.call(
            "POST",
            "/v1/me/email_addresses",
            &[("email_address", "bob.second@verified.example")],
        )
        .await
        .ok();
        let invited = ann
            .call(
                "POST",
                &format!("/v1/organizations/{oid}/invitations"),
                &[
                    ("email_address", "bob.second@verified.example"),
                    ("role", "org:member"),
                ],
            )
            .await;
        let iid = invited.ok()["response"]["id"].as_str().unwrap().to_owned();
        let mine = bob
            .call("GET", "/v1/me/organization_invitations", &[])
            .await;
        assert_eq!(mine.ok()["response"]["total_count"], 0);
        bob.call(
            "POST",
            &format!("/v1/me/organization_invitations/{iid}/accept"),
            &[],
        )
        .await
        .err(404, "resource_not_found");
        let status = api
            .get(&format!("/v1/organizations/{oid}/invitations/{iid}"))
            .await;
        assert_eq!(status.ok()["status"], "pending");
    })
    .await;
}
