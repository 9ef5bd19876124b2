//! Allowlist identifiers: `clerk.allowlist_identifiers()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{AllowlistIdentifier, DeletedObject};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::paging_setters;

impl Clerk {
    /// The identifiers allowed to sign up when the allowlist is on: list,
    /// create, delete. Turn the allowlist on with [`Clerk::allowlist`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let page = clerk.allowlist_identifiers().list(Default::default()).await?;
    /// # Ok(()) }
    /// ```
    pub fn allowlist_identifiers(&self) -> AllowlistIdentifiers<'_> {
        AllowlistIdentifiers { clerk: self }
    }
}

/// The allowlist identifiers handler, from [`Clerk::allowlist_identifiers`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let identifiers = clerk.allowlist_identifiers();
/// let page = identifiers.list(clerk_sdk::ListAllowlistIdentifiers::new()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct AllowlistIdentifiers<'a> {
    clerk: &'a Clerk,
}

impl AllowlistIdentifiers<'_> {
    /// One page of identifiers with the total
    /// (`GET /allowlist_identifiers?paginated=true`). Ruby: `sdk.allowlist_identifiers.all`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ListAllowlistIdentifiers;
    /// let page = clerk.allowlist_identifiers().list(ListAllowlistIdentifiers::new().limit(100)).await?;
    /// for entry in &page {
    ///     println!("{:?}", entry.identifier);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(
        &self,
        params: ListAllowlistIdentifiers,
    ) -> Result<Page<AllowlistIdentifier>> {
        self.clerk
            .list_paginated(&["allowlist_identifiers"], params)
            .await
    }

    /// Every identifier, page after page. See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk.allowlist_identifiers().stream(Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(&self, params: ListAllowlistIdentifiers) -> ItemStream<AllowlistIdentifier> {
        self.clerk
            .stream_paginated(&["allowlist_identifiers"], params)
    }

    /// Adds an identifier to the allowlist (`POST /allowlist_identifiers`).
    /// Ruby: `sdk.allowlist_identifiers.create(identifier:, notify:)`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateAllowlistIdentifier;
    /// let entry = clerk
    ///     .allowlist_identifiers()
    ///     .create(CreateAllowlistIdentifier::new("john@example.com").notify(true))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateAllowlistIdentifier) -> Result<AllowlistIdentifier> {
        self.clerk
            .send(ApiRequest::post(&["allowlist_identifiers"])?.json(&params)?)
            .await
    }

    /// Removes an identifier (`DELETE /allowlist_identifiers/{id}`).
    /// Ruby: `sdk.allowlist_identifiers.delete(id)`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let deleted = clerk.allowlist_identifiers().delete("alid_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, identifier_id: &str) -> Result<DeletedObject> {
        self.clerk
            .send(ApiRequest::delete(&[
                "allowlist_identifiers",
                identifier_id,
            ])?)
            .await
    }
}

/// Paging for [`AllowlistIdentifiers::list`] and [`AllowlistIdentifiers::stream`].
///
/// ```
/// let params = clerk_sdk::ListAllowlistIdentifiers::new().limit(100);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListAllowlistIdentifiers {
    paging: Paging,
}

impl ListAllowlistIdentifiers {
    /// API default paging (10 per page).
    ///
    /// ```
    /// let params = clerk_sdk::ListAllowlistIdentifiers::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    paging_setters!(ListAllowlistIdentifiers, "identifiers");

    /// The query parameters [`AllowlistIdentifiers::list`] sends, in order:
    /// for a caller that sends the request itself (say, to keep the answer as
    /// it came).
    ///
    /// ```
    /// let pairs = clerk_sdk::ListAllowlistIdentifiers::new().offset(20).to_query_pairs();
    /// assert_eq!(pairs, [("paginated".into(), "true".into()), ("offset".into(), "20".into())]);
    /// ```
    pub fn to_query_pairs(&self) -> Vec<(String, String)> {
        self.to_query().into_pairs()
    }
}

impl PaginatedList for ListAllowlistIdentifiers {
    type Item = AllowlistIdentifier;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }
}

/// The body of [`AllowlistIdentifiers::create`].
///
/// ```
/// let params = clerk_sdk::CreateAllowlistIdentifier::new("example.com"); // a whole domain
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateAllowlistIdentifier {
    identifier: String,
    notify: bool,
}

impl CreateAllowlistIdentifier {
    /// Allows an email address, phone number, web3 wallet or email domain.
    ///
    /// ```
    /// let params = clerk_sdk::CreateAllowlistIdentifier::new("+15555550100");
    /// ```
    pub fn new(identifier: impl Into<String>) -> Self {
        Self {
            identifier: identifier.into(),
            notify: false,
        }
    }

    /// Whether to send the identifier an invitation (email addresses and
    /// phone numbers only; default false).
    ///
    /// ```
    /// let params = clerk_sdk::CreateAllowlistIdentifier::new("ada@example.com").notify(true);
    /// ```
    pub fn notify(mut self, notify: bool) -> Self {
        self.notify = notify;
        self
    }
}
