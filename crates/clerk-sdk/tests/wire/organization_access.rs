//! Domains, roles, permissions and role sets.

use clerk_sdk::{
    AddRolesToRoleSet, CreateOrganizationDomain, CreateOrganizationPermission,
    CreateOrganizationRole, CreateRoleSet, DomainEnrollmentMode, ListAllOrganizationDomains,
    ListOrganizationDomains, ListOrganizationPermissions, ListOrganizationRoles, ListRoleSets,
    Patch, ReplaceRoleSet, RoleSetType, UpdateOrganizationDomain, UpdateOrganizationPermission,
    UpdateOrganizationRole, UpdateRoleSet,
};
use futures_util::TryStreamExt;
use serde_json::json;

use crate::support::{Canned, MockServer, fixtures};

#[tokio::test]
async fn domain_writes() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.always(Canned::json(200, fixtures::domain("orgdmn_1")));
    let domains = clerk.organization_domains();
    domains
        .create(
            "org_1",
            CreateOrganizationDomain::new("example.com")
                .enrollment_mode(DomainEnrollmentMode::AutomaticInvitation)
                .verified(false),
        )
        .await
        .unwrap();
    domains
        .create("org_1", CreateOrganizationDomain::new("example.org"))
        .await
        .unwrap();
    domains
        .update(
            "org_1",
            "orgdmn_1",
            UpdateOrganizationDomain::new()
                .enrollment_mode(DomainEnrollmentMode::ManualInvitation)
                .verified(Patch::Null),
        )
        .await
        .unwrap();
    let checked = domains.verify_ownership("org_1", "orgdmn_1").await.unwrap();
    assert_eq!(checked.name, "example.com");
    server.always(Canned::json(
        200,
        fixtures::deleted("organization_domain", "orgdmn_1"),
    ));
    assert!(domains.delete("org_1", "orgdmn_1").await.unwrap().deleted);

    let requests = server.requests();
    requests[0].assert_request(
        "POST",
        "/v1/organizations/org_1/domains",
        None,
        Some(json!({"name": "example.com", "enrollment_mode": "automatic_invitation", "verified": false})),
    );
    requests[1].assert_request(
        "POST",
        "/v1/organizations/org_1/domains",
        None,
        Some(json!({"name": "example.org"})),
    );
    requests[2].assert_request(
        "PATCH",
        "/v1/organizations/org_1/domains/orgdmn_1",
        None,
        Some(json!({"enrollment_mode": "manual_invitation", "verified": null})),
    );
    requests[3].assert_request(
        "POST",
        "/v1/organizations/org_1/domains/orgdmn_1/verify_ownership",
        None,
        None,
    );
    requests[4].assert_request(
        "DELETE",
        "/v1/organizations/org_1/domains/orgdmn_1",
        None,
        None,
    );
}

#[tokio::test]
async fn domain_lists_explode_enrollment_modes_only_where_the_spec_says() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.always(Canned::json(
        200,
        fixtures::page(vec![fixtures::domain("orgdmn_1")], 1),
    ));
    let domains = clerk.organization_domains();
    domains
        .list(
            "org_1",
            ListOrganizationDomains::new()
                .verified(true)
                .enrollment_mode("-enterprise_sso")
                .limit(5)
                .offset(1),
        )
        .await
        .unwrap();
    domains
        .list_all(
            ListAllOrganizationDomains::new()
                .organization_id("org_1")
                .verified(false)
                .enrollment_mode(["automatic_invitation", "-enterprise_sso"])
                .query("example")
                .domains(["example.com", "example.org"])
                .order_by("name")
                .limit(2),
        )
        .await
        .unwrap();
    domains
        .stream("org_1", Default::default())
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    domains
        .stream_all(ListAllOrganizationDomains::new().enrollment_mode(["manual_invitation"]))
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    let requests = server.requests();
    requests[0].assert_request(
        "GET",
        "/v1/organizations/org_1/domains",
        Some("verified=true&enrollment_mode=-enterprise_sso&limit=5&offset=1"),
        None,
    );
    requests[1].assert_request(
        "GET",
        "/v1/organization_domains",
        Some(concat!(
            "organization_id=org_1&verified=false",
            "&enrollment_mode=automatic_invitation%2C-enterprise_sso&query=example",
            "&domains=example.com&domains=example.org&order_by=name&limit=2"
        )),
        None,
    );
    requests[2].assert_request(
        "GET",
        "/v1/organizations/org_1/domains",
        Some("limit=100&offset=0"),
        None,
    );
    requests[3].assert_request(
        "GET",
        "/v1/organization_domains",
        Some("enrollment_mode=manual_invitation&limit=100&offset=0"),
        None,
    );
}

#[tokio::test]
async fn roles_crud_and_permission_assignment() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.always(Canned::json(200, fixtures::role("role_1", "org:billing")));
    let roles = clerk.organization_roles();
    roles
        .create(
            CreateOrganizationRole::new("Billing", "org:billing")
                .description("Pays")
                .permissions(["perm_1", "perm_2"])
                .include_in_initial_role_set(true),
        )
        .await
        .unwrap();
    roles
        .create(CreateOrganizationRole::new("Viewer", "org:viewer"))
        .await
        .unwrap();
    let role = roles.get("role_1").await.unwrap();
    assert_eq!(role.permissions[0].key, "org:invoices:read");
    roles
        .update(
            "role_1",
            UpdateOrganizationRole::new()
                .name("Finance")
                .key("org:finance")
                .description(Patch::Null)
                .permissions(Vec::<String>::new()),
        )
        .await
        .unwrap();
    roles.assign_permission("role_1", "perm_3").await.unwrap();
    roles.remove_permission("role_1", "perm_3").await.unwrap();
    server.always(Canned::json(200, fixtures::deleted("role", "role_1")));
    roles.delete("role_1").await.unwrap();

    let requests = server.requests();
    requests[0].assert_request(
        "POST",
        "/v1/organization_roles",
        None,
        Some(
            json!({"name": "Billing", "key": "org:billing", "description": "Pays",
                    "permissions": ["perm_1", "perm_2"], "include_in_initial_role_set": true}),
        ),
    );
    requests[1].assert_request(
        "POST",
        "/v1/organization_roles",
        None,
        Some(json!({"name": "Viewer", "key": "org:viewer"})),
    );
    requests[2].assert_request("GET", "/v1/organization_roles/role_1", None, None);
    requests[3].assert_request(
        "PATCH",
        "/v1/organization_roles/role_1",
        None,
        Some(json!({"name": "Finance", "key": "org:finance", "description": null, "permissions": []})),
    );
    requests[4].assert_request(
        "POST",
        "/v1/organization_roles/role_1/permissions/perm_3",
        None,
        None,
    );
    requests[5].assert_request(
        "DELETE",
        "/v1/organization_roles/role_1/permissions/perm_3",
        None,
        None,
    );
    requests[6].assert_request("DELETE", "/v1/organization_roles/role_1", None, None);
}

#[tokio::test]
async fn permissions_crud() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.always(Canned::json(
        200,
        fixtures::permission("perm_1", "org:invoices:read"),
    ));
    let permissions = clerk.organization_permissions();
    permissions
        .create(
            CreateOrganizationPermission::new("Read invoices", "org:invoices:read")
                .description("See them"),
        )
        .await
        .unwrap();
    let permission = permissions.get("perm_1").await.unwrap();
    assert!(!permission.is_system());
    permissions
        .update(
            "perm_1",
            UpdateOrganizationPermission::new()
                .name("View invoices")
                .key("org:invoices:view")
                .description(""),
        )
        .await
        .unwrap();
    permissions
        .update("perm_1", UpdateOrganizationPermission::new())
        .await
        .unwrap();
    server.always(Canned::json(200, fixtures::deleted("permission", "perm_1")));
    permissions.delete("perm_1").await.unwrap();

    let requests = server.requests();
    requests[0].assert_request(
        "POST",
        "/v1/organization_permissions",
        None,
        Some(
            json!({"name": "Read invoices", "key": "org:invoices:read", "description": "See them"}),
        ),
    );
    requests[1].assert_request("GET", "/v1/organization_permissions/perm_1", None, None);
    requests[2].assert_request(
        "PATCH",
        "/v1/organization_permissions/perm_1",
        None,
        Some(json!({"name": "View invoices", "key": "org:invoices:view", "description": ""})),
    );
    requests[3].assert_request(
        "PATCH",
        "/v1/organization_permissions/perm_1",
        None,
        Some(json!({})),
    );
    requests[4].assert_request("DELETE", "/v1/organization_permissions/perm_1", None, None);
}

#[tokio::test]
async fn role_and_permission_and_role_set_lists() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server
        .on(
            "/v1/organization_roles",
            Canned::json(
                200,
                fixtures::page(vec![fixtures::role("role_1", "org:a")], 1),
            ),
        )
        .on(
            "/v1/organization_permissions",
            Canned::json(
                200,
                fixtures::page(vec![fixtures::permission("perm_1", "org:a:b")], 1),
            ),
        )
        .on(
            "/v1/role_sets",
            Canned::json(
                200,
                fixtures::page(vec![fixtures::role_set("role_set:a")], 1),
            ),
        );
    clerk
        .organization_roles()
        .list(
            ListOrganizationRoles::new()
                .query("bill")
                .order_by("-key")
                .limit(1)
                .offset(3),
        )
        .await
        .unwrap();
    clerk
        .organization_permissions()
        .list(
            ListOrganizationPermissions::new()
                .query("inv")
                .order_by("name"),
        )
        .await
        .unwrap();
    let sets = clerk
        .role_sets()
        .list(
            ListRoleSets::new()
                .query("def")
                .order_by("+created_at")
                .limit(4),
        )
        .await
        .unwrap();
    assert_eq!(sets.data[0].role_set_type, RoleSetType::Initial);
    let roles: Vec<_> = clerk
        .organization_roles()
        .stream(Default::default())
        .try_collect()
        .await
        .unwrap();
    let permissions: Vec<_> = clerk
        .organization_permissions()
        .stream(Default::default())
        .try_collect()
        .await
        .unwrap();
    let sets: Vec<_> = clerk
        .role_sets()
        .stream(Default::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!((roles.len(), permissions.len(), sets.len()), (1, 1, 1));

    let targets: Vec<_> = server
        .requests()
        .iter()
        .map(|r| (r.path.clone(), r.query.clone().unwrap_or_default()))
        .collect();
    let expected = [
        (
            "/v1/organization_roles",
            "query=bill&order_by=-key&limit=1&offset=3",
        ),
        ("/v1/organization_permissions", "query=inv&order_by=name"),
        ("/v1/role_sets", "query=def&order_by=%2Bcreated_at&limit=4"),
        ("/v1/organization_roles", "limit=100&offset=0"),
        ("/v1/organization_permissions", "limit=100&offset=0"),
        ("/v1/role_sets", "limit=100&offset=0"),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(path, query)| (path.to_string(), query.to_string()))
        .collect();
    assert_eq!(targets, expected);
}

#[tokio::test]
async fn role_set_operations() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.always(Canned::json(200, fixtures::role_set("role_set:agencies")));
    let sets = clerk.role_sets();
    sets.create(
        CreateRoleSet::new(
            "Agencies",
            ["org:admin", "org:client"],
            "org:client",
            "org:admin",
        )
        .key("role_set:agencies")
        .description("For agencies")
        .role_set_type(RoleSetType::Custom),
    )
    .await
    .unwrap();
    sets.get("role_set:agencies").await.unwrap();
    sets.update(
        "role_set:agencies",
        UpdateRoleSet::new()
            .name("Agency")
            .key("role_set:agency")
            .description(Patch::Null)
            .role_set_type(RoleSetType::Initial)
            .default_role_key("org:viewer")
            .creator_role_key("org:owner"),
    )
    .await
    .unwrap();
    sets.add_roles(
        "role_set:agency",
        AddRolesToRoleSet::new(["org:billing"])
            .default_role_key("org:billing")
            .creator_role_key("org:billing"),
    )
    .await
    .unwrap();
    sets.add_roles(
        "role_set:agency",
        AddRolesToRoleSet::new(["org:x", "org:y"]),
    )
    .await
    .unwrap();
    sets.replace_role("role_set:agency", "org:viewer", "org:member")
        .await
        .unwrap();
    server.always(Canned::json(200, fixtures::deleted("role_set", "rs_1")));
    sets.replace(
        "role_set:agency",
        ReplaceRoleSet::new("role_set:default")
            .map_role("org:viewer", "org:member")
            .map_role("org:owner", "org:admin"),
    )
    .await
    .unwrap();
    sets.replace("rs_2", ReplaceRoleSet::new("role_set:default"))
        .await
        .unwrap();

    let requests = server.requests();
    requests[0].assert_request(
        "POST",
        "/v1/role_sets",
        None,
        Some(
            json!({"name": "Agencies", "key": "role_set:agencies", "description": "For agencies",
                    "default_role_key": "org:client", "creator_role_key": "org:admin",
                    "type": "custom", "roles": ["org:admin", "org:client"]}),
        ),
    );
    requests[1].assert_request("GET", "/v1/role_sets/role_set:agencies", None, None);
    requests[2].assert_request(
        "PATCH",
        "/v1/role_sets/role_set:agencies",
        None,
        Some(
            json!({"name": "Agency", "key": "role_set:agency", "description": null,
                    "type": "initial", "default_role_key": "org:viewer",
                    "creator_role_key": "org:owner"}),
        ),
    );
    requests[3].assert_request(
        "POST",
        "/v1/role_sets/role_set:agency/roles",
        None,
        Some(
            json!({"role_keys": ["org:billing"], "default_role_key": "org:billing",
                    "creator_role_key": "org:billing"}),
        ),
    );
    requests[4].assert_request(
        "POST",
        "/v1/role_sets/role_set:agency/roles",
        None,
        Some(json!({"role_keys": ["org:x", "org:y"]})),
    );
    requests[5].assert_request(
        "POST",
        "/v1/role_sets/role_set:agency/roles/replace",
        None,
        Some(json!({"role_key": "org:viewer", "to_role_key": "org:member"})),
    );
    requests[6].assert_request(
        "POST",
        "/v1/role_sets/role_set:agency/replace",
        None,
        Some(json!({"dest_role_set_key": "role_set:default",
                    "reassignment_mappings": {"org:viewer": "org:member", "org:owner": "org:admin"}})),
    );
    requests[7].assert_request(
        "POST",
        "/v1/role_sets/rs_2/replace",
        None,
        Some(json!({"dest_role_set_key": "role_set:default"})),
    );
}
