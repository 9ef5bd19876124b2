//! `/v1/jwt_templates`: list, create, get, update, delete. Tokens are minted from a
//! template by `POST /v1/sessions/{id}/tokens/{template_name}` (in [`super::sessions`]).

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::domain::jwt_templates::{self, TemplateInput};
use crate::secret::Secret;
use crate::store::StoreError;
use crate::wire::{DeletedObject, JwtTemplateJson};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/jwt_templates", get(list).post(create))
        .route(
            "/jwt_templates/{template_id}",
            get(get_one).patch(update).delete(remove),
        )
}

/// The fields of a create or an update (the same for both).
const FIELDS: &[&str] = &[
    "name",
    "claims",
    "lifetime",
    "allowed_clock_skew",
    "custom_signing_key",
    "signing_algorithm",
    "signing_key",
];

/// A bare array, or `{data, total_count}` with `paginated=true`.
async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let page = query.page()?;
    let paginated = query.paginated()?;
    let (items, total) = state.store.list_jwt_templates(page).await?;
    let json = items.iter().map(JwtTemplateJson::new).collect();
    Ok(respond::list(json, total, paginated))
}

/// The input of a create or an update: `name` and `claims` (an object) are required.
fn input(body: &JsonBody) -> Result<TemplateInput, ApiError> {
    body.allow_only(FIELDS)?;
    let name = body.required_string("name")?;
    let claims = match body.object("claims")? {
        Some(claims) => claims,
        None => return Err(ApiError::param_missing("claims")),
    };
    Ok(TemplateInput {
        name,
        claims,
        lifetime: body.i64("lifetime")?,
        allowed_clock_skew: body.i64("allowed_clock_skew")?,
        custom_signing_key: body.bool("custom_signing_key")?,
        signing_algorithm: body.string("signing_algorithm")?,
        signing_key: body.string("signing_key")?.map(Secret::new),
    })
}

async fn create(State(state): State<AppState>, body: JsonBody) -> Result<Json<Value>, ApiError> {
    let input = input(&body)?;
    let record = jwt_templates::create(state.services(), input).await?;
    Ok(Json(to_value(JwtTemplateJson::new(&record))))
}

async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let record = state
        .store
        .jwt_template(&id)
        .await?
        .ok_or_else(|| StoreError::not_found("JWT template", &id))?;
    Ok(Json(to_value(JwtTemplateJson::new(&record))))
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    let input = input(&body)?;
    let record = jwt_templates::update(state.services(), &id, input).await?;
    Ok(Json(to_value(JwtTemplateJson::new(&record))))
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    jwt_templates::delete(state.services(), &id).await?;
    Ok(Json(to_value(DeletedObject::new("jwt_template", &id))))
}

fn to_value(view: impl serde::Serialize) -> Value {
    // The views are plain structs of strings, numbers and JSON maps.
    serde_json::to_value(view).unwrap_or(Value::Null)
}
