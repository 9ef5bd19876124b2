//! Validating a JSON value against an OpenAPI 3.0 schema: the schema is
//! converted to JSON Schema (see `convert`), compiled once by the `jsonschema`
//! crate, and its errors are told as [`Violation`]s with a JSON path.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use jsonschema::error::{TypeKind, ValidationErrorKind as Kind};
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::Value;

use crate::convert;
use crate::spec::Spec;

/// One way a value fails its schema.
///
/// ```
/// use openapi_kit::Spec;
/// use serde_json::json;
///
/// let spec = Spec::from_value(json!({}));
/// let schema = json!({"type": "object", "properties": {
///     "email_addresses": {"type": "array", "items": {"type": "string"}}
/// }});
/// let violations = spec.validate(&json!({"email_addresses": [7]}), &schema).unwrap_err();
/// assert_eq!(violations[0].path, "$.email_addresses[0]");
/// assert!(violations[0].to_string().starts_with("$.email_addresses[0]: "));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Where, as a JSON path: `$` is the value itself, `$.email_addresses[0].id` a nested one.
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A compiled schema, or why it could not be compiled (a broken `$ref`, say).
type Compiled = Result<Validator, Violation>;

/// The schemas a [`Spec`] has compiled, by their JSON text: compiling costs
/// far more than validating, and tests validate many answers against the same
/// few schemas. Clones of a spec share it.
#[derive(Clone, Default)]
pub(crate) struct Validators(Arc<Mutex<HashMap<String, Arc<Compiled>>>>);

impl fmt::Debug for Validators {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Validators({} compiled)", self.lock().len())
    }
}

impl Validators {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Compiled>>> {
        // A panic elsewhere (a failing test) leaves the map as valid as before.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn get(&self, spec: &Spec, schema: &Value) -> Arc<Compiled> {
        let key = schema.to_string();
        if let Some(found) = self.lock().get(&key) {
            return Arc::clone(found);
        }
        // Compiled without the lock held; two threads may both compile, one wins.
        let compiled = Arc::new(compile(spec, schema));
        Arc::clone(self.lock().entry(key).or_insert(compiled))
    }
}

fn compile(spec: &Spec, schema: &Value) -> Compiled {
    let document = convert::json_schema(spec, schema).map_err(schema_problem)?;
    jsonschema::options()
        .with_draft(Draft::Draft4)
        .build(&document)
        .map_err(|error| schema_problem(format!("the schema cannot be compiled: {error}")))
}

/// A problem of the schema itself, reported as a violation of the whole value.
fn schema_problem(message: String) -> Violation {
    Violation {
        path: "$".into(),
        message,
    }
}

pub(crate) fn validate(spec: &Spec, value: &Value, schema: &Value) -> Result<(), Vec<Violation>> {
    let compiled = spec.validators().get(spec, schema);
    let validator = compiled.as_ref().as_ref().map_err(|v| vec![v.clone()])?;
    let mut out = Vec::new();
    for error in validator.iter_errors(value) {
        report(value, &error, &mut out);
    }
    // jsonschema reports in its own keyword order; a value's own violations
    // (a missing property) read best before those of its parts.
    out.sort_by(|a, b| a.path.cmp(&b.path));
    if out.is_empty() { Ok(()) } else { Err(out) }
}

/// Tells one `jsonschema` error as violations. `root` is the validated value,
/// needed to tell an array index from a property name in the error's path.
fn report(root: &Value, error: &ValidationError<'_>, out: &mut Vec<Violation>) {
    let path = json_path(root, error.instance_path().as_str());
    match error.kind() {
        // One violation per property, at the property, as a reader looks for it.
        Kind::AdditionalProperties { unexpected } => {
            out.extend(unexpected.iter().map(|name| Violation {
                path: format!("{path}.{name}"),
                message: "property not allowed (additionalProperties: false)".into(),
            }));
        }
        Kind::AnyOf { context } => report_branches(root, "anyOf", context, &path, out),
        Kind::OneOfNotValid { context } => report_branches(root, "oneOf", context, &path, out),
        _ => out.push(Violation {
            message: message(error),
            path,
        }),
    }
}

/// Reports that no branch of an `anyOf`/`oneOf` matched, with the reasons of
/// the closest branch (the one with the fewest errors).
///
/// `nullable` is converted to `anyOf: [{type: null}, schema]`: its null
/// branch is left out, so a value that fails a nullable schema is told the
/// schema's own errors, as if `nullable` were not there.
fn report_branches(
    root: &Value,
    keyword: &str,
    branches: &[Vec<ValidationError<'static>>],
    path: &str,
    out: &mut Vec<Violation>,
) {
    let branches: Vec<&Vec<ValidationError<'static>>> = branches
        .iter()
        .filter(|errors| !is_null_branch(errors))
        .collect();
    if let [only] = branches.as_slice() {
        only.iter().for_each(|error| report(root, error, out));
        return;
    }
    let mut closest = Vec::new();
    if let Some(errors) = branches.into_iter().min_by_key(|errors| errors.len()) {
        errors
            .iter()
            .for_each(|error| report(root, error, &mut closest));
    }
    let reasons: Vec<String> = closest.iter().map(ToString::to_string).collect();
    out.push(Violation {
        path: path.to_owned(),
        message: format!(
            "matches no {keyword} branch (closest: {})",
            reasons.join("; ")
        ),
    });
}

/// Whether a branch failed only for not being `null`: the branch `nullable`
/// adds (OpenAPI 3.0 has no `null` type, so a spec cannot write one itself).
fn is_null_branch(errors: &[ValidationError<'_>]) -> bool {
    matches!(
        errors,
        [error] if matches!(error.kind(), Kind::Type { kind: TypeKind::Single(jsonschema::JsonType::Null) })
    )
}

/// The message of every other kind of error.
fn message(error: &ValidationError<'_>) -> String {
    let value: &Value = error.instance();
    match error.kind() {
        Kind::Required { property } => {
            format!(
                "missing required property `{}`",
                property.as_str().unwrap_or_default()
            )
        }
        Kind::Type { kind } => format!("expected {}, found {}", expected(kind), describe(value)),
        Kind::Enum { options } => format!("{value} is not one of {options}"),
        Kind::OneOfMultipleValid { context } => {
            let matching: Vec<usize> = context
                .iter()
                .enumerate()
                .filter(|(_, errors)| errors.is_empty())
                .map(|(index, _)| index)
                .collect();
            format!("matches more than one oneOf branch: {matching:?}")
        }
        Kind::Minimum { limit } => format!("{value} is below the minimum {limit}"),
        Kind::Maximum { limit } => format!("{value} is above the maximum {limit}"),
        Kind::ExclusiveMinimum { limit } => {
            format!("{value} is not above the exclusive minimum {limit}")
        }
        Kind::ExclusiveMaximum { limit } => {
            format!("{value} is not below the exclusive maximum {limit}")
        }
        Kind::MinLength { limit } => format!("length {} is below minLength {limit}", length(value)),
        Kind::MaxLength { limit } => format!("length {} is above maxLength {limit}", length(value)),
        Kind::MinItems { limit } => {
            format!("has {} items, fewer than minItems {limit}", count(value))
        }
        Kind::MaxItems { limit } => {
            format!("has {} items, more than maxItems {limit}", count(value))
        }
        Kind::MinProperties { limit } => {
            format!(
                "has {} properties, fewer than minProperties {limit}",
                count(value)
            )
        }
        Kind::MaxProperties { limit } => {
            format!(
                "has {} properties, more than maxProperties {limit}",
                count(value)
            )
        }
        Kind::UniqueItems => "items are not unique (uniqueItems: true)".into(),
        Kind::Format { format } => format!("{value} is not a valid {format}"),
        Kind::Pattern { pattern } => format!("{value} does not match {pattern}"),
        Kind::Not { .. } => "matches a schema under `not`".into(),
        Kind::FalseSchema => "no value is allowed here".into(),
        // Kinds the converted schemas cannot produce: jsonschema's own words.
        _ => error.to_string(),
    }
}

fn expected(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Single(one) => one.to_string(),
        TypeKind::Multiple(set) => set
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Number(n) if n.is_f64() => format!("the non-integer number {n}"),
        Value::Number(n) => format!("the integer {n}"),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// Characters, as `minLength`/`maxLength` count them.
fn length(value: &Value) -> usize {
    value.as_str().map_or(0, |text| text.chars().count())
}

/// Items of an array or properties of an object.
fn count(value: &Value) -> usize {
    match value {
        Value::Array(items) => items.len(),
        Value::Object(map) => map.len(),
        _ => 0,
    }
}

/// `$.list[1].status` for the JSON pointer `/list/1/status`, walking `root`
/// to tell an array index (`[1]`) from a property named `1` (`.1`).
fn json_path(root: &Value, pointer: &str) -> String {
    let mut path = String::from("$");
    let mut node = Some(root);
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        match node {
            Some(Value::Array(items)) => {
                path.push_str(&format!("[{segment}]"));
                node = segment.parse::<usize>().ok().and_then(|i| items.get(i));
            }
            _ => {
                path.push('.');
                path.push_str(&segment);
                node = node.and_then(|n| n.get(&segment));
            }
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Spec {
        Spec::from_value(json!({
            "components": {"schemas": {
                "Otp": {"type": "object", "additionalProperties": false, "required": ["object"],
                        "properties": {"object": {"type": "string", "enum": ["otp"]}, "n": {"type": "integer"}}},
                "Admin": {"type": "object", "additionalProperties": false, "required": ["object"],
                          "properties": {"object": {"type": "string", "enum": ["admin"]}}},
                "Loose": {"type": "object"},
                "Loop": {"$ref": "#/components/schemas/Loop"},
                "Tree": {"type": "object", "additionalProperties": false, "required": ["name"],
                         "properties": {"name": {"type": "string"},
                                        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}},
                "Status": {"type": "string", "enum": ["active", "revoked"], "example": "active"}
            }}
        }))
    }

    fn violations(value: Value, schema: Value) -> Vec<Violation> {
        spec().validate(&value, &schema).err().unwrap_or_default()
    }

    fn paths(value: Value, schema: Value) -> Vec<String> {
        violations(value, schema)
            .into_iter()
            .map(|v| v.path)
            .collect()
    }

    #[test]
    fn integer_is_not_number() {
        let integer = json!({"type": "integer"});
        assert!(violations(json!(3), integer.clone()).is_empty());
        assert!(violations(json!(-3), integer.clone()).is_empty());
        assert_eq!(violations(json!(3.5), integer.clone()).len(), 1);
        assert_eq!(violations(json!(3.0), integer.clone()).len(), 1);
        assert_eq!(violations(json!("3"), integer).len(), 1);
        assert!(violations(json!(3.5), json!({"type": "number"})).is_empty());
        assert!(violations(json!(3), json!({"type": "number"})).is_empty());
    }

    #[test]
    fn nullable_only_when_declared() {
        assert_eq!(violations(json!(null), json!({"type": "string"})).len(), 1);
        assert!(violations(json!(null), json!({"type": "string", "nullable": true})).is_empty());
        let wrapped = json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/Otp"}]});
        assert!(violations(json!(null), wrapped.clone()).is_empty());
        assert!(violations(json!({"object": "otp"}), wrapped.clone()).is_empty());
        assert_eq!(paths(json!({"object": "x"}), wrapped), ["$.object"]);
    }

    #[test]
    fn required_and_additional_properties() {
        let schema = json!({"type": "object", "required": ["id"], "additionalProperties": false,
                            "properties": {"id": {"type": "string"}}});
        assert!(violations(json!({"id": "a"}), schema.clone()).is_empty());
        let found = violations(json!({"extra": 1}), schema);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].path, "$");
        assert!(found[0].message.contains("`id`"));
        assert_eq!(found[1].path, "$.extra");

        let map = json!({"type": "object", "additionalProperties": {"type": "integer"}});
        assert!(violations(json!({"a": 1, "b": 2}), map.clone()).is_empty());
        assert_eq!(paths(json!({"a": 1, "b": "2"}), map), ["$.b"]);
    }

    #[test]
    fn enums_and_nested_paths() {
        let schema = json!({"type": "object", "properties": {
            "list": {"type": "array", "items": {"type": "object", "properties": {
                "status": {"type": "string", "enum": ["active", "revoked"]}
            }}}
        }});
        assert!(violations(json!({"list": [{"status": "active"}]}), schema.clone()).is_empty());
        assert_eq!(
            paths(
                json!({"list": [{"status": "active"}, {"status": "gone"}]}),
                schema
            ),
            ["$.list[1].status"]
        );
    }

    #[test]
    fn one_of_needs_exactly_one() {
        let schema = json!({"oneOf": [{"$ref": "#/components/schemas/Otp"}, {"$ref": "#/components/schemas/Admin"}]});
        assert!(violations(json!({"object": "otp", "n": 1}), schema.clone()).is_empty());
        assert!(violations(json!({"object": "admin"}), schema.clone()).is_empty());
        let none = violations(json!({"object": "other"}), schema);
        assert_eq!(none.len(), 1);
        assert!(none[0].message.contains("matches no oneOf"), "{}", none[0]);

        let ambiguous = json!({"oneOf": [{"$ref": "#/components/schemas/Otp"}, {"$ref": "#/components/schemas/Loose"}]});
        let two = violations(json!({"object": "otp"}), ambiguous);
        assert_eq!(two.len(), 1);
        assert!(two[0].message.contains("more than one"), "{}", two[0]);
    }

    #[test]
    fn any_of_and_all_of() {
        let any = json!({"anyOf": [{"type": "string"}, {"type": "integer"}]});
        assert!(violations(json!("a"), any.clone()).is_empty());
        assert!(violations(json!(1), any.clone()).is_empty());
        assert_eq!(violations(json!(true), any).len(), 1);

        let all = json!({"allOf": [{"type": "integer", "minimum": 1}, {"maximum": 5}]});
        assert!(violations(json!(3), all.clone()).is_empty());
        assert_eq!(violations(json!(0), all.clone()).len(), 1);
        assert_eq!(violations(json!(6), all).len(), 1);
    }

    #[test]
    fn formats_and_bounds() {
        let int32 = json!({"type": "integer", "format": "int32"});
        assert!(violations(json!(2147483647), int32.clone()).is_empty());
        assert_eq!(violations(json!(2147483648_i64), int32).len(), 1);
        let int64 = json!({"type": "integer", "format": "int64"});
        assert_eq!(violations(json!(u64::MAX), int64).len(), 1);

        let date_time = json!({"type": "string", "format": "date-time"});
        for good in [
            "2012-10-20T07:15:20.902Z",
            "2012-10-20T07:15:20+02:00",
            "2012-10-20t07:15:20z",
        ] {
            assert!(
                violations(json!(good), date_time.clone()).is_empty(),
                "{good}"
            );
        }
        for bad in [
            "2012-10-20",
            "2012-13-20T07:15:20Z",
            "2012-10-20T25:15:20Z",
            "yesterday",
            "2012-10-20T07:15:20",
        ] {
            assert_eq!(violations(json!(bad), date_time.clone()).len(), 1, "{bad}");
        }
        assert!(
            violations(json!("a@b.c"), json!({"type": "string", "format": "email"})).is_empty()
        );
        assert_eq!(
            violations(json!("ab.c"), json!({"type": "string", "format": "email"})).len(),
            1
        );
        assert!(violations(json!("https://x.y/z"), json!({"format": "uri"})).is_empty());
        assert_eq!(
            violations(json!("not a uri"), json!({"format": "uri"})).len(),
            1
        );
        assert!(
            violations(
                json!("123e4567-e89b-12d3-a456-426614174000"),
                json!({"format": "uuid"})
            )
            .is_empty()
        );

        let bounded = json!({"type": "integer", "minimum": 1, "maximum": 500});
        assert!(violations(json!(1), bounded.clone()).is_empty());
        assert_eq!(violations(json!(501), bounded).len(), 1);
        let exclusive = json!({"type": "number", "minimum": 0, "exclusiveMinimum": true});
        assert_eq!(violations(json!(0), exclusive).len(), 1);

        let text = json!({"type": "string", "minLength": 2, "maxLength": 3});
        assert_eq!(violations(json!("a"), text.clone()).len(), 1);
        assert_eq!(violations(json!("abcd"), text).len(), 1);

        let array = json!({"type": "array", "minItems": 1, "maxItems": 2, "uniqueItems": true});
        assert_eq!(violations(json!([]), array.clone()).len(), 1);
        assert_eq!(violations(json!([1, 2, 3]), array.clone()).len(), 1);
        assert_eq!(violations(json!([1, 1]), array).len(), 1);
    }

    #[test]
    fn broken_refs_are_reported_not_looped() {
        assert_eq!(
            violations(json!(1), json!({"$ref": "#/components/schemas/Missing"})).len(),
            1
        );
        // A self-referencing $ref resolves to itself; it allows nothing in particular but must terminate.
        let _ = violations(json!(1), json!({"$ref": "#/components/schemas/Loop"}));
    }

    #[test]
    fn nullable_lets_null_past_every_other_rule() {
        // `nullable` with an `enum` that does not list null (the specs have three).
        let status = json!({"type": "string", "enum": ["a"], "nullable": true});
        assert!(violations(json!(null), status.clone()).is_empty());
        assert_eq!(paths(json!("b"), status), ["$"]);
        let one_of = json!({"nullable": true, "oneOf": [{"$ref": "#/components/schemas/Otp"},
                                                        {"$ref": "#/components/schemas/Admin"}]});
        assert!(violations(json!(null), one_of.clone()).is_empty());
        let found = violations(json!({"object": "other"}), one_of);
        assert!(
            found[0].message.starts_with("matches no oneOf branch"),
            "{found:?}"
        );
        // A failing non-null value is told the schema's own reasons, not "matches no anyOf".
        let name =
            json!({"type": "object", "properties": {"name": {"type": "string", "nullable": true}}});
        let found = violations(json!({"name": 7}), name);
        assert_eq!(
            found,
            [Violation {
                path: "$.name".into(),
                message: "expected string, found the integer 7".into()
            }]
        );
    }

    #[test]
    fn a_refs_siblings_are_ignored() {
        // OpenAPI 3.0: "any properties added SHALL be ignored", `nullable` included.
        let schema = json!({"$ref": "#/components/schemas/Status", "nullable": true});
        assert_eq!(paths(json!(null), schema.clone()), ["$", "$"]); // not a string, not listed
        assert!(violations(json!("active"), schema).is_empty());
    }

    #[test]
    fn additional_properties_false_holds_at_every_depth() {
        let tree = json!({"$ref": "#/components/schemas/Tree"});
        let good = json!({"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]});
        assert!(violations(good, tree.clone()).is_empty());
        let bad = json!({"name": "a", "children": [{"name": "b", "children": [{"name": "c", "x": 1, "y": 2}]}]});
        let found = violations(bad, tree.clone());
        assert_eq!(
            found.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "$.children[0].children[0].x: property not allowed (additionalProperties: false)",
                "$.children[0].children[0].y: property not allowed (additionalProperties: false)",
            ]
        );
        // `true` and a missing `additionalProperties` allow anything.
        let open = json!({"type": "object", "additionalProperties": true, "properties": {}});
        assert!(violations(json!({"x": 1}), open).is_empty());
        assert!(
            violations(
                json!({"x": 1}),
                json!({"$ref": "#/components/schemas/Loose"})
            )
            .is_empty()
        );
    }

    #[test]
    fn one_of_names_the_closest_branch() {
        let schema = json!({"type": "object", "properties": {"factor": {"oneOf": [
            {"$ref": "#/components/schemas/Otp"}, {"$ref": "#/components/schemas/Admin"}
        ]}}});
        let found = violations(json!({"factor": {"object": "otp", "n": "1"}}), schema);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].path, "$.factor");
        assert_eq!(
            found[0].message,
            "matches no oneOf branch (closest: $.factor.n: expected integer, found a string)"
        );
    }

    #[test]
    fn annotations_do_not_validate() {
        let schema = json!({"type": "object", "discriminator": {"propertyName": "object"},
            "example": {"object": 7}, "x-speakeasy-name-override": "thing",
            "properties": {"object": {"type": "string", "readOnly": true, "example": 1},
                           "secret": {"type": "string", "writeOnly": true, "deprecated": true}}});
        assert!(violations(json!({"object": "a", "secret": "s"}), schema).is_empty());
    }

    #[test]
    fn more_formats() {
        let date = json!({"type": "string", "format": "date"});
        assert!(violations(json!("2024-02-29"), date.clone()).is_empty());
        assert_eq!(violations(json!("2024-02-30"), date.clone()).len(), 1);
        assert_eq!(violations(json!("29/02/2024"), date).len(), 1);
        let uuid = json!({"type": "string", "format": "uuid"});
        assert_eq!(paths(json!("123e4567-e89b-12d3-a456"), uuid), ["$"]);
        let url = json!({"type": "string", "format": "url"});
        assert!(violations(json!("https://example.com/a?b=c"), url.clone()).is_empty());
        assert_eq!(violations(json!("example.com"), url).len(), 1);
        // Formats the kit does not check, and `pattern`, stay hints.
        let hints = json!({"type": "string", "format": "binary", "pattern": "^a$"});
        assert!(violations(json!("b"), hints).is_empty());
        // Formats apply to their own type only.
        assert!(violations(json!(7), json!({"format": "date-time"})).is_empty());
        assert!(violations(json!("x"), json!({"format": "int32"})).is_empty());
    }

    #[test]
    fn paths_tell_indexes_from_numeric_property_names() {
        let map = json!({"type": "object", "additionalProperties": {"type": "array", "items": {"type": "integer"}}});
        assert_eq!(paths(json!({"0": [1, "x"]}), map), ["$.0[1]"]);
        let odd = json!({"type": "object", "properties": {"a/b": {"type": "integer"}}});
        assert_eq!(paths(json!({"a/b": "x"}), odd), ["$.a/b"]);
    }

    #[test]
    fn compiled_schemas_are_kept() {
        let spec = spec();
        let schema = json!({"$ref": "#/components/schemas/Tree"});
        assert!(spec.validate(&json!({"name": "a"}), &schema).is_ok());
        assert!(spec.validate(&json!({}), &schema).is_err());
        assert_eq!(format!("{:?}", spec.validators()), "Validators(1 compiled)");
        // Clones share them.
        let clone = spec.clone();
        assert!(clone.validate(&json!({"name": "b"}), &schema).is_ok());
        assert_eq!(format!("{:?}", spec.validators()), "Validators(1 compiled)");
    }
}
