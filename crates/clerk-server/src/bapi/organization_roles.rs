//! The instance's organization roles and permissions: `/v1/organization_roles…` and
//! `/v1/organization_permissions…`. Lists answer `{data, total_count}` (the spec's only
//! form).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::domain::organizations::roles::{
    self as domain, NewPermission, NewRole, PermissionChange, RoleChange,
};
use crate::store::StoreError;
use crate::store::organizations::roles::{CATALOG_ORDER_FIELDS, CatalogQuery};
use crate::store::sql::Sort;
use crate::wire::{DeletedObject, PermissionJson, RoleJson};

/// The routes of `/v1/organization_permissions…` and `/v1/organization_roles…`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/organization_permissions",
            get(list_permissions).post(create_permission),
        )
        .route(
            "/organization_permissions/{permission_id}",
            get(show_permission)
                .patch(update_permission)
                .delete(remove_permission),
        )
        .route("/organization_roles", get(list_roles).post(create_role))
        .route(
            "/organization_roles/{organization_role_id}",
            get(show_role).patch(update_role).delete(remove_role),
        )
        .route(
            "/organization_roles/{organization_role_id}/permissions/{permission_id}",
            post(assign_permission).delete(unassign_permission),
        )
}

/// The `query`, `order_by` (newest first by default), `limit` and `offset` of a catalog
/// list.
pub(crate) fn catalog_query(query: &QueryParams) -> Result<CatalogQuery, ApiError> {
    Ok(CatalogQuery {
        query: query.string("query").filter(|q| !q.is_empty()),
        sort: query.sort(CATALOG_ORDER_FIELDS, Sort::NEWEST_FIRST)?,
        page: query.page()?,
    })
}

/// The permission fields of a create or an update.
const PERMISSION_FIELDS: &[&str] = &["name", "key", "description"];

async fn list_permissions(
    State(state): State<AppState>,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let (items, total) = state
        .store
        .list_permissions(&catalog_query(&query)?)
        .await?;
    Ok(respond::list(
        items.iter().map(PermissionJson::new).collect(),
        total,
        true,
    ))
}

async fn create_permission(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<PermissionJson>, ApiError> {
    body.allow_only(PERMISSION_FIELDS)?;
    let new = NewPermission {
        name: body.required_string("name")?,
        key: body.required_string("key")?,
        description: body.string("description")?,
    };
    let permission = domain::create_permission(state.services(), new).await?;
    Ok(Json(PermissionJson::new(&permission)))
}

async fn show_permission(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PermissionJson>, ApiError> {
    let permission = state
        .store
        .permission(&id)
        .await?
        .ok_or_else(|| StoreError::not_found("permission", &id))?;
    Ok(Json(PermissionJson::new(&permission)))
}

async fn update_permission(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<PermissionJson>, ApiError> {
    body.allow_only(PERMISSION_FIELDS)?;
    let change = PermissionChange {
        name: body.string("name")?,
        key: body.string("key")?,
        description: body.string("description")?,
    };
    let permission = domain::update_permission(state.services(), &id, change).await?;
    Ok(Json(PermissionJson::new(&permission)))
}

async fn remove_permission(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let permission = domain::delete_permission(state.services(), &id).await?;
    Ok(Json(DeletedObject::new("permission", &permission.id)).into_response())
}

async fn list_roles(
    State(state): State<AppState>,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let (items, total) = state.store.list_roles(&catalog_query(&query)?).await?;
    Ok(respond::list(
        items.iter().map(RoleJson::new).collect(),
        total,
        true,
    ))
}

async fn create_role(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<RoleJson>, ApiError> {
    body.allow_only(&[
        "name",
        "key",
        "description",
        "permissions",
        "include_in_initial_role_set",
    ])?;
    let new = NewRole {
        name: body.required_string("name")?,
        key: body.required_string("key")?,
        description: body.string("description")?,
        permissions: body.string_array("permissions")?.unwrap_or_default(),
        include_in_initial_role_set: body.bool("include_in_initial_role_set")?.unwrap_or(false),
    };
    let role = domain::create_role(state.services(), new).await?;
    Ok(Json(RoleJson::new(&role)))
}

async fn show_role(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<RoleJson>, ApiError> {
    let role = state
        .store
        .role(&id)
        .await?
        .ok_or_else(|| StoreError::not_found("organization role", &id))?;
    Ok(Json(RoleJson::new(&role)))
}

async fn update_role(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<RoleJson>, ApiError> {
    body.allow_only(&["name", "key", "description", "permissions"])?;
    let change = RoleChange {
        name: body.string("name")?,
        key: body.string("key")?,
        description: body.patch_string("description")?,
        permissions: body.string_array("permissions")?,
    };
    let role = domain::update_role(state.services(), &id, change).await?;
    Ok(Json(RoleJson::new(&role)))
}

async fn remove_role(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let role = domain::delete_role(state.services(), &id).await?;
    Ok(Json(DeletedObject::new("role", &role.id)).into_response())
}

async fn assign_permission(
    State(state): State<AppState>,
    Path((role_id, permission_id)): Path<(String, String)>,
) -> Result<Json<RoleJson>, ApiError> {
    let role = domain::assign_permission(state.services(), &role_id, &permission_id).await?;
    Ok(Json(RoleJson::new(&role)))
}

async fn unassign_permission(
    State(state): State<AppState>,
    Path((role_id, permission_id)): Path<(String, String)>,
) -> Result<Json<RoleJson>, ApiError> {
    let role = domain::remove_permission(state.services(), &role_id, &permission_id).await?;
    Ok(Json(RoleJson::new(&role)))
}
