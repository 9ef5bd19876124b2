//! The rules of a Clerk instance, with no HTTP in them: what a valid identifier, password
//! or metadata object is, and the services that change users, sessions and the rest inside
//! one unit of work (a store transaction they own), together with the notifications and
//! events the change sends.

pub(crate) mod allowlist;
pub(crate) mod api_keys;
pub(crate) mod blocklist;
pub(crate) mod clients;
pub(crate) mod credentials;
pub(crate) mod dashboard;
pub(crate) mod domains;
pub(crate) mod error;
pub(crate) mod identifications;
pub(crate) mod identifiers;
pub(crate) mod images;
pub(crate) mod instance;
pub(crate) mod invitations;
pub(crate) mod jwt_templates;
pub(crate) mod lockout;
pub(crate) mod m2m_tokens;
pub(crate) mod machines;
pub(crate) mod message_templates;
pub(crate) mod messages;
pub(crate) mod metadata;
pub(crate) mod oauth_applications;
pub(crate) mod organizations;
pub(crate) mod password;
pub(crate) mod redirect_urls;
pub(crate) mod seed;
pub(crate) mod services;
pub(crate) mod session_refresh;
pub(crate) mod sessions;
pub(crate) mod sign_ins;
pub(crate) mod sign_ups;
pub(crate) mod sms_countries;
pub(crate) mod tickets;
pub(crate) mod tokens;
pub(crate) mod totp;
pub(crate) mod user_accounts;
pub(crate) mod users;
pub(crate) mod verification;
pub(crate) mod waitlist;
pub(crate) mod webhooks;
