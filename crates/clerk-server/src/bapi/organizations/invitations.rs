//! Organization invitations: `/v1/organizations/{id}/invitations…`, the instance-wide
//! `/v1/organization_invitations`, `/v1/users/{id}/organization_invitations`, and the local
//! extension `POST /v1/_local/organization_invitations/{id}/accept`. Every list answers
//! `{data, total_count}`, as both of Clerk's clients read it.

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::bapi::AppState;
use crate::bapi::body::{JsonBody, read_bulk};
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::domain::identifiers::IdentifierKind;
use crate::domain::organizations::invitations::{self as domain, InvitationTickets, NewInvitation};
use crate::store::StoreError;
use crate::store::organizations::Extras;
use crate::store::organizations::invitations::{
    InvitationFilters, InvitationListQuery, ORDER_FIELDS, STATUSES,
};
use crate::store::sql::Sort;
use crate::wire::InvitationJson;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/organizations/{organization_id}/invitations",
            get(list).post(create),
        )
        .route(
            "/organizations/{organization_id}/invitations/bulk",
            post(create_bulk),
        )
        .route(
            "/organizations/{organization_id}/invitations/pending",
            get(list_pending),
        )
        .route(
            "/organizations/{organization_id}/invitations/{invitation_id}",
            get(show),
        )
        .route(
            "/organizations/{organization_id}/invitations/{invitation_id}/revoke",
            post(revoke),
        )
        .route("/organization_invitations", get(list_all))
        .route(
            "/users/{user_id}/organization_invitations",
            get(list_of_user),
        )
        .route(
            "/_local/organization_invitations/{invitation_id}/accept",
            post(accept),
        )
}

/// The fields of one invitation to create.
const CREATE_FIELDS: &[&str] = &[
    "email_address",
    "inviter_user_id",
    "role",
    "public_metadata",
    "private_metadata",
    "redirect_url",
    "expires_in_days",
    "notify",
];

/// The most invitations one bulk request may carry (the spec's `maxItems`).
const MAX_BULK: usize = 10;

/// The `status` filter: one of the spec's values, 400 otherwise.
fn status(query: &QueryParams) -> Result<Option<String>, ApiError> {
    let Some(status) = query.string("status").filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if STATUSES.contains(&status.as_str()) {
        return Ok(Some(status));
    }
    Err(ApiError::new(
        StatusCode::BAD_REQUEST,
        "form_param_value_invalid",
        "is invalid",
        format!(
            "{status} does not match the allowed values for parameter status. Allowed values: {}",
            STATUSES.join(", ")
        ),
    )
    .with_param("status"))
}

/// The id of the organization `id_or_slug` names: 404 if there is none.
async fn organization_id(state: &AppState, id_or_slug: &str) -> Result<String, ApiError> {
    Ok(state
        .store
        .organization(id_or_slug, Extras::default())
        .await?
        .ok_or_else(|| StoreError::not_found("organization", id_or_slug))?
        .record
        .id)
}

/// Answers a page of invitations, with their organizations' public data when
/// `with_organization`.
async fn page(
    state: &AppState,
    filters: InvitationFilters,
    sort: Sort,
    query: &QueryParams,
    with_organization: bool,
) -> Result<Response, ApiError> {
    let now = state.services().now_ms();
    let tickets = InvitationTickets::of(state.services()).await?;
    let q = InvitationListQuery {
        filters,
        sort,
        page: query.page()?,
        now_ms: now,
    };
    let (items, total) = state.store.list_organization_invitations(&q).await?;
    let json = items
        .iter()
        .map(|i| {
            if with_organization {
                InvitationJson::with_organization(i, &state.issuer, &tickets, now)
            } else {
                InvitationJson::new(i, &state.issuer, &tickets, now)
            }
        })
        .collect();
    Ok(respond::list(json, total, true))
}

/// `GET /v1/organizations/{id}/invitations`: filtered on `status` and `email_address`.
async fn list(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let filters = InvitationFilters {
        status: status(&query)?,
        email_address: query
            .string("email_address")
            .filter(|e| !e.is_empty())
            .map(|e| IdentifierKind::EmailAddress.normalize_filter(&e)),
        organization_id: Some(organization_id(&state, &id).await?),
        ..InvitationFilters::default()
    };
    let sort = query.sort(ORDER_FIELDS, Sort::NEWEST_FIRST)?;
    page(&state, filters, sort, &query, false).await
}

/// `GET /v1/organizations/{id}/invitations/pending` (deprecated by Clerk for the list's
/// `status=pending`).
async fn list_pending(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let filters = InvitationFilters {
        status: Some("pending".to_owned()),
        organization_id: Some(organization_id(&state, &id).await?),
        ..InvitationFilters::default()
    };
    page(&state, filters, Sort::NEWEST_FIRST, &query, false).await
}

/// `GET /v1/organization_invitations`: every invitation of the instance, filtered on
/// `status` and on part of the address (`query`).
async fn list_all(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let filters = InvitationFilters {
        status: status(&query)?,
        query: query
            .string("query")
            .map(|q| q.trim().to_lowercase())
            .filter(|q| !q.is_empty()),
        ..InvitationFilters::default()
    };
    let sort = query.sort(ORDER_FIELDS, Sort::NEWEST_FIRST)?;
    page(&state, filters, sort, &query, true).await
}

/// `GET /v1/users/{id}/organization_invitations`: the invitations to any of the user's
/// email addresses.
async fn list_of_user(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let status = status(&query)?;
    query.page()?;
    if state.store.user(&id).await?.is_none() {
        return Err(ApiError::not_found("user", &id));
    }
    let filters = InvitationFilters {
        status,
        user_id: Some(id),
        ..InvitationFilters::default()
    };
    page(&state, filters, Sort::NEWEST_FIRST, &query, true).await
}

/// One invitation of a create body.
fn new_invitation(body: &JsonBody) -> Result<NewInvitation, ApiError> {
    body.allow_only(CREATE_FIELDS)?;
    Ok(NewInvitation {
        email_address: body.required_string("email_address")?,
        role: body.required_string("role")?,
        inviter_user_id: body.string("inviter_user_id")?,
        public_metadata: body.object("public_metadata")?,
        private_metadata: body.object("private_metadata")?,
        redirect_url: body.string("redirect_url")?,
        expires_in_days: body.i64("expires_in_days")?,
        notify: body.bool("notify")?,
    })
}

async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<InvitationJson>, ApiError> {
    let new = new_invitation(&body)?;
    let invitation = domain::create(state.services(), &id, new).await?;
    let now = state.services().now_ms();
    let tickets = InvitationTickets::of(state.services()).await?;
    Ok(Json(InvitationJson::new(
        &invitation,
        &state.issuer,
        &tickets,
        now,
    )))
}

/// `POST …/invitations/bulk`: a JSON array of 1 to 10 invitations, created together or not
/// at all.
async fn create_bulk(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let news = read_bulk(request, &state, MAX_BULK, "invitation")
        .await?
        .iter()
        .map(new_invitation)
        .collect::<Result<Vec<_>, _>>()?;
    let invitations = domain::create_bulk(state.services(), &id, news).await?;
    let now = state.services().now_ms();
    let tickets = InvitationTickets::of(state.services()).await?;
    let total = invitations.len() as i64;
    let json = invitations
        .iter()
        .map(|i| InvitationJson::new(i, &state.issuer, &tickets, now))
        .collect();
    Ok(respond::list(json, total, true))
}

async fn show(
    State(state): State<AppState>,
    Path((id, invitation_id)): Path<(String, String)>,
) -> Result<Json<InvitationJson>, ApiError> {
    let organization_id = organization_id(&state, &id).await?;
    let invitation = state
        .store
        .organization_invitation(&organization_id, &invitation_id)
        .await?
        .ok_or_else(|| StoreError::not_found("organization invitation", &invitation_id))?;
    let now = state.services().now_ms();
    let tickets = InvitationTickets::of(state.services()).await?;
    Ok(Json(InvitationJson::new(
        &invitation,
        &state.issuer,
        &tickets,
        now,
    )))
}

/// `POST …/invitations/{id}/revoke`, with an optional `requesting_user_id` (JS sends no
/// body, Python `{}`).
async fn revoke(
    State(state): State<AppState>,
    Path((id, invitation_id)): Path<(String, String)>,
    body: JsonBody,
) -> Result<Json<InvitationJson>, ApiError> {
    body.allow_only(&["requesting_user_id"])?;
    let requesting = body.string("requesting_user_id")?;
    let invitation =
        domain::revoke(state.services(), &id, &invitation_id, requesting.as_deref()).await?;
    let now = state.services().now_ms();
    let tickets = InvitationTickets::of(state.services()).await?;
    Ok(Json(InvitationJson::new(
        &invitation,
        &state.issuer,
        &tickets,
        now,
    )))
}

/// `POST /v1/_local/organization_invitations/{id}/accept {user_id?}`: what the invitee's
/// click on the email's link would do.
async fn accept(
    State(state): State<AppState>,
    Path(invitation_id): Path<String>,
    body: JsonBody,
) -> Result<Json<InvitationJson>, ApiError> {
    body.allow_only(&["user_id"])?;
    let user_id = body.string("user_id")?;
    let invitation = domain::accept(state.services(), &invitation_id, user_id.as_deref()).await?;
    let now = state.services().now_ms();
    let tickets = InvitationTickets::of(state.services()).await?;
    Ok(Json(InvitationJson::new(
        &invitation,
        &state.issuer,
        &tickets,
        now,
    )))
}
