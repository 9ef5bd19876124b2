//! An axum app protected by Clerk session tokens.
//!
//! ```sh
//! # Keys from a JWKS (Clerk's Frontend API, or a local `clerk serve`):
//! CLERK_JWKS_URL=http://127.0.0.1:8080/.well-known/jwks.json \
//!     cargo run -p clerk-sdk --features axum --example axum_app
//! # ...or networkless, with the PEM public key from the Clerk dashboard:
//! CLERK_JWT_KEY="$(cat jwt-public-key.pem)" cargo run -p clerk-sdk --features axum --example axum_app
//!
//! curl http://127.0.0.1:3000/                                     # public
//! curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:3000/api/me
//! curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:3000/api/org/invoices  # needs org:invoices:read
//! ```
//!
//! Optional: `CLERK_AUTHORIZED_PARTIES` (comma-separated origins allowed in `azp`),
//! `CLERK_ISSUER` (your Frontend API URL), `ADDR` (default `127.0.0.1:3000`);
//! `CLERK_PUBLISHABLE_KEY` and `CLERK_PROXY_URL` (`http://127.0.0.1:8080/__clerk` for a local
//! `clerk serve`) to sign pages in from the browser's cookies, with the handshake.

use axum::routing::get;
use axum::{Json, Router};
use clerk_sdk::middleware::{AuthRejection, ClerkAuth, ClerkLayer, ClerkOrganization};
use clerk_sdk::verify::{Verifier, VerifierBuilder};
use serde_json::{Value, json};

/// The app's routes: `/` for everyone, `/api/me` and `/admin/*` for signed-in users,
/// `/api/org/*` for members of the active organization.
pub fn app(verifier: Verifier) -> Router {
    // Every route under this sub-router needs a session; the layer answers 401 before any
    // handler runs.
    let admin = Router::new()
        .route("/admin/stats", get(admin_stats))
        .layer(ClerkLayer::new(verifier.clone()).require_signed_in());
    // Organization admins only: 401 signed out, 403 without the role.
    let org_admin = Router::new()
        .route("/api/org/settings", get(org_settings))
        .layer(ClerkLayer::new(verifier.clone()).require_role("org:admin"));
    Router::new()
        .route("/", get(home))
        .route("/api/me", get(me))
        .route("/api/org/invoices", get(org_invoices))
        .merge(admin)
        .merge(org_admin)
        // Authenticates each request once; handlers opt in through their extractors.
        .layer(ClerkLayer::new(verifier))
}

/// Public: greets signed-in users by id.
async fn home(auth: Option<ClerkAuth>) -> String {
    match auth {
        Some(auth) => format!("Hello, {}!", auth.sub),
        None => "Hello, stranger! Sign in to see /api/me.".to_owned(),
    }
}

/// Requires a session: a signed-out request gets a 401 JSON error.
async fn me(ClerkAuth(claims): ClerkAuth) -> Json<Value> {
    let organization = claims.organization().map(|org| {
        json!({"id": org.id, "slug": org.slug, "role": org.role, "permissions": org.permissions})
    });
    Json(json!({
        "user_id": claims.sub,
        "session_id": claims.sid,
        "organization": organization,
        "impersonated_by": claims.act.as_ref().map(|act| &act.sub),
    }))
}

/// Needs an active organization (403 otherwise), and a permission checked in the handler.
async fn org_invoices(org: ClerkOrganization) -> Result<Json<Value>, AuthRejection> {
    org.require_permission("org:invoices:read")?;
    Ok(Json(
        json!({"organization": org.organization.id, "invoices": []}),
    ))
}

async fn org_settings(org: ClerkOrganization) -> Json<Value> {
    Json(json!({"organization": org.organization.id, "slug": org.organization.slug}))
}

async fn admin_stats(ClerkAuth(claims): ClerkAuth) -> Json<Value> {
    Json(json!({"requested_by": claims.sub, "active_sessions": 1}))
}

/// `CLERK_JWT_KEY` or `CLERK_JWKS_URL`, plus the optional policy variables.
fn verifier_from_env() -> Result<Verifier, Box<dyn std::error::Error>> {
    let mut builder = VerifierBuilder::from_env()?;
    if let Ok(parties) = std::env::var("CLERK_AUTHORIZED_PARTIES") {
        builder =
            builder.authorized_parties(parties.split(',').map(str::trim).filter(|p| !p.is_empty()));
    }
    if let Ok(issuer) = std::env::var("CLERK_ISSUER") {
        builder = builder.issuer(issuer);
    }
    Ok(builder.build()?)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let verifier = verifier_from_env()?;
    // Warm the key cache so the first request does not wait (a no-op with a PEM key).
    if let Err(e) = verifier.refresh_keys().await {
        eprintln!("warning: could not fetch the JWKS yet: {e}");
    }
    let addr = std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app(verifier)).await?;
    Ok(())
}
