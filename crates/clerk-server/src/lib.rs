#![doc = include_str!("../docs/server.md")]
#![warn(missing_docs)]

// The layers, outermost first (docs/architecture.md draws them and says what each may use):
// the listener, the Backend and Frontend API faces, the rules, storage; beside them the keys, the
// notifications the rules send and the wire views of Clerk's objects (answers and event
// payloads alike).
mod bapi;
mod dashboard;
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
    TestBackend, TestDatabase, TestOrganization, TestServer, TestSession, TestUser, TotpEnrollment,
    test_backends,
};
/// The TOTP code (RFC 6238, SHA-1, 30 s, 6 digits) of a base32 secret at a unix time in
/// seconds, as an authenticator app shows it; `None` if the secret is not base32.
///
/// ```
/// // RFC 6238's SHA-1 secret, "12345678901234567890", in base32.
/// let code = clerk_server::totp_code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59);
/// assert_eq!(code.as_deref(), Some("287082"));
/// ```
pub fn totp_code(secret_base32: &str, unix_s: i64) -> Option<String> {
    domain::totp::totp_code(secret_base32, unix_s)
}
