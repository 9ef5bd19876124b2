//! The instance's signing keys: the JWKS (`GET /v1/jwks` with the secret key, and
//! `GET /.well-known/jwks.json` without, where Clerk's Frontend API publishes it), and the
//! local extensions `GET /v1/_local/keys` and `POST /v1/_local/keys/rotate`.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{Value, json};

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::keys::Jwk;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/jwks", get(public_jwks))
        .route("/_local/keys", get(list_keys))
        .route("/_local/keys/rotate", post(rotate_keys))
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

#[derive(Serialize)]
struct KeyJson {
    object: &'static str,
    kid: String,
    status: &'static str,
    public_key_pem: String,
    created_at: i64,
    retired_at: Option<i64>,
    published_until: Option<i64>,
}

/// `GET /v1/_local/keys`: every signing key, newest first, with `status` `active` (signs),
/// `retired` (still in the JWKS until `published_until`) or `expired` (gone from it), and
/// its `public_key_pem` (for verifiers configured with a PEM, like `CLERK_JWT_KEY`).
async fn list_keys(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let now = state.now_ms();
    let grace = state.settings.key_grace_ms;
    let mut keys = Vec::new();
    for stored in state.store.signing_keys().await? {
        let published_until = stored.retired_at.map(|r| r.saturating_add(grace));
        let status = match published_until {
            None => "active",
            Some(until) if now < until => "retired",
            Some(_) => "expired",
        };
        keys.push(KeyJson {
            object: "signing_key",
            public_key_pem: state.keys.load(&stored)?.public_key_pem(),
            kid: stored.kid,
            status,
            created_at: stored.created_at,
            retired_at: stored.retired_at,
            published_until,
        });
    }
    Ok(Json(json!({ "data": keys, "total_count": keys.len() })))
}

/// `POST /v1/_local/keys/rotate`: a new signing key signs from now on; the previous one
/// stays in the JWKS for the grace period. Answers
/// `{"object":"signing_key_rotation","kid":<new>,"retired":[<old kids>]}`.
async fn rotate_keys(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(&[])?;
    let rotation = state.keys.rotate(&state.store, state.now_ms()).await?;
    tracing::info!(kid = rotation.key.kid(), "signing key rotated");
    Ok(Json(json!({
        "object": "signing_key_rotation",
        "kid": rotation.key.kid(),
        "retired": rotation.retired,
    })))
}
