//! Role sets: `/v1/role_sets…`. A role set is named by key (`role_set:…`) or id wherever a
//! path takes `{role_set_key_or_id}`.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::organization_roles::catalog_query;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::domain::organizations::role_sets::{
    self as domain, AddRoles, NewRoleSet, RoleSetChange,
};
use crate::store::StoreError;
use crate::wire::{DeletedObject, RoleSetJson};

/// The routes of `/v1/role_sets…`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/role_sets", get(list).post(create))
        .route("/role_sets/{role_set_key_or_id}", get(show).patch(update))
        .route("/role_sets/{role_set_key_or_id}/replace", post(replace))
        .route("/role_sets/{role_set_key_or_id}/roles", post(add_roles))
        .route(
            "/role_sets/{role_set_key_or_id}/roles/replace",
            post(replace_role),
        )
}

async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let (items, total) = state.store.list_role_sets(&catalog_query(&query)?).await?;
    Ok(respond::list(
        items.iter().map(RoleSetJson::new).collect(),
        total,
        true,
    ))
}

async fn create(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<RoleSetJson>, ApiError> {
    body.allow_only(&[
        "name",
        "key",
        "description",
        "default_role_key",
        "creator_role_key",
        "type",
        "roles",
    ])?;
    let new = NewRoleSet {
        name: body.required_string("name")?,
        key: body.string("key")?,
        description: body.string("description")?,
        default_role_key: body.required_string("default_role_key")?,
        creator_role_key: body.required_string("creator_role_key")?,
        kind: body.string("type")?,
        roles: body
            .string_array("roles")?
            .ok_or_else(|| ApiError::param_missing("roles"))?,
    };
    let set = domain::create(state.services(), new).await?;
    Ok(Json(RoleSetJson::new(&set)))
}

async fn show(
    State(state): State<AppState>,
    Path(key_or_id): Path<String>,
) -> Result<Json<RoleSetJson>, ApiError> {
    let set = state
        .store
        .role_set(&key_or_id)
        .await?
        .ok_or_else(|| StoreError::not_found("role set", &key_or_id))?;
    Ok(Json(RoleSetJson::new(&set)))
}

async fn update(
    State(state): State<AppState>,
    Path(key_or_id): Path<String>,
    body: JsonBody,
) -> Result<Json<RoleSetJson>, ApiError> {
    body.allow_only(&[
        "name",
        "key",
        "description",
        "type",
        "default_role_key",
        "creator_role_key",
    ])?;
    let change = RoleSetChange {
        name: body.string("name")?,
        key: body.string("key")?,
        description: body.patch_string("description")?,
        kind: body.string("type")?,
        default_role_key: body.string("default_role_key")?,
        creator_role_key: body.string("creator_role_key")?,
    };
    let set = domain::update(state.services(), &key_or_id, change).await?;
    Ok(Json(RoleSetJson::new(&set)))
}

/// `reassignment_mappings`: an object of role keys to role keys.
fn mappings(body: &JsonBody) -> Result<BTreeMap<String, String>, ApiError> {
    let Some(object) = body.object("reassignment_mappings")? else {
        return Ok(BTreeMap::new());
    };
    object
        .into_iter()
        .map(|(from, to)| match to {
            Value::String(to) => Ok((from, to)),
            _ => Err(ApiError::param_type_invalid(
                "reassignment_mappings",
                "object of strings",
            )),
        })
        .collect()
}

/// `POST …/replace`: moves the set's organizations to another set and deletes it.
async fn replace(
    State(state): State<AppState>,
    Path(key_or_id): Path<String>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    body.allow_only(&["dest_role_set_key", "reassignment_mappings"])?;
    let dest = body.required_string("dest_role_set_key")?;
    let mappings = mappings(&body)?;
    let deleted = domain::replace(state.services(), &key_or_id, &dest, mappings).await?;
    Ok(Json(DeletedObject::new("role_set", &deleted.id)).into_response())
}

async fn add_roles(
    State(state): State<AppState>,
    Path(key_or_id): Path<String>,
    body: JsonBody,
) -> Result<Json<RoleSetJson>, ApiError> {
    body.allow_only(&["role_keys", "default_role_key", "creator_role_key"])?;
    let add = AddRoles {
        role_keys: body
            .string_array("role_keys")?
            .ok_or_else(|| ApiError::param_missing("role_keys"))?,
        default_role_key: body.string("default_role_key")?,
        creator_role_key: body.string("creator_role_key")?,
    };
    let set = domain::add_roles(state.services(), &key_or_id, add).await?;
    Ok(Json(RoleSetJson::new(&set)))
}

async fn replace_role(
    State(state): State<AppState>,
    Path(key_or_id): Path<String>,
    body: JsonBody,
) -> Result<Json<RoleSetJson>, ApiError> {
    body.allow_only(&["role_key", "to_role_key"])?;
    let role_key = body.required_string("role_key")?;
    let to_role_key = body.required_string("to_role_key")?;
    let set = domain::replace_role(state.services(), &key_or_id, &role_key, &to_role_key).await?;
    Ok(Json(RoleSetJson::new(&set)))
}
