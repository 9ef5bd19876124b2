//! The roles catalog through the SDK: every method of `clerk.organization_permissions()`,
//! `clerk.organization_roles()` and `clerk.role_sets()`, and a custom role's permissions
//! reaching the session tokens (and leaving them).

use clerk_sdk::{
    AddRolesToRoleSet, CreateOrganization, CreateOrganizationMembership,
    CreateOrganizationPermission, CreateOrganizationRole, CreateRoleSet, CreateSession,
    CreateSessionToken, ListOrganizationMemberships, ListOrganizationPermissions,
    ListOrganizationRoles, ListRoleSets, ReplaceRoleSet, RoleSetType, UpdateOrganizationPermission,
    UpdateOrganizationRole, UpdateRoleSet,
};
use e2e::each_backend;
use futures_util::TryStreamExt;

use crate::support::{api_error, param_name, user};

#[tokio::test]
async fn permissions_create_list_get_update_delete() {
    each_backend(async |env| {
        let permissions = env.clerk.organization_permissions();
        let system = permissions
            .list(ListOrganizationPermissions::new().query("org:sys_memberships:manage"))
            .await
            .unwrap();
        assert_eq!(system.total_count, Some(1));
        assert!(system.data[0].is_system());

        let read = permissions
            .create(
                CreateOrganizationPermission::new("Read invoices", "org:invoices:read")
                    .description("See the invoices"),
            )
            .await
            .unwrap();
        assert_eq!(read.key, "org:invoices:read");
        assert!(!read.is_system());
        assert_eq!(permissions.get(&read.id).await.unwrap(), read);

        let page = permissions
            .list(ListOrganizationPermissions::new().query("invoices"))
            .await
            .unwrap();
        assert_eq!(page.total_count, Some(1));
        let all: Vec<_> = permissions
            .stream(ListOrganizationPermissions::new().order_by("key").limit(3))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all.len(), 9);

        let renamed = permissions
            .update(
                &read.id,
                UpdateOrganizationPermission::new().name("View invoices"),
            )
            .await
            .unwrap();
        assert_eq!(renamed.name, "View invoices");
        assert_eq!(renamed.description, "See the invoices");

        // Errors: a bad key, a system permission, an unknown id.
        let bad = api_error(
            permissions
                .create(CreateOrganizationPermission::new("x", "invoices"))
                .await,
            422,
            "form_param_format_invalid",
        );
        assert_eq!(param_name(&bad), Some("key"));
        api_error(
            permissions
                .update(
                    &system.data[0].id,
                    UpdateOrganizationPermission::new().name("Mine"),
                )
                .await,
            403,
            "organization_system_permission_not_modifiable",
        );
        api_error(
            permissions.delete(&system.data[0].id).await,
            403,
            "organization_system_permission_not_modifiable",
        );
        api_error(
            permissions.get("perm_missing").await,
            404,
            "resource_not_found",
        );

        let deleted = permissions.delete(&read.id).await.unwrap();
        assert!(deleted.deleted);
        api_error(
            permissions.delete(&read.id).await,
            404,
            "resource_not_found",
        );
    })
    .await;
}

#[tokio::test]
async fn roles_create_list_get_update_delete() {
    each_backend(async |env| {
        let roles = env.clerk.organization_roles();
        let read = env
            .clerk
            .organization_permissions()
            .create(CreateOrganizationPermission::new(
                "Read",
                "org:reports:read",
            ))
            .await
            .unwrap();
        let viewer = roles
            .create(
                CreateOrganizationRole::new("Viewer", "org:viewer")
                    .description("Looks")
                    .permissions([&read.id]),
            )
            .await
            .unwrap();
        assert_eq!(viewer.key, "org:viewer");
        assert!(!viewer.is_creator_eligible);
        assert_eq!(viewer.permissions[0].key, "org:reports:read");
        assert_eq!(roles.get(&viewer.id).await.unwrap(), viewer);

        let page = roles
            .list(ListOrganizationRoles::new().order_by("key"))
            .await
            .unwrap();
        assert_eq!(page.total_count, Some(3));
        assert!(page.data[0].is_creator_eligible);
        let found: Vec<_> = roles
            .stream(ListOrganizationRoles::new().query("view").limit(1))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(found.len(), 1);

        let bare = roles.remove_permission(&viewer.id, &read.id).await.unwrap();
        assert!(bare.permissions.is_empty());
        api_error(
            roles.remove_permission(&viewer.id, &read.id).await,
            404,
            "organization_role_permission_association_not_found",
        );
        let again = roles.assign_permission(&viewer.id, &read.id).await.unwrap();
        assert_eq!(again.permissions.len(), 1);
        api_error(
            roles.assign_permission(&viewer.id, &read.id).await,
            409,
            "organization_role_permission_association_exists",
        );

        let changed = roles
            .update(
                &viewer.id,
                UpdateOrganizationRole::new()
                    .name("Reader")
                    .permissions(Vec::<String>::new()),
            )
            .await
            .unwrap();
        assert_eq!(changed.name, "Reader");
        assert!(changed.permissions.is_empty());

        // Errors: a bad key, the creator role.
        api_error(
            roles
                .create(CreateOrganizationRole::new("x", "viewer"))
                .await,
            422,
            "form_param_format_invalid",
        );
        let admin = &page.data[0];
        api_error(
            roles.delete(&admin.id).await,
            422,
            "organization_role_default_creator_role",
        );
        api_error(
            roles
                .update(
                    &admin.id,
                    UpdateOrganizationRole::new().permissions(Vec::<String>::new()),
                )
                .await,
            422,
            "organization_missing_creator_role_permissions",
        );
        api_error(roles.get("role_missing").await, 404, "resource_not_found");

        assert!(roles.delete(&viewer.id).await.unwrap().deleted);
        api_error(roles.delete(&viewer.id).await, 404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn role_sets_create_list_get_update_add_replace() {
    each_backend(async |env| {
        let sets = env.clerk.role_sets();
        let roles = env.clerk.organization_roles();
        for (name, key) in [("Client", "org:client"), ("Guest", "org:guest")] {
            roles
                .create(CreateOrganizationRole::new(name, key))
                .await
                .unwrap();
        }
        let default = sets.get("role_set:default").await.unwrap();
        assert_eq!(default.role_set_type, RoleSetType::Initial);
        assert_eq!(default.creator_role.as_ref().unwrap().key, "org:admin");

        let agencies = sets
            .create(
                CreateRoleSet::new(
                    "Agencies",
                    ["org:admin", "org:client"],
                    "org:client",
                    "org:admin",
                )
                .key("role_set:agencies"),
            )
            .await
            .unwrap();
        assert_eq!(agencies.role_set_type, RoleSetType::Custom);
        assert_eq!(agencies.roles.len(), 2);
        assert_eq!(
            sets.get(&agencies.id).await.unwrap().key,
            "role_set:agencies"
        );
        let page = sets.list(ListRoleSets::new().query("agenc")).await.unwrap();
        assert_eq!(page.total_count, Some(1));
        let all: Vec<_> = sets
            .stream(ListRoleSets::new().limit(1))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all.len(), 2);

        let updated = sets
            .update(
                "role_set:agencies",
                UpdateRoleSet::new().name("Agency roles"),
            )
            .await
            .unwrap();
        assert_eq!(updated.name, "Agency roles");
        let added = sets
            .add_roles(
                "role_set:agencies",
                AddRolesToRoleSet::new(["org:guest"]).default_role_key("org:guest"),
            )
            .await
            .unwrap();
        assert_eq!(added.default_role.as_ref().unwrap().key, "org:guest");

        // A client member moves to guest when client leaves the set.
        let ann = user(env, "ann@example.com").await;
        let bob = user(env, "bob@example.com").await;
        let acme = env
            .clerk
            .organizations()
            .create(
                CreateOrganization::new("Acme")
                    .created_by(&ann.id)
                    .role_set_key("role_set:agencies"),
            )
            .await
            .unwrap();
        let memberships = env.clerk.organization_memberships();
        memberships
            .create(
                &acme.id,
                CreateOrganizationMembership::new(&bob.id, "org:client"),
            )
            .await
            .unwrap();
        let replaced = sets
            .replace_role("role_set:agencies", "org:client", "org:guest")
            .await
            .unwrap();
        assert!(replaced.roles.iter().all(|r| r.key != "org:client"));
        let roles_of = async || {
            let mut keys: Vec<String> = memberships
                .list(&acme.id, ListOrganizationMemberships::new())
                .await
                .unwrap()
                .data
                .into_iter()
                .map(|m| m.role)
                .collect();
            keys.sort();
            keys
        };
        assert_eq!(roles_of().await, ["org:admin", "org:guest"]);

        // Replace the set: its organizations move, guest mapped to member.
        api_error(
            sets.replace("role_set:agencies", ReplaceRoleSet::new("role_set:default"))
                .await,
            422,
            "form_param_value_invalid",
        );
        let deleted = sets
            .replace(
                "role_set:agencies",
                ReplaceRoleSet::new("role_set:default").map_role("org:guest", "org:member"),
            )
            .await
            .unwrap();
        assert!(deleted.deleted);
        assert_eq!(roles_of().await, ["org:admin", "org:member"]);
        let acme = env.clerk.organizations().get(&acme.id).await.unwrap();
        assert_eq!(acme.role_set_key.as_deref(), Some("role_set:default"));

        // Errors.
        api_error(
            sets.get("role_set:agencies").await,
            404,
            "resource_not_found",
        );
        api_error(
            sets.add_roles("role_set:default", AddRolesToRoleSet::new(["org:nope"]))
                .await,
            404,
            "resource_not_found",
        );
        api_error(
            sets.update("role_set:default", UpdateRoleSet::new().key("default"))
                .await,
            422,
            "form_param_format_invalid",
        );
        api_error(
            sets.replace_role("role_set:default", "org:admin", "org:member")
                .await,
            422,
            "organization_missing_creator_role_permissions",
        );
        api_error(
            sets.create(CreateRoleSet::new(
                "Bad",
                ["org:admin"],
                "org:member",
                "org:admin",
            ))
            .await,
            422,
            "form_param_value_invalid",
        );
    })
    .await;
}

/// The headline: a custom permission in a custom role reaches the member's session token,
/// verified by the SDK, and leaves it when taken from the role.
#[tokio::test]
async fn a_custom_role_reaches_the_tokens() {
    each_backend(async |env| {
        let read = env
            .clerk
            .organization_permissions()
            .create(CreateOrganizationPermission::new(
                "Read invoices",
                "org:invoices:read",
            ))
            .await
            .unwrap();
        let billing = env
            .clerk
            .organization_roles()
            .create(
                CreateOrganizationRole::new("Billing", "org:billing")
                    .permissions([&read.id])
                    .include_in_initial_role_set(true),
            )
            .await
            .unwrap();
        let ann = user(env, "ann@example.com").await;
        let bob = user(env, "bob@example.com").await;
        let acme = env
            .clerk
            .organizations()
            .create(CreateOrganization::new("Acme").created_by(&ann.id))
            .await
            .unwrap();
        env.clerk
            .organization_memberships()
            .create(
                &acme.id,
                CreateOrganizationMembership::new(&bob.id, "org:billing"),
            )
            .await
            .unwrap();
        let session = env
            .clerk
            .sessions()
            .create(CreateSession::new(&bob.id).active_organization_id(&acme.id))
            .await
            .unwrap();

        for version in ["2025-04-10", "2024-10-01"] {
            let mint = async || {
                let jwt = env
                    .clerk_with_version(version)
                    .sessions()
                    .create_token(&session.id, CreateSessionToken::new())
                    .await
                    .unwrap()
                    .jwt
                    .unwrap();
                env.clerk.verify_token(&jwt).await.unwrap()
            };
            let verified = mint().await;
            let org = verified.organization().expect(version);
            assert!(org.has_permission("org:invoices:read"), "{version}");
            assert!(org.has_role("org:billing"), "{version}");
            assert!(
                !org.has_permission("org:sys_memberships:manage"),
                "{version}"
            );

            env.clerk
                .organization_roles()
                .remove_permission(&billing.id, &read.id)
                .await
                .unwrap();
            let verified = mint().await;
            let org = verified.organization().expect(version);
            assert!(!org.has_permission("org:invoices:read"), "{version}");
            assert!(org.has_role("org:billing"), "{version}");
            env.clerk
                .organization_roles()
                .assign_permission(&billing.id, &read.id)
                .await
                .unwrap();
        }
    })
    .await;
}
