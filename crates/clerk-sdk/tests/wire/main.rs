//! Wire tests: every SDK method against a recording listener on 127.0.0.1,
//! checking verb, path, query (repeated keys, percent-encoding), headers and
//! body, plus retries, pagination and errors.

#[path = "../support/mod.rs"]
mod support;

mod allowlist;
mod api_keys;
mod clients;
mod config;
mod errors;
mod identifiers;
mod instance_settings;
mod jwt_templates;
mod lists;
mod logging;
mod machines;
mod message_templates;
mod messages;
mod organization_access;
mod organization_members;
mod organizations;
mod pagination;
mod retries;
mod sessions;
mod sign_ups;
mod svix;
mod tickets;
mod users;
mod waitlist;
