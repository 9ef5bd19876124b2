//! Organization permissions: `clerk.organization_permissions()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{DeletedObject, OrganizationPermission};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::{option_setters, paging_setters};
use crate::query::Query;

impl Clerk {
    /// The instance's organization permissions: list, get, create, update, delete.
    /// Roles grant them ([`Clerk::organization_roles`]).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateOrganizationPermission;
    /// let permission = clerk
    ///     .organization_permissions()
    ///     .create(CreateOrganizationPermission::new("Read invoices", "org:invoices:read"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn organization_permissions(&self) -> OrganizationPermissions<'_> {
        OrganizationPermissions { clerk: self }
    }
}

/// The organization permissions handler, from [`Clerk::organization_permissions`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let permissions = clerk.organization_permissions();
/// let page = permissions.list(clerk_sdk::ListOrganizationPermissions::new()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct OrganizationPermissions<'a> {
    clerk: &'a Clerk,
}

impl OrganizationPermissions<'_> {
    /// One page of permissions with the total (`GET /organization_permissions`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ListOrganizationPermissions;
    /// let page = clerk
    ///     .organization_permissions()
    ///     .list(ListOrganizationPermissions::new().query("invoices"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn list(
        &self,
        params: ListOrganizationPermissions,
    ) -> Result<Page<OrganizationPermission>> {
        self.clerk
            .list_paginated(&["organization_permissions"], params)
            .await
    }

    /// Every permission matching the filters, page after page. See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk.organization_permissions().stream(Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(
        &self,
        params: ListOrganizationPermissions,
    ) -> ItemStream<OrganizationPermission> {
        self.clerk
            .stream_paginated(&["organization_permissions"], params)
    }

    /// One permission (`GET /organization_permissions/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let permission = clerk.organization_permissions().get("perm_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, permission_id: &str) -> Result<OrganizationPermission> {
        self.clerk
            .send(ApiRequest::get(&[
                "organization_permissions",
                permission_id,
            ])?)
            .await
    }

    /// Creates a permission (`POST /organization_permissions`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateOrganizationPermission;
    /// let permission = clerk
    ///     .organization_permissions()
    ///     .create(CreateOrganizationPermission::new("Read invoices", "org:invoices:read").description("See every invoice"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(
        &self,
        params: CreateOrganizationPermission,
    ) -> Result<OrganizationPermission> {
        self.clerk
            .send(ApiRequest::post(&["organization_permissions"])?.json(&params)?)
            .await
    }

    /// Updates a permission (`PATCH /organization_permissions/{id}`); fields not set
    /// stay as they are.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdateOrganizationPermission;
    /// let permission = clerk
    ///     .organization_permissions()
    ///     .update("perm_2x", UpdateOrganizationPermission::new().name("View invoices"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(
        &self,
        permission_id: &str,
        params: UpdateOrganizationPermission,
    ) -> Result<OrganizationPermission> {
        let path = ["organization_permissions", permission_id];
        self.clerk
            .send(ApiRequest::patch(&path)?.json(&params)?)
            .await
    }

    /// Deletes a permission (`DELETE /organization_permissions/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// assert!(clerk.organization_permissions().delete("perm_2x").await?.deleted);
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, permission_id: &str) -> Result<DeletedObject> {
        self.clerk
            .send(ApiRequest::delete(&[
                "organization_permissions",
                permission_id,
            ])?)
            .await
    }
}

/// Filters and paging for [`OrganizationPermissions::list`] and
/// [`OrganizationPermissions::stream`].
///
/// ```
/// let params = clerk_sdk::ListOrganizationPermissions::new().query("invoices").order_by("-created_at");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListOrganizationPermissions {
    query: Option<String>,
    order_by: Option<String>,
    paging: Paging,
}

impl ListOrganizationPermissions {
    /// No filters, API default paging.
    ///
    /// ```
    /// let params = clerk_sdk::ListOrganizationPermissions::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "ListOrganizationPermissions::new()";
        /// An exact permission ID, or part of a name or key.
        query: String,
        /// Sort order: `created_at`, `name` or `key`, with `+` or `-`.
        order_by: String,
    }

    paging_setters!(ListOrganizationPermissions, "permissions");

    crate::params::query_pairs!("ListOrganizationPermissions::new().limit(5)");
}

impl PaginatedList for ListOrganizationPermissions {
    type Item = OrganizationPermission;
    const ASK_FOR_TOTAL: bool = false;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }

    fn push_filters(&self, query: &mut Query) {
        query
            .push_opt("query", self.query.as_ref())
            .push_opt("order_by", self.order_by.as_ref());
    }
}

/// The body of [`OrganizationPermissions::create`].
///
/// ```
/// let params = clerk_sdk::CreateOrganizationPermission::new("Read invoices", "org:invoices:read");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateOrganizationPermission {
    name: String,
    key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

impl CreateOrganizationPermission {
    /// A permission with this display name and key (`org:<feature>:<action>`).
    ///
    /// ```
    /// let params = clerk_sdk::CreateOrganizationPermission::new("Manage invoices", "org:invoices:manage");
    /// ```
    pub fn new(name: impl Into<String>, key: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            key: key.into(),
            description: None,
        }
    }

    option_setters! {
        "CreateOrganizationPermission::new(\"Read invoices\", \"org:invoices:read\")";
        /// A description.
        description: String,
    }
}

/// The body of [`OrganizationPermissions::update`]. A field is left unchanged unless
/// set; none of them can be cleared.
///
/// ```
/// let update = clerk_sdk::UpdateOrganizationPermission::new().description("See every invoice");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateOrganizationPermission {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

impl UpdateOrganizationPermission {
    /// An update that changes nothing yet.
    ///
    /// ```
    /// let update = clerk_sdk::UpdateOrganizationPermission::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "UpdateOrganizationPermission::new()";
        /// The display name.
        name: String,
        /// The key (`org:<feature>:<action>`).
        key: String,
        /// A description.
        description: String,
    }
}
