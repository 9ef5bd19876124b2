//! Block-list identifiers: `clerk.blocklist_identifiers()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{BlocklistIdentifier, DeletedObject};
use crate::pagination::Page;

impl Clerk {
    /// The identifiers refused when the block-list is on: list, create, delete.
    /// Turn the block-list on with
    /// [`Instance::update_restrictions`](crate::resources::Instance::update_restrictions).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let all = clerk.blocklist_identifiers().list().await?;
    /// # Ok(()) }
    /// ```
    pub fn blocklist_identifiers(&self) -> BlocklistIdentifiers<'_> {
        BlocklistIdentifiers { clerk: self }
    }
}

/// The block-list identifiers handler, from [`Clerk::blocklist_identifiers`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let entry = clerk.blocklist_identifiers().create("spam.example").await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct BlocklistIdentifiers<'a> {
    clerk: &'a Clerk,
}

impl BlocklistIdentifiers<'_> {
    /// Every identifier with the total (`GET /blocklist_identifiers`; the API
    /// declares no paging for it).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let page = clerk.blocklist_identifiers().list().await?;
    /// for entry in &page {
    ///     println!("{:?}", entry.identifier);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<Page<BlocklistIdentifier>> {
        self.clerk
            .send(ApiRequest::get(&["blocklist_identifiers"])?)
            .await
    }

    /// Blocks an email address, email domain (`example.com` or `*@example.com`),
    /// phone number or web3 wallet (`POST /blocklist_identifiers`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let entry = clerk.blocklist_identifiers().create("*@spam.example").await?;
    /// assert_eq!(entry.identifier.as_deref(), Some("spam.example"));
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, identifier: impl Into<String>) -> Result<BlocklistIdentifier> {
        #[derive(Serialize)]
        struct Body {
            identifier: String,
        }
        let body = Body {
            identifier: identifier.into(),
        };
        self.clerk
            .send(ApiRequest::post(&["blocklist_identifiers"])?.json(&body)?)
            .await
    }

    /// Removes an identifier from the block-list
    /// (`DELETE /blocklist_identifiers/{identifier_id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let deleted = clerk.blocklist_identifiers().delete("blid_123").await?;
    /// assert!(deleted.deleted);
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, identifier_id: &str) -> Result<DeletedObject> {
        self.clerk
            .send(ApiRequest::delete(&[
                "blocklist_identifiers",
                identifier_id,
            ])?)
            .await
    }
}
