//! Integration tests of clerk-server over HTTP, on SQLite (and PostgreSQL when
//! `CLERK_TEST_POSTGRES_URL` is set). One binary, one module per resource.

mod common;

mod allowlist;
mod blocklist;
mod clients;
mod concurrency;
mod connections;
mod database_faults;
mod email_addresses;
mod fapi;
mod fapi_tickets;
mod hostile;
mod interstitial;
mod invitations;
mod jwt_templates;
mod keys;
mod lockout;
mod message_templates;
mod messages;
mod organization_domains;
mod organization_invitations;
mod organization_memberships;
mod organization_roles;
mod organizations;
mod passwords;
mod phone_numbers;
mod redirect_urls;
mod role_sets;
mod secrets_at_rest;
mod session_refresh;
mod sessions;
mod sign_ups;
mod tickets;
mod totp;
mod user_accounts;
mod user_extras;
mod users;
mod users_list;
mod verification;
mod waitlist;
mod webhook_events_orgs;
mod webhook_events_users;
mod webhook_receiver;
mod webhooks;
mod wire;
