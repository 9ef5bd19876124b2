//! Instance settings and restrictions: `clerk.instance()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{
    DomainEnrollmentMode, InstanceCommunication, InstanceProtect, InstanceRestrictions,
    InstanceSettings, OAuthApplicationSettings, OrganizationSettings,
};
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

    /// Clerk Protect's switches (`GET /instance/protect`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let protect = clerk.instance().get_protect().await?;
    /// println!("rules: {}", protect.rules_enabled);
    /// # Ok(()) }
    /// ```
    pub async fn get_protect(&self) -> Result<InstanceProtect> {
        self.clerk
            .send(ApiRequest::get(&["instance", "protect"])?)
            .await
    }

    /// Changes Clerk Protect's switches (`PATCH /instance/protect`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdateInstanceProtect;
    /// let protect = clerk.instance().update_protect(UpdateInstanceProtect::new().rules_enabled(true)).await?;
    /// assert!(protect.rules_enabled);
    /// # Ok(()) }
    /// ```
    pub async fn update_protect(&self, params: UpdateInstanceProtect) -> Result<InstanceProtect> {
        self.clerk
            .send(ApiRequest::patch(&["instance", "protect"])?.json(&params)?)
            .await
    }

    /// The SMS communication settings (`GET /instance/communication`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let blocked = clerk.instance().get_communication().await?.blocked_country_codes;
    /// # Ok(()) }
    /// ```
    pub async fn get_communication(&self) -> Result<InstanceCommunication> {
        self.clerk
            .send(ApiRequest::get(&["instance", "communication"])?)
            .await
    }

    /// Replaces the SMS country blocklist (`PATCH /instance/communication`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdateInstanceCommunication;
    /// let params = UpdateInstanceCommunication::new().blocked_country_codes(vec!["KP".to_owned()]);
    /// clerk.instance().update_communication(params).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_communication(
        &self,
        params: UpdateInstanceCommunication,
    ) -> Result<InstanceCommunication> {
        self.clerk
            .send(ApiRequest::patch(&["instance", "communication"])?.json(&params)?)
            .await
    }

    /// The OAuth application settings (`GET /instance/oauth_application_settings`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let settings = clerk.instance().get_oauth_application_settings().await?;
    /// # Ok(()) }
    /// ```
    pub async fn get_oauth_application_settings(&self) -> Result<OAuthApplicationSettings> {
        self.clerk
            .send(ApiRequest::get(&[
                "instance",
                "oauth_application_settings",
            ])?)
            .await
    }

    /// Changes the OAuth application settings
    /// (`PATCH /instance/oauth_application_settings`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdateOAuthApplicationSettings;
    /// let params = UpdateOAuthApplicationSettings::new().oauth_jwt_access_tokens(true);
    /// clerk.instance().update_oauth_application_settings(params).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_oauth_application_settings(
        &self,
        params: UpdateOAuthApplicationSettings,
    ) -> Result<OAuthApplicationSettings> {
        self.clerk
            .send(ApiRequest::patch(&["instance", "oauth_application_settings"])?.json(&params)?)
            .await
    }

    /// The organization settings (`GET /instance/organization_settings`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let settings = clerk.instance().get_organization_settings().await?;
    /// println!("creator role: {}", settings.creator_role);
    /// # Ok(()) }
    /// ```
    pub async fn get_organization_settings(&self) -> Result<OrganizationSettings> {
        self.clerk
            .send(ApiRequest::get(&["instance", "organization_settings"])?)
            .await
    }

    /// Changes the organization settings (`PATCH /instance/organization_settings`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdateOrganizationSettings;
    /// let params = UpdateOrganizationSettings::new().max_allowed_memberships(5);
    /// clerk.instance().update_organization_settings(params).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_organization_settings(
        &self,
        params: UpdateOrganizationSettings,
    ) -> Result<OrganizationSettings> {
        self.clerk
            .send(ApiRequest::patch(&["instance", "organization_settings"])?.json(&params)?)
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

/// The body of [`Instance::update_protect`].
///
/// ```
/// let params = clerk_sdk::UpdateInstanceProtect::new().rules_enabled(true);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateInstanceProtect {
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    rules_enabled: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    specter_enabled: Patch<bool>,
}

impl UpdateInstanceProtect {
    /// Changes nothing yet.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateInstanceProtect::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    patch_setters! {
        "UpdateInstanceProtect::new()";
        /// Protect's rules.
        rules_enabled: bool,
        /// Protect's device fingerprinting (Specter).
        specter_enabled: bool,
    }
}

/// The body of [`Instance::update_communication`].
///
/// ```
/// let params = clerk_sdk::UpdateInstanceCommunication::new().blocked_country_codes(vec!["KP".to_owned()]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateInstanceCommunication {
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    blocked_country_codes: Patch<Vec<String>>,
}

impl UpdateInstanceCommunication {
    /// Changes nothing yet.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateInstanceCommunication::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    patch_setters! {
        "UpdateInstanceCommunication::new()";
        /// The whole list of ISO 3166-1 alpha-2 codes SMS is not sent to.
        blocked_country_codes: Vec<String>,
    }
}

/// The body of [`Instance::update_oauth_application_settings`].
///
/// ```
/// let params = clerk_sdk::UpdateOAuthApplicationSettings::new().dynamic_oauth_client_registration(true);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateOAuthApplicationSettings {
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    dynamic_oauth_client_registration: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    default_scopes: Patch<Vec<String>>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    oauth_jwt_access_tokens: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    client_id_metadata_documents_advertised: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    client_id_metadata_documents_only_allow_pre_registered_clients: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    client_id_metadata_documents_block_implicitly_allowed_clients: Patch<bool>,
}

impl UpdateOAuthApplicationSettings {
    /// Changes nothing yet.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateOAuthApplicationSettings::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    patch_setters! {
        "UpdateOAuthApplicationSettings::new()";
        /// Dynamic client registration (RFC 7591).
        dynamic_oauth_client_registration: bool,
        /// The default scopes; `Patch::Null` goes back to Clerk's.
        default_scopes: Vec<String>,
        /// JWT access tokens (else opaque).
        oauth_jwt_access_tokens: bool,
        /// Advertise Client ID Metadata Documents.
        client_id_metadata_documents_advertised: bool,
        /// Refuse unknown Client ID Metadata Document clients.
        client_id_metadata_documents_only_allow_pre_registered_clients: bool,
        /// Refuse implicitly allowed Client ID Metadata Document clients.
        client_id_metadata_documents_block_implicitly_allowed_clients: bool,
    }
}

/// The body of [`Instance::update_organization_settings`].
///
/// ```
/// let params = clerk_sdk::UpdateOrganizationSettings::new().enabled(true).max_allowed_memberships(10);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateOrganizationSettings {
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    enabled: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    max_allowed_memberships: Patch<i64>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    admin_delete_enabled: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    domains_enabled: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    slug_disabled: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    domains_enrollment_modes: Patch<Vec<DomainEnrollmentMode>>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    creator_role_id: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    domains_default_role_id: Patch<String>,
}

impl UpdateOrganizationSettings {
    /// Changes nothing yet.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateOrganizationSettings::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    patch_setters! {
        "UpdateOrganizationSettings::new()";
        /// Organizations on or off.
        enabled: bool,
        /// The membership limit of new organizations; 0: none.
        max_allowed_memberships: i64,
        /// Whether admins may delete their organization.
        admin_delete_enabled: bool,
        /// Organization domains on or off.
        domains_enabled: bool,
        /// Organization slugs off.
        slug_disabled: bool,
        /// The enrollment modes domains may use.
        domains_enrollment_modes: Vec<DomainEnrollmentMode>,
        /// The id of the role creators get (a role of the initial role set).
        creator_role_id: String,
        /// The id of the role domain enrollment gives.
        domains_default_role_id: String,
    }
}
