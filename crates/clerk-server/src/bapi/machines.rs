//! `/v1/machines`: list, create, get, update, delete; a machine's secret key (get, rotate);
//! its scopes (which machines it may call). Authenticated by the instance's secret key only:
//! a machine's own key reaches the M2M endpoints alone ([`super::m2m_tokens`]).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Serialize;

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::domain::machines::{self, MachineChange, NewMachine};
use crate::store::StoreError;
use crate::store::machines::{MachineQuery, MachineRecord};
use crate::store::sql::Sort;
use crate::wire::{DeletedObject, MachineJson, MachineScopeJson, MachineSecretKeyJson};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/machines", get(list).post(create))
        .route(
            "/machines/{machine_id}",
            get(get_one).patch(update).delete(remove),
        )
        .route("/machines/{machine_id}/secret_key", get(secret_key))
        .route("/machines/{machine_id}/secret_key/rotate", post(rotate))
        .route("/machines/{machine_id}/scopes", post(add_scope))
        .route(
            "/machines/{machine_id}/scopes/{other_machine_id}",
            delete(remove_scope),
        )
}

/// The fields `order_by` accepts.
const ORDER_BY: &[&str] = &["created_at", "name"];

#[derive(Serialize)]
struct Envelope<T> {
    data: Vec<T>,
    total_count: i64,
}

/// Machines with their scoped machines, rendered: one statement for every scope of the
/// page.
async fn render(
    state: &AppState,
    records: &[MachineRecord],
) -> Result<Vec<serde_json::Value>, ApiError> {
    let instance = state.store.instance().await?;
    let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    let scopes = state.store.scoped_machines(&ids).await?;
    Ok(records
        .iter()
        .map(|record| {
            let scoped = scopes
                .iter()
                .filter(|(from, _)| *from == record.id)
                .map(|(_, m)| m);
            to_value(MachineJson::new(record, scoped, &instance.id))
        })
        .collect())
}

/// Always `{data, total_count}` (both official clients want the envelope).
async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let page = query.page()?;
    let sort = query.sort(ORDER_BY, Sort::NEWEST_FIRST)?;
    let machine_query = MachineQuery {
        query: query.string("query"),
        sort,
        page,
    };
    let (records, total) = state.store.list_machines(&machine_query).await?;
    let data = render(&state, &records).await?;
    Ok(Json(Envelope {
        data,
        total_count: total,
    })
    .into_response())
}

async fn create(State(state): State<AppState>, body: JsonBody) -> Result<Response, ApiError> {
    body.allow_only(&["name", "scoped_machines", "default_token_ttl"])?;
    let input = NewMachine {
        name: body.required_string("name")?,
        default_token_ttl: body.i64("default_token_ttl")?,
        scoped_machines: body.string_array("scoped_machines")?.unwrap_or_default(),
    };
    let (record, secret) = machines::create(state.services(), input).await?;
    let instance = state.store.instance().await?;
    let scoped = state.store.scoped_machines(&[record.id.as_str()]).await?;
    let view = MachineJson::new(&record, scoped.iter().map(|(_, m)| m), &instance.id)
        .with_secret_key(secret.expose());
    Ok(Json(view).into_response())
}

async fn load(state: &AppState, id: &str) -> Result<MachineRecord, ApiError> {
    Ok(state
        .store
        .machine(id)
        .await?
        .ok_or_else(|| StoreError::not_found("machine", id))?)
}

async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let record = load(&state, &id).await?;
    let mut json = render(&state, std::slice::from_ref(&record)).await?;
    Ok(Json(json.pop().unwrap_or_default()).into_response())
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    body.allow_only(&["name", "default_token_ttl"])?;
    let change = MachineChange {
        name: body.string("name")?,
        default_token_ttl: body.i64("default_token_ttl")?,
    };
    let record = machines::update(state.services(), &id, change).await?;
    let mut json = render(&state, std::slice::from_ref(&record)).await?;
    Ok(Json(json.pop().unwrap_or_default()).into_response())
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    machines::delete(state.services(), &id).await?;
    Ok(Json(DeletedObject::new("machine", &id)).into_response())
}

async fn secret_key(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let record = load(&state, &id).await?;
    let secret = machines::secret_key(state.services(), &record)?;
    Ok(Json(MachineSecretKeyJson::new(secret.expose())).into_response())
}

async fn rotate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    body.allow_only(&["previous_token_ttl"])?;
    let ttl = body
        .i64("previous_token_ttl")?
        .ok_or_else(|| ApiError::param_missing("previous_token_ttl"))?;
    let secret = machines::rotate_secret_key(state.services(), &id, ttl).await?;
    Ok(Json(MachineSecretKeyJson::new(secret.expose())).into_response())
}

async fn add_scope(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    body.allow_only(&["to_machine_id"])?;
    let to = body.required_string("to_machine_id")?;
    let scope = machines::add_scope(state.services(), &id, &to).await?;
    Ok(Json(MachineScopeJson::new(&scope)).into_response())
}

async fn remove_scope(
    State(state): State<AppState>,
    Path((id, other)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    machines::remove_scope(state.services(), &id, &other).await?;
    Ok(Json(MachineScopeJson::deleted(&id, &other)).into_response())
}

fn to_value(view: impl Serialize) -> serde_json::Value {
    // The views are plain structs of strings, numbers and arrays.
    serde_json::to_value(view).unwrap_or(serde_json::Value::Null)
}
