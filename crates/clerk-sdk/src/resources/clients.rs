//! Clients: `clerk.clients()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::Client;
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::paging_setters;

impl Clerk {
    /// Clients (browsers and devices): list, get, verify a client token.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let client = clerk.clients().get("client_2x").await?;
    /// # Ok(()) }
    /// ```
    pub fn clients(&self) -> Clients<'_> {
        Clients { clerk: self }
    }
}

/// The clients handler, from [`Clerk::clients`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let clients = clerk.clients();
/// let client = clients.get("client_2x").await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Clients<'a> {
    clerk: &'a Clerk,
}

impl Clients<'_> {
    /// One page of clients with the total (`GET /clients?paginated=true`).
    /// Deprecated upstream: Clerk may answer 410 `operation_deprecated`.
    /// Ruby: `sdk.clients.all`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let page = clerk.clients().list(clerk_sdk::ListClients::new().limit(20)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, params: ListClients) -> Result<Page<Client>> {
        self.clerk.list_paginated(&["clients"], params).await
    }

    /// Every client, page after page. See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let clients: Vec<clerk_sdk::Client> = clerk.clients().stream(clerk_sdk::ListClients::new()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(&self, params: ListClients) -> ItemStream<Client> {
        self.clerk.stream_paginated(&["clients"], params)
    }

    /// One client (`GET /clients/{id}`). Ruby: `sdk.clients.find(id)`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let client = clerk.clients().get("client_2x").await?;
    /// println!("{} sessions", client.sessions.len());
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, client_id: &str) -> Result<Client> {
        self.clerk
            .send(ApiRequest::get(&["clients", client_id])?)
            .await
    }

    /// Asks the API to verify a client token (the `__client` JWT) and returns
    /// its client (`POST /clients/verify`). Ruby: `sdk.clients.verify_token(jwt)`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk, jwt: &str) -> Result<(), clerk_sdk::Error> {
    /// let client = clerk.clients().verify_token(jwt).await?;
    /// # Ok(()) }
    /// ```
    pub async fn verify_token(&self, token: &str) -> Result<Client> {
        #[derive(Serialize)]
        struct Body<'a> {
            token: &'a str,
        }
        self.clerk
            .send(ApiRequest::post(&["clients", "verify"])?.json(&Body { token })?)
            .await
    }
}

/// Paging for [`Clients::list`] and [`Clients::stream`].
///
/// ```
/// let params = clerk_sdk::ListClients::new().limit(100).offset(200);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListClients {
    paging: Paging,
}

impl ListClients {
    /// API default paging (10 per page).
    ///
    /// ```
    /// let params = clerk_sdk::ListClients::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    paging_setters!(ListClients, "clients");

    /// The query parameters [`Clients::list`] sends, in order: for a caller
    /// that sends the request itself (say, to keep the answer as it came).
    ///
    /// ```
    /// let pairs = clerk_sdk::ListClients::new().limit(5).to_query_pairs();
    /// assert_eq!(pairs, [("paginated".into(), "true".into()), ("limit".into(), "5".into())]);
    /// ```
    pub fn to_query_pairs(&self) -> Vec<(String, String)> {
        self.to_query().into_pairs()
    }
}

impl PaginatedList for ListClients {
    type Item = Client;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }
}
