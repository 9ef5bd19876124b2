//! Organization domains through the SDK: every method of `clerk.organization_domains()`,
//! real rows and a documented error each.

use clerk_sdk::{
    CreateOrganization, CreateOrganizationDomain, DomainEnrollmentMode, ListAllOrganizationDomains,
    ListOrganizationDomains, UpdateOrganizationDomain,
};
use e2e::each_backend;
use futures_util::TryStreamExt;

use crate::support::{api_error, param_name};

#[tokio::test]
async fn domains_create_list_update_verify_delete() {
    each_backend(async |env| {
        let domains = env.clerk.organization_domains();
        let orgs = env.clerk.organizations();
        let acme = orgs.create(CreateOrganization::new("Acme")).await.unwrap();
        let beta = orgs.create(CreateOrganization::new("Beta")).await.unwrap();

        let com = domains
            .create(
                &acme.id,
                CreateOrganizationDomain::new("acme.com")
                    .enrollment_mode(DomainEnrollmentMode::AutomaticInvitation),
            )
            .await
            .unwrap();
        assert!(com.id.starts_with("orgdmn_"));
        assert_eq!(
            com.enrollment_mode,
            DomainEnrollmentMode::AutomaticInvitation
        );
        assert_eq!(com.verification.as_ref().unwrap().status, "verified");
        assert!(com.ownership_verification.is_none());
        let dev = domains
            .create(
                &acme.id,
                CreateOrganizationDomain::new("acme.dev").verified(false),
            )
            .await
            .unwrap();
        assert!(dev.verification.is_none());
        domains
            .create(&beta.id, CreateOrganizationDomain::new("beta.io"))
            .await
            .unwrap();
        let err = api_error(
            domains
                .create(&beta.id, CreateOrganizationDomain::new("acme.com"))
                .await,
            422,
            "organization_domain_already_exists",
        );
        assert_eq!(param_name(&err), Some("name"));
        api_error(
            domains
                .create(&beta.id, CreateOrganizationDomain::new("gmail.com"))
                .await,
            422,
            "organization_domain_common",
        );
        api_error(
            domains
                .create(
                    &beta.id,
                    CreateOrganizationDomain::new("beta.dev")
                        .enrollment_mode(DomainEnrollmentMode::EnterpriseSso),
                )
                .await,
            403,
            "organization_domain_enrollment_mode_not_enabled",
        );

        let page = domains
            .list(&acme.id, ListOrganizationDomains::new().verified(true))
            .await
            .unwrap();
        assert_eq!(page.total_count, Some(1));
        assert_eq!(page.data[0].id, com.id);
        let streamed: Vec<_> = domains
            .stream(&acme.id, ListOrganizationDomains::new().limit(1))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(streamed.len(), 2);
        api_error(
            domains
                .list(
                    &acme.id,
                    ListOrganizationDomains::new().enrollment_mode("bogus"),
                )
                .await,
            422,
            "form_param_value_invalid",
        );

        let all = domains
            .list_all(ListAllOrganizationDomains::new().order_by("name"))
            .await
            .unwrap();
        let names: Vec<_> = all.data.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["acme.com", "acme.dev", "beta.io"]);
        let of_acme: Vec<_> = domains
            .stream_all(
                ListAllOrganizationDomains::new()
                    .query("acme")
                    .enrollment_mode(["-automatic_invitation"]),
            )
            .try_collect()
            .await
            .unwrap();
        assert_eq!(of_acme.len(), 1);
        assert_eq!(of_acme[0].id, dev.id);
        api_error(
            domains
                .list_all(ListAllOrganizationDomains::new().query(" "))
                .await,
            422,
            "form_param_value_invalid",
        );

        let updated = domains
            .update(
                &acme.id,
                &dev.id,
                UpdateOrganizationDomain::new()
                    .verified(true)
                    .enrollment_mode(DomainEnrollmentMode::AutomaticSuggestion),
            )
            .await
            .unwrap();
        assert_eq!(
            updated.enrollment_mode,
            DomainEnrollmentMode::AutomaticSuggestion
        );
        assert_eq!(updated.verification.as_ref().unwrap().status, "verified");
        api_error(
            domains
                .update(
                    &acme.id,
                    "orgdmn_missing",
                    UpdateOrganizationDomain::new().verified(true),
                )
                .await,
            404,
            "resource_not_found",
        );

        let owned = domains.verify_ownership(&acme.id, &com.id).await.unwrap();
        let ownership = owned.ownership_verification.unwrap();
        assert_eq!(ownership.status, "verified");
        assert_eq!(ownership.strategy, "manual_override");
        assert!(ownership.verified_at.is_some());
        api_error(
            domains.verify_ownership(&acme.id, "orgdmn_missing").await,
            404,
            "resource_not_found",
        );

        let deleted = domains.delete(&acme.id, &com.id).await.unwrap();
        assert_eq!(deleted.id.as_deref(), Some(com.id.as_str()));
        api_error(
            domains.delete(&acme.id, &com.id).await,
            404,
            "resource_not_found",
        );
    })
    .await;
}
