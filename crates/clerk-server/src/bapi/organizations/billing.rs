//! The organization billing operations. Billing (Clerk's plans and subscriptions) has no
//! local counterpart, so each answers 403 `feature_not_enabled`, a status they declare,
//! after checking the organization exists (404 otherwise).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;

use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::store::StoreError;
use crate::store::organizations::Extras;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/organizations/{organization_id}/billing/subscription",
            get(not_enabled),
        )
        .route(
            "/organizations/{organization_id}/billing/credits",
            get(not_enabled).post(not_enabled),
        )
}

async fn not_enabled(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    if state
        .store
        .organization(&id, Extras::default())
        .await?
        .is_none()
    {
        return Err(StoreError::not_found("organization", &id).into());
    }
    Err(billing_not_enabled())
}

/// 403 `feature_not_enabled`: billing has no local counterpart (organizations' and users').
pub(crate) fn billing_not_enabled() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "feature_not_enabled",
        "not enabled",
        "Billing is not enabled for this instance",
    )
}
