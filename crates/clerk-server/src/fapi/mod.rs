//! The Frontend API face (FAPI): what Clerk's browser SDK, clerk-js, signs users in and up
//! against, served under `/__clerk` (Clerk's conventional proxy path) on the same listener
//! as the Backend API; clerk-js gets `proxyUrl = <server>/__clerk`.
//!
//! None of the Backend API's layers apply here: no secret key (the browser is identified by
//! its `__client` cookie), form bodies, clerk-js's `_method` override, any
//! `__clerk_api_version`, credentialed CORS for the page's origin, answers enveloped with
//! the browser's client and errors carrying it in `meta.client`. Every change goes through
//! the same domain operations, so the Backend API sees the same users and sessions, and
//! the same webhook events go out.

mod browser;
mod client;
mod environment;
mod form;
mod handshake;
mod listing;
mod me;
mod me_organizations;
mod me_sessions;
mod org_members;
mod organizations;
mod respond;
mod sessions;
mod sign_ins;
mod sign_ups;
mod tickets;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use tower::ServiceBuilder;

use crate::bapi::AppState;
use crate::bapi::errors::ApiError;

/// Where the Frontend API is served.
pub(crate) const PATH_PREFIX: &str = "/__clerk";

/// The Frontend API, to be nested at [`PATH_PREFIX`].
pub(crate) fn router(state: AppState) -> Router {
    let routes = Router::new()
        .merge(environment::routes())
        .merge(client::routes())
        .merge(sign_ins::routes())
        .merge(sign_ups::routes())
        .merge(me::routes())
        .merge(me_organizations::routes())
        .merge(me_sessions::routes())
        .merge(organizations::routes())
        .merge(org_members::routes())
        .merge(tickets::routes())
        .merge(handshake::routes())
        .merge(sessions::routes())
        .fallback(|| async { ApiError::no_route().into_response() })
        .with_state(state.clone());
    // CORS and the method override wrap the routes: both must act before routing.
    let service = ServiceBuilder::new()
        .layer(from_fn_with_state(state, browser::cors))
        .layer(from_fn(browser::method_override))
        .service(routes);
    Router::new().fallback_service(service)
}
