//! Organization invitations: `clerk.organization_invitations()`.

use serde::Serialize;
use serde_json::Value;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{OrganizationInvitation, OrganizationInvitationStatus};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::{check_metadata, option_setters, paging_setters};
use crate::query::Query;

impl Clerk {
    /// Invitations to join an organization: create (one or many), list (per
    /// organization or instance-wide), get, revoke. A user's own invitations are
    /// [`Users::organization_invitations`](crate::Users::organization_invitations).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateOrganizationInvitation;
    /// let invitation = clerk
    ///     .organization_invitations()
    ///     .create("org_2x", CreateOrganizationInvitation::new("ada@example.com", "org:member"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn organization_invitations(&self) -> OrganizationInvitations<'_> {
        OrganizationInvitations { clerk: self }
    }
}

/// The organization invitations handler, from [`Clerk::organization_invitations`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let invitations = clerk.organization_invitations();
/// let invitation = invitations.get("org_2x", "orginv_2x").await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct OrganizationInvitations<'a> {
    clerk: &'a Clerk,
}

impl OrganizationInvitations<'_> {
    /// Invites an email address to an organization
    /// (`POST /organizations/{id}/invitations`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateOrganizationInvitation;
    /// let invitation = clerk
    ///     .organization_invitations()
    ///     .create(
    ///         "org_2x",
    ///         CreateOrganizationInvitation::new("ada@example.com", "org:admin")
    ///             .inviter_user_id("user_2x")
    ///             .redirect_url("https://app.example.com/accept")
    ///             .expires_in_days(7),
    ///     )
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(
        &self,
        organization_id: &str,
        params: CreateOrganizationInvitation,
    ) -> Result<OrganizationInvitation> {
        params.check()?;
        let path = ["organizations", organization_id, "invitations"];
        self.clerk
            .send(ApiRequest::post(&path)?.json(&params)?)
            .await
    }

    /// Sends several invitations in one request
    /// (`POST /organizations/{id}/invitations/bulk`, a JSON array); all are created or
    /// none.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateOrganizationInvitation;
    /// let created = clerk
    ///     .organization_invitations()
    ///     .create_bulk("org_2x", [
    ///         CreateOrganizationInvitation::new("ada@example.com", "org:admin"),
    ///         CreateOrganizationInvitation::new("alan@example.com", "org:member"),
    ///     ])
    ///     .await?;
    /// assert_eq!(created.len(), 2);
    /// # Ok(()) }
    /// ```
    pub async fn create_bulk(
        &self,
        organization_id: &str,
        invitations: impl IntoIterator<Item = CreateOrganizationInvitation>,
    ) -> Result<Page<OrganizationInvitation>> {
        let invitations: Vec<_> = invitations.into_iter().collect();
        invitations
            .iter()
            .try_for_each(CreateOrganizationInvitation::check)?;
        let path = ["organizations", organization_id, "invitations", "bulk"];
        self.clerk
            .send(ApiRequest::post(&path)?.json(&invitations)?)
            .await
    }

    /// One page of an organization's invitations with the total
    /// (`GET /organizations/{id}/invitations`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::{ListOrganizationInvitations, OrganizationInvitationStatus};
    /// let pending = clerk
    ///     .organization_invitations()
    ///     .list("org_2x", ListOrganizationInvitations::new().status(OrganizationInvitationStatus::Pending))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn list(
        &self,
        organization_id: &str,
        params: ListOrganizationInvitations,
    ) -> Result<Page<OrganizationInvitation>> {
        let path = ["organizations", organization_id, "invitations"];
        self.clerk.list_paginated(&path, params).await
    }

    /// Every invitation of an organization matching the filters, page after page. See
    /// [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk.organization_invitations().stream("org_2x", Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(
        &self,
        organization_id: &str,
        params: ListOrganizationInvitations,
    ) -> ItemStream<OrganizationInvitation> {
        let path = ["organizations", organization_id, "invitations"];
        self.clerk.stream_paginated(&path, params)
    }

    /// One page of the instance's invitations, all organizations together
    /// (`GET /organization_invitations`); each carries `public_organization_data`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ListAllOrganizationInvitations;
    /// let page = clerk
    ///     .organization_invitations()
    ///     .list_all(ListAllOrganizationInvitations::new().query("example.com"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn list_all(
        &self,
        params: ListAllOrganizationInvitations,
    ) -> Result<Page<OrganizationInvitation>> {
        self.clerk
            .list_paginated(&["organization_invitations"], params)
            .await
    }

    /// Every invitation of the instance matching the filters, page after page. See
    /// [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk.organization_invitations().stream_all(Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream_all(
        &self,
        params: ListAllOrganizationInvitations,
    ) -> ItemStream<OrganizationInvitation> {
        self.clerk
            .stream_paginated(&["organization_invitations"], params)
    }

    /// One page of an organization's pending invitations
    /// (`GET /organizations/{id}/invitations/pending`). Deprecated by Clerk: use
    /// [`list`](Self::list) with `status(Pending)`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// #[allow(deprecated)]
    /// let page = clerk
    ///     .organization_invitations()
    ///     .list_pending("org_2x", clerk_sdk::ListPendingOrganizationInvitations::new().limit(50))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    #[deprecated(note = "deprecated by Clerk: use `list` with `status(Pending)`")]
    pub async fn list_pending(
        &self,
        organization_id: &str,
        params: ListPendingOrganizationInvitations,
    ) -> Result<Page<OrganizationInvitation>> {
        let path = ["organizations", organization_id, "invitations", "pending"];
        self.clerk.list_paginated(&path, params).await
    }

    /// One invitation (`GET /organizations/{id}/invitations/{invitation_id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let invitation = clerk.organization_invitations().get("org_2x", "orginv_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(
        &self,
        organization_id: &str,
        invitation_id: &str,
    ) -> Result<OrganizationInvitation> {
        let path = [
            "organizations",
            organization_id,
            "invitations",
            invitation_id,
        ];
        self.clerk.send(ApiRequest::get(&path)?).await
    }

    /// Revokes a pending invitation, without naming who did
    /// (`POST /organizations/{id}/invitations/{invitation_id}/revoke`, no body, as
    /// Clerk's JS client sends it).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let revoked = clerk.organization_invitations().revoke("org_2x", "orginv_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn revoke(
        &self,
        organization_id: &str,
        invitation_id: &str,
    ) -> Result<OrganizationInvitation> {
        self.clerk
            .send(Self::revoke_request(organization_id, invitation_id)?)
            .await
    }

    /// Revokes a pending invitation on behalf of a member, recorded as
    /// `requesting_user_id`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let revoked = clerk
    ///     .organization_invitations()
    ///     .revoke_as("org_2x", "orginv_2x", "user_2x")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn revoke_as(
        &self,
        organization_id: &str,
        invitation_id: &str,
        requesting_user_id: &str,
    ) -> Result<OrganizationInvitation> {
        #[derive(Serialize)]
        struct Body<'a> {
            requesting_user_id: &'a str,
        }
        let request = Self::revoke_request(organization_id, invitation_id)?
            .json(&Body { requesting_user_id })?;
        self.clerk.send(request).await
    }

    fn revoke_request(organization_id: &str, invitation_id: &str) -> Result<ApiRequest> {
        ApiRequest::post(&[
            "organizations",
            organization_id,
            "invitations",
            invitation_id,
            "revoke",
        ])
    }
}

/// The body of [`OrganizationInvitations::create`], and one item of
/// [`OrganizationInvitations::create_bulk`]. Only what is set is sent.
///
/// ```
/// use clerk_sdk::CreateOrganizationInvitation;
/// let params = CreateOrganizationInvitation::new("ada@example.com", "org:member")
///     .public_metadata(serde_json::json!({"team": "ops"}))
///     .notify(false);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[must_use]
pub struct CreateOrganizationInvitation {
    email_address: String,
    role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    inviter_user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notify: Option<bool>,
}

impl CreateOrganizationInvitation {
    /// Invites this email address, to join with this role key (e.g. `org:member`).
    ///
    /// ```
    /// let params = clerk_sdk::CreateOrganizationInvitation::new("ada@example.com", "org:admin");
    /// ```
    pub fn new(email_address: impl Into<String>, role: impl Into<String>) -> Self {
        Self {
            email_address: email_address.into(),
            role: role.into(),
            inviter_user_id: None,
            public_metadata: None,
            private_metadata: None,
            redirect_url: None,
            expires_in_days: None,
            notify: None,
        }
    }

    option_setters! {
        "CreateOrganizationInvitation::new(\"ada@example.com\", \"org:member\")";
        /// The member sending the invitation.
        inviter_user_id: String,
        /// Metadata copied to the membership; must be a JSON object.
        public_metadata: Value,
        /// Private metadata copied to the membership; must be a JSON object.
        private_metadata: Value,
        /// Where the invitation link leads.
        redirect_url: String,
        /// Days until the invitation expires (API default 30).
        expires_in_days: u32,
        /// Whether Clerk emails the invitation (API default true).
        notify: bool,
    }

    fn check(&self) -> Result<()> {
        check_metadata("public_metadata", self.public_metadata.as_ref())?;
        check_metadata("private_metadata", self.private_metadata.as_ref())
    }
}

/// Filters and paging for [`OrganizationInvitations::list`] and
/// [`OrganizationInvitations::stream`].
///
/// ```
/// use clerk_sdk::{ListOrganizationInvitations, OrganizationInvitationStatus};
/// let params = ListOrganizationInvitations::new()
///     .status(OrganizationInvitationStatus::Pending)
///     .email_address("ada@example.com")
///     .order_by("-created_at");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListOrganizationInvitations {
    status: Option<OrganizationInvitationStatus>,
    email_address: Option<String>,
    order_by: Option<String>,
    paging: Paging,
}

impl ListOrganizationInvitations {
    /// No filters, API default paging.
    ///
    /// ```
    /// let params = clerk_sdk::ListOrganizationInvitations::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "ListOrganizationInvitations::new()";
        /// Invitations in this state.
        status: OrganizationInvitationStatus,
        /// Invitations sent to this address.
        email_address: String,
        /// Sort order: `created_at` or `email_address`, with `+` or `-`.
        order_by: String,
    }

    paging_setters!(ListOrganizationInvitations, "invitations");

    crate::params::query_pairs!("ListOrganizationInvitations::new().limit(5)");
}

impl PaginatedList for ListOrganizationInvitations {
    type Item = OrganizationInvitation;
    const ASK_FOR_TOTAL: bool = false;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }

    fn push_filters(&self, query: &mut Query) {
        query
            .push_opt("status", self.status.as_ref())
            .push_opt("email_address", self.email_address.as_ref())
            .push_opt("order_by", self.order_by.as_ref());
    }
}

/// Filters and paging for [`OrganizationInvitations::list_all`] and
/// [`OrganizationInvitations::stream_all`].
///
/// ```
/// use clerk_sdk::{ListAllOrganizationInvitations, OrganizationInvitationStatus};
/// let params = ListAllOrganizationInvitations::new()
///     .status(OrganizationInvitationStatus::Accepted)
///     .query("ada");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListAllOrganizationInvitations {
    order_by: Option<String>,
    status: Option<OrganizationInvitationStatus>,
    query: Option<String>,
    paging: Paging,
}

impl ListAllOrganizationInvitations {
    /// No filters, API default paging.
    ///
    /// ```
    /// let params = clerk_sdk::ListAllOrganizationInvitations::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "ListAllOrganizationInvitations::new()";
        /// Sort order: `created_at` or `email_address`, with `+` or `-`.
        order_by: String,
        /// Invitations in this state.
        status: OrganizationInvitationStatus,
        /// Match on the invited email address.
        query: String,
    }

    paging_setters!(ListAllOrganizationInvitations, "invitations");
}

impl PaginatedList for ListAllOrganizationInvitations {
    type Item = OrganizationInvitation;
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
            .push_opt("status", self.status.as_ref())
            .push_opt("query", self.query.as_ref());
    }
}

/// Paging for the deprecated [`OrganizationInvitations::list_pending`].
///
/// ```
/// let params = clerk_sdk::ListPendingOrganizationInvitations::new().limit(50);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListPendingOrganizationInvitations {
    paging: Paging,
}

impl ListPendingOrganizationInvitations {
    /// API default paging.
    ///
    /// ```
    /// let params = clerk_sdk::ListPendingOrganizationInvitations::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    paging_setters!(ListPendingOrganizationInvitations, "invitations");
}

impl PaginatedList for ListPendingOrganizationInvitations {
    type Item = OrganizationInvitation;
    const ASK_FOR_TOTAL: bool = false;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }
}
