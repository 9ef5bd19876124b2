//! Signing in and out, the session every page needs, and the CSRF check of every form.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use super::render::{Page, error_page, render_public};
use crate::bapi::AppState;
use crate::domain::dashboard;
use crate::secret::Secret;

/// The session cookie's name.
pub(crate) const COOKIE: &str = "clerk_dashboard_session";

/// The signed-in session of a request (put there by [`require_session`]).
#[derive(Clone)]
pub(crate) struct Signed {
    pub(crate) id: Secret,
    pub(crate) csrf_token: String,
}

impl Signed {
    /// A page of this session (the CSRF token for its forms).
    pub(crate) fn page(&self, active: &'static str) -> Page {
        Page::new(active, &self.csrf_token)
    }
}

/// `GET /`: the sign-in page, or the users page for someone signed in.
pub(crate) async fn sign_in_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(id) = cookie(&headers, COOKIE) {
        if let Ok(Some(_)) = dashboard::session(state.services(), &id).await {
            return Redirect::to("/dashboard/users").into_response();
        }
    }
    render_public(StatusCode::OK, "sign_in", json!({ "title": "Sign in" }))
}

/// `GET /dashboard/sign_in`: the form is at `/`.
pub(crate) async fn to_sign_in_page() -> Redirect {
    Redirect::to("/")
}

/// `GET /dashboard`: the users page.
pub(crate) async fn home() -> Redirect {
    Redirect::to("/dashboard/users")
}

/// `POST /dashboard/sign_in` (form field `secret_key`): a session for an accepted key. A
/// refused key answers 401 with the empty form again (the key is never rendered back).
pub(crate) async fn sign_in(State(state): State<AppState>, body: Bytes) -> Response {
    let key = url::form_urlencoded::parse(&body)
        .find(|(name, _)| name == "secret_key")
        .map(|(_, value)| Secret::new(value.trim().to_owned()));
    let accepted = match &key {
        Some(key) if !key.expose().is_empty() => {
            match state
                .secret_keys()
                .accepts(&state.store, key.expose())
                .await
            {
                Ok(accepted) => accepted,
                Err(e) => return error_page(e.into(), None),
            }
        }
        _ => false,
    };
    if !accepted {
        return render_public(
            StatusCode::UNAUTHORIZED,
            "sign_in",
            json!({
                "title": "Sign in",
                "error": "That secret key is not accepted by this instance.",
            }),
        );
    }
    let started = match dashboard::sign_in(state.services()).await {
        Ok(started) => started,
        Err(e) => return error_page(e.into(), None),
    };
    let max_age = dashboard::LIFETIME_MS / 1000;
    let cookie = format!(
        "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}",
        started.id.expose()
    );
    let mut response = Redirect::to("/dashboard/users").into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// `POST /dashboard/sign_out`: ends the session and clears the cookie.
pub(crate) async fn sign_out(State(state): State<AppState>, form: CsrfForm) -> Response {
    if let Err(e) = dashboard::sign_out(state.services(), form.signed.id.expose()).await {
        return error_page(e.into(), Some(&form.signed));
    }
    signed_out()
}

/// A redirect to the sign-in page that also clears the cookie.
fn signed_out() -> Response {
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "clerk_dashboard_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
        ),
    );
    response
}

/// Middleware of every page behind the sign-in: the session from the cookie, or a redirect
/// to `/`.
pub(crate) async fn require_session(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let Some(id) = cookie(req.headers(), COOKIE) else {
        return Redirect::to("/").into_response();
    };
    match dashboard::session(state.services(), &id).await {
        Ok(Some(session)) => {
            req.extensions_mut().insert(Signed {
                id: Secret::new(id),
                csrf_token: session.csrf_token,
            });
            next.run(req).await
        }
        Ok(None) => signed_out(),
        Err(e) => error_page(e.into(), None),
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// A form posted by a page of this session: its fields, once its `csrf_token` field has
/// matched the session's (403 otherwise).
pub(crate) struct CsrfForm {
    pub(crate) signed: Signed,
    fields: Vec<(String, String)>,
}

impl CsrfForm {
    /// The first value of field `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The trimmed, non-empty value of field `name`.
    pub(crate) fn text(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }
}

impl<S: Send + Sync> FromRequest<S> for CsrfForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let Some(signed) = req.extensions().get::<Signed>().cloned() else {
            return Err(Redirect::to("/").into_response());
        };
        let body = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let fields: Vec<(String, String)> =
            url::form_urlencoded::parse(&body).into_owned().collect();
        let token = fields
            .iter()
            .find(|(k, _)| k == "csrf_token")
            .map_or("", |(_, v)| v.as_str());
        let matches = aws_lc_rs::constant_time::verify_slices_are_equal(
            token.as_bytes(),
            signed.csrf_token.as_bytes(),
        )
        .is_ok();
        if !matches {
            return Err(error_page(
                super::render::DashError::new(
                    StatusCode::FORBIDDEN,
                    "This form did not come from a page of your dashboard session (its CSRF token is missing or wrong). Reload the page and try again.",
                ),
                Some(&signed),
            ));
        }
        Ok(Self { signed, fields })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cookies() {
        let mut h = HeaderMap::new();
        assert_eq!(cookie(&h, COOKIE), None);
        h.insert(
            header::COOKIE,
            "a=1; clerk_dashboard_session=abc ; b=2".parse().unwrap(),
        );
        assert_eq!(cookie(&h, COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "b").as_deref(), Some("2"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
