//! Role sets: `/v1/role_sets…`.

use axum::Router;

use crate::bapi::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
}
