//! `clerk orgs`: organizations and their members, in table and JSON modes and on error.

use crate::common::{Env, raw_get};

#[test]
fn organizations() {
    let env = Env::start();
    let ada = env.user("ada@example.com");

    let created = env.json(&[
        "orgs",
        "create",
        "Acme",
        "--slug",
        "acme",
        "--created-by",
        &ada,
        "--max-allowed-memberships",
        "5",
        "--public-metadata",
        r#"{"tier":"gold"}"#,
    ]);
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("org_"), "{created}");
    assert_eq!(created["slug"], "acme");
    assert_eq!(created["max_allowed_memberships"], 5);
    assert_eq!(created["public_metadata"]["tier"], "gold");
    let globex = env
        .clerk(&["orgs", "create", "Globex"])
        .ok()
        .stdout_has("Name:")
        .stdout_has("Globex");
    let globex_id = globex
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("ID:"))
        .unwrap()
        .trim()
        .to_owned();

    // Tables for people, the API's JSON byte for byte with --json.
    let table = env.clerk(&["orgs", "list"]).ok();
    assert!(
        table.stdout.starts_with("ID") && table.stdout.contains("acme"),
        "{table:#?}"
    );
    assert!(!table.stdout.contains("MEMBERS"), "{table:#?}");
    env.clerk(&["orgs", "list", "--include-members-count"])
        .ok()
        .stdout_has("MEMBERS");
    let json = env
        .clerk(&[
            "--json",
            "orgs",
            "list",
            "--query",
            "acm",
            "--include-members-count",
            "--limit",
            "5",
        ])
        .ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(
            &env,
            "/v1/organizations?include_members_count=true&query=acm&limit=5"
        )
    );
    let page = json.json();
    assert_eq!(page["total_count"], 1);
    assert_eq!(page["data"][0]["members_count"], 1);
    let mine = env.json(&["orgs", "list", "--user-id", &ada]);
    assert_eq!(mine["data"].as_array().unwrap().len(), 1);
    assert_eq!(mine["data"][0]["id"], id.as_str());
    let ordered = env.json(&["orgs", "list", "--order-by", "name", "--offset", "1"]);
    assert_eq!(ordered["data"][0]["name"], "Globex");

    // By ID or by slug.
    assert_eq!(env.json(&["orgs", "get", "acme"])["id"], id.as_str());
    env.clerk(&["orgs", "get", &id, "--include-members-count"])
        .ok()
        .stdout_has("Slug:")
        .stdout_has("Members:");

    let updated = env.json(&[
        "orgs",
        "update",
        &id,
        "--name",
        "Acme Inc.",
        "--slug",
        "acme-inc",
        "--max-allowed-memberships",
        "0",
    ]);
    assert_eq!(updated["name"], "Acme Inc.");
    assert_eq!(updated["slug"], "acme-inc");
    assert_eq!(updated["max_allowed_memberships"], 0);
    env.clerk(&["orgs", "update", &id, "--admin-delete-enabled", "false"])
        .ok()
        .stdout_has("Max memberships:")
        .stdout_has("unlimited");
    env.clerk(&["orgs", "update", &id])
        .code(2)
        .stderr_has("nothing to update");

    let merged = env.json(&[
        "orgs",
        "metadata",
        "merge",
        &id,
        "--public",
        r#"{"plan":"pro","tier":null}"#,
    ]);
    assert_eq!(
        merged["public_metadata"],
        serde_json::json!({"plan": "pro"})
    );
    let replaced = env.json(&["orgs", "metadata", "replace", &id, "--private", "{}"]);
    assert_eq!(replaced["private_metadata"], serde_json::json!({}));
    env.clerk(&["orgs", "metadata", "merge", &id]).code(2);

    env.clerk(&["orgs", "delete", &globex_id])
        .ok()
        .stdout_has(&format!("deleted organization {globex_id}"));
    assert_eq!(env.json(&["orgs", "list"])["total_count"], 1);

    // Errors: Clerk's code on stderr, nothing on stdout, exit 1.
    env.clerk(&["orgs", "get", "org_missing"])
        .api_error("resource_not_found");
    env.clerk(&["orgs", "get", &globex_id])
        .api_error("resource_not_found");
    env.clerk(&["orgs", "create", "Copy", "--slug", "acme-inc"])
        .api_error("form_identifier_exists");
    env.clerk(&["orgs", "create", "Bad", "--public-metadata", "[1]"])
        .code(2);
}

#[test]
fn members() {
    let env = Env::start();
    let ada = env.user("ada@example.com");
    let bob = env.user("bob@example.com");
    let org = env.block_on(env.server.create_organization("Acme", Some(&ada)));

    let added = env.json(&["orgs", "members", "add", &org.id, &bob]);
    assert_eq!(added["role"], "org:member");
    assert_eq!(added["public_user_data"]["user_id"], bob.as_str());
    env.clerk(&["orgs", "members", "add", &org.id, &bob])
        .api_error("already_a_member_in_organization");

    let table = env.clerk(&["orgs", "members", "list", &org.id]).ok();
    assert!(
        table.stdout.starts_with("USER")
            && table.stdout.contains(&ada)
            && table.stdout.contains("org:admin")
            && table.stdout.contains("bob@example.com"),
        "{table:#?}"
    );
    let json = env
        .clerk(&[
            "--json",
            "orgs",
            "members",
            "list",
            &org.id,
            "--role",
            "org:admin",
            "--order-by",
            "-created_at",
        ])
        .ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(
            &env,
            &format!(
                "/v1/organizations/{}/memberships?order_by=-created_at&role=org:admin",
                org.id
            )
        )
    );
    let admins = json.json();
    assert_eq!(admins["total_count"], 1);
    assert_eq!(
        admins["data"][0]["public_user_data"]["user_id"],
        ada.as_str()
    );
    let by_email = env.json(&[
        "orgs",
        "members",
        "list",
        &org.id,
        "--email-address-query",
        "bob@",
    ]);
    assert_eq!(by_email["total_count"], 1);
    // The organization's slug works wherever its ID does.
    assert_eq!(
        env.json(&["orgs", "members", "list", &org.slug, "--limit", "1"])["total_count"],
        2
    );

    let promoted = env.json(&["orgs", "members", "set-role", &org.id, &bob, "org:admin"]);
    assert_eq!(promoted["role"], "org:admin");
    env.clerk(&["orgs", "members", "set-role", &org.id, &bob, "org:member"])
        .ok()
        .stdout_has("Role:")
        .stdout_has("org:member");
    let metadata = env.json(&[
        "orgs",
        "members",
        "metadata",
        &org.id,
        &bob,
        "--public",
        r#"{"team":"ops"}"#,
    ]);
    assert_eq!(metadata["public_metadata"]["team"], "ops");

    env.clerk(&["orgs", "members", "remove", &org.id, &bob])
        .ok()
        .stdout_has(&format!("removed {bob} from {}", org.id));
    assert_eq!(
        env.json(&["orgs", "members", "list", &org.id])["total_count"],
        1
    );

    env.clerk(&["orgs", "members", "remove", &org.id, &bob])
        .api_error("resource_not_found");
    env.clerk(&["orgs", "members", "add", "org_missing", &bob])
        .api_error("resource_not_found");
    env.clerk(&["orgs", "members", "add", &org.id, "user_missing"])
        .api_error("resource_not_found");
}

#[test]
fn sessions_in_an_organization() {
    let env = Env::start();
    let ada = env.user("ada@example.com");
    let org = env.block_on(env.server.create_organization("Acme", Some(&ada)));
    let session = env.json(&["sessions", "create", &ada, "--organization", &org.id]);
    assert_eq!(session["last_active_organization_id"], org.id.as_str());
    let id = session["id"].as_str().unwrap();
    let token = env.clerk(&["sessions", "token", id]).ok().stdout;
    let claims = env
        .clerk(&["sessions", "verify", id, token.trim()])
        .ok()
        .json();
    assert_eq!(claims["o"]["id"], org.id.as_str());
    assert_eq!(claims["o"]["rol"], "admin");
}

#[test]
fn invitations() {
    let env = Env::start();
    let ada = env.user("ada@example.com");
    let org = env.block_on(env.server.create_organization("Acme", Some(&ada)));

    let invited = env.json(&[
        "orgs",
        "invite",
        &org.id,
        "grace@example.com",
        "--inviter-user-id",
        &ada,
        "--expires-in-days",
        "7",
        "--public-metadata",
        r#"{"team":"ops"}"#,
    ]);
    let id = invited["id"].as_str().unwrap().to_owned();
    assert_eq!(invited["status"], "pending");
    assert_eq!(invited["role"], "org:member");
    assert_eq!(invited["public_metadata"]["team"], "ops");
    env.clerk(&[
        "orgs",
        "invite",
        &org.slug,
        "alan@example.com",
        "--role",
        "org:admin",
        "--no-notify",
    ])
    .ok()
    .stdout_has("Email address:")
    .stdout_has("alan@example.com")
    .stdout_has("org:admin");
    env.clerk(&["orgs", "invite", &org.id, "grace@example.com"])
        .api_error("organization_invitation_not_unique");

    let table = env.clerk(&["orgs", "invitations", "list", &org.id]).ok();
    assert!(
        table.stdout.starts_with("ID")
            && table.stdout.contains("grace@example.com")
            && table.stdout.contains("pending"),
        "{table:#?}"
    );
    let json = env
        .clerk(&[
            "--json",
            "orgs",
            "invitations",
            "list",
            &org.id,
            "--status",
            "pending",
            "--order-by",
            "email_address",
        ])
        .ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(
            &env,
            &format!(
                "/v1/organizations/{}/invitations?status=pending&order_by=email_address",
                org.id
            )
        )
    );
    assert_eq!(json.json()["data"][0]["email_address"], "alan@example.com");
    assert_eq!(
        env.json(&["orgs", "invitations", "get", &org.id, &id])["email_address"],
        "grace@example.com"
    );

    let revoked = env.json(&[
        "orgs",
        "invitations",
        "revoke",
        &org.id,
        &id,
        "--requesting-user-id",
        &ada,
    ]);
    assert_eq!(revoked["status"], "revoked");
    env.clerk(&["orgs", "invitations", "revoke", &org.id, &id])
        .api_error("organization_invitation_not_pending");
    env.clerk(&["orgs", "invitations", "get", &org.id, "orginv_missing"])
        .api_error("resource_not_found");
}

#[test]
fn domains() {
    let env = Env::start();
    let org = env.block_on(env.server.create_organization("Acme", None));

    let added = env.json(&[
        "orgs",
        "domains",
        "add",
        &org.id,
        "example.com",
        "--enrollment-mode",
        "automatic_invitation",
        "--verified",
        "false",
    ]);
    let id = added["id"].as_str().unwrap().to_owned();
    assert_eq!(added["name"], "example.com");
    assert_eq!(added["enrollment_mode"], "automatic_invitation");
    env.clerk(&["orgs", "domains", "add", &org.id, "example.org"])
        .ok()
        .stdout_has("Name:")
        .stdout_has("example.org");
    env.clerk(&["orgs", "domains", "add", &org.id, "example.com"])
        .api_error("organization_domain_already_exists");

    let table = env.clerk(&["orgs", "domains", "list", &org.id]).ok();
    assert!(
        table.stdout.starts_with("ID") && table.stdout.contains("example.com"),
        "{table:#?}"
    );
    let json = env
        .clerk(&[
            "--json",
            "orgs",
            "domains",
            "list",
            &org.id,
            "--enrollment-mode",
            "automatic_invitation",
        ])
        .ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(
            &env,
            &format!(
                "/v1/organizations/{}/domains?enrollment_mode=automatic_invitation",
                org.id
            )
        )
    );
    assert_eq!(json.json()["total_count"], 1);

    let updated = env.json(&[
        "orgs",
        "domains",
        "update",
        &org.id,
        &id,
        "--enrollment-mode",
        "automatic_suggestion",
    ]);
    assert_eq!(updated["enrollment_mode"], "automatic_suggestion");
    env.clerk(&["orgs", "domains", "update", &org.id, &id])
        .code(2);
    let verified = env.json(&["orgs", "domains", "verify", &org.id, &id]);
    assert_eq!(verified["id"], id.as_str());
    env.clerk(&["orgs", "domains", "remove", &org.id, &id])
        .ok()
        .stdout_has(&format!("deleted organization_domain {id}"));
    env.clerk(&["orgs", "domains", "remove", &org.id, &id])
        .api_error("resource_not_found");
}

#[test]
fn roles_permissions_and_role_sets() {
    let env = Env::start();

    let permission = env.json(&[
        "orgs",
        "permissions",
        "create",
        "Read invoices",
        "org:invoices:read",
        "--description",
        "See every invoice",
    ]);
    let perm = permission["id"].as_str().unwrap().to_owned();
    assert_eq!(permission["key"], "org:invoices:read");
    env.clerk(&[
        "orgs",
        "permissions",
        "create",
        "Again",
        "org:invoices:read",
    ])
    .api_error("form_identifier_exists");
    let table = env.clerk(&["orgs", "permissions", "list"]).ok();
    assert!(
        table.stdout.starts_with("ID") && table.stdout.contains("org:sys_profile:manage"),
        "{table:#?}"
    );
    let json = env
        .clerk(&[
            "--json",
            "orgs",
            "permissions",
            "list",
            "--query",
            "invoices",
        ])
        .ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(&env, "/v1/organization_permissions?query=invoices")
    );
    assert_eq!(json.json()["total_count"], 1);
    env.clerk(&["orgs", "permissions", "get", &perm])
        .ok()
        .stdout_has("See every invoice");
    let renamed = env.json(&[
        "orgs",
        "permissions",
        "update",
        &perm,
        "--name",
        "View invoices",
    ]);
    assert_eq!(renamed["name"], "View invoices");

    let role = env.json(&[
        "orgs",
        "roles",
        "create",
        "Billing",
        "org:billing",
        "--description",
        "Pays the bills",
    ]);
    let role_id = role["id"].as_str().unwrap().to_owned();
    assert_eq!(role["permissions"], serde_json::json!([]));
    let assigned = env.json(&["orgs", "roles", "assign", &role_id, &perm]);
    assert_eq!(assigned["permissions"][0]["key"], "org:invoices:read");
    env.clerk(&["orgs", "roles", "assign", &role_id, &perm])
        .api_error("organization_role_permission_association_exists");
    env.clerk(&["orgs", "roles", "get", &role_id])
        .ok()
        .stdout_has("Permissions:")
        .stdout_has("org:invoices:read");
    let table = env
        .clerk(&["orgs", "roles", "list", "--order-by", "key"])
        .ok();
    assert!(
        table.stdout.starts_with("ID")
            && table.stdout.contains("org:admin")
            && table.stdout.contains("org:billing"),
        "{table:#?}"
    );
    let json = env
        .clerk(&["--json", "orgs", "roles", "list", "--query", "billing"])
        .ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(&env, "/v1/organization_roles?query=billing")
    );
    let unassigned = env.json(&["orgs", "roles", "unassign", &role_id, &perm]);
    assert_eq!(unassigned["permissions"], serde_json::json!([]));
    let updated = env.json(&[
        "orgs",
        "roles",
        "update",
        &role_id,
        "--name",
        "Finance",
        "--description",
        "",
        "--permission",
        &perm,
    ]);
    assert_eq!(updated["name"], "Finance");
    assert_eq!(updated["permissions"][0]["id"], perm.as_str());
    env.clerk(&["orgs", "roles", "update", &role_id]).code(2);

    // Role sets: the initial one holds the default roles.
    let sets = env.clerk(&["orgs", "role-sets", "list"]).ok();
    assert!(sets.stdout.contains("role_set:default"), "{sets:#?}");
    let json = env.clerk(&["--json", "orgs", "role-sets", "list"]).ok();
    assert_eq!(json.stdout.trim_end(), raw_get(&env, "/v1/role_sets"));
    env.clerk(&["orgs", "role-sets", "get", "role_set:default"])
        .ok()
        .stdout_has("Default role:")
        .stdout_has("org:member");
    env.clerk(&["orgs", "role-sets", "get", "role_set:missing"])
        .api_error("resource_not_found");

    env.clerk(&["orgs", "roles", "delete", &role_id])
        .ok()
        .stdout_has(&format!("deleted role {role_id}"));
    env.clerk(&["orgs", "permissions", "delete", &perm])
        .ok()
        .stdout_has("deleted permission");
    env.clerk(&["orgs", "roles", "get", &role_id])
        .api_error("resource_not_found");
    let system = env.json(&[
        "orgs",
        "permissions",
        "list",
        "--query",
        "sys_profile:delete",
    ]);
    let system_id = system["data"][0]["id"].as_str().unwrap().to_owned();
    env.clerk(&["orgs", "permissions", "delete", &system_id])
        .api_error("organization_system_permission_not_modifiable");
}

#[test]
fn role_set_changes() {
    let env = Env::start();
    env.clerk(&["orgs", "roles", "create", "Viewer", "org:viewer"])
        .ok();

    let created = env
        .clerk(&[
            "--json",
            "orgs",
            "role-sets",
            "create",
            "Agencies",
            "--role",
            "org:admin",
            "--role",
            "org:viewer",
            "--default-role",
            "org:viewer",
            "--creator-role",
            "org:admin",
            "--description",
            "For agencies",
        ])
        .ok();
    assert_eq!(
        created.stdout.trim_end(),
        raw_get(&env, "/v1/role_sets/role_set:agencies")
    );
    let set = created.json();
    assert_eq!(set["key"], "role_set:agencies");
    assert_eq!(set["type"], "custom");
    assert_eq!(set["default_role"]["key"], "org:viewer");
    assert_eq!(set["creator_role"]["key"], "org:admin");
    env.clerk(&[
        "orgs",
        "role-sets",
        "create",
        "Broken",
        "--role",
        "org:admin",
        "--default-role",
        "org:member",
        "--creator-role",
        "org:admin",
    ])
    .api_error("form_param_value_invalid");

    env.clerk(&[
        "orgs",
        "role-sets",
        "update",
        "role_set:agencies",
        "--name",
        "Agency roles",
        "--description",
        "",
    ])
    .ok()
    .stdout_has("Agency roles");
    let updated = env.get("/v1/role_sets/role_set:agencies");
    assert_eq!(updated["name"], "Agency roles");
    assert_eq!(updated["description"], serde_json::Value::Null);
    env.clerk(&["orgs", "role-sets", "update", "role_set:agencies"])
        .code(2);
    env.clerk(&[
        "orgs",
        "role-sets",
        "update",
        "role_set:missing",
        "--name",
        "X",
    ])
    .api_error("resource_not_found");

    let added = env.json(&[
        "orgs",
        "role-sets",
        "add-roles",
        "role_set:agencies",
        "org:member",
        "--default-role",
        "org:member",
    ]);
    assert_eq!(added["roles"].as_array().unwrap().len(), 3, "{added}");
    assert_eq!(added["default_role"]["key"], "org:member");
    env.clerk(&[
        "orgs",
        "role-sets",
        "add-roles",
        "role_set:agencies",
        "org:nonexistent",
    ])
    .api_error("resource_not_found");

    let replaced = env
        .clerk(&[
            "--json",
            "orgs",
            "role-sets",
            "replace-role",
            "role_set:agencies",
            "org:viewer",
            "org:member",
        ])
        .ok();
    assert_eq!(
        replaced.stdout.trim_end(),
        raw_get(&env, "/v1/role_sets/role_set:agencies")
    );
    let keys: Vec<_> = replaced.json()["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|role| role["key"].as_str().unwrap().to_owned())
        .collect();
    assert!(!keys.contains(&"org:viewer".to_owned()), "{keys:?}");
    env.clerk(&[
        "orgs",
        "role-sets",
        "replace-role",
        "role_set:missing",
        "org:viewer",
        "org:member",
    ])
    .api_error("resource_not_found");

    // Retiring the set moves its organizations to the destination.
    let org = env.json(&[
        "orgs",
        "create",
        "Acme",
        "--role-set-key",
        "role_set:agencies",
    ]);
    assert_eq!(org["role_set_key"], "role_set:agencies");
    env.clerk(&[
        "orgs",
        "role-sets",
        "replace",
        "role_set:agencies",
        "role_set:default",
        "--map",
        "org:viewer",
    ])
    .code(2);
    let id = added["id"].as_str().unwrap();
    env.clerk(&[
        "orgs",
        "role-sets",
        "replace",
        "role_set:agencies",
        "role_set:default",
        "--map",
        "org:viewer=org:member",
    ])
    .ok()
    .stdout_has(&format!("deleted role_set {id}"));
    let moved = env.get(&format!(
        "/v1/organizations/{}",
        org["id"].as_str().unwrap()
    ));
    assert_eq!(moved["role_set_key"], "role_set:default");
    env.clerk(&[
        "orgs",
        "role-sets",
        "replace",
        "role_set:agencies",
        "role_set:default",
    ])
    .api_error("resource_not_found");
}

#[test]
fn logos() {
    let env = Env::start();
    let ada = env.user("ada@example.com");
    let org = env.json(&["orgs", "create", "Acme", "--created-by", &ada]);
    let id = org["id"].as_str().unwrap().to_owned();
    assert_eq!(org["has_image"], false);
    let file = env.path("acme.png");
    std::fs::write(&file, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDRpixels").unwrap();
    let file = file.to_str().unwrap();

    env.clerk(&["orgs", "logo", "set", &id, file, "--uploader-user-id", &ada])
        .ok()
        .stdout_has("Logo:")
        .stdout_has("yes");
    // With --json, the organization as the SDK read the upload's answer: the API's keys
    // and values, plus the model's optional keys the API left out, as null.
    let json = env.json(&["orgs", "logo", "set", &id, file]);
    assert_eq!(json["has_image"], true);
    let api = env.get(&format!("/v1/organizations/{id}"));
    for (key, value) in json.as_object().unwrap() {
        assert_eq!(
            api.get(key).unwrap_or(&serde_json::Value::Null),
            value,
            "{key}"
        );
    }
    for key in api.as_object().unwrap().keys() {
        assert!(json.get(key).is_some(), "{key} missing: {json}");
    }
    env.clerk(&["orgs", "logo", "set", "org_missing", file])
        .api_error("resource_not_found");
    env.clerk(&["orgs", "logo", "set", &id, "/nonexistent/logo.png"])
        .stderr_has("/nonexistent/logo.png");

    let removed = env.clerk(&["--json", "orgs", "logo", "rm", &id]).ok();
    assert_eq!(
        removed.stdout.trim_end(),
        raw_get(&env, &format!("/v1/organizations/{id}"))
    );
    assert_eq!(removed.json()["has_image"], false);
    env.clerk(&["orgs", "logo", "rm", "org_missing"])
        .api_error("resource_not_found");
}

#[test]
fn full_pages_say_how_to_see_more() {
    let env = Env::start();
    env.clerk(&["orgs", "create", "Acme"]).ok();
    env.clerk(&["orgs", "create", "Globex"]).ok();
    env.clerk(&["orgs", "list", "--limit", "1"])
        .ok()
        .stderr_has("more with --offset 1");
    let last = env
        .clerk(&["orgs", "list", "--limit", "1", "--offset", "1"])
        .ok();
    assert!(last.stderr.contains("more with --offset 2"), "{last:#?}");
    let all = env.clerk(&["orgs", "list"]).ok();
    assert!(!all.stderr.contains("more with"), "{all:#?}");
    let json = env.clerk(&["--json", "orgs", "list", "--limit", "1"]).ok();
    assert!(!json.stderr.contains("more with"), "{json:#?}");
    env.clerk(&["orgs", "role-sets", "list", "--limit", "1"])
        .ok()
        .stderr_has("more with --offset 1");
}
