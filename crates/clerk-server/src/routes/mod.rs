//! The routes, one module per resource. Handlers are thin: they read the request (checking
//! every field against the operation's list), call the store, and print the object.

pub(crate) mod allowlist;
pub(crate) mod clients;
pub(crate) mod email_addresses;
mod identifications;
pub(crate) mod jwks;
pub(crate) mod local;
pub(crate) mod messages;
pub(crate) mod phone_numbers;
pub(crate) mod sessions;
pub(crate) mod user_credentials;
pub(crate) mod users;

use crate::body::{JsonBody, Patch};
use crate::clock::parse_rfc3339_ms;
use crate::error::ApiError;

/// A nullable RFC 3339 date-time field (`created_at`, `legal_accepted_at`), as unix ms.
pub(crate) fn rfc3339_field(body: &JsonBody, name: &str) -> Result<Patch<i64>, ApiError> {
    Ok(match body.patch_string(name)? {
        Patch::Keep => Patch::Keep,
        Patch::Clear => Patch::Clear,
        Patch::Set(text) => Patch::Set(parse_rfc3339_ms(&text).ok_or_else(|| {
            ApiError::form(
                "form_param_invalid_time",
                name,
                "invalid format",
                format!(
                    "{name} must contain a datetime specified in RFC3339 format (e.g. `2022-10-20T10:00:27.645Z`)."
                ),
            )
        })?),
    })
}

/// Accepts a field this server does not act on, checking only its JSON type.
pub(crate) fn accept_bool(body: &JsonBody, name: &str) -> Result<(), ApiError> {
    body.bool(name).map(|_| ())
}
