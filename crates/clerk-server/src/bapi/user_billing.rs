//! A user's billing: `GET /v1/users/{id}/billing/subscription` and `GET`/`POST
//! /v1/users/{id}/billing/credits`. Billing (Clerk's plans and subscriptions) has no local
//! counterpart, so each answers 403 `feature_not_enabled`, a status they declare, after
//! checking the user exists (404 otherwise), as the organization billing operations do.

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;

use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::bapi::organizations::billing::billing_not_enabled;
use crate::store::StoreError;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/users/{user_id}/billing/subscription", get(not_enabled))
        .route(
            "/users/{user_id}/billing/credits",
            get(not_enabled).post(not_enabled),
        )
}

async fn not_enabled(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    if state.store.user(&id).await?.is_none() {
        return Err(StoreError::not_found("user", &id).into());
    }
    Err(billing_not_enabled())
}
