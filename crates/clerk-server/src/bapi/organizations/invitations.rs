//! Organization invitations: `/v1/organizations/{id}/invitations…`, the instance-wide
//! `/v1/organization_invitations` and `/v1/users/{id}/organization_invitations`.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde_json::Value;

use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::wire;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route(
        "/users/{user_id}/organization_invitations",
        get(organization_invitations),
    )
}

/// Empty, like the memberships; `status` must be one of the spec's.
async fn organization_invitations(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Response, ApiError> {
    query.page()?;
    if let Some(status) = query.string("status") {
        const STATUSES: [&str; 4] = ["pending", "accepted", "revoked", "expired"];
        if !STATUSES.contains(&status.as_str()) {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "form_param_value_invalid",
                "is invalid",
                format!(
                    "{status} does not match the allowed values for parameter status. \
                     Allowed values: {}",
                    STATUSES.join(", ")
                ),
            )
            .with_param("status"));
        }
    }
    if state.store.user(&id).await?.is_none() {
        return Err(ApiError::not_found("user", &id));
    }
    Ok(wire::list(Vec::<Value>::new(), 0, true))
}
