//! The allowlist: `/v1/allowlist_identifiers` (the flag that turns it on is an instance
//! setting, in [`super::instance`]).
//!
//! As in Clerk, the allowlist restricts who may *sign up*; it never stops the Backend API
//! from creating users. This server has no sign-up flow (no Frontend API), so the flag is
//! stored, reported and shared by replicas, but nothing in the Backend API consults it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::domain::allowlist;
use crate::wire::{AllowlistIdentifierJson, DeletedObject};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/allowlist_identifiers", get(list).post(create))
        .route("/allowlist_identifiers/{identifier_id}", delete(remove))
}

async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let page = query.page()?;
    let paginated = query.paginated()?;
    let instance = state.store.instance().await?;
    let (items, total) = state.store.list_allowlist(page).await?;
    let json = items
        .iter()
        .map(|item| AllowlistIdentifierJson::new(item, &instance.id))
        .collect();
    Ok(respond::list(json, total, paginated))
}

/// `POST /v1/allowlist_identifiers {identifier, notify}`. With `notify: true`, an email
/// address gets an invitation email and a phone number an invitation SMS (in the outbox);
/// other identifiers get none, as in Clerk.
async fn create(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<AllowlistIdentifierJson>, ApiError> {
    body.allow_only(&["identifier", "notify"])?;
    let raw = body.required_string("identifier")?;
    let notify = body.bool("notify")?.unwrap_or(false);
    let item = allowlist::add(state.services(), &raw, notify).await?;
    let instance = state.store.instance().await?;
    Ok(Json(AllowlistIdentifierJson::new(&item, &instance.id)))
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    if !allowlist::remove(state.services(), &id).await? {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            "Identifier not found",
            format!("No identifier was found with id {id}"),
        ));
    }
    Ok(Json(DeletedObject::new("allowlist_identifier", &id)).into_response())
}
