//! Instance settings and restrictions: `clerk.instance()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{InstanceRestrictions, InstanceSettings};
use crate::params::patch_setters;
use crate::patch::Patch;

impl Clerk {
    /// Instance-wide settings and restrictions.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdateInstanceRestrictions;
    /// clerk.instance().update_restrictions(UpdateInstanceRestrictions::new().blocklist(true)).await?;
    /// # Ok(()) }
    /// ```
    pub fn instance(&self) -> Instance<'_> {
        Instance { clerk: self }
    }
}

/// The instance handler, from [`Clerk::instance`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let instance = clerk.instance();
/// instance.update_restrictions(clerk_sdk::UpdateInstanceRestrictions::new().allowlist(true)).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Instance<'a> {
    clerk: &'a Clerk,
}

impl Instance<'_> {
    /// Updates the instance's restrictions (`PATCH /instance/restrictions`);
    /// fields not set stay as they are.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdateInstanceRestrictions;
    /// let restrictions = clerk
    ///     .instance()
    ///     .update_restrictions(UpdateInstanceRestrictions::new().allowlist(true).block_email_subaddresses(true))
    ///     .await?;
    /// assert!(restrictions.allowlist);
    /// # Ok(()) }
    /// ```
    pub async fn update_restrictions(
        &self,
        params: UpdateInstanceRestrictions,
    ) -> Result<InstanceRestrictions> {
        self.clerk
            .send(ApiRequest::patch(&["instance", "restrictions"])?.json(&params)?)
            .await
    }

    /// Updates instance settings (`PATCH /beta_features/instance_settings`);
    /// fields not set stay as they are. [`Clerk::allowlist`] is the shortcut
    /// for `restricted_to_allowlist`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdateInstanceSettings;
    /// clerk.instance().update_settings(UpdateInstanceSettings::new().from_email_address("hello")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_settings(
        &self,
        params: UpdateInstanceSettings,
    ) -> Result<InstanceSettings> {
        self.clerk
            .send(ApiRequest::patch(&["beta_features", "instance_settings"])?.json(&params)?)
            .await
    }
}

/// The body of [`Instance::update_restrictions`].
///
/// ```
/// let params = clerk_sdk::UpdateInstanceRestrictions::new().allowlist(true).blocklist(false);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateInstanceRestrictions {
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    allowlist: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    blocklist: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    allowlist_blocklist_disabled_on_sign_in: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    block_email_subaddresses: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    block_disposable_email_domains: Patch<bool>,
}

impl UpdateInstanceRestrictions {
    /// Changes nothing yet.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateInstanceRestrictions::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    patch_setters! {
        "UpdateInstanceRestrictions::new()";
        /// Only allowlisted identifiers may sign up.
        allowlist: bool,
        /// Blocklisted identifiers are refused.
        blocklist: bool,
        /// Ignore the allowlist and blocklist on sign-in.
        allowlist_blocklist_disabled_on_sign_in: bool,
        /// Refuse email subaddresses (`a+b@x.com`).
        block_email_subaddresses: bool,
        /// Refuse disposable email domains.
        block_disposable_email_domains: bool,
    }
}

/// The body of [`Instance::update_settings`].
///
/// ```
/// let params = clerk_sdk::UpdateInstanceSettings::new().restricted_to_allowlist(true).test_mode(false);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateInstanceSettings {
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    restricted_to_allowlist: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    from_email_address: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    progressive_sign_up: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    test_mode: Patch<bool>,
}

impl UpdateInstanceSettings {
    /// Changes nothing yet.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateInstanceSettings::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    patch_setters! {
        "UpdateInstanceSettings::new()";
        /// Only allowlisted identifiers may sign up.
        restricted_to_allowlist: bool,
        /// The local part of the address authentication emails come from (alphanumeric).
        from_email_address: String,
        /// Progressive sign-up (deprecated by Clerk).
        progressive_sign_up: bool,
        /// Test mode: accept test email addresses and phone numbers.
        test_mode: bool,
    }
}
