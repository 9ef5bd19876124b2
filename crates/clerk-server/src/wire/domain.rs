//! `domain` objects: the instance's primary domain and its satellites.

use serde::Serialize;

use crate::store::domains::SatelliteDomain;

/// A `domain` object. On a development instance every domain's Frontend API is the
/// primary's URL, and there are no proxies, accounts portal or CNAME targets.
#[derive(Serialize)]
pub(crate) struct DomainJson {
    object: &'static str,
    id: String,
    name: String,
    is_satellite: bool,
    frontend_api_url: String,
    accounts_portal_url: Option<String>,
    proxy_url: Option<String>,
    development_origin: String,
    cname_targets: Option<Vec<()>>,
}

impl DomainJson {
    /// The primary domain, `name` and `id` derived from the server's issuer and instance.
    pub(crate) fn primary(id: String, name: String, issuer: &str, origin: &str) -> Self {
        Self::new(id, name, false, issuer, origin)
    }

    /// A satellite domain.
    pub(crate) fn satellite(domain: &SatelliteDomain, issuer: &str, origin: &str) -> Self {
        let mut json = Self::new(domain.id.clone(), domain.name.clone(), true, issuer, origin);
        json.proxy_url = domain.proxy_url.clone();
        json
    }

    fn new(id: String, name: String, is_satellite: bool, issuer: &str, origin: &str) -> Self {
        Self {
            object: "domain",
            id,
            name,
            is_satellite,
            frontend_api_url: issuer.trim_end_matches('/').to_owned(),
            accounts_portal_url: None,
            proxy_url: None,
            development_origin: origin.to_owned(),
            cname_targets: None,
        }
    }
}
