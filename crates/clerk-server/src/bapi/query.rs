//! Query strings: repeated keys (`email_address=a&email_address=b`), percent-decoding, and
//! the `limit`/`offset`/`paginated` parameters every list shares.
//!
//! Unknown query parameters are ignored, as Clerk does (so `email_address[]=x` filters
//! nothing, like the real API).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::bapi::errors::ApiError;
pub(crate) use crate::store::Page;
use crate::store::sql::Sort;

/// The decoded key/value pairs of a query string, in order.
#[derive(Debug, Default, Clone)]
pub(crate) struct QueryParams {
    pairs: Vec<(String, String)>,
}

pub(crate) const DEFAULT_LIMIT: i64 = 10;
pub(crate) const MAX_LIMIT: i64 = 500;

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let params = Self::parse(parts.uri.query().unwrap_or(""));
        params.reject_nul()?;
        Ok(params)
    }
}

impl QueryParams {
    /// Parses a raw query string.
    pub(crate) fn parse(query: &str) -> Self {
        Self {
            pairs: url::form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        }
    }

    /// Rejects a value holding a NUL character (422 `form_param_format_invalid`): no stored
    /// value has one, and PostgreSQL cannot even compare text with one.
    fn reject_nul(&self) -> Result<(), ApiError> {
        match self.pairs.iter().find(|(_, v)| v.contains('\0')) {
            None => Ok(()),
            Some((name, _)) => Err(ApiError::param_holds_nul(name)),
        }
    }

    /// Every value of a repeated key, in order.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The first value of a key (Clerk honours only the first of a repeated scalar).
    pub(crate) fn first(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A non-empty string parameter.
    pub(crate) fn string(&self, name: &str) -> Option<String> {
        self.first(name)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// An integer parameter. A whole number written as a float (`10.0`, as Clerk's Python
    /// client sends `limit` to some lists) is that integer.
    pub(crate) fn i64(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.first(name) {
            None | Some("") => Ok(None),
            Some(v) => parse_whole(v.trim()).map(Some).ok_or_else(|| {
                ApiError::param_format_invalid(name, format!("{name} must be an integer."))
            }),
        }
    }

    /// A unix-millisecond date parameter (`created_at_before`, …).
    pub(crate) fn date_ms(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.first(name) {
            None | Some("") => Ok(None),
            Some(v) => v.trim().parse().map(Some).map_err(|_| {
                ApiError::form(
                    "form_param_invalid_date",
                    name,
                    "Date values must be given in Unix millisecond timestamp format.",
                    "Date values must be given in Unix millisecond timestamp format.",
                )
            }),
        }
    }

    /// A boolean parameter: `true`/`false` (any case) or `1`/`0`.
    pub(crate) fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.first(name) {
            None | Some("") => Ok(None),
            Some(v) => match v.trim().to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(Some(true)),
                "false" | "0" => Ok(Some(false)),
                _ => Err(ApiError::param_format_invalid(
                    name,
                    format!("{name} must be either true or false."),
                )),
            },
        }
    }

    /// Whether the list should answer `{"data":[…],"total_count":N}` instead of a bare array.
    pub(crate) fn paginated(&self) -> Result<bool, ApiError> {
        Ok(self.bool("paginated")?.unwrap_or(false))
    }

    /// `order_by`: one of `allowed`, with an optional `+` (a `+` sent unencoded arrives as
    /// a space) or `-`; `default` when absent. 422 for another field.
    pub(crate) fn sort(&self, allowed: &[&'static str], default: Sort) -> Result<Sort, ApiError> {
        let Some(raw) = self.first("order_by").filter(|v| !v.is_empty()) else {
            return Ok(default);
        };
        let raw = raw
            .strip_prefix(' ')
            .map_or(raw.to_owned(), |r| format!("+{r}"));
        Sort::parse(&raw, allowed).ok_or_else(|| {
            ApiError::param_value_invalid(
                "order_by",
                format!(
                    "{raw} does not match the allowed values for parameter order_by. Allowed values: {}",
                    allowed.join(", ")
                ),
            )
        })
    }

    /// The `limit` and `offset` of a list.
    pub(crate) fn page(&self) -> Result<Page, ApiError> {
        let limit = self.i64("limit")?.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::param_value_invalid(
                "limit",
                format!("limit must be between 1 and {MAX_LIMIT}, got {limit}."),
            ));
        }
        let offset = self.i64("offset")?.unwrap_or(0);
        if offset < 0 {
            return Err(ApiError::param_value_invalid(
                "offset",
                "offset must be an integer greater or equal to zero.",
            ));
        }
        Ok(Page { limit, offset })
    }
}

/// An integer, or a float with nothing after the point (`10.0`).
fn parse_whole(text: &str) -> Option<i64> {
    if let Ok(n) = text.parse::<i64>() {
        return Some(n);
    }
    let (whole, fraction) = text.split_once('.')?;
    if !fraction.is_empty() && fraction.bytes().all(|b| b == b'0') {
        whole.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_and_percent_decoding() {
        let q = QueryParams::parse(
            "email_address=a%40x.com&email_address=b%40x.com&order_by=%2Bcreated_at",
        );
        assert_eq!(q.all("email_address"), vec!["a@x.com", "b@x.com"]);
        assert_eq!(q.first("order_by"), Some("+created_at"));
        assert!(q.all("email_address[]").is_empty());
    }

    #[test]
    fn page_defaults_and_bounds() {
        assert_eq!(
            QueryParams::parse("").page().unwrap(),
            Page {
                limit: 10,
                offset: 0
            }
        );
        assert_eq!(
            QueryParams::parse("limit=500&offset=3").page().unwrap(),
            Page {
                limit: 500,
                offset: 3
            }
        );
        for bad in ["limit=0", "limit=501", "limit=-1", "offset=-1"] {
            assert_eq!(
                QueryParams::parse(bad).page().unwrap_err().code(),
                "form_param_value_invalid",
                "{bad}"
            );
        }
        assert_eq!(
            QueryParams::parse("limit=10.0&offset=0.0").page().unwrap(),
            Page {
                limit: 10,
                offset: 0
            }
        );
        assert!(QueryParams::parse("limit=10.5").page().is_err());
        assert_eq!(
            QueryParams::parse("limit=ten").page().unwrap_err().code(),
            "form_param_format_invalid"
        );
    }

    #[test]
    fn nul_values_are_rejected() {
        let err = QueryParams::parse("limit=1&email_address=a%00b")
            .reject_nul()
            .unwrap_err();
        assert_eq!(err.code(), "form_param_format_invalid");
        assert!(QueryParams::parse("email_address=%FF").reject_nul().is_ok());
    }

    #[test]
    fn booleans() {
        assert!(QueryParams::parse("paginated=true").paginated().unwrap());
        assert!(!QueryParams::parse("paginated=FALSE").paginated().unwrap());
        assert!(QueryParams::parse("paginated=maybe").paginated().is_err());
    }
}
