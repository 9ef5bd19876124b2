//! Request bodies: the JSON extractor and typed, validated access to its fields.
//!
//! A body is read as a `serde_json::Value` first, so that every problem gets a precise Clerk
//! error naming the parameter: malformed JSON or a non-object body is 400
//! `request_body_invalid`; a field the operation does not list is 422 `form_param_unknown`;
//! a field of the wrong JSON type is 422 `form_param_type_invalid`. An empty body counts as
//! `{}` (Clerk's JS client sends body-less POSTs with `Content-Type: application/json`).

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, Version, header};
use clerk_core::Patch;
use http_body_util::BodyExt;
use serde_json::{Map, Value};

use crate::bapi::AppState;
use crate::bapi::errors::ApiError;

/// A request body that is a JSON object (or empty).
#[derive(Default)]
pub(crate) struct JsonBody {
    fields: Map<String, Value>,
}

/// Only the field names: bodies carry passwords and digests.
impl std::fmt::Debug for JsonBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonBody")
            .field("fields", &self.fields.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl FromRequest<AppState> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let bytes = read_limited(req, state, state.settings.max_body_bytes).await?;
        Self::parse(&bytes)
    }
}

/// Reads a request's body of at most `limit` bytes, within the body read timeout: 413 past
/// the limit, 408 when it takes too long, 400 when it breaks off.
pub(crate) async fn read_limited(
    req: Request,
    state: &AppState,
    limit: usize,
) -> Result<Bytes, ApiError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    // HTTP/1 can answer at once and close the connection. An HTTP/2 stream answered
    // before its body is read gets reset, and clients like curl lose the answer: read
    // (and drop) the body first, up to a bound.
    let drains = req.version() == Version::HTTP_2;
    if declared.is_some_and(|len| len > limit) && !drains {
        return Err(ApiError::body_too_large(limit));
    }
    let timeout = state.settings.body_read_timeout;
    let read = read_body(req.into_body(), limit, drains);
    tokio::time::timeout(timeout, read)
        .await
        .map_err(|_| ApiError::body_timeout(timeout))?
        .map_err(|err| match err {
            ReadError::TooLarge => ApiError::body_too_large(limit),
            // The client closed the connection before sending what Content-Length
            // announced, or sent broken chunked framing.
            ReadError::Broken => ApiError::body_invalid("it could not be read to its end"),
        })
}

/// How much of an over-limit HTTP/2 body is read and dropped so that its 413 reaches the
/// client; past this the stream is reset.
const DRAIN_LIMIT_BYTES: usize = 16 * 1024 * 1024;

/// Why a body could not be read.
enum ReadError {
    TooLarge,
    Broken,
}

/// Reads a body of at most `limit` bytes. Past the limit it fails with
/// [`ReadError::TooLarge`], after reading the rest (up to [`DRAIN_LIMIT_BYTES`]) when
/// `drain_excess` is set.
async fn read_body(body: Body, limit: usize, drain_excess: bool) -> Result<Bytes, ReadError> {
    let mut body = std::pin::pin!(body);
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| ReadError::Broken)?;
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        seen = seen.saturating_add(data.len());
        if seen <= limit {
            kept.extend_from_slice(&data);
            continue;
        }
        if !drain_excess || seen > DRAIN_LIMIT_BYTES {
            return Err(ReadError::TooLarge);
        }
        kept = Vec::new();
    }
    if seen > limit {
        return Err(ReadError::TooLarge);
    }
    Ok(Bytes::from(kept))
}

/// Reads a bulk request's body: a JSON array of 1 to `max` objects (each an `item`, such as
/// "invitation", named in the errors), each parsed as one [`JsonBody`]. 400
/// `bulk_size_exceeded` past `max`.
pub(crate) async fn read_bulk(
    req: Request,
    state: &AppState,
    max: usize,
    item: &str,
) -> Result<Vec<JsonBody>, ApiError> {
    let bytes = read_limited(req, state, state.settings.max_body_bytes).await?;
    let items = match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Array(items)) => items,
        Ok(_) => return Err(ApiError::body_invalid("it must be a JSON array")),
        Err(_) => return Err(ApiError::body_invalid("it is not valid JSON")),
    };
    if items.is_empty() {
        return Err(ApiError::body_invalid(&format!(
            "it must hold at least one {item}"
        )));
    }
    if items.len() > max {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bulk_size_exceeded",
            "bulk size exceeded",
            format!("Parameters exceed the maximum allowed bulk processing size of {max}."),
        ));
    }
    items
        .iter()
        .map(|value| {
            if !value.is_object() {
                return Err(ApiError::body_invalid(&format!(
                    "each {item} must be a JSON object"
                )));
            }
            JsonBody::parse(value.to_string().as_bytes())
        })
        .collect()
}

impl JsonBody {
    /// Parses raw body bytes.
    pub(crate) fn parse(bytes: &[u8]) -> Result<Self, ApiError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(fields)) => {
                reject_nul(&fields)?;
                Ok(Self { fields })
            }
            Ok(_) => Err(ApiError::body_invalid("it must be a JSON object")),
            Err(err) => Err(ApiError::body_invalid(&format!(
                "it is not valid JSON ({})",
                classify(&err)
            ))),
        }
    }

    /// Rejects every field not in `allowed`, listing all of them.
    pub(crate) fn allow_only(&self, allowed: &[&str]) -> Result<(), ApiError> {
        let mut unknown = self
            .fields
            .keys()
            .filter(|k| !allowed.contains(&k.as_str()))
            .map(|k| ApiError::param_unknown(k));
        match unknown.next() {
            None => Ok(()),
            Some(first) => Err(unknown.fold(first, ApiError::and)),
        }
    }

    /// Whether the field is present (even as `null`).
    pub(crate) fn has(&self, name: &str) -> bool {
        self.fields.contains_key(name)
    }

    /// A field's raw JSON, whatever its type (a field the spec leaves untyped, such as an
    /// API key's `claims`); absent is `None`.
    pub(crate) fn value(&self, name: &str) -> Option<&Value> {
        self.fields.get(name)
    }

    /// A string field; absent or `null` is `None`.
    pub(crate) fn string(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::param_type_invalid(name, "string")),
        }
    }

    /// A string field that must be present and not `null`.
    pub(crate) fn required_string(&self, name: &str) -> Result<String, ApiError> {
        self.string(name)?
            .ok_or_else(|| ApiError::param_missing(name))
    }

    /// A nullable string field of an update.
    pub(crate) fn patch_string(&self, name: &str) -> Result<Patch<String>, ApiError> {
        match self.fields.get(name) {
            None => Ok(Patch::Unchanged),
            Some(Value::Null) => Ok(Patch::Null),
            Some(Value::String(s)) => Ok(Patch::Set(s.clone())),
            Some(_) => Err(ApiError::param_type_invalid(name, "string")),
        }
    }

    /// A boolean field; absent or `null` is `None`.
    pub(crate) fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(ApiError::param_type_invalid(name, "boolean")),
        }
    }

    /// An integer field; absent or `null` is `None`.
    pub(crate) fn i64(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            // A whole float (`60.0`, as Clerk's Python client sends float-typed fields)
            // is that integer.
            Some(Value::Number(n)) => n
                .as_i64()
                .or_else(|| {
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && f.abs() <= 9.0e15)
                        .map(|f| f as i64)
                })
                .map(Some)
                .ok_or_else(|| ApiError::param_type_invalid(name, "integer")),
            Some(_) => Err(ApiError::param_type_invalid(name, "integer")),
        }
    }

    /// A number field (integer or not); absent or `null` is `None`.
    pub(crate) fn f64(&self, name: &str) -> Result<Option<f64>, ApiError> {
        match self.fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_f64()
                .map(Some)
                .ok_or_else(|| ApiError::param_type_invalid(name, "number")),
            Some(_) => Err(ApiError::param_type_invalid(name, "number")),
        }
    }

    /// An array-of-strings field; absent or `null` is `None`.
    pub(crate) fn string_array(&self, name: &str) -> Result<Option<Vec<String>>, ApiError> {
        match self.fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(ApiError::param_type_invalid(name, "array of strings")),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(ApiError::param_type_invalid(name, "array of strings")),
        }
    }

    /// A nullable object field of an update.
    pub(crate) fn patch_object(&self, name: &str) -> Result<Patch<Map<String, Value>>, ApiError> {
        match self.fields.get(name) {
            None => Ok(Patch::Unchanged),
            Some(Value::Null) => Ok(Patch::Null),
            Some(Value::Object(map)) => Ok(Patch::Set(map.clone())),
            Some(_) => Err(ApiError::param_type_invalid(name, "object")),
        }
    }

    /// An object field; absent or `null` is `None`.
    pub(crate) fn object(&self, name: &str) -> Result<Option<Map<String, Value>>, ApiError> {
        match self.patch_object(name)? {
            Patch::Set(map) => Ok(Some(map)),
            Patch::Unchanged | Patch::Null => Ok(None),
        }
    }
}

/// Rejects every top-level field whose value holds a NUL character anywhere (in a string or
/// a key, however deep), one 422 `form_param_format_invalid` per field. PostgreSQL's text
/// cannot store NUL, so accepting it would make the two backends disagree.
fn reject_nul(fields: &Map<String, Value>) -> Result<(), ApiError> {
    let mut errors = fields
        .iter()
        .filter(|(name, value)| name.contains('\0') || holds_nul(value))
        .map(|(name, _)| ApiError::param_holds_nul(name));
    match errors.next() {
        None => Ok(()),
        Some(first) => Err(errors.fold(first, ApiError::and)),
    }
}

/// Whether a JSON value holds a NUL character in a string or an object key. serde_json
/// bounds the nesting it parses (128 levels), so the recursion is bounded too.
fn holds_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(holds_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || holds_nul(v)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// A short description of a JSON parse error.
fn classify(err: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match err.classify() {
        Category::Eof => "it ends early".to_owned(),
        Category::Syntax => format!(
            "syntax error at line {}, column {}",
            err.line(),
            err.column()
        ),
        Category::Data | Category::Io => "it cannot be read".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_object_bodies_parse() {
        assert!(JsonBody::parse(b"").unwrap().fields.is_empty());
        assert!(JsonBody::parse(b"  \n").unwrap().fields.is_empty());
        assert!(JsonBody::parse(b"{}").unwrap().fields.is_empty());
        let body = JsonBody::parse(br#"{"a":"x","b":true,"c":3,"d":["p"],"e":null}"#).unwrap();
        assert_eq!(body.string("a").unwrap().as_deref(), Some("x"));
        assert_eq!(body.bool("b").unwrap(), Some(true));
        assert_eq!(body.i64("c").unwrap(), Some(3));
        assert_eq!(body.string_array("d").unwrap(), Some(vec!["p".to_owned()]));
        assert_eq!(body.patch_string("e").unwrap(), Patch::Null);
        assert_eq!(body.patch_string("zzz").unwrap(), Patch::Unchanged);
    }

    #[test]
    fn malformed_bodies_are_request_body_invalid() {
        for raw in [&b"{"[..], b"[1]", b"\"x\"", b"{\"a\":}"] {
            let err = JsonBody::parse(raw).unwrap_err();
            assert_eq!(err.code(), "request_body_invalid");
            assert_eq!(err.status(), 400);
        }
    }

    #[test]
    fn wrong_types_name_the_parameter() {
        let body = JsonBody::parse(br#"{"a":1,"b":"yes","c":1.5,"d":[1]}"#).unwrap();
        assert_eq!(
            body.string("a").unwrap_err().code(),
            "form_param_type_invalid"
        );
        assert_eq!(
            body.bool("b").unwrap_err().code(),
            "form_param_type_invalid"
        );
        assert_eq!(body.i64("c").unwrap_err().code(), "form_param_type_invalid");
        assert_eq!(
            body.string_array("d").unwrap_err().code(),
            "form_param_type_invalid"
        );
    }

    #[test]
    fn nul_characters_are_rejected_per_field() {
        let raw = br#"{"a":"x\u0000","b":{"c":["ok","\u0000"]},"d":{"\u0000":1},"e":"fine"}"#;
        let err = JsonBody::parse(raw).unwrap_err();
        assert_eq!(err.code(), "form_param_format_invalid");
        assert_eq!(err.status(), 422);
        assert_eq!(err.len(), 3);
        assert!(JsonBody::parse(br#"{"a":"\u0001 is fine"}"#).is_ok());
    }

    #[test]
    fn debug_shows_names_not_values() {
        let body = JsonBody::parse(br#"{"password":"hunter2hunter2"}"#).unwrap();
        let debug = format!("{body:?}");
        assert!(
            debug.contains("password") && !debug.contains("hunter2"),
            "{debug}"
        );
    }

    #[test]
    fn unknown_fields_are_all_reported() {
        let body = JsonBody::parse(br#"{"ok":1,"x":1,"y":2}"#).unwrap();
        let err = body.allow_only(&["ok"]).unwrap_err();
        assert_eq!(err.code(), "form_param_unknown");
        assert_eq!(err.status(), 422);
        assert_eq!(err.len(), 2);
        assert!(body.allow_only(&["ok", "x", "y"]).is_ok());
    }
}
