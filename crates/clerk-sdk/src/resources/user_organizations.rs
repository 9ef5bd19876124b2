//! A user's organization memberships and invitations: `clerk.users().organization_...`.
//! Kept apart from `users.rs` (already long), on the same handler as Clerk's JS and
//! Python clients put them.

use crate::error::Result;
use crate::models::{OrganizationInvitation, OrganizationInvitationStatus, OrganizationMembership};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::{option_setters, paging_setters};
use crate::query::Query;
use crate::resources::Users;

impl Users<'_> {
    /// One page of the organizations a user belongs to, as memberships, with the
    /// total (`GET /users/{id}/organization_memberships`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ListUserOrganizationMemberships;
    /// let page = clerk
    ///     .users()
    ///     .organization_memberships("user_2x", ListUserOrganizationMemberships::new().limit(50))
    ///     .await?;
    /// for membership in &page {
    ///     println!("{} in {}", membership.role, membership.organization.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn organization_memberships(
        &self,
        user_id: &str,
        params: ListUserOrganizationMemberships,
    ) -> Result<Page<OrganizationMembership>> {
        let path = ["users", user_id, "organization_memberships"];
        self.clerk.list_paginated(&path, params).await
    }

    /// Every organization membership of a user, page after page. See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk
    ///     .users()
    ///     .stream_organization_memberships("user_2x", Default::default())
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn stream_organization_memberships(
        &self,
        user_id: &str,
        params: ListUserOrganizationMemberships,
    ) -> ItemStream<OrganizationMembership> {
        let path = ["users", user_id, "organization_memberships"];
        self.clerk.stream_paginated(&path, params)
    }

    /// One page of the organization invitations sent to a user's email addresses, with
    /// the total (`GET /users/{id}/organization_invitations`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::{ListUserOrganizationInvitations, OrganizationInvitationStatus};
    /// let pending = clerk
    ///     .users()
    ///     .organization_invitations("user_2x", ListUserOrganizationInvitations::new().status(OrganizationInvitationStatus::Pending))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn organization_invitations(
        &self,
        user_id: &str,
        params: ListUserOrganizationInvitations,
    ) -> Result<Page<OrganizationInvitation>> {
        let path = ["users", user_id, "organization_invitations"];
        self.clerk.list_paginated(&path, params).await
    }

    /// Every organization invitation of a user matching the filter, page after page.
    /// See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk
    ///     .users()
    ///     .stream_organization_invitations("user_2x", Default::default())
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn stream_organization_invitations(
        &self,
        user_id: &str,
        params: ListUserOrganizationInvitations,
    ) -> ItemStream<OrganizationInvitation> {
        let path = ["users", user_id, "organization_invitations"];
        self.clerk.stream_paginated(&path, params)
    }
}

/// Paging for [`Users::organization_memberships`] and
/// [`Users::stream_organization_memberships`].
///
/// ```
/// let params = clerk_sdk::ListUserOrganizationMemberships::new().limit(100);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListUserOrganizationMemberships {
    paging: Paging,
}

impl ListUserOrganizationMemberships {
    /// API default paging.
    ///
    /// ```
    /// let params = clerk_sdk::ListUserOrganizationMemberships::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    paging_setters!(ListUserOrganizationMemberships, "memberships");
}

impl PaginatedList for ListUserOrganizationMemberships {
    type Item = OrganizationMembership;
    const ASK_FOR_TOTAL: bool = false;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }
}

/// Filter and paging for [`Users::organization_invitations`] and
/// [`Users::stream_organization_invitations`].
///
/// ```
/// use clerk_sdk::{ListUserOrganizationInvitations, OrganizationInvitationStatus};
/// let params = ListUserOrganizationInvitations::new().status(OrganizationInvitationStatus::Pending);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListUserOrganizationInvitations {
    status: Option<OrganizationInvitationStatus>,
    paging: Paging,
}

impl ListUserOrganizationInvitations {
    /// No filter, API default paging.
    ///
    /// ```
    /// let params = clerk_sdk::ListUserOrganizationInvitations::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "ListUserOrganizationInvitations::new()";
        /// Invitations in this state.
        status: OrganizationInvitationStatus,
    }

    paging_setters!(ListUserOrganizationInvitations, "invitations");
}

impl PaginatedList for ListUserOrganizationInvitations {
    type Item = OrganizationInvitation;
    const ASK_FOR_TOTAL: bool = false;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }

    fn push_filters(&self, query: &mut Query) {
        query.push_opt("status", self.status.as_ref());
    }
}
