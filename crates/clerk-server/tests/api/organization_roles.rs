//! The roles catalog: `/v1/organization_permissions` and `/v1/organization_roles` — the
//! defaults, create, list (query, order, pages), change, delete, assigning permissions,
//! the rules (system permissions, key formats, quotas, creator role, roles in use) and
//! tokens following a role's permissions.

use serde_json::{Value, json};

use crate::common::{Api, claims, each_backend};

fn keys(resp: &Value) -> Vec<String> {
    resp["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap().to_owned())
        .collect()
}

async fn permission(api: &Api, key: &str) -> String {
    api.post(
        "/v1/organization_permissions",
        json!({"name": key, "key": key}),
    )
    .await
    .ok()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn role_id(api: &Api, key: &str) -> String {
    let listed = api
        .get(&format!("/v1/organization_roles?query={key}"))
        .await;
    listed.ok()["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn permissions_create_list_update_delete() {
    each_backend(async |api: &mut Api| {
        // Clerk's system permissions exist from the start.
        let all = api.get("/v1/organization_permissions?limit=100").await;
        assert_eq!(all.ok()["total_count"], 8);
        let system = &all.ok()["data"][0];
        assert_eq!(system["object"], "permission");
        assert_eq!(system["type"], "system");
        assert!(system["description"].is_string());
        assert!(system["id"].as_str().unwrap().starts_with("perm_"));

        let created = api
            .post(
                "/v1/organization_permissions",
                json!({"name": "Read invoices", "key": "org:invoices:read", "description": "See them"}),
            )
            .await;
        let p = created.ok().clone();
        assert_eq!(p["key"], "org:invoices:read");
        assert_eq!(p["name"], "Read invoices");
        assert_eq!(p["description"], "See them");
        assert_eq!(p["type"], "user");
        let id = p["id"].as_str().unwrap().to_owned();
        // Without a description: an empty one (never null).
        let bare = api
            .post(
                "/v1/organization_permissions",
                json!({"name": "Pay", "key": "org:invoices:pay"}),
            )
            .await;
        assert_eq!(bare.ok()["description"], "");

        // Lists: newest first by default; query on id, name or key; order; pages.
        let listed = api.get("/v1/organization_permissions?limit=2").await;
        assert_eq!(keys(listed.ok()), ["org:invoices:pay", "org:invoices:read"]);
        assert_eq!(listed.ok()["total_count"], 10);
        let found = api.get("/v1/organization_permissions?query=INVOICES").await;
        assert_eq!(found.ok()["total_count"], 2);
        let by_id = api
            .get(&format!("/v1/organization_permissions?query={id}"))
            .await;
        assert_eq!(keys(by_id.ok()), ["org:invoices:read"]);
        let ordered = api
            .get("/v1/organization_permissions?order_by=key&limit=1&offset=1")
            .await;
        assert_eq!(keys(ordered.ok()), ["org:invoices:read"]);
        api.get("/v1/organization_permissions?order_by=nope")
            .await
            .err(422, "form_param_value_invalid");

        let shown = api.get(&format!("/v1/organization_permissions/{id}")).await;
        assert_eq!(shown.ok()["key"], "org:invoices:read");
        let missing = api.get("/v1/organization_permissions/perm_missing").await;
        assert_eq!(
            missing.err(404, "resource_not_found")["long_message"],
            "No permission was found with id perm_missing"
        );

        let changed = api
            .patch(
                &format!("/v1/organization_permissions/{id}"),
                json!({"name": "View invoices", "key": "org:invoices:view"}),
            )
            .await;
        assert_eq!(changed.ok()["key"], "org:invoices:view");
        assert_eq!(changed.ok()["name"], "View invoices");
        assert_eq!(changed.ok()["description"], "See them");

        // Errors: key format, the reserved prefix, taken keys, system permissions.
        for key in ["invoices:read", "org:invoices", "org:Invoices:read", "org:a:b:c"] {
            let resp = api
                .post(
                    "/v1/organization_permissions",
                    json!({"name": "x", "key": key}),
                )
                .await;
            resp.err(422, "form_param_format_invalid");
            assert_eq!(resp.param(), "key");
        }
        api.post(
            "/v1/organization_permissions",
            json!({"name": "x", "key": "org:sys_profile:read"}),
        )
        .await
        .err(422, "form_param_value_invalid");
        api.post(
            "/v1/organization_permissions",
            json!({"name": "x", "key": "org:invoices:pay"}),
        )
        .await
        .err(422, "form_identifier_exists");
        api.post("/v1/organization_permissions", json!({"key": "org:a:b"}))
            .await
            .err(422, "form_param_missing");
        api.patch(
            &format!("/v1/organization_permissions/{id}"),
            json!({"key": "org:invoices:pay"}),
        )
        .await
        .err(422, "form_identifier_exists");
        let system_id = system["id"].as_str().unwrap();
        api.patch(
            &format!("/v1/organization_permissions/{system_id}"),
            json!({"name": "Mine"}),
        )
        .await
        .err(403, "organization_system_permission_not_modifiable");
        api.delete(&format!("/v1/organization_permissions/{system_id}"))
            .await
            .err(403, "organization_system_permission_not_modifiable");
        api.patch("/v1/organization_permissions/perm_missing", json!({"name": "x"}))
            .await
            .err(404, "resource_not_found");

        let deleted = api
            .delete(&format!("/v1/organization_permissions/{id}"))
            .await;
        assert_eq!(
            deleted.ok(),
            &json!({"object": "permission", "id": id, "deleted": true})
        );
        api.delete(&format!("/v1/organization_permissions/{id}"))
            .await
            .err(404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn permissions_quota() {
    each_backend(async |api: &mut Api| {
        for i in 0..50 {
            permission(api, &format!("org:feature{i}:read")).await;
        }
        // The system permissions do not count.
        let resp = api
            .post(
                "/v1/organization_permissions",
                json!({"name": "x", "key": "org:one:more"}),
            )
            .await;
        // The operation declares no 403: Clerk's code, answered as the 400 it declares.
        resp.err(400, "organization_instance_permissions_quota_exceeded");
    })
    .await;
}

#[tokio::test]
async fn roles_create_list_update_delete() {
    each_backend(async |api: &mut Api| {
        // Clerk's default roles.
        let all = api.get("/v1/organization_roles?order_by=key").await;
        assert_eq!(keys(all.ok()), ["org:admin", "org:member"]);
        let admin = &all.ok()["data"][0];
        assert_eq!(admin["object"], "role");
        assert_eq!(admin["is_creator_eligible"], true);
        assert_eq!(admin["permissions"].as_array().unwrap().len(), 8);
        assert_eq!(admin["permissions"][0]["object"], "permission");
        assert_eq!(all.ok()["data"][1]["is_creator_eligible"], false);

        let read = permission(api, "org:invoices:read").await;
        let pay = permission(api, "org:invoices:pay").await;
        let created = api
            .post(
                "/v1/organization_roles",
                json!({"name": "Billing", "key": "org:billing", "description": null,
                       "permissions": [read, read], "include_in_initial_role_set": true}),
            )
            .await;
        let role = created.ok().clone();
        assert!(role["id"].as_str().unwrap().starts_with("role_"));
        assert_eq!(role["key"], "org:billing");
        assert_eq!(role["description"], Value::Null);
        assert_eq!(role["is_creator_eligible"], false);
        assert_eq!(role["permissions"][0]["key"], "org:invoices:read");
        assert_eq!(role["permissions"].as_array().unwrap().len(), 1);
        let rid = role["id"].as_str().unwrap().to_owned();
        // In the initial role set, so organizations may give it.
        let set = api.get("/v1/role_sets/role_set:default").await;
        assert!(
            set.ok()["roles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["key"] == "org:billing")
        );

        let listed = api.get("/v1/organization_roles?limit=1").await;
        assert_eq!(keys(listed.ok()), ["org:billing"]);
        assert_eq!(listed.ok()["total_count"], 3);
        let found = api.get("/v1/organization_roles?query=bill").await;
        assert_eq!(keys(found.ok()), ["org:billing"]);
        let shown = api.get(&format!("/v1/organization_roles/{rid}")).await;
        assert_eq!(shown.ok()["name"], "Billing");
        let missing = api.get("/v1/organization_roles/role_missing").await;
        assert_eq!(
            missing.err(404, "resource_not_found")["long_message"],
            "No organization role was found with id role_missing"
        );

        // Assign and remove permissions.
        let assigned = api
            .post_empty(&format!("/v1/organization_roles/{rid}/permissions/{pay}"))
            .await;
        assert_eq!(assigned.ok()["permissions"].as_array().unwrap().len(), 2);
        api.post_empty(&format!("/v1/organization_roles/{rid}/permissions/{pay}"))
            .await
            .err(409, "organization_role_permission_association_exists");
        api.post_empty(&format!(
            "/v1/organization_roles/{rid}/permissions/perm_missing"
        ))
        .await
        .err(404, "resource_not_found");
        api.post_empty(&format!(
            "/v1/organization_roles/role_missing/permissions/{pay}"
        ))
        .await
        .err(404, "resource_not_found");
        let removed = api
            .delete(&format!("/v1/organization_roles/{rid}/permissions/{pay}"))
            .await;
        assert_eq!(removed.ok()["permissions"].as_array().unwrap().len(), 1);
        api.delete(&format!("/v1/organization_roles/{rid}/permissions/{pay}"))
            .await
            .err(404, "organization_role_permission_association_not_found");

        // Update: name, description, permissions replaced.
        let changed = api
            .patch(
                &format!("/v1/organization_roles/{rid}"),
                json!({"name": "Billing team", "description": "Pays", "permissions": [pay]}),
            )
            .await;
        assert_eq!(changed.ok()["name"], "Billing team");
        assert_eq!(changed.ok()["description"], "Pays");
        assert_eq!(changed.ok()["permissions"][0]["key"], "org:invoices:pay");
        api.patch(
            &format!("/v1/organization_roles/{rid}"),
            json!({"permissions": ["perm_missing"]}),
        )
        .await
        .err(404, "resource_not_found");

        // Errors of create.
        for key in ["billing", "org:", "org:Billing", "org:a:b"] {
            let resp = api
                .post("/v1/organization_roles", json!({"name": "x", "key": key}))
                .await;
            resp.err(422, "form_param_format_invalid");
        }
        api.post(
            "/v1/organization_roles",
            json!({"name": "x", "key": "org:billing"}),
        )
        .await
        .err(422, "form_identifier_exists");
        api.post(
            "/v1/organization_roles",
            json!({"name": "x", "key": "org:x", "permissions": ["perm_missing"]}),
        )
        .await
        .err(404, "resource_not_found");
        api.post(
            "/v1/organization_roles",
            json!({"name": "x", "key": "org:x", "extra": 1}),
        )
        .await
        .err(422, "form_param_unknown");

        let deleted = api.delete(&format!("/v1/organization_roles/{rid}")).await;
        assert_eq!(
            deleted.ok(),
            &json!({"object": "role", "id": rid, "deleted": true})
        );
        api.delete(&format!("/v1/organization_roles/{rid}"))
            .await
            .err(404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn roles_rules() {
    each_backend(async |api: &mut Api| {
        let admin = role_id(api, "org:admin").await;
        let member = role_id(api, "org:member").await;
        // The creator role keeps the permissions that run an organization.
        let manage = api
            .get("/v1/organization_permissions?query=org:sys_memberships:manage")
            .await
            .ok()["data"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        api.delete(&format!(
            "/v1/organization_roles/{admin}/permissions/{manage}"
        ))
        .await
        .err(422, "organization_missing_creator_role_permissions");
        api.patch(
            &format!("/v1/organization_roles/{admin}"),
            json!({"permissions": []}),
        )
        .await
        .err(422, "organization_missing_creator_role_permissions");
        // The default and creator roles of a role set, and the domains' default role, stay.
        api.delete(&format!("/v1/organization_roles/{admin}"))
            .await
            .err(422, "organization_role_default_creator_role");
        api.delete(&format!("/v1/organization_roles/{member}"))
            .await
            .err(422, "organization_role_default_creator_role");

        // A role members have cannot be deleted; a key change follows them.
        let ada = api
            .user(json!({"email_address": ["ada@example.com"]}))
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let bob = api
            .user(json!({"email_address": ["bob@example.com"]}))
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let oid = api
            .post(
                "/v1/organizations",
                json!({"name": "Acme", "created_by": ada}),
            )
            .await
            .ok()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let read = permission(api, "org:invoices:read").await;
        let billing = api
            .post(
                "/v1/organization_roles",
                json!({"name": "Billing", "key": "org:billing", "permissions": [read],
                       "include_in_initial_role_set": true}),
            )
            .await
            .ok()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        api.post(
            &format!("/v1/organizations/{oid}/memberships"),
            json!({"user_id": bob, "role": "org:billing"}),
        )
        .await
        .ok();
        api.delete(&format!("/v1/organization_roles/{billing}"))
            .await
            .err(422, "organization_role_assigned_members");
        api.patch(
            &format!("/v1/organization_roles/{billing}"),
            json!({"key": "org:payments"}),
        )
        .await
        .ok();
        let members = api
            .get(&format!(
                "/v1/organizations/{oid}/memberships?role=org:payments"
            ))
            .await;
        assert_eq!(members.ok()["total_count"], 1);
        assert_eq!(members.ok()["data"][0]["role_name"], "Billing");
        assert_eq!(
            members.ok()["data"][0]["permissions"],
            json!(["org:invoices:read"])
        );

        // The role's permissions are in the member's next token.
        let sid = api
            .post(
                "/v1/sessions",
                json!({"user_id": bob, "active_organization_id": oid}),
            )
            .await
            .ok()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let token = async |api: &Api| {
            claims(
                api.post_empty(&format!("/v1/sessions/{sid}/tokens"))
                    .await
                    .ok()["jwt"]
                    .as_str()
                    .unwrap(),
            )
        };
        api.version("2021-02-05");
        let v1 = token(api).await;
        assert_eq!(v1["org_role"], "org:payments");
        assert_eq!(v1["org_permissions"], json!(["org:invoices:read"]));
        api.delete(&format!(
            "/v1/organization_roles/{billing}/permissions/{read}"
        ))
        .await
        .ok();
        assert_eq!(token(api).await["org_permissions"], json!([]));

        // Member removed: the role can go.
        api.delete(&format!("/v1/organizations/{oid}/memberships/{bob}"))
            .await
            .ok();
        api.delete(&format!("/v1/organization_roles/{billing}"))
            .await
            .ok();
    })
    .await;
}

#[tokio::test]
async fn roles_quota() {
    each_backend(async |api: &mut Api| {
        // 2 default roles + 8 = the limit of 10.
        for i in 0..8 {
            api.post(
                "/v1/organization_roles",
                json!({"name": "r", "key": format!("org:r{i}")}),
            )
            .await
            .ok();
        }
        api.post(
            "/v1/organization_roles",
            json!({"name": "r", "key": "org:one_more"}),
        )
        .await
        .err(403, "organization_instance_roles_quota_exceeded");
    })
    .await;
}

/// Catalog changes take turns on the instance row: 20 parallel creates leave exactly the
/// 8 roles the quota has room for, on both backends.
#[tokio::test]
async fn parallel_creates_respect_the_roles_quota() {
    each_backend(async |api: &mut Api| {
        let api_ref = &*api;
        let results = futures_util::future::join_all((0..20).map(|i| async move {
            api_ref
                .post(
                    "/v1/organization_roles",
                    json!({"name": "r", "key": format!("org:r{i}")}),
                )
                .await
                .status
        }))
        .await;
        assert_eq!(
            results.iter().filter(|s| **s == 200).count(),
            8,
            "{results:?}"
        );
        assert!(
            results.iter().all(|s| *s == 200 || *s == 403),
            "{results:?}"
        );
        let listed = api.get("/v1/organization_roles").await;
        assert_eq!(listed.ok()["total_count"], 10);
    })
    .await;
}

/// A role being given out holds the catalog still: deleting a role while members are being
/// made with it either fails (the role has members) or leaves no member holding it, never
/// a membership with a deleted role.
#[tokio::test]
async fn a_role_cannot_be_deleted_while_it_is_given() {
    each_backend(async |api: &mut Api| {
        let role = api
            .post(
                "/v1/organization_roles",
                json!({"name": "Racer", "key": "org:racer", "include_in_initial_role_set": true}),
            )
            .await;
        let role = role.ok()["id"].as_str().unwrap().to_owned();
        let org = api.post("/v1/organizations", json!({"name": "Race"})).await;
        let org = org.ok()["id"].as_str().unwrap().to_owned();
        let mut users = Vec::new();
        for i in 0..10 {
            let user = api
                .user(json!({"email_address": [format!("racer{i}@example.com")]}))
                .await;
            users.push(user["id"].as_str().unwrap().to_owned());
        }
        let api_ref = &*api;
        let (org_ref, role_ref) = (&org, &role);
        let creates = futures_util::future::join_all(users.iter().map(|user| async move {
            api_ref
                .post(
                    &format!("/v1/organizations/{org_ref}/memberships"),
                    json!({"user_id": user, "role": "org:racer"}),
                )
                .await
                .status
        }));
        let delete = async move {
            api_ref
                .delete(&format!("/v1/organization_roles/{role_ref}"))
                .await
                .status
        };
        let (created, deleted) = futures_util::future::join(creates, delete).await;
        let holding = api
            .get(&format!(
                "/v1/organizations/{org}/memberships?role=org:racer"
            ))
            .await;
        let holding = holding.ok()["total_count"].as_i64().unwrap();
        let made = created.iter().filter(|s| **s == 200).count() as i64;
        if deleted == 200 {
            assert_eq!(holding, 0, "{created:?}");
        } else {
            assert_eq!(deleted, 422);
            assert_eq!(holding, made);
        }
    })
    .await;
}
