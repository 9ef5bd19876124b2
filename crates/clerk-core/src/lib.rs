//! What the [`clerk-sdk`](https://docs.rs/clerk-sdk) client and the `clerk-server` share:
//! one definition of the three states a field of an update can be in ([`Patch`]), which the
//! SDK serializes into requests and the server reads out of them.
//!
//! ```
//! use clerk_core::Patch;
//!
//! let first_name: Patch<String> = "Ada".into();
//! assert_eq!(first_name.as_set().map(String::as_str), Some("Ada"));
//! ```
#![warn(missing_docs)]

mod patch;

pub use patch::Patch;
