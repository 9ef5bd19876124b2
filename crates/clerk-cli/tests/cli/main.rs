//! The `clerk` binary against a real clerk-server started in the test process: every
//! subcommand in table and JSON modes and on error, bulk import and export, token
//! verification, webhooks and the tour.

mod common;

mod api_keys;
mod export;
mod general;
mod import;
mod lists;
mod machines;
mod message_templates;
mod orgs;
mod resources;
mod templates;
mod tickets;
mod tokens;
mod users;
mod waitlist;
mod webhooks;
