//! One handler per Backend API resource, reached from [`Clerk`](crate::Clerk):
//! `clerk.users()`, `clerk.sessions()`, ... Each file holds the handler and
//! the request builders of its resource.

mod allowlist;
mod allowlist_identifiers;
mod api_keys;
mod blocklist_identifiers;
mod clients;
mod domains;
mod email_addresses;
mod emails;
mod instance;
mod interstitial;
mod invitations;
mod jwks;
mod jwt_templates;
mod m2m_tokens;
mod machines;
mod message_templates;
mod oauth_applications;
mod organization_domains;
mod organization_invitations;
mod organization_logo;
mod organization_memberships;
mod organization_permissions;
mod organization_roles;
mod organizations;
mod phone_numbers;
mod redirect_urls;
mod role_sets;
mod session_refresh;
mod sessions;
mod sign_ups;
mod sms_messages;
mod svix;
mod tickets;
mod user_accounts;
mod user_extras;
mod user_organizations;
mod users;
mod waitlist_entries;

pub use allowlist::Allowlist;
pub use allowlist_identifiers::{
    AllowlistIdentifiers, CreateAllowlistIdentifier, ListAllowlistIdentifiers,
};
pub use api_keys::{ApiKeys, CreateApiKey, ListApiKeys, UpdateApiKey};
pub use blocklist_identifiers::BlocklistIdentifiers;
pub use clients::{Clients, ListClients};
pub use domains::{CreateDomain, Domains, UpdateDomain};
pub use email_addresses::{CreateEmailAddress, EmailAddresses, UpdateEmailAddress};
pub use emails::{CreateEmail, Emails};
pub use instance::{
    Instance, UpdateInstanceCommunication, UpdateInstanceProtect, UpdateInstanceRestrictions,
    UpdateInstanceSettings, UpdateOAuthApplicationSettings, UpdateOrganizationSettings,
};
pub use interstitial::GetInterstitial;
pub use invitations::{CreateInvitation, Invitations, ListInvitations};
pub use jwks::JwksApi;
pub use jwt_templates::{CreateJwtTemplate, JwtTemplates, ListJwtTemplates, UpdateJwtTemplate};
pub use m2m_tokens::{CreateM2mToken, ListM2mTokens, M2mTokens};
pub use machines::{CreateMachine, ListMachines, Machines, UpdateMachine};
pub use message_templates::{
    ListMessageTemplates, MessageTemplates, PreviewMessageTemplate, UpdateMessageTemplate,
};
pub use oauth_applications::{
    CreateOAuthApplication, IssueOAuthAccessToken, ListOAuthApplications, OAuthApplications,
    UpdateOAuthApplication,
};
pub use organization_domains::{
    CreateOrganizationDomain, ListAllOrganizationDomains, ListOrganizationDomains,
    OrganizationDomains, UpdateOrganizationDomain,
};
pub use organization_invitations::{
    CreateOrganizationInvitation, ListAllOrganizationInvitations, ListOrganizationInvitations,
    ListPendingOrganizationInvitations, OrganizationInvitations,
};
pub use organization_logo::OrganizationLogo;
pub use organization_memberships::{
    CreateOrganizationMembership, ListAllOrganizationMemberships, ListOrganizationMemberships,
    OrganizationMemberships,
};
pub use organization_permissions::{
    CreateOrganizationPermission, ListOrganizationPermissions, OrganizationPermissions,
    UpdateOrganizationPermission,
};
pub use organization_roles::{
    CreateOrganizationRole, ListOrganizationRoles, OrganizationRoles, UpdateOrganizationRole,
};
pub use organizations::{
    CreateOrganization, GetOrganization, ListOrganizations, OrganizationMetadata, Organizations,
    UpdateOrganization,
};
pub use phone_numbers::{CreatePhoneNumber, PhoneNumbers, UpdatePhoneNumber};
pub use redirect_urls::{ListRedirectUrls, RedirectUrls};
pub use role_sets::{
    AddRolesToRoleSet, CreateRoleSet, ListRoleSets, ReplaceRoleSet, RoleSets, UpdateRoleSet,
};
pub use session_refresh::{RefreshFormat, RefreshSession};
pub use sessions::{CreateSession, CreateSessionToken, ListSessions, Sessions};
pub use sign_ups::{SignUps, UpdateSignUp};
pub use sms_messages::{CreateSmsMessage, SmsMessages};
pub use svix::WebhooksApi;
pub use tickets::{ActorTokens, CreateActorToken, CreateSignInToken, SignInTokens, TestingTokens};
pub use user_extras::ProfileImage;
pub use user_organizations::{ListUserOrganizationInvitations, ListUserOrganizationMemberships};
pub use users::{
    CreateUser, IdentificationStatus, ListUsers, PasswordHasher, UpdateUser, UserMetadata, Users,
};
pub use waitlist_entries::{CreateWaitlistEntry, ListWaitlistEntries, WaitlistEntries};
