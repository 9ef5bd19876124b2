//! `/v1/waitlist_entries`: list, create, bulk create, delete, invite and reject.

use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};

use crate::bapi::AppState;
use crate::bapi::body::{JsonBody, read_bulk};
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::domain::waitlist::{self as domain, MAX_BULK, NewEntry};
use crate::store::sql::Sort;
use crate::store::waitlist::{ORDER_FIELDS, STATUSES, WaitlistQuery};
use crate::wire::{DeletedObject, WaitlistEntryJson};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/waitlist_entries", get(list).post(create))
        .route("/waitlist_entries/bulk", post(create_bulk))
        .route("/waitlist_entries/{waitlist_entry_id}", delete(remove))
        .route("/waitlist_entries/{waitlist_entry_id}/invite", post(invite))
        .route("/waitlist_entries/{waitlist_entry_id}/reject", post(reject))
}

/// `GET /v1/waitlist_entries`: always the `{data, total_count}` envelope, as the spec
/// declares and both official clients expect.
async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let page = query.page()?;
    let sort = query.sort(ORDER_FIELDS, Sort::NEWEST_FIRST)?;
    let status = match query.string("status").filter(|s| !s.is_empty()) {
        Some(s) if STATUSES.contains(&s.as_str()) => Some(s),
        Some(s) => {
            return Err(ApiError::param_value_invalid(
                "status",
                format!(
                    "{s} does not match the allowed values for parameter status. Allowed values: {}",
                    STATUSES.join(", ")
                ),
            ));
        }
        None => None,
    };
    let q = WaitlistQuery {
        query: query.string("query").filter(|s| !s.is_empty()),
        status,
        sort,
        page,
    };
    let (items, total) = state.store.list_waitlist(&q).await?;
    let svc = state.services();
    let now = svc.now_ms();
    let json = domain::with_invitations(svc, items)
        .await?
        .iter()
        .map(|e| e.view(svc, now))
        .collect();
    Ok(respond::list(json, total, true))
}

/// One entry to add: `{email_address, notify}` (`notify` defaults to true).
fn new_entry(body: &JsonBody) -> Result<NewEntry, ApiError> {
    body.allow_only(&["email_address", "notify"])?;
    Ok(NewEntry {
        email_address: body.required_string("email_address")?,
        notify: body.bool("notify")?.unwrap_or(true),
    })
}

/// `POST /v1/waitlist_entries`: an address already on the waitlist answers its entry.
async fn create(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<WaitlistEntryJson>, ApiError> {
    let svc = state.services();
    let entry = domain::add(svc, new_entry(&body)?).await?;
    Ok(Json(entry.view(svc, svc.now_ms())))
}

/// `POST /v1/waitlist_entries/bulk`: a JSON array of 1 to 50 entries, added together or
/// not at all; answers the entries as a bare array.
async fn create_bulk(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let news = read_bulk(request, &state, MAX_BULK, "entry")
        .await?
        .iter()
        .map(new_entry)
        .collect::<Result<Vec<_>, _>>()?;
    let svc = state.services();
    let entries = domain::add_bulk(svc, news).await?;
    let total = entries.len() as i64;
    let now = svc.now_ms();
    let json = entries.iter().map(|e| e.view(svc, now)).collect();
    Ok(respond::list(json, total, false))
}

/// `DELETE /v1/waitlist_entries/{id}`: only a pending entry.
async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    domain::remove(state.services(), &id).await?;
    Ok(Json(DeletedObject::new("waitlist_entry", &id)).into_response())
}

/// `POST /v1/waitlist_entries/{id}/invite {ignore_existing}` (the body is optional).
async fn invite(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<WaitlistEntryJson>, ApiError> {
    body.allow_only(&["ignore_existing"])?;
    let ignore_existing = body.bool("ignore_existing")?.unwrap_or(false);
    let svc = state.services();
    let entry = domain::invite(svc, &id, ignore_existing).await?;
    Ok(Json(entry.view(svc, svc.now_ms())))
}

/// `POST /v1/waitlist_entries/{id}/reject`.
async fn reject(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<WaitlistEntryJson>, ApiError> {
    let svc = state.services();
    let entry = domain::reject(svc, &id).await?;
    Ok(Json(entry.view(svc, svc.now_ms())))
}
