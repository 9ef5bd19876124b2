//! Turning an OpenAPI 3.0 schema into a JSON Schema (draft 4) document that
//! the `jsonschema` crate can validate with.
//!
//! OpenAPI 3.0's schema object is close to JSON Schema draft 4 (same `integer`
//! rule, boolean `exclusiveMinimum`/`exclusiveMaximum`); what differs is
//! rewritten here:
//! - `nullable: true` becomes `anyOf: [{type: null}, <the schema>]`, so `null`
//!   passes whatever else the schema says (its `enum`, `allOf`, ...);
//! - `$ref`s point into the spec document, which the validator does not see:
//!   each target is converted too and placed under the root's `definitions`;
//! - formats OpenAPI adds are spelled as JSON Schema: `int32`/`int64` as
//!   bounds, `uuid` as a pattern, `url` as `uri`;
//! - everything else (`example`, `x-*`, `discriminator`, `readOnly`, ...) is
//!   an annotation and is left out, as are `pattern` and `multipleOf`, which
//!   this kit does not check (see [`Spec::validate`]).

use serde_json::{Map, Value, json};

use crate::spec::Spec;

/// How many `$ref` hops lead to a schema at most; more means a cycle of
/// references that never reaches one.
const MAX_REF_HOPS: usize = 64;

/// `format: uuid`: draft 4 has no such format, so it is checked as a pattern.
const UUID_PATTERN: &str =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/// Formats that `jsonschema` checks under draft 4 just as OpenAPI means them.
const DRAFT4_FORMATS: [&str; 4] = ["date-time", "date", "email", "uri"];

/// The JSON Schema document for `schema`: `{"allOf": [schema], "definitions": {...}}`,
/// with every schema it reaches through `$ref` under `definitions`.
///
/// Fails on a `$ref` that leads nowhere (or only to more `$ref`s), or that is
/// not a local `#/...` reference.
pub(crate) fn json_schema(spec: &Spec, schema: &Value) -> Result<Value, String> {
    let mut converter = Converter {
        spec,
        targets: Vec::new(),
    };
    let root = converter.schema(schema)?;
    // Targets found while converting a target are appended and reached in turn.
    let mut definitions = Map::new();
    let mut next = 0;
    while let Some(&pointer) = converter.targets.get(next) {
        let target = spec.document().pointer(pointer).unwrap_or(&Value::Null);
        definitions.insert(next.to_string(), converter.schema(target)?);
        next += 1;
    }
    Ok(json!({"allOf": [root], "definitions": definitions}))
}

struct Converter<'a> {
    spec: &'a Spec,
    /// JSON pointers (into the spec) of the `$ref` targets met so far; the
    /// position of each is its name under `definitions`.
    targets: Vec<&'a str>,
}

impl<'a> Converter<'a> {
    fn schema(&mut self, node: &'a Value) -> Result<Value, String> {
        let Some(rules) = node.as_object() else {
            // Only `additionalProperties` may be a boolean in OpenAPI 3.0 (handled
            // by its caller); elsewhere `false` still rejects all, anything else nothing.
            return Ok(if node == &Value::Bool(false) {
                json!({"not": {}})
            } else {
                json!({})
            });
        };
        if let Some(reference) = rules.get("$ref") {
            // OpenAPI 3.0 ignores a `$ref`'s siblings (`nullable` and `description` included).
            return self.reference(reference);
        }
        let mut out = Map::new();
        for (keyword, value) in rules {
            self.keyword(keyword, value, &mut out)?;
        }
        let out = Value::Object(out);
        if rules.get("nullable") == Some(&Value::Bool(true)) {
            Ok(json!({"anyOf": [{"type": "null"}, out]}))
        } else {
            Ok(out)
        }
    }

    /// Copies (converted) the keywords that validate; drops annotations.
    fn keyword(
        &mut self,
        keyword: &str,
        value: &'a Value,
        out: &mut Map<String, Value>,
    ) -> Result<(), String> {
        match (keyword, value) {
            ("type", Value::String(name)) if is_type(name) => copy(out, keyword, value),
            ("enum", Value::Array(_)) => copy(out, keyword, value),
            // Draft 4 wants at least one name; an empty list requires nothing anyway.
            ("required", Value::Array(names)) if !names.is_empty() => copy(out, keyword, value),
            ("properties", Value::Object(properties)) => {
                let mut converted = Map::new();
                for (name, property) in properties {
                    converted.insert(name.clone(), self.schema(property)?);
                }
                out.insert(keyword.into(), Value::Object(converted));
            }
            ("additionalProperties", Value::Bool(_)) => copy(out, keyword, value),
            ("additionalProperties" | "items" | "not", _) => {
                out.insert(keyword.into(), self.schema(value)?);
            }
            ("allOf" | "anyOf" | "oneOf", Value::Array(branches)) if !branches.is_empty() => {
                let converted = branches
                    .iter()
                    .map(|branch| self.schema(branch))
                    .collect::<Result<Vec<_>, _>>()?;
                if keyword == "allOf" {
                    converted
                        .into_iter()
                        .for_each(|branch| push_all_of(out, branch));
                } else {
                    out.insert(keyword.into(), Value::Array(converted));
                }
            }
            ("minimum" | "maximum", Value::Number(_)) => copy(out, keyword, value),
            ("exclusiveMinimum" | "exclusiveMaximum" | "uniqueItems", Value::Bool(_)) => {
                copy(out, keyword, value)
            }
            (
                "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties"
                | "maxProperties",
                Value::Number(n),
            ) if n.is_u64() => copy(out, keyword, value),
            ("format", Value::String(format)) => add_format(out, format),
            _ => {}
        }
        Ok(())
    }

    /// `{"$ref": "#/definitions/<n>"}` for the schema `reference` leads to.
    fn reference(&mut self, reference: &'a Value) -> Result<Value, String> {
        let pointer = self.target(reference)?;
        let index = match self.targets.iter().position(|known| *known == pointer) {
            Some(index) => index,
            None => {
                self.targets.push(pointer);
                self.targets.len() - 1
            }
        };
        Ok(json!({"$ref": format!("#/definitions/{index}")}))
    }

    /// The JSON pointer of the schema a `$ref` leads to, following `$ref`s
    /// that lead to further `$ref`s.
    fn target(&self, reference: &'a Value) -> Result<&'a str, String> {
        let doc = self.spec.document();
        let mut reference = reference;
        for _ in 0..MAX_REF_HOPS {
            let pointer = reference
                .as_str()
                .and_then(|text| text.strip_prefix('#'))
                .ok_or_else(|| format!("unsupported $ref {reference} (only #/... is)"))?;
            let node = doc
                .pointer(pointer)
                .ok_or_else(|| format!("unresolvable $ref {reference}"))?;
            match node.get("$ref") {
                Some(next) => reference = next,
                None => return Ok(pointer),
            }
        }
        Err(format!("$ref {reference} is part of a cycle of $refs"))
    }
}

fn copy(out: &mut Map<String, Value>, keyword: &str, value: &Value) {
    out.insert(keyword.into(), value.clone());
}

fn is_type(name: &str) -> bool {
    ["string", "integer", "number", "boolean", "array", "object"].contains(&name)
}

/// Adds a schema that must hold as well (format rules and `allOf` branches
/// share the one `allOf` list).
fn push_all_of(out: &mut Map<String, Value>, schema: Value) {
    match out.get_mut("allOf") {
        Some(Value::Array(list)) => list.push(schema),
        _ => {
            out.insert("allOf".into(), Value::Array(vec![schema]));
        }
    }
}

/// The checks of an OpenAPI `format`, in JSON Schema draft 4 terms. Formats
/// not listed (`binary`, `float`, `double`, ...) are only hints.
fn add_format(out: &mut Map<String, Value>, format: &str) {
    match format {
        _ if DRAFT4_FORMATS.contains(&format) => {
            out.insert("format".into(), format.into());
        }
        "url" => {
            out.insert("format".into(), "uri".into());
        }
        "uuid" => push_all_of(out, json!({"pattern": UUID_PATTERN})),
        // `maximum`/`minimum` apply to numbers only, as the formats do.
        "int32" => push_all_of(out, json!({"minimum": i32::MIN, "maximum": i32::MAX})),
        "int64" => push_all_of(out, json!({"minimum": i64::MIN, "maximum": i64::MAX})),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        Spec::from_value(json!({"components": {"schemas": {
            "Id": {"type": "string", "example": "user_1", "x-speakeasy-name": "id"},
            "Alias": {"$ref": "#/components/schemas/Id"},
            "Tree": {"type": "object", "properties": {
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}
            }},
            "Loop": {"$ref": "#/components/schemas/Loop"}
        }}}))
    }

    fn convert(schema: Value) -> Result<Value, String> {
        json_schema(&spec(), &schema)
    }

    #[test]
    fn nullable_wraps_the_whole_schema() {
        let converted = convert(json!({"type": "string", "enum": ["a"], "nullable": true}));
        assert_eq!(
            converted.unwrap()["allOf"][0],
            json!({"anyOf": [{"type": "null"}, {"type": "string", "enum": ["a"]}]})
        );
    }

    #[test]
    fn annotations_are_dropped() {
        let schema = json!({"type": "object", "description": "d", "example": {}, "readOnly": true,
                            "writeOnly": false, "x-any": 1, "discriminator": {"propertyName": "object"},
                            "pattern": "^a$", "multipleOf": 2, "deprecated": true});
        assert_eq!(
            convert(schema).unwrap()["allOf"][0],
            json!({"type": "object"})
        );
    }

    #[test]
    fn refs_become_definitions_once() {
        let schema = json!({"type": "object", "properties": {
            "a": {"$ref": "#/components/schemas/Alias"},
            "b": {"$ref": "#/components/schemas/Id", "nullable": true},
            "tree": {"$ref": "#/components/schemas/Tree"}
        }});
        let converted = convert(schema).unwrap();
        let properties = &converted["allOf"][0]["properties"];
        // A chain of refs is followed to its end; a ref's siblings are ignored.
        assert_eq!(properties["a"], json!({"$ref": "#/definitions/0"}));
        assert_eq!(properties["b"], json!({"$ref": "#/definitions/0"}));
        assert_eq!(converted["definitions"]["0"], json!({"type": "string"}));
        // A schema that refers to itself refers to its own definition.
        assert_eq!(properties["tree"], json!({"$ref": "#/definitions/1"}));
        assert_eq!(
            converted["definitions"]["1"]["properties"]["children"]["items"],
            json!({"$ref": "#/definitions/1"})
        );
    }

    #[test]
    fn broken_refs_fail() {
        let missing = convert(json!({"$ref": "#/components/schemas/Missing"})).unwrap_err();
        assert!(missing.contains("unresolvable"), "{missing}");
        let remote = convert(json!({"$ref": "other.json#/User"})).unwrap_err();
        assert!(remote.contains("unsupported"), "{remote}");
        let cycle = convert(json!({"$ref": "#/components/schemas/Loop"})).unwrap_err();
        assert!(cycle.contains("cycle"), "{cycle}");
    }

    #[test]
    fn formats_become_draft4_rules() {
        let int32 = convert(json!({"type": "integer", "format": "int32", "minimum": 1})).unwrap();
        assert_eq!(
            int32["allOf"][0],
            json!({"type": "integer", "minimum": 1,
                   "allOf": [{"minimum": i32::MIN, "maximum": i32::MAX}]})
        );
        let url = convert(json!({"type": "string", "format": "url"})).unwrap();
        assert_eq!(url["allOf"][0]["format"], "uri");
        let binary = convert(json!({"type": "string", "format": "binary"})).unwrap();
        assert_eq!(binary["allOf"][0], json!({"type": "string"}));
    }
}
