use clerk_sdk::{
    CreateOrganization, Error, GetOrganization, ListOrganizations, OrganizationLogo,
    OrganizationMetadata, Patch, UpdateOrganization,
};
use futures_util::TryStreamExt;
use serde_json::json;

use crate::support::{MockServer, fixtures};

#[tokio::test]
async fn list_sends_every_parameter_and_no_paginated_flag() {
    let server = MockServer::start().await;
    server.respond_json(
        200,
        fixtures::page(vec![fixtures::organization("org_1", "acme")], 7),
    );
    let params = ListOrganizations::new()
        .include_members_count(true)
        .include_missing_member_with_elevated_permissions(false)
        .query("acme inc")
        .user_id(["user_1", "-user_2"])
        .organization_id(["+org_1", "org_2"])
        .order_by("-members_count")
        .limit(20)
        .offset(40);
    let page = server.clerk().organizations().list(params).await.unwrap();
    assert_eq!(page.total_count, Some(7));
    assert_eq!(page.data[0].slug, "acme");
    server.only_request().assert_request(
        "GET",
        "/v1/organizations",
        Some(concat!(
            "include_members_count=true&include_missing_member_with_elevated_permissions=false",
            "&query=acme+inc&user_id=user_1&user_id=-user_2",
            "&organization_id=%2Borg_1&organization_id=org_2&order_by=-members_count",
            "&limit=20&offset=40"
        )),
        None,
    );
}

#[tokio::test]
async fn stream_walks_pages_by_offset_until_the_total() {
    let server = MockServer::start().await;
    server
        .respond_json(
            200,
            fixtures::page(
                vec![
                    fixtures::organization("org_1", "a"),
                    fixtures::organization("org_2", "b"),
                ],
                3,
            ),
        )
        .respond_json(
            200,
            fixtures::page(vec![fixtures::organization("org_3", "c")], 3),
        );
    let all: Vec<_> = server
        .clerk()
        .organizations()
        .stream(ListOrganizations::new().query("x").limit(2))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = all.iter().map(|org| org.id.as_str()).collect();
    assert_eq!(ids, ["org_1", "org_2", "org_3"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "the total ends the walk");
    requests[0].assert_request(
        "GET",
        "/v1/organizations",
        Some("query=x&limit=2&offset=0"),
        None,
    );
    requests[1].assert_request(
        "GET",
        "/v1/organizations",
        Some("query=x&limit=2&offset=2"),
        None,
    );
}

#[tokio::test]
async fn get_by_id_or_slug_with_counts() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.respond_json(200, fixtures::organization("org_1", "acme"));
    clerk.organizations().get("acme").await.unwrap();
    server.respond_json(200, fixtures::organization("org_1", "acme"));
    clerk
        .organizations()
        .get_with(
            "org_1",
            GetOrganization::new()
                .include_members_count(true)
                .include_missing_member_with_elevated_permissions(true),
        )
        .await
        .unwrap();
    let requests = server.requests();
    requests[0].assert_request("GET", "/v1/organizations/acme", None, None);
    requests[1].assert_request(
        "GET",
        "/v1/organizations/org_1",
        Some("include_members_count=true&include_missing_member_with_elevated_permissions=true"),
        None,
    );
}

#[tokio::test]
async fn create_update_delete() {
    let server = MockServer::start().await;
    let clerk = server.clerk();

    server.respond_json(200, fixtures::organization("org_1", "acme"));
    let org = clerk
        .organizations()
        .create(
            CreateOrganization::new("Acme")
                .created_by("user_1")
                .private_metadata(json!({"crm": 7}))
                .public_metadata(json!({"tier": "gold"}))
                .slug("acme")
                .max_allowed_memberships(25)
                .created_at("2024-01-01T00:00:00Z")
                .role_set_key("role_set:default"),
        )
        .await
        .unwrap();
    assert_eq!(org.id, "org_1");

    server.respond_json(200, fixtures::organization("org_1", "acme-inc"));
    clerk
        .organizations()
        .update(
            "org_1",
            UpdateOrganization::new()
                .name("Acme Inc.")
                .slug("acme-inc")
                .max_allowed_memberships(0)
                .admin_delete_enabled(false)
                .created_at("2024-01-02T00:00:00Z")
                .role_set_key(Patch::Null),
        )
        .await
        .unwrap();

    server.respond_json(200, fixtures::deleted("organization", "org_1"));
    assert!(clerk.organizations().delete("org_1").await.unwrap().deleted);

    let requests = server.requests();
    requests[0].assert_request(
        "POST",
        "/v1/organizations",
        None,
        Some(json!({
            "name": "Acme", "created_by": "user_1", "private_metadata": {"crm": 7},
            "public_metadata": {"tier": "gold"}, "slug": "acme", "max_allowed_memberships": 25,
            "created_at": "2024-01-01T00:00:00Z", "role_set_key": "role_set:default"
        })),
    );
    requests[1].assert_request(
        "PATCH",
        "/v1/organizations/org_1",
        None,
        Some(json!({
            "name": "Acme Inc.", "slug": "acme-inc", "max_allowed_memberships": 0,
            "admin_delete_enabled": false, "created_at": "2024-01-02T00:00:00Z",
            "role_set_key": null
        })),
    );
    requests[2].assert_request("DELETE", "/v1/organizations/org_1", None, None);
}

#[tokio::test]
async fn create_sends_only_the_name_when_nothing_else_is_set() {
    let server = MockServer::start().await;
    server.respond_json(200, fixtures::organization("org_1", "acme"));
    server
        .clerk()
        .organizations()
        .create(CreateOrganization::new("Acme"))
        .await
        .unwrap();
    server.only_request().assert_request(
        "POST",
        "/v1/organizations",
        None,
        Some(json!({"name": "Acme"})),
    );
}

#[tokio::test]
async fn metadata_merge_and_replace() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.always(crate::support::Canned::json(
        200,
        fixtures::organization("org_1", "acme"),
    ));
    clerk
        .organizations()
        .update_metadata(
            "org_1",
            OrganizationMetadata::new()
                .public(json!({"plan": "pro", "trial": null}))
                .private(json!({"a": {"b": 1}})),
        )
        .await
        .unwrap();
    clerk
        .organizations()
        .replace_metadata("org_1", OrganizationMetadata::new().private(json!({})))
        .await
        .unwrap();
    let requests = server.requests();
    requests[0].assert_request(
        "PATCH",
        "/v1/organizations/org_1/metadata",
        None,
        Some(json!({"public_metadata": {"plan": "pro", "trial": null}, "private_metadata": {"a": {"b": 1}}})),
    );
    requests[1].assert_request(
        "PUT",
        "/v1/organizations/org_1/metadata",
        None,
        Some(json!({"private_metadata": {}})),
    );

    let err = clerk
        .organizations()
        .update_metadata("org_1", OrganizationMetadata::new().public(json!("x")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    assert_eq!(server.requests().len(), 2, "nothing sent for bad metadata");
}

#[tokio::test]
async fn logo_upload_is_multipart_with_file_and_uploader() {
    let server = MockServer::start().await;
    let mut answer = fixtures::organization("org_1", "acme");
    answer["has_image"] = json!(true);
    answer["image_url"] = json!("https://img.example/logo");
    server.respond_json(200, answer);
    let png = b"\x89PNG\r\n\x1a\n\x00pixels".to_vec();
    let org = server
        .clerk()
        .organizations()
        .upload_logo(
            "org_1",
            OrganizationLogo::new(png.clone())
                .file_name("acme.png")
                .uploader_user_id("user_1"),
        )
        .await
        .unwrap();
    assert_eq!(org.image_url.as_deref(), Some("https://img.example/logo"));

    let request = server.only_request();
    request.assert_target("PUT", "/v1/organizations/org_1/logo", None);
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {}", crate::support::SECRET_KEY).as_str())
    );
    assert_eq!(request.header("clerk-api-version"), Some("2026-05-12"));
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    let mut expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"acme.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(&png);
    expected.extend_from_slice(
        format!(
            "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"uploader_user_id\"\r\n\r\n\
             user_1\r\n--{boundary}--\r\n"
        )
        .as_bytes(),
    );
    assert_eq!(request.body, expected);
}

#[tokio::test]
async fn logo_upload_is_replayed_whole_on_a_retry_and_deleted() {
    let server = MockServer::start().await;
    server
        .respond_json(503, fixtures::error("service_unavailable", "busy"))
        .respond_json(200, fixtures::organization("org_1", "acme"));
    let clerk = server.clerk_with(
        clerk_sdk::RetryPolicy::default().base_delay(std::time::Duration::from_millis(1)),
    );
    clerk
        .organizations()
        .upload_logo(
            "org_1",
            OrganizationLogo::new(b"GIF89a-tiny".to_vec()).content_type("image/x-custom"),
        )
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "PUT is idempotent: retried after a 503");
    assert_eq!(requests[0].body, requests[1].body);
    let body = String::from_utf8_lossy(&requests[1].body);
    assert!(
        body.contains("filename=\"logo\"\r\nContent-Type: image/x-custom\r\n"),
        "{body}"
    );
    assert!(!body.contains("uploader_user_id"), "{body}");

    server.respond_json(200, fixtures::organization("org_1", "acme"));
    clerk.organizations().delete_logo("org_1").await.unwrap();
    server.requests()[2].assert_request("DELETE", "/v1/organizations/org_1/logo", None, None);
}
