//! Organizations: create (with its creator as first member), get by id or slug, list with
//! its filters and orders, update, metadata, logos, delete, billing.

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::common::{Api, each_backend};

/// The smallest PNG there is: enough for the server's image check.
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn user(api: &Api, email: &str) -> String {
    api.user(json!({"email_address": [email]})).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn create_get_update_delete() {
    each_backend(async |api: &mut Api| {
        let ada = user(api, "ada@example.com").await;
        let created = api
            .post(
                "/v1/organizations",
                json!({
                    "name": "Acme Inc.",
                    "created_by": ada,
                    "public_metadata": {"plan": "pro"},
                    "private_metadata": {"crm": 7},
                    "max_allowed_memberships": 3,
                    "created_at": "2024-01-02T03:04:05.678Z",
                }),
            )
            .await;
        let org = created.ok().clone();
        assert_eq!(org["object"], "organization");
        assert!(org["id"].as_str().unwrap().starts_with("org_"));
        assert_eq!(org["name"], "Acme Inc.");
        assert_eq!(org["slug"], "acme-inc", "made of the name");
        assert_eq!(org["created_by"], json!(ada));
        assert_eq!(org["max_allowed_memberships"], 3);
        assert_eq!(org["admin_delete_enabled"], true);
        assert_eq!(org["has_image"], false);
        assert!(
            org["image_url"]
                .as_str()
                .unwrap()
                .ends_with("/images/default")
        );
        assert_eq!(org["public_metadata"], json!({"plan": "pro"}));
        assert_eq!(org["private_metadata"], json!({"crm": 7}));
        assert_eq!(org["role_set_key"], "role_set:default");
        assert_eq!(org["created_at"], 1_704_164_645_678_i64);
        let oid = id(&org);

        // By id or slug; counts on request.
        assert_eq!(
            api.get(&format!("/v1/organizations/{oid}")).await.ok(),
            &org
        );
        let by_slug = api
            .get("/v1/organizations/acme-inc?include_members_count=true")
            .await;
        assert_eq!(by_slug.ok()["id"], json!(oid));
        assert_eq!(by_slug.ok()["members_count"], 1);
        assert_eq!(by_slug.ok()["pending_invitations_count"], 0);
        assert!(org.get("members_count").is_none());
        let elevated = api
            .get(&format!(
                "/v1/organizations/{oid}?include_missing_member_with_elevated_permissions=true"
            ))
            .await;
        assert_eq!(
            elevated.ok()["missing_member_with_elevated_permissions"],
            false
        );

        // The creator is a member with the creator role.
        let members = api
            .get(&format!("/v1/organizations/{oid}/memberships"))
            .await;
        assert_eq!(members.ok()["total_count"], 1);
        assert_eq!(members.ok()["data"][0]["role"], "org:admin");
        assert_eq!(
            members.ok()["data"][0]["public_user_data"]["user_id"],
            json!(ada)
        );

        // Update.
        let updated = api
            .patch(
                &format!("/v1/organizations/{oid}"),
                json!({"name": "Acme", "slug": "acme", "admin_delete_enabled": false,
                       "max_allowed_memberships": 0}),
            )
            .await;
        assert_eq!(updated.ok()["name"], "Acme");
        assert_eq!(updated.ok()["slug"], "acme");
        assert_eq!(updated.ok()["admin_delete_enabled"], false);
        assert!(updated.ok()["updated_at"].as_i64() >= org["updated_at"].as_i64());
        api.get("/v1/organizations/acme-inc")
            .await
            .err(404, "resource_not_found");
        // Metadata is its own endpoint from 2026-05-12; before, PATCH replaces it.
        api.version("2026-05-12");
        api.patch(
            &format!("/v1/organizations/{oid}"),
            json!({"public_metadata": {}}),
        )
        .await
        .err(422, "form_param_unknown");
        api.version("2025-04-10");
        let old = api
            .patch(
                &format!("/v1/organizations/{oid}"),
                json!({"public_metadata": {"a": 1}}),
            )
            .await;
        assert_eq!(old.ok()["public_metadata"], json!({"a": 1}));

        // Delete: its memberships go too.
        let deleted = api.delete(&format!("/v1/organizations/{oid}")).await;
        assert_eq!(
            deleted.ok(),
            &json!({"object": "organization", "id": oid, "deleted": true})
        );
        let missing = api.get(&format!("/v1/organizations/{oid}")).await;
        assert_eq!(
            missing.err(404, "resource_not_found")["long_message"],
            format!("No organization was found with id {oid}")
        );
        api.delete(&format!("/v1/organizations/{oid}"))
            .await
            .err(404, "resource_not_found");
        let memberships = api
            .get(&format!("/v1/users/{ada}/organization_memberships"))
            .await;
        assert_eq!(memberships.ok()["total_count"], 0);
    })
    .await;
}

#[tokio::test]
async fn names_slugs_and_creators_are_checked() {
    each_backend(async |api: &mut Api| {
        let taken = api
            .post(
                "/v1/organizations",
                json!({"name": "Taken", "slug": "taken"}),
            )
            .await;
        taken.ok();
        let again = api
            .post(
                "/v1/organizations",
                json!({"name": "Other", "slug": "taken"}),
            )
            .await;
        assert_eq!(
            again.err(422, "form_identifier_exists")["meta"]["param_name"],
            "slug"
        );
        assert_eq!(
            again.json["errors"][0]["message"],
            "That slug is taken. Please try another."
        );
        // A slug made of the name gets a suffix when taken.
        let made = api
            .post("/v1/organizations", json!({"name": "Taken"}))
            .await;
        let slug = made.ok()["slug"].as_str().unwrap().to_owned();
        assert!(
            slug.starts_with("taken-") && slug.len() == "taken-".len() + 6,
            "{slug}"
        );

        for (body, status, code) in [
            (json!({}), 422, "form_param_missing"),
            (json!({"name": "   "}), 422, "form_param_value_invalid"),
            (
                json!({"name": "<b>Bold</b>"}),
                422,
                "form_param_value_invalid",
            ),
            (
                json!({"name": "x".repeat(257)}),
                422,
                "form_param_max_length_exceeded",
            ),
            (
                json!({"name": "A", "slug": "Not Valid"}),
                422,
                "form_param_format_invalid",
            ),
            (
                json!({"name": "A", "slug": "under_score"}),
                422,
                "form_param_format_invalid",
            ),
            (
                json!({"name": "A", "max_allowed_memberships": -1}),
                422,
                "form_param_value_invalid",
            ),
            (
                json!({"name": "A", "created_by": "user_missing"}),
                400,
                "organization_creator_not_found",
            ),
            (
                json!({"name": "A", "role_set_key": "role_set:nope"}),
                422,
                "form_param_value_invalid",
            ),
            (
                json!({"name": "A", "created_at": "yesterday"}),
                422,
                "form_param_invalid_time",
            ),
            (
                json!({"name": "A", "colour": "red"}),
                422,
                "form_param_unknown",
            ),
            (json!({"name": 7}), 422, "form_param_type_invalid"),
            (
                json!({"name": "A", "public_metadata": {"k": "x".repeat(9000)}}),
                422,
                "form_param_exceeds_allowed_size",
            ),
        ] {
            api.post("/v1/organizations", body.clone())
                .await
                .err(status, code);
        }
        // Python sends float-typed numbers.
        let float = api
            .post(
                "/v1/organizations",
                json!({"name": "Floaty", "max_allowed_memberships": 5.0}),
            )
            .await;
        assert_eq!(float.ok()["max_allowed_memberships"], 5);
    })
    .await;
}

#[tokio::test]
async fn list_filters_and_orders() {
    each_backend(async |api: &mut Api| {
        let ada = user(api, "ada@example.com").await;
        let bob = user(api, "bob@example.com").await;
        let mut ids = Vec::new();
        for (name, creator) in [("Bravo", Some(&ada)), ("Alpha", Some(&bob)), ("Charlie", None)] {
            let mut body = json!({"name": name});
            if let Some(c) = creator {
                body["created_by"] = json!(c);
            }
            ids.push(id(api.post("/v1/organizations", body).await.ok()));
        }
        let (bravo, alpha, charlie) = (ids[0].clone(), ids[1].clone(), ids[2].clone());
        api.post(
            &format!("/v1/organizations/{alpha}/memberships"),
            json!({"user_id": ada, "role": "org:member"}),
        )
        .await
        .ok();
        let names = |resp: &Value| -> Vec<String> {
            resp["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["name"].as_str().unwrap().to_owned())
                .collect()
        };
        let cases = [
            ("", vec!["Charlie", "Alpha", "Bravo"]),
            ("order_by=name", vec!["Alpha", "Bravo", "Charlie"]),
            ("order_by=-name", vec!["Charlie", "Bravo", "Alpha"]),
            ("order_by=%2Bcreated_at", vec!["Bravo", "Alpha", "Charlie"]),
            ("order_by=-members_count", vec!["Alpha", "Bravo", "Charlie"]),
            ("query=ALP", vec!["Alpha"]),
            ("query=charlie", vec!["Charlie"]),
            ("query=zzz", vec![]),
            (&format!("user_id={ada}") as &str, vec!["Alpha", "Bravo"]),
            (&format!("user_id={bob}&user_id={ada}") as &str, vec!["Alpha", "Bravo"]),
            (&format!("organization_id={charlie}&organization_id={bravo}") as &str, vec!["Charlie", "Bravo"]),
            ("limit=1&offset=1", vec!["Alpha"]),
        ];
        for (query, expected) in cases {
            let resp = api.get(&format!("/v1/organizations?{query}")).await;
            assert_eq!(names(resp.ok()), expected, "{query}");
        }
        let exact = api.get(&format!("/v1/organizations?query={charlie}")).await;
        assert_eq!(names(exact.ok()), ["Charlie"]);
        let total = api.get("/v1/organizations?limit=1").await;
        assert_eq!(total.ok()["total_count"], 3);
        let counted = api
            .get("/v1/organizations?include_members_count=true&order_by=name")
            .await;
        let counts: Vec<i64> = counted.ok()["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["members_count"].as_i64().unwrap())
            .collect();
        assert_eq!(counts, [2, 1, 0]);
        let missing = api
            .get("/v1/organizations?include_missing_member_with_elevated_permissions=true&order_by=name")
            .await;
        let flags: Vec<bool> = missing.ok()["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["missing_member_with_elevated_permissions"].as_bool().unwrap())
            .collect();
        assert_eq!(flags, [false, false, true]);
        for bad in ["order_by=height", "limit=0", "include_members_count=maybe"] {
            assert!(
                api.get(&format!("/v1/organizations?{bad}")).await.status == 422,
                "{bad}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn metadata_merge_and_replace() {
    each_backend(async |api: &mut Api| {
        let org = api
            .post(
                "/v1/organizations",
                json!({"name": "Meta", "public_metadata": {"a": {"b": 1, "c": 2}, "d": 3}}),
            )
            .await
            .ok()
            .clone();
        let oid = id(&org);
        let merged = api
            .patch(
                &format!("/v1/organizations/{oid}/metadata"),
                json!({"public_metadata": {"a": {"b": null, "e": 4}}, "private_metadata": {"p": true}}),
            )
            .await;
        assert_eq!(merged.ok()["public_metadata"], json!({"a": {"c": 2, "e": 4}, "d": 3}));
        assert_eq!(merged.ok()["private_metadata"], json!({"p": true}));
        let replaced = api
            .put(
                &format!("/v1/organizations/{oid}/metadata"),
                json!({"public_metadata": {"only": 1}}),
            )
            .await;
        assert_eq!(replaced.ok()["public_metadata"], json!({"only": 1}));
        assert_eq!(replaced.ok()["private_metadata"], json!({"p": true}), "untouched");
        api.patch(
            "/v1/organizations/org_missing/metadata",
            json!({"public_metadata": {}}),
        )
        .await
        .err(404, "resource_not_found");
        api.put(
            &format!("/v1/organizations/{oid}/metadata"),
            json!({"public_metadata": "no"}),
        )
        .await
        .err(422, "form_param_type_invalid");
    })
    .await;
}

/// Sends a multipart logo upload.
async fn upload(
    api: &Api,
    oid: &str,
    part: Option<Part>,
    uploader: Option<&str>,
) -> crate::common::Resp {
    let mut form = Form::new();
    if let Some(part) = part {
        form = form.part("file", part);
    }
    if let Some(uploader) = uploader {
        form = form.text("uploader_user_id", uploader.to_owned());
    }
    api.send(
        api.request(Method::PUT, &format!("/v1/organizations/{oid}/logo"))
            .multipart(form),
    )
    .await
}

#[tokio::test]
async fn logos_upload_serve_replace_delete() {
    each_backend(async |api: &mut Api| {
        let ada = user(api, "ada@example.com").await;
        let oid = id(api
            .post("/v1/organizations", json!({"name": "Logo"}))
            .await
            .ok());
        let part = Part::bytes(PNG.to_vec()).file_name("blob");
        let uploaded = upload(api, &oid, Some(part), Some(&ada)).await;
        let org = uploaded.ok().clone();
        assert_eq!(org["has_image"], true);
        let url = org["image_url"].as_str().unwrap().to_owned();
        assert!(url.contains("/images/img_"), "{url}");
        // Served without authentication, with the type read from the bytes.
        let served = crate::common::http_client().get(&url).send().await.unwrap();
        assert_eq!(served.status(), 200);
        assert_eq!(served.headers()["content-type"], "image/png");
        assert_eq!(served.bytes().await.unwrap().as_ref(), PNG);
        assert_eq!(
            api.get(&format!("/v1/organizations/{oid}")).await.ok()["image_url"],
            json!(url)
        );

        // Replacing drops the old image.
        let gif = Part::bytes(b"GIF89a\x01\0\x01\0\0\0\0;".to_vec()).file_name("x.gif");
        let replaced = upload(api, &oid, Some(gif), None).await;
        let new_url = replaced.ok()["image_url"].as_str().unwrap().to_owned();
        assert_ne!(new_url, url);
        let old = crate::common::http_client().get(&url).send().await.unwrap();
        assert_eq!(old.status(), 404);

        // Refused uploads.
        let svg = Part::bytes(b"<svg/>".to_vec())
            .file_name("x.svg")
            .mime_str("image/svg+xml")
            .unwrap();
        upload(api, &oid, Some(svg), None)
            .await
            .err(400, "request_body_invalid");
        upload(api, &oid, None, Some(&ada))
            .await
            .err(400, "form_param_missing");
        let big = Part::bytes([PNG, &vec![0u8; 10 * 1024 * 1024]].concat()).file_name("big.png");
        upload(api, &oid, Some(big), None)
            .await
            .err(413, "image_too_large");
        let part = Part::bytes(PNG.to_vec()).file_name("blob");
        upload(api, "org_missing", Some(part), None)
            .await
            .err(404, "resource_not_found");

        // Delete.
        let removed = api.delete(&format!("/v1/organizations/{oid}/logo")).await;
        assert_eq!(removed.ok()["has_image"], false);
        assert!(
            removed.ok()["image_url"]
                .as_str()
                .unwrap()
                .ends_with("/images/default")
        );
        let gone = crate::common::http_client()
            .get(&new_url)
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), 404);
        let placeholder = crate::common::http_client()
            .get(removed.ok()["image_url"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(placeholder.headers()["content-type"], "image/svg+xml");
        api.delete("/v1/organizations/org_missing/logo")
            .await
            .err(404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn billing_is_not_enabled() {
    each_backend(async |api: &mut Api| {
        let oid = id(api
            .post("/v1/organizations", json!({"name": "Bill"}))
            .await
            .ok());
        for (method, path) in [
            ("GET", "billing/subscription"),
            ("GET", "billing/credits"),
            ("POST", "billing/credits"),
        ] {
            let path = format!("/v1/organizations/{oid}/{path}");
            let resp = if method == "GET" {
                api.get(&path).await
            } else {
                api.post(
                    &path,
                    json!({"amount": 1, "action": "increase", "idempotency_key": "k"}),
                )
                .await
            };
            let err = resp.err(403, "feature_not_enabled");
            assert_eq!(
                err["long_message"],
                "Billing is not enabled for this instance"
            );
        }
        api.get("/v1/organizations/org_missing/billing/subscription")
            .await
            .err(404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn deleting_an_organization_clears_it_from_sessions() {
    each_backend(async |api: &mut Api| {
        let ada = user(api, "ada@example.com").await;
        let oid = id(api
            .post(
                "/v1/organizations",
                json!({"name": "Gone", "created_by": ada}),
            )
            .await
            .ok());
        let session = api
            .post(
                "/v1/sessions",
                json!({"user_id": ada, "active_organization_id": oid}),
            )
            .await
            .ok()
            .clone();
        api.delete(&format!("/v1/organizations/{oid}")).await.ok();
        let after = api.get(&format!("/v1/sessions/{}", id(&session))).await;
        assert_eq!(after.ok()["last_active_organization_id"], Value::Null);
    })
    .await;
}
