//! Organization domains: `/v1/organizations/{id}/domains…` and the instance-wide
//! `/v1/organization_domains`.

use axum::Router;

use crate::bapi::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
}
