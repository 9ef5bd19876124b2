//! Request bodies of the Frontend API. clerk-js sends `application/x-www-form-urlencoded`
//! (camelCase keys already snake_cased, arrays as repeated keys, objects as JSON strings,
//! `null` as an empty value); a JSON object body is read as well, for other clients. Fields
//! an operation does not use are ignored, as clerk-js adds some (`locale`, `timezone`).

use axum::extract::{FromRequest, Request};
use axum::http::header;

use crate::bapi::AppState;
use crate::bapi::body::read_limited;
use crate::bapi::errors::ApiError;

/// A form body: its fields in order (a key may repeat).
#[derive(Default)]
pub(crate) struct Form {
    fields: Vec<(String, String)>,
}

/// Only the field names: forms carry passwords and codes.
impl std::fmt::Debug for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Form")
            .field(
                "fields",
                &self.fields.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl FromRequest<AppState> for Form {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().starts_with("application/json"));
        let bytes = read_limited(req, state, state.settings.max_body_bytes).await?;
        if json {
            Self::from_json(&bytes)
        } else {
            Ok(Self::from_urlencoded(&bytes))
        }
    }
}

impl Form {
    /// A form from `application/x-www-form-urlencoded` bytes.
    pub(crate) fn from_urlencoded(bytes: &[u8]) -> Self {
        Self {
            fields: url::form_urlencoded::parse(bytes).into_owned().collect(),
        }
    }

    /// A form from a JSON object: strings as they are, other scalars as their JSON text,
    /// arrays as repeated keys, `null` as an empty value.
    fn from_json(bytes: &[u8]) -> Result<Self, ApiError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        let value: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|_| ApiError::body_invalid("it is not valid JSON"))?;
        let serde_json::Value::Object(map) = value else {
            return Err(ApiError::body_invalid("it is not a JSON object"));
        };
        let mut fields = Vec::new();
        for (key, value) in map {
            let items = match value {
                serde_json::Value::Array(items) => items,
                other => vec![other],
            };
            for item in items {
                let text = match item {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                fields.push((key.clone(), text));
            }
        }
        Ok(Self { fields })
    }

    /// The first value of `name`, as sent (possibly empty).
    pub(crate) fn raw(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every non-empty value of `name` (also sent as `name[]`), in order.
    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        let bracketed = format!("{name}[]");
        self.fields
            .iter()
            .filter(|(key, value)| (*key == name || *key == bracketed) && !value.is_empty())
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// The first value of `name`, unless it is missing or empty (clerk-js sends `null` as
    /// an empty value).
    pub(crate) fn string(&self, name: &str) -> Option<String> {
        self.raw(name)
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
    }

    /// `name` as a JSON object (clerk-js sends objects as JSON strings), if given: 422
    /// `form_param_value_invalid` when it is not one.
    pub(crate) fn json_object(
        &self,
        name: &str,
    ) -> Result<Option<serde_json::Map<String, serde_json::Value>>, ApiError> {
        let Some(text) = self.string(name) else {
            return Ok(None);
        };
        match serde_json::from_str(&text) {
            Ok(serde_json::Value::Object(map)) => Ok(Some(map)),
            _ => Err(ApiError::param_value_invalid(
                name,
                format!("{name} must be a JSON object."),
            )),
        }
    }

    /// `name`, which the operation requires: 422 `form_param_missing` without it.
    pub(crate) fn required(&self, name: &str) -> Result<String, ApiError> {
        self.string(name).ok_or_else(|| {
            ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "form_param_missing",
                "is missing",
                format!("{name} must be included."),
            )
            .with_param(name)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencoded_forms_keep_empty_values_apart_from_missing_ones() {
        let form =
            Form::from_urlencoded(b"identifier=a%2Bclerk_test%40x.com&organization_id=&locale=en");
        assert_eq!(
            form.string("identifier").as_deref(),
            Some("a+clerk_test@x.com")
        );
        assert_eq!(form.raw("organization_id"), Some(""));
        assert_eq!(form.string("organization_id"), None);
        assert_eq!(form.raw("password"), None);
        assert!(!format!("{form:?}").contains("clerk_test"));
    }

    #[test]
    fn json_bodies_become_fields() {
        let form = Form::from_json(br#"{"identifier":"u@x.com","n":3,"none":null}"#).unwrap();
        assert_eq!(form.string("identifier").as_deref(), Some("u@x.com"));
        assert_eq!(form.string("n").as_deref(), Some("3"));
        assert_eq!(form.raw("none"), Some(""));
        assert!(Form::from_json(b"[1]").is_err());
    }
}
