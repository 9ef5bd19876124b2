//! The local dashboard: a face of its own beside `bapi/` and `fapi/`, served at `/` and under
//! `/dashboard/…`, over the same domain services and store reads. Server-rendered HTML
//! (handlebars templates embedded in the binary, HTML-escaped by default), a little
//! hand-written CSS, and a few lines of script that refresh the outbox and webhook attempts
//! by short polling.
//!
//! Signing in takes the secret key, checked exactly as `bapi/auth.rs` checks it; the session
//! is a random id in an HttpOnly, SameSite=Strict cookie (`domain::dashboard` keeps its
//! digest and the CSRF token in the database, so every replica accepts it); every form
//! carries the session's CSRF token in a hidden field, and a POST without it (or with another
//! session's) is refused with 403. Secrets (an API key's, a machine's secret key) are only
//! shown in the answer to such a POST ("Reveal"), never on a list page nor in a URL; the
//! instance's secret key is never rendered at all. Nothing under `/dashboard/` answers without a session: it
//! redirects to `/`.

mod api_keys;
mod auth;
mod instance;
mod machines;
mod organizations;
mod outbox;
mod render;
mod sessions;
mod users;
mod webhooks;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};

use crate::bapi::AppState;

/// The dashboard's routes: the sign-in page at `/`, its assets, and every page behind a
/// session. Only `/` and `/dashboard/…`: nothing else is shadowed.
pub(crate) fn routes(state: AppState) -> Router<AppState> {
    let private = Router::new()
        .route("/dashboard", get(auth::home))
        .route("/dashboard/", get(auth::home))
        .route("/dashboard/sign_out", post(auth::sign_out))
        .merge(users::routes())
        .merge(sessions::routes())
        .merge(organizations::routes())
        .merge(outbox::routes())
        .merge(webhooks::routes())
        .merge(instance::routes())
        .merge(api_keys::routes())
        .merge(machines::routes())
        .route("/dashboard/{*rest}", get(render::not_found))
        .route_layer(from_fn_with_state(state, auth::require_session));
    Router::new()
        .route("/", get(auth::sign_in_page))
        .route(
            "/dashboard/sign_in",
            post(auth::sign_in).get(auth::to_sign_in_page),
        )
        .route("/dashboard/assets/style.css", get(render::style))
        .route("/dashboard/assets/dashboard.js", get(render::script))
        .merge(private)
}
