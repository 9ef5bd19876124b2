#![doc = include_str!("../docs/server.md")]
#![warn(missing_docs)]

// The layers, outermost first (docs/architecture.md draws them and says what each may use):
// the listener, the Backend and Frontend API faces, the rules, storage; beside them the keys, the
// notifications the rules send and the wire views of Clerk's objects (answers and event
// payloads alike).
mod bapi;
mod domain;
mod fapi;
mod keys;
mod notify;
mod server;
mod store;
mod wire;

// What every layer shares.
mod admin;
mod clock;
mod config;
mod error;
mod files;
mod ids;
mod secret;
pub mod testing;

pub use admin::{RotatedKey, rotate_signing_key, seed_organization, seed_users};
pub use bapi::version::{ApiVersion, UnknownApiVersion};
pub use clock::Clock;
pub use config::{
    Config, DEFAULT_BODY_READ_TIMEOUT, DEFAULT_DATABASE_URL, DEFAULT_LISTEN,
    DEFAULT_LOCKOUT_ATTEMPTS, DEFAULT_MAX_BODY_BYTES, DEFAULT_SHUTDOWN_GRACE,
    DEFAULT_WEBHOOK_RETRY_SCHEDULE, DEFAULT_WEBHOOK_TIMEOUT, SmtpConfig,
};
pub use domain::organizations::seed::{SeedOrganization, SeededOrganization};
pub use domain::seed::{SeedReport, SeedUsers, SeededUser};
pub use error::Error;
pub use secret::Secret;
pub use server::connections::default_max_open_connections;
pub use server::{HEADER_READ_TIMEOUT, Server, WebhookEndpoint};
pub use testing::{
    TestBackend, TestDatabase, TestOrganization, TestServer, TestSession, TestUser, test_backends,
};
