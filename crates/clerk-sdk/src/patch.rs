//! Three-state fields for update bodies: [`Patch`], defined in `clerk-core` (which the
//! server shares) and re-exported here as `clerk_sdk::Patch`.

pub use clerk_core::Patch;
