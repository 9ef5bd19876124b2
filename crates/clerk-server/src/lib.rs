#![doc = include_str!("../docs/server.md")]
#![warn(missing_docs)]

mod admin;
mod app;
mod auth;
mod body;
mod clock;
mod config;
mod connections;
mod declared;
mod error;
mod files;
mod identifiers;
mod ids;
mod keys;
mod metadata;
mod password;
mod query;
mod routes;
mod secret;
mod server;
mod smtp;
mod store;
pub mod testing;
mod version;
mod wire;

pub use admin::{RotatedKey, rotate_signing_key, seed_users};
pub use clock::Clock;
pub use config::{
    Config, DEFAULT_BODY_READ_TIMEOUT, DEFAULT_DATABASE_URL, DEFAULT_LISTEN,
    DEFAULT_LOCKOUT_ATTEMPTS, DEFAULT_MAX_BODY_BYTES, DEFAULT_SHUTDOWN_GRACE, SmtpConfig,
};
pub use connections::default_max_open_connections;
pub use error::Error;
pub use secret::Secret;
pub use server::{HEADER_READ_TIMEOUT, Server};
pub use store::seed::{SeedReport, SeedUsers, SeededUser};
pub use testing::{TestBackend, TestDatabase, TestServer, TestSession, TestUser, test_backends};
pub use version::{ApiVersion, UnknownApiVersion};
