//! The instance's domains and proxy checks.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One of the instance's domains (`object: "domain"`): its primary domain or a satellite.
///
/// ```
/// let domain: clerk_sdk::Domain = serde_json::from_str(r#"{
///     "object": "domain", "id": "dmn_1", "name": "localhost:3000", "is_satellite": true,
///     "frontend_api_url": "http://127.0.0.1:8080", "accounts_portal_url": null,
///     "proxy_url": null, "development_origin": "", "cname_targets": null
/// }"#)?;
/// assert!(domain.is_satellite);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Domain {
    /// `"domain"`.
    pub object: String,
    /// The ID (`dmn_...`).
    pub id: String,
    /// The host name, with a port on development instances.
    pub name: String,
    /// Whether this is a satellite domain (else the primary).
    pub is_satellite: bool,
    /// The Frontend API's URL for this domain.
    pub frontend_api_url: String,
    /// The Account Portal's URL (`None` for satellites and locally).
    pub accounts_portal_url: Option<String>,
    /// The proxy URL, if the domain is served through a proxy.
    pub proxy_url: Option<String>,
    /// The development origin.
    pub development_origin: String,
    /// The CNAME records a production domain needs.
    pub cname_targets: Option<Vec<Value>>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The result of a proxy check (`object: "proxy_check"`).
///
/// ```
/// let check: clerk_sdk::ProxyCheck = serde_json::from_str(r#"{
///     "object": "proxy_check", "id": "proxchk_1", "domain_id": "dmn_1", "last_run_at": 1,
///     "proxy_url": "https://example.com/__clerk", "successful": true,
///     "created_at": 1, "updated_at": 1
/// }"#)?;
/// assert!(check.successful);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProxyCheck {
    /// `"proxy_check"`.
    pub object: String,
    /// The ID.
    pub id: String,
    /// The domain checked.
    pub domain_id: String,
    /// When the check last ran (Unix ms).
    pub last_run_at: Option<i64>,
    /// The proxy URL checked.
    pub proxy_url: String,
    /// Whether the proxy reached the Frontend API.
    pub successful: bool,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
