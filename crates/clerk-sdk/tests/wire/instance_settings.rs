use clerk_sdk::{
    CreateDomain, DomainEnrollmentMode, Patch, UpdateDomain, UpdateInstanceCommunication,
    UpdateInstanceProtect, UpdateOAuthApplicationSettings, UpdateOrganizationSettings,
};
use serde_json::json;

use crate::support::{Canned, MockServer, fixtures};

fn domain(id: &str, name: &str, satellite: bool) -> serde_json::Value {
    json!({"object": "domain", "id": id, "name": name, "is_satellite": satellite,
           "frontend_api_url": "http://127.0.0.1:8080", "accounts_portal_url": null,
           "proxy_url": null, "development_origin": "", "cname_targets": null})
}

#[tokio::test]
async fn settings_documents_get_and_patch() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    let instance = clerk.instance();
    let protect = json!({"object": "instance_protect", "rules_enabled": true,
                         "specter_enabled": false, "checks_bypassed": false});
    server.respond_json(200, protect.clone());
    server.respond_json(200, protect);
    assert!(instance.get_protect().await.unwrap().rules_enabled);
    instance
        .update_protect(UpdateInstanceProtect::new().rules_enabled(true))
        .await
        .unwrap();
    let communication =
        json!({"object": "instance_communication", "blocked_country_codes": ["KP"]});
    server.respond_json(200, communication.clone());
    server.respond_json(200, communication);
    instance.get_communication().await.unwrap();
    instance
        .update_communication(
            UpdateInstanceCommunication::new().blocked_country_codes(vec!["KP".to_owned()]),
        )
        .await
        .unwrap();
    let oauth = json!({"object": "oauth_application_settings",
        "dynamic_oauth_client_registration": false, "default_scopes": null,
        "oauth_jwt_access_tokens": false, "client_id_metadata_documents_advertised": false,
        "client_id_metadata_documents_only_allow_pre_registered_clients": false,
        "client_id_metadata_documents_block_implicitly_allowed_clients": false});
    server.respond_json(200, oauth.clone());
    server.respond_json(200, oauth);
    instance.get_oauth_application_settings().await.unwrap();
    instance
        .update_oauth_application_settings(
            UpdateOAuthApplicationSettings::new().default_scopes(Patch::Null),
        )
        .await
        .unwrap();
    let orgs = json!({"object": "organization_settings", "enabled": true,
        "max_allowed_memberships": 5, "max_allowed_roles": 10, "max_allowed_domains": 10,
        "creator_role": "org:admin", "admin_delete_enabled": true, "domains_enabled": true,
        "domains_enrollment_modes": ["automatic_suggestion"], "domains_default_role": "org:member"});
    server.respond_json(200, orgs.clone());
    server.respond_json(200, orgs);
    let got = instance.get_organization_settings().await.unwrap();
    assert_eq!(
        got.domains_enrollment_modes,
        [DomainEnrollmentMode::AutomaticSuggestion]
    );
    instance
        .update_organization_settings(
            UpdateOrganizationSettings::new()
                .max_allowed_memberships(5)
                .domains_enrollment_modes(vec![DomainEnrollmentMode::AutomaticSuggestion])
                .creator_role_id("role_1"),
        )
        .await
        .unwrap();

    let requests = server.requests();
    requests[0].assert_request("GET", "/v1/instance/protect", None, None);
    requests[1].assert_request(
        "PATCH",
        "/v1/instance/protect",
        None,
        Some(json!({"rules_enabled": true})),
    );
    requests[2].assert_request("GET", "/v1/instance/communication", None, None);
    requests[3].assert_request(
        "PATCH",
        "/v1/instance/communication",
        None,
        Some(json!({"blocked_country_codes": ["KP"]})),
    );
    requests[4].assert_request("GET", "/v1/instance/oauth_application_settings", None, None);
    requests[5].assert_request(
        "PATCH",
        "/v1/instance/oauth_application_settings",
        None,
        Some(json!({"default_scopes": null})),
    );
    requests[6].assert_request("GET", "/v1/instance/organization_settings", None, None);
    requests[7].assert_request(
        "PATCH",
        "/v1/instance/organization_settings",
        None,
        Some(json!({"max_allowed_memberships": 5,
                    "domains_enrollment_modes": ["automatic_suggestion"],
                    "creator_role_id": "role_1"})),
    );
}

#[tokio::test]
async fn domains_proxy_checks_and_domain_changes() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    let domains = clerk.domains();
    server.respond_json(
        200,
        json!({"data": [domain("dmn_1", "127.0.0.1:8080", false)], "total_count": 1}),
    );
    assert_eq!(domains.list().await.unwrap().total_count, Some(1));
    server.respond_json(200, domain("dmn_2", "localhost:3001", true));
    assert!(
        domains
            .create(CreateDomain::new("localhost:3001"))
            .await
            .unwrap()
            .is_satellite
    );
    server.respond_json(200, domain("dmn_2", "localhost:3002", true));
    domains
        .update("dmn_2", UpdateDomain::new().name("localhost:3002"))
        .await
        .unwrap();
    server.respond_json(200, fixtures::deleted("domain", "dmn_2"));
    assert!(domains.delete("dmn_2").await.unwrap().deleted);
    server.respond_json(
        200,
        json!({"object": "proxy_check", "id": "pc_1", "domain_id": "dmn_1", "last_run_at": 1,
               "proxy_url": "https://x.example/__clerk", "successful": true,
               "created_at": 1, "updated_at": 1}),
    );
    assert!(
        domains
            .check_proxy("dmn_1", "https://x.example/__clerk")
            .await
            .unwrap()
            .successful
    );
    server.respond(Canned::text(202, ""));
    domains
        .change_production_domain("https://www.example.com", false)
        .await
        .unwrap();

    let requests = server.requests();
    requests[0].assert_request("GET", "/v1/domains", None, None);
    requests[1].assert_request(
        "POST",
        "/v1/domains",
        None,
        Some(json!({"name": "localhost:3001", "is_satellite": true})),
    );
    requests[2].assert_request(
        "PATCH",
        "/v1/domains/dmn_2",
        None,
        Some(json!({"name": "localhost:3002"})),
    );
    requests[3].assert_request("DELETE", "/v1/domains/dmn_2", None, None);
    requests[4].assert_request(
        "POST",
        "/v1/proxy_checks",
        None,
        Some(json!({"domain_id": "dmn_1", "proxy_url": "https://x.example/__clerk"})),
    );
    requests[5].assert_request(
        "POST",
        "/v1/instance/change_domain",
        None,
        Some(json!({"home_url": "https://www.example.com", "is_secondary": false})),
    );
}
