//! The instance's organization roles and permissions: `/v1/organization_roles…` and
//! `/v1/organization_permissions…`.

use axum::Router;

use crate::bapi::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
}
