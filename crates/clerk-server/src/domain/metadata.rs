//! User metadata: the deep merge of `PATCH /v1/users/{id}/metadata`, and Clerk's limit on
//! the size of each metadata field.

use serde_json::{Map, Value};

use crate::domain::error::Rule;

/// The largest a metadata field (`public_metadata`, …) may be, as compact JSON: Clerk's 8 KB.
pub(crate) const MAX_METADATA_BYTES: usize = 8 * 1024;

/// 422 `form_param_exceeds_allowed_size` when `value`, as stored, is over
/// [`MAX_METADATA_BYTES`]. Checked on what would be stored: after a merge, the result.
pub(crate) fn check_size(param: &str, value: &Map<String, Value>) -> Result<(), Rule> {
    let size = serde_json::to_vec(value).map_or(usize::MAX, |json| json.len());
    if size <= MAX_METADATA_BYTES {
        return Ok(());
    }
    Err(Rule::input(
        "form_param_exceeds_allowed_size",
        param,
        "exceeds the allowed size",
        format!(
            "{param} is {size} bytes as JSON; metadata can be at most {MAX_METADATA_BYTES} bytes."
        ),
    ))
}

/// Merges `patch` into `target` the way Clerk's metadata endpoint does: nested objects are
/// merged recursively, a `null` value deletes the key at any depth, and anything else
/// (strings, numbers, arrays) replaces the old value.
pub(crate) fn deep_merge(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (key, value) in patch {
        match value {
            Value::Null => {
                target.remove(key);
            }
            Value::Object(inner_patch) => match target.get_mut(key) {
                Some(Value::Object(inner_target)) => deep_merge(inner_target, inner_patch),
                _ => {
                    // A new object still obeys the "null deletes" rule inside it.
                    let mut fresh = Map::new();
                    deep_merge(&mut fresh, inner_patch);
                    target.insert(key.clone(), Value::Object(fresh));
                }
            },
            other => {
                target.insert(key.clone(), other.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_over_8_kb_is_refused() {
        let fits = serde_json::json!({"k": "x".repeat(MAX_METADATA_BYTES - 8)});
        let fits = fits.as_object().unwrap();
        assert_eq!(serde_json::to_vec(fits).unwrap().len(), MAX_METADATA_BYTES);
        assert!(check_size("public_metadata", fits).is_ok());
        let over = serde_json::json!({"k": "x".repeat(MAX_METADATA_BYTES - 7)});
        let err = check_size("public_metadata", over.as_object().unwrap()).unwrap_err();
        assert_eq!(err.code, "form_param_exceeds_allowed_size");
    }
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn merges_deeply_and_null_deletes() {
        let mut target = obj(json!({
            "keep": 1,
            "drop": true,
            "nested": {"a": 1, "b": {"c": 2, "d": 3}},
            "list": [1, 2]
        }));
        deep_merge(
            &mut target,
            &obj(json!({
                "drop": null,
                "nested": {"b": {"d": null, "e": 4}, "f": "x"},
                "list": [3],
                "new": {"g": null, "h": 1}
            })),
        );
        assert_eq!(
            Value::Object(target),
            json!({
                "keep": 1,
                "nested": {"a": 1, "b": {"c": 2, "e": 4}, "f": "x"},
                "list": [3],
                "new": {"h": 1}
            })
        );
    }

    #[test]
    fn object_replaces_scalar_and_scalar_replaces_object() {
        let mut target = obj(json!({"a": 1, "b": {"x": 1}}));
        deep_merge(&mut target, &obj(json!({"a": {"y": 2}, "b": "s"})));
        assert_eq!(Value::Object(target), json!({"a": {"y": 2}, "b": "s"}));
    }
}
