//! `/v1/clients`: list (deprecated upstream, served here), get, and verify a client token.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::domain::tokens;
use crate::wire::{ClientJson, TokenJson};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/clients", get(list))
        .route("/clients/verify", post(verify))
        .route("/clients/{client_id}", get(get_one))
        .route("/_local/clients/{client_id}/token", post(client_token))
}

async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let page = query.page()?;
    let paginated = query.paginated()?;
    let now = state.now_ms();
    let (clients, total) = state.store.list_clients(page).await?;
    let json = clients.iter().map(|c| ClientJson::new(c, now)).collect();
    Ok(respond::list(json, total, paginated))
}

async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ClientJson>, ApiError> {
    let client = state
        .store
        .client(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("client", &id))?;
    Ok(Json(ClientJson::new(&client, state.now_ms())))
}

/// `POST /v1/clients/verify {"token"}`: the token must be a client token this instance
/// signed (see `POST /v1/_local/clients/{id}/token`), unexpired; the client it names is
/// returned. A token that fails is 400 `cookie_invalid` (Clerk's client token is its
/// `__client` cookie); a valid token for a client that no longer exists is 404.
async fn verify(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<ClientJson>, ApiError> {
    body.allow_only(&["token"])?;
    let token = body.required_string("token")?;
    let now = state.now_ms();
    let invalid = |why: String| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "cookie_invalid",
            "Invalid client token",
            format!("The client token could not be verified: {why}."),
        )
    };
    let claims = tokens::verify(state.services(), &token)
        .await?
        .map_err(|e| invalid(e.to_string()))?;
    let client_id = claims
        .get("id")
        .and_then(Value::as_str)
        .filter(|id| id.starts_with("client_"))
        .ok_or_else(|| invalid("it names no client".into()))?;
    let client = state
        .store
        .client(client_id)
        .await?
        .ok_or_else(|| ApiError::not_found("client", client_id))?;
    Ok(Json(ClientJson::new(&client, now)))
}

/// `POST /v1/_local/clients/{id}/token {expires_in_seconds?}`: `{"object":"token","jwt"}`,
/// an RS256 JWT signed by the instance key with claims `id` (the client id),
/// `rotating_token`, `iss`, `iat` and `exp` (default lifetime: the configured client token
/// lifetime). `POST /v1/clients/verify` accepts it while it is unexpired and its key is
/// published.
async fn client_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<TokenJson>, ApiError> {
    body.allow_only(&["expires_in_seconds"])?;
    let lifetime = match body.i64("expires_in_seconds")? {
        None => state.settings.client_token_lifetime_s,
        Some(s) if s > 0 => s,
        Some(_) => {
            return Err(ApiError::param_value_invalid(
                "expires_in_seconds",
                "expires_in_seconds must be positive.",
            ));
        }
    };
    let jwt = tokens::client_token(state.services(), &id, lifetime).await?;
    Ok(Json(TokenJson::new(jwt)))
}
