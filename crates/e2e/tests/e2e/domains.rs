//! The instance's domains, proxy checks and production domain changes.

use clerk_sdk::{CreateDomain, Method, UpdateDomain};
use e2e::each_backend;
use serde_json::{Value, json};

use crate::support::{api_error, param_name};

#[tokio::test]
async fn primary_and_satellites() {
    each_backend(async |env| {
        let domains = env.clerk.domains();
        let list = domains.list().await.unwrap();
        assert_eq!(list.total_count, Some(1));
        let primary = &list.data[0];
        assert_eq!(primary.object, "domain");
        assert!(primary.id.starts_with("dmn_"));
        assert!(!primary.is_satellite);
        let issuer = env.server.issuer().trim_end_matches('/');
        assert_eq!(primary.frontend_api_url, issuer);
        assert_eq!(
            primary.name,
            issuer.split_once("://").unwrap().1.to_ascii_lowercase()
        );
        assert_eq!(primary.cname_targets, None);

        let satellite = domains
            .create(CreateDomain::new("Localhost:3001"))
            .await
            .unwrap();
        assert!(satellite.is_satellite && satellite.id.starts_with("dmn_"));
        assert_eq!(satellite.name, "localhost:3001");
        assert_eq!(satellite.accounts_portal_url, None);
        let other = domains
            .create(CreateDomain::new("sat.example.com"))
            .await
            .unwrap();
        let list = domains.list().await.unwrap();
        let names: Vec<&str> = list.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            [primary.name.as_str(), "localhost:3001", "sat.example.com"]
        );
        assert_eq!(list.total_count, Some(3));

        // Duplicates (a satellite's name, the primary's), bad names, proxies.
        let err = api_error(
            domains.create(CreateDomain::new("localhost:3001")).await,
            400,
            "duplicate_record",
        );
        assert_eq!(param_name(&err), Some("name"));
        api_error(
            domains
                .create(CreateDomain::new(primary.name.clone()))
                .await,
            400,
            "duplicate_record",
        );
        let err = api_error(
            domains.create(CreateDomain::new("https://x.example")).await,
            422,
            "form_param_format_invalid",
        );
        assert_eq!(param_name(&err), Some("name"));
        api_error(
            domains
                .create(CreateDomain::new("p.example").proxy_url("https://p.example/__clerk"))
                .await,
            422,
            "form_param_value_invalid",
        );
        let err = api_error(
            env.clerk
                .request::<Value>(
                    Method::POST,
                    "/domains",
                    &[],
                    Some(json!({"name": "q.example", "is_satellite": false})),
                )
                .await,
            422,
            "form_param_value_invalid",
        );
        assert_eq!(param_name(&err), Some("is_satellite"));

        let renamed = domains
            .update(&satellite.id, UpdateDomain::new().name("localhost:3002"))
            .await
            .unwrap();
        assert_eq!(renamed.name, "localhost:3002");
        assert_eq!(renamed.id, satellite.id);
        api_error(
            domains
                .update(&satellite.id, UpdateDomain::new().name("sat.example.com"))
                .await,
            400,
            "duplicate_record",
        );
        let same = domains
            .update(&primary.id, UpdateDomain::new().is_secondary(false))
            .await
            .unwrap();
        assert_eq!(&same, primary);
        api_error(
            domains
                .update(&primary.id, UpdateDomain::new().name("elsewhere.example"))
                .await,
            422,
            "form_param_value_invalid",
        );
        let err = api_error(
            domains
                .update("dmn_missing", UpdateDomain::new().name("x.example"))
                .await,
            404,
            "resource_not_found",
        );
        assert!(err.to_string().contains("dmn_missing"), "{err:?}");

        let deleted = domains.delete(&other.id).await.unwrap();
        assert_eq!(deleted.object, "domain");
        assert_eq!(deleted.id.as_deref(), Some(other.id.as_str()));
        assert!(deleted.deleted);
        api_error(domains.delete(&other.id).await, 404, "resource_not_found");
        api_error(
            domains.delete(&primary.id).await,
            403,
            "operation_not_allowed",
        );
        assert_eq!(domains.list().await.unwrap().total_count, Some(2));
    })
    .await;
}

#[tokio::test]
async fn proxies_and_production_domains_are_refused_on_a_development_instance() {
    each_backend(async |env| {
        let domains = env.clerk.domains();
        let primary = domains.list().await.unwrap().data[0].clone();
        api_error(
            domains
                .check_proxy(&primary.id, "https://example.com/__clerk")
                .await,
            400,
            "development_instance_unsupported",
        );
        let err = api_error(
            domains
                .check_proxy("dmn_missing", "https://example.com/__clerk")
                .await,
            422,
            "form_param_value_invalid",
        );
        assert_eq!(param_name(&err), Some("domain_id"));
        api_error(
            domains.check_proxy(&primary.id, "ftp://example.com").await,
            422,
            "form_param_format_invalid",
        );
        api_error(
            domains
                .change_production_domain("https://www.example.com", false)
                .await,
            400,
            "development_instance_unsupported",
        );
        let err = api_error(
            domains
                .change_production_domain("www.example.com", false)
                .await,
            422,
            "form_param_format_invalid",
        );
        assert_eq!(param_name(&err), Some("home_url"));
        api_error(
            env.clerk
                .request::<Value>(
                    Method::PUT,
                    "/beta_features/domain",
                    &[],
                    Some(json!({"home_url": "https://www.example.com", "is_secondary": true})),
                )
                .await,
            400,
            "development_instance_unsupported",
        );
    })
    .await;
}

/// A user's billing has no local counterpart: 403 `feature_not_enabled` for a user, 404 for
/// an unknown one.
#[tokio::test]
async fn user_billing_is_not_enabled() {
    each_backend(async |env| {
        let user = crate::support::user(env, "billing@example.com").await;
        for (method, path) in [
            (Method::GET, "subscription"),
            (Method::GET, "credits"),
            (Method::POST, "credits"),
        ] {
            let body = (method == Method::POST).then(|| json!({"amount": 100}));
            api_error(
                env.clerk
                    .request::<Value>(
                        method.clone(),
                        &format!("/users/{}/billing/{path}", user.id),
                        &[],
                        body.clone(),
                    )
                    .await,
                403,
                "feature_not_enabled",
            );
            let err = api_error(
                env.clerk
                    .request::<Value>(
                        method,
                        &format!("/users/user_missing/billing/{path}"),
                        &[],
                        body,
                    )
                    .await,
                404,
                "resource_not_found",
            );
            assert!(err.to_string().contains("user_missing"), "{err:?}");
        }
    })
    .await;
}
