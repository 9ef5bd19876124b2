//! The instance's domains: `clerk.domains()`; proxy checks and production domain changes.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{DeletedObject, Domain, ProxyCheck};
use crate::pagination::Page;
use crate::params::patch_setters;
use crate::patch::Patch;

impl Clerk {
    /// The instance's domains: list, add satellites, update, delete.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let domains = clerk.domains().list().await?;
    /// # Ok(()) }
    /// ```
    pub fn domains(&self) -> Domains<'_> {
        Domains { clerk: self }
    }
}

/// The domains handler, from [`Clerk::domains`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let domains = clerk.domains();
/// let satellite = domains.create(clerk_sdk::CreateDomain::new("localhost:3001")).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Domains<'a> {
    clerk: &'a Clerk,
}

impl Domains<'_> {
    /// Every domain, the primary first (`GET /domains`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// for domain in &clerk.domains().list().await? {
    ///     println!("{} {}", domain.name, domain.is_satellite);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<Page<Domain>> {
        self.clerk.send(ApiRequest::get(&["domains"])?).await
    }

    /// Adds a satellite domain (`POST /domains`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let domain = clerk.domains().create(clerk_sdk::CreateDomain::new("localhost:3001")).await?;
    /// assert!(domain.is_satellite);
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateDomain) -> Result<Domain> {
        self.clerk
            .send(ApiRequest::post(&["domains"])?.json(&params)?)
            .await
    }

    /// Updates a domain (`PATCH /domains/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdateDomain;
    /// clerk.domains().update("dmn_123", UpdateDomain::new().name("localhost:3002")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(&self, domain_id: &str, params: UpdateDomain) -> Result<Domain> {
        self.clerk
            .send(ApiRequest::patch(&["domains", domain_id])?.json(&params)?)
            .await
    }

    /// Deletes a satellite domain (`DELETE /domains/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// clerk.domains().delete("dmn_123").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, domain_id: &str) -> Result<DeletedObject> {
        self.clerk
            .send(ApiRequest::delete(&["domains", domain_id])?)
            .await
    }

    /// Checks that a proxy reaches the Frontend API (`POST /proxy_checks`). Proxies are
    /// for production instances: a local server answers 400.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let result = clerk.domains().check_proxy("dmn_123", "https://example.com/__clerk").await;
    /// # Ok(()) }
    /// ```
    pub async fn check_proxy(&self, domain_id: &str, proxy_url: &str) -> Result<ProxyCheck> {
        let body = serde_json::json!({"domain_id": domain_id, "proxy_url": proxy_url});
        self.clerk
            .send(ApiRequest::post(&["proxy_checks"])?.json(&body)?)
            .await
    }

    /// Moves a production instance to another domain (`POST /instance/change_domain`,
    /// answered 202). A local server is a development instance: it answers 400.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let result = clerk.domains().change_production_domain("https://www.example.com", false).await;
    /// # Ok(()) }
    /// ```
    pub async fn change_production_domain(&self, home_url: &str, is_secondary: bool) -> Result<()> {
        let body = serde_json::json!({"home_url": home_url, "is_secondary": is_secondary});
        self.clerk
            .send(ApiRequest::post(&["instance", "change_domain"])?.json(&body)?)
            .await
    }
}

/// The body of [`Domains::create`]: a satellite domain.
///
/// ```
/// let params = clerk_sdk::CreateDomain::new("localhost:3001");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateDomain {
    name: String,
    is_satellite: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    proxy_url: Option<String>,
}

impl CreateDomain {
    /// A satellite domain named `name` (a host, with a port on development instances).
    ///
    /// ```
    /// let params = clerk_sdk::CreateDomain::new("satellite.example.com");
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            is_satellite: true,
            proxy_url: None,
        }
    }

    /// Serve the domain through this proxy (production instances only).
    ///
    /// ```
    /// let params = clerk_sdk::CreateDomain::new("x.example").proxy_url("https://x.example/__clerk");
    /// ```
    pub fn proxy_url(mut self, url: impl Into<String>) -> Self {
        self.proxy_url = Some(url.into());
        self
    }
}

/// The body of [`Domains::update`].
///
/// ```
/// let params = clerk_sdk::UpdateDomain::new().name("localhost:3002");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateDomain {
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    name: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    proxy_url: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    is_secondary: Patch<bool>,
}

impl UpdateDomain {
    /// Changes nothing yet.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateDomain::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    patch_setters! {
        "UpdateDomain::new()";
        /// The new name.
        name: String,
        /// The proxy URL (production instances only); `Patch::Null` removes it.
        proxy_url: String,
        /// Whether the domain is a secondary app's (production instances).
        is_secondary: bool,
    }
}
