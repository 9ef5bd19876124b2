//! The Backend API face: `/v1` and the unauthenticated JWKS. One module per resource, each
//! with its routes and thin handlers (read the request, call a domain service or read the
//! store, print the wire view); the middleware every request passes through; request
//! parsing; Clerk's error JSON, where every lower layer's errors become Clerk's codes.

pub(crate) mod allowlist;
pub(crate) mod api_keys;
pub(crate) mod auth;
pub(crate) mod blocklist;
pub(crate) mod body;
pub(crate) mod clients;
pub(crate) mod declared;
pub(crate) mod domains;
pub(crate) mod email_addresses;
pub(crate) mod errors;
mod identifications;
pub(crate) mod instance;
pub(crate) mod instance_settings;
mod interstitial;
pub(crate) mod invitations;
pub(crate) mod jwt_templates;
pub(crate) mod keys;
pub(crate) mod m2m_tokens;
pub(crate) mod machines;
pub(crate) mod message_templates;
pub(crate) mod messages;
mod middleware;
pub(crate) mod oauth_applications;
pub(crate) mod organization_roles;
pub(crate) mod organizations;
pub(crate) mod outbox;
pub(crate) mod params;
pub(crate) mod phone_numbers;
pub(crate) mod query;
pub(crate) mod redirect_urls;
pub(crate) mod respond;
pub(crate) mod role_sets;
pub(crate) mod session_refresh;
pub(crate) mod sessions;
pub(crate) mod sign_ups;
pub(crate) mod state;
pub(crate) mod tickets;
mod uploads;
pub(crate) mod user_accounts;
pub(crate) mod user_billing;
pub(crate) mod user_credentials;
pub(crate) mod users;
pub(crate) mod verification;
pub(crate) mod version;
pub(crate) mod waitlist;
pub(crate) mod webhooks;

use axum::Router;
use axum::middleware::from_fn;
use axum::middleware::from_fn_with_state;
use axum::routing::get;

use crate::dashboard;
use crate::fapi;

pub(crate) use state::AppState;

/// The routes a machine's secret key authenticates as well as the instance's (the M2M
/// endpoints), with the same path and status layers as `/v1`'s. Clerk's JS client calls
/// them without the `/v1` prefix, so they are served both with and without it.
fn machine_auth_routes(state: &AppState) -> Router<AppState> {
    m2m_tokens::routes()
        .route_layer(from_fn(middleware::reject_undecodable_paths))
        .route_layer(from_fn(declared::keep_declared_statuses))
        .route_layer(from_fn_with_state(
            state.clone(),
            auth::authenticate_machine_or_instance,
        ))
}

/// The complete application: the Backend API, with the Frontend API nested at
/// [`fapi::PATH_PREFIX`] and the dashboard at `/` and `/dashboard/…`; all share the outer layers (trace ids, Clerk's error format for
/// whatever did not answer in it, the request's origin for webhook events).
pub(crate) fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .merge(users::routes())
        .merge(user_credentials::routes())
        .merge(user_accounts::routes())
        .merge(email_addresses::routes())
        .merge(phone_numbers::routes())
        .merge(sessions::routes())
        .merge(session_refresh::routes())
        .merge(clients::routes())
        .merge(allowlist::routes())
        .merge(blocklist::routes())
        .merge(redirect_urls::routes())
        .merge(waitlist::routes())
        .merge(verification::routes())
        .merge(sign_ups::routes())
        .merge(instance::routes())
        .merge(domains::routes())
        .merge(instance_settings::routes())
        .merge(user_billing::routes())
        .merge(keys::routes())
        .merge(jwt_templates::routes())
        .merge(message_templates::routes())
        .merge(messages::routes())
        .merge(outbox::routes())
        .merge(organizations::routes())
        .merge(organization_roles::routes())
        .merge(role_sets::routes())
        .merge(tickets::routes())
        .merge(invitations::routes())
        .merge(machines::routes())
        .merge(webhooks::svix_routes())
        .merge(webhooks::local_routes())
        .merge(api_keys::routes())
        .merge(oauth_applications::routes())
        .merge(oauth_applications::verify_routes())
        // Route layers run after routing, innermost first: the path check, the statuses,
        // then authentication (so a bad key is reported before anything else).
        .route_layer(from_fn(middleware::reject_undecodable_paths))
        .route_layer(from_fn(declared::keep_declared_statuses))
        .route_layer(from_fn_with_state(state.clone(), auth::authenticate));
    // The local webhooks API is also served at the root, as Svix's API is its own.
    let local = webhooks::local_routes()
        .route_layer(from_fn(middleware::reject_undecodable_paths))
        .route_layer(from_fn_with_state(state.clone(), auth::authenticate));
    // API keys and OAuth access token verification are also served without `/v1`, as
    // `@clerk/backend` calls them (`skipApiVersionInUrl`), behind the same layers.
    let unversioned = Router::new()
        .merge(api_keys::routes())
        .merge(oauth_applications::verify_routes())
        .route_layer(from_fn(middleware::reject_undecodable_paths))
        .route_layer(from_fn(declared::keep_declared_statuses))
        .route_layer(from_fn_with_state(state.clone(), auth::authenticate));
    let routes = Router::new()
        .nest("/v1", v1.merge(machine_auth_routes(&state)))
        .merge(machine_auth_routes(&state))
        .merge(local)
        .merge(unversioned)
        .route("/.well-known/jwks.json", get(keys::public_jwks))
        // Public, like Clerk's: no secret key.
        .route("/v1/public/interstitial", get(interstitial::interstitial))
        .route("/images/{image_id}", get(organizations::logo::serve))
        .nest_service(fapi::PATH_PREFIX, fapi::router(state.clone()))
        // The dashboard: `/` and `/dashboard/…` only, so every other unknown path still
        // gets Clerk's JSON 404.
        .merge(dashboard::routes(state.clone()))
        .fallback(middleware::no_route)
        .layer(from_fn(middleware::retry_broken_reads))
        .layer(from_fn(middleware::event_origin))
        .with_state(state);
    middleware::with_middleware(routes)
}
