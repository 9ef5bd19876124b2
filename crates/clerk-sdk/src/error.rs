//! The SDK's one error type.

use std::fmt;
use std::time::Duration;

use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::verify::VerifyError;

/// A `Result` whose error is the SDK's [`Error`].
///
/// ```
/// async fn user_name(clerk: &clerk_sdk::Clerk, id: &str) -> clerk_sdk::Result<Option<String>> {
///     Ok(clerk.users().get(id).await?.first_name)
/// }
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong calling the Backend API.
///
/// Match on the variant, or use the helpers ([`Error::is_not_found`],
/// [`Error::code`], [`Error::status`], [`Error::trace_id`], ...):
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// match clerk.users().get("user_missing").await {
///     Ok(user) => println!("found {:?}", user.id),
///     Err(e) if e.is_not_found() => println!("no such user (trace {:?})", e.trace_id()),
///     Err(e) => return Err(e),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-success status.
    Api(Box<ApiError>),
    /// The call needs a secret key and the client has none (set
    /// `CLERK_SECRET_KEY` or [`ClerkBuilder::secret_key`](crate::ClerkBuilder::secret_key)).
    /// No request was sent.
    MissingSecretKey,
    /// The client configuration is invalid (a malformed base URL, say).
    Config(String),
    /// An argument is invalid (an empty ID, metadata that is not an object, ...).
    /// No request was sent.
    InvalidInput(String),
    /// The request failed in transit: connection refused, DNS, TLS, timeout, a
    /// connection reset while reading the answer. See [`Error::is_timeout`].
    Network(reqwest::Error),
    /// The API answered with a success status but a body the SDK could not read.
    Decode(Box<DecodeError>),
    /// A session token was rejected: [`VerifyError::reason`] says why. Only from the
    /// token-verification methods ([`Clerk::verify_token`](crate::Clerk::verify_token),
    /// [`Sessions::verify_token`](crate::Sessions::verify_token), ...).
    Verify(VerifyError),
}

impl Error {
    /// The API error, when the API answered with an error status.
    ///
    /// ```
    /// # fn check(e: &clerk_sdk::Error) {
    /// if let Some(api) = e.api_error() {
    ///     eprintln!("{} {:?}", api.status(), api.errors());
    /// }
    /// # }
    /// ```
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The HTTP status of an API error.
    ///
    /// ```
    /// # fn check(e: &clerk_sdk::Error) {
    /// if e.status() == Some(http::StatusCode::UNPROCESSABLE_ENTITY) { /* validation failed */ }
    /// # }
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        self.api_error().map(ApiError::status)
    }

    /// The `code` of the first Clerk error (`"resource_not_found"`,
    /// `"form_identifier_exists"`, ...).
    ///
    /// ```
    /// # fn check(e: &clerk_sdk::Error) {
    /// if e.code() == Some("form_identifier_exists") { /* email taken */ }
    /// # }
    /// ```
    pub fn code(&self) -> Option<&str> {
        self.api_error().and_then(ApiError::code)
    }

    /// Whether any Clerk error in the answer has this `code`.
    ///
    /// ```
    /// # fn check(e: &clerk_sdk::Error) -> bool {
    /// e.has_code("form_password_pwned")
    /// # }
    /// ```
    pub fn has_code(&self, code: &str) -> bool {
        self.api_error().is_some_and(|api| api.has_code(code))
    }

    /// Whether the API answered 404 (the resource does not exist).
    ///
    /// ```
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let exists = match clerk.sessions().get("sess_123").await {
    ///     Ok(_) => true,
    ///     Err(e) if e.is_not_found() => false,
    ///     Err(e) => return Err(e),
    /// };
    /// # Ok(()) }
    /// ```
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether the API refused the secret key (401).
    ///
    /// ```
    /// # fn check(e: &clerk_sdk::Error) -> bool {
    /// e.is_unauthorized()
    /// # }
    /// ```
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// Whether the API answered 429 Too Many Requests (after the SDK's own retries).
    ///
    /// ```
    /// # fn check(e: &clerk_sdk::Error) {
    /// if e.is_rate_limited() {
    ///     eprintln!("slow down for {:?}", e.retry_after());
    /// }
    /// # }
    /// ```
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// Whether the request timed out (connect or response).
    ///
    /// ```
    /// # fn check(e: &clerk_sdk::Error) -> bool {
    /// e.is_timeout()
    /// # }
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Network(e) if e.is_timeout())
    }

    /// Why a session token was rejected, for [`Error::Verify`].
    ///
    /// ```
    /// use clerk_sdk::verify::{Reason, VerifyError};
    ///
    /// let e = clerk_sdk::Error::from(VerifyError::new(Reason::Expired));
    /// assert_eq!(e.verify_error().map(VerifyError::reason), Some(Reason::Expired));
    /// ```
    pub fn verify_error(&self) -> Option<&VerifyError> {
        match self {
            Error::Verify(e) => Some(e),
            _ => None,
        }
    }

    /// The `clerk_trace_id` of an API error, to quote to Clerk support.
    ///
    /// ```
    /// # fn check(e: &clerk_sdk::Error) {
    /// if let Some(trace) = e.trace_id() { eprintln!("trace id {trace}"); }
    /// # }
    /// ```
    pub fn trace_id(&self) -> Option<&str> {
        self.api_error().and_then(ApiError::trace_id)
    }

    /// How long the API asked the caller to wait (`Retry-After`).
    ///
    /// ```
    /// # fn check(e: &clerk_sdk::Error) -> Option<std::time::Duration> {
    /// e.retry_after()
    /// # }
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        self.api_error().and_then(ApiError::retry_after)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => api.fmt(f),
            Error::MissingSecretKey => f.write_str(
                "no Clerk secret key configured: set CLERK_SECRET_KEY or use ClerkBuilder::secret_key",
            ),
            Error::Config(message) => write!(f, "invalid Clerk client configuration: {message}"),
            Error::InvalidInput(message) => write!(f, "invalid input: {message}"),
            Error::Network(e) if e.is_timeout() => write!(f, "request to the Clerk API timed out: {e}"),
            Error::Network(e) => write!(f, "request to the Clerk API failed: {e}"),
            Error::Decode(e) => e.fmt(f),
            Error::Verify(e) => write!(f, "session token rejected: {e}"),
        }
    }
}

impl From<VerifyError> for Error {
    fn from(error: VerifyError) -> Self {
        Error::Verify(error)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Network(e) => Some(e),
            Error::Decode(e) => Some(&e.source),
            Error::Verify(e) => Some(e),
            _ => None,
        }
    }
}

/// One entry of a Clerk error answer (`errors[]`), also used where the spec
/// embeds a `ClerkError` (a failed OAuth verification, say).
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// if let Err(error) = clerk.users().get("user_2x").await {
///     for entry in error.api_error().map(|e| e.errors()).unwrap_or_default() {
///         eprintln!("{}: {}", entry.code, entry.long_message.as_deref().unwrap_or(&entry.message));
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClerkError {
    /// Machine-readable code, e.g. `resource_not_found`.
    #[serde(default)]
    pub code: String,
    /// Short human message.
    #[serde(default)]
    pub message: String,
    /// Longer human message.
    #[serde(default)]
    pub long_message: Option<String>,
    /// Details, e.g. `{"param_name": "email_address"}`.
    #[serde(default)]
    pub meta: Option<Map<String, Value>>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The body of a Clerk error answer (`ClerkErrors` in the spec).
///
/// ```
/// let body: clerk_sdk::ErrorResponse = serde_json::from_str(
///     r#"{"errors":[{"code":"resource_not_found","message":"not found"}],"clerk_trace_id":"t1"}"#,
/// ).unwrap();
/// assert_eq!(body.errors[0].code, "resource_not_found");
/// assert_eq!(body.clerk_trace_id.as_deref(), Some("t1"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorResponse {
    /// The errors; usually one.
    #[serde(default)]
    pub errors: Vec<ClerkError>,
    /// Details about the whole answer.
    #[serde(default)]
    pub meta: Option<Map<String, Value>>,
    /// The trace ID to quote to Clerk support.
    #[serde(default)]
    pub clerk_trace_id: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The API answered with an error status.
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// match clerk.users().get("user_2x").await {
///     Err(clerk_sdk::Error::Api(api)) => {
///         eprintln!("{} {:?} (trace {:?})", api.status(), api.code(), api.trace_id());
///     }
///     other => { other?; }
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorResponse,
    trace_id: Option<String>,
    retry_after: Option<Duration>,
    raw_body: Option<String>,
}

/// How much of a body that is not a Clerk error answer is kept for diagnosis.
const RAW_BODY_LIMIT: usize = 512;

impl ApiError {
    /// Builds the error from an answer: parses the Clerk error body when there
    /// is one, and keeps the start of any other body (an HTML page from a
    /// proxy, say) so the error still says something useful.
    pub(crate) fn from_response(
        status: StatusCode,
        headers: &http::HeaderMap,
        body: &[u8],
        retry_after: Option<Duration>,
    ) -> Self {
        let parsed = serde_json::from_slice::<ErrorResponse>(body)
            .ok()
            .filter(|parsed| !parsed.errors.is_empty());
        let raw_body = match parsed {
            Some(_) => None,
            None if body.is_empty() => None,
            None => Some(truncate(&String::from_utf8_lossy(body), RAW_BODY_LIMIT)),
        };
        let body = parsed.unwrap_or_default();
        let trace_id = body.clerk_trace_id.clone().or_else(|| {
            headers
                .get("clerk-trace-id")
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        });
        Self {
            status,
            body,
            trace_id,
            retry_after,
            raw_body,
        }
    }

    /// The HTTP status.
    ///
    /// ```
    /// # fn check(api: &clerk_sdk::ApiError) {
    /// assert!(api.status().is_client_error() || api.status().is_server_error());
    /// # }
    /// ```
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Every Clerk error of the answer (empty when the body was not a Clerk error answer).
    ///
    /// ```
    /// # fn check(api: &clerk_sdk::ApiError) {
    /// for error in api.errors() {
    ///     eprintln!("{}: {}", error.code, error.long_message.as_deref().unwrap_or(&error.message));
    /// }
    /// # }
    /// ```
    pub fn errors(&self) -> &[ClerkError] {
        &self.body.errors
    }

    /// The whole parsed error body, including its top-level `meta`.
    ///
    /// ```
    /// # fn check(api: &clerk_sdk::ApiError) {
    /// let _meta = &api.response().meta;
    /// # }
    /// ```
    pub fn response(&self) -> &ErrorResponse {
        &self.body
    }

    /// The `code` of the first error.
    ///
    /// ```
    /// # fn check(api: &clerk_sdk::ApiError) -> Option<&str> {
    /// api.code()
    /// # }
    /// ```
    pub fn code(&self) -> Option<&str> {
        self.body.errors.first().map(|error| error.code.as_str())
    }

    /// Whether any error has this `code`.
    ///
    /// ```
    /// # fn check(api: &clerk_sdk::ApiError) -> bool {
    /// api.has_code("resource_not_found")
    /// # }
    /// ```
    pub fn has_code(&self, code: &str) -> bool {
        self.body.errors.iter().any(|error| error.code == code)
    }

    /// The `clerk_trace_id` of the body, else the `Clerk-Trace-Id` header.
    ///
    /// ```
    /// # fn check(api: &clerk_sdk::ApiError) -> Option<&str> {
    /// api.trace_id()
    /// # }
    /// ```
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// The `Retry-After` the API sent, if any.
    ///
    /// ```
    /// # fn check(api: &clerk_sdk::ApiError) -> Option<std::time::Duration> {
    /// api.retry_after()
    /// # }
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The start of the body when it was not a Clerk error answer (at most 512 bytes).
    ///
    /// ```
    /// # fn check(api: &clerk_sdk::ApiError) {
    /// if let Some(body) = api.raw_body() { eprintln!("unexpected answer: {body}"); }
    /// # }
    /// ```
    pub fn raw_body(&self) -> Option<&str> {
        self.raw_body.as_deref()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Clerk API error {}", self.status)?;
        for (index, error) in self.body.errors.iter().enumerate() {
            let separator = if index == 0 { ": " } else { "; " };
            let text = error.long_message.as_deref().unwrap_or(&error.message);
            write!(f, "{separator}{} ({text})", error.code)?;
        }
        if let Some(raw) = &self.raw_body {
            write!(f, ": {raw}")?;
        }
        if let Some(trace) = &self.trace_id {
            write!(f, " [trace id {trace}]")?;
        }
        Ok(())
    }
}

/// A success answer whose body did not match the expected type.
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// if let Err(clerk_sdk::Error::Decode(decode)) = clerk.users().get("user_2x").await {
///     eprintln!("the {} answer did not fit at {}", decode.status(), decode.path());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct DecodeError {
    path: String,
    status: StatusCode,
    source: serde_json::Error,
}

impl DecodeError {
    pub(crate) fn new(status: StatusCode, path: String, source: serde_json::Error) -> Self {
        Self {
            path,
            status,
            source,
        }
    }

    pub(crate) fn from_path_error(
        status: StatusCode,
        error: serde_path_to_error::Error<serde_json::Error>,
    ) -> Self {
        // serde_path_to_error renders the root as "." and nested values as "a.b[0]".
        let path = match error.path().to_string() {
            root if root == "." => "$".to_owned(),
            nested => format!("$.{nested}"),
        };
        Self::new(status, path, error.into_inner())
    }

    /// The JSON path of the value that failed, e.g. `$.email_addresses[0].created_at`
    /// (`$` is the whole body).
    ///
    /// ```
    /// # fn check(e: &clerk_sdk::DecodeError) -> &str {
    /// e.path()
    /// # }
    /// ```
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The HTTP status of the answer.
    ///
    /// ```
    /// # fn check(e: &clerk_sdk::DecodeError) -> http::StatusCode {
    /// e.status()
    /// # }
    /// ```
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot read the Clerk API answer ({}) at {}: {}",
            self.status, self.path, self.source
        )
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn truncate(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_owned();
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(status: u16, body: &str, headers: &[(&str, &str)]) -> ApiError {
        let mut map = http::HeaderMap::new();
        for (name, value) in headers {
            map.insert(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        ApiError::from_response(
            StatusCode::from_u16(status).unwrap(),
            &map,
            body.as_bytes(),
            None,
        )
    }

    #[test]
    fn parses_clerk_errors() {
        let error = api_error(
            422,
            r#"{"errors":[{"code":"form_identifier_exists","message":"taken","long_message":"That email address is taken.","meta":{"param_name":"email_address"}}],"clerk_trace_id":"abc"}"#,
            &[("clerk-trace-id", "header-trace")],
        );
        assert_eq!(error.code(), Some("form_identifier_exists"));
        assert_eq!(error.trace_id(), Some("abc"));
        assert_eq!(
            error.errors()[0].meta.as_ref().unwrap()["param_name"],
            "email_address"
        );
        assert!(error.raw_body().is_none());
        let text = error.to_string();
        assert!(
            text.contains("422")
                && text.contains("That email address is taken.")
                && text.contains("abc"),
            "{text}"
        );
    }

    #[test]
    fn trace_id_falls_back_to_the_header() {
        let error = api_error(
            404,
            r#"{"errors":[{"code":"resource_not_found","message":"not found"}]}"#,
            &[("Clerk-Trace-Id", "from-header")],
        );
        assert_eq!(error.trace_id(), Some("from-header"));
        assert_eq!(error.errors()[0].long_message, None);
    }

    #[test]
    fn non_json_bodies_are_kept_short() {
        let html = format!("<html>{}</html>", "x".repeat(2000));
        let error = api_error(502, &html, &[]);
        assert!(error.errors().is_empty());
        assert_eq!(error.code(), None);
        let raw = error.raw_body().unwrap();
        assert!(raw.starts_with("<html>") && raw.len() <= RAW_BODY_LIMIT + '…'.len_utf8());
        assert!(error.to_string().contains("502 Bad Gateway: <html>"));
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        assert_eq!(truncate("ééé", 3), "é…");
        assert_eq!(truncate("abc", 3), "abc");
    }
}
