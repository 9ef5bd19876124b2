//! API keys: `/api_keys` (the rules are in [`crate::domain::api_keys`]). Served with and
//! without `/v1`, as `@clerk/backend` calls them without it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use clerk_core::Patch;
use serde_json::{Value, json};

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::domain::api_keys::{self, ApiKeyUpdate, DEFAULT_TYPE, NewApiKey};
use crate::secret::Secret;
use crate::store::api_keys::ApiKeyListQuery;
use crate::wire::{ApiKeyJson, DeletedObject};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api_keys", get(list).post(create))
        .route("/api_keys/verify", post(verify))
        .route(
            "/api_keys/{apiKeyID}",
            get(show).patch(update).delete(remove),
        )
        .route("/api_keys/{apiKeyID}/secret", get(secret))
        .route("/api_keys/{apiKeyID}/revoke", post(revoke))
}

/// The largest page of keys (the spec's `limit` maximum).
const MAX_LIMIT: i64 = 100;

/// `GET /api_keys?subject=…`: `{data, total_count}`, newest first; revoked and expired keys
/// only with `include_invalid=true`.
async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let subject = query
        .string("subject")
        .ok_or_else(|| ApiError::param_missing("subject"))?;
    let page = query.page()?;
    if page.limit > MAX_LIMIT {
        return Err(ApiError::param_value_invalid(
            "limit",
            format!(
                "limit must be between 1 and {MAX_LIMIT}, got {}.",
                page.limit
            ),
        ));
    }
    let now = state.now_ms();
    let q = ApiKeyListQuery {
        subject: Some(subject),
        kind: Some(
            query
                .string("type")
                .unwrap_or_else(|| DEFAULT_TYPE.to_owned()),
        ),
        include_invalid: query.bool("include_invalid")?.unwrap_or(false),
        query: query.string("query"),
        now,
        page,
    };
    let (items, total) = state.store.list_api_keys(&q).await?;
    let json = items.iter().map(|r| ApiKeyJson::new(r, now)).collect();
    Ok(respond::list(json, total, true))
}

/// The `claims` of a body: any JSON, `null` as none.
fn claims(body: &JsonBody) -> Patch<Value> {
    match body.value("claims") {
        None => Patch::Unchanged,
        Some(Value::Null) => Patch::Null,
        Some(value) => Patch::Set(value.clone()),
    }
}

/// `POST /api_keys`: 201 with the key and its `secret` (Clerk answers 201, and
/// `clerk-backend-api` accepts nothing else, though the spec says 200).
async fn create(State(state): State<AppState>, body: JsonBody) -> Result<Response, ApiError> {
    body.allow_only(&[
        "type",
        "name",
        "description",
        "subject",
        "claims",
        "scopes",
        "created_by",
        "seconds_until_expiration",
    ])?;
    let new = NewApiKey {
        kind: body.string("type")?,
        name: body.required_string("name")?,
        subject: body.required_string("subject")?,
        description: body.string("description")?,
        claims: match claims(&body) {
            Patch::Set(value) => Some(value),
            Patch::Null | Patch::Unchanged => None,
        },
        scopes: body.string_array("scopes")?.unwrap_or_default(),
        created_by: body.string("created_by")?,
        seconds_until_expiration: body.i64("seconds_until_expiration")?,
    };
    let (record, secret) = api_keys::create(state.services(), new).await?;
    let json = ApiKeyJson::new(&record, state.now_ms()).with_secret(secret.expose());
    Ok((StatusCode::CREATED, Json(json)).into_response())
}

async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ApiKeyJson>, ApiError> {
    let record = state.store.api_key(&id).await?;
    Ok(Json(ApiKeyJson::new(&record, state.now_ms())))
}

/// `PATCH /api_keys/{id}`: subject, description, claims, scopes, seconds_until_expiration
/// (`null` clears the expiry).
async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<ApiKeyJson>, ApiError> {
    body.allow_only(&[
        "subject",
        "description",
        "claims",
        "scopes",
        "seconds_until_expiration",
    ])?;
    let seconds = match body.value("seconds_until_expiration") {
        None => Patch::Unchanged,
        Some(Value::Null) => Patch::Null,
        Some(_) => body
            .i64("seconds_until_expiration")?
            .map_or(Patch::Null, Patch::Set),
    };
    let update = ApiKeyUpdate {
        subject: body.string("subject")?,
        description: body.patch_string("description")?,
        claims: claims(&body),
        scopes: body.string_array("scopes")?,
        seconds_until_expiration: seconds,
    };
    let record = api_keys::update(state.services(), &id, update).await?;
    Ok(Json(ApiKeyJson::new(&record, state.now_ms())))
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    api_keys::delete(state.services(), &id).await?;
    Ok(Json(DeletedObject::new("api_key", &id)).into_response())
}

/// `GET /api_keys/{id}/secret`: `{"secret": "ak_…"}`.
async fn secret(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let secret = api_keys::secret(state.services(), &id).await?;
    Ok(Json(json!({ "secret": secret.expose() })))
}

/// `POST /api_keys/{id}/revoke {revocation_reason?}`.
async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<ApiKeyJson>, ApiError> {
    body.allow_only(&["revocation_reason"])?;
    let reason = body.string("revocation_reason")?;
    let record = api_keys::revoke(state.services(), &id, reason).await?;
    Ok(Json(ApiKeyJson::new(&record, state.now_ms())))
}

/// `POST /api_keys/verify {secret}`: the key, or 404 for an unknown, revoked or expired one.
async fn verify(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<ApiKeyJson>, ApiError> {
    body.allow_only(&["secret"])?;
    let secret = Secret::new(body.required_string("secret")?);
    let record = api_keys::verify(state.services(), &secret).await?;
    Ok(Json(ApiKeyJson::new(&record, state.now_ms())))
}
