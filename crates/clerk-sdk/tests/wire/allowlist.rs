use clerk_sdk::{
    CreateAllowlistIdentifier, IdentifierType, ListAllowlistIdentifiers, Patch,
    UpdateInstanceRestrictions, UpdateInstanceSettings,
};
use serde_json::json;

use crate::support::{MockServer, fixtures};

#[tokio::test]
async fn allowlist_identifiers_list_create_delete() {
    let server = MockServer::start().await;
    let clerk = server.clerk();

    server.respond_json(
        200,
        json!({"data": [fixtures::allowlist_identifier("alid_1", "ada@example.com")], "total_count": 1}),
    );
    let page = clerk
        .allowlist_identifiers()
        .list(ListAllowlistIdentifiers::new().limit(5).offset(10))
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(1));
    assert_eq!(
        page.data[0].identifier_type,
        Some(IdentifierType::EmailAddress)
    );
    server.requests()[0].assert_request(
        "GET",
        "/v1/allowlist_identifiers",
        Some("paginated=true&limit=5&offset=10"),
        None,
    );

    server.respond_json(
        200,
        fixtures::allowlist_identifier("alid_2", "john@example.com"),
    );
    let created = clerk
        .allowlist_identifiers()
        .create(CreateAllowlistIdentifier::new("john@example.com").notify(true))
        .await
        .unwrap();
    assert_eq!(created.id.as_deref(), Some("alid_2"));
    server.requests()[1].assert_request(
        "POST",
        "/v1/allowlist_identifiers",
        None,
        Some(json!({"identifier": "john@example.com", "notify": true})),
    );

    server.respond_json(
        200,
        fixtures::allowlist_identifier("alid_3", "x@example.com"),
    );
    clerk
        .allowlist_identifiers()
        .create(CreateAllowlistIdentifier::new("x@example.com"))
        .await
        .unwrap();
    assert_eq!(
        server.requests()[2].json(),
        json!({"identifier": "x@example.com", "notify": false})
    );

    server.respond_json(200, fixtures::deleted("allowlist_identifier", "alid_2"));
    clerk
        .allowlist_identifiers()
        .delete("alid_2")
        .await
        .unwrap();
    server.requests()[3].assert_request("DELETE", "/v1/allowlist_identifiers/alid_2", None, None);
}

#[tokio::test]
async fn allowlist_toggle_uses_instance_settings() {
    let server = MockServer::start().await;
    server.respond_json(200, fixtures::instance_settings(true));
    let settings = server.clerk().allowlist().update(true).await.unwrap();
    assert_eq!(settings.restricted_to_allowlist, Some(true));
    server.only_request().assert_request(
        "PATCH",
        "/v1/beta_features/instance_settings",
        None,
        Some(json!({"restricted_to_allowlist": true})),
    );
}

#[tokio::test]
async fn instance_restrictions_and_settings() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.respond_json(200, fixtures::instance_restrictions(true));
    let restrictions = clerk
        .instance()
        .update_restrictions(
            UpdateInstanceRestrictions::new()
                .allowlist(true)
                .blocklist(false)
                .allowlist_blocklist_disabled_on_sign_in(Patch::Null)
                .block_email_subaddresses(true)
                .block_disposable_email_domains(false),
        )
        .await
        .unwrap();
    assert!(restrictions.allowlist && restrictions.block_email_subaddresses);
    server.requests()[0].assert_request(
        "PATCH",
        "/v1/instance/restrictions",
        None,
        Some(json!({"allowlist": true, "blocklist": false, "allowlist_blocklist_disabled_on_sign_in": null,
                    "block_email_subaddresses": true, "block_disposable_email_domains": false})),
    );

    server.respond_json(200, fixtures::instance_settings(false));
    clerk
        .instance()
        .update_settings(
            UpdateInstanceSettings::new()
                .restricted_to_allowlist(false)
                .from_email_address("hello")
                .progressive_sign_up(false)
                .test_mode(true),
        )
        .await
        .unwrap();
    server.requests()[1].assert_request(
        "PATCH",
        "/v1/beta_features/instance_settings",
        None,
        Some(
            json!({"restricted_to_allowlist": false, "from_email_address": "hello",
                    "progressive_sign_up": false, "test_mode": true}),
        ),
    );
}
