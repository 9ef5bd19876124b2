//! User metadata: the deep merge of `PATCH /v1/users/{id}/metadata`.

use serde_json::{Map, Value};

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
