//! `GET`/`PATCH /v1/sign_ups/{id}`, and `POST /v1/_local/sign_ups` to start one (a local
//! extension: the Frontend API will start them from browsers).

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::domain::sign_ups::{self as domain, NewSignUp, SignUpChanges};
use crate::store::StoreError;
use crate::wire::SignUpJson;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign_ups/{id}", get(show).patch(update))
        .route("/_local/sign_ups", post(create))
}

async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<SignUpJson>, ApiError> {
    let record = state
        .store
        .sign_up(&id)
        .await?
        .ok_or_else(|| StoreError::not_found("sign up", &id))?;
    Ok(Json(SignUpJson::new(&record, state.services().now_ms())))
}

/// `PATCH /v1/sign_ups/{id} {external_id, custom_action}`.
async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<SignUpJson>, ApiError> {
    body.allow_only(&["external_id", "custom_action"])?;
    let changes = SignUpChanges {
        external_id: body.patch_string("external_id")?,
        custom_action: body.bool("custom_action")?,
    };
    let record = domain::update(state.services(), &id, changes).await?;
    Ok(Json(SignUpJson::new(&record, state.services().now_ms())))
}

/// `POST /v1/_local/sign_ups {email_address, phone_number, username, first_name,
/// last_name, external_id, unsafe_metadata, public_metadata, legal_accepted, locale}`.
async fn create(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<SignUpJson>, ApiError> {
    body.allow_only(&[
        "email_address",
        "phone_number",
        "username",
        "first_name",
        "last_name",
        "external_id",
        "unsafe_metadata",
        "public_metadata",
        "legal_accepted",
        "locale",
    ])?;
    let new = NewSignUp {
        email_address: body.string("email_address")?,
        phone_number: body.string("phone_number")?,
        username: body.string("username")?,
        first_name: body.string("first_name")?,
        last_name: body.string("last_name")?,
        external_id: body.string("external_id")?,
        unsafe_metadata: body.object("unsafe_metadata")?.unwrap_or_default(),
        public_metadata: body.object("public_metadata")?.unwrap_or_default(),
        legal_accepted: body.bool("legal_accepted")?.unwrap_or(false),
        locale: body.string("locale")?,
    };
    let record = domain::create(state.services(), new).await?;
    Ok(Json(SignUpJson::new(&record, state.services().now_ms())))
}
