//! Organization invitations through the SDK: every method of
//! `clerk.organization_invitations()` and the user's invitations, real rows and a
//! documented error each, and the local accept.

use clerk_sdk::{
    CreateOrganization, CreateOrganizationInvitation, ListAllOrganizationInvitations,
    ListOrganizationInvitations, ListPendingOrganizationInvitations,
    ListUserOrganizationInvitations, Method, OrganizationInvitationStatus,
};
use e2e::each_backend;
use futures_util::TryStreamExt;
use serde_json::json;

use crate::support::{api_error, local, outbox, param_name, user};

#[tokio::test]
async fn invitations_create_get_list_revoke() {
    each_backend(async |env| {
        let invitations = env.clerk.organization_invitations();
        let ann = user(env, "ann@example.com").await;
        let acme = env
            .clerk
            .organizations()
            .create(CreateOrganization::new("Acme").created_by(&ann.id))
            .await
            .unwrap();

        let bob = invitations
            .create(
                &acme.id,
                CreateOrganizationInvitation::new("bob@example.com", "org:member")
                    .inviter_user_id(&ann.id)
                    .public_metadata(json!({"team": "red"}))
                    .redirect_url("https://app.example.com/join")
                    .expires_in_days(7),
            )
            .await
            .unwrap();
        assert!(bob.id.starts_with("orginv_"));
        assert_eq!(bob.status, Some(OrganizationInvitationStatus::Pending));
        assert_eq!(bob.role_name.as_deref(), Some("Member"));
        assert_eq!(bob.inviter_id.as_deref(), Some(ann.id.as_str()));
        assert_eq!(bob.public_metadata["team"], "red");
        let emails = outbox(env, "email").await;
        assert_eq!(emails[0]["to_email_address"], "bob@example.com");

        // Bulk: both or neither.
        let bulk = invitations
            .create_bulk(
                &acme.id,
                [
                    CreateOrganizationInvitation::new("cy@example.com", "org:admin").notify(false),
                    CreateOrganizationInvitation::new("dee@example.com", "org:member"),
                ],
            )
            .await
            .unwrap();
        assert_eq!(bulk.data.len(), 2);
        let err = api_error(
            invitations
                .create(
                    &acme.id,
                    CreateOrganizationInvitation::new("cy@example.com", "org:member"),
                )
                .await,
            400,
            "organization_invitation_not_unique",
        );
        assert_eq!(param_name(&err), Some("email_address"));
        api_error(
            invitations
                .create_bulk(
                    &acme.id,
                    [CreateOrganizationInvitation::new(
                        "eve@example.com",
                        "org:nope",
                    )],
                )
                .await,
            404,
            "resource_not_found",
        );

        assert_eq!(invitations.get(&acme.id, &bob.id).await.unwrap(), bob);
        api_error(
            invitations.get(&acme.id, "orginv_missing").await,
            404,
            "resource_not_found",
        );

        let page = invitations
            .list(
                &acme.id,
                ListOrganizationInvitations::new()
                    .order_by("email_address")
                    .limit(2),
            )
            .await
            .unwrap();
        assert_eq!(page.total_count, Some(3));
        assert_eq!(page.data[0].email_address, "bob@example.com");
        let all: Vec<_> = invitations
            .stream(&acme.id, ListOrganizationInvitations::new().limit(1))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all.len(), 3);
        api_error(
            invitations
                .list("org_missing", ListOrganizationInvitations::new())
                .await,
            404,
            "resource_not_found",
        );

        // Revoke, by an administrator.
        let revoked = invitations
            .revoke_as(&acme.id, &bob.id, &ann.id)
            .await
            .unwrap();
        assert_eq!(revoked.status, Some(OrganizationInvitationStatus::Revoked));
        api_error(
            invitations.revoke(&acme.id, &bob.id).await,
            400,
            "organization_invitation_not_pending",
        );
        #[allow(deprecated)]
        let pending = invitations
            .list_pending(&acme.id, ListPendingOrganizationInvitations::new())
            .await
            .unwrap();
        assert_eq!(pending.data.len(), 2);
        let revoked_only = invitations
            .list(
                &acme.id,
                ListOrganizationInvitations::new().status(OrganizationInvitationStatus::Revoked),
            )
            .await
            .unwrap();
        assert_eq!(revoked_only.data[0].id, bob.id);
        #[allow(deprecated)]
        let missing = invitations
            .list_pending("org_missing", ListPendingOrganizationInvitations::new())
            .await;
        api_error(missing, 404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn instance_and_user_invitations_and_the_local_accept() {
    each_backend(async |env| {
        let invitations = env.clerk.organization_invitations();
        let ann = user(env, "ann@example.com").await;
        let bob = user(env, "bob@example.com").await;
        let orgs = env.clerk.organizations();
        let acme = orgs
            .create(CreateOrganization::new("Acme").created_by(&ann.id))
            .await
            .unwrap();
        let beta = orgs
            .create(CreateOrganization::new("Beta").created_by(&ann.id))
            .await
            .unwrap();
        let to_acme = invitations
            .create(
                &acme.id,
                CreateOrganizationInvitation::new("bob@example.com", "org:member"),
            )
            .await
            .unwrap();
        invitations
            .create(
                &beta.id,
                CreateOrganizationInvitation::new("zed@example.com", "org:member"),
            )
            .await
            .unwrap();

        let everything = invitations
            .list_all(ListAllOrganizationInvitations::new().order_by("-email_address"))
            .await
            .unwrap();
        assert_eq!(everything.total_count, Some(2));
        assert_eq!(everything.data[0].email_address, "zed@example.com");
        let org_data = everything.data[0]
            .public_organization_data
            .as_ref()
            .unwrap();
        assert_eq!(org_data.name, "Beta");
        let found: Vec<_> = invitations
            .stream_all(ListAllOrganizationInvitations::new().query("bob"))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(found.len(), 1);
        api_error(
            invitations
                .list_all(ListAllOrganizationInvitations::new().order_by("role"))
                .await,
            422,
            "form_param_value_invalid",
        );

        let users = env.clerk.users();
        let bobs = users
            .organization_invitations(&bob.id, ListUserOrganizationInvitations::new())
            .await
            .unwrap();
        assert_eq!(bobs.data.len(), 1);
        assert_eq!(bobs.data[0].id, to_acme.id);
        api_error(
            users
                .organization_invitations("user_missing", ListUserOrganizationInvitations::new())
                .await,
            404,
            "resource_not_found",
        );

        // Accepting (a local extension) makes Bob a member with the invited role.
        let accepted = local(
            env,
            Method::POST,
            &format!("/_local/organization_invitations/{}/accept", to_acme.id),
            Some(json!({})),
        )
        .await;
        assert_eq!(accepted["status"], "accepted");
        let accepted_list = users
            .organization_invitations(
                &bob.id,
                ListUserOrganizationInvitations::new()
                    .status(OrganizationInvitationStatus::Accepted),
            )
            .await
            .unwrap();
        assert_eq!(accepted_list.data[0].id, to_acme.id);
        let memberships = users
            .organization_memberships(&bob.id, Default::default())
            .await
            .unwrap();
        assert_eq!(memberships.data[0].role, "org:member");
    })
    .await;
}

#[tokio::test]
async fn an_invitation_url_carries_a_ticket_that_makes_one_member() {
    each_backend(async |env| {
        let ann = user(env, "ann@example.com").await;
        let acme = env
            .clerk
            .organizations()
            .create(CreateOrganization::new("Acme").created_by(&ann.id))
            .await
            .unwrap();
        let invitation = env
            .clerk
            .organization_invitations()
            .create(
                &acme.id,
                CreateOrganizationInvitation::new("newcomer@example.com", "org:admin")
                    .notify(false),
            )
            .await
            .unwrap();
        // The url is the Frontend API's accept link, its ticket a JWT naming the invitation.
        let url = invitation.url.clone().unwrap();
        let ticket = url
            .split_once("/__clerk/v1/tickets/accept?ticket=")
            .unwrap_or_else(|| panic!("{url}"))
            .1
            .to_owned();
        let jwt = crate::support::claims(&ticket);
        assert_eq!(jwt["sid"], invitation.id.as_str());
        assert_eq!(jwt["st"], "organization_invitation");
        let again = env
            .clerk
            .organization_invitations()
            .get(&acme.id, &invitation.id)
            .await
            .unwrap();
        assert_eq!(
            again.url.as_deref(),
            Some(url.as_str()),
            "the same on every read"
        );

        // Redeemed: a new user with the invited address, a member with the invited role.
        let redemption = local(
            env,
            Method::POST,
            "/_local/tickets/redeem",
            Some(json!({"ticket": ticket})),
        )
        .await;
        assert_eq!(redemption["ticket_type"], "organization_invitation");
        assert_eq!(redemption["user_created"], true);
        let user_id = redemption["user_id"].as_str().unwrap();
        let memberships = env
            .clerk
            .users()
            .organization_memberships(user_id, Default::default())
            .await
            .unwrap();
        assert_eq!(memberships.data.len(), 1);
        assert_eq!(memberships.data[0].role, "org:admin");
        let accepted = env
            .clerk
            .organization_invitations()
            .get(&acme.id, &invitation.id)
            .await
            .unwrap();
        assert_eq!(
            accepted.status,
            Some(OrganizationInvitationStatus::Accepted)
        );

        // Once: the documented error for a used ticket.
        let twice = env
            .clerk
            .request::<serde_json::Value>(
                Method::POST,
                "/_local/tickets/redeem",
                &[],
                Some(json!({"ticket": ticket})),
            )
            .await;
        let err = api_error(twice, 400, "ticket_invalid");
        assert_eq!(param_name(&err), Some("ticket"));
    })
    .await;
}
