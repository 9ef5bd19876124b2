//! Authenticating a browser's request from its cookies, by the rules of `@clerk/backend`'s
//! `authenticateRequest`: which cookies count (suffixed or not), when the cookies settle
//! nothing and a document request should go through the Frontend API's handshake, and why a
//! request is signed out.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use http::HeaderMap;
use http::header::{ACCEPT, COOKIE, HOST};
use http::request::Parts;
use url::Url;

use super::error::{ConfigError, Reason, VerifyError};
use super::request::{AuthState, SESSION_COOKIE, bearer_token};
use super::{Verifier, VerifierBuilder, jwt};

/// The cookie in which clerk-js keeps the unix time (seconds) of the client's last change;
/// `0` when signed out.
///
/// ```
/// assert_eq!(clerk_sdk::verify::CLIENT_UAT_COOKIE, "__client_uat");
/// ```
pub const CLIENT_UAT_COOKIE: &str = "__client_uat";

/// The cookie (and query parameter) carrying a development browser's token.
///
/// ```
/// assert_eq!(clerk_sdk::verify::DEV_BROWSER_COOKIE, "__clerk_db_jwt");
/// ```
pub const DEV_BROWSER_COOKIE: &str = "__clerk_db_jwt";

/// The cookie counting handshake redirects in a row, so that a handshake that settles
/// nothing cannot loop (as `@clerk/backend` counts them).
///
/// ```
/// assert_eq!(clerk_sdk::verify::REDIRECT_COUNT_COOKIE, "__clerk_redirect_count");
/// ```
pub const REDIRECT_COUNT_COOKIE: &str = "__clerk_redirect_count";

/// Handshakes in a row after which a request is answered signed out instead.
const MAX_REDIRECTS: u32 = 3;

/// The suffix Clerk's SDKs append to cookie names (`__session_<suffix>`) so that several
/// instances can share a host: the first 8 characters of base64url(SHA-1(publishable key)).
///
/// ```
/// let suffix = clerk_sdk::verify::cookie_suffix("pk_test_MTI3LjAuMC4xOjgwODAk");
/// assert_eq!(suffix.len(), 8);
/// assert!(!suffix.contains('+') && !suffix.contains('/'));
/// ```
#[must_use]
pub fn cookie_suffix(publishable_key: &str) -> String {
    let digest = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY,
        publishable_key.as_bytes(),
    );
    // Clerk takes 8 characters of the padded base64 with `+/` swapped: never a `=`.
    let encoded = STANDARD.encode(digest.as_ref());
    encoded
        .chars()
        .take(8)
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            other => other,
        })
        .collect()
}

impl VerifierBuilder {
    /// The instance's publishable key (`pk_test_…`, `pk_live_…`): with it,
    /// [`Verifier::authenticate_request`] reads a browser's cookies by `@clerk/backend`'s
    /// rules (suffixed cookie names, `__client_uat`, the development browser token) and asks
    /// for a [handshake](AuthState::Handshake) when they settle nothing. Without it, only the
    /// `Authorization` header and the `__session` cookie count.
    ///
    /// ```
    /// # fn run() -> Result<(), clerk_sdk::verify::ConfigError> {
    /// use clerk_sdk::verify::Verifier;
    /// let verifier = Verifier::builder_jwks_url("http://127.0.0.1:8080/.well-known/jwks.json")?
    ///     .publishable_key("pk_test_MTI3LjAuMC4xOjgwODAk")
    ///     .frontend_api_url("http://127.0.0.1:8080/__clerk")
    ///     .build()?;
    /// # Ok(()) }
    /// # run().unwrap();
    /// ```
    pub fn publishable_key(mut self, key: impl Into<String>) -> Self {
        self.publishable_key = Some(key.into());
        self
    }

    /// The Frontend API URL handshakes go to (Clerk's `proxyUrl`): a local `clerk serve`'s is
    /// `<server>/__clerk`. Defaults to `https://<the host the publishable key names>`, as in
    /// Clerk's SDKs. Used only with a [`publishable_key`](Self::publishable_key).
    ///
    /// ```
    /// # fn run() -> Result<(), clerk_sdk::verify::ConfigError> {
    /// use clerk_sdk::verify::Verifier;
    /// let builder = Verifier::builder_jwks_url("http://127.0.0.1:8080/.well-known/jwks.json")?
    ///     .publishable_key("pk_test_MTI3LjAuMC4xOjgwODAk")
    ///     .frontend_api_url("http://127.0.0.1:8080/__clerk");
    /// # Ok(()) }
    /// # run().unwrap();
    /// ```
    pub fn frontend_api_url(mut self, url: impl Into<String>) -> Self {
        self.frontend_api_url = Some(url.into());
        self
    }
}

/// What a verifier knows about the instance to read browsers' cookies.
#[derive(Debug, Clone)]
pub(crate) struct BrowserConfig {
    /// The Frontend API (or proxy) URL, without a trailing slash.
    frontend_api: Url,
    /// The host the publishable key names, compared with the tokens' `iss`.
    key_frontend_api: String,
    suffix: String,
    production: bool,
}

impl BrowserConfig {
    pub(crate) fn new(
        publishable_key: &str,
        frontend_api_url: Option<&str>,
    ) -> Result<Self, ConfigError> {
        let key = publishable_key.trim();
        let (production, encoded) = if let Some(rest) = key.strip_prefix("pk_live_") {
            (true, rest)
        } else if let Some(rest) = key.strip_prefix("pk_test_") {
            (false, rest)
        } else {
            return Err(ConfigError::new(
                "the publishable key must start with pk_test_ or pk_live_",
            ));
        };
        let lenient = GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
        );
        let decoded = lenient
            .decode(encoded)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| text.strip_suffix('$').map(str::to_owned))
            .filter(|host| !host.is_empty())
            .ok_or_else(|| {
                ConfigError::new("the publishable key does not decode to a Frontend API host")
            })?;
        let url = match frontend_api_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => url.to_owned(),
            None => format!("https://{decoded}"),
        };
        let mut frontend_api = Url::parse(url.trim_end_matches('/'))
            .map_err(|e| ConfigError::new(format!("the Frontend API URL does not parse: {e}")))?;
        if !matches!(frontend_api.scheme(), "http" | "https") {
            return Err(ConfigError::new("the Frontend API URL must be http(s)"));
        }
        frontend_api.set_query(None);
        frontend_api.set_fragment(None);
        Ok(BrowserConfig {
            frontend_api,
            key_frontend_api: decoded,
            suffix: cookie_suffix(key),
            production,
        })
    }
}

/// The request's cookies, first occurrence of each name; empty values count as absent (as
/// `@clerk/backend` reads them).
struct Cookies<'a> {
    pairs: Vec<(&'a str, &'a str)>,
}

impl<'a> Cookies<'a> {
    fn parse(headers: &'a HeaderMap) -> Self {
        let pairs = headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                Some((name.trim(), value.trim().trim_matches('"')))
            })
            .collect();
        Cookies { pairs }
    }

    fn get(&self, name: &str) -> Option<&'a str> {
        self.pairs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .filter(|v| !v.is_empty())
    }
}

/// The claims the cookie rules look at before verification (unverified).
#[derive(Default)]
struct Peek {
    iat: Option<i64>,
    exp: Option<i64>,
    iss: Option<String>,
}

fn peek(token: &str) -> Option<Peek> {
    let mut segments = token.split('.');
    let (_, payload, _) = (segments.next()?, segments.next()?, segments.next()?);
    if segments.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let number = |name: &str| {
        value
            .get(name)
            .and_then(serde_json::Value::as_f64)
            .map(|n| n as i64)
    };
    Some(Peek {
        iat: number("iat"),
        exp: number("exp"),
        iss: value.get("iss").and_then(|v| v.as_str()).map(str::to_owned),
    })
}

/// `Number.parseInt(value) || 0`: the leading digits.
fn parse_uat(value: Option<&str>) -> i64 {
    let digits: String = value
        .unwrap_or_default()
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap_or(0)
}

/// The cookies that count for this instance.
struct Jar<'a> {
    cookies: Cookies<'a>,
    suffixed: bool,
    suffix: &'a str,
}

impl<'a> Jar<'a> {
    fn new(cookies: Cookies<'a>, config: &'a BrowserConfig, now: i64) -> Self {
        let suffixed = uses_suffixed_cookies(&cookies, config, now);
        Jar {
            cookies,
            suffixed,
            suffix: &config.suffix,
        }
    }

    /// `getSuffixedOrUnSuffixedCookie`.
    fn get(&self, name: &str) -> Option<&'a str> {
        if self.suffixed {
            self.cookies.get(&format!("{name}_{}", self.suffix))
        } else {
            self.cookies.get(name)
        }
    }
}

/// Whether the suffixed cookies are the ones to read: `@clerk/backend`'s
/// `usesSuffixedCookies`, rule for rule.
fn uses_suffixed_cookies(cookies: &Cookies<'_>, config: &BrowserConfig, now: i64) -> bool {
    let suffixed = |name: &str| cookies.get(&format!("{name}_{}", config.suffix));
    let suffixed_uat = suffixed(CLIENT_UAT_COOKIE);
    let uat = cookies.get(CLIENT_UAT_COOKIE);
    let suffixed_session = suffixed(SESSION_COOKIE);
    let session = cookies.get(SESSION_COOKIE);
    if let Some(session) = session {
        let issuer = peek(session).and_then(|p| p.iss);
        let Some(issuer) = issuer else {
            return false;
        };
        let bare = issuer
            .strip_prefix("https://")
            .or_else(|| issuer.strip_prefix("http://"))
            .unwrap_or(&issuer);
        if bare != config.key_frontend_api {
            return true;
        }
    }
    if suffixed_uat.is_none() && suffixed_session.is_none() {
        return false;
    }
    let iat = |token: Option<&str>| token.and_then(peek).and_then(|p| p.iat).unwrap_or(0);
    if suffixed_uat != Some("0") && uat != Some("0") && iat(session) > iat(suffixed_session) {
        return false;
    }
    if suffixed_uat == Some("0") && uat != Some("0") {
        return false;
    }
    if !config.production {
        let expired = suffixed_session
            .and_then(peek)
            .is_some_and(|p| p.exp.is_some_and(|exp| exp <= now));
        if suffixed_uat != Some("0") && uat == Some("0") && expired {
            return false;
        }
    }
    !(suffixed_uat.is_none() && suffixed_session.is_some())
}

/// The rules of `authenticateRequestWithTokenInCookie` (without satellites, organization
/// sync and refresh tokens).
pub(crate) async fn authenticate(
    verifier: &Verifier,
    config: &BrowserConfig,
    parts: &Parts,
) -> AuthState {
    let now = i64::try_from(verifier.inner.clock.now().as_secs()).unwrap_or(i64::MAX);
    let jar = Jar::new(Cookies::parse(&parts.headers), config, now);
    let handshake = |reason: VerifyError| maybe_handshake(config, &jar, parts, reason);
    // A bearer token wins over cookies (an expired one on a page load is a handshake too).
    if let Some(token) = bearer_token(&parts.headers) {
        return settle(verifier, verifier.verify_token(token).await, handshake);
    }
    let dev_browser = query_param(parts, DEV_BROWSER_COOKIE)
        .or_else(|| jar.get(DEV_BROWSER_COOKIE).map(str::to_owned));
    if !config.production && dev_browser.is_none() {
        return handshake(VerifyError::new(Reason::DevBrowserMissing));
    }
    let uat = parse_uat(jar.get(CLIENT_UAT_COOKIE));
    let session = jar.get(SESSION_COOKIE);
    let token = match (uat > 0, session) {
        (false, None) => {
            return AuthState::SignedOut(VerifyError::new(Reason::SessionTokenAndUatMissing));
        }
        (false, Some(_)) => {
            return handshake(VerifyError::new(Reason::SessionTokenWithoutClientUat));
        }
        (true, None) => return handshake(VerifyError::new(Reason::ClientUatWithoutSessionToken)),
        (true, Some(token)) => token,
    };
    let inner = &*verifier.inner;
    // Structure and token type first: a malformed or foreign token is signed out, never a
    // handshake.
    if let Err(error) = jwt::parse(token, inner.max_token_len, inner.accept) {
        return AuthState::SignedOut(error);
    }
    // Without `iat` there is nothing to compare (JavaScript's `undefined < n` is false).
    if peek(token).and_then(|p| p.iat).is_some_and(|iat| iat < uat) {
        return handshake(VerifyError::new(Reason::SessionTokenIatBeforeClientUat));
    }
    settle(verifier, verifier.verify_token(token).await, handshake)
}

/// A verified token signs in; one that is expired, not yet valid or issued in the future
/// (a clock or a refresh away from valid) asks for a handshake; anything else is signed out.
fn settle(
    verifier: &Verifier,
    verified: Result<super::Claims, VerifyError>,
    handshake: impl FnOnce(VerifyError) -> AuthState,
) -> AuthState {
    match verified {
        Err(error)
            if matches!(
                error.reason(),
                Reason::Expired | Reason::NotYetValid | Reason::IssuedInFuture
            ) =>
        {
            handshake(error)
        }
        other => verifier.state_of(other),
    }
}

fn query_param(parts: &Parts, name: &str) -> Option<String> {
    let query = parts.uri.query()?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, value)| key == name && !value.is_empty())
        .map(|(_, value)| value.into_owned())
}

/// `handleMaybeHandshakeStatus`: a handshake for a document request (unless it loops),
/// signed out otherwise.
fn maybe_handshake(
    config: &BrowserConfig,
    jar: &Jar<'_>,
    parts: &Parts,
    reason: VerifyError,
) -> AuthState {
    let count = parse_uat(jar.cookies.get(REDIRECT_COUNT_COOKIE));
    let count = u32::try_from(count).unwrap_or(u32::MAX);
    if !is_document_request(parts) || count >= MAX_REDIRECTS {
        return AuthState::SignedOut(reason);
    }
    let Some(here) = request_url(parts) else {
        return AuthState::SignedOut(reason);
    };
    let mut location = config.frontend_api.clone();
    let path = format!(
        "{}/v1/client/handshake",
        location.path().trim_end_matches('/')
    );
    location.set_path(&path);
    location
        .query_pairs_mut()
        .append_pair("redirect_url", here.as_str())
        .append_pair(
            "suffixed_cookies",
            if jar.suffixed { "true" } else { "false" },
        )
        .append_pair("__clerk_hs_reason", reason.reason().code());
    tracing::debug!(reason = %reason.reason(), "session cookies need a handshake");
    AuthState::Handshake {
        location: location.into(),
        reason,
        redirect_count: count + 1,
    }
}

/// `isRequestEligibleForHandshake`: a GET that is probably a page load.
fn is_document_request(parts: &Parts) -> bool {
    if parts.method != http::Method::GET {
        return false;
    }
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    match header("sec-fetch-dest") {
        Some(dest) => dest == "document" || dest == "iframe",
        None => parts
            .headers
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.starts_with("text/html")),
    }
}

/// The URL the browser asked for: the `Host` header (else the request target's authority)
/// and the path and query; the scheme of an absolute request target, else
/// `X-Forwarded-Proto` when it says `https`, else `http`. The development browser token is
/// dropped from the query (the handshake sets its cookie).
fn request_url(parts: &Parts) -> Option<Url> {
    let host = parts
        .headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(|a| a.as_str().to_owned()))?;
    let forwarded_https = parts
        .headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .next()
                .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
        });
    let scheme = match parts.uri.scheme_str() {
        Some(scheme) => scheme,
        None if forwarded_https => "https",
        None => "http",
    };
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut url = Url::parse(&format!("{scheme}://{host}{path}")).ok()?;
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != DEV_BROWSER_COOKIE)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Some(url)
}

#[cfg(test)]
#[path = "browser_tests.rs"]
mod tests;
