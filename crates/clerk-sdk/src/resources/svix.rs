//! The Backend API's Webhooks tag, the instance's Svix app: `clerk.webhooks()`.
//!
//! Named `svix` because [`crate::webhooks`] is the verification of deliveries; this handler
//! manages where deliveries go.

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::SvixUrl;

impl Clerk {
    /// The instance's Svix app, which delivers its webhooks (the Backend API's Webhooks tag;
    /// `clerkClient.webhooks` in Clerk's JavaScript SDK). To verify a delivery, see
    /// [`crate::webhooks`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let app = clerk.webhooks().create_svix_app().await?;
    /// println!("manage endpoints at {}", app.svix_url);
    /// # Ok(()) }
    /// ```
    pub fn webhooks(&self) -> WebhooksApi<'_> {
        WebhooksApi { clerk: self }
    }
}

/// The Svix app handler, from [`Clerk::webhooks`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let dashboard = clerk.webhooks().generate_svix_auth_url().await?;
/// println!("{}", dashboard.svix_url);
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct WebhooksApi<'a> {
    clerk: &'a Clerk,
}

impl WebhooksApi<'_> {
    /// Creates the instance's Svix app and answers a URL to its dashboard
    /// (`POST /webhooks/svix`). A local clerk-server answers the URL of its endpoints
    /// (`<issuer>/_local/webhooks/endpoints`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let app = clerk.webhooks().create_svix_app().await?;
    /// assert!(!app.svix_url.is_empty());
    /// # Ok(()) }
    /// ```
    pub async fn create_svix_app(&self) -> Result<SvixUrl> {
        self.clerk
            .send(ApiRequest::post(&["webhooks", "svix"])?)
            .await
    }

    /// A new URL to the Svix dashboard of the instance (`POST /webhooks/svix_url`); on
    /// clerk.com it works for a limited time.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let dashboard = clerk.webhooks().generate_svix_auth_url().await?;
    /// println!("open {}", dashboard.svix_url);
    /// # Ok(()) }
    /// ```
    pub async fn generate_svix_auth_url(&self) -> Result<SvixUrl> {
        self.clerk
            .send(ApiRequest::post(&["webhooks", "svix_url"])?)
            .await
    }

    /// Deletes the instance's Svix app (`DELETE /webhooks/svix`, answered `204`): no more
    /// deliveries. A local clerk-server removes every webhook endpoint.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// clerk.webhooks().delete_svix_app().await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_svix_app(&self) -> Result<()> {
        self.clerk
            .send(ApiRequest::delete(&["webhooks", "svix"])?)
            .await
    }
}
