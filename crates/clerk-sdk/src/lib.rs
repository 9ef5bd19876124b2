//! An async Rust client for Clerk's Backend API.

pub mod verify;

#[cfg(feature = "axum")]
pub mod middleware;

pub use verify::{AuthState, Claims, Verifier, VerifyError};
