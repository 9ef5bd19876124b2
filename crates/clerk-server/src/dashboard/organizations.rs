//! Organizations: the list (search by name, slug or id; members and pending invitations
//! counted), and an organization's page: its fields, members with their roles, invitations,
//! and the roles it can give.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::Signed;
use super::render::{DashError, paging, pretty, query_string};
use crate::bapi::AppState;
use crate::domain::organizations::invitations::InvitationTickets;
use crate::store::Page;
use crate::store::organizations::invitations::{InvitationFilters, InvitationListQuery};
use crate::store::organizations::memberships::{MembershipFilters, MembershipListQuery};
use crate::store::organizations::roles::CatalogQuery;
use crate::store::organizations::{Extras, OrganizationFilters, OrganizationListQuery};
use crate::store::sql::Sort;
use crate::wire::{InvitationJson, MembershipJson, OrganizationJson, RoleJson};

/// Rows per page.
const PAGE: i64 = 20;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard/organizations", get(list))
        .route("/dashboard/organizations/{organization_id}", get(show))
}

#[derive(Deserialize, Default)]
struct ListParams {
    query: Option<String>,
    offset: Option<i64>,
}

fn extras(now_ms: i64) -> Extras {
    Extras {
        members_count: true,
        missing_member_with_elevated_permissions: false,
        now_ms,
    }
}

fn to_value(view: impl serde::Serialize) -> Value {
    serde_json::to_value(view).unwrap_or_default()
}

/// `GET /dashboard/organizations?query=…&offset=…`.
async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(params): Query<ListParams>,
) -> Result<Response, DashError> {
    let query = params.query.filter(|q| !q.trim().is_empty());
    let offset = params.offset.unwrap_or(0).max(0);
    let (found, total) = state
        .store
        .list_organizations(&OrganizationListQuery {
            filters: OrganizationFilters {
                query: query.clone(),
                ..OrganizationFilters::default()
            },
            sort: Sort::NEWEST_FIRST,
            page: Page {
                limit: PAGE,
                offset,
            },
            extras: extras(state.now_ms()),
        })
        .await?;
    let rows: Vec<Value> = found
        .iter()
        .map(|o| to_value(OrganizationJson::with_counts(o, &state.issuer)))
        .collect();
    Ok(signed.page("organizations").render(
        "organizations",
        json!({
            "title": "Organizations",
            "query": query,
            "organizations": rows,
            "paging": paging(offset, PAGE, total),
            "base": query.as_deref().map(|q| query_string(&[("query", q)])),
        }),
    ))
}

/// `GET /dashboard/organizations/{id}`.
async fn show(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
) -> Result<Response, DashError> {
    let now = state.now_ms();
    let organization = state
        .store
        .organization(&id, extras(now))
        .await?
        .ok_or_else(|| {
            DashError::new(
                StatusCode::NOT_FOUND,
                format!("No organization was found with id {id}."),
            )
        })?;
    let org_id = organization.record.id.clone();
    let (members, members_total) = state
        .store
        .list_memberships(&MembershipListQuery {
            filters: MembershipFilters {
                organization_id: Some(org_id.clone()),
                ..MembershipFilters::default()
            },
            sort: Sort::NEWEST_FIRST,
            page: Page {
                limit: 100,
                offset: 0,
            },
        })
        .await?;
    let (invitations, _) = state
        .store
        .list_organization_invitations(&InvitationListQuery {
            filters: InvitationFilters {
                organization_id: Some(org_id),
                ..InvitationFilters::default()
            },
            sort: Sort::NEWEST_FIRST,
            page: Page {
                limit: 100,
                offset: 0,
            },
            now_ms: now,
        })
        .await?;
    let (roles, _) = state
        .store
        .list_roles(&CatalogQuery {
            query: None,
            sort: Sort::NEWEST_FIRST,
            page: Page {
                limit: 100,
                offset: 0,
            },
        })
        .await?;
    let tickets = InvitationTickets::of(state.services()).await?;
    let view = to_value(OrganizationJson::with_counts(&organization, &state.issuer));
    let metadata = |key: &str| pretty(view.get(key).unwrap_or(&Value::Null));
    Ok(signed.page("organizations").render(
        "organization",
        json!({
            "title": format!("Organization {}", organization.record.name),
            "public_metadata": metadata("public_metadata"),
            "private_metadata": metadata("private_metadata"),
            "organization": view,
            "members": members.iter().map(|m| to_value(MembershipJson::new(m, &state.issuer))).collect::<Vec<_>>(),
            "members_total": members_total,
            "invitations": invitations.iter().map(|i| to_value(InvitationJson::new(i, &state.issuer, &tickets, now))).collect::<Vec<_>>(),
            "roles": roles.iter().map(|r| to_value(RoleJson::new(r))).collect::<Vec<_>>(),
        }),
    ))
}
