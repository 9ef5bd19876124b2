//! `/v1/organizations` and what hangs off an organization: memberships, invitations,
//! domains (a module each), its logo, and the billing operations (which answer that
//! billing is not enabled). The instance's roles catalog is in
//! [`super::organization_roles`] and [`super::role_sets`].
//!
//! An organization is named by id or by slug wherever a path takes `{organization_id}`.

pub(crate) mod billing;
pub(crate) mod domains;
pub(crate) mod invitations;
pub(crate) mod logo;
pub(crate) mod memberships;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use axum::{Extension, Json, Router};

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::params::rfc3339_field;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::bapi::version::ApiVersion;
use crate::domain::organizations::{
    self as domain, MetadataChange, NewOrganization, OrganizationChange,
};
use crate::store::StoreError;
use crate::store::organizations::{
    Extras, ORDER_FIELDS, OrganizationFilters, OrganizationListQuery,
};
use crate::store::sql::Sort;
use crate::wire::{DeletedObject, OrganizationJson};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/organizations", get(list).post(create))
        .route(
            "/organizations/{organization_id}",
            get(show).patch(update).delete(remove),
        )
        .route(
            "/organizations/{organization_id}/metadata",
            patch(merge_metadata).put(replace_metadata),
        )
        .merge(logo::routes())
        .merge(billing::routes())
        .merge(memberships::routes())
        .merge(invitations::routes())
        .merge(domains::routes())
}

/// The fields of `POST /v1/organizations`.
const CREATE_FIELDS: &[&str] = &[
    "name",
    "slug",
    "created_by",
    "max_allowed_memberships",
    "public_metadata",
    "private_metadata",
    "created_at",
    "role_set_key",
];

/// The fields of `PATCH /v1/organizations/{id}` (from 2026-05-12; before, also metadata).
const UPDATE_FIELDS: &[&str] = &[
    "name",
    "slug",
    "max_allowed_memberships",
    "admin_delete_enabled",
    "created_at",
    "role_set_key",
];

/// At most this many values per array filter.
const MAX_FILTER_VALUES: usize = 100;

/// An array query parameter, empty values dropped, at most 100 values.
pub(crate) fn id_list(query: &QueryParams, name: &str) -> Result<Vec<String>, ApiError> {
    let values: Vec<String> = query
        .all(name)
        .into_iter()
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect();
    if values.len() > MAX_FILTER_VALUES {
        return Err(ApiError::form(
            "form_param_array_size_exceeded",
            name,
            "exceeds maximum size",
            format!("{name} should not exceed {MAX_FILTER_VALUES} items."),
        ));
    }
    Ok(values)
}

/// The extra counts a read asks for.
fn extras(state: &AppState, query: &QueryParams) -> Result<Extras, ApiError> {
    Ok(Extras {
        now_ms: state.now_ms(),
        members_count: query.bool("include_members_count")?.unwrap_or(false),
        missing_member_with_elevated_permissions: query
            .bool("include_missing_member_with_elevated_permissions")?
            .unwrap_or(false),
    })
}

/// `GET /v1/organizations`: always `{data, total_count}`, as both of Clerk's clients read it.
async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let q = OrganizationListQuery {
        filters: OrganizationFilters {
            query: query.string("query"),
            user_ids: id_list(&query, "user_id")?,
            organization_ids: id_list(&query, "organization_id")?,
        },
        sort: query.sort(ORDER_FIELDS, Sort::NEWEST_FIRST)?,
        page: query.page()?,
        extras: extras(&state, &query)?,
    };
    let (items, total) = state.store.list_organizations(&q).await?;
    let json = items
        .iter()
        .map(|o| OrganizationJson::with_counts(o, &state.issuer))
        .collect();
    Ok(respond::list(json, total, true))
}

async fn create(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<OrganizationJson>, ApiError> {
    body.allow_only(CREATE_FIELDS)?;
    let new = NewOrganization {
        name: body.required_string("name")?,
        slug: body.string("slug")?,
        created_by: body.string("created_by")?,
        max_allowed_memberships: body.i64("max_allowed_memberships")?,
        public_metadata: body.object("public_metadata")?,
        private_metadata: body.object("private_metadata")?,
        created_at: rfc3339_field(&body, "created_at")?.into_set(),
        role_set_key: body.string("role_set_key")?,
    };
    let record = domain::create(state.services(), new).await?;
    Ok(Json(OrganizationJson::new(&record, &state.issuer)))
}

async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Json<OrganizationJson>, ApiError> {
    let organization = state
        .store
        .organization(&id, extras(&state, &query)?)
        .await?
        .ok_or_else(|| StoreError::not_found("organization", &id))?;
    Ok(Json(OrganizationJson::with_counts(
        &organization,
        &state.issuer,
    )))
}

async fn update(
    State(state): State<AppState>,
    Extension(version): Extension<ApiVersion>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<OrganizationJson>, ApiError> {
    let takes_metadata = !version.update_organization_rejects_metadata();
    if takes_metadata {
        let mut fields = UPDATE_FIELDS.to_vec();
        fields.extend(["public_metadata", "private_metadata"]);
        body.allow_only(&fields)?;
    } else {
        body.allow_only(UPDATE_FIELDS)?;
    }
    let change = OrganizationChange {
        name: body.string("name")?,
        slug: body.string("slug")?,
        max_allowed_memberships: body.i64("max_allowed_memberships")?,
        admin_delete_enabled: body.bool("admin_delete_enabled")?,
        created_at: rfc3339_field(&body, "created_at")?.into_set(),
        role_set_key: body.string("role_set_key")?,
        public_metadata: body.object("public_metadata")?,
        private_metadata: body.object("private_metadata")?,
    };
    let record = domain::update(state.services(), &id, change).await?;
    Ok(Json(OrganizationJson::new(&record, &state.issuer)))
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let record = domain::delete(state.services(), &id).await?;
    Ok(Json(DeletedObject::new("organization", &record.id)).into_response())
}

/// The body of the metadata endpoints.
fn metadata_change(body: &JsonBody) -> Result<MetadataChange, ApiError> {
    body.allow_only(&["public_metadata", "private_metadata"])?;
    Ok(MetadataChange {
        public_metadata: body.object("public_metadata")?,
        private_metadata: body.object("private_metadata")?,
    })
}

/// `PATCH /v1/organizations/{id}/metadata`: a deep merge, `null` deleting a key.
async fn merge_metadata(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<OrganizationJson>, ApiError> {
    let change = metadata_change(&body)?;
    let record = domain::update_metadata(state.services(), &id, change, true).await?;
    Ok(Json(OrganizationJson::new(&record, &state.issuer)))
}

/// `PUT /v1/organizations/{id}/metadata`: each given field replaced whole.
async fn replace_metadata(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<OrganizationJson>, ApiError> {
    let change = metadata_change(&body)?;
    let record = domain::update_metadata(state.services(), &id, change, false).await?;
    Ok(Json(OrganizationJson::new(&record, &state.issuer)))
}
