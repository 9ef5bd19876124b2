//! Finding the session token in an HTTP request, and the outcome of authenticating one.

use http::header::{AUTHORIZATION, CACHE_CONTROL, COOKIE, LOCATION, SET_COOKIE};
use http::{HeaderMap, HeaderValue};

use super::browser::REDIRECT_COUNT_COOKIE;

use super::claims::Claims;
use super::error::{Reason, VerifyError};

/// The name of the cookie in which Clerk's frontend SDKs keep the session token.
pub const SESSION_COOKIE: &str = "__session";

/// The outcome of authenticating a request: signed in with verified claims, or signed out
/// with the reason.
///
/// ```
/// use clerk_sdk::verify::{AuthState, Reason, VerifyError};
///
/// let state = AuthState::SignedOut(VerifyError::new(Reason::TokenMissing));
/// assert!(!state.is_signed_in());
/// assert_eq!(state.user_id(), None);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum AuthState {
    /// A valid session token was found; these are its claims (boxed: they are large and
    /// this state travels in request extensions).
    SignedIn(Box<Claims>),
    /// No valid session token: why ([`Reason::TokenMissing`] when there was none at all).
    SignedOut(VerifyError),
    /// The browser's cookies settle nothing (no development browser token, a stale or
    /// expired `__session`, ...) and this is a page load: send the browser to the Frontend
    /// API's handshake, which sets fresh cookies and redirects back. Only a verifier that
    /// knows the publishable key returns it, and only for document requests (`GET` with
    /// `Sec-Fetch-Dest: document`, or `Accept: text/html` without `Sec-Fetch-Dest`).
    /// Until then the request counts as signed out with `reason`.
    ///
    /// [`AuthState::handshake_headers`] gives the headers of the `307` to answer with.
    #[non_exhaustive]
    Handshake {
        /// `<frontend api>/v1/client/handshake?redirect_url=<the request's URL>&…`.
        location: String,
        /// Why the cookies did not settle it (a typed reason, as for signed out).
        reason: VerifyError,
        /// The value to set in the `__clerk_redirect_count` cookie: handshakes in a row,
        /// this one included (after three the request is answered signed out instead).
        redirect_count: u32,
    },
}

impl AuthState {
    /// Whether the request is signed in.
    ///
    /// ```
    /// use clerk_sdk::verify::{AuthState, Reason, VerifyError};
    /// let state = AuthState::SignedOut(VerifyError::new(Reason::Expired));
    /// assert!(!state.is_signed_in());
    /// ```
    #[must_use]
    pub fn is_signed_in(&self) -> bool {
        matches!(self, AuthState::SignedIn(_))
    }

    /// The verified claims, when signed in.
    ///
    /// ```
    /// use clerk_sdk::verify::{AuthState, Reason, VerifyError};
    /// let state = AuthState::SignedOut(VerifyError::new(Reason::Expired));
    /// assert!(state.claims().is_none());
    /// ```
    #[must_use]
    pub fn claims(&self) -> Option<&Claims> {
        match self {
            AuthState::SignedIn(claims) => Some(&**claims),
            AuthState::SignedOut(_) | AuthState::Handshake { .. } => None,
        }
    }

    /// The signed-in user's id.
    ///
    /// ```
    /// use clerk_sdk::verify::{AuthState, Reason, VerifyError};
    /// let state = AuthState::SignedOut(VerifyError::new(Reason::Expired));
    /// assert_eq!(state.user_id(), None);
    /// ```
    #[must_use]
    pub fn user_id(&self) -> Option<&str> {
        self.claims().map(Claims::user_id)
    }

    /// Why the request is signed out (or needs a handshake), when it is.
    ///
    /// ```
    /// use clerk_sdk::verify::{AuthState, Reason, VerifyError};
    /// let state = AuthState::SignedOut(VerifyError::new(Reason::Expired));
    /// assert_eq!(state.error().map(|e| e.reason()), Some(Reason::Expired));
    /// ```
    #[must_use]
    pub fn error(&self) -> Option<&VerifyError> {
        match self {
            AuthState::SignedIn(_) => None,
            AuthState::SignedOut(error) | AuthState::Handshake { reason: error, .. } => Some(error),
        }
    }

    /// The claims, or why there are none.
    ///
    /// ```
    /// use clerk_sdk::verify::{AuthState, Reason, VerifyError};
    /// let state = AuthState::SignedOut(VerifyError::new(Reason::Expired));
    /// assert_eq!(state.into_result().unwrap_err().reason(), Reason::Expired);
    /// ```
    ///
    /// # Errors
    /// The [`VerifyError`] of a signed-out request.
    pub fn into_result(self) -> Result<Claims, VerifyError> {
        match self {
            AuthState::SignedIn(claims) => Ok(*claims),
            AuthState::SignedOut(error) | AuthState::Handshake { reason: error, .. } => Err(error),
        }
    }

    /// Where to send the browser, when this is a [`AuthState::Handshake`].
    ///
    /// ```
    /// use clerk_sdk::verify::{AuthState, Reason, VerifyError};
    /// let state = AuthState::SignedOut(VerifyError::new(Reason::TokenMissing));
    /// assert_eq!(state.handshake_location(), None);
    /// ```
    #[must_use]
    pub fn handshake_location(&self) -> Option<&str> {
        match self {
            AuthState::Handshake { location, .. } => Some(location),
            _ => None,
        }
    }

    /// The headers of the `307 Temporary Redirect` that answers a [`AuthState::Handshake`]:
    /// `Location`, `Cache-Control: no-store` and the `__clerk_redirect_count` cookie (which
    /// stops a handshake that settles nothing from looping). `None` in any other state.
    /// The `axum` layer answers with them by itself.
    ///
    /// ```
    /// # use aws_lc_rs::{encoding::AsDer, rsa::{KeyPair, KeySize}, signature::KeyPair as _};
    /// # use base64::Engine as _;
    /// # let key_pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
    /// # let spki = key_pair.public_key().as_der().unwrap();
    /// # let body = base64::engine::general_purpose::STANDARD.encode(spki.as_ref());
    /// # let pem = format!("-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----");
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// use clerk_sdk::verify::{AuthState, Reason, Verifier};
    ///
    /// let verifier = Verifier::builder_pem(pem)
    ///     .publishable_key("pk_test_MTI3LjAuMC4xOjgwODAk")
    ///     .frontend_api_url("http://127.0.0.1:8080/__clerk")
    ///     .build()
    ///     .unwrap();
    /// // A page load without the development browser cookie.
    /// let request = http::Request::get("/dashboard")
    ///     .header("host", "127.0.0.1:3000")
    ///     .header("sec-fetch-dest", "document")
    ///     .body(())
    ///     .unwrap();
    /// let state = verifier.authenticate_request(&request.into_parts().0).await;
    /// assert_eq!(state.error().map(|e| e.reason()), Some(Reason::DevBrowserMissing));
    /// let headers = state.handshake_headers().expect("a handshake");
    /// assert!(headers["location"].to_str().unwrap().starts_with(
    ///     "http://127.0.0.1:8080/__clerk/v1/client/handshake?redirect_url=http%3A%2F%2F127.0.0.1%3A3000%2Fdashboard"
    /// ));
    /// assert_eq!(headers["cache-control"], "no-store");
    /// # });
    /// ```
    #[must_use]
    pub fn handshake_headers(&self) -> Option<HeaderMap> {
        let AuthState::Handshake {
            location,
            redirect_count,
            ..
        } = self
        else {
            return None;
        };
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, HeaderValue::from_str(location).ok()?);
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        let cookie = format!(
            "{REDIRECT_COUNT_COOKIE}={redirect_count}; Path=/; Max-Age=2; HttpOnly; SameSite=Lax"
        );
        headers.insert(SET_COOKIE, HeaderValue::from_str(&cookie).ok()?);
        Some(headers)
    }

    pub(crate) fn missing() -> Self {
        AuthState::SignedOut(VerifyError::new(Reason::TokenMissing))
    }
}

/// The session token of a request: the `Authorization: Bearer` header if there is one, else
/// the `__session` cookie.
///
/// The bearer scheme is matched case-insensitively. If several `__session` cookies are sent,
/// the first one counts.
///
/// ```
/// use http::HeaderMap;
/// use clerk_sdk::verify::session_token_from_headers;
///
/// let mut headers = HeaderMap::new();
/// headers.insert("cookie", "theme=dark; __session=eyJhbGci.x.y".parse().unwrap());
/// assert_eq!(session_token_from_headers(&headers), Some("eyJhbGci.x.y"));
/// headers.insert("authorization", "Bearer eyJother.a.b".parse().unwrap());
/// assert_eq!(session_token_from_headers(&headers), Some("eyJother.a.b"));
/// ```
#[must_use]
pub fn session_token_from_headers(headers: &HeaderMap) -> Option<&str> {
    bearer_token(headers).or_else(|| session_cookie(headers))
}

pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            let value = value.trim().trim_matches('"');
            (name.trim() == SESSION_COOKIE && !value.is_empty()).then_some(value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        map
    }

    #[test]
    fn finds_the_token() {
        type Case<'a> = (&'a [(&'a str, &'a str)], Option<&'a str>);
        let cases: &[Case<'_>] = &[
            (&[], None),
            (&[("authorization", "Bearer abc")], Some("abc")),
            (&[("authorization", "bearer  abc ")], Some("abc")),
            (&[("authorization", "Basic abc")], None),
            (&[("authorization", "Bearer ")], None),
            (&[("authorization", "Bearer")], None),
            (
                &[("authorization", "Basic x"), ("cookie", "__session=c")],
                Some("c"),
            ),
            (&[("cookie", "a=1; __session=tok; b=2")], Some("tok")),
            (&[("cookie", "__session_abc=x; __session=\"q\"")], Some("q")),
            (&[("cookie", "__session=")], None),
            (&[("cookie", "x__session=1")], None),
            (
                &[("cookie", "a=1"), ("cookie", "__session=second")],
                Some("second"),
            ),
            (&[("cookie", "__session=one; __session=two")], Some("one")),
            (
                &[("cookie", "__session=c"), ("authorization", "Bearer h")],
                Some("h"),
            ),
        ];
        for (pairs, expected) in cases {
            assert_eq!(
                session_token_from_headers(&headers(pairs)),
                *expected,
                "{pairs:?}"
            );
        }
    }
}
