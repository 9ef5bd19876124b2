//! Clients: `clerk.clients()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::Client;
use crate::pagination::{ItemStream, Page, STREAM_PAGE_SIZE, paginate};
use crate::params::option_setters;
use crate::query::Query;

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
        self.clerk
            .send(ApiRequest::get(&["clients"])?.query(params.to_query()))
            .await
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
        let clerk = self.clerk.clone();
        let limit = params.limit.unwrap_or(STREAM_PAGE_SIZE);
        paginate(params.offset.unwrap_or(0), limit, move |offset, limit| {
            let clerk = clerk.clone();
            let params = params.clone().offset(offset).limit(limit);
            async move { clerk.clients().list(params).await }
        })
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
    limit: Option<u32>,
    offset: Option<u64>,
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

    option_setters! {
        /// Page size, 1 to 500 (API default 10).
        limit: u32,
        /// How many clients to skip.
        offset: u64,
    }

    fn to_query(&self) -> Query {
        let mut query = Query::new();
        query
            .push("paginated", true)
            .push_opt("limit", self.limit)
            .push_opt("offset", self.offset);
        query
    }
}
