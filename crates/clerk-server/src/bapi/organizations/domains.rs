//! Organization domains: `/v1/organizations/{id}/domains…` and the instance-wide
//! `/v1/organization_domains`. Both lists answer `{data, total_count}`.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::domain::organizations::domains::{
    self as domain, DomainChange, ENROLLMENT_MODES, NewDomain,
};
use crate::store::organizations::Extras;
use crate::store::organizations::domains::{DomainFilters, DomainListQuery, ORDER_FIELDS};
use crate::store::sql::Sort;
use crate::wire::{DeletedObject, OrganizationDomainJson};

use super::id_list;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/organizations/{organization_id}/domains",
            get(list).post(create),
        )
        .route(
            "/organizations/{organization_id}/domains/{domain_id}",
            patch(update).delete(remove),
        )
        .route(
            "/organizations/{organization_id}/domains/{domain_id}/verify_ownership",
            post(verify_ownership),
        )
        .route("/organization_domains", get(list_all))
}

/// The `verified` and `enrollment_mode` filters, shared by both lists: a mode prefixed
/// with `-` is excluded.
fn common_filters(query: &QueryParams) -> Result<DomainFilters, ApiError> {
    let mut filters = DomainFilters {
        verified: query.bool("verified")?,
        ..DomainFilters::default()
    };
    for value in id_list(query, "enrollment_mode")? {
        let (excluded, mode) = match value.strip_prefix('-') {
            Some(mode) => (true, mode),
            None => (false, value.as_str()),
        };
        if !ENROLLMENT_MODES.contains(&mode) {
            return Err(ApiError::param_value_invalid(
                "enrollment_mode",
                format!(
                    "{value} does not match the allowed values for parameter enrollment_mode. Allowed values: {}",
                    ENROLLMENT_MODES.join(", ")
                ),
            ));
        }
        if excluded {
            filters.excluded_enrollment_modes.push(mode.to_owned());
        } else {
            filters.enrollment_modes.push(mode.to_owned());
        }
    }
    Ok(filters)
}

/// Answers a page of domains.
async fn page(state: &AppState, q: DomainListQuery) -> Result<Response, ApiError> {
    let (items, total) = state.store.list_organization_domains(&q).await?;
    let json = items
        .iter()
        .map(|d| OrganizationDomainJson::new(d, &state.issuer))
        .collect();
    Ok(respond::list(json, total, true))
}

/// `GET /v1/organizations/{id}/domains`: newest first. An unknown organization is 404
/// `resource_not_found`, as for its memberships and invitations (the spec declares no 404
/// here; a route that exists names the missing resource everywhere on this server).
async fn list(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let mut filters = common_filters(&query)?;
    let page_of = query.page()?;
    let organization = state
        .store
        .organization(&id, Extras::default())
        .await?
        .ok_or_else(|| ApiError::not_found("organization", &id))?;
    filters.organization_id = Some(organization.record.id);
    let q = DomainListQuery {
        filters,
        sort: Sort::NEWEST_FIRST,
        page: page_of,
    };
    page(&state, q).await
}

/// `GET /v1/organization_domains`: every domain of the instance, filtered on the
/// organization, the verification, the enrollment mode, exact names and `query` (an
/// organization id when it starts with `org_`, else part of the name).
async fn list_all(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let mut filters = common_filters(&query)?;
    filters.organization_id = query.string("organization_id").filter(|o| !o.is_empty());
    filters.names = id_list(&query, "domains")?
        .into_iter()
        .map(|n| n.trim().to_lowercase())
        .collect();
    if let Some(q) = query.string("query") {
        let q = q.trim();
        if q.is_empty() {
            return Err(ApiError::param_value_invalid(
                "query",
                "query must not be empty or whitespace.",
            ));
        }
        if q.starts_with("org_") {
            filters.organization_id = Some(q.to_owned());
        } else {
            filters.name_contains = Some(q.to_lowercase());
        }
    }
    let q = DomainListQuery {
        filters,
        sort: query.sort(ORDER_FIELDS, Sort::NEWEST_FIRST)?,
        page: query.page()?,
    };
    page(&state, q).await
}

async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<OrganizationDomainJson>, ApiError> {
    body.allow_only(&["name", "enrollment_mode", "verified"])?;
    let new = NewDomain {
        name: body.required_string("name")?,
        enrollment_mode: body.string("enrollment_mode")?,
        verified: body.bool("verified")?,
    };
    let domain = domain::create(state.services(), &id, new).await?;
    Ok(Json(OrganizationDomainJson::new(&domain, &state.issuer)))
}

async fn update(
    State(state): State<AppState>,
    Path((id, domain_id)): Path<(String, String)>,
    body: JsonBody,
) -> Result<Json<OrganizationDomainJson>, ApiError> {
    body.allow_only(&["enrollment_mode", "verified"])?;
    let change = DomainChange {
        enrollment_mode: body.string("enrollment_mode")?,
        verified: body.bool("verified")?,
    };
    let domain = domain::update(state.services(), &id, &domain_id, change).await?;
    Ok(Json(OrganizationDomainJson::new(&domain, &state.issuer)))
}

async fn remove(
    State(state): State<AppState>,
    Path((id, domain_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let removed = domain::delete(state.services(), &id, &domain_id).await?;
    Ok(Json(DeletedObject::new("organization_domain", &removed)).into_response())
}

/// `POST …/domains/{id}/verify_ownership`: verified at once (`manual_override`), as Clerk's
/// dashboard override does; nothing reaches DNS.
async fn verify_ownership(
    State(state): State<AppState>,
    Path((id, domain_id)): Path<(String, String)>,
) -> Result<Json<OrganizationDomainJson>, ApiError> {
    let domain = domain::verify_ownership(state.services(), &id, &domain_id).await?;
    Ok(Json(OrganizationDomainJson::new(&domain, &state.issuer)))
}
