//! OAuth applications: `/v1/oauth_applications` (the rules are in
//! [`crate::domain::oauth_applications`]), `POST /oauth_applications/access_tokens/verify`
//! (served with and without `/v1`, as `@clerk/backend` calls it without), and this
//! server's own `POST /v1/_local/oauth_applications/{id}/access_tokens`, which issues the
//! access tokens the authorization flow would.

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::json;

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::bapi::uploads::read_upload;
use crate::domain::oauth_applications::{
    self as domain, NewAccessToken, NewOAuthApplication, OAuthApplicationUpdate, Verified,
};
use crate::secret::Secret;
use crate::store::oauth_applications::OAuthApplicationRecord;
use crate::store::sql::Sort;
use crate::wire::{DeletedObject, OAuthAccessTokenJson, OAuthApplicationJson};

/// The application routes (under `/v1` only).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/oauth_applications", get(list).post(create))
        .route(
            "/oauth_applications/{oauth_application_id}",
            get(show).patch(update).delete(remove),
        )
        .route(
            "/oauth_applications/{oauth_application_id}/logo",
            put(upload_logo),
        )
        .route(
            "/oauth_applications/{oauth_application_id}/rotate_secret",
            post(rotate_secret),
        )
        .route(
            "/oauth_applications/{oauth_application_id}/revoke_token",
            post(revoke_token),
        )
        .route(
            "/_local/oauth_applications/{oauth_application_id}/access_tokens",
            post(issue_access_token),
        )
}

/// `POST /oauth_applications/access_tokens/verify` (with and without `/v1`).
pub(crate) fn verify_routes() -> Router<AppState> {
    Router::new().route(
        "/oauth_applications/access_tokens/verify",
        post(verify_access_token),
    )
}

async fn view(
    state: &AppState,
    record: &OAuthApplicationRecord,
) -> Result<OAuthApplicationJson, ApiError> {
    let instance = state.store.instance().await?;
    Ok(OAuthApplicationJson::new(
        record,
        &instance.id,
        &state.issuer,
    ))
}

/// `GET /v1/oauth_applications`: `{data, total_count}`, oldest first unless
/// `order_by=-created_at`, names filtered by `name_query`.
async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let page = query.page()?;
    let oldest_first = Sort {
        descending: false,
        ..Sort::NEWEST_FIRST
    };
    let sort = query.sort(&["created_at"], oldest_first)?;
    let name_query = query.string("name_query");
    let (items, total) = state
        .store
        .list_oauth_applications(name_query.as_deref(), sort.descending, page)
        .await?;
    let instance = state.store.instance().await?;
    let json = items
        .iter()
        .map(|r| OAuthApplicationJson::new(r, &instance.id, &state.issuer))
        .collect();
    Ok(respond::list(json, total, true))
}

const FIELDS: &[&str] = &[
    "name",
    "redirect_uris",
    "callback_url",
    "scopes",
    "consent_screen_enabled",
    "pkce_required",
    "public",
];

/// `POST /v1/oauth_applications`: the application with its `client_secret` (shown once).
async fn create(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<OAuthApplicationJson>, ApiError> {
    body.allow_only(FIELDS)?;
    let new = NewOAuthApplication {
        name: body.required_string("name")?,
        redirect_uris: body.string_array("redirect_uris")?,
        callback_url: body.string("callback_url")?,
        scopes: body.string("scopes")?,
        consent_screen_enabled: body.bool("consent_screen_enabled")?,
        pkce_required: body.bool("pkce_required")?,
        public: body.bool("public")?,
    };
    let (record, secret) = domain::create(state.services(), new).await?;
    let json = view(&state, &record).await?;
    Ok(Json(json.with_secret(secret.as_ref().map(Secret::expose))))
}

async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<OAuthApplicationJson>, ApiError> {
    let record = state.store.oauth_application(&id).await?;
    Ok(Json(view(&state, &record).await?))
}

/// `PATCH /v1/oauth_applications/{id}`: every field optional; `null` leaves it.
async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<OAuthApplicationJson>, ApiError> {
    body.allow_only(FIELDS)?;
    let update = OAuthApplicationUpdate {
        name: body.string("name")?,
        redirect_uris: body.string_array("redirect_uris")?,
        callback_url: body.string("callback_url")?,
        scopes: body.string("scopes")?,
        consent_screen_enabled: body.bool("consent_screen_enabled")?,
        pkce_required: body.bool("pkce_required")?,
        public: body.bool("public")?,
    };
    let record = domain::update(state.services(), &id, update).await?;
    Ok(Json(view(&state, &record).await?))
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    domain::delete(state.services(), &id).await?;
    Ok(Json(DeletedObject::new("oauth_application", &id)).into_response())
}

/// `PUT /v1/oauth_applications/{id}/logo` (multipart `file`): the application, its
/// `client_image_url` set.
async fn upload_logo(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Result<Json<OAuthApplicationJson>, ApiError> {
    // An unknown application is 404 before the upload is read.
    state.store.oauth_application(&id).await?;
    let upload = read_upload(req, &state).await?;
    let record = domain::upload_logo(state.services(), &id, upload).await?;
    Ok(Json(view(&state, &record).await?))
}

/// `POST /v1/oauth_applications/{id}/rotate_secret`: the application with its new
/// `client_secret`.
async fn rotate_secret(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<OAuthApplicationJson>, ApiError> {
    let (record, secret) = domain::rotate_secret(state.services(), &id).await?;
    let json = view(&state, &record).await?;
    Ok(Json(json.with_secret(Some(secret.expose()))))
}

/// `POST /v1/oauth_applications/{id}/revoke_token {token}`: 204.
async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<StatusCode, ApiError> {
    body.allow_only(&["token"])?;
    let token = Secret::new(body.required_string("token")?);
    domain::revoke_token(state.services(), &id, &token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /v1/_local/oauth_applications/{id}/access_tokens {user_id, scopes?,
/// expires_in_seconds?, format?}`: `{object: "oauth_access_token_issued", id, token,
/// format, ...}`, the token shown once.
async fn issue_access_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<serde_json::Value>, ApiError> {
    body.allow_only(&["user_id", "scopes", "expires_in_seconds", "format"])?;
    let jwt = match body.string("format")?.as_deref() {
        None | Some("opaque") => false,
        Some("jwt") => true,
        Some(other) => {
            return Err(ApiError::param_value_invalid(
                "format",
                format!("format must be opaque or jwt, got {other}."),
            ));
        }
    };
    let new = NewAccessToken {
        user_id: body.required_string("user_id")?,
        scopes: body.string_array("scopes")?,
        expires_in_seconds: body.i64("expires_in_seconds")?,
        jwt,
    };
    let (record, token) = domain::issue_access_token(state.services(), &id, new).await?;
    Ok(Json(json!({
        "object": "oauth_access_token",
        "id": record.id,
        "token": token.expose(),
        "format": record.format,
        "client_id": record.client_id,
        "subject": record.subject,
        "scopes": record.scopes.0,
        "expiration": record.expiration,
        "created_at": record.created_at,
    })))
}

/// `POST /oauth_applications/access_tokens/verify {access_token}` (or the deprecated
/// `secret`): the token, `{"active": false}` for an expired or revoked JWT, else 404.
async fn verify_access_token(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    body.allow_only(&["access_token", "secret"])?;
    let token = match (body.string("access_token")?, body.string("secret")?) {
        (Some(token), _) | (None, Some(token)) => token,
        (None, None) => return Err(ApiError::param_missing("access_token")),
    };
    match domain::verify_access_token(state.services(), &Secret::new(token)).await? {
        Verified::Active(record) => {
            Ok(Json(OAuthAccessTokenJson::new(&record, state.now_ms())).into_response())
        }
        Verified::Inactive => Ok(Json(json!({ "active": false })).into_response()),
    }
}
