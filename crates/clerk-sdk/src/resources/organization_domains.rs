//! Organization domains: `clerk.organization_domains()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{DeletedObject, DomainEnrollmentMode, OrganizationDomain};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::{list_setters, option_setters, paging_setters, patch_setters};
use crate::patch::Patch;
use crate::query::Query;

impl Clerk {
    /// Email domains whose users may join an organization: create, list (per
    /// organization or instance-wide), update, delete, verify ownership.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::{CreateOrganizationDomain, DomainEnrollmentMode};
    /// let domain = clerk
    ///     .organization_domains()
    ///     .create("org_2x", CreateOrganizationDomain::new("example.com").enrollment_mode(DomainEnrollmentMode::AutomaticInvitation))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn organization_domains(&self) -> OrganizationDomains<'_> {
        OrganizationDomains { clerk: self }
    }
}

/// The organization domains handler, from [`Clerk::organization_domains`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let domains = clerk.organization_domains();
/// let page = domains.list("org_2x", clerk_sdk::ListOrganizationDomains::new()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct OrganizationDomains<'a> {
    clerk: &'a Clerk,
}

impl OrganizationDomains<'_> {
    /// Adds a domain to an organization (`POST /organizations/{id}/domains`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateOrganizationDomain;
    /// let domain = clerk
    ///     .organization_domains()
    ///     .create("org_2x", CreateOrganizationDomain::new("example.com").verified(true))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(
        &self,
        organization_id: &str,
        params: CreateOrganizationDomain,
    ) -> Result<OrganizationDomain> {
        let path = ["organizations", organization_id, "domains"];
        self.clerk
            .send(ApiRequest::post(&path)?.json(&params)?)
            .await
    }

    /// One page of an organization's domains with the total
    /// (`GET /organizations/{id}/domains`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ListOrganizationDomains;
    /// let verified = clerk
    ///     .organization_domains()
    ///     .list("org_2x", ListOrganizationDomains::new().verified(true))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn list(
        &self,
        organization_id: &str,
        params: ListOrganizationDomains,
    ) -> Result<Page<OrganizationDomain>> {
        let path = ["organizations", organization_id, "domains"];
        self.clerk.list_paginated(&path, params).await
    }

    /// Every domain of an organization matching the filters, page after page. See
    /// [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk.organization_domains().stream("org_2x", Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(
        &self,
        organization_id: &str,
        params: ListOrganizationDomains,
    ) -> ItemStream<OrganizationDomain> {
        let path = ["organizations", organization_id, "domains"];
        self.clerk.stream_paginated(&path, params)
    }

    /// One page of the instance's domains, all organizations together
    /// (`GET /organization_domains`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ListAllOrganizationDomains;
    /// let page = clerk
    ///     .organization_domains()
    ///     .list_all(ListAllOrganizationDomains::new().domains(["example.com", "example.org"]))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn list_all(
        &self,
        params: ListAllOrganizationDomains,
    ) -> Result<Page<OrganizationDomain>> {
        self.clerk
            .list_paginated(&["organization_domains"], params)
            .await
    }

    /// Every domain of the instance matching the filters, page after page. See
    /// [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk.organization_domains().stream_all(Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream_all(&self, params: ListAllOrganizationDomains) -> ItemStream<OrganizationDomain> {
        self.clerk
            .stream_paginated(&["organization_domains"], params)
    }

    /// Updates a domain (`PATCH /organizations/{id}/domains/{domain_id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::{DomainEnrollmentMode, UpdateOrganizationDomain};
    /// let domain = clerk
    ///     .organization_domains()
    ///     .update("org_2x", "orgdmn_2x", UpdateOrganizationDomain::new().enrollment_mode(DomainEnrollmentMode::AutomaticSuggestion))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(
        &self,
        organization_id: &str,
        domain_id: &str,
        params: UpdateOrganizationDomain,
    ) -> Result<OrganizationDomain> {
        let path = ["organizations", organization_id, "domains", domain_id];
        self.clerk
            .send(ApiRequest::patch(&path)?.json(&params)?)
            .await
    }

    /// Removes a domain (`DELETE /organizations/{id}/domains/{domain_id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// assert!(clerk.organization_domains().delete("org_2x", "orgdmn_2x").await?.deleted);
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, organization_id: &str, domain_id: &str) -> Result<DeletedObject> {
        let path = ["organizations", organization_id, "domains", domain_id];
        self.clerk.send(ApiRequest::delete(&path)?).await
    }

    /// Checks the domain's ownership record now
    /// (`POST /organizations/{id}/domains/{domain_id}/verify_ownership`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let domain = clerk.organization_domains().verify_ownership("org_2x", "orgdmn_2x").await?;
    /// println!("{:?}", domain.ownership_verification.map(|v| v.status));
    /// # Ok(()) }
    /// ```
    pub async fn verify_ownership(
        &self,
        organization_id: &str,
        domain_id: &str,
    ) -> Result<OrganizationDomain> {
        let path = [
            "organizations",
            organization_id,
            "domains",
            domain_id,
            "verify_ownership",
        ];
        self.clerk.send(ApiRequest::post(&path)?).await
    }
}

/// The body of [`OrganizationDomains::create`]. Only what is set is sent (Clerk's JS
/// client always sends `verified`, defaulting to `true`; the API's own default applies
/// here).
///
/// ```
/// use clerk_sdk::{CreateOrganizationDomain, DomainEnrollmentMode};
/// let params = CreateOrganizationDomain::new("example.com")
///     .enrollment_mode(DomainEnrollmentMode::ManualInvitation)
///     .verified(false);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateOrganizationDomain {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    enrollment_mode: Option<DomainEnrollmentMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verified: Option<bool>,
}

impl CreateOrganizationDomain {
    /// This domain name, e.g. `example.com`.
    ///
    /// ```
    /// let params = clerk_sdk::CreateOrganizationDomain::new("example.com");
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            enrollment_mode: None,
            verified: None,
        }
    }

    option_setters! {
        "CreateOrganizationDomain::new(\"example.com\")";
        /// How users of the domain join.
        enrollment_mode: DomainEnrollmentMode,
        /// Whether the domain counts as verified from the start.
        verified: bool,
    }
}

/// The body of [`OrganizationDomains::update`]. A field is left unchanged unless set.
///
/// ```
/// let update = clerk_sdk::UpdateOrganizationDomain::new().verified(true);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateOrganizationDomain {
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    enrollment_mode: Patch<DomainEnrollmentMode>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    verified: Patch<bool>,
}

impl UpdateOrganizationDomain {
    /// An update that changes nothing yet.
    ///
    /// ```
    /// let update = clerk_sdk::UpdateOrganizationDomain::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    patch_setters! {
        "UpdateOrganizationDomain::new()";
        /// How users of the domain join.
        enrollment_mode: DomainEnrollmentMode,
        /// Whether the domain counts as verified.
        verified: bool,
    }
}

/// Filters and paging for [`OrganizationDomains::list`] and
/// [`OrganizationDomains::stream`].
///
/// ```
/// let params = clerk_sdk::ListOrganizationDomains::new().verified(true).enrollment_mode("-enterprise_sso");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListOrganizationDomains {
    verified: Option<bool>,
    enrollment_mode: Option<String>,
    paging: Paging,
}

impl ListOrganizationDomains {
    /// No filters, API default paging.
    ///
    /// ```
    /// let params = clerk_sdk::ListOrganizationDomains::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "ListOrganizationDomains::new()";
        /// Only verified (`true`) or only unverified (`false`) domains.
        verified: bool,
        /// Domains with this enrollment mode (e.g. `automatic_invitation`), or, with a
        /// `-` prefix, without it.
        enrollment_mode: String,
    }

    paging_setters!(ListOrganizationDomains, "domains");

    crate::params::query_pairs!("ListOrganizationDomains::new().limit(5)");
}

impl PaginatedList for ListOrganizationDomains {
    type Item = OrganizationDomain;
    const ASK_FOR_TOTAL: bool = false;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }

    fn push_filters(&self, query: &mut Query) {
        query
            .push_opt("verified", self.verified)
            .push_opt("enrollment_mode", self.enrollment_mode.as_ref());
    }
}

/// Filters and paging for [`OrganizationDomains::list_all`] and
/// [`OrganizationDomains::stream_all`]: every parameter of `GET /organization_domains`
/// in API version 2026-05-12.
///
/// `enrollment_mode` is the one array the spec declares with `explode: false`, so its
/// values go out comma-separated in one key (`enrollment_mode=a,-b`); `domains` is
/// sent as repeated keys like every other array.
///
/// ```
/// use clerk_sdk::ListAllOrganizationDomains;
/// let params = ListAllOrganizationDomains::new()
///     .organization_id("org_2x")
///     .enrollment_mode(["automatic_invitation", "-enterprise_sso"])
///     .domains(["example.com"])
///     .order_by("name");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListAllOrganizationDomains {
    organization_id: Option<String>,
    verified: Option<bool>,
    enrollment_mode: Vec<String>,
    query: Option<String>,
    domains: Vec<String>,
    order_by: Option<String>,
    paging: Paging,
}

impl ListAllOrganizationDomains {
    /// No filters, API default paging.
    ///
    /// ```
    /// let params = clerk_sdk::ListAllOrganizationDomains::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "ListAllOrganizationDomains::new()";
        /// Domains of this organization.
        organization_id: String,
        /// Only verified (`true`) or only unverified (`false`) domains.
        verified: bool,
        /// A domain name (partial, case-insensitive), or an exact `org_...` ID.
        query: String,
        /// Sort order: `name` or `created_at`, with `+` or `-` (API default `-created_at`).
        order_by: String,
    }

    list_setters! {
        "ListAllOrganizationDomains::new()";
        /// Enrollment modes to include (`automatic_invitation`) or, with a `-` prefix,
        /// exclude (`-enterprise_sso`); all must hold.
        enrollment_mode,
        /// Exact domain names.
        domains,
    }

    paging_setters!(ListAllOrganizationDomains, "domains");
}

impl PaginatedList for ListAllOrganizationDomains {
    type Item = OrganizationDomain;
    const ASK_FOR_TOTAL: bool = false;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }

    fn push_filters(&self, query: &mut Query) {
        let enrollment_modes =
            (!self.enrollment_mode.is_empty()).then(|| self.enrollment_mode.join(","));
        query
            .push_opt("organization_id", self.organization_id.as_ref())
            .push_opt("verified", self.verified)
            .push_opt("enrollment_mode", enrollment_modes)
            .push_opt("query", self.query.as_ref())
            .push_all("domains", &self.domains)
            .push_opt("order_by", self.order_by.as_ref());
    }
}
