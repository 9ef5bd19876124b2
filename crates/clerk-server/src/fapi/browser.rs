//! Who is calling: the browser's client, carried by the `__client` cookie this face sets (an
//! RS256 JWT naming the client, the same token `POST /v1/clients/verify` accepts), and the
//! two layers that must run before routing: CORS for the page's origin, and clerk-js's
//! `_method` override.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::domain::{clients, tokens};
use crate::keys;
use crate::store::sessions::SessionRecord;

/// The cookie that carries the browser's client.
pub(super) const CLIENT_COOKIE: &str = "__client";

/// The development browser's token (`__clerk_db_jwt`): the query parameter clerk-js sends
/// in dev-browser mode, and the cookie backend SDKs look for on development instances.
/// Here it is the client token itself.
pub(super) const DEV_BROWSER: &str = "__clerk_db_jwt";

/// The browser's client, as its request presents it, and what this request did to it (a
/// client created, or the cookie to clear), which the answer turns into `Set-Cookie`.
#[derive(Debug, Default)]
pub(crate) struct Browser {
    /// The live client the cookie names, if any.
    pub client_id: Option<String>,
    /// The page's origin (`Origin`), the `azp` of the session tokens it gets.
    pub origin: Option<String>,
    /// The session clerk-js acts as (`_clerk_session_id`, sent outside `/client` paths).
    session_id: Option<String>,
    created: bool,
    cleared: bool,
}

impl FromRequestParts<AppState> for Browser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let origin = parts
            .headers
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut client_id = None;
        if let Some(token) = query_value(parts.uri.query(), DEV_BROWSER) {
            // Dev-browser mode: the token names the client, and a stale one must be
            // replaced (clerk-js starts a new dev browser on this error).
            client_id = Some(client_of_token(state, &token).await?.ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "dev_browser_unauthenticated",
                    "Unauthenticated dev browser",
                    "The development browser's token is not valid any more.",
                )
            })?);
        } else if let Some(token) = cookie(&parts.headers, CLIENT_COOKIE) {
            client_id = client_of_token(state, token).await?;
        }
        Ok(Self {
            client_id,
            origin,
            session_id: query_value(parts.uri.query(), "_clerk_session_id"),
            created: false,
            cleared: false,
        })
    }
}

/// The live client a client token names; `None` for a token this instance did not sign,
/// an expired one, or one naming a client that is gone or was destroyed (the browser then
/// simply starts a new client).
async fn client_of_token(state: &AppState, token: &str) -> Result<Option<String>, ApiError> {
    let Ok(claims) = tokens::verify(state.services(), token).await? else {
        return Ok(None);
    };
    let Some(id) = claims.get("id").and_then(Value::as_str) else {
        return Ok(None);
    };
    Ok(clients::live(state.services(), id).await?.map(|c| c.id))
}

impl Browser {
    /// The browser's client, created (and its cookie set by the answer) if it has none.
    pub(crate) async fn ensure_client(&mut self, state: &AppState) -> Result<String, ApiError> {
        if let Some(id) = &self.client_id {
            return Ok(id.clone());
        }
        let id = clients::create(state.services()).await?;
        self.client_id = Some(id.clone());
        self.created = true;
        Ok(id)
    }

    /// The browser's client, which the operation needs: without one it is not found.
    pub(crate) fn client(&self) -> Result<&str, ApiError> {
        self.client_id.as_deref().ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "client_not_found",
                "Client not found",
                "This browser has no client yet; sign in or sign up first.",
            )
        })
    }

    /// The signed-in user's id: the user of [`Self::session`].
    pub(crate) async fn user_id(&self, state: &AppState) -> Result<String, ApiError> {
        Ok(self.session(state).await?.user_id)
    }

    /// The signed-in session a `/me` request acts as: `_clerk_session_id` when given, else
    /// the client's last active session; it must be one of the client's and active, or the
    /// answer is 401 `signed_out` (clerk-js then reloads its client).
    pub(crate) async fn session(&self, state: &AppState) -> Result<SessionRecord, ApiError> {
        let signed_out = || {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "signed_out",
                "Signed out",
                "You are signed out.",
            )
        };
        let Some(client_id) = &self.client_id else {
            return Err(signed_out());
        };
        let client = state
            .store
            .client(client_id)
            .await?
            .ok_or_else(signed_out)?;
        let wanted = self
            .session_id
            .clone()
            .or_else(|| client.last_active_session_id.clone())
            .ok_or_else(signed_out)?;
        let now = state.now_ms();
        client
            .sessions
            .into_iter()
            .find(|s| s.id == wanted && s.status(now) == "active")
            .ok_or_else(signed_out)
    }

    /// The client was destroyed: the answer clears the cookie.
    pub(crate) fn forget_client(&mut self) {
        self.client_id = None;
        self.cleared = true;
    }

    /// The `Set-Cookie` headers this request's answer carries: the client's cookie when it
    /// was created (with the development browser cookie beside it, for backend SDKs on the
    /// app's host, which shares the cookies of this host whatever its port), or both
    /// cleared when the client was destroyed.
    pub(super) async fn set_cookies(&self, state: &AppState) -> Result<Vec<String>, ApiError> {
        if self.cleared {
            let mut cookies = vec![cookie_line(state, CLIENT_COOKIE, "", 0, true)];
            cookies.extend(app_cookies(state, DEV_BROWSER, "", 0));
            return Ok(cookies);
        }
        let (true, Some(id)) = (self.created, &self.client_id) else {
            return Ok(Vec::new());
        };
        let lifetime = state.settings.client_token_lifetime_s;
        let token = tokens::client_token(state.services(), id, lifetime).await?;
        let mut cookies = vec![cookie_line(state, CLIENT_COOKIE, &token, lifetime, true)];
        cookies.extend(app_cookies(state, DEV_BROWSER, &token, lifetime));
        Ok(cookies)
    }
}

/// A `Set-Cookie` value for this host: `Path=/`, `SameSite=Lax`, `Secure` when the
/// instance is served over https.
pub(super) fn cookie_line(
    state: &AppState,
    name: &str,
    value: &str,
    max_age_s: i64,
    http_only: bool,
) -> String {
    let secure = if state.issuer.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let http_only = if http_only { "; HttpOnly" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age_s}{http_only}; SameSite=Lax{secure}")
}

/// A cookie for the app's backend SDK (readable by clerk-js, which writes cookies of these
/// names itself), under its plain name and the instance's suffixed one: `@clerk/backend`
/// reads the suffixed names once clerk-js has set suffixed cookies.
pub(super) fn app_cookies(
    state: &AppState,
    name: &str,
    value: &str,
    max_age_s: i64,
) -> [String; 2] {
    let suffixed = format!("{name}_{}", keys::cookie_suffix(&state.publishable_key));
    [
        cookie_line(state, name, value, max_age_s, false),
        cookie_line(state, &suffixed, value, max_age_s, false),
    ]
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub(crate) fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"'))
}

/// clerk-js sends PATCH, PUT and DELETE as `POST …?_method=<verb>`, so that its requests stay
/// CORS "simple requests"; routing must see the real method. It also builds some paths
/// with a trailing slash (`/v1/me/email_addresses/`), which route as without it.
pub(super) async fn method_override(mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.len() > 1 && path.ends_with('/') {
        let trimmed = path.trim_end_matches('/');
        let rebuilt = match req.uri().query() {
            Some(query) => format!("{trimmed}?{query}"),
            None => trimmed.to_owned(),
        };
        if let Ok(uri) = rebuilt.parse() {
            *req.uri_mut() = uri;
        }
    }
    if req.method() == Method::POST
        && let Some(method) = query_value(req.uri().query(), "_method")
    {
        match method.to_ascii_uppercase().as_str() {
            "PATCH" => *req.method_mut() = Method::PATCH,
            "PUT" => *req.method_mut() = Method::PUT,
            "DELETE" => *req.method_mut() = Method::DELETE,
            "GET" | "POST" => {}
            _ => {
                return ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "form_param_value_invalid",
                    "is invalid",
                    "_method must be one of PATCH, PUT or DELETE.",
                )
                .into_response();
            }
        }
    }
    next.run(req).await
}

/// The first value of `name` in a query string.
pub(super) fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    url::form_urlencoded::parse(query?.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// Credentialed CORS for development: the page's `Origin` is echoed (never `*`) when it is a
/// loopback origin (`localhost`, `127.0.0.1`, `[::1]`, any port) or one of the instance's
/// `allowed_origins`; preflights are answered here. Other origins get no CORS headers, so
/// browsers refuse the answers.
pub(super) async fn cors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let allowed = match &origin {
        Some(origin) => origin_allowed(&state, origin).await,
        None => false,
    };
    let preflight = req.method() == Method::OPTIONS;
    let requested_headers = req
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned();
    let mut response = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    let headers = response.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
    let (true, Some(origin)) = (allowed, origin) else {
        return response;
    };
    if let Ok(value) = HeaderValue::from_str(&origin) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Clerk-Db-Jwt, Clerk-Trace-Id"),
    );
    if preflight {
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE, OPTIONS"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            requested_headers.unwrap_or(HeaderValue::from_static("content-type, authorization")),
        );
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
    }
    response
}

/// Whether a page at `origin` may call this face with its cookies.
pub(super) async fn origin_allowed(state: &AppState, origin: &str) -> bool {
    if is_loopback_origin(origin) {
        return true;
    }
    match state.store.instance().await {
        Ok(instance) => instance
            .settings
            .allowed_origins
            .unwrap_or_default()
            .iter()
            .any(|allowed| allowed.trim_end_matches('/') == origin),
        Err(err) => {
            tracing::warn!(error = %err, "reading the allowed origins failed");
            false
        }
    }
}

/// `http(s)://localhost`, `127.0.0.1` or `[::1]`, with any port.
fn is_loopback_origin(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let host = match rest.strip_prefix("[::1]") {
        Some(port) => return port.is_empty() || is_port(port),
        None => rest,
    };
    let (name, port) = match host.split_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    matches!(name, "localhost" | "127.0.0.1") && port.is_none_or(|p| is_port(&format!(":{p}")))
}

/// `:<digits>`.
fn is_port(text: &str) -> bool {
    text.strip_prefix(':')
        .is_some_and(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_origins_are_recognised() {
        for ok in [
            "http://localhost:3000",
            "http://127.0.0.1:5173",
            "https://localhost",
            "http://[::1]:8080",
        ] {
            assert!(is_loopback_origin(ok), "{ok}");
        }
        for no in [
            "http://localhost.evil.com",
            "http://127.0.0.1.evil.com:80",
            "http://evil.com",
            "null",
            "http://localhost:",
            "http://localhost:80/path",
            "file://localhost",
        ] {
            assert!(!is_loopback_origin(no), "{no}");
        }
    }

    #[test]
    fn cookies_are_read_from_every_cookie_header() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; __client=abc"),
        );
        headers.append(header::COOKIE, HeaderValue::from_static("b=2"));
        assert_eq!(cookie(&headers, "__client"), Some("abc"));
        assert_eq!(cookie(&headers, "b"), Some("2"));
        assert_eq!(cookie(&headers, "__client_uat"), None);
    }
}
