//! Instance invitations: `/v1/invitations` (list, create), `/v1/invitations/bulk`,
//! `/v1/invitations/{id}/revoke`. Accepting one is redeeming its ticket
//! (`POST /v1/_local/tickets/redeem`, in [`super::tickets`]).

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;

use crate::bapi::AppState;
use crate::bapi::body::{JsonBody, read_bulk};
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::domain::invitations::{self as domain, NewInvitation};
use crate::store::invitations::{InvitationQuery, ORDER_FIELDS, STATUSES};
use crate::store::sql::Sort;
use crate::wire::InstanceInvitationJson;

/// The fields of one invitation in a create body.
const CREATE_FIELDS: &[&str] = &[
    "email_address",
    "public_metadata",
    "redirect_url",
    "notify",
    "ignore_existing",
    "expires_in_days",
    "template_slug",
];

/// The most invitations one bulk request may carry (the spec's `maxItems`).
const MAX_BULK: usize = 10;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/invitations", get(list).post(create))
        .route("/invitations/bulk", post(create_bulk))
        .route("/invitations/{invitation_id}/revoke", post(revoke))
}

/// `GET /v1/invitations?status=&query=&order_by=&limit=&offset=&paginated=`: a bare array,
/// or the envelope with `paginated=true`.
async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let status = match query.string("status").filter(|s| !s.is_empty()) {
        Some(s) if STATUSES.contains(&s.as_str()) => Some(s),
        Some(s) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "form_param_value_invalid",
                "is invalid",
                format!(
                    "{s} does not match the allowed values for parameter status. Allowed values: {}",
                    STATUSES.join(", ")
                ),
            )
            .with_param("status"));
        }
        None => None,
    };
    let q = InvitationQuery {
        status,
        query: query
            .string("query")
            .map(|q| q.trim().to_lowercase())
            .filter(|q| !q.is_empty()),
        sort: query.sort(ORDER_FIELDS, Sort::NEWEST_FIRST)?,
        page: query.page()?,
        now_ms: state.services().now_ms(),
    };
    let paginated = query.paginated()?;
    let (items, total) = state.store.list_invitations(&q).await?;
    let json = items
        .iter()
        .map(|i| InstanceInvitationJson::new(i, &state.issuer, q.now_ms))
        .collect();
    Ok(respond::list(json, total, paginated))
}

/// One invitation of a create body.
fn new_invitation(body: &JsonBody) -> Result<NewInvitation, ApiError> {
    body.allow_only(CREATE_FIELDS)?;
    let template_slug = body.string("template_slug")?;
    if let Some(slug) = &template_slug
        && slug != "invitation"
        && slug != "waitlist_invitation"
    {
        return Err(ApiError::param_value_invalid(
            "template_slug",
            "template_slug must be invitation or waitlist_invitation.",
        ));
    }
    Ok(NewInvitation {
        email_address: body.required_string("email_address")?,
        public_metadata: body.object("public_metadata")?.unwrap_or_default(),
        redirect_url: body.string("redirect_url")?.filter(|s| !s.is_empty()),
        notify: body.bool("notify")?.unwrap_or(true),
        ignore_existing: body.bool("ignore_existing")?.unwrap_or(false),
        expires_in_days: body.i64("expires_in_days")?,
        template_slug,
    })
}

/// `POST /v1/invitations`: with `notify` (the default), the invitation email goes to the
/// outbox.
async fn create(State(state): State<AppState>, body: JsonBody) -> Result<Json<Value>, ApiError> {
    let new = new_invitation(&body)?;
    let created = domain::create(state.services(), vec![new]).await?;
    let now = state.services().now_ms();
    let view = InstanceInvitationJson::new(&created[0], &state.issuer, now);
    Ok(Json(
        serde_json::to_value(view).map_err(|_| ApiError::internal())?,
    ))
}

/// `POST /v1/invitations/bulk`: a JSON array of 1 to 10 invitations, created together or
/// not at all; a bare array answers.
async fn create_bulk(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let news = read_bulk(request, &state, MAX_BULK, "invitation")
        .await?
        .iter()
        .map(new_invitation)
        .collect::<Result<Vec<_>, _>>()?;
    let created = domain::create(state.services(), news).await?;
    let now = state.services().now_ms();
    let json: Vec<_> = created
        .iter()
        .map(|i| InstanceInvitationJson::new(i, &state.issuer, now))
        .collect();
    Ok(Json(json).into_response())
}

/// `POST /v1/invitations/{id}/revoke` (no body): `status: revoked`.
async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let item = domain::revoke(state.services(), &id).await?;
    let now = state.services().now_ms();
    let view = InstanceInvitationJson::new(&item, &state.issuer, now);
    Ok(Json(
        serde_json::to_value(view).map_err(|_| ApiError::internal())?,
    ))
}
