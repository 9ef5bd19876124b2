//! A local extension: `GET /v1/_local/explain/users…`, the database's plans for the
//! statements the users routes run, validated like the routes themselves.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::list;
use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::store::Dialect;
use crate::store::sql::QueryPlan;

/// `{"object":"query_plans","backend":"sqlite"|"postgres","data":[{"purpose","sql","plan"}]}`.
fn plans_json(state: &AppState, plans: Vec<QueryPlan>) -> Json<Value> {
    let backend = match state.store.dialect() {
        Dialect::Sqlite => "sqlite",
        Dialect::Postgres => "postgres",
    };
    Json(json!({ "object": "query_plans", "backend": backend, "data": plans }))
}

/// `GET /v1/_local/explain/users?<the parameters of GET /v1/users>`: the plans of the
/// statements that list would run (the `starting_after` lookup, the page, and the page's
/// identifications), validated like the list itself.
pub(super) async fn explain_list_users(
    State(state): State<AppState>,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    let plans = state
        .store
        .explain_list_users(&list::list_query(&query)?)
        .await?;
    Ok(plans_json(&state, plans))
}

/// `GET /v1/_local/explain/users/count?<filters>`: the plan of `GET /v1/users/count`.
pub(super) async fn explain_count_users(
    State(state): State<AppState>,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    let plans = state
        .store
        .explain_count_users(&list::filters(&query)?)
        .await?;
    Ok(plans_json(&state, plans))
}

/// `GET /v1/_local/explain/users/{id}`: the plans of `GET /v1/users/{id}`.
pub(super) async fn explain_user(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let plans = state.store.explain_user(&id).await?;
    Ok(plans_json(&state, plans))
}
