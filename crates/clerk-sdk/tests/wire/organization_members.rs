//! Memberships and invitations, per organization, instance-wide and per user.

use clerk_sdk::{
    CreateOrganizationInvitation, CreateOrganizationMembership, Error,
    ListAllOrganizationInvitations, ListAllOrganizationMemberships, ListOrganizationInvitations,
    ListOrganizationMemberships, ListPendingOrganizationInvitations,
    ListUserOrganizationInvitations, ListUserOrganizationMemberships, OrganizationInvitationStatus,
    OrganizationMetadata,
};
use futures_util::TryStreamExt;
use serde_json::json;

use crate::support::{Canned, MockServer, fixtures};

#[tokio::test]
async fn membership_list_sends_every_filter_with_repeated_keys() {
    let server = MockServer::start().await;
    server.respond_json(
        200,
        fixtures::page(vec![fixtures::membership("orgmem_1", "org:admin")], 1),
    );
    let params = ListOrganizationMemberships::new()
        .order_by("-created_at")
        .user_id(["user_1", "-user_2"])
        .email_address(["a@example.com", "b+x@example.com"])
        .phone_number(["+15555550100"])
        .username(["ada"])
        .web3_wallet(["0xabc"])
        .role(["org:admin", "org:member"])
        .query("ada l")
        .email_address_query("example")
        .phone_number_query("555")
        .username_query("ad")
        .name_query("love")
        .last_active_at_before(1)
        .last_active_at_after(2)
        .created_at_before(3)
        .created_at_after(1_700_000_000_000_i64)
        .limit(10)
        .offset(20);
    let page = server
        .clerk()
        .organization_memberships()
        .list("org_1", params)
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(1));
    assert_eq!(page.data[0].role, "org:admin");
    server.only_request().assert_request(
        "GET",
        "/v1/organizations/org_1/memberships",
        Some(concat!(
            "order_by=-created_at&user_id=user_1&user_id=-user_2",
            "&email_address=a%40example.com&email_address=b%2Bx%40example.com",
            "&phone_number=%2B15555550100&username=ada&web3_wallet=0xabc",
            "&role=org%3Aadmin&role=org%3Amember&query=ada+l&email_address_query=example",
            "&phone_number_query=555&username_query=ad&name_query=love",
            "&last_active_at_before=1&last_active_at_after=2&created_at_before=3",
            "&created_at_after=1700000000000&limit=10&offset=20"
        )),
        None,
    );
}

#[tokio::test]
async fn membership_writes() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.always(Canned::json(
        200,
        fixtures::membership("orgmem_1", "org:member"),
    ));
    let memberships = clerk.organization_memberships();
    memberships
        .create(
            "org_1",
            CreateOrganizationMembership::new("user_1", "org:member")
                .public_metadata(json!({"team": "ops"}))
                .private_metadata(json!({"n": 1})),
        )
        .await
        .unwrap();
    memberships
        .create(
            "org_1",
            CreateOrganizationMembership::new("user_2", "org:admin"),
        )
        .await
        .unwrap();
    memberships
        .update_role("org_1", "user_1", "org:admin")
        .await
        .unwrap();
    memberships
        .update_metadata(
            "org_1",
            "user_1",
            OrganizationMetadata::new().public(json!({"team": null})),
        )
        .await
        .unwrap();
    let removed = memberships.delete("org_1", "user_1").await.unwrap();
    assert_eq!(removed.id, "orgmem_1");

    let requests = server.requests();
    requests[0].assert_request(
        "POST",
        "/v1/organizations/org_1/memberships",
        None,
        Some(json!({"user_id": "user_1", "role": "org:member",
                    "public_metadata": {"team": "ops"}, "private_metadata": {"n": 1}})),
    );
    requests[1].assert_request(
        "POST",
        "/v1/organizations/org_1/memberships",
        None,
        Some(json!({"user_id": "user_2", "role": "org:admin"})),
    );
    requests[2].assert_request(
        "PATCH",
        "/v1/organizations/org_1/memberships/user_1",
        None,
        Some(json!({"role": "org:admin"})),
    );
    requests[3].assert_request(
        "PATCH",
        "/v1/organizations/org_1/memberships/user_1/metadata",
        None,
        Some(json!({"public_metadata": {"team": null}})),
    );
    requests[4].assert_request(
        "DELETE",
        "/v1/organizations/org_1/memberships/user_1",
        None,
        None,
    );
}

#[tokio::test]
async fn instance_and_user_membership_lists() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.always(Canned::json(
        200,
        fixtures::page(vec![fixtures::membership("orgmem_1", "org:admin")], 1),
    ));
    clerk
        .organization_memberships()
        .list_all(
            ListAllOrganizationMemberships::new()
                .order_by("+created_at")
                .limit(5)
                .offset(5),
        )
        .await
        .unwrap();
    let page = clerk
        .users()
        .organization_memberships("user_1", ListUserOrganizationMemberships::new().limit(50))
        .await
        .unwrap();
    assert_eq!(page.data[0].organization.slug, "acme");
    let streamed: Vec<_> = clerk
        .users()
        .stream_organization_memberships("user_1", Default::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed.len(), 1);

    let requests = server.requests();
    requests[0].assert_request(
        "GET",
        "/v1/organization_memberships",
        Some("order_by=%2Bcreated_at&limit=5&offset=5"),
        None,
    );
    requests[1].assert_request(
        "GET",
        "/v1/users/user_1/organization_memberships",
        Some("limit=50"),
        None,
    );
    requests[2].assert_request(
        "GET",
        "/v1/users/user_1/organization_memberships",
        Some("limit=100&offset=0"),
        None,
    );
    assert_eq!(requests.len(), 3, "a total of 1 ends the stream");
}

#[tokio::test]
async fn membership_streams_per_organization_and_instance() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.always(Canned::json(200, fixtures::page(vec![], 0)));
    let none: Vec<_> = clerk
        .organization_memberships()
        .stream(
            "org_1",
            ListOrganizationMemberships::new().role(["org:admin"]),
        )
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
    let none: Vec<_> = clerk
        .organization_memberships()
        .stream_all(Default::default())
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
    let requests = server.requests();
    requests[0].assert_request(
        "GET",
        "/v1/organizations/org_1/memberships",
        Some("role=org%3Aadmin&limit=100&offset=0"),
        None,
    );
    requests[1].assert_request(
        "GET",
        "/v1/organization_memberships",
        Some("limit=100&offset=0"),
        None,
    );
}

#[tokio::test]
async fn invitation_create_single_and_bulk() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.respond_json(200, fixtures::invitation("orginv_1", "pending"));
    let invitation = clerk
        .organization_invitations()
        .create(
            "org_1",
            CreateOrganizationInvitation::new("ada@example.com", "org:admin")
                .inviter_user_id("user_1")
                .public_metadata(json!({"a": 1}))
                .private_metadata(json!({"b": 2}))
                .redirect_url("https://app.example.com/accept")
                .expires_in_days(7)
                .notify(false),
        )
        .await
        .unwrap();
    assert_eq!(
        invitation.status,
        Some(OrganizationInvitationStatus::Pending)
    );

    server.respond_json(
        200,
        fixtures::page(
            vec![
                fixtures::invitation("orginv_2", "pending"),
                fixtures::invitation("orginv_3", "pending"),
            ],
            2,
        ),
    );
    let created = clerk
        .organization_invitations()
        .create_bulk(
            "org_1",
            [
                CreateOrganizationInvitation::new("ada@example.com", "org:admin"),
                CreateOrganizationInvitation::new("alan@example.com", "org:member").notify(true),
            ],
        )
        .await
        .unwrap();
    assert_eq!(created.len(), 2);

    let requests = server.requests();
    requests[0].assert_request(
        "POST",
        "/v1/organizations/org_1/invitations",
        None,
        Some(json!({
            "email_address": "ada@example.com", "role": "org:admin", "inviter_user_id": "user_1",
            "public_metadata": {"a": 1}, "private_metadata": {"b": 2},
            "redirect_url": "https://app.example.com/accept", "expires_in_days": 7, "notify": false
        })),
    );
    requests[1].assert_request(
        "POST",
        "/v1/organizations/org_1/invitations/bulk",
        None,
        Some(json!([
            {"email_address": "ada@example.com", "role": "org:admin"},
            {"email_address": "alan@example.com", "role": "org:member", "notify": true}
        ])),
    );

    let err = clerk
        .organization_invitations()
        .create_bulk(
            "org_1",
            [
                CreateOrganizationInvitation::new("a@example.com", "org:member")
                    .public_metadata(json!([1])),
            ],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
#[allow(deprecated)]
async fn invitation_lists() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.always(Canned::json(
        200,
        fixtures::page(vec![fixtures::invitation("orginv_1", "pending")], 1),
    ));
    let invitations = clerk.organization_invitations();
    invitations
        .list(
            "org_1",
            ListOrganizationInvitations::new()
                .status(OrganizationInvitationStatus::Pending)
                .email_address("ada@example.com")
                .order_by("-created_at")
                .limit(3)
                .offset(6),
        )
        .await
        .unwrap();
    invitations
        .list_all(
            ListAllOrganizationInvitations::new()
                .order_by("email_address")
                .status(OrganizationInvitationStatus::Expired)
                .query("ada")
                .limit(1),
        )
        .await
        .unwrap();
    invitations
        .list_pending("org_1", ListPendingOrganizationInvitations::new().offset(2))
        .await
        .unwrap();
    clerk
        .users()
        .organization_invitations(
            "user_1",
            ListUserOrganizationInvitations::new()
                .status(OrganizationInvitationStatus::Accepted)
                .limit(9),
        )
        .await
        .unwrap();
    let streamed: Vec<_> = invitations
        .stream("org_1", Default::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed.len(), 1);
    invitations
        .stream_all(Default::default())
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    clerk
        .users()
        .stream_organization_invitations("user_1", Default::default())
        .try_collect::<Vec<_>>()
        .await
        .unwrap();

    let requests = server.requests();
    let targets: Vec<_> = requests
        .iter()
        .map(|r| (r.path.as_str(), r.query.as_deref()))
        .collect();
    assert_eq!(
        targets,
        [
            (
                "/v1/organizations/org_1/invitations",
                Some(
                    "status=pending&email_address=ada%40example.com&order_by=-created_at&limit=3&offset=6"
                )
            ),
            (
                "/v1/organization_invitations",
                Some("order_by=email_address&status=expired&query=ada&limit=1")
            ),
            (
                "/v1/organizations/org_1/invitations/pending",
                Some("offset=2")
            ),
            (
                "/v1/users/user_1/organization_invitations",
                Some("status=accepted&limit=9")
            ),
            (
                "/v1/organizations/org_1/invitations",
                Some("limit=100&offset=0")
            ),
            ("/v1/organization_invitations", Some("limit=100&offset=0")),
            (
                "/v1/users/user_1/organization_invitations",
                Some("limit=100&offset=0")
            ),
        ]
    );
    for request in &requests {
        assert_eq!(request.method, "GET");
        request.assert_standard_headers();
        assert!(request.body.is_empty());
    }
}

#[tokio::test]
async fn invitation_get_and_revoke() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server
        .respond_json(200, fixtures::invitation("orginv_1", "pending"))
        .respond_json(200, fixtures::invitation("orginv_1", "revoked"))
        .respond_json(200, fixtures::invitation("orginv_2", "revoked"));
    let invitations = clerk.organization_invitations();
    invitations.get("org_1", "orginv_1").await.unwrap();
    let revoked = invitations.revoke("org_1", "orginv_1").await.unwrap();
    assert_eq!(revoked.status, Some(OrganizationInvitationStatus::Revoked));
    invitations
        .revoke_as("org_1", "orginv_2", "user_1")
        .await
        .unwrap();
    let requests = server.requests();
    requests[0].assert_request(
        "GET",
        "/v1/organizations/org_1/invitations/orginv_1",
        None,
        None,
    );
    requests[1].assert_request(
        "POST",
        "/v1/organizations/org_1/invitations/orginv_1/revoke",
        None,
        None,
    );
    requests[2].assert_request(
        "POST",
        "/v1/organizations/org_1/invitations/orginv_2/revoke",
        None,
        Some(json!({"requesting_user_id": "user_1"})),
    );
}
