//! Organization memberships: `clerk.organization_memberships()`.

use serde::Serialize;
use serde_json::Value;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::OrganizationMembership;
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::{check_metadata, list_setters, option_setters, paging_setters};
use crate::query::Query;
use crate::resources::OrganizationMetadata;

impl Clerk {
    /// Who belongs to which organization, with which role: list (per organization or
    /// instance-wide), add, change role or metadata, remove. A user's own memberships
    /// are [`Users::organization_memberships`](crate::Users::organization_memberships).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateOrganizationMembership;
    /// clerk
    ///     .organization_memberships()
    ///     .create("org_2x", CreateOrganizationMembership::new("user_2x", "org:member"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn organization_memberships(&self) -> OrganizationMemberships<'_> {
        OrganizationMemberships { clerk: self }
    }
}

/// The organization memberships handler, from [`Clerk::organization_memberships`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let memberships = clerk.organization_memberships();
/// let admins = memberships
///     .list("org_2x", clerk_sdk::ListOrganizationMemberships::new().role(["org:admin"]))
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct OrganizationMemberships<'a> {
    clerk: &'a Clerk,
}

impl OrganizationMemberships<'_> {
    /// One page of an organization's memberships with the total
    /// (`GET /organizations/{id}/memberships`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ListOrganizationMemberships;
    /// let page = clerk
    ///     .organization_memberships()
    ///     .list("org_2x", ListOrganizationMemberships::new().email_address(["ada@example.com"]))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn list(
        &self,
        organization_id: &str,
        params: ListOrganizationMemberships,
    ) -> Result<Page<OrganizationMembership>> {
        let path = ["organizations", organization_id, "memberships"];
        self.clerk.list_paginated(&path, params).await
    }

    /// Every membership of an organization matching the filters, page after page. See
    /// [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let mut members = clerk.organization_memberships().stream("org_2x", Default::default());
    /// while let Some(membership) = members.try_next().await? {
    ///     println!("{:?} is {}", membership.public_user_data.map(|u| u.user_id), membership.role);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream(
        &self,
        organization_id: &str,
        params: ListOrganizationMemberships,
    ) -> ItemStream<OrganizationMembership> {
        let path = ["organizations", organization_id, "memberships"];
        self.clerk.stream_paginated(&path, params)
    }

    /// One page of every membership of the instance, all organizations together
    /// (`GET /organization_memberships`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ListAllOrganizationMemberships;
    /// let page = clerk
    ///     .organization_memberships()
    ///     .list_all(ListAllOrganizationMemberships::new().order_by("-created_at"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn list_all(
        &self,
        params: ListAllOrganizationMemberships,
    ) -> Result<Page<OrganizationMembership>> {
        self.clerk
            .list_paginated(&["organization_memberships"], params)
            .await
    }

    /// Every membership of the instance, page after page. See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk.organization_memberships().stream_all(Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream_all(
        &self,
        params: ListAllOrganizationMemberships,
    ) -> ItemStream<OrganizationMembership> {
        self.clerk
            .stream_paginated(&["organization_memberships"], params)
    }

    /// Adds a user to an organization with a role
    /// (`POST /organizations/{id}/memberships`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateOrganizationMembership;
    /// let membership = clerk
    ///     .organization_memberships()
    ///     .create("org_2x", CreateOrganizationMembership::new("user_2x", "org:admin"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(
        &self,
        organization_id: &str,
        params: CreateOrganizationMembership,
    ) -> Result<OrganizationMembership> {
        check_metadata("public_metadata", params.public_metadata.as_ref())?;
        check_metadata("private_metadata", params.private_metadata.as_ref())?;
        let path = ["organizations", organization_id, "memberships"];
        self.clerk
            .send(ApiRequest::post(&path)?.json(&params)?)
            .await
    }

    /// Changes a member's role (`PATCH /organizations/{id}/memberships/{user_id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let membership = clerk
    ///     .organization_memberships()
    ///     .update_role("org_2x", "user_2x", "org:admin")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_role(
        &self,
        organization_id: &str,
        user_id: &str,
        role: &str,
    ) -> Result<OrganizationMembership> {
        #[derive(Serialize)]
        struct Body<'a> {
            role: &'a str,
        }
        let path = ["organizations", organization_id, "memberships", user_id];
        self.clerk
            .send(ApiRequest::patch(&path)?.json(&Body { role })?)
            .await
    }

    /// Deep-merges metadata into a membership's
    /// (`PATCH /organizations/{id}/memberships/{user_id}/metadata`): nested objects are
    /// merged, a `null` value deletes its key.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::OrganizationMetadata;
    /// let membership = clerk
    ///     .organization_memberships()
    ///     .update_metadata("org_2x", "user_2x", OrganizationMetadata::new().public(serde_json::json!({"team": "ops"})))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_metadata(
        &self,
        organization_id: &str,
        user_id: &str,
        metadata: OrganizationMetadata,
    ) -> Result<OrganizationMembership> {
        metadata.check()?;
        let path = [
            "organizations",
            organization_id,
            "memberships",
            user_id,
            "metadata",
        ];
        self.clerk
            .send(ApiRequest::patch(&path)?.json(&metadata)?)
            .await
    }

    /// Removes a user from an organization
    /// (`DELETE /organizations/{id}/memberships/{user_id}`); answers the membership
    /// that was removed.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let removed = clerk.organization_memberships().delete("org_2x", "user_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(
        &self,
        organization_id: &str,
        user_id: &str,
    ) -> Result<OrganizationMembership> {
        let path = ["organizations", organization_id, "memberships", user_id];
        self.clerk.send(ApiRequest::delete(&path)?).await
    }
}

/// Filters and paging for [`OrganizationMemberships::list`] and
/// [`OrganizationMemberships::stream`]: every parameter of
/// `GET /organizations/{id}/memberships` in API version 2026-05-12. Array filters are
/// sent as repeated keys and match any of the values; different filters must all match.
///
/// ```
/// use clerk_sdk::ListOrganizationMemberships;
/// let params = ListOrganizationMemberships::new()
///     .role(["org:admin", "org:billing"])
///     .email_address_query("@example.com")
///     .created_at_after(1_700_000_000_000_i64)
///     .order_by("-created_at")
///     .limit(50);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListOrganizationMemberships {
    order_by: Option<String>,
    user_id: Vec<String>,
    email_address: Vec<String>,
    phone_number: Vec<String>,
    username: Vec<String>,
    web3_wallet: Vec<String>,
    role: Vec<String>,
    query: Option<String>,
    email_address_query: Option<String>,
    phone_number_query: Option<String>,
    username_query: Option<String>,
    name_query: Option<String>,
    last_active_at_before: Option<i64>,
    last_active_at_after: Option<i64>,
    created_at_before: Option<i64>,
    created_at_after: Option<i64>,
    paging: Paging,
}

impl ListOrganizationMemberships {
    /// No filters: every member, API default paging.
    ///
    /// ```
    /// let params = clerk_sdk::ListOrganizationMemberships::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    list_setters! {
        "ListOrganizationMemberships::new()";
        /// Members with any of these user IDs; a `-` prefix excludes one.
        user_id,
        /// Members with any of these email addresses.
        email_address,
        /// Members with any of these phone numbers.
        phone_number,
        /// Members with any of these usernames.
        username,
        /// Members with any of these web3 wallets.
        web3_wallet,
        /// Members with any of these roles, e.g. `org:admin`.
        role,
    }

    option_setters! {
        "ListOrganizationMemberships::new()";
        /// Sort order: `phone_number`, `email_address`, `created_at`, `first_name`,
        /// `last_name` or `username`, with `+` or `-`.
        order_by: String,
        /// Partial match over email addresses, phone numbers, usernames, web3 wallets,
        /// user IDs and names.
        query: String,
        /// Case-insensitive partial match on email addresses.
        email_address_query: String,
        /// Case-insensitive partial match on phone numbers.
        phone_number_query: String,
        /// Case-insensitive partial match on usernames.
        username_query: String,
        /// Case-insensitive partial match on first and last names.
        name_query: String,
        /// Members last active before this time (Unix ms).
        last_active_at_before: i64,
        /// Members last active after this time (Unix ms).
        last_active_at_after: i64,
        /// Memberships created before this time (Unix ms).
        created_at_before: i64,
        /// Memberships created after this time (Unix ms).
        created_at_after: i64,
    }

    paging_setters!(ListOrganizationMemberships, "memberships");

    crate::params::query_pairs!("ListOrganizationMemberships::new().limit(5)");
}

impl PaginatedList for ListOrganizationMemberships {
    type Item = OrganizationMembership;
    const ASK_FOR_TOTAL: bool = false;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }

    fn push_filters(&self, query: &mut Query) {
        query
            .push_opt("order_by", self.order_by.as_ref())
            .push_all("user_id", &self.user_id)
            .push_all("email_address", &self.email_address)
            .push_all("phone_number", &self.phone_number)
            .push_all("username", &self.username)
            .push_all("web3_wallet", &self.web3_wallet)
            .push_all("role", &self.role)
            .push_opt("query", self.query.as_ref())
            .push_opt("email_address_query", self.email_address_query.as_ref())
            .push_opt("phone_number_query", self.phone_number_query.as_ref())
            .push_opt("username_query", self.username_query.as_ref())
            .push_opt("name_query", self.name_query.as_ref())
            .push_opt("last_active_at_before", self.last_active_at_before)
            .push_opt("last_active_at_after", self.last_active_at_after)
            .push_opt("created_at_before", self.created_at_before)
            .push_opt("created_at_after", self.created_at_after);
    }
}

/// Order and paging for [`OrganizationMemberships::list_all`] and
/// [`OrganizationMemberships::stream_all`].
///
/// ```
/// let params = clerk_sdk::ListAllOrganizationMemberships::new().order_by("+created_at").limit(100);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListAllOrganizationMemberships {
    order_by: Option<String>,
    paging: Paging,
}

impl ListAllOrganizationMemberships {
    /// API default order and paging.
    ///
    /// ```
    /// let params = clerk_sdk::ListAllOrganizationMemberships::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "ListAllOrganizationMemberships::new()";
        /// Sort order: `phone_number`, `email_address`, `created_at`, `first_name`,
        /// `last_name` or `username`, with `+` or `-`.
        order_by: String,
    }

    paging_setters!(ListAllOrganizationMemberships, "memberships");
}

impl PaginatedList for ListAllOrganizationMemberships {
    type Item = OrganizationMembership;
    const ASK_FOR_TOTAL: bool = false;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }

    fn push_filters(&self, query: &mut Query) {
        query.push_opt("order_by", self.order_by.as_ref());
    }
}

/// The body of [`OrganizationMemberships::create`].
///
/// ```
/// use clerk_sdk::CreateOrganizationMembership;
/// let params = CreateOrganizationMembership::new("user_2x", "org:member")
///     .public_metadata(serde_json::json!({"team": "ops"}));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[must_use]
pub struct CreateOrganizationMembership {
    user_id: String,
    role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_metadata: Option<Value>,
}

impl CreateOrganizationMembership {
    /// This user, with this role key (e.g. `org:member`).
    ///
    /// ```
    /// let params = clerk_sdk::CreateOrganizationMembership::new("user_2x", "org:admin");
    /// ```
    pub fn new(user_id: impl Into<String>, role: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            role: role.into(),
            public_metadata: None,
            private_metadata: None,
        }
    }

    option_setters! {
        "CreateOrganizationMembership::new(\"user_2x\", \"org:member\")";
        /// Metadata the frontend can read; must be a JSON object.
        public_metadata: Value,
        /// Metadata only the backend sees; must be a JSON object.
        private_metadata: Value,
    }
}
