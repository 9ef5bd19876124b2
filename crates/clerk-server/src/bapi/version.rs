//! Clerk API versions: chosen per request by the `Clerk-API-Version` header or the
//! `__clerk_api_version` query parameter.

use std::fmt;
use std::str::FromStr;

use axum::http::HeaderMap;

use crate::bapi::errors::ApiError;

/// A version of Clerk's Backend API. Versions are dates; later versions compare greater.
///
/// The differences this server implements:
/// - from [`ApiVersion::V2025_04_10`], session tokens carry v2 claims (`v`, `sts`, `jti`,
///   `o`) and `POST /v1/sessions/{id}/verify` answers 410 `operation_deprecated`;
/// - from [`ApiVersion::V2026_05_12`], `PATCH /v1/users/{id}` rejects `public_metadata`,
///   `private_metadata` and `unsafe_metadata` (use the `/metadata` endpoints).
///
/// ```
/// use clerk_server::ApiVersion;
///
/// let v: ApiVersion = "2025-04-10".parse().unwrap();
/// assert!(v > ApiVersion::DEFAULT);
/// assert_eq!(v.to_string(), "2025-04-10");
/// assert!("2025-01-01".parse::<ApiVersion>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ApiVersion {
    /// `2021-02-05`, the version a request gets when it names none.
    V2021_02_05,
    /// `2024-10-01`.
    V2024_10_01,
    /// `2025-03-12`.
    V2025_03_12,
    /// `2025-04-10`: v2 session tokens; session verify removed.
    V2025_04_10,
    /// `2025-11-10`.
    V2025_11_10,
    /// `2026-05-12`: metadata rejected by `PATCH /v1/users/{id}`.
    V2026_05_12,
}

impl ApiVersion {
    /// The version of requests that name none.
    ///
    /// ```
    /// use clerk_server::ApiVersion;
    ///
    /// assert_eq!(ApiVersion::DEFAULT.as_str(), "2021-02-05");
    /// assert!(!ApiVersion::DEFAULT.session_token_v2());
    /// ```
    pub const DEFAULT: ApiVersion = ApiVersion::V2021_02_05;
    /// The newest version this server knows.
    ///
    /// ```
    /// use clerk_server::ApiVersion;
    ///
    /// assert_eq!(ApiVersion::LATEST, *ApiVersion::ALL.last().unwrap());
    /// assert!(ApiVersion::LATEST.update_user_rejects_metadata());
    /// ```
    pub const LATEST: ApiVersion = ApiVersion::V2026_05_12;
    /// Every version this server accepts, oldest first.
    ///
    /// ```
    /// use clerk_server::ApiVersion;
    ///
    /// assert!(ApiVersion::ALL.is_sorted());
    /// assert_eq!(ApiVersion::ALL[0], ApiVersion::DEFAULT);
    /// for version in ApiVersion::ALL {
    ///     assert_eq!(version.as_str().parse::<ApiVersion>(), Ok(version));
    /// }
    /// ```
    pub const ALL: [ApiVersion; 6] = [
        ApiVersion::V2021_02_05,
        ApiVersion::V2024_10_01,
        ApiVersion::V2025_03_12,
        ApiVersion::V2025_04_10,
        ApiVersion::V2025_11_10,
        ApiVersion::V2026_05_12,
    ];

    /// The version as Clerk writes it, e.g. `"2025-04-10"`.
    ///
    /// ```
    /// use clerk_server::ApiVersion;
    ///
    /// assert_eq!(ApiVersion::V2025_04_10.as_str(), "2025-04-10");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V2021_02_05 => "2021-02-05",
            ApiVersion::V2024_10_01 => "2024-10-01",
            ApiVersion::V2025_03_12 => "2025-03-12",
            ApiVersion::V2025_04_10 => "2025-04-10",
            ApiVersion::V2025_11_10 => "2025-11-10",
            ApiVersion::V2026_05_12 => "2026-05-12",
        }
    }

    /// Whether session tokens carry the v2 claims (`v: 2`, `sts`, `jti`, `o`).
    ///
    /// ```
    /// use clerk_server::ApiVersion;
    ///
    /// assert!(!ApiVersion::V2025_03_12.session_token_v2());
    /// assert!(ApiVersion::V2025_04_10.session_token_v2());
    /// ```
    pub fn session_token_v2(self) -> bool {
        self >= ApiVersion::V2025_04_10
    }

    /// Whether `POST /v1/sessions/{id}/verify` is gone (410 `operation_deprecated`).
    ///
    /// ```
    /// use clerk_server::ApiVersion;
    ///
    /// assert!(!ApiVersion::V2024_10_01.session_verify_removed());
    /// assert!(ApiVersion::V2025_11_10.session_verify_removed());
    /// ```
    pub fn session_verify_removed(self) -> bool {
        self >= ApiVersion::V2025_04_10
    }

    /// Whether `PATCH /v1/users/{id}` rejects the three metadata fields.
    ///
    /// ```
    /// use clerk_server::ApiVersion;
    ///
    /// assert!(!ApiVersion::V2025_11_10.update_user_rejects_metadata());
    /// assert!(ApiVersion::V2026_05_12.update_user_rejects_metadata());
    /// ```
    pub fn update_user_rejects_metadata(self) -> bool {
        self >= ApiVersion::V2026_05_12
    }

    /// Whether `PATCH /v1/organizations/{id}` rejects the metadata fields (they have the
    /// metadata endpoints instead).
    ///
    /// ```
    /// use clerk_server::ApiVersion;
    ///
    /// assert!(!ApiVersion::V2025_11_10.update_organization_rejects_metadata());
    /// assert!(ApiVersion::V2026_05_12.update_organization_rejects_metadata());
    /// ```
    pub fn update_organization_rejects_metadata(self) -> bool {
        self >= ApiVersion::V2026_05_12
    }

    /// The version a request asks for: the `Clerk-API-Version` header or the
    /// `__clerk_api_version` query parameter (not both), else [`ApiVersion::DEFAULT`].
    pub(crate) fn from_request(headers: &HeaderMap, query: Option<&str>) -> Result<Self, ApiError> {
        let from_header = match headers.get("clerk-api-version") {
            Some(value) => Some(
                value
                    .to_str()
                    .map_err(|_| ApiError::api_version_invalid("the header is not valid text"))?
                    .trim()
                    .to_owned(),
            ),
            None => None,
        };
        let from_query = query.and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "__clerk_api_version")
                .map(|(_, v)| v.into_owned())
        });
        let requested = match (from_header, from_query) {
            (Some(_), Some(_)) => {
                return Err(ApiError::api_version_invalid(
                    "set it either in the Clerk-API-Version header or in the __clerk_api_version query parameter, not both",
                ));
            }
            (Some(v), None) | (None, Some(v)) => v,
            (None, None) => return Ok(Self::DEFAULT),
        };
        requested.parse().map_err(|_| {
            let known: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
            ApiError::api_version_invalid(&format!(
                "{requested:?} is not a known version; known versions are {}",
                known.join(", ")
            ))
        })
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown API version.
///
/// ```
/// use clerk_server::{ApiVersion, UnknownApiVersion};
///
/// let err = "2025-13-01".parse::<ApiVersion>().unwrap_err();
/// assert_eq!(err, UnknownApiVersion);
/// assert_eq!(err.to_string(), "unknown Clerk API version");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownApiVersion;

impl fmt::Display for UnknownApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown Clerk API version")
    }
}

impl std::error::Error for UnknownApiVersion {}

impl FromStr for ApiVersion {
    type Err = UnknownApiVersion;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or(UnknownApiVersion)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(version: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("Clerk-API-Version", version.parse().unwrap());
        h
    }

    #[test]
    fn resolves_header_query_and_default() {
        assert_eq!(
            ApiVersion::from_request(&HeaderMap::new(), None).unwrap(),
            ApiVersion::V2021_02_05
        );
        assert_eq!(
            ApiVersion::from_request(&headers("2025-11-10"), None).unwrap(),
            ApiVersion::V2025_11_10
        );
        assert_eq!(
            ApiVersion::from_request(
                &HeaderMap::new(),
                Some("a=1&__clerk_api_version=2025-04-10")
            )
            .unwrap(),
            ApiVersion::V2025_04_10
        );
    }

    #[test]
    fn rejects_unknown_and_double_versions() {
        let err = ApiVersion::from_request(&headers("2020-01-01"), None).unwrap_err();
        assert_eq!(err.code(), "api_version_invalid");
        assert_eq!(err.status(), 400);
        let err = ApiVersion::from_request(
            &headers("2025-04-10"),
            Some("__clerk_api_version=2025-04-10"),
        )
        .unwrap_err();
        assert_eq!(err.code(), "api_version_invalid");
    }

    #[test]
    fn version_rules() {
        assert!(!ApiVersion::V2025_03_12.session_token_v2());
        assert!(ApiVersion::V2025_04_10.session_token_v2());
        assert!(!ApiVersion::V2025_11_10.update_user_rejects_metadata());
        assert!(ApiVersion::V2026_05_12.update_user_rejects_metadata());
    }
}
