//! The query of a Frontend API list, as clerk-js sends it: `limit` (default 10, at most
//! 500) and `offset`, filters by name (an array as repeated keys or comma-separated, as
//! `URLSearchParams` writes one), beside keys the operation does not read
//! (`_clerk_session_id`, `__clerk_api_version`, `paginated`, …), which are ignored. A list
//! answers `{data, total_count}` inside the envelope.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde_json::{Value, json};

use super::respond::Reply;
use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::store::Page;

/// The most items a page holds.
const MAX_LIMIT: i64 = 500;
/// The page size without `limit`, clerk-js's own default.
const DEFAULT_LIMIT: i64 = 10;

/// A list request's query.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    fields: Vec<(String, String)>,
}

impl FromRequestParts<AppState> for Listing {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, ApiError> {
        let fields = url::form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
        Ok(Self { fields })
    }
}

impl Listing {
    /// The first non-empty value of `name`.
    pub(crate) fn string(&self, name: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// Every value of `name` (also `name[]`), comma-separated ones split, empty ones
    /// dropped.
    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        let bracketed = format!("{name}[]");
        self.fields
            .iter()
            .filter(|(k, _)| *k == name || *k == bracketed)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// `limit` and `offset`: 422 `form_param_value_invalid` unless they are numbers in
    /// range.
    pub(crate) fn page(&self) -> Result<Page, ApiError> {
        let number = |name: &str, default: i64, range: std::ops::RangeInclusive<i64>| {
            let Some(text) = self.string(name) else {
                return Ok(default);
            };
            text.parse::<i64>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| {
                    ApiError::param_value_invalid(
                        name,
                        format!(
                            "{name} must be a number between {} and {}.",
                            range.start(),
                            range.end()
                        ),
                    )
                })
        };
        Ok(Page {
            limit: number("limit", DEFAULT_LIMIT, 1..=MAX_LIMIT)?,
            offset: number("offset", 0, 0..=i64::from(i32::MAX))?,
        })
    }
}

/// `{data, total_count}`, enveloped.
pub(crate) fn paginated(data: Vec<Value>, total_count: i64) -> Reply {
    Reply::Enveloped(json!({"data": data, "total_count": total_count}))
}

/// A page of `items` (all of a list that is filtered here rather than in storage).
pub(crate) fn page_of(items: Vec<Value>, page: Page) -> Reply {
    let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let data = items
        .into_iter()
        .skip(usize::try_from(page.offset).unwrap_or(usize::MAX))
        .take(usize::try_from(page.limit).unwrap_or(0))
        .collect();
    paginated(data, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_come_repeated_or_comma_separated() {
        let listing = Listing {
            fields: vec![
                ("status".into(), "pending,expired".into()),
                ("role[]".into(), "org:admin".into()),
                ("role".into(), "".into()),
                ("limit".into(), "20".into()),
            ],
        };
        assert_eq!(listing.all("status"), ["pending", "expired"]);
        assert_eq!(listing.all("role"), ["org:admin"]);
        let page = listing.page().unwrap();
        assert_eq!((page.limit, page.offset), (20, 0));
        let bad = Listing {
            fields: vec![("limit".into(), "0".into())],
        };
        assert!(bad.page().is_err());
    }
}
