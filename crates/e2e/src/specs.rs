//! Which schema a response must match, and the check itself.
//!
//! [`Specs`] holds Clerk's two Backend API specs and the webhooks spec. For one
//! request/response pair ([`Exchange`]) it finds the documented operation and
//! status, validates the JSON body against that schema with `openapi_kit`, and
//! checks the wire rules every answer keeps (`Content-Type`, `Clerk-Trace-Id`).
//!
//! How the schema is chosen:
//!
//! - **Version.** The request's `Clerk-API-Version` header (else its
//!   `__clerk_api_version` query parameter, else the API's default
//!   `2021-02-05`) picks `bapi-2026-05-12.json` from [`CURRENT_SPEC_FROM`]
//!   (`2025-04-10`) on and `bapi-2021-02-05.json` before it. An operation the
//!   chosen spec lacks (`POST /sessions/{id}/verify`, removed in 2025) is
//!   looked up in the 2021 spec.
//! - **Status.** The schema declared for the status. An error status the
//!   operation does not declare, or declares without a body, is checked against
//!   `ClerkErrors` (every Clerk error has that shape). A success status the
//!   operation does not declare is a violation, except where Clerk is known to
//!   answer another than its spec (`POST /api_keys` → 201, checked as the 200).
//!   A success whose documented response declares no content at all (the
//!   interstitial's HTML) is not held to the JSON wire rules.
//! - **`paginated=true`.** When the operation takes a `paginated` parameter and
//!   the request set it, an array answer is expected as the envelope
//!   `{"data": [item...], "total_count": integer}`.
//! - **Outside the Backend API specs.** `POST /v1/emails` and
//!   `POST /v1/sms_messages` (removed upstream) are checked against the
//!   webhooks spec's `email` and `sms_message` payloads; `GET
//!   /.well-known/jwks.json` (the Frontend API's JWKS path) like `GET /jwks`;
//!   `PATCH /beta_features/allowlist` (the Ruby SDK's old toggle) like `PATCH
//!   /beta_features/instance_settings`, whose object the server answers. The
//!   local extensions under `/v1/_local/` are exempt from schemas (but not from
//!   the wire rules). Any other path is a violation unless it is an error.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use openapi_kit::{Operation, Spec, SpecError};
use serde_json::{Value, json};

/// The first `Clerk-API-Version` whose answers follow `bapi-2026-05-12.json`.
///
/// ```
/// use e2e::{CURRENT_SPEC_FROM, Exchange, Specs};
///
/// let count = |version: &str| Exchange {
///     method: "GET".into(),
///     path: "/v1/users/count".into(),
///     query: None,
///     api_version: Some(version.into()),
///     status: 200,
///     content_type: Some("application/json".into()),
///     trace_id: None,
///     body: br#"{"object":"total_count","total_count":3}"#.to_vec(),
/// };
/// // Versions are dates, so they compare as strings.
/// assert!("2025-03-12" < CURRENT_SPEC_FROM);
/// assert!(Specs::shared().check(&count("2025-03-12")).is_empty());
/// assert!(Specs::shared().check(&count(CURRENT_SPEC_FROM)).is_empty());
/// ```
pub const CURRENT_SPEC_FROM: &str = "2025-04-10";

/// The version the API assumes when a request names none.
///
/// ```
/// use e2e::{CURRENT_SPEC_FROM, DEFAULT_API_VERSION, Exchange, Specs};
///
/// // A request without a version is checked against the 2021 spec.
/// assert!(DEFAULT_API_VERSION < CURRENT_SPEC_FROM);
/// let exchange = Exchange {
///     method: "GET".into(),
///     path: "/v1/users/count".into(),
///     query: None,
///     api_version: None,
///     status: 200,
///     content_type: Some("application/json".into()),
///     trace_id: None,
///     body: br#"{"object":"total_count"}"#.to_vec(),
/// };
/// let violations = Specs::shared().check(&exchange);
/// assert_eq!(violations[0].operation, "GET /users/count in bapi-2021-02-05");
/// ```
pub const DEFAULT_API_VERSION: &str = "2021-02-05";

/// Local extensions of clerk-server, exempt from schema checks.
const LOCAL_PREFIX: &str = "/_local/";

/// Paths served outside the Backend API specs that answer what a documented
/// operation answers: `(method, path, documented method, documented path)`.
const ALIASES: &[(&str, &str, &str, &str)] = &[
    ("GET", "/.well-known/jwks.json", "GET", "/jwks"),
    (
        "PATCH",
        "/beta_features/allowlist",
        "PATCH",
        "/beta_features/instance_settings",
    ),
];

/// Success statuses Clerk answers where its specs document another, checked against the
/// documented status's schema: `(method, path, status answered, status documented)`.
/// `POST /api_keys` answers 201 (as Clerk does, and as `clerk-backend-api` requires)
/// where both specs say 200.
const STATUS_DIFFERENCES: &[(&str, &str, u16, u16)] = &[("POST", "/api_keys", 201, 200)];

/// Legacy endpoints in no Backend API spec, checked against webhook payloads:
/// `(method, path, webhooks schema)`.
const WEBHOOK_OBJECTS: &[(&str, &str, &str)] = &[
    ("POST", "/emails", "EmailEventPayload"),
    ("POST", "/sms_messages", "SmsEventPayload"),
];

/// Clerk's OpenAPI specs, loaded once.
///
/// ```
/// use e2e::Specs;
///
/// let specs = Specs::shared();
/// let sms = serde_json::json!({"object": "sms_message"});
/// assert!(specs.validate_webhook_object("SmsEventPayload", &sms).is_err());
/// ```
#[derive(Debug)]
pub struct Specs {
    current: Spec,
    legacy: Spec,
    webhooks: Spec,
}

/// One request and the answer it got, as the validating proxy saw them.
///
/// ```
/// use e2e::{Exchange, Specs};
///
/// // An error answer must carry a Clerk-Trace-Id header.
/// let exchange = Exchange {
///     method: "DELETE".into(),
///     path: "/v1/users/user_missing".into(),
///     query: None,
///     api_version: Some("2026-05-12".into()),
///     status: 404,
///     content_type: Some("application/json".into()),
///     trace_id: None,
///     body: br#"{"errors":[{"message":"not found","long_message":"not found","code":"resource_not_found"}]}"#
///         .to_vec(),
/// };
/// let violations = Specs::shared().check(&exchange);
/// assert_eq!(violations.len(), 1);
/// assert_eq!(violations[0].message, "an error without a Clerk-Trace-Id header");
/// ```
#[derive(Clone, Debug)]
pub struct Exchange {
    /// The request method (`GET`).
    pub method: String,
    /// The request path, as sent (`/v1/users/user_123`).
    pub path: String,
    /// The raw query string, without `?`.
    pub query: Option<String>,
    /// The request's `Clerk-API-Version` header.
    pub api_version: Option<String>,
    /// The response status.
    pub status: u16,
    /// The response's `Content-Type` header.
    pub content_type: Option<String>,
    /// The response's `Clerk-Trace-Id` header.
    pub trace_id: Option<String>,
    /// The response body.
    pub body: Vec<u8>,
}

/// One way an answer broke the spec or the rules of the wire.
///
/// ```
/// use e2e::{Exchange, Specs};
///
/// let exchange = Exchange {
///     method: "GET".into(),
///     path: "/v1/users/count".into(),
///     query: Some("email_address=ann%40example.com".into()),
///     api_version: Some("2026-05-12".into()),
///     status: 200,
///     content_type: Some("text/plain".into()),
///     trace_id: None,
///     body: br#"{"object":"total_count","total_count":1}"#.to_vec(),
/// };
/// let violation = &Specs::shared().check(&exchange)[0];
/// assert_eq!(violation.request, "GET /v1/users/count"); // the path, without the query
/// assert_eq!(violation.status, 200);
/// assert_eq!(violation.json_path, "$");
/// assert!(violation.to_string().contains("Content-Type is Some(\"text/plain\")"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The request, `GET /v1/users/user_123`.
    pub request: String,
    /// The operation the answer was checked against, with its spec
    /// (`GET /users/{user_id} in bapi-2026-05-12`), or what stood in for one.
    pub operation: String,
    /// The response status.
    pub status: u16,
    /// Where in the body (`$.email_addresses[0].id`); `$` for the whole body
    /// or a header.
    pub json_path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} answered {} (checked as {}): {}: {}",
            self.request, self.status, self.operation, self.json_path, self.message
        )
    }
}

/// Where the schema of an answer comes from.
enum Target<'a> {
    /// A Backend API operation.
    Operation {
        spec: &'a Spec,
        spec_name: &'static str,
        operation: Operation<'a>,
    },
    /// A named schema of the webhooks spec.
    Webhook {
        schema: &'a Value,
        name: &'static str,
    },
    /// A local extension: no schema.
    Exempt,
    /// In no spec.
    Unknown,
}

impl Specs {
    /// Loads `bapi-2026-05-12.json`, `bapi-2021-02-05.json` and
    /// `webhooks-2025-04-15.json` from `dir`.
    ///
    /// ```
    /// let specs = e2e::Specs::load(&e2e::Specs::reference_dir())?;
    /// # Ok::<(), openapi_kit::SpecError>(())
    /// ```
    pub fn load(dir: &Path) -> Result<Self, SpecError> {
        Ok(Self {
            current: Spec::from_file(dir.join("bapi-2026-05-12.json"))?,
            legacy: Spec::from_file(dir.join("bapi-2021-02-05.json"))?,
            webhooks: Spec::from_file(dir.join("webhooks-2025-04-15.json"))?,
        })
    }

    /// The folder holding the specs: [`openapi_kit::spec_dir`].
    ///
    /// ```
    /// assert!(e2e::Specs::reference_dir().join("bapi-2026-05-12.json").exists());
    /// ```
    pub fn reference_dir() -> PathBuf {
        openapi_kit::spec_dir()
    }

    /// The specs from [`Specs::reference_dir`], loaded on first use and shared by
    /// every test of the process (they are large).
    ///
    /// # Panics
    /// If the specs cannot be read.
    ///
    /// ```
    /// let specs = e2e::Specs::shared();
    /// // Loaded once: every later call returns the same specs.
    /// assert!(std::ptr::eq(specs, e2e::Specs::shared()));
    /// ```
    pub fn shared() -> &'static Specs {
        static SPECS: OnceLock<Specs> = OnceLock::new();
        SPECS.get_or_init(|| {
            Specs::load(&Self::reference_dir()).unwrap_or_else(|e| {
                panic!("{e} (set CLERK_SPEC_DIR to the folder holding Clerk's specs)")
            })
        })
    }

    /// Every violation of the specs and the wire rules in one exchange.
    ///
    /// ```
    /// use e2e::{Exchange, Specs};
    ///
    /// let exchange = Exchange {
    ///     method: "GET".into(),
    ///     path: "/v1/users/count".into(),
    ///     query: None,
    ///     api_version: Some("2026-05-12".into()),
    ///     status: 200,
    ///     content_type: Some("application/json".into()),
    ///     trace_id: None,
    ///     body: br#"{"object":"total_count","total_count":"3"}"#.to_vec(),
    /// };
    /// let violations = Specs::shared().check(&exchange);
    /// assert_eq!(violations.len(), 1);
    /// assert_eq!(violations[0].json_path, "$.total_count");
    /// assert_eq!(violations[0].operation, "GET /users/count in bapi-2026-05-12");
    /// ```
    pub fn check(&self, exchange: &Exchange) -> Vec<Violation> {
        let method = exchange.method.to_ascii_uppercase();
        let path = exchange
            .path
            .strip_prefix("/v1")
            .filter(|rest| rest.starts_with('/'))
            .unwrap_or(&exchange.path);
        let target = self.target(&method, path, exchange);
        let mut report = Report {
            exchange,
            operation: target.label(),
            out: Vec::new(),
        };
        // A success the spec gives no media type (the interstitial's HTML): only its
        // status is checked.
        if let Target::Operation { operation, .. } = &target {
            let status = exchange.status;
            let json = exchange.content_type.as_deref() == Some("application/json");
            if status < 400 && !json && operation.response_is_unspecified(status) {
                return report.out;
            }
        }
        let Some(body) = report.wire_rules() else {
            return report.out;
        };
        match target {
            Target::Exempt => {}
            Target::Unknown if exchange.status >= 400 => {
                report.body(&self.current, clerk_errors(&self.current), body.as_ref());
            }
            Target::Unknown => report.push("$", "no operation in any spec serves this request"),
            Target::Webhook { schema, .. } if exchange.status < 400 => {
                report.body(&self.webhooks, schema, body.as_ref());
            }
            Target::Webhook { .. } => {
                report.body(&self.current, clerk_errors(&self.current), body.as_ref());
            }
            Target::Operation {
                spec, operation, ..
            } => self.check_operation(&mut report, spec, operation, body.as_ref()),
        }
        report.out
    }

    /// Validates `value` against the schema `name` of the webhooks spec
    /// (`EmailEventPayload`, `SmsEventPayload`, ...), for objects that reach a
    /// test some other way than as an API answer (the local outbox, say).
    ///
    /// ```
    /// use serde_json::json;
    /// let specs = e2e::Specs::shared();
    /// let sms = json!({"object": "sms_message", "id": "sms_1", "from_phone_number": "+15555550100",
    ///     "to_phone_number": "+15555550101", "message": "hi", "status": "queued", "data": {},
    ///     "delivered_by_clerk": false, "created_at_ms": 1});
    /// assert!(specs.validate_webhook_object("SmsEventPayload", &sms).is_ok());
    /// assert!(specs.validate_webhook_object("SmsEventPayload", &json!({})).is_err());
    /// assert!(specs.validate_webhook_object("NoSuchSchema", &sms).is_err());
    /// ```
    pub fn validate_webhook_object(
        &self,
        name: &str,
        value: &Value,
    ) -> Result<(), Vec<openapi_kit::Violation>> {
        match self.webhooks.component_schema(name) {
            Some(schema) => self.webhooks.validate(value, schema),
            None => Err(vec![openapi_kit::Violation {
                path: "$".to_owned(),
                message: format!("the webhooks spec has no schema {name}"),
            }]),
        }
    }

    /// Finds the operation (or schema) an exchange is checked against.
    fn target(&self, method: &str, path: &str, exchange: &Exchange) -> Target<'_> {
        if path.starts_with(LOCAL_PREFIX) {
            return Target::Exempt;
        }
        if let Some((_, _, name)) = WEBHOOK_OBJECTS
            .iter()
            .find(|(m, p, _)| *m == method && *p == path)
        {
            return match self.webhooks.component_schema(name) {
                Some(schema) => Target::Webhook { schema, name },
                None => Target::Unknown,
            };
        }
        let (method, path) = ALIASES
            .iter()
            .find(|(m, p, _, _)| *m == method && *p == path)
            .map_or((method, path), |(_, _, m, p)| (*m, *p));
        let version = exchange
            .api_version
            .clone()
            .or_else(|| query_value(exchange.query.as_deref(), "__clerk_api_version"))
            .unwrap_or_else(|| DEFAULT_API_VERSION.to_owned());
        let mut candidates = Vec::with_capacity(2);
        if version.as_str() >= CURRENT_SPEC_FROM {
            candidates.push((&self.current, "bapi-2026-05-12"));
        }
        candidates.push((&self.legacy, "bapi-2021-02-05"));
        candidates
            .into_iter()
            .find_map(|(spec, spec_name)| {
                spec.find_operation(method, path)
                    .map(|operation| Target::Operation {
                        spec,
                        spec_name,
                        operation,
                    })
            })
            .unwrap_or(Target::Unknown)
    }

    fn check_operation(
        &self,
        report: &mut Report<'_>,
        spec: &Spec,
        operation: Operation<'_>,
        body: Option<&Value>,
    ) {
        let answered = report.exchange.status;
        let status = STATUS_DIFFERENCES
            .iter()
            .find(|(m, p, from, _)| {
                *from == answered
                    && m.eq_ignore_ascii_case(&report.exchange.method)
                    && report.exchange.path.trim_start_matches("/v1") == *p
            })
            .map_or(answered, |(_, _, _, documented)| *documented);
        let declared = operation.statuses().iter().any(|s| {
            *s == status.to_string() || *s == format!("{}XX", status / 100) || *s == "default"
        });
        let schema = operation.response_schema(status);
        if status >= 400 {
            // Every Clerk error is a ClerkErrors, documented for this status or not.
            let schema = schema.unwrap_or_else(|| clerk_errors(spec));
            report.body(spec, schema, body);
            return;
        }
        if !declared {
            report.push(
                "$",
                "this success status is not documented for the operation",
            );
            return;
        }
        match schema {
            Some(schema) if self.wants_envelope(spec, operation, report.exchange, schema) => {
                let envelope = json!({
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["data", "total_count"],
                    "properties": {
                        "data": schema,
                        "total_count": {"type": "integer", "format": "int64"}
                    }
                });
                report.body(spec, &envelope, body);
            }
            Some(schema) => report.body(spec, schema, body),
            None if body.is_some() => {
                report.push("$", "a body where the operation documents none");
            }
            None => {}
        }
    }

    /// Whether the answer must be the `{data, total_count}` envelope: the request
    /// set `paginated=true`, the operation takes `paginated`, and it documents an
    /// array.
    fn wants_envelope(
        &self,
        spec: &Spec,
        operation: Operation<'_>,
        exchange: &Exchange,
        schema: &Value,
    ) -> bool {
        let asked = query_value(exchange.query.as_deref(), "paginated").as_deref() == Some("true");
        let takes_it = operation
            .node()
            .get("parameters")
            .and_then(Value::as_array)
            .is_some_and(|parameters| {
                parameters.iter().any(|p| {
                    spec.resolve(p).get("name").and_then(Value::as_str) == Some("paginated")
                })
            });
        asked
            && takes_it
            && spec.resolve(schema).get("type").and_then(Value::as_str) == Some("array")
    }
}

impl Target<'_> {
    fn label(&self) -> String {
        match self {
            Target::Operation {
                spec_name,
                operation,
                ..
            } => format!(
                "{} {} in {spec_name}",
                operation.method().to_ascii_uppercase(),
                operation.path()
            ),
            Target::Webhook { name, .. } => format!("{name} in webhooks-2025-04-15"),
            Target::Exempt => "local extension (no schema)".to_owned(),
            Target::Unknown => "no documented operation".to_owned(),
        }
    }
}

/// The `ClerkErrors` schema of a spec (the Backend API specs both have it).
fn clerk_errors(spec: &Spec) -> &Value {
    static ANY: Value = Value::Bool(true);
    spec.component_schema("ClerkErrors").unwrap_or(&ANY)
}

/// The first value of `name` in a query string (form-decoded).
fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    url_pairs(query?)
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

fn url_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (form_decode(key), form_decode(value))
        })
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space).
fn form_decode(text: &str) -> String {
    fn hex(byte: u8) -> Option<u8> {
        char::from(byte).to_digit(16).map(|d| d as u8)
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%' && i + 2 < bytes.len())
            .then(|| Some(hex(bytes[i + 1])? * 16 + hex(bytes[i + 2])?))
            .flatten();
        match (bytes[i], escaped) {
            (_, Some(byte)) => {
                out.push(byte);
                i += 2;
            }
            (b'+', None) => out.push(b' '),
            (other, None) => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Collects the violations of one exchange.
struct Report<'a> {
    exchange: &'a Exchange,
    operation: String,
    out: Vec<Violation>,
}

impl Report<'_> {
    fn push(&mut self, json_path: &str, message: impl Into<String>) {
        self.out.push(Violation {
            request: format!("{} {}", self.exchange.method, self.exchange.path),
            operation: self.operation.clone(),
            status: self.exchange.status,
            json_path: json_path.to_owned(),
            message: message.into(),
        });
    }

    /// Checks what every answer keeps: a body is JSON with `Content-Type:
    /// application/json` exactly, a 204 has no body, an error carries
    /// `Clerk-Trace-Id` (equal to the body's `clerk_trace_id`). Returns the
    /// parsed body (`Some(None)` when empty), or `None` when it is not JSON.
    fn wire_rules(&mut self) -> Option<Option<Value>> {
        let exchange = self.exchange;
        let body = if exchange.body.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            if exchange.content_type.as_deref() != Some("application/json") {
                self.push(
                    "$",
                    format!(
                        "Content-Type is {:?}, not exactly \"application/json\"",
                        exchange.content_type
                    ),
                );
            }
            match serde_json::from_slice::<Value>(&exchange.body) {
                Ok(value) => Some(value),
                Err(e) => {
                    self.push("$", format!("the body is not JSON: {e}"));
                    return None;
                }
            }
        };
        if exchange.status == 204 && body.is_some() {
            self.push("$", "a 204 answer with a body");
        }
        if exchange.status >= 400 {
            match exchange.trace_id.as_deref() {
                None | Some("") => self.push("$", "an error without a Clerk-Trace-Id header"),
                Some(header) => {
                    let in_body = body
                        .as_ref()
                        .and_then(|b| b.get("clerk_trace_id"))
                        .and_then(Value::as_str);
                    if in_body.is_some_and(|id| id != header) {
                        self.push("$.clerk_trace_id", "differs from the Clerk-Trace-Id header");
                    }
                }
            }
        }
        Some(body)
    }

    /// Validates the body against `schema`; a missing body is a violation.
    fn body(&mut self, spec: &Spec, schema: &Value, body: Option<&Value>) {
        let Some(body) = body else {
            self.push("$", "no body, but the operation documents a JSON answer");
            return;
        };
        if let Err(violations) = spec.validate(body, schema) {
            for violation in violations {
                self.push(&violation.path, violation.message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(method: &str, path: &str, status: u16, body: Value) -> Exchange {
        Exchange {
            method: method.into(),
            path: path.into(),
            query: None,
            api_version: Some("2026-05-12".into()),
            status,
            content_type: Some("application/json".into()),
            trace_id: Some("trace_1".into()),
            body: if body.is_null() {
                Vec::new()
            } else {
                body.to_string().into_bytes()
            },
        }
    }

    fn error_body(code: &str) -> Value {
        json!({"errors": [{"message": "m", "long_message": "l", "code": code, "meta": {}}],
               "clerk_trace_id": "trace_1"})
    }

    #[test]
    fn query_values_are_form_decoded() {
        assert_eq!(
            query_value(Some("a=1&paginated=true&x=%2Bcreated_at"), "x").as_deref(),
            Some("+created_at")
        );
        assert_eq!(
            query_value(Some("q=a+b%40c"), "q").as_deref(),
            Some("a b@c")
        );
        assert_eq!(query_value(Some("q=100%"), "q").as_deref(), Some("100%"));
        assert_eq!(query_value(Some("q=%4"), "q").as_deref(), Some("%4"));
        assert_eq!(query_value(Some("flag"), "flag").as_deref(), Some(""));
        assert_eq!(query_value(None, "q"), None);
    }

    #[test]
    fn version_picks_the_spec() {
        let specs = Specs::shared();
        let mut verify = exchange("POST", "/v1/sessions/sess_1/verify", 410, error_body("x"));
        // Gone from the 2026 spec: falls back to the 2021 spec.
        let target = specs.target("POST", "/sessions/sess_1/verify", &verify);
        assert_eq!(
            target.label(),
            "POST /sessions/{session_id}/verify in bapi-2021-02-05"
        );
        verify.api_version = None;
        let target = specs.target("GET", "/users/count", &verify);
        assert_eq!(target.label(), "GET /users/count in bapi-2021-02-05");
        verify.query = Some("__clerk_api_version=2025-04-10".into());
        let target = specs.target("GET", "/users/count", &verify);
        assert_eq!(target.label(), "GET /users/count in bapi-2026-05-12");
        verify.api_version = Some("2025-04-09".into());
        let target = specs.target("GET", "/users/count", &verify);
        assert_eq!(target.label(), "GET /users/count in bapi-2021-02-05");
    }

    #[test]
    fn wire_rules() {
        let specs = Specs::shared();
        let mut answer = exchange(
            "GET",
            "/v1/users/user_1",
            404,
            error_body("resource_not_found"),
        );
        assert_eq!(specs.check(&answer), []);

        answer.content_type = Some("application/json; charset=utf-8".into());
        let found = specs.check(&answer);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("Content-Type"), "{found:?}");

        answer.content_type = Some("application/json".into());
        answer.trace_id = None;
        let found = specs.check(&answer);
        assert!(found[0].message.contains("Clerk-Trace-Id"), "{found:?}");

        answer.trace_id = Some("other".into());
        let found = specs.check(&answer);
        assert_eq!(found[0].json_path, "$.clerk_trace_id", "{found:?}");

        let mut not_json = exchange("GET", "/v1/jwks", 200, Value::Null);
        not_json.body = b"<html>".to_vec();
        assert!(specs.check(&not_json)[0].message.contains("not JSON"));

        let mut no_content = exchange("PATCH", "/v1/instance", 204, Value::Null);
        assert_eq!(specs.check(&no_content), []);
        no_content.body = b"{}".to_vec();
        assert!(specs.check(&no_content)[0].message.contains("204"));
    }

    #[test]
    fn errors_are_clerk_errors_even_when_undocumented() {
        let specs = Specs::shared();
        // GET /users/count documents only 200 and 422.
        let answer = exchange(
            "GET",
            "/v1/users/count",
            401,
            error_body("clerk_key_invalid"),
        );
        assert_eq!(specs.check(&answer), []);
        let bad = exchange(
            "GET",
            "/v1/users/count",
            401,
            json!({"errors": [{"code": "x"}]}),
        );
        let found = specs.check(&bad);
        assert_eq!(found.len(), 2, "{found:?}"); // message and long_message missing
        assert!(
            found.iter().all(|v| v.json_path == "$.errors[0]"),
            "{found:?}"
        );
        // Unknown paths may only fail, in Clerk's format.
        let unknown = exchange("GET", "/v1/nowhere", 404, error_body("resource_not_found"));
        assert_eq!(specs.check(&unknown), []);
        let unknown_ok = exchange("GET", "/v1/nowhere", 200, json!({}));
        assert!(specs.check(&unknown_ok)[0].message.contains("no operation"));
    }

    #[test]
    fn success_statuses_must_be_documented() {
        let specs = Specs::shared();
        let created = exchange(
            "GET",
            "/v1/users/count",
            201,
            json!({"object": "total_count", "total_count": 1}),
        );
        let found = specs.check(&created);
        assert!(found[0].message.contains("not documented"), "{found:?}");
    }

    #[test]
    fn paginated_lists_are_envelopes() {
        let specs = Specs::shared();
        let mut list = exchange("GET", "/v1/allowlist_identifiers", 200, json!([]));
        assert_eq!(specs.check(&list), []);
        list.query = Some("paginated=true".into());
        let found = specs.check(&list);
        assert!(found[0].message.contains("expected object"), "{found:?}");
        list.body =
            json!({"data": [{"object": "allowlist_identifier", "id": 7}], "total_count": 1})
                .to_string()
                .into_bytes();
        let found = specs.check(&list);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].json_path, "$.data[0].id");
        list.body = json!({"data": [], "total_count": "0"})
            .to_string()
            .into_bytes();
        assert_eq!(specs.check(&list)[0].json_path, "$.total_count");
        // GET /users takes no `paginated`: always the bare array.
        let mut users = exchange("GET", "/v1/users", 200, json!([]));
        users.query = Some("paginated=true".into());
        assert_eq!(specs.check(&users), []);
    }

    #[test]
    fn legacy_messages_follow_the_webhooks_spec() {
        let specs = Specs::shared();
        let sms = exchange(
            "POST",
            "/v1/sms_messages",
            200,
            json!({"object": "sms_message", "id": "sms_1", "from_phone_number": "+15555550100",
                   "to_phone_number": "+15555550101", "message": "hi", "status": "queued",
                   "data": {}, "delivered_by_clerk": false}),
        );
        let found = specs.check(&sms);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("created_at_ms"), "{found:?}");
        assert_eq!(found[0].operation, "SmsEventPayload in webhooks-2025-04-15");
        let refused = exchange("POST", "/v1/emails", 422, error_body("form_param_missing"));
        assert_eq!(specs.check(&refused), []);
    }

    #[test]
    fn aliases_and_local_extensions() {
        let specs = Specs::shared();
        let jwks = exchange(
            "GET",
            "/.well-known/jwks.json",
            200,
            json!({"keys": "nope"}),
        );
        let found = specs.check(&jwks);
        assert_eq!(found[0].operation, "GET /jwks in bapi-2026-05-12");
        assert_eq!(found[0].json_path, "$.keys");
        let local = exchange("GET", "/v1/_local/outbox", 200, json!({"anything": true}));
        assert_eq!(specs.check(&local), []);
        let mut local_text = local.clone();
        local_text.content_type = Some("text/plain".into());
        assert_eq!(specs.check(&local_text).len(), 1, "wire rules still apply");
    }
}
