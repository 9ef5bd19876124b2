//! Redirect URLs: `clerk.redirect_urls()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{DeletedObject, RedirectUrl};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::{paging_setters, query_pairs};

impl Clerk {
    /// The URLs the instance may redirect to: list, create, get, delete.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let page = clerk.redirect_urls().list(Default::default()).await?;
    /// # Ok(()) }
    /// ```
    pub fn redirect_urls(&self) -> RedirectUrls<'_> {
        RedirectUrls { clerk: self }
    }
}

/// The redirect URLs handler, from [`Clerk::redirect_urls`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let url = clerk.redirect_urls().create("my-app://oauth-callback").await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct RedirectUrls<'a> {
    clerk: &'a Clerk,
}

impl RedirectUrls<'_> {
    /// One page of redirect URLs with the total (`GET /redirect_urls?paginated=true`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ListRedirectUrls;
    /// let page = clerk.redirect_urls().list(ListRedirectUrls::new().limit(100)).await?;
    /// for url in &page {
    ///     println!("{}", url.url);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, params: ListRedirectUrls) -> Result<Page<RedirectUrl>> {
        self.clerk.list_paginated(&["redirect_urls"], params).await
    }

    /// Every redirect URL, page after page. See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk.redirect_urls().stream(Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(&self, params: ListRedirectUrls) -> ItemStream<RedirectUrl> {
        self.clerk.stream_paginated(&["redirect_urls"], params)
    }

    /// Adds a redirect URL, `https://…` or a custom scheme (`POST /redirect_urls`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let url = clerk.redirect_urls().create("https://my-app.com/oauth-callback").await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, url: impl Into<String>) -> Result<RedirectUrl> {
        #[derive(Serialize)]
        struct Body {
            url: String,
        }
        let body = Body { url: url.into() };
        self.clerk
            .send(ApiRequest::post(&["redirect_urls"])?.json(&body)?)
            .await
    }

    /// One redirect URL (`GET /redirect_urls/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let url = clerk.redirect_urls().get("ru_123").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, id: &str) -> Result<RedirectUrl> {
        self.clerk
            .send(ApiRequest::get(&["redirect_urls", id])?)
            .await
    }

    /// Removes a redirect URL (`DELETE /redirect_urls/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let deleted = clerk.redirect_urls().delete("ru_123").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, id: &str) -> Result<DeletedObject> {
        self.clerk
            .send(ApiRequest::delete(&["redirect_urls", id])?)
            .await
    }
}

/// Paging for [`RedirectUrls::list`] and [`RedirectUrls::stream`].
///
/// ```
/// let params = clerk_sdk::ListRedirectUrls::new().limit(100);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListRedirectUrls {
    paging: Paging,
}

impl ListRedirectUrls {
    /// API default paging (10 per page).
    ///
    /// ```
    /// let params = clerk_sdk::ListRedirectUrls::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    paging_setters!(ListRedirectUrls, "redirect URLs");

    query_pairs!("ListRedirectUrls::new().limit(5)");
}

impl PaginatedList for ListRedirectUrls {
    type Item = RedirectUrl;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }
}
