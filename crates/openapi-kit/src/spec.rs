//! Loading a spec, resolving `$ref`s and finding operations.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::generate::{self, Sample};
use crate::validate::{self, Validators, Violation};

/// How many `$ref` hops [`Spec::resolve`] follows before it gives up (a cycle of
/// references that never reaches a schema).
const MAX_REF_HOPS: usize = 64;

/// HTTP methods an OpenAPI path item can hold.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// An OpenAPI 3.0 document.
///
/// ```
/// let spec = openapi_kit::load_spec("bapi-2026-05-12.json");
/// let op = spec.find_operation("GET", "/v1/users/user_123").unwrap();
/// assert_eq!(op.path(), "/users/{user_id}");
/// let user = spec.component_schema("User").unwrap();
/// assert_eq!(spec.resolve(user)["type"], "object");
/// ```
#[derive(Clone, Debug)]
pub struct Spec {
    doc: Value,
    /// The schemas validated against so far, compiled.
    validators: Validators,
}

/// Why a spec could not be loaded.
///
/// ```
/// use openapi_kit::{Spec, SpecError};
///
/// let err = Spec::from_file("no/such/spec.json").unwrap_err();
/// assert!(matches!(err, SpecError::Io { .. }));
/// assert!(err.to_string().contains("no/such/spec.json"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum SpecError {
    /// The file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not valid JSON.
    Json {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: serde_json::Error,
    },
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecError::Io { path, source } => {
                write!(f, "cannot read spec {}: {source}", path.display())
            }
            SpecError::Json { path, source } => {
                write!(f, "spec {} is not valid JSON: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for SpecError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SpecError::Io { source, .. } => Some(source),
            SpecError::Json { source, .. } => Some(source),
        }
    }
}

impl Spec {
    /// Reads a spec from a JSON file.
    ///
    /// ```no_run
    /// let spec = openapi_kit::Spec::from_file("../shared/reference/bapi-2026-05-12.json")?;
    /// # Ok::<(), openapi_kit::SpecError>(())
    /// ```
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, SpecError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SpecError::Io {
            path: path.to_owned(),
            source,
        })?;
        let doc = serde_json::from_str(&text).map_err(|source| SpecError::Json {
            path: path.to_owned(),
            source,
        })?;
        Ok(Self::from_value(doc))
    }

    /// Wraps an already parsed document.
    ///
    /// ```
    /// let spec = openapi_kit::Spec::from_value(serde_json::json!({"openapi": "3.0.3"}));
    /// assert_eq!(spec.document()["openapi"], "3.0.3");
    /// ```
    pub fn from_value(doc: Value) -> Self {
        Self {
            doc,
            validators: Validators::default(),
        }
    }

    /// The whole document.
    ///
    /// ```
    /// let spec = openapi_kit::Spec::from_value(serde_json::json!({"info": {"version": "1"}}));
    /// assert_eq!(spec.document()["info"]["version"], "1");
    /// ```
    pub fn document(&self) -> &Value {
        &self.doc
    }

    pub(crate) fn validators(&self) -> &Validators {
        &self.validators
    }

    /// Follows `$ref` (local references such as `#/components/schemas/User`)
    /// until it reaches a node without one. An unresolvable reference, or a
    /// cycle of references, yields the last node reached, so callers see a
    /// schema that still carries its `$ref` (validation reports it).
    ///
    /// ```
    /// use serde_json::json;
    /// let spec = openapi_kit::Spec::from_value(json!({
    ///     "components": {"schemas": {"Id": {"type": "string"}}}
    /// }));
    /// let node = json!({"$ref": "#/components/schemas/Id"});
    /// assert_eq!(spec.resolve(&node), &json!({"type": "string"}));
    /// ```
    pub fn resolve<'a>(&'a self, mut node: &'a Value) -> &'a Value {
        for _ in 0..MAX_REF_HOPS {
            match self.lookup_ref(node) {
                Some(target) => node = target,
                None => return node,
            }
        }
        node
    }

    /// The target of `node`'s `$ref`, if it has one that resolves.
    fn lookup_ref(&self, node: &Value) -> Option<&Value> {
        let reference = node.get("$ref")?.as_str()?;
        let pointer = reference.strip_prefix('#')?;
        self.doc.pointer(pointer)
    }

    /// A schema from `components/schemas` by name.
    ///
    /// ```
    /// use serde_json::json;
    /// let spec = openapi_kit::Spec::from_value(json!({
    ///     "components": {"schemas": {"TotalCount": {"type": "object"}}}
    /// }));
    /// assert!(spec.component_schema("TotalCount").is_some());
    /// assert!(spec.component_schema("Nope").is_none());
    /// ```
    pub fn component_schema(&self, name: &str) -> Option<&Value> {
        self.doc.get("components")?.get("schemas")?.get(name)
    }

    /// Every operation of the document, in document order.
    ///
    /// ```
    /// use serde_json::json;
    /// let spec = openapi_kit::Spec::from_value(json!({"paths": {
    ///     "/jwks": {"get": {"operationId": "GetJWKS", "responses": {}}}
    /// }}));
    /// let ids: Vec<_> = spec.operations().map(|op| op.operation_id()).collect();
    /// assert_eq!(ids, [Some("GetJWKS")]);
    /// ```
    pub fn operations(&self) -> impl Iterator<Item = Operation<'_>> {
        self.doc
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|paths| paths.iter())
            .flat_map(move |(path, item)| {
                let item = self.resolve(item);
                METHODS.iter().filter_map(move |method| {
                    item.get(*method).map(|node| Operation {
                        spec: self,
                        method,
                        path,
                        node,
                    })
                })
            })
    }

    /// The operation at exactly this path template (`/users/{user_id}`) and
    /// method (any case).
    ///
    /// ```
    /// use serde_json::json;
    /// let spec = openapi_kit::Spec::from_value(json!({"paths": {
    ///     "/users/{user_id}": {"delete": {"responses": {}}}
    /// }}));
    /// assert!(spec.operation("DELETE", "/users/{user_id}").is_some());
    /// assert!(spec.operation("GET", "/users/{user_id}").is_none());
    /// ```
    pub fn operation(&self, method: &str, path_template: &str) -> Option<Operation<'_>> {
        let method = method.to_ascii_lowercase();
        self.operations()
            .find(|op| op.method == method && op.path == path_template)
    }

    /// The operation that serves a concrete request path such as
    /// `/users/user_123` (a leading `/v1` is ignored, since Clerk's specs are
    /// relative to `https://api.clerk.com/v1`). A literal segment beats a
    /// `{parameter}`, so `/users/count` finds `GET /users/count`, not
    /// `GET /users/{user_id}`.
    ///
    /// ```
    /// use serde_json::json;
    /// let spec = openapi_kit::Spec::from_value(json!({"paths": {
    ///     "/users/{user_id}": {"get": {"operationId": "GetUser", "responses": {}}},
    ///     "/users/count": {"get": {"operationId": "GetUsersCount", "responses": {}}}
    /// }}));
    /// let op = spec.find_operation("GET", "/v1/users/count").unwrap();
    /// assert_eq!(op.operation_id(), Some("GetUsersCount"));
    /// let op = spec.find_operation("get", "/users/user_1").unwrap();
    /// assert_eq!(op.operation_id(), Some("GetUser"));
    /// ```
    pub fn find_operation(&self, method: &str, request_path: &str) -> Option<Operation<'_>> {
        let method = method.to_ascii_lowercase();
        let path = request_path.split('?').next().unwrap_or_default();
        let path = path
            .strip_prefix("/v1")
            .filter(|rest| rest.starts_with('/'))
            .unwrap_or(path);
        let wanted: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.operations()
            .filter(|op| op.method == method)
            .filter_map(|op| template_score(op.path, &wanted).map(|score| (score, op)))
            .max_by_key(|(score, _)| *score)
            .map(|(_, op)| op)
    }

    /// Validates `value` against `schema` with OpenAPI 3.0 semantics.
    ///
    /// The schema is converted to JSON Schema draft 4 (which OpenAPI 3.0's
    /// schema object extends) and checked by the `jsonschema` crate; each
    /// schema is compiled once per spec and kept. Checked: `$ref` (local
    /// `#/...` ones; their siblings are ignored, as OpenAPI 3.0 says), `type`
    /// (`integer` accepts only whole JSON numbers written without a fraction
    /// or exponent, `number` any number), `nullable`, `enum`, `required`,
    /// `properties`, `additionalProperties` (`false`, `true` or a schema),
    /// `items`, `oneOf` (exactly one branch), `anyOf` (at least one), `allOf`
    /// (all), `not`, `minimum`/`maximum` (and the 3.0 boolean
    /// `exclusiveMinimum`/`exclusiveMaximum`), `minLength`/`maxLength`,
    /// `minItems`/`maxItems`, `uniqueItems`, `minProperties`/`maxProperties`,
    /// and the formats `int32`, `int64`, `date-time`, `date`, `email`, `uri`
    /// (and `url`) and `uuid`. Not checked: `pattern` and `multipleOf` (as
    /// before the crate was used), and annotations (`example`, `x-*`,
    /// `discriminator`, `readOnly`, `writeOnly`, ...).
    ///
    /// Every [`Violation`] names the JSON path (`$.a[0].b`). A schema that
    /// cannot be used (a `$ref` that leads nowhere) gives one violation at `$`.
    ///
    /// ```
    /// use serde_json::json;
    /// let spec = openapi_kit::Spec::from_value(json!({}));
    /// let schema = json!({"type": "integer", "format": "int64"});
    /// assert!(spec.validate(&json!(1700000000000_i64), &schema).is_ok());
    /// assert!(spec.validate(&json!(1.5), &schema).is_err());
    ///
    /// let broken = json!({"$ref": "#/components/schemas/Missing"});
    /// let violations = spec.validate(&json!(1), &broken).unwrap_err();
    /// assert!(violations[0].message.contains("unresolvable $ref"));
    /// ```
    pub fn validate(&self, value: &Value, schema: &Value) -> Result<(), Vec<Violation>> {
        validate::validate(self, value, schema)
    }

    /// Generates sample values for `schema`: see [`SampleKind`](crate::SampleKind) for the kinds.
    ///
    /// ```
    /// use openapi_kit::SampleKind;
    /// use serde_json::json;
    /// let spec = openapi_kit::Spec::from_value(json!({}));
    /// let schema = json!({"type": "object", "required": ["id"], "properties": {
    ///     "id": {"type": "string"},
    ///     "name": {"type": "string", "nullable": true}
    /// }});
    /// let samples = spec.samples(&schema);
    /// let only_required = samples.iter().find(|s| s.kind == SampleKind::RequiredOnly).unwrap();
    /// assert_eq!(only_required.value, json!({"id": "string"}));
    /// let nulls = samples.iter().find(|s| s.kind == SampleKind::NullableNull).unwrap();
    /// assert_eq!(nulls.value, json!({"id": "string", "name": null}));
    /// ```
    pub fn samples(&self, schema: &Value) -> Vec<Sample> {
        generate::samples(self, schema)
    }
}

/// How well a path template matches request segments: `None` if it does not,
/// otherwise the number of literal segments matched (higher is more specific).
fn template_score(template: &str, wanted: &[&str]) -> Option<usize> {
    let segments: Vec<&str> = template.trim_matches('/').split('/').collect();
    if segments.len() != wanted.len() {
        return None;
    }
    let mut literals = 0;
    for (pattern, actual) in segments.iter().zip(wanted) {
        if pattern.starts_with('{') && pattern.ends_with('}') {
            if actual.is_empty() {
                return None;
            }
        } else if pattern == actual {
            literals += 1;
        } else {
            return None;
        }
    }
    Some(literals)
}

/// One operation (method + path) of a [`Spec`].
///
/// ```
/// let spec = openapi_kit::load_spec("bapi-2021-02-05.json");
/// let op = spec.find_operation("DELETE", "/v1/users/user_123").unwrap();
/// assert_eq!((op.method(), op.path()), ("delete", "/users/{user_id}"));
/// assert_eq!(op.operation_id(), Some("DeleteUser"));
/// assert!(op.statuses().contains(&"404"));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Operation<'a> {
    spec: &'a Spec,
    method: &'static str,
    path: &'a str,
    node: &'a Value,
}

impl<'a> Operation<'a> {
    /// The method, lower case (`"get"`).
    ///
    /// ```
    /// # let spec = openapi_kit::Spec::from_value(serde_json::json!({"paths": {"/jwks": {"get": {}}}}));
    /// assert_eq!(spec.operation("GET", "/jwks").unwrap().method(), "get");
    /// ```
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The path template (`/users/{user_id}`).
    ///
    /// ```
    /// # let spec = openapi_kit::Spec::from_value(serde_json::json!({"paths": {"/jwks": {"get": {}}}}));
    /// assert_eq!(spec.operation("GET", "/jwks").unwrap().path(), "/jwks");
    /// ```
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The operation object itself.
    ///
    /// ```
    /// # let spec = openapi_kit::Spec::from_value(serde_json::json!({"paths": {"/jwks": {"get": {"summary": "keys"}}}}));
    /// assert_eq!(spec.operation("GET", "/jwks").unwrap().node()["summary"], "keys");
    /// ```
    pub fn node(&self) -> &'a Value {
        self.node
    }

    /// The `operationId`, if any.
    ///
    /// ```
    /// # let spec = openapi_kit::Spec::from_value(serde_json::json!({"paths": {"/jwks": {"get": {"operationId": "GetJWKS"}}}}));
    /// assert_eq!(spec.operation("GET", "/jwks").unwrap().operation_id(), Some("GetJWKS"));
    /// ```
    pub fn operation_id(&self) -> Option<&'a str> {
        self.node.get("operationId")?.as_str()
    }

    /// Whether the spec marks the operation deprecated.
    ///
    /// ```
    /// # let spec = openapi_kit::Spec::from_value(serde_json::json!({"paths": {"/clients": {"get": {"deprecated": true}}}}));
    /// assert!(spec.operation("GET", "/clients").unwrap().is_deprecated());
    /// ```
    pub fn is_deprecated(&self) -> bool {
        self.node.get("deprecated").and_then(Value::as_bool) == Some(true)
    }

    /// The status codes the operation documents (`"200"`, `"404"`, `"default"`, ...).
    ///
    /// ```
    /// # let spec = openapi_kit::Spec::from_value(serde_json::json!({"paths": {"/jwks": {"get": {"responses": {"200": {}, "401": {}}}}}}));
    /// assert_eq!(spec.operation("GET", "/jwks").unwrap().statuses(), ["200", "401"]);
    /// ```
    pub fn statuses(&self) -> Vec<&'a str> {
        self.responses()
            .map(|responses| responses.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    fn responses(&self) -> Option<&'a serde_json::Map<String, Value>> {
        self.node.get("responses")?.as_object()
    }

    /// The resolved response object for `status`: the exact code, else its
    /// range (`"4XX"`), else `"default"`.
    fn response(&self, status: u16) -> Option<&'a Value> {
        let responses = self.responses()?;
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        let node = responses
            .get(&exact)
            .or_else(|| responses.get(&range))
            .or_else(|| responses.get("default"))?;
        Some(self.spec.resolve(node))
    }

    /// Whether the response documented for `status` declares no body at all (no
    /// `content`): the spec says nothing of its media type (`GET /public/interstitial`
    /// answers HTML). False when `status` is not documented.
    ///
    /// ```
    /// use serde_json::json;
    /// let spec = openapi_kit::Spec::from_value(json!({"paths": {"/page": {"get": {
    ///     "responses": {"200": {"description": "markup"}, "400": {"content": {}}}
    /// }}}}));
    /// let op = spec.operation("GET", "/page").unwrap();
    /// assert!(op.response_is_unspecified(200));
    /// assert!(!op.response_is_unspecified(400));
    /// assert!(!op.response_is_unspecified(404));
    /// ```
    pub fn response_is_unspecified(&self, status: u16) -> bool {
        self.response(status)
            .is_some_and(|response| response.get("content").is_none())
    }

    /// The `application/json` schema of the response for `status` (exact code,
    /// then `4XX`-style range, then `default`), `$ref`s followed at the top.
    /// `None` when that response has no JSON body (a 204, say).
    ///
    /// ```
    /// use serde_json::json;
    /// let spec = openapi_kit::Spec::from_value(json!({"paths": {"/users/count": {"get": {
    ///     "responses": {"200": {"content": {"application/json": {"schema": {"type": "object"}}}}}
    /// }}}}));
    /// let op = spec.operation("GET", "/users/count").unwrap();
    /// assert_eq!(op.response_schema(200), Some(&json!({"type": "object"})));
    /// assert_eq!(op.response_schema(404), None);
    /// ```
    pub fn response_schema(&self, status: u16) -> Option<&'a Value> {
        let schema = self
            .response(status)?
            .get("content")?
            .get("application/json")?
            .get("schema")?;
        Some(self.spec.resolve(schema))
    }

    /// The examples given for the JSON response for `status`: the media type's
    /// `example` and the `value` of each of its `examples`.
    ///
    /// ```
    /// use serde_json::json;
    /// let spec = openapi_kit::Spec::from_value(json!({"paths": {"/jwks": {"get": {"responses": {
    ///     "200": {"content": {"application/json": {"example": {"keys": []}}}}
    /// }}}}}));
    /// let op = spec.operation("GET", "/jwks").unwrap();
    /// assert_eq!(op.response_examples(200), [&json!({"keys": []})]);
    /// ```
    pub fn response_examples(&self, status: u16) -> Vec<&'a Value> {
        let Some(media) = self
            .response(status)
            .and_then(|response| response.get("content"))
            .and_then(|content| content.get("application/json"))
        else {
            return Vec::new();
        };
        let mut found: Vec<&Value> = media.get("example").into_iter().collect();
        if let Some(examples) = media.get("examples").and_then(Value::as_object) {
            found.extend(
                examples
                    .values()
                    .filter_map(|example| self.spec.resolve(example).get("value")),
            );
        }
        found
    }

    /// The `application/json` request body schema, if the operation has one.
    ///
    /// ```
    /// use serde_json::json;
    /// let spec = openapi_kit::Spec::from_value(json!({"paths": {"/clients/verify": {"post": {
    ///     "requestBody": {"content": {"application/json": {"schema": {"required": ["token"]}}}}
    /// }}}}));
    /// let op = spec.operation("POST", "/clients/verify").unwrap();
    /// assert_eq!(op.request_body_schema().unwrap()["required"][0], "token");
    /// ```
    pub fn request_body_schema(&self) -> Option<&'a Value> {
        let body = self.spec.resolve(self.node.get("requestBody")?);
        let schema = body
            .get("content")?
            .get("application/json")?
            .get("schema")?;
        Some(self.spec.resolve(schema))
    }
}
