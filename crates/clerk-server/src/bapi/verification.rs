//! `POST /v1/email_addresses/{id}/prepare_verification`, `…/attempt_verification` and the
//! same two for `/v1/phone_numbers/{id}`: a one-time code sent to the address or number,
//! then checked (see `domain::verification` for the codes, limits and test identifiers).

use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::domain::identifiers::IdentifierKind;
use crate::domain::verification;
use crate::wire::CodeVerificationJson;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/email_addresses/{email_address_id}/prepare_verification",
            post(prepare_email),
        )
        .route(
            "/email_addresses/{email_address_id}/attempt_verification",
            post(attempt_email),
        )
        .route(
            "/phone_numbers/{phone_number_id}/prepare_verification",
            post(prepare_phone),
        )
        .route(
            "/phone_numbers/{phone_number_id}/attempt_verification",
            post(attempt_phone),
        )
}

async fn prepare(
    state: &AppState,
    kind: IdentifierKind,
    id: &str,
    body: &JsonBody,
) -> Result<Json<CodeVerificationJson>, ApiError> {
    body.allow_only(&[])?;
    let verification = verification::prepare(state.services(), kind, id).await?;
    let now = state.services().now_ms();
    Ok(Json(CodeVerificationJson::new(&verification, now)))
}

/// A wrong or expired code is not an error here: the status says it (`unverified` with
/// the attempt counted, `failed` once the attempts are used up, `expired`).
async fn attempt(
    state: &AppState,
    kind: IdentifierKind,
    id: &str,
    body: &JsonBody,
) -> Result<Json<CodeVerificationJson>, ApiError> {
    body.allow_only(&["verification_id", "code"])?;
    let verification_id = body.required_string("verification_id")?;
    let code = body.required_string("code")?;
    let (_, verification) =
        verification::attempt(state.services(), kind, id, &verification_id, &code).await?;
    let now = state.services().now_ms();
    Ok(Json(CodeVerificationJson::new(&verification, now)))
}

async fn prepare_email(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<CodeVerificationJson>, ApiError> {
    prepare(&state, IdentifierKind::EmailAddress, &id, &body).await
}

async fn attempt_email(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<CodeVerificationJson>, ApiError> {
    attempt(&state, IdentifierKind::EmailAddress, &id, &body).await
}

async fn prepare_phone(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<CodeVerificationJson>, ApiError> {
    prepare(&state, IdentifierKind::PhoneNumber, &id, &body).await
}

async fn attempt_phone(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<CodeVerificationJson>, ApiError> {
    attempt(&state, IdentifierKind::PhoneNumber, &id, &body).await
}
