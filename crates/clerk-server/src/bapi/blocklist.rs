//! The block-list: `/v1/blocklist_identifiers` (the flag that turns it on is the instance's
//! `blocklist` restriction, in [`super::instance`]; what it refuses is in
//! [`crate::domain::blocklist`]).

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
use crate::domain::blocklist;
use crate::store::Page;
use crate::wire::{BlocklistIdentifierJson, DeletedObject};

/// The spec declares no paging for the list: it answers every entry unless the caller
/// pages with `limit`/`offset` anyway.
const ALL: i64 = 1_000_000;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/blocklist_identifiers", get(list).post(create))
        .route("/blocklist_identifiers/{identifier_id}", delete(remove))
}

/// `GET /v1/blocklist_identifiers`: always `{data, total_count}`, as the spec declares.
async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let page = if query.first("limit").is_some() {
        query.page()?
    } else {
        Page {
            limit: ALL,
            offset: query.page()?.offset,
        }
    };
    let instance = state.store.instance().await?;
    let (items, total) = state.store.list_blocklist(page).await?;
    let json = items
        .iter()
        .map(|item| BlocklistIdentifierJson::new(item, &instance.id))
        .collect();
    Ok(respond::list(json, total, true))
}

/// `POST /v1/blocklist_identifiers {identifier}`.
async fn create(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<BlocklistIdentifierJson>, ApiError> {
    body.allow_only(&["identifier"])?;
    let raw = body.required_string("identifier")?;
    let item = blocklist::add(state.services(), &raw).await?;
    let instance = state.store.instance().await?;
    Ok(Json(BlocklistIdentifierJson::new(&item, &instance.id)))
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    if !blocklist::remove(state.services(), &id).await? {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            "Identifier not found",
            format!("No identifier was found with id {id}"),
        ));
    }
    Ok(Json(DeletedObject::new("blocklist_identifier", &id)).into_response())
}
