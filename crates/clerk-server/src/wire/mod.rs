//! The JSON of Clerk's objects: one struct per object, written by hand so every key the spec
//! requires is present (required-but-nullable keys as `null`) and nothing else is. The Backend
//! API answers with these views and webhook events carry them as their `data`, built inside
//! the change's transaction, so this module knows nothing of HTTP.

mod api_key;
mod browser;
mod domain;
mod environment;
mod instance;
mod jwt_template;
mod lists;
mod machine;
mod message_template;
mod organization;
mod organization_domain;
mod organization_invitation;
mod role;
mod session;
mod sign_up;
mod ticket;
mod user;
mod user_accounts;
mod verification;
mod waitlist;
mod webhook;

pub(crate) use api_key::{ApiKeyJson, OAuthAccessTokenJson, OAuthApplicationJson};
pub(crate) use browser::{
    BrowserClientJson, BrowserSessionJson, BrowserUser, ClientParts, SignInJson,
    browser_invitation, browser_membership, browser_organization, browser_user,
};
pub(crate) use domain::DomainJson;
pub(crate) use environment::{EnvironmentFacts, environment};
pub(crate) use instance::{
    AllowlistIdentifierJson, InstanceJson, InstanceRestrictionsJson, InstanceSettingsJson,
};
pub(crate) use instance::{
    InstanceCommunicationJson, InstanceProtectJson, OAuthApplicationSettingsJson,
    OrganizationSettingsJson,
};
pub(crate) use jwt_template::JwtTemplateJson;
pub(crate) use lists::{BlocklistIdentifierJson, RedirectUrlJson};
pub(crate) use machine::{M2mTokenJson, MachineJson, MachineScopeJson, MachineSecretKeyJson};
pub(crate) use message_template::TemplateJson;
pub(crate) use organization::{MembershipJson, OrganizationJson, image_url};
pub(crate) use organization_domain::OrganizationDomainJson;
pub(crate) use organization_invitation::{
    AcceptedInvitationJson, InvitationJson, PublicOrganizationJson,
};
pub(crate) use role::{PermissionJson, RoleJson, RoleSetJson};
pub(crate) use session::{ClientJson, SessionEventJson, SessionJson};
pub(crate) use sign_up::SignUpJson;
pub(crate) use ticket::{
    InstanceInvitationJson, TestingTokenJson, TicketJson, TicketRedemptionJson,
};
pub(crate) use user::{EmailAddressJson, PhoneNumberJson, UserContext, UserJson, UserView};
pub(crate) use user_accounts::{ExternalAccountJson, PasskeyJson, TrustedDeviceJson};
pub(crate) use verification::CodeVerificationJson;
pub(crate) use waitlist::WaitlistEntryJson;
pub(crate) use webhook::{WebhookAttemptJson, WebhookEndpointJson, WebhookMessageJson};

use serde::Serialize;

/// `{"object":"<type>","id":"…","deleted":true}`, with the `slug` or `external_id` the
/// deleted object had when a webhook event reports it (Clerk's `DeletedObject`).
#[derive(Serialize)]
pub(crate) struct DeletedObject<'a> {
    pub object: &'a str,
    pub id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<&'a str>,
    pub deleted: bool,
}

impl<'a> DeletedObject<'a> {
    pub(crate) fn new(object: &'a str, id: &'a str) -> Self {
        Self {
            object,
            id,
            slug: None,
            external_id: None,
            deleted: true,
        }
    }

    /// The deleted object's slug (organizations).
    pub(crate) fn with_slug(mut self, slug: &'a str) -> Self {
        self.slug = Some(slug);
        self
    }

    /// The deleted object's external id (users that had one).
    pub(crate) fn with_external_id(mut self, external_id: Option<&'a str>) -> Self {
        self.external_id = external_id;
        self
    }
}

/// `{"object":"total_count","total_count":N}`.
#[derive(Serialize)]
pub(crate) struct TotalCount {
    pub object: &'static str,
    pub total_count: i64,
}

impl TotalCount {
    pub(crate) fn new(total_count: i64) -> Self {
        Self {
            object: "total_count",
            total_count,
        }
    }
}

/// `{"object":"token","jwt":"…"}`.
#[derive(Serialize)]
pub(crate) struct TokenJson {
    pub object: &'static str,
    pub jwt: String,
}

impl TokenJson {
    pub(crate) fn new(jwt: String) -> Self {
        Self {
            object: "token",
            jwt,
        }
    }
}
