//! Waitlist entries: `clerk.waitlist_entries()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{DeletedObject, WaitlistEntry, WaitlistEntryStatus};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::{option_setters, paging_setters};
use crate::query::Query;

impl Clerk {
    /// The waitlist: list, add (one or many), invite, reject, delete.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let entry = clerk
    ///     .waitlist_entries()
    ///     .create(clerk_sdk::CreateWaitlistEntry::new("ada@example.com"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn waitlist_entries(&self) -> WaitlistEntries<'_> {
        WaitlistEntries { clerk: self }
    }
}

/// The waitlist entries handler, from [`Clerk::waitlist_entries`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let page = clerk.waitlist_entries().list(Default::default()).await?;
/// println!("{:?} waiting", page.total_count);
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct WaitlistEntries<'a> {
    clerk: &'a Clerk,
}

impl WaitlistEntries<'_> {
    /// One page of entries with the total (`GET /waitlist_entries`), newest first
    /// unless `order_by` says otherwise.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::{ListWaitlistEntries, WaitlistEntryStatus};
    /// let pending = clerk
    ///     .waitlist_entries()
    ///     .list(ListWaitlistEntries::new().status(WaitlistEntryStatus::Pending))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, params: ListWaitlistEntries) -> Result<Page<WaitlistEntry>> {
        self.clerk
            .list_paginated(&["waitlist_entries"], params)
            .await
    }

    /// Every entry matching the filters, page after page. See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk.waitlist_entries().stream(Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(&self, params: ListWaitlistEntries) -> ItemStream<WaitlistEntry> {
        self.clerk.stream_paginated(&["waitlist_entries"], params)
    }

    /// Adds an address to the waitlist (`POST /waitlist_entries`); an address already
    /// on it answers its existing entry.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateWaitlistEntry;
    /// let entry = clerk
    ///     .waitlist_entries()
    ///     .create(CreateWaitlistEntry::new("ada@example.com").notify(false))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateWaitlistEntry) -> Result<WaitlistEntry> {
        self.clerk
            .send(ApiRequest::post(&["waitlist_entries"])?.json(&params)?)
            .await
    }

    /// Adds up to 50 addresses in one request (`POST /waitlist_entries/bulk`, a JSON
    /// array); all are added or none. Answers the entries in the order given.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateWaitlistEntry;
    /// let entries = clerk
    ///     .waitlist_entries()
    ///     .create_bulk([
    ///         CreateWaitlistEntry::new("ada@example.com"),
    ///         CreateWaitlistEntry::new("alan@example.com").notify(false),
    ///     ])
    ///     .await?;
    /// assert_eq!(entries.len(), 2);
    /// # Ok(()) }
    /// ```
    pub async fn create_bulk(
        &self,
        entries: impl IntoIterator<Item = CreateWaitlistEntry>,
    ) -> Result<Vec<WaitlistEntry>> {
        let entries: Vec<_> = entries.into_iter().collect();
        self.clerk
            .send(ApiRequest::post(&["waitlist_entries", "bulk"])?.json(&entries)?)
            .await
    }

    /// Invites an entry (`POST /waitlist_entries/{id}/invite`): it becomes `invited`
    /// and its address gets the invitation email. With `ignore_existing`, an entry
    /// already invited (or an address a user has) is invited again.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let entry = clerk.waitlist_entries().invite("wle_2x", false).await?;
    /// # Ok(()) }
    /// ```
    pub async fn invite(
        &self,
        waitlist_entry_id: &str,
        ignore_existing: bool,
    ) -> Result<WaitlistEntry> {
        #[derive(Serialize)]
        struct Body {
            ignore_existing: bool,
        }
        let path = ["waitlist_entries", waitlist_entry_id, "invite"];
        self.clerk
            .send(ApiRequest::post(&path)?.json(&Body { ignore_existing })?)
            .await
    }

    /// Rejects an entry (`POST /waitlist_entries/{id}/reject`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let entry = clerk.waitlist_entries().reject("wle_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn reject(&self, waitlist_entry_id: &str) -> Result<WaitlistEntry> {
        let path = ["waitlist_entries", waitlist_entry_id, "reject"];
        self.clerk.send(ApiRequest::post(&path)?).await
    }

    /// Deletes a pending entry (`DELETE /waitlist_entries/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let deleted = clerk.waitlist_entries().delete("wle_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, waitlist_entry_id: &str) -> Result<DeletedObject> {
        self.clerk
            .send(ApiRequest::delete(&[
                "waitlist_entries",
                waitlist_entry_id,
            ])?)
            .await
    }
}

/// Filters, order and paging for [`WaitlistEntries::list`].
///
/// ```
/// use clerk_sdk::{ListWaitlistEntries, WaitlistEntryStatus};
/// let params = ListWaitlistEntries::new()
///     .status(WaitlistEntryStatus::Invited)
///     .order_by("-invited_at");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListWaitlistEntries {
    query: Option<String>,
    status: Option<WaitlistEntryStatus>,
    order_by: Option<String>,
    paging: Paging,
}

impl ListWaitlistEntries {
    /// No filters, API default paging.
    ///
    /// ```
    /// let params = clerk_sdk::ListWaitlistEntries::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "ListWaitlistEntries::new()";
        /// Entries whose address contains this text, or with this id.
        query: String,
        /// Entries in this state.
        status: WaitlistEntryStatus,
        /// Sort order: `created_at`, `email_address` or `invited_at`, with `+` or `-`.
        order_by: String,
    }

    paging_setters!(ListWaitlistEntries, "entries");

    crate::params::query_pairs!("ListWaitlistEntries::new().limit(5)");
}

impl PaginatedList for ListWaitlistEntries {
    type Item = WaitlistEntry;
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
            .push_opt("status", self.status.as_ref())
            .push_opt("order_by", self.order_by.as_ref());
    }
}

/// One address to add, for [`WaitlistEntries::create`] and
/// [`WaitlistEntries::create_bulk`].
///
/// ```
/// let params = clerk_sdk::CreateWaitlistEntry::new("ada@example.com").notify(false);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateWaitlistEntry {
    email_address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    notify: Option<bool>,
}

impl CreateWaitlistEntry {
    /// Adds `email_address`; the API sends it a confirmation email unless
    /// [`notify`](Self::notify) is false.
    ///
    /// ```
    /// let params = clerk_sdk::CreateWaitlistEntry::new("ada@example.com");
    /// ```
    pub fn new(email_address: impl Into<String>) -> Self {
        Self {
            email_address: email_address.into(),
            notify: None,
        }
    }

    /// Whether to send the confirmation email (API default true).
    ///
    /// ```
    /// let params = clerk_sdk::CreateWaitlistEntry::new("ada@example.com").notify(false);
    /// ```
    pub fn notify(mut self, notify: bool) -> Self {
        self.notify = Some(notify);
        self
    }
}
