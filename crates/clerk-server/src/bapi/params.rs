//! Request parameters shared by several resources: RFC 3339 date-times, and flags this
//! server accepts without acting on them.

use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::clock::parse_rfc3339_ms;
use clerk_core::Patch;

/// A nullable RFC 3339 date-time field (`created_at`, `legal_accepted_at`), as unix ms.
pub(crate) fn rfc3339_field(body: &JsonBody, name: &str) -> Result<Patch<i64>, ApiError> {
    Ok(match body.patch_string(name)? {
        Patch::Unchanged => Patch::Unchanged,
        Patch::Null => Patch::Null,
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
