//! Organization roles: `clerk.organization_roles()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{DeletedObject, OrganizationRole};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::{option_setters, paging_setters, patch_setters};
use crate::patch::Patch;
use crate::query::Query;

impl Clerk {
    /// The instance's organization roles: list, get, create, update, delete, and
    /// assign or remove a permission.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let role = clerk.organization_roles().assign_permission("role_2x", "perm_2x").await?;
    /// # Ok(()) }
    /// ```
    pub fn organization_roles(&self) -> OrganizationRoles<'_> {
        OrganizationRoles { clerk: self }
    }
}

/// The organization roles handler, from [`Clerk::organization_roles`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let roles = clerk.organization_roles();
/// let page = roles.list(clerk_sdk::ListOrganizationRoles::new()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct OrganizationRoles<'a> {
    clerk: &'a Clerk,
}

impl OrganizationRoles<'_> {
    /// One page of roles with the total (`GET /organization_roles`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ListOrganizationRoles;
    /// let page = clerk.organization_roles().list(ListOrganizationRoles::new().query("billing")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, params: ListOrganizationRoles) -> Result<Page<OrganizationRole>> {
        self.clerk
            .list_paginated(&["organization_roles"], params)
            .await
    }

    /// Every role matching the filters, page after page. See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk.organization_roles().stream(Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(&self, params: ListOrganizationRoles) -> ItemStream<OrganizationRole> {
        self.clerk.stream_paginated(&["organization_roles"], params)
    }

    /// One role (`GET /organization_roles/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let role = clerk.organization_roles().get("role_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, role_id: &str) -> Result<OrganizationRole> {
        self.clerk
            .send(ApiRequest::get(&["organization_roles", role_id])?)
            .await
    }

    /// Creates a role (`POST /organization_roles`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateOrganizationRole;
    /// let role = clerk
    ///     .organization_roles()
    ///     .create(CreateOrganizationRole::new("Billing", "org:billing").permissions(["perm_2x"]))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateOrganizationRole) -> Result<OrganizationRole> {
        self.clerk
            .send(ApiRequest::post(&["organization_roles"])?.json(&params)?)
            .await
    }

    /// Updates a role (`PATCH /organization_roles/{id}`); fields not set stay as they
    /// are.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::{Patch, UpdateOrganizationRole};
    /// let role = clerk
    ///     .organization_roles()
    ///     .update("role_2x", UpdateOrganizationRole::new().name("Finance").description(Patch::Null))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(
        &self,
        role_id: &str,
        params: UpdateOrganizationRole,
    ) -> Result<OrganizationRole> {
        self.clerk
            .send(ApiRequest::patch(&["organization_roles", role_id])?.json(&params)?)
            .await
    }

    /// Deletes a role no member holds (`DELETE /organization_roles/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// assert!(clerk.organization_roles().delete("role_2x").await?.deleted);
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, role_id: &str) -> Result<DeletedObject> {
        self.clerk
            .send(ApiRequest::delete(&["organization_roles", role_id])?)
            .await
    }

    /// Grants a permission to a role
    /// (`POST /organization_roles/{id}/permissions/{permission_id}`, no body).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let role = clerk.organization_roles().assign_permission("role_2x", "perm_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn assign_permission(
        &self,
        role_id: &str,
        permission_id: &str,
    ) -> Result<OrganizationRole> {
        let path = ["organization_roles", role_id, "permissions", permission_id];
        self.clerk.send(ApiRequest::post(&path)?).await
    }

    /// Takes a permission away from a role
    /// (`DELETE /organization_roles/{id}/permissions/{permission_id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let role = clerk.organization_roles().remove_permission("role_2x", "perm_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn remove_permission(
        &self,
        role_id: &str,
        permission_id: &str,
    ) -> Result<OrganizationRole> {
        let path = ["organization_roles", role_id, "permissions", permission_id];
        self.clerk.send(ApiRequest::delete(&path)?).await
    }
}

/// Filters and paging for [`OrganizationRoles::list`] and [`OrganizationRoles::stream`].
///
/// ```
/// let params = clerk_sdk::ListOrganizationRoles::new().query("admin").order_by("key");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListOrganizationRoles {
    query: Option<String>,
    order_by: Option<String>,
    paging: Paging,
}

impl ListOrganizationRoles {
    /// No filters, API default paging.
    ///
    /// ```
    /// let params = clerk_sdk::ListOrganizationRoles::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "ListOrganizationRoles::new()";
        /// An exact role ID, or part of a name or key.
        query: String,
        /// Sort order: `created_at`, `name` or `key`, with `+` or `-`.
        order_by: String,
    }

    paging_setters!(ListOrganizationRoles, "roles");

    crate::params::query_pairs!("ListOrganizationRoles::new().limit(5)");
}

impl PaginatedList for ListOrganizationRoles {
    type Item = OrganizationRole;
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

/// The body of [`OrganizationRoles::create`]. Only what is set is sent.
///
/// ```
/// use clerk_sdk::CreateOrganizationRole;
/// let params = CreateOrganizationRole::new("Billing", "org:billing")
///     .description("Pays the bills")
///     .permissions(["perm_1", "perm_2"])
///     .include_in_initial_role_set(true);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateOrganizationRole {
    name: String,
    key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    permissions: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    include_in_initial_role_set: Option<bool>,
}

impl CreateOrganizationRole {
    /// A role with this display name and key (`org:<name>`).
    ///
    /// ```
    /// let params = clerk_sdk::CreateOrganizationRole::new("Viewer", "org:viewer");
    /// ```
    pub fn new(name: impl Into<String>, key: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            key: key.into(),
            description: None,
            permissions: None,
            include_in_initial_role_set: None,
        }
    }

    option_setters! {
        "CreateOrganizationRole::new(\"Viewer\", \"org:viewer\")";
        /// A description.
        description: String,
        /// Whether to add the role to the initial role set.
        include_in_initial_role_set: bool,
    }

    /// The IDs of the permissions the role grants.
    ///
    /// ```
    /// let params = clerk_sdk::CreateOrganizationRole::new("Viewer", "org:viewer").permissions(["perm_1"]);
    /// ```
    pub fn permissions<I, S>(mut self, permission_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.permissions = Some(permission_ids.into_iter().map(Into::into).collect());
        self
    }
}

/// The body of [`OrganizationRoles::update`]. A field is left unchanged unless set.
///
/// ```
/// let update = clerk_sdk::UpdateOrganizationRole::new().key("org:finance").permissions(["perm_1"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateOrganizationRole {
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    name: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    key: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    description: Patch<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    permissions: Option<Vec<String>>,
}

impl UpdateOrganizationRole {
    /// An update that changes nothing yet.
    ///
    /// ```
    /// let update = clerk_sdk::UpdateOrganizationRole::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    patch_setters! {
        "UpdateOrganizationRole::new()";
        /// The display name.
        name: String,
        /// The key (`org:<name>`).
        key: String,
        /// A description; `Patch::Null` removes it.
        description: String,
    }

    /// The IDs of every permission the role grants from now on (replacing the list).
    ///
    /// ```
    /// let update = clerk_sdk::UpdateOrganizationRole::new().permissions(Vec::<String>::new()); // none
    /// ```
    pub fn permissions<I, S>(mut self, permission_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.permissions = Some(permission_ids.into_iter().map(Into::into).collect());
        self
    }
}
