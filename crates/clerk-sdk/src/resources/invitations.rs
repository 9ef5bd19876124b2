//! Instance invitations: `clerk.invitations()`.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{Invitation, InvitationStatus};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::{option_setters, paging_setters};
use crate::query::Query;

impl Clerk {
    /// Instance invitations: list, create (one or in bulk), revoke.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateInvitation;
    /// let invitation = clerk.invitations().create(CreateInvitation::new("ada@example.com")).await?;
    /// # Ok(()) }
    /// ```
    pub fn invitations(&self) -> Invitations<'_> {
        Invitations { clerk: self }
    }
}

/// The invitations handler, from [`Clerk::invitations`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let page = clerk.invitations().list(clerk_sdk::ListInvitations::new()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Invitations<'a> {
    clerk: &'a Clerk,
}

impl Invitations<'_> {
    /// One page of invitations with the total (`GET /invitations?paginated=true`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::{InvitationStatus, ListInvitations};
    /// let page = clerk
    ///     .invitations()
    ///     .list(ListInvitations::new().status(InvitationStatus::Pending).query("example.com"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, params: ListInvitations) -> Result<Page<Invitation>> {
        self.clerk.list_paginated(&["invitations"], params).await
    }

    /// Every invitation, page after page. See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk.invitations().stream(Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(&self, params: ListInvitations) -> ItemStream<Invitation> {
        self.clerk.stream_paginated(&["invitations"], params)
    }

    /// Invites an email address (`POST /invitations`); by default the address gets the
    /// invitation email.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateInvitation;
    /// let invitation = clerk
    ///     .invitations()
    ///     .create(CreateInvitation::new("ada@example.com").notify(false).expires_in_days(7))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateInvitation) -> Result<Invitation> {
        self.clerk
            .send(ApiRequest::post(&["invitations"])?.json(&params)?)
            .await
    }

    /// Invites up to 10 addresses at once, all or none (`POST /invitations/bulk`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateInvitation;
    /// let created = clerk
    ///     .invitations()
    ///     .create_bulk([CreateInvitation::new("a@example.com"), CreateInvitation::new("b@example.com")])
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_bulk(
        &self,
        invitations: impl IntoIterator<Item = CreateInvitation>,
    ) -> Result<Vec<Invitation>> {
        let invitations: Vec<_> = invitations.into_iter().collect();
        self.clerk
            .send(ApiRequest::post(&["invitations", "bulk"])?.json(&invitations)?)
            .await
    }

    /// Revokes a pending invitation (`POST /invitations/{id}/revoke`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let revoked = clerk.invitations().revoke("inv_1").await?;
    /// # Ok(()) }
    /// ```
    pub async fn revoke(&self, invitation_id: &str) -> Result<Invitation> {
        self.clerk
            .send(ApiRequest::post(&["invitations", invitation_id, "revoke"])?)
            .await
    }
}

/// Filters and paging for [`Invitations::list`] and [`Invitations::stream`].
///
/// ```
/// use clerk_sdk::{InvitationStatus, ListInvitations};
/// let params = ListInvitations::new().status(InvitationStatus::Revoked).order_by("email_address");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListInvitations {
    status: Option<InvitationStatus>,
    query: Option<String>,
    order_by: Option<String>,
    paging: Paging,
}

impl ListInvitations {
    /// No filters, API default paging (newest first).
    ///
    /// ```
    /// let params = clerk_sdk::ListInvitations::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "ListInvitations::new()";
        /// Invitations in this state.
        status: InvitationStatus,
        /// Match on part of the invited email address.
        query: String,
        /// Sort order: `created_at`, `email_address` or `expires_at`, with `+` or `-`.
        order_by: String,
    }

    paging_setters!(ListInvitations, "invitations");

    /// The query parameters [`Invitations::list`] sends, in order: for a caller that sends
    /// the request itself.
    ///
    /// ```
    /// let pairs = clerk_sdk::ListInvitations::new().query("ada").to_query_pairs();
    /// assert_eq!(pairs, [("query".into(), "ada".into()), ("paginated".into(), "true".into())]);
    /// ```
    pub fn to_query_pairs(&self) -> Vec<(String, String)> {
        self.to_query().into_pairs()
    }
}

impl PaginatedList for ListInvitations {
    type Item = Invitation;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }

    fn push_filters(&self, query: &mut Query) {
        query
            .push_opt("status", self.status.as_ref())
            .push_opt("query", self.query.as_ref())
            .push_opt("order_by", self.order_by.as_ref());
    }
}

/// One invitation to create ([`Invitations::create`], [`Invitations::create_bulk`]).
///
/// ```
/// let params = clerk_sdk::CreateInvitation::new("ada@example.com")
///     .redirect_url("https://app.example.com/welcome")
///     .ignore_existing(true);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[must_use]
pub struct CreateInvitation {
    email_address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_metadata: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notify: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ignore_existing: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in_days: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    template_slug: Option<String>,
}

impl CreateInvitation {
    /// Invites `email_address`.
    ///
    /// ```
    /// let params = clerk_sdk::CreateInvitation::new("ada@example.com");
    /// ```
    pub fn new(email_address: impl Into<String>) -> Self {
        Self {
            email_address: email_address.into(),
            public_metadata: None,
            redirect_url: None,
            notify: None,
            ignore_existing: None,
            expires_in_days: None,
            template_slug: None,
        }
    }

    /// Metadata the new user gets when it accepts.
    ///
    /// ```
    /// let mut meta = serde_json::Map::new();
    /// meta.insert("plan".into(), "pro".into());
    /// let params = clerk_sdk::CreateInvitation::new("ada@example.com").public_metadata(meta);
    /// ```
    pub fn public_metadata(mut self, metadata: Map<String, Value>) -> Self {
        self.public_metadata = Some(metadata);
        self
    }

    /// Where the invitation link leads (it gets `__clerk_ticket`).
    ///
    /// ```
    /// let params = clerk_sdk::CreateInvitation::new("ada@example.com").redirect_url("https://app.example.com");
    /// ```
    pub fn redirect_url(mut self, url: impl Into<String>) -> Self {
        self.redirect_url = Some(url.into());
        self
    }

    /// Whether to send the invitation email (default true).
    ///
    /// ```
    /// let params = clerk_sdk::CreateInvitation::new("ada@example.com").notify(false);
    /// ```
    pub fn notify(mut self, notify: bool) -> Self {
        self.notify = Some(notify);
        self
    }

    /// Create it even if the address already has a pending invitation or a user.
    ///
    /// ```
    /// let params = clerk_sdk::CreateInvitation::new("ada@example.com").ignore_existing(true);
    /// ```
    pub fn ignore_existing(mut self, ignore: bool) -> Self {
        self.ignore_existing = Some(ignore);
        self
    }

    /// Days it stays valid (1 to 365; default 30).
    ///
    /// ```
    /// let params = clerk_sdk::CreateInvitation::new("ada@example.com").expires_in_days(7);
    /// ```
    pub fn expires_in_days(mut self, days: i64) -> Self {
        self.expires_in_days = Some(days);
        self
    }

    /// The email template: `invitation` (default) or `waitlist_invitation`.
    ///
    /// ```
    /// let params = clerk_sdk::CreateInvitation::new("ada@example.com").template_slug("waitlist_invitation");
    /// ```
    pub fn template_slug(mut self, slug: impl Into<String>) -> Self {
        self.template_slug = Some(slug.into());
        self
    }
}
