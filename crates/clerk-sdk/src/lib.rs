//! An async Rust client for Clerk's Backend API.
//!
//! - **Every method of Clerk's Ruby SDK**, typed: users (with every filter of
//!   `GET /users`), sessions, clients, allowlist identifiers and the allowlist
//!   switch, instance restrictions, email addresses, phone numbers, emails,
//!   SMS messages (deprecated) and the JWKS, plus [`Clerk::request`] for any
//!   other endpoint.
//! - **Organizations end to end**: organizations, memberships, invitations,
//!   domains, roles, permissions and role sets; organization claims of both
//!   session-token versions with [`Claims::has_role`] and
//!   [`Claims::has_permission`]; axum extractors that require an active
//!   organization, a role or a permission.
//! - **Models that survive API drift**: unknown fields are kept in `extra`,
//!   enums keep unknown values, nullable fields are `Option`s.
//! - **One error type** ([`Error`]) with the HTTP status, every Clerk error
//!   code, the trace ID and `Retry-After`; decode errors name the JSON path.
//! - **Safe retries**: 429 for every method, 502/503/504 and broken
//!   connections only for idempotent ones, jittered backoff ([`RetryPolicy`]).
//! - **Pagination**: [`Page`] with the total where the API gives one, and
//!   lazy streams over every page.
//! - **Webhooks** ([`webhooks`]): the Svix signature of Clerk's deliveries checked
//!   in constant time, and their events typed; an axum extractor. The instance's
//!   Svix app (where deliveries go) is [`Clerk::webhooks`].
//!
//! ```no_run
//! use clerk_sdk::{Clerk, ListUsers, Patch, UpdateUser};
//! use futures_util::TryStreamExt;
//!
//! # async fn run() -> Result<(), clerk_sdk::Error> {
//! // CLERK_SECRET_KEY, and CLERK_API_URL to point at another server.
//! let clerk = Clerk::from_env()?;
//!
//! let page = clerk
//!     .users()
//!     .list(ListUsers::new().email_address(["a@example.com", "b@example.com"]).limit(20))
//!     .await?;
//! for user in &page {
//!     println!("{} {:?}", user.id, user.primary_email_address().map(|e| &e.email_address));
//! }
//!
//! let user = clerk
//!     .users()
//!     .update("user_2x", UpdateUser::new().first_name("John").username(Patch::Null))
//!     .await?;
//!
//! clerk.allowlist().update(true).await?;
//!
//! let mut everyone = clerk.users().stream(ListUsers::new());
//! while let Some(user) = everyone.try_next().await? {
//!     println!("{}", user.id);
//! }
//!
//! match clerk.users().get("user_missing").await {
//!     Err(e) if e.is_not_found() => println!("gone (trace {:?})", e.trace_id()),
//!     other => { other?; }
//! }
//! # Ok(()) }
//! ```
//!
//! Where the specs were silent, the choices made are documented on the item
//! concerned (see the crate README for a summary).
#![warn(missing_docs)]

// Core: the client, its errors and its building blocks.
mod client;
mod error;
mod multipart;
mod pagination;
mod params;
mod patch;
mod query;
mod retry;

// The Backend API surface.
pub mod authenticate;
pub mod models;
pub mod resources;

// Networkless session-token verification, and its axum integration.
pub mod verify;

#[cfg(feature = "axum")]
pub mod middleware;

// Verification of Clerk's webhooks (Svix signatures) and their typed events.
pub mod webhooks;

pub use client::{
    Clerk, ClerkBuilder, DEFAULT_API_URL, DEFAULT_API_VERSION, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_REQUEST_TIMEOUT, DEFAULT_USER_AGENT, SecretKey,
};
pub use error::{ApiError, ClerkError, DecodeError, Error, ErrorResponse, Result};
pub use http::Method;
pub use models::*;
pub use pagination::{ItemStream, Page, STREAM_PAGE_SIZE};
pub use patch::Patch;
pub use resources::*;
pub use retry::RetryPolicy;
pub use verify::{AuthState, Claims, Verifier, VerifyError};

// The README's code blocks run as doc tests, so its examples cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
