//! Rendering a template's claims: every string holding `{{…}}` shortcodes is replaced with
//! values from the context (`user`, `org`, `session`).
//!
//! - A string that is exactly one shortcode (`"{{user.public_metadata}}"`) becomes the
//!   value itself, of any JSON type; a missing value is `null`.
//! - A string with text around shortcodes (`"Hello {{user.first_name}}"`) is interpolated:
//!   strings as they are, other values as JSON, missing values as nothing.
//! - `a || b || 'literal'` takes the first operand that is present and not `null`; a quoted
//!   operand (`'x'` or `"x"`) is a string literal.
//! - Paths walk into objects (`user.public_metadata.a.b`) and arrays (`…items.0`).
//! - Objects and arrays are rendered member by member; other values are left as they are.

use serde_json::{Map, Value};

/// Renders `claims` against `context` (an object with `user`, `org`, `session`).
pub(crate) fn render(claims: &Map<String, Value>, context: &Value) -> Map<String, Value> {
    claims
        .iter()
        .map(|(k, v)| (k.clone(), render_value(v, context)))
        .collect()
}

fn render_value(value: &Value, context: &Value) -> Value {
    match value {
        Value::String(s) => render_string(s, context),
        Value::Array(items) => items.iter().map(|v| render_value(v, context)).collect(),
        Value::Object(map) => Value::Object(render(map, context)),
        other => other.clone(),
    }
}

/// The pieces of a string: text, and shortcode expressions.
enum Piece<'a> {
    Text(&'a str),
    Code(&'a str),
}

fn pieces(s: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else {
            break;
        };
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        out.push(Piece::Code(&rest[start + 2..start + 2 + len]));
        rest = &rest[start + 2 + len + 2..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

fn render_string(s: &str, context: &Value) -> Value {
    let parts = pieces(s);
    match parts.as_slice() {
        [Piece::Code(expr)] => evaluate(expr, context),
        _ if parts.iter().all(|p| matches!(p, Piece::Text(_))) => Value::String(s.to_owned()),
        _ => {
            let mut out = String::new();
            for part in parts {
                match part {
                    Piece::Text(text) => out.push_str(text),
                    Piece::Code(expr) => match evaluate(expr, context) {
                        Value::Null => {}
                        Value::String(text) => out.push_str(&text),
                        other => out.push_str(&other.to_string()),
                    },
                }
            }
            Value::String(out)
        }
    }
}

/// The value of `a || b || 'c'`: the first operand present and not `null`, else `null`.
fn evaluate(expr: &str, context: &Value) -> Value {
    for operand in expr.split("||").map(str::trim) {
        let value = literal(operand).unwrap_or_else(|| lookup(operand, context));
        if !value.is_null() {
            return value;
        }
    }
    Value::Null
}

fn literal(operand: &str) -> Option<Value> {
    for quote in ['\'', '"'] {
        if operand.len() >= 2 && operand.starts_with(quote) && operand.ends_with(quote) {
            return Some(Value::String(operand[1..operand.len() - 1].to_owned()));
        }
    }
    None
}

fn lookup(path: &str, context: &Value) -> Value {
    let mut current = context;
    for segment in path.split('.') {
        let next = match current {
            Value::Object(map) => map.get(segment),
            Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(value) => current = value,
            None => return Value::Null,
        }
    }
    current.clone()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ctx() -> Value {
        json!({
            "user": {"id": "user_1", "first_name": "Ada", "last_name": null, "username": null,
                     "public_metadata": {"a": {"b": [1, 2]}, "plan": "pro"}},
            "org": null,
            "session": {"actor": null}
        })
    }

    fn one(claim: Value) -> Value {
        let map = json!({ "c": claim });
        render(map.as_object().unwrap(), &ctx())["c"].clone()
    }

    #[test]
    fn whole_shortcodes_keep_their_type() {
        assert_eq!(one(json!("{{user.id}}")), json!("user_1"));
        assert_eq!(
            one(json!("{{ user.public_metadata.a }}")),
            json!({"b": [1, 2]})
        );
        assert_eq!(one(json!("{{user.public_metadata.a.b.1}}")), json!(2));
        assert_eq!(one(json!("{{user.nothing}}")), Value::Null);
        assert_eq!(one(json!("{{org.id}}")), Value::Null);
    }

    #[test]
    fn interpolation_and_fallbacks() {
        assert_eq!(one(json!("Hi {{user.first_name}}!")), json!("Hi Ada!"));
        assert_eq!(
            one(json!("{{user.first_name}} {{user.last_name}}")),
            json!("Ada ")
        );
        assert_eq!(one(json!("{{user.username || user.id}}")), json!("user_1"));
        assert_eq!(one(json!("{{user.username || 'anon'}}")), json!("anon"));
        assert_eq!(one(json!("{{org.slug || \"none\"}}")), json!("none"));
        assert_eq!(
            one(json!("plan={{user.public_metadata.a}}")),
            json!("plan={\"b\":[1,2]}")
        );
    }

    #[test]
    fn nested_objects_arrays_and_static_values() {
        assert_eq!(
            one(
                json!({"x": ["{{user.id}}", 3, {"y": "{{user.public_metadata.plan}}"}], "z": true})
            ),
            json!({"x": ["user_1", 3, {"y": "pro"}], "z": true})
        );
        assert_eq!(one(json!("plain {{ unclosed")), json!("plain {{ unclosed"));
    }
}
