//! Organizations and their memberships through the SDK: every method of
//! `clerk.organizations()`, `clerk.organization_memberships()` and the user's memberships,
//! and the active organization in session tokens.

use clerk_sdk::{
    CreateOrganization, CreateOrganizationMembership, CreateSession, CreateSessionToken,
    GetOrganization, ListAllOrganizationMemberships, ListOrganizationMemberships,
    ListOrganizations, ListUserOrganizationMemberships, OrganizationLogo, OrganizationMetadata,
    UpdateOrganization,
};
use e2e::each_backend;
use futures_util::TryStreamExt;
use serde_json::json;

use crate::support::{api_error, claims, param_name, user};

/// The smallest PNG there is: enough for the server's image check.
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

#[tokio::test]
async fn organizations_create_get_list_update_delete() {
    each_backend(async |env| {
        let orgs = env.clerk.organizations();
        let ann = user(env, "ann@example.com").await;
        let acme = orgs
            .create(
                CreateOrganization::new("Acme")
                    .slug("acme")
                    .created_by(&ann.id)
                    .public_metadata(json!({"plan": "pro"}))
                    .max_allowed_memberships(10),
            )
            .await
            .unwrap();
        assert!(acme.id.starts_with("org_"));
        assert_eq!(acme.slug, "acme");
        assert_eq!(acme.created_by.as_deref(), Some(ann.id.as_str()));
        assert_eq!(acme.public_metadata["plan"], "pro");
        assert_eq!(acme.role_set_key.as_deref(), Some("role_set:default"));
        let beta = orgs
            .create(CreateOrganization::new("Beta Co"))
            .await
            .unwrap();
        assert_eq!(beta.slug, "beta-co");

        assert_eq!(orgs.get(&acme.id).await.unwrap(), acme);
        let by_slug = orgs
            .get_with("acme", GetOrganization::new().include_members_count(true))
            .await
            .unwrap();
        assert_eq!(by_slug.members_count, Some(1));

        let page = orgs
            .list(ListOrganizations::new().order_by("name").limit(1))
            .await
            .unwrap();
        assert_eq!(page.total_count, Some(2));
        assert_eq!(page.data[0].id, acme.id);
        let mine = orgs
            .list(ListOrganizations::new().user_id([&ann.id]))
            .await
            .unwrap();
        assert_eq!(
            mine.data.iter().map(|o| &o.id).collect::<Vec<_>>(),
            [&acme.id]
        );
        let all: Vec<_> = orgs
            .stream(ListOrganizations::new().limit(1))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all.len(), 2);

        let renamed = orgs
            .update(
                &beta.id,
                UpdateOrganization::new().name("Beta").slug("beta"),
            )
            .await
            .unwrap();
        assert_eq!(
            (renamed.name.as_str(), renamed.slug.as_str()),
            ("Beta", "beta")
        );
        let err = api_error(
            orgs.update(&beta.id, UpdateOrganization::new().slug("acme"))
                .await,
            422,
            "form_identifier_exists",
        );
        assert_eq!(param_name(&err), Some("slug"));

        let merged = orgs
            .update_metadata(
                &acme.id,
                OrganizationMetadata::new()
                    .public(json!({"plan": null, "seats": 5}))
                    .private(json!({"crm": "x"})),
            )
            .await
            .unwrap();
        assert_eq!(
            merged.public_metadata,
            *json!({"seats": 5}).as_object().unwrap()
        );
        let replaced = orgs
            .replace_metadata(
                &acme.id,
                OrganizationMetadata::new().public(json!({"k": 1})),
            )
            .await
            .unwrap();
        assert_eq!(
            replaced.public_metadata,
            *json!({"k": 1}).as_object().unwrap()
        );

        let with_logo = orgs
            .upload_logo(
                &acme.id,
                OrganizationLogo::new(PNG.to_vec()).uploader_user_id(&ann.id),
            )
            .await
            .unwrap();
        assert!(with_logo.has_image);
        let image = with_logo.image_url.clone().unwrap();
        let served = reqwest::get(&image).await.unwrap();
        assert_eq!(served.headers()["content-type"], "image/png");
        assert_eq!(served.bytes().await.unwrap().as_ref(), PNG);
        let without = orgs.delete_logo(&acme.id).await.unwrap();
        assert!(!without.has_image);

        let deleted = orgs.delete(&beta.id).await.unwrap();
        assert!(deleted.deleted);
        api_error(orgs.get(&beta.id).await, 404, "resource_not_found");
        api_error(orgs.delete(&beta.id).await, 404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn memberships_create_list_update_delete() {
    each_backend(async |env| {
        let memberships = env.clerk.organization_memberships();
        let ann = user(env, "ann@example.com").await;
        let bob = user(env, "bob@example.com").await;
        let cy = user(env, "cy@example.org").await;
        let acme = env
            .clerk
            .organizations()
            .create(CreateOrganization::new("Acme").created_by(&ann.id))
            .await
            .unwrap();
        for u in [&bob, &cy] {
            let m = memberships
                .create(
                    &acme.id,
                    CreateOrganizationMembership::new(&u.id, "org:member"),
                )
                .await
                .unwrap();
            assert_eq!(m.role, "org:member");
            assert_eq!(m.organization.id, acme.id);
        }
        api_error(
            memberships
                .create(
                    &acme.id,
                    CreateOrganizationMembership::new(&bob.id, "org:member"),
                )
                .await,
            400,
            "already_a_member_in_organization",
        );

        let page = memberships
            .list(
                &acme.id,
                ListOrganizationMemberships::new().order_by("created_at"),
            )
            .await
            .unwrap();
        assert_eq!(page.total_count, Some(3));
        let ids: Vec<_> = page
            .data
            .iter()
            .map(|m| m.public_user_data.as_ref().unwrap().user_id.clone())
            .collect();
        assert_eq!(ids, [ann.id.clone(), bob.id.clone(), cy.id.clone()]);
        let admins = memberships
            .list(
                &acme.id,
                ListOrganizationMemberships::new().role(["org:admin"]),
            )
            .await
            .unwrap();
        assert_eq!(admins.total_count, Some(1));
        let dot_org = memberships
            .list(
                &acme.id,
                ListOrganizationMemberships::new().query("example.org"),
            )
            .await
            .unwrap();
        assert_eq!(dot_org.data.len(), 1);
        let streamed: Vec<_> = memberships
            .stream(&acme.id, ListOrganizationMemberships::new().limit(2))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(streamed.len(), 3);
        let everywhere = memberships
            .list_all(ListAllOrganizationMemberships::new())
            .await
            .unwrap();
        assert_eq!(everywhere.total_count, Some(3));
        let streamed_all: Vec<_> = memberships
            .stream_all(ListAllOrganizationMemberships::new().limit(1))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(streamed_all.len(), 3);

        let promoted = memberships
            .update_role(&acme.id, &bob.id, "org:admin")
            .await
            .unwrap();
        assert_eq!(promoted.role, "org:admin");
        let tagged = memberships
            .update_metadata(
                &acme.id,
                &bob.id,
                OrganizationMetadata::new().public(json!({"team": "red"})),
            )
            .await
            .unwrap();
        assert_eq!(tagged.public_metadata["team"], "red");
        let removed = memberships.delete(&acme.id, &cy.id).await.unwrap();
        assert_eq!(removed.public_user_data.unwrap().user_id, cy.id);

        // The last manager stays.
        memberships.delete(&acme.id, &bob.id).await.unwrap();
        api_error(
            memberships.delete(&acme.id, &ann.id).await,
            422,
            "organization_minimum_permissions_needed",
        );

        // A user's memberships.
        let users = env.clerk.users();
        let anns = users
            .organization_memberships(&ann.id, ListUserOrganizationMemberships::new())
            .await
            .unwrap();
        assert_eq!(anns.total_count, Some(1));
        assert_eq!(anns.data[0].organization.id, acme.id);
        let streamed: Vec<_> = users
            .stream_organization_memberships(&ann.id, ListUserOrganizationMemberships::new())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(streamed.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn the_active_organization_reaches_the_tokens() {
    each_backend(async |env| {
        let ann = user(env, "ann@example.com").await;
        let acme = env
            .clerk
            .organizations()
            .create(
                CreateOrganization::new("Acme")
                    .slug("acme")
                    .created_by(&ann.id),
            )
            .await
            .unwrap();
        api_error(
            env.clerk
                .sessions()
                .create(CreateSession::new(&ann.id).active_organization_id("org_elsewhere"))
                .await,
            404,
            "organization_not_found_or_unauthorized",
        );
        let session = env
            .clerk
            .sessions()
            .create(CreateSession::new(&ann.id).active_organization_id(&acme.id))
            .await
            .unwrap();
        assert_eq!(
            session.last_active_organization_id.as_deref(),
            Some(acme.id.as_str())
        );

        for version in ["2025-04-10", "2024-10-01"] {
            let token = env
                .clerk_with_version(version)
                .sessions()
                .create_token(&session.id, CreateSessionToken::new())
                .await
                .unwrap()
                .jwt
                .unwrap();
            let verified = env.clerk.verify_token(&token).await.unwrap();
            let org = verified.organization().expect(version);
            assert_eq!(org.id, acme.id, "{version}");
            assert_eq!(org.slug.as_deref(), Some("acme"), "{version}");
            assert!(
                org.has_role("org:admin") && org.has_role("admin"),
                "{version}"
            );
            assert!(!org.has_role("org:member"), "{version}");
            // Clerk keeps system permissions out of tokens.
            assert!(
                !org.has_permission("org:sys_memberships:manage"),
                "{version}"
            );
            let raw = claims(&token);
            if version == "2025-04-10" {
                assert_eq!(raw["o"]["rol"], "admin");
            } else {
                assert_eq!(raw["org_role"], "org:admin");
            }
        }
    })
    .await;
}
