//! Role sets: the initial set, create, list, get by key or id, change (key carried to
//! organizations, one initial set), add roles, replace a role (members reassigned),
//! replace a set (organizations moved, roles mapped) and their errors.

use serde_json::{Value, json};

use crate::common::{Api, each_backend};

fn role_keys(set: &Value, field: &str) -> Vec<String> {
    set[field]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap().to_owned())
        .collect()
}

async fn role(api: &Api, key: &str) {
    api.post("/v1/organization_roles", json!({"name": key, "key": key}))
        .await
        .ok();
}

async fn id(resp: crate::common::Resp) -> String {
    resp.ok()["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn create_list_get_update() {
    each_backend(async |api: &mut Api| {
        let initial = api.get("/v1/role_sets/role_set:default").await;
        let d = initial.ok().clone();
        assert_eq!(d["object"], "role_set");
        assert_eq!(d["type"], "initial");
        assert_eq!(role_keys(&d, "roles"), ["org:admin", "org:member"]);
        assert_eq!(d["roles"][0]["object"], "role_set_item");
        assert_eq!(d["default_role"]["key"], "org:member");
        assert_eq!(d["creator_role"]["key"], "org:admin");
        let by_id = api
            .get(&format!("/v1/role_sets/{}", d["id"].as_str().unwrap()))
            .await;
        assert_eq!(by_id.ok()["key"], "role_set:default");
        api.get("/v1/role_sets/role_set:nope")
            .await
            .err(404, "resource_not_found");

        role(api, "org:viewer").await;
        let created = api
            .post(
                "/v1/role_sets",
                json!({"name": "Agency roles", "description": "For agencies",
                       "roles": ["org:admin", "org:viewer"],
                       "default_role_key": "org:viewer", "creator_role_key": "org:admin"}),
            )
            .await;
        let set = created.ok().clone();
        assert!(set["id"].as_str().unwrap().starts_with("rs_"));
        assert_eq!(set["key"], "role_set:agency_roles");
        assert_eq!(set["type"], "custom");
        assert_eq!(set["description"], "For agencies");
        assert_eq!(set["default_role"]["key"], "org:viewer");
        assert_eq!(role_keys(&set, "roles"), ["org:admin", "org:viewer"]);

        let listed = api.get("/v1/role_sets?order_by=key").await;
        assert_eq!(listed.ok()["total_count"], 2);
        assert_eq!(listed.ok()["data"][0]["key"], "role_set:agency_roles");
        let found = api.get("/v1/role_sets?query=agency&limit=1").await;
        assert_eq!(found.ok()["data"][0]["key"], "role_set:agency_roles");
        api.get("/v1/role_sets?limit=0")
            .await
            .err(422, "form_param_value_invalid");

        // An organization on the set; a key change follows it.
        let oid = id(api
            .post(
                "/v1/organizations",
                json!({"name": "Agency", "role_set_key": "role_set:agency_roles"}),
            )
            .await)
        .await;
        let changed = api
            .patch(
                "/v1/role_sets/role_set:agency_roles",
                json!({"key": "role_set:agency", "name": "Agency", "description": null,
                       "default_role_key": "org:admin"}),
            )
            .await;
        assert_eq!(changed.ok()["key"], "role_set:agency");
        assert_eq!(changed.ok()["description"], Value::Null);
        assert_eq!(changed.ok()["default_role"]["key"], "org:admin");
        let org = api.get(&format!("/v1/organizations/{oid}")).await;
        assert_eq!(org.ok()["role_set_key"], "role_set:agency");

        // Making it initial makes the other custom.
        let initial = api
            .patch("/v1/role_sets/role_set:agency", json!({"type": "initial"}))
            .await;
        assert_eq!(initial.ok()["type"], "initial");
        let old = api.get("/v1/role_sets/role_set:default").await;
        assert_eq!(old.ok()["type"], "custom");
        let fresh = api.post("/v1/organizations", json!({"name": "New"})).await;
        assert_eq!(fresh.ok()["role_set_key"], "role_set:agency");

        // Errors.
        let path = "/v1/role_sets/role_set:agency";
        api.patch(path, json!({"type": "custom"}))
            .await
            .err(422, "form_param_value_invalid");
        api.patch(path, json!({"default_role_key": "org:member"}))
            .await
            .err(422, "form_param_value_invalid");
        api.patch(path, json!({"creator_role_key": "org:viewer"}))
            .await
            .err(422, "organization_missing_creator_role_permissions");
        api.patch(path, json!({"key": "agency"}))
            .await
            .err(422, "form_param_format_invalid");
        api.patch(path, json!({"key": "role_set:default"}))
            .await
            .err(422, "form_identifier_exists");
        api.patch("/v1/role_sets/role_set:nope", json!({"name": "x"}))
            .await
            .err(404, "resource_not_found");
        let base = json!({"name": "X", "roles": ["org:admin"], "default_role_key": "org:admin",
                          "creator_role_key": "org:admin"});
        let with = |change: Value| {
            let mut body = base.clone();
            for (k, v) in change.as_object().unwrap() {
                body[k] = v.clone();
            }
            body
        };
        api.post("/v1/role_sets", with(json!({"roles": []})))
            .await
            .err(422, "form_param_value_invalid");
        api.post("/v1/role_sets", with(json!({"roles": ["org:nope"]})))
            .await
            .err(404, "resource_not_found");
        api.post(
            "/v1/role_sets",
            with(json!({"default_role_key": "org:member"})),
        )
        .await
        .err(422, "form_param_value_invalid");
        api.post(
            "/v1/role_sets",
            with(
                json!({"roles": ["org:viewer"], "default_role_key": "org:viewer",
                        "creator_role_key": "org:viewer"}),
            ),
        )
        .await
        .err(422, "organization_missing_creator_role_permissions");
        api.post("/v1/role_sets", with(json!({"key": "role_set:agency"})))
            .await
            .err(422, "form_identifier_exists");
        api.post("/v1/role_sets", with(json!({"type": "other"})))
            .await
            .err(422, "form_param_value_invalid");
        api.post("/v1/role_sets", json!({"name": "X"}))
            .await
            .err(422, "form_param_missing");
    })
    .await;
}

#[tokio::test]
async fn role_sets_quota() {
    each_backend(async |api: &mut Api| {
        for i in 0..9 {
            api.post(
                "/v1/role_sets",
                json!({"name": format!("Set {i}"), "roles": ["org:admin"],
                       "default_role_key": "org:admin", "creator_role_key": "org:admin"}),
            )
            .await
            .ok();
        }
        api.post(
            "/v1/role_sets",
            json!({"name": "One more", "roles": ["org:admin"],
                   "default_role_key": "org:admin", "creator_role_key": "org:admin"}),
        )
        .await
        .err(403, "quota_exceeded");
    })
    .await;
}

#[tokio::test]
async fn add_roles_replace_role_replace_set() {
    each_backend(async |api: &mut Api| {
        role(api, "org:viewer").await;
        role(api, "org:editor").await;
        let ada = api.user(json!({"email_address": ["ada@example.com"]})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let bob = api.user(json!({"email_address": ["bob@example.com"]})).await["id"]
            .as_str()
            .unwrap()
            .to_owned();

        // Add roles, making one the default.
        let added = api
            .post(
                "/v1/role_sets/role_set:default/roles",
                json!({"role_keys": ["org:viewer", "org:editor"], "default_role_key": "org:viewer"}),
            )
            .await;
        assert_eq!(
            role_keys(added.ok(), "roles"),
            ["org:admin", "org:member", "org:viewer", "org:editor"]
        );
        assert_eq!(added.ok()["default_role"]["key"], "org:viewer");
        api.post(
            "/v1/role_sets/role_set:default/roles",
            json!({"role_keys": ["org:nope"]}),
        )
        .await
        .err(404, "resource_not_found");
        api.post("/v1/role_sets/role_set:default/roles", json!({"role_keys": []}))
            .await
            .err(422, "form_param_value_invalid");
        api.post("/v1/role_sets/role_set:nope/roles", json!({"role_keys": ["org:viewer"]}))
            .await
            .err(404, "resource_not_found");

        // Replace a role: its members move to the other.
        let oid = id(api
            .post("/v1/organizations", json!({"name": "Acme", "created_by": ada}))
            .await)
        .await;
        let members = format!("/v1/organizations/{oid}/memberships");
        api.post(&members, json!({"user_id": bob, "role": "org:viewer"}))
            .await
            .ok();
        let replaced = api
            .post(
                "/v1/role_sets/role_set:default/roles/replace",
                json!({"role_key": "org:viewer", "to_role_key": "org:editor"}),
            )
            .await;
        assert_eq!(
            role_keys(replaced.ok(), "roles"),
            ["org:admin", "org:member", "org:editor"]
        );
        assert_eq!(replaced.ok()["default_role"]["key"], "org:editor");
        let bobs = api.get(&format!("{members}?user_id={bob}")).await;
        assert_eq!(bobs.ok()["data"][0]["role"], "org:editor");
        let path = "/v1/role_sets/role_set:default/roles/replace";
        api.post(path, json!({"role_key": "org:viewer", "to_role_key": "org:editor"}))
            .await
            .err(422, "form_param_value_invalid");
        api.post(path, json!({"role_key": "org:editor", "to_role_key": "org:editor"}))
            .await
            .err(422, "form_param_value_invalid");
        api.post(path, json!({"role_key": "org:admin", "to_role_key": "org:member"}))
            .await
            .err(422, "organization_missing_creator_role_permissions");
        api.post(path, json!({"role_key": "org:admin"}))
            .await
            .err(422, "form_param_missing");

        // Replace the set: members' roles the destination lacks must be mapped.
        api.post(
            "/v1/role_sets",
            json!({"name": "Lean", "key": "role_set:lean", "roles": ["org:admin", "org:member"],
                   "default_role_key": "org:member", "creator_role_key": "org:admin"}),
        )
        .await
        .ok();
        let replace = "/v1/role_sets/role_set:default/replace";
        let unmapped = api
            .post(replace, json!({"dest_role_set_key": "role_set:lean"}))
            .await;
        assert_eq!(
            unmapped.err(422, "form_param_value_invalid")["meta"]["param_name"],
            "reassignment_mappings"
        );
        api.post(
            replace,
            json!({"dest_role_set_key": "role_set:lean", "reassignment_mappings": {"org:editor": "org:viewer"}}),
        )
        .await
        .err(422, "form_param_value_invalid");
        api.post(replace, json!({"dest_role_set_key": "role_set:nope"}))
            .await
            .err(404, "resource_not_found");
        api.post(replace, json!({"dest_role_set_key": "role_set:default"}))
            .await
            .err(422, "form_param_value_invalid");
        let default_id = api.get("/v1/role_sets/role_set:default").await.ok()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let deleted = api
            .post(
                replace,
                // Mappings apply at once: bob goes from editor to member, not on to admin.
                json!({"dest_role_set_key": "role_set:lean",
                       "reassignment_mappings": {"org:editor": "org:member", "org:member": "org:admin"}}),
            )
            .await;
        assert_eq!(
            deleted.ok(),
            &json!({"object": "role_set", "id": default_id, "deleted": true})
        );
        api.get("/v1/role_sets/role_set:default")
            .await
            .err(404, "resource_not_found");
        let lean = api.get("/v1/role_sets/role_set:lean").await;
        assert_eq!(lean.ok()["type"], "initial");
        let org = api.get(&format!("/v1/organizations/{oid}")).await;
        assert_eq!(org.ok()["role_set_key"], "role_set:lean");
        let bobs = api.get(&format!("{members}?user_id={bob}")).await;
        assert_eq!(bobs.ok()["data"][0]["role"], "org:member");
        let adas = api.get(&format!("{members}?user_id={ada}")).await;
        assert_eq!(adas.ok()["data"][0]["role"], "org:admin");
    })
    .await;
}
