//! End to end: the SDK over HTTP, through the validating proxy, against a real
//! clerk-server on a real SQLite file (and on PostgreSQL when
//! `CLERK_TEST_POSTGRES_URL` is set). One binary, one module per resource.
//!
//! Every test runs through [`e2e::each_backend`] (or an [`e2e::Env`]), so every
//! answer it gets is checked against Clerk's specs and the test fails on the
//! first violation, naming request, operation, status and JSON path.
//!
//! Where each seed method (Ruby SDK) is exercised:
//!
//! | seed method | test |
//! |---|---|
//! | `allowlist_identifiers.all/create/delete` | `allowlist::identifiers_create_list_stream_delete` |
//! | `allowlist.update` | `allowlist::the_three_toggles_are_one_flag` |
//! | `clients.find/all/verify_token` | `clients::*` |
//! | `emails.create` | `messages::emails_go_to_the_outbox` |
//! | `sessions.find/all/revoke` | `sessions::*` |
//! | `sessions.verify_token` | `verification::sessions_verify_token_*` |
//! | `sms_messages.create` | `messages::sms_messages_go_to_the_outbox` |
//! | `users.all/update/delete` | `users_list::*`, `users::create_get_update_delete` |

mod support;

mod allowlist;
mod api_keys;
mod authenticate;
mod browser_cookies;
mod clients;
mod code_verification;
mod credentials;
mod domains;
mod identifiers;
mod instance_settings;
mod interstitial;
mod jwt_templates;
mod lists;
mod machines;
mod message_templates;
mod messages;
mod oauth_applications;
mod organization_domains;
mod organization_invitations;
mod organization_roles;
mod organizations;
mod proxy;
mod session_refresh;
mod sessions;
mod sign_ups;
mod tickets;
mod user_accounts;
mod user_extras;
mod users;
mod users_list;
mod verification;
mod waitlist;
mod webhooks;
mod wire;
