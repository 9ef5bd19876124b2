//! Rendering: the handlebars templates (embedded from `templates/`, HTML-escaped by default,
//! strict so a misspelt field fails a test instead of printing nothing), the page layout,
//! the assets, and error pages.

use std::sync::OnceLock;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};
use serde_json::{Map, Value, json};

use super::auth::Signed;
use crate::bapi::errors::{ApiError, ClerkErrorBody};
use crate::domain::error::Error as DomainError;

/// Every template, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("layout", include_str!("templates/layout.hbs")),
    ("sign_in", include_str!("templates/sign_in.hbs")),
    ("error", include_str!("templates/error.hbs")),
    ("paging", include_str!("templates/paging.hbs")),
    ("users", include_str!("templates/users.hbs")),
    ("user", include_str!("templates/user.hbs")),
    ("user_delete", include_str!("templates/user_delete.hbs")),
    ("token", include_str!("templates/token.hbs")),
    ("sessions", include_str!("templates/sessions.hbs")),
    ("organizations", include_str!("templates/organizations.hbs")),
    ("organization", include_str!("templates/organization.hbs")),
    ("outbox", include_str!("templates/outbox.hbs")),
    ("outbox_rows", include_str!("templates/outbox_rows.hbs")),
    (
        "outbox_message",
        include_str!("templates/outbox_message.hbs"),
    ),
    ("webhooks", include_str!("templates/webhooks.hbs")),
    (
        "webhook_message",
        include_str!("templates/webhook_message.hbs"),
    ),
    (
        "webhook_attempts",
        include_str!("templates/webhook_attempts.hbs"),
    ),
    ("instance", include_str!("templates/instance.hbs")),
    ("api_keys", include_str!("templates/api_keys.hbs")),
    ("machines", include_str!("templates/machines.hbs")),
    ("secret", include_str!("templates/secret.hbs")),
    ("secret_value", include_str!("templates/secret_value.hbs")),
];

fn registry() -> &'static Handlebars<'static> {
    static REGISTRY: OnceLock<Handlebars<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(false);
        hb.register_helper("time", Box::new(time_helper));
        for (name, text) in TEMPLATES {
            // The templates are part of the binary; one that does not parse is a bug a test
            // of any page finds at once.
            hb.register_template_string(name, *text)
                .unwrap_or_else(|e| panic!("dashboard template {name}: {e}"));
            hb.register_partial(name, *text)
                .unwrap_or_else(|e| panic!("dashboard partial {name}: {e}"));
        }
        hb
    })
}

/// `{{time ms}}`: a Unix time in milliseconds as `YYYY-MM-DD HH:MM:SS UTC` (nothing for null).
fn time_helper(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let value = h
        .param(0)
        .ok_or(RenderErrorReason::ParamNotFoundForIndex("time", 0))?;
    if let Some(ms) = value.value().as_i64() {
        out.write(&format_ms(ms))?;
    }
    Ok(())
}

/// Milliseconds since the epoch as `YYYY-MM-DD HH:MM:SS UTC`.
pub(crate) fn format_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A page of a signed-in session: which navigation entry is current, and the CSRF token its
/// forms carry.
pub(crate) struct Page {
    active: &'static str,
    csrf_token: String,
}

impl Page {
    pub(crate) fn new(active: &'static str, csrf_token: &str) -> Self {
        Self {
            active,
            csrf_token: csrf_token.to_owned(),
        }
    }

    /// `template` with `data` (an object) and what the layout needs.
    pub(crate) fn render(self, template: &str, data: Value) -> Response {
        self.render_status(StatusCode::OK, template, data)
    }

    pub(crate) fn render_status(self, status: StatusCode, template: &str, data: Value) -> Response {
        let mut data = match data {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        data.insert("signed_in".into(), Value::Bool(true));
        data.insert("active".into(), Value::String(self.active.into()));
        data.insert("csrf_token".into(), Value::String(self.csrf_token));
        html(status, template, &Value::Object(data))
    }
}

/// A page shown without a session (the sign-in page).
pub(crate) fn render_public(status: StatusCode, template: &str, data: Value) -> Response {
    html(status, template, &data)
}

/// A fragment of a page (rows a page polls for), without the layout.
pub(crate) fn render_fragment(template: &str, data: &Value) -> Response {
    html(StatusCode::OK, template, data)
}

fn html(status: StatusCode, template: &str, data: &Value) -> Response {
    match registry().render(template, data) {
        Ok(body) => {
            let mut response = (status, Html(body)).into_response();
            secure_headers(&mut response);
            if status.as_u16() >= 400 {
                // Already an answer: not to be rewritten into Clerk's error JSON.
                response.extensions_mut().insert(ClerkErrorBody);
            }
            response
        }
        Err(e) => {
            tracing::error!(template, error = %e, "a dashboard template failed to render");
            ApiError::internal().into_response()
        }
    }
}

/// What every dashboard answer carries: never cached, never framed, scripts and styles only
/// from the dashboard itself (an email's own HTML runs in a sandboxed frame).
fn secure_headers(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
}

/// A failure shown as a page: a status and a sentence.
#[derive(Debug)]
pub(crate) struct DashError {
    status: StatusCode,
    message: String,
}

impl DashError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn bad_input(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// The sentence shown.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }
}

impl From<ApiError> for DashError {
    fn from(e: ApiError) -> Self {
        let messages: Vec<&str> = e.errors.iter().map(|x| x.long_message.as_str()).collect();
        Self::new(e.status(), messages.join(" "))
    }
}

impl From<DomainError> for DashError {
    fn from(e: DomainError) -> Self {
        ApiError::from(e).into()
    }
}

impl From<crate::store::StoreError> for DashError {
    fn from(e: crate::store::StoreError) -> Self {
        ApiError::from(e).into()
    }
}

impl IntoResponse for DashError {
    fn into_response(self) -> Response {
        error_page(self, None)
    }
}

/// An error page; with the session's navigation when there is one.
pub(crate) fn error_page(error: DashError, signed: Option<&Signed>) -> Response {
    let data = json!({
        "title": "Error",
        "status": error.status.as_u16(),
        "message": error.message,
    });
    match signed {
        Some(signed) => signed.page("").render_status(error.status, "error", data),
        None => html(error.status, "error", &data),
    }
}

/// `GET /dashboard/<anything else>`: 404 as a page.
pub(crate) async fn not_found() -> DashError {
    DashError::new(StatusCode::NOT_FOUND, "There is no such dashboard page.")
}

/// `GET /dashboard/assets/style.css`.
pub(crate) async fn style() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_str!("templates/style.css"),
    )
}

/// `GET /dashboard/assets/dashboard.js`.
pub(crate) async fn script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("templates/dashboard.js"),
    )
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

/// `pairs` as a URL query string (for paging links that keep the filters).
pub(crate) fn query_string(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The header `dashboard.js` sends with a reveal it posts itself: the answer is then the
/// secret's fragment alone, which the script puts in place of the form.
pub(crate) const FRAGMENT_HEADER: &str = "x-dashboard-fragment";

/// What a reveal (or a creation) shows: a secret, whose it is, and the page to go back to.
pub(crate) struct Revealed<'a> {
    /// The page's heading, e.g. "Secret of the API key ci".
    pub(crate) heading: String,
    /// The field's label.
    pub(crate) label: &'a str,
    /// An id unique on the list page (the field's id is derived from it).
    pub(crate) id: &'a str,
    /// The secret itself.
    pub(crate) secret: &'a str,
    /// A sentence under it.
    pub(crate) note: &'a str,
    /// The list page to go back to.
    pub(crate) back: &'a str,
}

/// The answer to a reveal: the secret's fragment when the script asked for it (the
/// [`FRAGMENT_HEADER`]), a whole page otherwise. Only a CSRF-checked POST gets here, so a
/// secret is never in a URL, and never cached (`no-store`).
pub(crate) fn reveal(
    signed: &Signed,
    headers: &axum::http::HeaderMap,
    revealed: &Revealed<'_>,
) -> Response {
    let data = json!({
        "title": revealed.heading,
        "heading": revealed.heading,
        "label": revealed.label,
        "field_id": format!("secret-{}", revealed.id),
        "secret": revealed.secret,
        "note": revealed.note,
        "back": revealed.back,
    });
    if headers.get(FRAGMENT_HEADER).is_some_and(|v| v == "1") {
        render_fragment("secret_value", &data)
    } else {
        signed.page("instance").render("secret", data)
    }
}

/// `value` as indented JSON (metadata and decoded claims).
pub(crate) fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// Paging links: the offset of the previous and next pages of `limit` rows out of `total`.
pub(crate) fn paging(offset: i64, limit: i64, total: i64) -> Value {
    json!({
        "offset": offset,
        "from": if total == 0 { 0 } else { offset + 1 },
        "to": (offset + limit).min(total),
        "total": total,
        "prev": (offset > 0).then(|| json!({ "offset": (offset - limit).max(0) })),
        "next": (offset + limit < total).then(|| json!({ "offset": offset + limit })),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_times() {
        assert_eq!(format_ms(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_ms(1_709_251_199_000), "2024-02-29 23:59:59 UTC");
        assert_eq!(format_ms(1_796_642_736_123), "2026-12-07 11:25:36 UTC");
    }

    #[test]
    fn every_template_parses() {
        let _ = registry();
    }

    #[test]
    fn pages() {
        let p = paging(0, 20, 45);
        assert_eq!(p["next"]["offset"], 20);
        assert_eq!(p["prev"], Value::Null);
        let p = paging(40, 20, 45);
        assert_eq!(p["next"], Value::Null);
        assert_eq!(p["prev"]["offset"], 20);
        assert_eq!(p["to"], 45);
    }
}
