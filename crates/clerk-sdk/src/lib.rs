//! An async Rust client for Clerk's Backend API.
