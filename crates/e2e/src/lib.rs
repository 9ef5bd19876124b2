//! The end-to-end suite's support code: every test drives the SDK over HTTP
//! against a real `clerk-server` (a real SQLite file, or a PostgreSQL schema),
//! through a proxy that checks every answer against Clerk's OpenAPI specs.
//!
//! - [`Specs`] decides which schema an answer must match (operation, status,
//!   `Clerk-API-Version`, `paginated=true` envelopes, the legacy email and SMS
//!   endpoints) and checks it, with the wire rules every answer keeps.
//! - [`ValidatingProxy`] sits between a client and the server and collects
//!   [`Violation`]s.
//! - [`Env`] starts server + proxy + SDK client; [`each_backend`] runs a test
//!   on SQLite, and on PostgreSQL when `CLERK_TEST_POSTGRES_URL` is set.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use clerk_sdk::CreateUser;
//!
//! e2e::each_backend(async |env| {
//!     let user = env
//!         .clerk
//!         .users()
//!         .create(CreateUser::new().first_name("Ada"))
//!         .await
//!         .unwrap();
//!     let err = env.clerk.users().get("user_missing").await.unwrap_err();
//!     assert!(err.is_not_found());
//!     assert_eq!(user.first_name.as_deref(), Some("Ada"));
//! })
//! .await; // fails here if any answer broke the spec
//! # }
//! ```
//!
//! The tests themselves are in `tests/e2e/` (one binary, one module per
//! resource); run them with `cargo test -p e2e`.
#![warn(missing_docs)]

mod env;
mod proxy;
mod specs;

pub use env::{Env, each_backend, each_backend_with};
pub use proxy::ValidatingProxy;
pub use specs::{CURRENT_SPEC_FROM, DEFAULT_API_VERSION, Exchange, Specs, Violation};
