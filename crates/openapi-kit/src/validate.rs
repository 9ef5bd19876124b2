//! Validating a JSON value against an OpenAPI 3.0 schema.

use std::fmt;

use serde_json::{Map, Value};

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

/// Guards against schemas that refer to themselves without end.
const MAX_DEPTH: usize = 128;

pub(crate) fn validate(spec: &Spec, value: &Value, schema: &Value) -> Result<(), Vec<Violation>> {
    let mut out = Vec::new();
    Validator {
        spec,
        out: &mut out,
    }
    .check(value, schema, "$", 0);
    if out.is_empty() { Ok(()) } else { Err(out) }
}

struct Validator<'a> {
    spec: &'a Spec,
    out: &'a mut Vec<Violation>,
}

impl Validator<'_> {
    fn report(&mut self, path: &str, message: impl Into<String>) {
        self.out.push(Violation {
            path: path.to_owned(),
            message: message.into(),
        });
    }

    /// Violations of `value` against `schema`, collected separately (for
    /// `oneOf`/`anyOf`, which need to know which branches match).
    fn branch(&self, value: &Value, schema: &Value, path: &str, depth: usize) -> Vec<Violation> {
        let mut out = Vec::new();
        Validator {
            spec: self.spec,
            out: &mut out,
        }
        .check(value, schema, path, depth);
        out
    }

    fn check(&mut self, value: &Value, schema: &Value, path: &str, depth: usize) {
        if depth > MAX_DEPTH {
            self.report(path, "schema nesting too deep (recursive $ref?)");
            return;
        }
        let schema = self.spec.resolve(schema);
        if self.spec.is_dangling_ref(schema) {
            self.report(path, format!("unresolvable $ref {}", schema["$ref"]));
            return;
        }
        let Some(rules) = schema.as_object() else {
            // `true`/`false` schemas (used by additionalProperties) are handled by
            // the caller; anything else is not a schema and allows everything.
            if schema == &Value::Bool(false) {
                self.report(path, "no value is allowed here");
            }
            return;
        };

        if value.is_null() && rules.get("nullable").and_then(Value::as_bool) == Some(true) {
            return;
        }

        if let Some(branches) = rules.get("allOf").and_then(Value::as_array) {
            for branch in branches {
                self.check(value, branch, path, depth + 1);
            }
        }
        if let Some(branches) = rules.get("anyOf").and_then(Value::as_array) {
            self.check_any_of(value, branches, path, depth);
        }
        if let Some(branches) = rules.get("oneOf").and_then(Value::as_array) {
            self.check_one_of(value, branches, path, depth);
        }
        if let Some(allowed) = rules.get("enum").and_then(Value::as_array) {
            if !allowed.contains(value) {
                self.report(
                    path,
                    format!("{value} is not one of {}", Value::Array(allowed.clone())),
                );
            }
        }
        if let Some(not) = rules.get("not") {
            if self.branch(value, not, path, depth + 1).is_empty() {
                self.report(path, "matches a schema under `not`");
            }
        }

        let declared = rules.get("type").and_then(Value::as_str);
        if let Some(expected) = declared {
            if !type_matches(expected, value) {
                self.report(
                    path,
                    format!("expected {expected}, found {}", describe(value)),
                );
                return;
            }
        }
        match value {
            Value::Object(map) if declared.is_none_or(|t| t == "object") => {
                self.check_object(map, rules, path, depth);
            }
            Value::Array(items) if declared.is_none_or(|t| t == "array") => {
                self.check_array(items, rules, path, depth);
            }
            Value::String(text) => self.check_string(text, rules, path),
            Value::Number(_) => self.check_number(value, rules, path),
            _ => {}
        }
    }

    fn check_any_of(&mut self, value: &Value, branches: &[Value], path: &str, depth: usize) {
        let mut failures = Vec::new();
        for branch in branches {
            let violations = self.branch(value, branch, path, depth + 1);
            if violations.is_empty() {
                return;
            }
            failures.push(violations);
        }
        self.report_no_branch("anyOf", failures, path);
    }

    fn check_one_of(&mut self, value: &Value, branches: &[Value], path: &str, depth: usize) {
        let mut matching = Vec::new();
        let mut failures = Vec::new();
        for (index, branch) in branches.iter().enumerate() {
            let violations = self.branch(value, branch, path, depth + 1);
            if violations.is_empty() {
                matching.push(index);
            } else {
                failures.push(violations);
            }
        }
        match matching.len() {
            1 => {}
            0 => self.report_no_branch("oneOf", failures, path),
            _ => self.report(
                path,
                format!("matches more than one oneOf branch: {matching:?}"),
            ),
        }
    }

    /// Reports that no branch matched, with the reasons of the closest branch.
    fn report_no_branch(&mut self, keyword: &str, failures: Vec<Vec<Violation>>, path: &str) {
        let closest = failures
            .into_iter()
            .min_by_key(Vec::len)
            .unwrap_or_default();
        let reasons: Vec<String> = closest.iter().map(ToString::to_string).collect();
        self.report(
            path,
            format!(
                "matches no {keyword} branch (closest: {})",
                reasons.join("; ")
            ),
        );
    }

    fn check_object(
        &mut self,
        map: &Map<String, Value>,
        rules: &Map<String, Value>,
        path: &str,
        depth: usize,
    ) {
        let properties = rules.get("properties").and_then(Value::as_object);
        if let Some(required) = rules.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                if !map.contains_key(name) {
                    self.report(path, format!("missing required property `{name}`"));
                }
            }
        }
        let additional = rules.get("additionalProperties");
        for (key, item) in map {
            let child = format!("{path}.{key}");
            match properties.and_then(|props| props.get(key)) {
                Some(property) => self.check(item, property, &child, depth + 1),
                None => match additional {
                    Some(Value::Bool(false)) => {
                        self.report(&child, "property not allowed (additionalProperties: false)");
                    }
                    Some(extra @ Value::Object(_)) => self.check(item, extra, &child, depth + 1),
                    _ => {}
                },
            }
        }
        let count = map.len() as u64;
        if let Some(min) = rules.get("minProperties").and_then(Value::as_u64) {
            if count < min {
                self.report(
                    path,
                    format!("has {count} properties, fewer than minProperties {min}"),
                );
            }
        }
        if let Some(max) = rules.get("maxProperties").and_then(Value::as_u64) {
            if count > max {
                self.report(
                    path,
                    format!("has {count} properties, more than maxProperties {max}"),
                );
            }
        }
    }

    fn check_array(
        &mut self,
        items: &[Value],
        rules: &Map<String, Value>,
        path: &str,
        depth: usize,
    ) {
        if let Some(item_schema) = rules.get("items") {
            for (index, item) in items.iter().enumerate() {
                self.check(item, item_schema, &format!("{path}[{index}]"), depth + 1);
            }
        }
        let count = items.len() as u64;
        if let Some(min) = rules.get("minItems").and_then(Value::as_u64) {
            if count < min {
                self.report(
                    path,
                    format!("has {count} items, fewer than minItems {min}"),
                );
            }
        }
        if let Some(max) = rules.get("maxItems").and_then(Value::as_u64) {
            if count > max {
                self.report(path, format!("has {count} items, more than maxItems {max}"));
            }
        }
        if rules.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
            let duplicate = items
                .iter()
                .enumerate()
                .any(|(i, item)| items[..i].contains(item));
            if duplicate {
                self.report(path, "items are not unique (uniqueItems: true)");
            }
        }
    }

    fn check_string(&mut self, text: &str, rules: &Map<String, Value>, path: &str) {
        let length = text.chars().count() as u64;
        if let Some(min) = rules.get("minLength").and_then(Value::as_u64) {
            if length < min {
                self.report(path, format!("length {length} is below minLength {min}"));
            }
        }
        if let Some(max) = rules.get("maxLength").and_then(Value::as_u64) {
            if length > max {
                self.report(path, format!("length {length} is above maxLength {max}"));
            }
        }
        let format = rules.get("format").and_then(Value::as_str);
        let valid = match format {
            Some("date-time") => is_date_time(text),
            Some("date") => is_date(text),
            Some("email") => is_email(text),
            Some("uri") | Some("url") => is_uri(text),
            Some("uuid") => is_uuid(text),
            _ => true,
        };
        if !valid {
            self.report(
                path,
                format!("{text:?} is not a valid {}", format.unwrap_or_default()),
            );
        }
    }

    fn check_number(&mut self, value: &Value, rules: &Map<String, Value>, path: &str) {
        match rules.get("format").and_then(Value::as_str) {
            Some("int32") if value.as_i64().and_then(|n| i32::try_from(n).ok()).is_none() => {
                self.report(path, format!("{value} does not fit int32"));
            }
            Some("int64") if value.as_i64().is_none() => {
                self.report(path, format!("{value} does not fit int64"));
            }
            _ => {}
        }
        let Some(number) = value.as_f64() else { return };
        let exclusive = |key: &str| rules.get(key).and_then(Value::as_bool) == Some(true);
        if let Some(min) = rules.get("minimum").and_then(Value::as_f64) {
            let too_small = if exclusive("exclusiveMinimum") {
                number <= min
            } else {
                number < min
            };
            if too_small {
                self.report(path, format!("{value} is below the minimum {min}"));
            }
        }
        if let Some(max) = rules.get("maximum").and_then(Value::as_f64) {
            let too_big = if exclusive("exclusiveMaximum") {
                number >= max
            } else {
                number > max
            };
            if too_big {
                self.report(path, format!("{value} is above the maximum {max}"));
            }
        }
    }
}

fn type_matches(expected: &str, value: &Value) -> bool {
    match expected {
        "string" => value.is_string(),
        // A JSON number written with a fraction or exponent (`1.0`, `1e3`) is
        // parsed as f64 and is not an integer on the wire.
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
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

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `YYYY-MM-DD` with a plausible month and day.
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return false;
    };
    let in_range = |part: &str, len: usize, max: u32| {
        part.len() == len
            && all_digits(part)
            && part.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n))
    };
    year.len() == 4 && all_digits(year) && in_range(month, 2, 12) && in_range(day, 2, 31)
}

/// RFC 3339: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
fn is_date_time(text: &str) -> bool {
    let Some((date, time)) = text.split_once(['T', 't']) else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let (clock, zone) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, None)
    } else if let Some(at) = time.rfind(['+', '-']) {
        (&time[..at], Some(&time[at + 1..]))
    } else {
        return false;
    };
    let clock = clock.split('.').collect::<Vec<_>>();
    let hms_ok = match clock.as_slice() {
        [hms] => is_hms(hms, 3),
        [hms, fraction] => is_hms(hms, 3) && all_digits(fraction),
        _ => false,
    };
    hms_ok && zone.is_none_or(|zone| is_hms(zone, 2))
}

/// `HH:MM[:SS]` with `parts` fields.
fn is_hms(text: &str, parts: usize) -> bool {
    let fields: Vec<&str> = text.split(':').collect();
    let limits = [23, 59, 60];
    fields.len() == parts
        && fields.iter().zip(limits).all(|(field, max)| {
            field.len() == 2 && all_digits(field) && field.parse::<u32>().is_ok_and(|n| n <= max)
        })
}

fn is_email(text: &str) -> bool {
    matches!(text.split_once('@'), Some((local, domain)) if !local.is_empty() && !domain.is_empty() && !domain.contains('@'))
}

fn is_uri(text: &str) -> bool {
    text.split_once(':').is_some_and(|(scheme, _)| {
        scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
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
                "Loop": {"$ref": "#/components/schemas/Loop"}
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
}
