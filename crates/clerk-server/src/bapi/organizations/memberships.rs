//! Organization memberships: `/v1/organizations/{id}/memberships…`, the instance-wide
//! `/v1/organization_memberships` and `/v1/users/{id}/organization_memberships`. Every list
//! answers `{data, total_count}`, as both of Clerk's clients read it.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, patch};
use axum::{Json, Router};

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::bapi::users::list::filters as user_filters;
use crate::domain::organizations::MetadataChange;
use crate::domain::organizations::memberships::{self as domain, NewMembership};
use crate::store::StoreError;
use crate::store::organizations::Extras;
use crate::store::organizations::memberships::{
    MembershipFilters, MembershipListQuery, ORDER_FIELDS,
};
use crate::store::sql::Sort;
use crate::wire::MembershipJson;

use super::id_list;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/organizations/{organization_id}/memberships",
            get(list).post(create),
        )
        .route(
            "/organizations/{organization_id}/memberships/{user_id}",
            patch(update).delete(remove),
        )
        .route(
            "/organizations/{organization_id}/memberships/{user_id}/metadata",
            patch(update_metadata),
        )
        .route("/organization_memberships", get(list_all))
        .route(
            "/users/{user_id}/organization_memberships",
            get(list_of_user),
        )
}

/// Answers a page of memberships.
async fn page(state: &AppState, q: MembershipListQuery) -> Result<Response, ApiError> {
    let (items, total) = state.store.list_memberships(&q).await?;
    let json = items
        .iter()
        .map(|m| MembershipJson::new(m, &state.issuer))
        .collect();
    Ok(respond::list(json, total, true))
}

/// `GET /v1/organizations/{id}/memberships`: filtered on the members as the users list
/// filters users, and on `role`.
async fn list(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let organization = state
        .store
        .organization(&id, Extras::default())
        .await?
        .ok_or_else(|| StoreError::not_found("organization", &id))?;
    let q = MembershipListQuery {
        filters: MembershipFilters {
            organization_id: Some(organization.record.id),
            user_id: None,
            users: user_filters(&query)?,
            roles: id_list(&query, "role")?,
        },
        sort: query.sort(ORDER_FIELDS, Sort::NEWEST_FIRST)?,
        page: query.page()?,
    };
    page(&state, q).await
}

/// `GET /v1/organization_memberships`: every membership of the instance.
async fn list_all(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let q = MembershipListQuery {
        filters: MembershipFilters::default(),
        sort: query.sort(ORDER_FIELDS, Sort::NEWEST_FIRST)?,
        page: query.page()?,
    };
    page(&state, q).await
}

/// `GET /v1/users/{id}/organization_memberships`. The spec declares no 404: an unknown
/// user has no memberships.
async fn list_of_user(
    State(state): State<AppState>,
    Path(user_id): Path<String>,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let q = MembershipListQuery {
        filters: MembershipFilters {
            user_id: Some(user_id),
            ..MembershipFilters::default()
        },
        sort: Sort::NEWEST_FIRST,
        page: query.page()?,
    };
    page(&state, q).await
}

async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<MembershipJson>, ApiError> {
    body.allow_only(&["user_id", "role", "public_metadata", "private_metadata"])?;
    let new = NewMembership {
        user_id: body.required_string("user_id")?,
        role: body.required_string("role")?,
        public_metadata: body.object("public_metadata")?,
        private_metadata: body.object("private_metadata")?,
    };
    let membership = domain::create(state.services(), &id, new).await?;
    Ok(Json(MembershipJson::new(&membership, &state.issuer)))
}

async fn update(
    State(state): State<AppState>,
    Path((id, user_id)): Path<(String, String)>,
    body: JsonBody,
) -> Result<Json<MembershipJson>, ApiError> {
    body.allow_only(&["role"])?;
    let role = body.required_string("role")?;
    let membership = domain::update_role(state.services(), &id, &user_id, &role).await?;
    Ok(Json(MembershipJson::new(&membership, &state.issuer)))
}

async fn update_metadata(
    State(state): State<AppState>,
    Path((id, user_id)): Path<(String, String)>,
    body: JsonBody,
) -> Result<Json<MembershipJson>, ApiError> {
    body.allow_only(&["public_metadata", "private_metadata"])?;
    let change = MetadataChange {
        public_metadata: body.object("public_metadata")?,
        private_metadata: body.object("private_metadata")?,
    };
    let membership = domain::update_metadata(state.services(), &id, &user_id, change).await?;
    Ok(Json(MembershipJson::new(&membership, &state.issuer)))
}

/// `DELETE …/memberships/{user_id}`: answers the membership that was removed.
async fn remove(
    State(state): State<AppState>,
    Path((id, user_id)): Path<(String, String)>,
) -> Result<Json<MembershipJson>, ApiError> {
    let membership = domain::delete(state.services(), &id, &user_id).await?;
    Ok(Json(MembershipJson::new(&membership, &state.issuer)))
}
