//! The JWKS: `GET /v1/jwks` (with the secret key) and `GET /.well-known/jwks.json` (without,
//! where Clerk's Frontend API publishes it).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::app::AppState;
use crate::error::ApiError;
use crate::keys::Jwk;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/jwks", get(public_jwks))
}

/// `{"keys":[…]}`.
#[derive(Serialize)]
pub(crate) struct JwksJson {
    keys: Vec<Jwk>,
}

/// The published keys: the signing key and those retired within the grace period.
pub(crate) async fn public_jwks(State(state): State<AppState>) -> Result<Json<JwksJson>, ApiError> {
    let keys = state
        .keys
        .published(&state.store, state.now_ms(), state.settings.key_grace_ms)
        .await?;
    Ok(Json(JwksJson {
        keys: keys.iter().map(|k| k.jwk().clone()).collect(),
    }))
}
