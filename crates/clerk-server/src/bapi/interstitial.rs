//! `GET /v1/public/interstitial` (no authentication): the page Clerk's SDKs serve when a
//! request's authentication state cannot be decided on the server. It loads clerk.js from
//! the instance's Frontend API (or its proxy), lets it settle the session, and reloads the
//! page. This server renders the same page for the instance the query names; see
//! server.md, "The interstitial".

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use serde_json::Value;
use url::Url;

use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;

/// The clerk.js the page loads (its major version, as Clerk's SDKs pin it).
const CLERK_JS_MAJOR: &str = "5";

/// What the page is rendered for, read from the query.
#[derive(Debug, PartialEq, Eq)]
struct Page {
    /// The Frontend API host (from `frontend_api`, `frontendApi` or the publishable key).
    frontend_api: String,
    publishable_key: Option<String>,
    proxy_url: Option<String>,
    domain: Option<String>,
    sign_in_url: Option<String>,
    use_domain_for_script: bool,
}

/// A 400 naming `param` (the operation declares 400 for a bad query).
fn bad(param: &str, code: &str, long_message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, code, "is invalid", long_message).with_param(param)
}

/// A host with an optional port: letters, digits, `.`, `-` and one `:port`.
fn host_like(value: &str) -> bool {
    let (host, port) = value.split_once(':').unwrap_or((value, "1"));
    !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && !port.is_empty()
        && port.chars().all(|c| c.is_ascii_digit())
}

/// The Frontend API host a publishable key names: `pk_test_`/`pk_live_` + base64(host + `$`).
fn frontend_api_of(publishable_key: &str) -> Option<String> {
    let encoded = publishable_key
        .strip_prefix("pk_test_")
        .or_else(|| publishable_key.strip_prefix("pk_live_"))?;
    let bytes = STANDARD
        .decode(encoded)
        .or_else(|_| STANDARD_NO_PAD.decode(encoded))
        .ok()?;
    let decoded = String::from_utf8(bytes).ok()?;
    let host = decoded.strip_suffix('$')?;
    host_like(host).then(|| host.to_owned())
}

/// An absolute `http(s)` URL.
fn http_url(value: &str) -> bool {
    Url::parse(value).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

impl Page {
    fn from_query(query: &QueryParams) -> Result<Self, ApiError> {
        let publishable_key = query.string("publishable_key").filter(|k| !k.is_empty());
        let frontend_api = match query
            .string("frontend_api")
            .or_else(|| query.string("frontendApi"))
            .filter(|f| !f.is_empty())
        {
            Some(api) if host_like(&api) => api,
            Some(_) => {
                return Err(bad(
                    "frontend_api",
                    "form_param_format_invalid",
                    "frontend_api must be the host of your instance's Frontend API.".into(),
                ));
            }
            None => match &publishable_key {
                Some(key) => frontend_api_of(key).ok_or_else(|| {
                    bad(
                        "publishable_key",
                        "form_param_format_invalid",
                        "publishable_key is not a valid publishable key.".into(),
                    )
                })?,
                None => {
                    return Err(ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "form_param_missing",
                        "is missing",
                        "publishable_key or frontend_api must be included.",
                    )
                    .with_param("publishable_key"));
                }
            },
        };
        let proxy_url = query.string("proxy_url").filter(|p| !p.is_empty());
        if proxy_url.as_deref().is_some_and(|p| !http_url(p)) {
            return Err(bad(
                "proxy_url",
                "form_param_format_invalid",
                "proxy_url must be an absolute http(s) URL.".into(),
            ));
        }
        let domain = query.string("domain").filter(|d| !d.is_empty());
        if domain.as_deref().is_some_and(|d| !host_like(d)) {
            return Err(bad(
                "domain",
                "form_param_format_invalid",
                "domain must be a host name.".into(),
            ));
        }
        let sign_in_url = query.string("sign_in_url").filter(|s| !s.is_empty());
        if sign_in_url
            .as_deref()
            .is_some_and(|s| !http_url(s) && !s.starts_with('/'))
        {
            return Err(bad(
                "sign_in_url",
                "form_param_format_invalid",
                "sign_in_url must be an absolute http(s) URL or a path.".into(),
            ));
        }
        let use_domain_for_script = query
            .bool("use_domain_for_script")
            .map_err(|_| {
                bad(
                    "use_domain_for_script",
                    "form_param_format_invalid",
                    "use_domain_for_script must be true or false.".into(),
                )
            })?
            .unwrap_or(false);
        Ok(Self {
            frontend_api,
            publishable_key,
            proxy_url,
            domain,
            sign_in_url,
            use_domain_for_script,
        })
    }

    /// Where clerk.js is loaded from: the proxy, else the satellite domain's Frontend API
    /// (`clerk.<domain>`) when asked, else the Frontend API (plain `http` for a loopback
    /// host, as a local server has no certificate).
    fn script_url(&self) -> String {
        let base = match (&self.proxy_url, &self.domain) {
            (Some(proxy), _) => proxy.trim_end_matches('/').to_owned(),
            (None, Some(domain)) if self.use_domain_for_script => format!("https://clerk.{domain}"),
            _ => {
                let host = self.frontend_api.split(':').next().unwrap_or_default();
                let loopback =
                    matches!(host, "localhost" | "127.0.0.1") || host.ends_with(".localhost");
                let scheme = if loopback { "http" } else { "https" };
                format!("{scheme}://{}", self.frontend_api)
            }
        };
        format!("{base}/npm/@clerk/clerk-js@{CLERK_JS_MAJOR}/dist/clerk.browser.js")
    }

    /// The page. Every value is escaped for where it goes: JSON (with `<`, `>`, `&` and the
    /// line separators escaped) inside the script, HTML entities in attributes.
    fn render(&self) -> String {
        let js = |value: Option<&str>| script_json(&value.map_or(Value::Null, Value::from));
        let satellite = self.domain.is_some() || self.proxy_url.is_some();
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"UTF-8\">\n\
             <meta name=\"robots\" content=\"noindex\">\n<title>Checking your session</title>\n\
             <script>\n\
             window.__clerk_frontend_api = {frontend_api};\n\
             window.__clerk_publishable_key = {publishable_key};\n\
             window.__clerk_proxy_url = {proxy_url};\n\
             window.__clerk_domain = {domain};\n\
             window.startClerk = async function () {{\n\
             \x20 try {{\n\
             \x20   await window.Clerk.load({{ isSatellite: {satellite}, isInterstitial: true, signInUrl: {sign_in_url} }});\n\
             \x20   if (window.Clerk.loaded) {{ window.location.reload(); }}\n\
             \x20 }} catch (err) {{\n\
             \x20   console.error('Clerk: ', err);\n\
             \x20 }}\n\
             }};\n\
             </script>\n\
             <script async crossorigin=\"anonymous\" data-clerk-frontend-api=\"{frontend_api_attr}\" \
             data-clerk-publishable-key=\"{publishable_key_attr}\" src=\"{src}\" \
             onload=\"window.startClerk()\"></script>\n\
             </head>\n<body></body>\n</html>\n",
            frontend_api = js(Some(&self.frontend_api)),
            publishable_key = js(self.publishable_key.as_deref()),
            proxy_url = js(self.proxy_url.as_deref()),
            domain = js(self.domain.as_deref()),
            sign_in_url = js(self.sign_in_url.as_deref()),
            frontend_api_attr = attribute(&self.frontend_api),
            publishable_key_attr = attribute(self.publishable_key.as_deref().unwrap_or("")),
            src = attribute(&self.script_url()),
        )
    }
}

/// JSON that cannot end a `<script>` element or break a line of JavaScript.
fn script_json(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Text for a double-quoted HTML attribute.
fn attribute(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `GET /v1/public/interstitial`. A query that cannot be read (a NUL in it) is 400 too: no
/// middleware moves this route's statuses, and the operation declares no 422.
pub(crate) async fn interstitial(
    query: Result<QueryParams, ApiError>,
) -> Result<Response, Response> {
    let as_400 = |error: ApiError| {
        let mut response = error.into_response();
        *response.status_mut() = StatusCode::BAD_REQUEST;
        response
    };
    let query = query.map_err(as_400)?;
    let page = Page::from_query(&query).map_err(as_400)?;
    let mut response = page.render().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(query: &str) -> Result<Page, ApiError> {
        Page::from_query(&QueryParams::parse(query))
    }

    #[test]
    fn the_frontend_api_comes_from_the_query_or_the_publishable_key() {
        let key = format!("pk_test_{}", STANDARD.encode("clerk.example.com$"));
        let from_key = page(&format!("publishable_key={key}")).unwrap();
        assert_eq!(from_key.frontend_api, "clerk.example.com");
        assert_eq!(
            from_key.script_url(),
            "https://clerk.example.com/npm/@clerk/clerk-js@5/dist/clerk.browser.js"
        );
        let local = page("frontendApi=localhost:8080").unwrap();
        assert!(local.script_url().starts_with("http://localhost:8080/npm/"));
        let proxied =
            page("frontend_api=a.example&proxy_url=https://app.example/__clerk/").unwrap();
        assert!(
            proxied
                .script_url()
                .starts_with("https://app.example/__clerk/npm/")
        );
        let satellite =
            page("frontend_api=a.example&domain=sat.example&use_domain_for_script=true").unwrap();
        assert!(
            satellite
                .script_url()
                .starts_with("https://clerk.sat.example/npm/")
        );
        assert!(page("").is_err());
        assert!(page("publishable_key=pk_test_bm9wZQ").is_err());
        assert!(page("frontend_api=a%20b").is_err());
        assert!(page("frontend_api=a.example&proxy_url=ftp://x").is_err());
    }

    #[test]
    fn values_cannot_escape_their_places() {
        let page = Page {
            frontend_api: "a.example".into(),
            publishable_key: Some("pk_test_\"</script><script>alert(1)</script>".into()),
            proxy_url: None,
            domain: None,
            sign_in_url: Some("/sign-in?a=1&b=</script>".into()),
            use_domain_for_script: false,
        };
        let html = page.render();
        assert_eq!(html.matches("</script>").count(), 2, "{html}");
        assert!(html.contains("data-clerk-publishable-key=\"pk_test_&quot;&lt;/script&gt;"));
    }
}
