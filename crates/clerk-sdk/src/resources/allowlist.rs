//! The allowlist switch: `clerk.allowlist()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::InstanceSettings;

impl Clerk {
    /// The allowlist switch. The entries are in [`Clerk::allowlist_identifiers`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// clerk.allowlist().update(true).await?;
    /// # Ok(()) }
    /// ```
    pub fn allowlist(&self) -> Allowlist<'_> {
        Allowlist { clerk: self }
    }
}

/// The allowlist handler, from [`Clerk::allowlist`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let settings = clerk.allowlist().update(true).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Allowlist<'a> {
    clerk: &'a Clerk,
}

impl Allowlist<'_> {
    /// Restricts sign-ups to allowlisted identifiers, or lifts the restriction
    /// (`PATCH /beta_features/instance_settings {"restricted_to_allowlist": ...}`).
    /// The Ruby SDK called `PATCH /beta_features/allowlist`, which the API no
    /// longer lists; [`Instance::update_restrictions`](crate::resources::Instance::update_restrictions)
    /// reaches the same switch as `allowlist`.
    /// Ruby: `sdk.allowlist.update(restricted_to_allowlist: true)`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let settings = clerk.allowlist().update(true).await?;
    /// assert_eq!(settings.restricted_to_allowlist, Some(true));
    /// # Ok(()) }
    /// ```
    pub async fn update(&self, restricted_to_allowlist: bool) -> Result<InstanceSettings> {
        #[derive(Serialize)]
        struct Body {
            restricted_to_allowlist: bool,
        }
        let body = Body {
            restricted_to_allowlist,
        };
        self.clerk
            .send(ApiRequest::patch(&["beta_features", "instance_settings"])?.json(&body)?)
            .await
    }
}
