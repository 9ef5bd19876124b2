//! `POST /v1/sessions/{id}/refresh` (the rules are in `domain::session_refresh`) and the
//! local extension that mints the refresh token it checks.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Extension, Json, Router};
use serde_json::{Value, json};
use url::Url;

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::version::ApiVersion;
use crate::domain::session_refresh::{self, RefreshRequest};
use crate::secret::Secret;
use crate::wire::TokenJson;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sessions/{session_id}/refresh", post(refresh))
        .route(
            "/_local/sessions/{session_id}/refresh_token",
            post(refresh_token),
        )
}

const FIELDS: &[&str] = &[
    "expired_token",
    "refresh_token",
    "request_origin",
    "request_headers",
    "format",
    "request_originating_ip",
];

/// The answer's format: a `token`, or `cookies` to set.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Token,
    Cookie,
}

/// `request_origin` must be an origin: `http(s)://host[:port]`, nothing after.
fn origin(raw: &str) -> Result<String, ApiError> {
    let invalid = || {
        ApiError::param_format_invalid(
            "request_origin",
            "request_origin must be an origin, such as https://example.com.",
        )
    };
    let url = Url::parse(raw).map_err(|_| invalid())?;
    let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() || !bare {
        return Err(invalid());
    }
    Ok(url.origin().ascii_serialization())
}

/// `POST /v1/sessions/{id}/refresh`: `{"object":"token","jwt"}`, or with `format: cookie`
/// `{"object":"cookies","cookies":["__session=<jwt>; …"]}`. A refused refresh is 401.
async fn refresh(
    State(state): State<AppState>,
    Extension(version): Extension<ApiVersion>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(FIELDS)?;
    let expired_token = Secret::new(body.required_string("expired_token")?);
    let refresh_token = Secret::new(body.required_string("refresh_token")?);
    let request_origin = origin(&body.required_string("request_origin")?)?;
    body.object("request_headers")?;
    body.string("request_originating_ip")?;
    let format = match body.string("format")?.as_deref() {
        None | Some("token") => Format::Token,
        Some("cookie") => Format::Cookie,
        Some(other) => {
            return Err(ApiError::param_value_invalid(
                "format",
                format!(
                    "{other} does not match the allowed values for parameter format. Allowed values: token, cookie"
                ),
            ));
        }
    };
    let request = RefreshRequest {
        expired_token,
        refresh_token,
        request_origin,
        v2: version.session_token_v2(),
    };
    let jwt = session_refresh::refresh(state.services(), &id, &request)
        .await?
        .map_err(|refused| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                refused.code(),
                "Invalid authentication",
                format!("The session could not be refreshed: {}.", refused.reason()),
            )
        })?;
    Ok(Json(match format {
        Format::Token => json!(TokenJson::new(jwt)),
        Format::Cookie => {
            let secure = if request.request_origin.starts_with("https://") {
                "; Secure"
            } else {
                ""
            };
            let cookie = format!("__session={jwt}; Path=/; SameSite=Lax{secure}");
            json!({ "object": "cookies", "cookies": [cookie] })
        }
    }))
}

/// `POST /v1/_local/sessions/{id}/refresh_token` (this server's own): a new refresh token
/// for the session, what the Frontend API's handshake puts in the `__refresh` cookie; it
/// replaces the session's previous one and is shown only here.
async fn refresh_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(&[])?;
    let token = session_refresh::issue_refresh_token(state.services(), &id).await?;
    Ok(Json(json!({
        "object": "refresh_token",
        "session_id": id,
        "refresh_token": token.expose(),
    })))
}
