//! Test support for Clerk's OpenAPI specs.
//!
//! `openapi-kit` reads an OpenAPI 3.0 document (the JSON copies in the
//! workspace's `spec/` folder, see [`spec_dir`]), resolves local `$ref`s, finds the schema of an
//! operation's response, generates sample payloads from a schema and validates
//! JSON values against a schema. It exists for tests: the SDK's spec-walking
//! test feeds every generated sample to the SDK's models, and end-to-end tests
//! validate a server's responses against the spec.
//!
//! Validation is done by the `jsonschema` crate after the schema is converted
//! from OpenAPI 3.0 to JSON Schema (see [`Spec::validate`]); spec lookup and
//! sample generation, which no crate does for us, are written here.
//!
//! ```
//! use openapi_kit::{SampleKind, Spec};
//! use serde_json::json;
//!
//! let spec = Spec::from_value(json!({
//!     "openapi": "3.0.3",
//!     "paths": {
//!         "/users/{user_id}": {
//!             "get": {
//!                 "responses": {
//!                     "200": {"content": {"application/json": {
//!                         "schema": {"$ref": "#/components/schemas/User"}
//!                     }}}
//!                 }
//!             }
//!         }
//!     },
//!     "components": {"schemas": {"User": {
//!         "type": "object",
//!         "additionalProperties": false,
//!         "required": ["id"],
//!         "properties": {
//!             "id": {"type": "string"},
//!             "username": {"type": "string", "nullable": true}
//!         }
//!     }}}
//! }));
//!
//! let op = spec.find_operation("GET", "/users/user_123").expect("operation");
//! let schema = op.response_schema(200).expect("schema");
//! assert!(spec.validate(&json!({"id": "user_1", "username": null}), schema).is_ok());
//!
//! let violations = spec.validate(&json!({"username": 7}), schema).unwrap_err();
//! assert_eq!(violations.len(), 2); // `id` missing, `username` not a string
//!
//! for sample in spec.samples(schema) {
//!     if sample.kind != SampleKind::Drift {
//!         assert!(spec.validate(&sample.value, schema).is_ok());
//!     }
//! }
//! ```
#![warn(missing_docs)]

mod convert;
mod generate;
mod spec;
mod validate;

pub use generate::{DRIFT_FIELD, Sample, SampleKind};
pub use spec::{Operation, Spec, SpecError};
pub use validate::Violation;

use std::path::PathBuf;

/// The folder holding Clerk's specs: `$CLERK_SPEC_DIR` when set, else the
/// workspace's vendored `spec/` folder (see its README for their source).
///
/// ```
/// assert!(openapi_kit::spec_dir().join("bapi-2026-05-12.json").exists());
/// ```
pub fn spec_dir() -> PathBuf {
    std::env::var_os("CLERK_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spec"))
}

/// Loads the spec `name` (e.g. `"bapi-2026-05-12.json"`) from [`spec_dir`].
///
/// # Panics
/// When the file cannot be read or parsed: this is test support, and a test
/// without its spec cannot run.
///
/// ```
/// let spec = openapi_kit::load_spec("bapi-2021-02-05.json");
/// assert!(spec.find_operation("get", "/v1/users").is_some());
/// ```
pub fn load_spec(name: &str) -> Spec {
    Spec::from_file(spec_dir().join(name))
        .unwrap_or_else(|e| panic!("{e} (set CLERK_SPEC_DIR to the folder holding Clerk's specs)"))
}
