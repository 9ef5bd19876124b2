//! [`ApiError`]: the Clerk error JSON every failed Backend API request answers with, and
//! the one place where what the layers below report (storage errors, domain rule
//! violations, password work) becomes Clerk's error codes and statuses.
//!
//! Every error body has Clerk's shape,
//! `{"errors":[{"message","long_message","code","meta":{}}],"meta":{},"clerk_trace_id":"…"}`,
//! and the same trace id is sent in the `Clerk-Trace-Id` header.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::domain::error::{Error as DomainError, Rule, RuleKind};
use crate::domain::password::PasswordWorkError;
use crate::ids;
use crate::store::{self, Fault, StoreError, Unique};

tokio::task_local! {
    /// The trace id of the request being served; set by the outermost middleware.
    static TRACE_ID: String;
}

/// Runs `fut` with `trace_id` as the current request's trace id.
pub(crate) async fn with_trace_id<F: Future>(trace_id: String, fut: F) -> F::Output {
    TRACE_ID.scope(trace_id, fut).await
}

/// The current request's trace id, or a fresh one outside a request.
fn current_trace_id() -> String {
    TRACE_ID
        .try_with(Clone::clone)
        .unwrap_or_else(|_| ids::trace_id())
}

/// Marks a response whose body is already a Clerk error, so the outer middleware leaves it
/// alone (it rewrites every other error response into Clerk's format).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ClerkErrorBody;

/// At most this many entries in one error answer: a body with thousands of unknown fields
/// gets the first ones named, not an answer many times its own size.
const MAX_ERROR_ENTRIES: usize = 100;

/// Longest `long_message` or `param_name`, in characters: they may quote the request (a
/// 60 KB `order_by`, a huge unknown key), which is not worth sending back whole.
const MAX_ECHOED_CHARS: usize = 500;

/// `text` cut to [`MAX_ECHOED_CHARS`] characters, with `…` where it was cut.
fn capped(mut text: String) -> String {
    if let Some((cut, _)) = text.char_indices().nth(MAX_ECHOED_CHARS) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// One entry of the `errors` array.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ErrorEntry {
    message: String,
    pub(crate) long_message: String,
    code: String,
    meta: Map<String, Value>,
}

/// A failed request, answered in Clerk's error format.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    pub(crate) errors: Vec<ErrorEntry>,
    /// Seconds for a `Retry-After` header (429 and 503).
    retry_after: Option<u64>,
    /// The database connection broke under the request: a read may be tried again.
    connection_broke: bool,
    /// The body's top-level `meta` (the Frontend API puts the browser's client there).
    meta: Map<String, Value>,
}

impl ApiError {
    /// An error with one entry.
    pub(crate) fn new(
        status: StatusCode,
        code: &str,
        message: impl Into<String>,
        long_message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            errors: vec![ErrorEntry {
                message: message.into(),
                long_message: capped(long_message.into()),
                code: code.to_owned(),
                meta: Map::new(),
            }],
            retry_after: None,
            connection_broke: false,
            meta: Map::new(),
        }
    }

    /// Adds an entry to the body's top-level `meta`.
    pub(crate) fn with_body_meta(mut self, key: &str, value: Value) -> Self {
        self.meta.insert(key.to_owned(), value);
        self
    }

    /// Sends `Retry-After: seconds` with the answer.
    pub(crate) fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// Names the request parameter at fault (`meta.param_name`), as Clerk does for form errors.
    pub(crate) fn with_param(self, param: &str) -> Self {
        self.with_meta("param_name", Value::String(capped(param.to_owned())))
    }

    /// Adds a `meta` entry to every error entry.
    pub(crate) fn with_meta(mut self, key: &str, value: Value) -> Self {
        for entry in &mut self.errors {
            entry.meta.insert(key.to_owned(), value.clone());
        }
        self
    }

    /// Appends the entries of `other` (Clerk lists every invalid parameter at once), up to
    /// [`MAX_ERROR_ENTRIES`] in all.
    pub(crate) fn and(mut self, other: ApiError) -> Self {
        let room = MAX_ERROR_ENTRIES.saturating_sub(self.errors.len());
        self.errors.extend(other.errors.into_iter().take(room));
        self
    }

    /// The HTTP status.
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    /// The code of the first entry.
    #[cfg(test)]
    pub(crate) fn code(&self) -> &str {
        &self.errors[0].code
    }

    /// How many entries the error has.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.errors.len()
    }

    // ---- the errors the server answers with, one constructor per Clerk error ----

    /// 404 `resource_not_found`: "No user was found with id user_…".
    pub(crate) fn not_found(what: &str, id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            "not found",
            format!("No {what} was found with id {id}"),
        )
    }

    /// 404 `resource_not_found` for a path that is not a route.
    pub(crate) fn no_route() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            "Resource not found",
            "Resource not found",
        )
    }

    /// 401 `clerk_key_invalid`.
    pub(crate) fn key_invalid() -> Self {
        let text = "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.";
        Self::new(StatusCode::UNAUTHORIZED, "clerk_key_invalid", text, text)
    }

    /// 400 `api_version_invalid`.
    pub(crate) fn api_version_invalid(reason: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "api_version_invalid",
            "invalid API version",
            format!("Invalid Clerk API version: {reason}"),
        )
    }

    /// 400 `request_body_invalid`: the body is not a JSON object.
    pub(crate) fn body_invalid(detail: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "request_body_invalid",
            "Request body invalid",
            format!(
                "The request body is invalid: {detail}. Please consult the API documentation for more information."
            ),
        )
    }

    /// 413 `request_body_too_large`.
    pub(crate) fn body_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request_body_too_large",
            "Request body too large",
            format!("The request body exceeds the maximum allowed size of {limit} bytes."),
        )
    }

    /// 408 `request_timeout`: the body did not arrive in time.
    pub(crate) fn body_timeout(timeout: std::time::Duration) -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            "Request timeout",
            format!(
                "The request body did not arrive within {} seconds.",
                timeout.as_secs_f64()
            ),
        )
    }

    /// 422 `form_param_unknown`.
    pub(crate) fn param_unknown(param: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_unknown",
            "is unknown",
            format!("{param} is not a valid parameter for this request."),
        )
        .with_param(param)
    }

    /// 422 `form_param_missing`.
    pub(crate) fn param_missing(param: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_missing",
            "is missing",
            format!("{param} must be included."),
        )
        .with_param(param)
    }

    /// 422 `form_param_type_invalid`: a field of the wrong JSON type.
    pub(crate) fn param_type_invalid(param: &str, expected: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_type_invalid",
            "is invalid",
            format!("`{param}` must be a `{expected}`."),
        )
        .with_param(param)
    }

    /// 422 `form_param_format_invalid`.
    pub(crate) fn param_format_invalid(param: &str, long_message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_format_invalid",
            "is invalid",
            long_message,
        )
        .with_param(param)
    }

    /// 422 `form_param_format_invalid` for a parameter holding a NUL character, in a body or
    /// a query alike (PostgreSQL's text cannot hold one, and both backends must agree).
    pub(crate) fn param_holds_nul(param: &str) -> Self {
        Self::param_format_invalid(param, format!("{param} must not contain NUL characters."))
    }

    /// 422 `form_param_value_invalid`.
    pub(crate) fn param_value_invalid(param: &str, long_message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_value_invalid",
            "is invalid",
            long_message,
        )
        .with_param(param)
    }

    /// 422 with any other form code (`form_password_length_too_short`, …).
    pub(crate) fn form(
        code: &str,
        param: &str,
        message: &str,
        long_message: impl Into<String>,
    ) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
            message,
            long_message,
        )
        .with_param(param)
    }

    /// 422 `form_identifier_exists`, with Clerk's wording.
    pub(crate) fn identifier_exists(param: &str) -> Self {
        let what = param.replace('_', " ");
        let text = format!("That {what} is taken. Please try another.");
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_identifier_exists",
            text.clone(),
            text,
        )
        .with_param(param)
    }

    /// 410 `operation_deprecated`.
    pub(crate) fn operation_deprecated() -> Self {
        let text = "endpoint is deprecated and pending removal";
        Self::new(StatusCode::GONE, "operation_deprecated", text, text)
    }

    /// 429 `too_many_requests`, with `Retry-After`.
    pub(crate) fn too_many_requests(retry_after: u64, long_message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            "Too many requests",
            long_message,
        )
        .with_retry_after(retry_after)
    }

    /// 503 `service_unavailable`, with `Retry-After`: a condition that should pass
    /// (the database is unreachable, work did not finish in time).
    pub(crate) fn service_unavailable(retry_after: u64, long_message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            "Service unavailable",
            long_message,
        )
        .with_retry_after(retry_after)
    }

    /// 500 `internal_clerk_error`.
    pub(crate) fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_clerk_error",
            "Oops, an unexpected error occurred",
            "There was an internal error on our servers. We've been notified and are working on fixing it.",
        )
    }

    /// An error for an HTTP status produced outside the handlers (by axum or a layer).
    pub(crate) fn for_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::no_route(),
            StatusCode::PAYLOAD_TOO_LARGE => Self::new(
                status,
                "request_body_too_large",
                "Request body too large",
                "The request body exceeds the maximum allowed size.",
            ),
            StatusCode::METHOD_NOT_ALLOWED => Self::new(
                status,
                "resource_not_found",
                "Resource not found",
                "This endpoint does not support this HTTP method.",
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::new(
                status,
                "unsupported_content_type",
                "Content-Type is unsupported",
                "Content-Type is unsupported. You should use application/json instead.",
            ),
            s if s.is_server_error() => Self {
                status: s,
                ..Self::internal()
            },
            s => Self::new(s, "bad_request", "Bad request", "Bad request"),
        }
    }

    /// Turns a database error into Clerk's error, logging the cause (database errors carry
    /// no secrets; bound values are not part of them): 503 `service_unavailable` with
    /// `Retry-After` when the database is unreachable or the connection broke (marked for
    /// `middleware::retry_broken_reads`), 500 otherwise.
    fn database(err: sqlx::Error) -> Self {
        match store::fault(&err) {
            Fault::Broken => {
                tracing::warn!(error = %err, "database connection broke");
                let mut answer = Self::database_unavailable();
                answer.connection_broke = true;
                answer
            }
            Fault::Unavailable => {
                tracing::warn!(error = %err, "database unavailable");
                Self::database_unavailable()
            }
            Fault::Other => {
                tracing::error!(error = %err, "database error");
                Self::internal()
            }
        }
    }

    /// 503 for a database that cannot be reached now.
    fn database_unavailable() -> Self {
        Self::service_unavailable(
            1,
            "The database is unavailable right now; try again shortly.",
        )
    }
}

// ---- the one place where the lower layers' errors become Clerk's ----

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound { what, id } => Self::not_found(what, &id),
            StoreError::Taken(unique) => Self::taken(unique),
            StoreError::UnknownCursor { id } => Self::param_value_invalid(
                "starting_after",
                format!("starting_after must be the id of an existing user; no user has id {id}."),
            ),
            StoreError::Database(err) => Self::database(err),
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Store(err) => err.into(),
            DomainError::Rule(rule) => rule.into(),
            DomainError::Password(err) => err.into(),
            DomainError::Internal(detail) => {
                tracing::error!(detail, "internal error");
                Self::internal()
            }
        }
    }
}

impl From<Rule> for ApiError {
    fn from(rule: Rule) -> Self {
        let status = match rule.kind {
            RuleKind::InvalidInput | RuleKind::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
            RuleKind::Refused => StatusCode::BAD_REQUEST,
            RuleKind::Forbidden => StatusCode::FORBIDDEN,
            RuleKind::NotFound => StatusCode::NOT_FOUND,
            RuleKind::Conflict => StatusCode::CONFLICT,
            RuleKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            RuleKind::Unauthorized => StatusCode::UNAUTHORIZED,
        };
        let mut error = Self::new(status, rule.code, rule.message, rule.long_message);
        if let Some(param) = rule.param {
            error = error.with_param(&param);
        }
        for (key, value) in rule.meta {
            error = error.with_meta(key, value);
        }
        error
    }
}

impl From<PasswordWorkError> for ApiError {
    fn from(err: PasswordWorkError) -> Self {
        match err {
            PasswordWorkError::Busy => Self::too_many_requests(
                1,
                "Too many password checks are waiting; try again in a second.",
            ),
            PasswordWorkError::TimedOut => Self::service_unavailable(
                1,
                "The password check did not finish in time; try again shortly.",
            ),
            PasswordWorkError::Failed => Self::internal(),
        }
    }
}

impl ApiError {
    /// A unique value already used: 422 `form_identifier_exists` naming the parameter, or
    /// 400 `duplicate_record` for the allowlist (whose domain names the identifier).
    fn taken(unique: Unique) -> Self {
        match unique {
            Unique::Username => Self::identifier_exists("username"),
            Unique::ExternalId => Self::identifier_exists("external_id"),
            Unique::Identifier(kind) => Self::identifier_exists(kind.as_str()),
            Unique::AllowlistIdentifier => Self::new(
                StatusCode::BAD_REQUEST,
                "duplicate_record",
                "duplicate allowlist identifier",
                "the identifier you are trying to add already exists in this application's allowlist",
            ),
            Unique::BlocklistIdentifier => Self::new(
                StatusCode::BAD_REQUEST,
                "duplicate_record",
                "duplicate blocklist identifier",
                "the identifier you are trying to add already exists in this application's blocklist",
            ),
            Unique::RedirectUrl => Self::new(
                StatusCode::BAD_REQUEST,
                "duplicate_record",
                "duplicate redirect url",
                "the redirect url you are trying to add already exists in this application",
            ),
            Unique::OrganizationSlug => Self::identifier_exists("slug"),
            Unique::ExternalAccount => Self::identifier_exists("provider_user_id"),
            Unique::PasskeyCredential => Self::identifier_exists("credential_id"),
            Unique::PermissionKey | Unique::RoleKey | Unique::RoleSetKey => {
                Self::identifier_exists("key")
            }
            Unique::Membership => Self::new(
                StatusCode::BAD_REQUEST,
                "already_a_member_in_organization",
                "already a member",
                "The user is already a member of the organization.",
            ),
            Unique::DomainName => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "organization_domain_already_exists",
                "organizaton domain already exists",
                "This domain is already used by another organization.",
            )
            .with_param("name"),
        }
    }
}

/// The `ClerkErrors` body.
#[derive(Serialize)]
struct ErrorsBody<'a> {
    errors: &'a [ErrorEntry],
    meta: Map<String, Value>,
    clerk_trace_id: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let trace_id = current_trace_id();
        let body = serde_json::to_vec(&ErrorsBody {
            errors: &self.errors,
            meta: self.meta,
            clerk_trace_id: &trace_id,
        })
        .unwrap_or_default();
        let mut response = (self.status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response.extensions_mut().insert(ClerkErrorBody);
        if self.connection_broke {
            response
                .extensions_mut()
                .insert(super::middleware::ConnectionBroke);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_request_text_is_capped() {
        let huge = "x".repeat(60_000);
        let error = ApiError::param_value_invalid(&huge, format!("{huge} is not a valid order"));
        let entry = &error.errors[0];
        assert_eq!(entry.long_message.chars().count(), MAX_ECHOED_CHARS + 1);
        assert!(entry.long_message.ends_with('…'));
        let name = entry.meta["param_name"].as_str().unwrap();
        assert_eq!(name.chars().count(), MAX_ECHOED_CHARS + 1);
        // Short texts, and multi-byte ones under the cap, are left alone.
        assert_eq!(
            capped("é".repeat(MAX_ECHOED_CHARS)),
            "é".repeat(MAX_ECHOED_CHARS)
        );
    }

    #[test]
    fn error_entries_are_capped() {
        let mut error = ApiError::param_missing("first");
        for i in 0..1_000 {
            error = error.and(ApiError::param_missing(&format!("field_{i}")));
        }
        assert_eq!(error.errors.len(), MAX_ERROR_ENTRIES);
        assert_eq!(error.errors[0].meta["param_name"], "first");
    }
}
