//! Generating sample values from a schema.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use crate::spec::Spec;

/// What a [`Sample`] exercises.
///
/// ```
/// use openapi_kit::{SampleKind, Spec};
/// use serde_json::json;
///
/// let spec = Spec::from_value(json!({}));
/// let schema = json!({"type": "string", "enum": ["active", "revoked"]});
/// let kinds: Vec<SampleKind> = spec.samples(&schema).iter().map(|s| s.kind).collect();
/// assert!(kinds.contains(&SampleKind::Full));
/// assert!(kinds.contains(&SampleKind::EnumValue(1)));
/// assert!(kinds.contains(&SampleKind::Drift));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SampleKind {
    /// The spec's own `example` values wherever it gives one, generated values
    /// elsewhere. Only produced when the schema (or a schema it reaches) has examples.
    Examples,
    /// Every property present, nullable ones with a value, arrays with one
    /// item, the first branch of each `oneOf`/`anyOf`, the first value of each `enum`.
    Full,
    /// Only required properties (plus, inside a `oneOf`/`anyOf` branch, the
    /// single-valued `enum` properties that tell the branches apart, such as
    /// `"object": "verification_otp"`, so the sample stays unambiguous).
    RequiredOnly,
    /// Like [`SampleKind::Full`] with every nullable value `null`.
    NullableNull,
    /// Like [`SampleKind::Full`], taking branch `n` (modulo its length) of every `oneOf`/`anyOf`.
    OneOfBranch(usize),
    /// Like [`SampleKind::Full`], taking value `n` (modulo its length) of every `enum`.
    EnumValue(usize),
    /// What a newer API may send: every string `enum` holds a value the spec
    /// does not list and every object has an extra property
    /// (`x_unknown_field`). Need not conform to the schema (it does not where
    /// the schema closes objects or lists enum values): a tolerant client must
    /// still read it.
    Drift,
}

impl SampleKind {
    /// Whether samples of this kind must validate against their schema (all
    /// but [`SampleKind::Drift`]).
    ///
    /// ```
    /// use openapi_kit::SampleKind;
    /// assert!(SampleKind::Full.conforms());
    /// assert!(!SampleKind::Drift.conforms());
    /// ```
    pub fn conforms(self) -> bool {
        self != SampleKind::Drift
    }
}

/// A generated value and what it exercises.
///
/// ```
/// use openapi_kit::{SampleKind, Spec};
/// use serde_json::json;
///
/// let spec = Spec::from_value(json!({}));
/// let schema = json!({"type": "array", "items": {"type": "integer"}});
/// let full = spec
///     .samples(&schema)
///     .into_iter()
///     .find(|sample| sample.kind == SampleKind::Full)
///     .unwrap();
/// assert_eq!(full.value.as_array().map(Vec::len), Some(1)); // arrays get one item
/// assert!(spec.validate(&full.value, &schema).is_ok());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// What the sample exercises.
    pub kind: SampleKind,
    /// The value.
    pub value: Value,
}

/// The property every object gets in a [`SampleKind::Drift`] sample.
///
/// ```
/// use openapi_kit::{DRIFT_FIELD, SampleKind, Spec};
/// use serde_json::json;
///
/// let spec = Spec::from_value(json!({}));
/// let schema = json!({"type": "object", "properties": {"id": {"type": "string"}}});
/// let drift = spec
///     .samples(&schema)
///     .into_iter()
///     .find(|sample| sample.kind == SampleKind::Drift)
///     .unwrap();
/// assert!(drift.value.get(DRIFT_FIELD).is_some());
/// ```
pub const DRIFT_FIELD: &str = "x_unknown_field";
/// The value every string enum gets in a [`SampleKind::Drift`] sample.
const DRIFT_ENUM_VALUE: &str = "value_from_a_newer_api";

pub(crate) fn samples(spec: &Spec, schema: &Value) -> Vec<Sample> {
    let shape = Shape::of(spec, schema);
    let mut kinds = Vec::new();
    if shape.has_examples {
        kinds.push(SampleKind::Examples);
    }
    kinds.extend([
        SampleKind::Full,
        SampleKind::RequiredOnly,
        SampleKind::NullableNull,
    ]);
    kinds.extend((0..shape.max_branches).map(SampleKind::OneOfBranch));
    kinds.extend((0..shape.max_enum_values).map(SampleKind::EnumValue));
    kinds.push(SampleKind::Drift);
    kinds
        .into_iter()
        .map(|kind| Sample {
            kind,
            value: Generator {
                spec,
                kind,
                refs: Vec::new(),
            }
            .value(schema, false),
        })
        .collect()
}

/// What a schema's closure contains, to know how many samples to make.
#[derive(Default)]
struct Shape {
    has_examples: bool,
    max_branches: usize,
    max_enum_values: usize,
}

impl Shape {
    fn of(spec: &Spec, schema: &Value) -> Self {
        let mut shape = Shape::default();
        let mut seen = HashSet::new();
        shape.visit(spec, schema, &mut seen);
        shape
    }

    fn visit<'a>(&mut self, spec: &'a Spec, node: &'a Value, seen: &mut HashSet<&'a str>) {
        match node {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    if seen.insert(reference) {
                        self.visit(spec, spec.resolve(node), seen);
                    }
                    return;
                }
                self.has_examples |= map.contains_key("example");
                for keyword in ["oneOf", "anyOf"] {
                    if let Some(branches) = map.get(keyword).and_then(Value::as_array) {
                        self.max_branches = self.max_branches.max(branches.len());
                    }
                }
                if let Some(values) = map.get("enum").and_then(Value::as_array) {
                    self.max_enum_values = self.max_enum_values.max(values.len());
                }
                for (key, child) in map {
                    // Examples are data, not schemas: do not look for keywords inside them.
                    if key != "example" && key != "enum" {
                        self.visit(spec, child, seen);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| self.visit(spec, item, seen)),
            _ => {}
        }
    }
}

struct Generator<'a> {
    spec: &'a Spec,
    kind: SampleKind,
    /// `$ref`s being expanded, to cut recursive schemas.
    refs: Vec<String>,
}

impl Generator<'_> {
    fn branch_index(&self) -> usize {
        match self.kind {
            SampleKind::OneOfBranch(n) => n,
            _ => 0,
        }
    }

    fn enum_index(&self) -> usize {
        match self.kind {
            SampleKind::EnumValue(n) => n,
            _ => 0,
        }
    }

    /// The branch of `branches` this sample takes.
    fn chosen<'b>(&self, branches: &'b [Value]) -> &'b Value {
        &branches[self.branch_index() % branches.len()]
    }

    /// A value for `schema`. `in_branch` is true for the schema of a chosen
    /// `oneOf`/`anyOf` branch (see [`SampleKind::RequiredOnly`]).
    fn value(&mut self, schema: &Value, in_branch: bool) -> Value {
        let reference = schema.get("$ref").and_then(Value::as_str);
        if let Some(reference) = reference {
            if self.refs.iter().any(|seen| seen == reference) {
                return Value::Null; // a recursive schema: stop here
            }
            self.refs.push(reference.to_owned());
        }
        let value = self.resolved_value(self.spec.resolve(schema), in_branch);
        if reference.is_some() {
            self.refs.pop();
        }
        value
    }

    fn resolved_value(&mut self, schema: &Value, in_branch: bool) -> Value {
        let Some(rules) = schema.as_object() else {
            return json!("any");
        };
        if self.kind == SampleKind::NullableNull && flag(rules, "nullable") {
            return Value::Null;
        }
        if self.kind == SampleKind::Examples {
            if let Some(example) = rules.get("example") {
                return example.clone();
            }
        }
        if let Some(values) = non_empty(rules, "enum") {
            if self.kind == SampleKind::Drift && values.iter().all(Value::is_string) {
                return json!(DRIFT_ENUM_VALUE);
            }
            return values[self.enum_index() % values.len()].clone();
        }
        let branches = non_empty(rules, "oneOf").or_else(|| non_empty(rules, "anyOf"));
        if let Some(branches) = branches {
            if schema_type(rules).is_none() && !rules.contains_key("allOf") {
                let chosen = self.chosen(branches);
                return self.value(chosen, true);
            }
        }
        if rules.contains_key("allOf") || branches.is_some() {
            let (effective, merged_branch) = self.flatten(rules);
            return self.resolved_value(&Value::Object(effective), in_branch || merged_branch);
        }
        match schema_type(rules) {
            Some("object") => self.object(rules, in_branch),
            Some("array") => self.array(rules),
            Some("string") => string_sample(rules),
            Some("integer") => integer_sample(rules),
            Some("number") => number_sample(rules),
            Some("boolean") => Value::Bool(true),
            _ => json!("any"),
        }
    }

    /// One schema equivalent (for generating) to `rules` with its `allOf`
    /// parts and chosen `oneOf`/`anyOf` branch folded in: properties and
    /// `required` are united, a property declared twice must satisfy both.
    /// Returns whether a branch was folded in.
    fn flatten(&self, rules: &Map<String, Value>) -> (Map<String, Value>, bool) {
        let mut effective: Map<String, Value> = rules
            .iter()
            .filter(|(key, _)| !matches!(key.as_str(), "allOf" | "oneOf" | "anyOf"))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        for part in non_empty(rules, "allOf").unwrap_or_default() {
            self.fold(&mut effective, part);
        }
        let branches = non_empty(rules, "oneOf").or_else(|| non_empty(rules, "anyOf"));
        if let Some(branches) = branches {
            self.fold(&mut effective, self.chosen(branches));
        }
        (effective, branches.is_some())
    }

    fn fold(&self, target: &mut Map<String, Value>, part: &Value) {
        let Some(part) = self.spec.resolve(part).as_object() else {
            return;
        };
        for (key, value) in part {
            match key.as_str() {
                "allOf" => {
                    for nested in value.as_array().into_iter().flatten() {
                        self.fold(target, nested);
                    }
                }
                "properties" => {
                    let entry = target.entry("properties").or_insert_with(|| json!({}));
                    let (Some(properties), Some(added)) =
                        (entry.as_object_mut(), value.as_object())
                    else {
                        continue;
                    };
                    for (name, schema) in added {
                        match properties.get_mut(name) {
                            Some(existing) => {
                                *existing = json!({"allOf": [existing.take(), schema]})
                            }
                            None => {
                                properties.insert(name.clone(), schema.clone());
                            }
                        }
                    }
                }
                "required" => {
                    let required = target.entry("required").or_insert_with(|| json!([]));
                    if let Some(required) = required.as_array_mut() {
                        for name in value.as_array().into_iter().flatten() {
                            if !required.contains(name) {
                                required.push(name.clone());
                            }
                        }
                    }
                }
                "enum" => {
                    // Both lists constrain the value: keep what both allow.
                    let allowed = value.as_array().cloned().unwrap_or_default();
                    let kept: Vec<Value> = match target.get("enum").and_then(Value::as_array) {
                        Some(existing) => {
                            let common: Vec<Value> = existing
                                .iter()
                                .filter(|v| allowed.contains(v))
                                .cloned()
                                .collect();
                            if common.is_empty() { allowed } else { common }
                        }
                        None => allowed,
                    };
                    target.insert("enum".into(), Value::Array(kept));
                }
                // Each part's own closure rules apply to its own properties only.
                "additionalProperties" | "nullable" | "description" | "example" => {}
                _ => {
                    target.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
        }
    }

    fn object(&mut self, rules: &Map<String, Value>, in_branch: bool) -> Value {
        let required: Vec<&str> = rules
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut fields = Map::new();
        let properties = rules.get("properties").and_then(Value::as_object);
        for (name, property) in properties.into_iter().flatten() {
            let include = self.kind != SampleKind::RequiredOnly
                || required.contains(&name.as_str())
                || (in_branch && is_discriminator(self.spec.resolve(property)));
            if include {
                let value = self.value(property, false);
                fields.insert(name.clone(), value);
            }
        }
        // The spec sometimes requires a property it never declares.
        for name in required {
            fields.entry(name).or_insert_with(|| json!("any"));
        }
        if self.kind != SampleKind::RequiredOnly {
            match rules.get("additionalProperties") {
                Some(Value::Bool(true)) => {
                    fields
                        .entry("sample_key")
                        .or_insert_with(|| json!("sample value"));
                }
                Some(extra @ Value::Object(_)) if !fields.contains_key("sample_key") => {
                    let value = self.value(extra, false);
                    fields.insert("sample_key".into(), value);
                }
                _ => {}
            }
        }
        if self.kind == SampleKind::Drift {
            fields.insert(DRIFT_FIELD.into(), json!({"nested": [1, "two"]}));
        }
        Value::Object(fields)
    }

    fn array(&mut self, rules: &Map<String, Value>) -> Value {
        let count = rules
            .get("minItems")
            .and_then(Value::as_u64)
            .unwrap_or(1)
            .max(1);
        let Some(items) = rules.get("items") else {
            return json!([]);
        };
        let uniqueness = flag(rules, "uniqueItems");
        let mut values = Vec::new();
        for index in 0..count {
            let mut value = self.value(items, false);
            if uniqueness && index > 0 {
                value = json!(format!("{value}-{index}"));
            }
            values.push(value);
        }
        Value::Array(values)
    }
}

fn non_empty<'b>(rules: &'b Map<String, Value>, key: &str) -> Option<&'b [Value]> {
    rules
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .filter(|values| !values.is_empty())
}

fn flag(rules: &Map<String, Value>, key: &str) -> bool {
    rules.get(key).and_then(Value::as_bool) == Some(true)
}

/// A property whose schema allows exactly one value (`"enum": ["user"]`).
fn is_discriminator(schema: &Value) -> bool {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| values.len() == 1)
}

/// The declared type, or the one implied by the keywords present.
fn schema_type(rules: &Map<String, Value>) -> Option<&str> {
    if let Some(declared) = rules.get("type").and_then(Value::as_str) {
        return Some(declared);
    }
    if ["properties", "required", "additionalProperties"]
        .iter()
        .any(|key| rules.contains_key(*key))
    {
        return Some("object");
    }
    rules.contains_key("items").then_some("array")
}

fn string_sample(rules: &Map<String, Value>) -> Value {
    let mut text: String = match rules.get("format").and_then(Value::as_str) {
        Some("date-time") => "2024-10-29T08:30:00Z".into(),
        Some("date") => "2024-10-29".into(),
        Some("email") => "user@example.com".into(),
        Some("uri") | Some("url") => "https://example.com/".into(),
        Some("uuid") => "123e4567-e89b-12d3-a456-426614174000".into(),
        _ => "string".into(),
    };
    if let Some(min) = rules.get("minLength").and_then(Value::as_u64) {
        while (text.chars().count() as u64) < min {
            text.push('x');
        }
    }
    if let Some(max) = rules.get("maxLength").and_then(Value::as_u64) {
        text = text.chars().take(max as usize).collect();
    }
    Value::String(text)
}

fn integer_sample(rules: &Map<String, Value>) -> Value {
    let minimum = rules.get("minimum").and_then(Value::as_f64).map(|min| {
        let floor = min.ceil() as i64;
        if flag(rules, "exclusiveMinimum") && floor as f64 == min {
            floor + 1
        } else {
            floor
        }
    });
    let maximum = rules.get("maximum").and_then(Value::as_f64).map(|max| {
        let ceiling = max.floor() as i64;
        if flag(rules, "exclusiveMaximum") && ceiling as f64 == max {
            ceiling - 1
        } else {
            ceiling
        }
    });
    // int64 fields are mostly millisecond timestamps: make them look like one.
    let preferred = match rules.get("format").and_then(Value::as_str) {
        Some("int64") => 1_730_160_000_000,
        _ => 1,
    };
    let mut value = minimum.map_or(preferred, |min| preferred.max(min));
    if let Some(max) = maximum {
        value = value.min(max);
    }
    json!(value)
}

fn number_sample(rules: &Map<String, Value>) -> Value {
    let mut value = 1.5_f64;
    if let Some(min) = rules.get("minimum").and_then(Value::as_f64) {
        value = value.max(
            min + if flag(rules, "exclusiveMinimum") {
                0.5
            } else {
                0.0
            },
        );
    }
    if let Some(max) = rules.get("maximum").and_then(Value::as_f64) {
        value = value.min(
            max - if flag(rules, "exclusiveMaximum") {
                0.5
            } else {
                0.0
            },
        );
    }
    json!(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        Spec::from_value(json!({"components": {"schemas": {
            "Otp": {"type": "object", "additionalProperties": false,
                    "required": ["status"],
                    "properties": {
                        "object": {"type": "string", "enum": ["verification_otp"]},
                        "status": {"type": "string", "enum": ["unverified", "verified"]},
                        "attempts": {"type": "integer", "nullable": true}
                    }},
            "Loose": {"type": "object", "additionalProperties": false,
                      "required": ["status"],
                      "properties": {
                          "object": {"type": "string", "enum": ["verification_loose"]},
                          "status": {"type": "string"}
                      }},
            "Holder": {"type": "object", "required": ["id", "verification"], "properties": {
                "id": {"type": "string"},
                "created_at": {"type": "integer", "format": "int64", "example": 1700690400000_i64},
                "meta": {"type": "object", "additionalProperties": true},
                "verification": {"nullable": true, "oneOf": [
                    {"$ref": "#/components/schemas/Otp"}, {"$ref": "#/components/schemas/Loose"}
                ]},
                "tags": {"type": "array", "items": {"type": "string", "format": "email"}},
                "limit": {"type": "integer", "minimum": 1, "maximum": 500}
            }},
            "Tree": {"type": "object", "properties": {"child": {"$ref": "#/components/schemas/Tree"}}}
        }}}))
    }

    fn sample(kind: SampleKind) -> Value {
        let spec = spec();
        let schema = json!({"$ref": "#/components/schemas/Holder"});
        spec.samples(&schema)
            .into_iter()
            .find(|s| s.kind == kind)
            .map(|s| s.value)
            .unwrap_or_else(|| panic!("no {kind:?} sample"))
    }

    #[test]
    fn kinds_cover_branches_enums_and_examples() {
        let spec = spec();
        let kinds: Vec<SampleKind> = spec
            .samples(&json!({"$ref": "#/components/schemas/Holder"}))
            .into_iter()
            .map(|s| s.kind)
            .collect();
        use SampleKind::*;
        assert_eq!(
            kinds,
            [
                Examples,
                Full,
                RequiredOnly,
                NullableNull,
                OneOfBranch(0),
                OneOfBranch(1),
                EnumValue(0),
                EnumValue(1),
                Drift
            ]
        );
    }

    #[test]
    fn each_kind_has_its_shape() {
        assert_eq!(
            sample(SampleKind::Examples)["created_at"],
            json!(1700690400000_i64)
        );
        let full = sample(SampleKind::Full);
        assert_eq!(full["created_at"], json!(1_730_160_000_000_i64));
        assert_eq!(full["verification"]["object"], "verification_otp");
        assert_eq!(full["tags"], json!(["user@example.com"]));
        assert_eq!(full["meta"], json!({"sample_key": "sample value"}));
        assert_eq!(full["limit"], json!(1));

        let required = sample(SampleKind::RequiredOnly);
        assert_eq!(
            required,
            json!({"id": "string", "verification": {"object": "verification_otp", "status": "unverified"}})
        );

        let nulls = sample(SampleKind::NullableNull);
        assert_eq!(nulls["verification"], Value::Null);
        assert_eq!(nulls["id"], "string");

        assert_eq!(
            sample(SampleKind::OneOfBranch(1))["verification"]["object"],
            "verification_loose"
        );
        assert_eq!(
            sample(SampleKind::EnumValue(1))["verification"]["status"],
            "verified"
        );

        let drift = sample(SampleKind::Drift);
        assert_eq!(drift["verification"]["status"], DRIFT_ENUM_VALUE);
        assert_eq!(drift[DRIFT_FIELD], json!({"nested": [1, "two"]}));
        assert_eq!(
            drift["verification"][DRIFT_FIELD],
            json!({"nested": [1, "two"]})
        );
    }

    #[test]
    fn conforming_samples_validate_and_drift_breaks_closed_schemas() {
        let spec = spec();
        let schema = json!({"$ref": "#/components/schemas/Holder"});
        for sample in spec.samples(&schema) {
            let result = spec.validate(&sample.value, &schema);
            if sample.kind.conforms() {
                assert!(result.is_ok(), "{:?}: {:?}", sample.kind, result);
            } else {
                assert!(result.is_err(), "drift sample unexpectedly valid");
            }
        }
    }

    #[test]
    fn recursive_schemas_terminate() {
        let spec = spec();
        let full = spec
            .samples(&json!({"$ref": "#/components/schemas/Tree"}))
            .remove(0)
            .value;
        assert_eq!(full, json!({"child": null}));
    }
}
