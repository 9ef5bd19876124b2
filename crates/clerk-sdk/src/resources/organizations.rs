//! Organizations: `clerk.organizations()`.

use serde::Serialize;
use serde_json::Value;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{DeletedObject, Organization};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::{check_metadata, list_setters, option_setters, paging_setters, patch_setters};
use crate::patch::Patch;
use crate::query::Query;
use crate::resources::OrganizationLogo;

impl Clerk {
    /// Organizations: list, get (by ID or slug), create, update, delete, metadata, logo.
    /// Members, invitations and domains have handlers of their own
    /// ([`Clerk::organization_memberships`], [`Clerk::organization_invitations`],
    /// [`Clerk::organization_domains`]).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let org = clerk.organizations().get("acme").await?;
    /// # Ok(()) }
    /// ```
    pub fn organizations(&self) -> Organizations<'_> {
        Organizations { clerk: self }
    }
}

/// The organizations handler, from [`Clerk::organizations`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let organizations = clerk.organizations();
/// let page = organizations.list(clerk_sdk::ListOrganizations::new().query("acme")).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Organizations<'a> {
    clerk: &'a Clerk,
}

impl Organizations<'_> {
    /// One page of organizations with the total (`GET /organizations`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ListOrganizations;
    /// let page = clerk
    ///     .organizations()
    ///     .list(ListOrganizations::new().query("acme").include_members_count(true).limit(20))
    ///     .await?;
    /// for org in &page {
    ///     println!("{} has {:?} members", org.name, org.members_count);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, params: ListOrganizations) -> Result<Page<Organization>> {
        self.clerk.list_paginated(&["organizations"], params).await
    }

    /// Every organization matching the filters, page after page. See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let mine: Vec<_> = clerk
    ///     .organizations()
    ///     .stream(clerk_sdk::ListOrganizations::new().user_id(["user_2x"]))
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(&self, params: ListOrganizations) -> ItemStream<Organization> {
        self.clerk.stream_paginated(&["organizations"], params)
    }

    /// One organization by ID or by slug (`GET /organizations/{id or slug}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let by_id = clerk.organizations().get("org_2x").await?;
    /// let by_slug = clerk.organizations().get("acme").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, id_or_slug: &str) -> Result<Organization> {
        self.get_with(id_or_slug, GetOrganization::new()).await
    }

    /// Like [`get`](Self::get), with counts the API only adds when asked.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::GetOrganization;
    /// let org = clerk
    ///     .organizations()
    ///     .get_with("acme", GetOrganization::new().include_members_count(true))
    ///     .await?;
    /// println!("{:?} members", org.members_count);
    /// # Ok(()) }
    /// ```
    pub async fn get_with(
        &self,
        id_or_slug: &str,
        params: GetOrganization,
    ) -> Result<Organization> {
        let mut query = Query::new();
        query
            .push_opt("include_members_count", params.include_members_count)
            .push_opt(
                "include_missing_member_with_elevated_permissions",
                params.include_missing_member_with_elevated_permissions,
            );
        self.clerk
            .send(ApiRequest::get(&["organizations", id_or_slug])?.query(query))
            .await
    }

    /// Creates an organization (`POST /organizations`); `created_by` becomes its
    /// first admin.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateOrganization;
    /// let org = clerk
    ///     .organizations()
    ///     .create(CreateOrganization::new("Acme").slug("acme").created_by("user_2x"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateOrganization) -> Result<Organization> {
        check_metadata("public_metadata", params.public_metadata.as_ref())?;
        check_metadata("private_metadata", params.private_metadata.as_ref())?;
        self.clerk
            .send(ApiRequest::post(&["organizations"])?.json(&params)?)
            .await
    }

    /// Updates an organization (`PATCH /organizations/{id}`); fields not set stay as
    /// they are. Metadata has its own calls: [`update_metadata`](Self::update_metadata)
    /// and [`replace_metadata`](Self::replace_metadata).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdateOrganization;
    /// let org = clerk
    ///     .organizations()
    ///     .update("org_2x", UpdateOrganization::new().name("Acme Inc.").max_allowed_memberships(50))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(
        &self,
        organization_id: &str,
        params: UpdateOrganization,
    ) -> Result<Organization> {
        self.clerk
            .send(ApiRequest::patch(&["organizations", organization_id])?.json(&params)?)
            .await
    }

    /// Deletes an organization with its memberships and invitations
    /// (`DELETE /organizations/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// assert!(clerk.organizations().delete("org_2x").await?.deleted);
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, organization_id: &str) -> Result<DeletedObject> {
        self.clerk
            .send(ApiRequest::delete(&["organizations", organization_id])?)
            .await
    }

    /// Deep-merges metadata into the organization's
    /// (`PATCH /organizations/{id}/metadata`): nested objects are merged, a `null`
    /// value deletes its key.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::OrganizationMetadata;
    /// use serde_json::json;
    /// let org = clerk
    ///     .organizations()
    ///     .update_metadata("org_2x", OrganizationMetadata::new().public(json!({"plan": "pro", "trial": null})))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_metadata(
        &self,
        organization_id: &str,
        metadata: OrganizationMetadata,
    ) -> Result<Organization> {
        metadata.check()?;
        let path = ["organizations", organization_id, "metadata"];
        self.clerk
            .send(ApiRequest::patch(&path)?.json(&metadata)?)
            .await
    }

    /// Replaces each metadata object given, wholesale
    /// (`PUT /organizations/{id}/metadata`); the ones not given stay as they are.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::OrganizationMetadata;
    /// let org = clerk
    ///     .organizations()
    ///     .replace_metadata("org_2x", OrganizationMetadata::new().private(serde_json::json!({})))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn replace_metadata(
        &self,
        organization_id: &str,
        metadata: OrganizationMetadata,
    ) -> Result<Organization> {
        metadata.check()?;
        let path = ["organizations", organization_id, "metadata"];
        self.clerk
            .send(ApiRequest::put(&path)?.json(&metadata)?)
            .await
    }

    /// Uploads the organization's logo, as `multipart/form-data`
    /// (`PUT /organizations/{id}/logo`). The answer's `image_url` points at it.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::OrganizationLogo;
    /// let png = std::fs::read("logo.png").expect("a logo");
    /// let org = clerk
    ///     .organizations()
    ///     .upload_logo("org_2x", OrganizationLogo::new(png).file_name("logo.png").uploader_user_id("user_2x"))
    ///     .await?;
    /// println!("{:?}", org.image_url);
    /// # Ok(()) }
    /// ```
    pub async fn upload_logo(
        &self,
        organization_id: &str,
        logo: OrganizationLogo,
    ) -> Result<Organization> {
        let path = ["organizations", organization_id, "logo"];
        self.clerk
            .send(ApiRequest::put(&path)?.multipart(&logo.form())?)
            .await
    }

    /// Removes the organization's logo (`DELETE /organizations/{id}/logo`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let org = clerk.organizations().delete_logo("org_2x").await?;
    /// assert!(!org.has_image);
    /// # Ok(()) }
    /// ```
    pub async fn delete_logo(&self, organization_id: &str) -> Result<Organization> {
        self.clerk
            .send(ApiRequest::delete(&[
                "organizations",
                organization_id,
                "logo",
            ])?)
            .await
    }
}

/// Filters and paging for [`Organizations::list`] and [`Organizations::stream`]:
/// every parameter of `GET /organizations` in API version 2026-05-12.
///
/// ```
/// use clerk_sdk::ListOrganizations;
/// let params = ListOrganizations::new()
///     .query("acme")
///     .user_id(["user_1", "user_2"])
///     .order_by("-members_count")
///     .limit(50);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListOrganizations {
    include_members_count: Option<bool>,
    include_missing_member_with_elevated_permissions: Option<bool>,
    query: Option<String>,
    user_id: Vec<String>,
    organization_id: Vec<String>,
    order_by: Option<String>,
    paging: Paging,
}

impl ListOrganizations {
    /// No filters: every organization, API default paging.
    ///
    /// ```
    /// let params = clerk_sdk::ListOrganizations::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "ListOrganizations::new()";
        /// Add `members_count` to each organization.
        include_members_count: bool,
        /// Add `missing_member_with_elevated_permissions` to each organization.
        include_missing_member_with_elevated_permissions: bool,
        /// Partial match on ID, name or slug.
        query: String,
        /// Sort order: `name`, `created_at` or `members_count`, with `+` or `-`.
        order_by: String,
    }

    list_setters! {
        "ListOrganizations::new()";
        /// Organizations any of these users belong to; a `-` prefix excludes a user's.
        user_id,
        /// Only these organizations; a `-` prefix excludes one.
        organization_id,
    }

    paging_setters!(ListOrganizations, "organizations");

    crate::params::query_pairs!("ListOrganizations::new().limit(5)");
}

impl PaginatedList for ListOrganizations {
    type Item = Organization;
    const ASK_FOR_TOTAL: bool = false;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }

    fn push_filters(&self, query: &mut Query) {
        query
            .push_opt("include_members_count", self.include_members_count)
            .push_opt(
                "include_missing_member_with_elevated_permissions",
                self.include_missing_member_with_elevated_permissions,
            )
            .push_opt("query", self.query.as_ref())
            .push_all("user_id", &self.user_id)
            .push_all("organization_id", &self.organization_id)
            .push_opt("order_by", self.order_by.as_ref());
    }
}

/// What [`Organizations::get_with`] asks the API to add.
///
/// ```
/// let params = clerk_sdk::GetOrganization::new().include_members_count(true);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct GetOrganization {
    include_members_count: Option<bool>,
    include_missing_member_with_elevated_permissions: Option<bool>,
}

impl GetOrganization {
    /// Nothing extra.
    ///
    /// ```
    /// let params = clerk_sdk::GetOrganization::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "GetOrganization::new()";
        /// Add `members_count`.
        include_members_count: bool,
        /// Add `missing_member_with_elevated_permissions`.
        include_missing_member_with_elevated_permissions: bool,
    }
}

/// The body of [`Organizations::create`]: every field of `POST /organizations` in API
/// version 2026-05-12. Only what is set is sent.
///
/// ```
/// use clerk_sdk::CreateOrganization;
/// let params = CreateOrganization::new("Acme")
///     .slug("acme")
///     .created_by("user_2x")
///     .max_allowed_memberships(25)
///     .public_metadata(serde_json::json!({"tier": "gold"}));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[must_use]
pub struct CreateOrganization {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_allowed_memberships: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role_set_key: Option<String>,
}

impl CreateOrganization {
    /// An organization with this name (at most 256 characters, no URLs or HTML).
    ///
    /// ```
    /// let params = clerk_sdk::CreateOrganization::new("Acme");
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            created_by: None,
            private_metadata: None,
            public_metadata: None,
            slug: None,
            max_allowed_memberships: None,
            created_at: None,
            role_set_key: None,
        }
    }

    option_setters! {
        "CreateOrganization::new(\"Acme\")";
        /// The user who becomes its first admin.
        created_by: String,
        /// Metadata only the backend sees; must be a JSON object.
        private_metadata: Value,
        /// Metadata the frontend can read; must be a JSON object.
        public_metadata: Value,
        /// The URL slug: lowercase letters, digits and `-`, unique in the instance.
        slug: String,
        /// Most members allowed (0: unlimited).
        max_allowed_memberships: i64,
        /// When it was created, if earlier (RFC 3339).
        created_at: String,
        /// The role set its members' roles come from.
        role_set_key: String,
    }
}

/// The body of [`Organizations::update`]: every field of
/// `PATCH /organizations/{id}` in API version 2026-05-12. A field is left unchanged
/// unless set.
///
/// ```
/// use clerk_sdk::UpdateOrganization;
/// let update = UpdateOrganization::new().slug("acme-inc").admin_delete_enabled(false);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[must_use]
pub struct UpdateOrganization {
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    name: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    slug: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    max_allowed_memberships: Patch<i64>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    admin_delete_enabled: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    created_at: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    role_set_key: Patch<String>,
}

impl UpdateOrganization {
    /// An update that changes nothing yet.
    ///
    /// ```
    /// let update = clerk_sdk::UpdateOrganization::new().name("Acme");
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    patch_setters! {
        "UpdateOrganization::new()";
        /// The name.
        name: String,
        /// The URL slug, unique in the instance.
        slug: String,
        /// Most members allowed (0: unlimited).
        max_allowed_memberships: i64,
        /// Whether admins may delete the organization from the frontend.
        admin_delete_enabled: bool,
        /// When it was created (RFC 3339).
        created_at: String,
        /// The role set its members' roles come from.
        role_set_key: String,
    }
}

/// Public and private metadata, for [`Organizations::update_metadata`] (deep merge) and
/// [`Organizations::replace_metadata`] (wholesale), and for a membership's
/// [`update_metadata`](crate::OrganizationMemberships::update_metadata). Each value
/// must be a JSON object.
///
/// ```
/// use clerk_sdk::OrganizationMetadata;
/// use serde_json::json;
/// let metadata = OrganizationMetadata::new()
///     .public(json!({"plan": "pro"}))
///     .private(json!({"stripe_id": "cus_1"}));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[must_use]
pub struct OrganizationMetadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    public_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_metadata: Option<Value>,
}

impl OrganizationMetadata {
    /// No metadata yet.
    ///
    /// ```
    /// let metadata = clerk_sdk::OrganizationMetadata::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// `public_metadata`: readable from the frontend.
    ///
    /// ```
    /// let metadata = clerk_sdk::OrganizationMetadata::new().public(serde_json::json!({"tier": "gold"}));
    /// ```
    pub fn public(mut self, metadata: Value) -> Self {
        self.public_metadata = Some(metadata);
        self
    }

    /// `private_metadata`: visible to the backend only.
    ///
    /// ```
    /// let metadata = clerk_sdk::OrganizationMetadata::new().private(serde_json::json!({"crm_id": 7}));
    /// ```
    pub fn private(mut self, metadata: Value) -> Self {
        self.private_metadata = Some(metadata);
        self
    }

    pub(crate) fn check(&self) -> Result<()> {
        check_metadata("public_metadata", self.public_metadata.as_ref())?;
        check_metadata("private_metadata", self.private_metadata.as_ref())
    }
}
