//! Redirect URLs: `/v1/redirect_urls` (the checks a URL passes are in
//! [`crate::domain::redirect_urls`]).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::domain::redirect_urls;
use crate::wire::{DeletedObject, RedirectUrlJson};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/redirect_urls", get(list).post(create))
        .route("/redirect_urls/{id}", get(show).delete(remove))
}

/// `GET /v1/redirect_urls`: a bare array, or the envelope with `paginated=true`.
async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let page = query.page()?;
    let paginated = query.paginated()?;
    let (items, total) = state.store.list_redirect_urls(page).await?;
    let json = items.iter().map(RedirectUrlJson::new).collect();
    Ok(respond::list(json, total, paginated))
}

/// `POST /v1/redirect_urls {url}`.
async fn create(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<RedirectUrlJson>, ApiError> {
    body.allow_only(&["url"])?;
    let raw = body.required_string("url")?;
    let item = redirect_urls::add(state.services(), &raw).await?;
    Ok(Json(RedirectUrlJson::new(&item)))
}

async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<RedirectUrlJson>, ApiError> {
    let item = state.store.redirect_url(&id).await?;
    Ok(Json(RedirectUrlJson::new(&item)))
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    redirect_urls::remove(state.services(), &id).await?;
    Ok(Json(DeletedObject::new("redirect_url", &id)).into_response())
}
