//! Sign-in tokens (`/v1/sign_in_tokens`), actor tokens (`/v1/actor_tokens`), testing tokens
//! (`/v1/testing_tokens`), and the local extension that redeems a ticket for a session
//! (`POST /v1/_local/tickets/redeem`, standing in for the Frontend API's ticket strategy).

use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::Value;

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::domain::tickets::{self, NewActorToken, NewSignInToken};
use crate::store::tickets::TicketKind;
use crate::wire::{TestingTokenJson, TicketJson, TicketRedemptionJson};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign_in_tokens", post(create_sign_in_token))
        .route(
            "/sign_in_tokens/{sign_in_token_id}/revoke",
            post(revoke_sign_in_token),
        )
        .route("/actor_tokens", post(create_actor_token))
        .route(
            "/actor_tokens/{actor_token_id}/revoke",
            post(revoke_actor_token),
        )
        .route("/testing_tokens", post(create_testing_token))
        .route("/_local/tickets/redeem", post(redeem))
        .route("/_local/testing_tokens/verify", post(verify_testing_token))
}

/// `POST /v1/sign_in_tokens {user_id, org_id?, expires_in_seconds?}` (30 days by default).
async fn create_sign_in_token(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(&["user_id", "org_id", "expires_in_seconds"])?;
    let new = NewSignInToken {
        user_id: body.required_string("user_id")?,
        organization_id: body.string("org_id")?.filter(|s| !s.is_empty()),
        expires_in_s: body
            .i64("expires_in_seconds")?
            .unwrap_or(tickets::SIGN_IN_TOKEN_DEFAULT_S),
    };
    let ticket = tickets::create_sign_in_token(state.services(), new).await?;
    answer(&state, &ticket)
}

/// `POST /v1/actor_tokens {user_id, actor: {sub, …}, expires_in_seconds?,
/// session_max_duration_in_seconds?}` (1 hour and 30 minutes by default).
async fn create_actor_token(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(&[
        "user_id",
        "actor",
        "expires_in_seconds",
        "session_max_duration_in_seconds",
    ])?;
    let user_id = body.required_string("user_id")?;
    let actor = body
        .object("actor")?
        .ok_or_else(|| ApiError::param_missing("actor"))?;
    let new = NewActorToken {
        user_id,
        actor: Value::Object(actor),
        expires_in_s: body
            .i64("expires_in_seconds")?
            .unwrap_or(tickets::ACTOR_TOKEN_DEFAULT_S),
        session_max_duration_s: body
            .i64("session_max_duration_in_seconds")?
            .unwrap_or(tickets::ACTOR_SESSION_DEFAULT_S),
    };
    let ticket = tickets::create_actor_token(state.services(), new).await?;
    answer(&state, &ticket)
}

async fn revoke_sign_in_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let ticket = tickets::revoke(state.services(), TicketKind::SignInToken, &id).await?;
    answer(&state, &ticket)
}

async fn revoke_actor_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let ticket = tickets::revoke(state.services(), TicketKind::ActorToken, &id).await?;
    answer(&state, &ticket)
}

/// `POST /v1/testing_tokens` (no body): a token the Frontend API accepts as
/// `__clerk_testing_token` for an hour.
async fn create_testing_token(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let (token, expires_at) = tickets::create_testing_token(state.services()).await?;
    json(TestingTokenJson::new(&token, expires_at))
}

/// `POST /v1/_local/tickets/redeem {ticket}`: the ticket is used once and a session starts
/// (`{object: "ticket_redemption", ticket_type, ticket_id, user_id, session_id, client_id,
/// actor?}`).
async fn redeem(State(state): State<AppState>, body: JsonBody) -> Result<Json<Value>, ApiError> {
    body.allow_only(&["ticket"])?;
    let ticket = body.required_string("ticket")?;
    let done = tickets::redeem(state.services(), &ticket, None).await?;
    json(TicketRedemptionJson::new(&done))
}

/// `POST /v1/_local/testing_tokens/verify {token}`: `{object: "testing_token_check", valid}`,
/// whether the Frontend API would accept `token` as `__clerk_testing_token` now.
async fn verify_testing_token(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(&["token"])?;
    let token = body.required_string("token")?;
    let valid = tickets::testing_token_valid(state.services(), &token).await?;
    Ok(Json(
        serde_json::json!({ "object": "testing_token_check", "valid": valid }),
    ))
}

fn answer(
    state: &AppState,
    ticket: &crate::store::tickets::Ticket,
) -> Result<Json<Value>, ApiError> {
    json(TicketJson::new(ticket, &state.services().issuer))
}

fn json(view: impl serde::Serialize) -> Result<Json<Value>, ApiError> {
    serde_json::to_value(view)
        .map(Json)
        .map_err(|_| ApiError::internal())
}
