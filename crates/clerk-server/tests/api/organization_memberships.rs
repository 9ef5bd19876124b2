//! Organization memberships: create, list (filters, orders, the instance-wide and per-user
//! lists), change role, metadata, remove; the membership limit and the last-manager rule,
//! also under concurrency.

use serde_json::{Value, json};

use crate::common::{Api, each_backend};

async fn user(api: &Api, body: Value) -> String {
    api.user(body).await["id"].as_str().unwrap().to_owned()
}

async fn org(api: &Api, body: Value) -> String {
    api.post("/v1/organizations", body).await.ok()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn user_ids(resp: &Value) -> Vec<String> {
    resp["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            m["public_user_data"]["user_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn create_update_metadata_remove() {
    each_backend(async |api: &mut Api| {
        let ada = user(api, json!({"email_address": ["ada@example.com"], "first_name": "Ada", "last_name": "L", "username": "ada_l"})).await;
        let bob = user(api, json!({"phone_number": ["+15555550100"]})).await;
        let oid = org(api, json!({"name": "Acme", "created_by": ada})).await;

        let created = api
            .post(
                &format!("/v1/organizations/{oid}/memberships"),
                json!({"user_id": bob, "role": "org:member", "public_metadata": {"team": "red"}}),
            )
            .await;
        let m = created.ok().clone();
        assert_eq!(m["object"], "organization_membership");
        assert!(m["id"].as_str().unwrap().starts_with("orgmem_"));
        assert_eq!(m["role"], "org:member");
        assert_eq!(m["role_name"], "Member");
        assert_eq!(
            m["permissions"],
            json!(["org:sys_memberships:read", "org:sys_billing:read"])
        );
        assert_eq!(m["public_metadata"], json!({"team": "red"}));
        assert_eq!(m["private_metadata"], json!({}));
        assert_eq!(m["organization"]["id"], json!(oid));
        assert_eq!(m["organization"]["object"], "organization");
        let data = &m["public_user_data"];
        assert_eq!(data["user_id"], json!(bob));
        assert_eq!(data["identifier"], "+15555550100");
        assert_eq!(data["first_name"], Value::Null);
        assert!(data["image_url"].is_string() && data["has_image"] == false);

        // Errors.
        let path = format!("/v1/organizations/{oid}/memberships");
        api.post(&path, json!({"user_id": bob, "role": "org:member"}))
            .await
            .err(400, "already_a_member_in_organization");
        api.post(&path, json!({"user_id": "user_missing", "role": "org:member"}))
            .await
            .err(404, "resource_not_found");
        let role = api
            .post(&path, json!({"user_id": ada, "role": "org:nope"}))
            .await;
        assert_eq!(role.err(404, "resource_not_found")["meta"]["param_name"], "role");
        api.post(&path, json!({"user_id": bob}))
            .await
            .err(422, "form_param_missing");
        api.post(
            "/v1/organizations/org_missing/memberships",
            json!({"user_id": bob, "role": "org:member"}),
        )
        .await
        .err(404, "resource_not_found");

        // Role change, metadata merge.
        let promoted = api
            .patch(&format!("{path}/{bob}"), json!({"role": "org:admin"}))
            .await;
        assert_eq!(promoted.ok()["role"], "org:admin");
        assert_eq!(promoted.ok()["role_name"], "Admin");
        let merged = api
            .patch(
                &format!("{path}/{bob}/metadata"),
                json!({"public_metadata": {"team": null, "lead": true}, "private_metadata": {"n": 1}}),
            )
            .await;
        assert_eq!(merged.ok()["public_metadata"], json!({"lead": true}));
        assert_eq!(merged.ok()["private_metadata"], json!({"n": 1}));
        api.patch(&format!("{path}/user_missing"), json!({"role": "org:admin"}))
            .await
            .err(404, "resource_not_found");
        api.patch(&format!("{path}/{bob}"), json!({"role": "org:nope"}))
            .await
            .err(404, "resource_not_found");

        // Remove: answers the membership removed.
        let removed = api.delete(&format!("{path}/{bob}")).await;
        assert_eq!(removed.ok()["public_user_data"]["user_id"], json!(bob));
        api.delete(&format!("{path}/{bob}"))
            .await
            .err(404, "resource_not_found");
        let listed = api.get(&path).await;
        assert_eq!(user_ids(listed.ok()), std::slice::from_ref(&ada));
    })
    .await;
}

#[tokio::test]
async fn the_last_manager_stays() {
    each_backend(async |api: &mut Api| {
        let ada = user(api, json!({"email_address": ["ada@example.com"]})).await;
        let bob = user(api, json!({"email_address": ["bob@example.com"]})).await;
        let oid = org(api, json!({"name": "Acme", "created_by": ada})).await;
        let path = format!("/v1/organizations/{oid}/memberships");
        for resp in [
            api.patch(&format!("{path}/{ada}"), json!({"role": "org:member"})).await,
            api.delete(&format!("{path}/{ada}")).await,
        ] {
            let err = resp.err(422, "organization_minimum_permissions_needed");
            assert_eq!(
                err["long_message"],
                "There has to be at least one organization member with the minimum required permissions"
            );
        }
        // With a second admin, the first may go.
        api.post(&path, json!({"user_id": bob, "role": "org:admin"}))
            .await
            .ok();
        api.patch(&format!("{path}/{ada}"), json!({"role": "org:member"}))
            .await
            .ok();
        api.delete(&format!("{path}/{ada}")).await.ok();
        api.delete(&format!("{path}/{bob}"))
            .await
            .err(422, "organization_minimum_permissions_needed");
        // An organization created without a creator has no manager to keep.
        let open = org(api, json!({"name": "Open"})).await;
        let open_path = format!("/v1/organizations/{open}/memberships");
        api.post(&open_path, json!({"user_id": bob, "role": "org:member"}))
            .await
            .ok();
        api.delete(&format!("{open_path}/{bob}")).await.ok();
    })
    .await;
}

#[tokio::test]
async fn the_membership_limit_holds() {
    each_backend(async |api: &mut Api| {
        let ada = user(api, json!({"email_address": ["ada@example.com"]})).await;
        let bob = user(api, json!({"email_address": ["bob@example.com"]})).await;
        let cy = user(api, json!({"email_address": ["cy@example.com"]})).await;
        let oid = org(
            api,
            json!({"name": "Small", "created_by": ada, "max_allowed_memberships": 2}),
        )
        .await;
        let path = format!("/v1/organizations/{oid}/memberships");
        api.post(&path, json!({"user_id": bob, "role": "org:member"}))
            .await
            .ok();
        let full = api
            .post(&path, json!({"user_id": cy, "role": "org:member"}))
            .await;
        assert_eq!(
            full.err(403, "organization_membership_quota_exceeded")["long_message"],
            "You have reached your limit of 2 organization memberships, including outstanding invitations."
        );
        // Raising the limit (0: none) lets Cy in.
        api.patch(
            &format!("/v1/organizations/{oid}"),
            json!({"max_allowed_memberships": 0}),
        )
        .await
        .ok();
        api.post(&path, json!({"user_id": cy, "role": "org:member"}))
            .await
            .ok();
        let counted = api
            .get(&format!("/v1/organizations/{oid}?include_members_count=true"))
            .await;
        assert_eq!(counted.ok()["members_count"], 3);
        // Deleting a user takes them out, and out of the count.
        api.delete(&format!("/v1/users/{cy}")).await.ok();
        let counted = api
            .get(&format!("/v1/organizations/{oid}?include_members_count=true"))
            .await;
        assert_eq!(counted.ok()["members_count"], 2);
        assert_eq!(api.get(&path).await.ok()["total_count"], 2);
    })
    .await;
}

#[tokio::test]
async fn parallel_creates_respect_the_limit_and_the_slug() {
    each_backend(async |api: &mut Api| {
        let mut users = Vec::new();
        for i in 0..20 {
            users.push(user(api, json!({"email_address": [format!("u{i}@example.com")]})).await);
        }
        let oid = org(api, json!({"name": "Five", "max_allowed_memberships": 5})).await;
        let path = format!("/v1/organizations/{oid}/memberships");
        let api_ref = &*api;
        let results = futures_util::future::join_all(users.iter().map(|u| {
            let path = path.clone();
            async move {
                api_ref
                    .post(&path, json!({"user_id": u, "role": "org:member"}))
                    .await
                    .status
            }
        }))
        .await;
        assert_eq!(
            results.iter().filter(|s| **s == 200).count(),
            5,
            "{results:?}"
        );
        assert!(
            results.iter().all(|s| *s == 200 || *s == 403),
            "{results:?}"
        );
        assert_eq!(api.get(&path).await.ok()["total_count"], 5);
        let counted = api
            .get(&format!(
                "/v1/organizations/{oid}?include_members_count=true"
            ))
            .await;
        assert_eq!(counted.ok()["members_count"], 5);

        let slugs = futures_util::future::join_all((0..20).map(|i| async move {
            api_ref
                .post(
                    "/v1/organizations",
                    json!({"name": format!("Same {i}"), "slug": "same-slug"}),
                )
                .await
                .status
        }))
        .await;
        assert_eq!(slugs.iter().filter(|s| **s == 200).count(), 1, "{slugs:?}");
        assert!(slugs.iter().all(|s| *s == 200 || *s == 422), "{slugs:?}");
        let listed = api.get("/v1/organizations?query=same-slug").await;
        assert_eq!(listed.ok()["total_count"], 1);
    })
    .await;
}

#[tokio::test]
async fn lists_filter_and_order_members() {
    each_backend(async |api: &mut Api| {
        let ada = user(api, json!({"email_address": ["ada@example.com"], "first_name": "Ada", "username": "zedd"})).await;
        let bob = user(api, json!({"email_address": ["bob@example.org"], "first_name": "Bob", "username": "yann", "phone_number": ["+15555550101"]})).await;
        let cy = user(api, json!({"email_address": ["cy@example.com"], "first_name": "Cy", "username": "xiao", "web3_wallet": ["0x1111111111111111111111111111111111111111"]})).await;
        let outsider = user(api, json!({"email_address": ["out@example.com"]})).await;
        let oid = org(api, json!({"name": "Acme", "slug": "acme", "created_by": ada})).await;
        let other = org(api, json!({"name": "Other", "created_by": outsider})).await;
        let path = format!("/v1/organizations/{oid}/memberships");
        for u in [&bob, &cy] {
            api.post(&path, json!({"user_id": u, "role": "org:member"}))
                .await
                .ok();
        }
        api.post(
            &format!("/v1/organizations/{other}/memberships"),
            json!({"user_id": cy, "role": "org:admin"}),
        )
        .await
        .ok();
        let cases: Vec<(String, Vec<&String>)> = vec![
            (String::new(), vec![&cy, &bob, &ada]),
            ("order_by=created_at".into(), vec![&ada, &bob, &cy]),
            ("order_by=username".into(), vec![&cy, &bob, &ada]),
            ("order_by=-first_name".into(), vec![&cy, &bob, &ada]),
            ("order_by=email_address".into(), vec![&ada, &bob, &cy]),
            ("role=org:admin".into(), vec![&ada]),
            ("role=org%3Amember&role=org%3Aadmin".into(), vec![&cy, &bob, &ada]),
            (format!("user_id={bob}"), vec![&bob]),
            (format!("user_id=-{bob}"), vec![&cy, &ada]),
            ("email_address=ada%40example.com".into(), vec![&ada]),
            ("phone_number=%2B15555550101".into(), vec![&bob]),
            ("username=XIAO".into(), vec![&cy]),
            ("web3_wallet=0x1111111111111111111111111111111111111111".into(), vec![&cy]),
            ("query=example.org".into(), vec![&bob]),
            ("email_address_query=EXAMPLE.COM".into(), vec![&cy, &ada]),
            ("username_query=yan".into(), vec![&bob]),
            ("name_query=ada".into(), vec![&ada]),
            ("phone_number_query=0101".into(), vec![&bob]),
            ("created_at_before=1".into(), vec![]),
            ("created_at_after=1".into(), vec![&cy, &bob, &ada]),
            ("last_active_at_after=1".into(), vec![]),
            ("limit=1&offset=1".into(), vec![&bob]),
        ];
        for (query, expected) in cases {
            let resp = api.get(&format!("{path}?{query}")).await;
            let expected: Vec<String> = expected.into_iter().cloned().collect();
            assert_eq!(user_ids(resp.ok()), expected, "{query}");
            if !query.starts_with("limit") {
                assert_eq!(resp.ok()["total_count"], expected.len(), "count {query}");
            }
        }
        api.get(&format!("{path}?order_by=height"))
            .await
            .err(422, "form_param_value_invalid");
        api.get("/v1/organizations/org_missing/memberships")
            .await
            .err(404, "resource_not_found");
        // By slug too.
        assert_eq!(
            api.get("/v1/organizations/acme/memberships").await.ok()["total_count"],
            3
        );

        // A user's memberships, and the instance's.
        let mine = api.get(&format!("/v1/users/{cy}/organization_memberships")).await;
        let orgs: Vec<&str> = mine.ok()["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["organization"]["id"].as_str().unwrap())
            .collect();
        assert_eq!(orgs, [other.as_str(), oid.as_str()]);
        assert_eq!(mine.ok()["total_count"], 2);
        let none = api.get("/v1/users/user_missing/organization_memberships").await;
        assert_eq!(none.ok()["total_count"], 0);
        let all = api.get("/v1/organization_memberships?limit=2").await;
        assert_eq!(all.ok()["total_count"], 5);
        assert_eq!(all.ok()["data"].as_array().unwrap().len(), 2);
        let oldest = api.get("/v1/organization_memberships?order_by=created_at&limit=1").await;
        assert_eq!(user_ids(oldest.ok()), std::slice::from_ref(&ada));
    })
    .await;
}

#[tokio::test]
async fn tokens_follow_the_membership() {
    each_backend(async |api: &mut Api| {
        let ada = user(api, json!({"email_address": ["ada@example.com"]})).await;
        let bob = user(api, json!({"email_address": ["bob@example.com"]})).await;
        let oid = org(
            api,
            json!({"name": "Acme", "slug": "acme", "created_by": ada}),
        )
        .await;
        api.post(
            &format!("/v1/organizations/{oid}/memberships"),
            json!({"user_id": bob, "role": "org:member"}),
        )
        .await
        .ok();
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
            crate::common::claims(
                api.post_empty(&format!("/v1/sessions/{sid}/tokens"))
                    .await
                    .ok()["jwt"]
                    .as_str()
                    .unwrap(),
            )
        };
        api.version("2025-04-10");
        assert_eq!(
            token(api).await["o"],
            json!({"id": oid, "slg": "acme", "rol": "member"})
        );
        // A role change shows in the next token.
        api.patch(
            &format!("/v1/organizations/{oid}/memberships/{bob}"),
            json!({"role": "org:admin"}),
        )
        .await
        .ok();
        assert_eq!(token(api).await["o"]["rol"], "admin");
        api.patch(
            &format!("/v1/organizations/{oid}"),
            json!({"slug": "acme-2"}),
        )
        .await
        .ok();
        assert_eq!(token(api).await["o"]["slg"], "acme-2");
        // Removed from the organization: it leaves the session and its tokens.
        api.delete(&format!("/v1/organizations/{oid}/memberships/{bob}"))
            .await
            .ok();
        let after = token(api).await;
        assert!(after.get("o").is_none(), "{after}");
        let session = api.get(&format!("/v1/sessions/{sid}")).await;
        assert_eq!(session.ok()["last_active_organization_id"], Value::Null);
    })
    .await;
}

/// `TestServer`'s organization helpers give tokens that carry the organization.
#[tokio::test]
async fn test_server_helpers_make_organization_tokens() {
    let server = clerk_server::TestServer::start().await;
    let ann = server.create_user("ann@example.com").await;
    let bob = server.create_user("bob@example.com").await;
    let acme = server.create_organization("Acme", Some(&ann.id)).await;
    assert_eq!(acme.slug, "acme");
    let membership = server.add_member(&acme.id, &bob.id, "org:member").await;
    assert_eq!(membership["role"], "org:member");
    let session = server.create_session_in(&bob.id, &acme.id).await;
    let claims = crate::common::claims(&server.session_token(&session.id).await);
    assert_eq!(
        claims["o"],
        json!({"id": acme.id, "slg": "acme", "rol": "member"})
    );
    server.shutdown().await;
}
