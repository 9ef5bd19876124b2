//! A user's passkeys, external accounts and trusted devices: the Backend API's delete and
//! revoke operations and the trusted devices list, and this server's own seeding endpoints
//! (`/v1/_local/users/{id}/passkeys`, `…/external_accounts`, `…/trusted_devices`), which
//! stand in for the browser and native-app flows that create them in Clerk (rules in
//! `domain::user_accounts`).

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::respond;
use crate::domain::user_accounts::{self, NewExternalAccount, NewPasskey, NewTrustedDevice};
use crate::wire::{DeletedObject, ExternalAccountJson, PasskeyJson, TrustedDeviceJson};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/users/{user_id}/passkeys/{passkey_identification_id}",
            delete(delete_passkey),
        )
        .route(
            "/users/{user_id}/external_accounts/{external_account_id}",
            delete(delete_external_account),
        )
        .route(
            "/users/{user_id}/trusted_devices",
            get(list_trusted_devices),
        )
        .route(
            "/users/{user_id}/trusted_devices/{trusted_device_id}",
            delete(revoke_trusted_device),
        )
        .route("/_local/users/{user_id}/passkeys", post(add_passkey))
        .route(
            "/_local/users/{user_id}/external_accounts",
            post(add_external_account),
        )
        .route(
            "/_local/users/{user_id}/trusted_devices",
            post(add_trusted_device),
        )
}

/// `DELETE /v1/users/{user_id}/passkeys/{id}` → `{"object":"passkey","id","deleted":true}`.
async fn delete_passkey(
    State(state): State<AppState>,
    Path((user_id, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    user_accounts::delete_passkey(state.services(), &user_id, &id).await?;
    Ok(Json(DeletedObject::new("passkey", &id)).into_response())
}

/// `DELETE /v1/users/{user_id}/external_accounts/{id}` →
/// `{"object":"external_account","id","deleted":true}`.
async fn delete_external_account(
    State(state): State<AppState>,
    Path((user_id, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    user_accounts::delete_external_account(state.services(), &user_id, &id).await?;
    Ok(Json(DeletedObject::new("external_account", &id)).into_response())
}

/// `GET /v1/users/{user_id}/trusted_devices` → `{"data":[…],"total_count":N}`, the active
/// devices, newest first (the operation takes no paging parameters).
async fn list_trusted_devices(
    State(state): State<AppState>,
    Path(user_id): Path<String>,
) -> Result<Response, ApiError> {
    let devices = user_accounts::trusted_devices_of(state.services(), &user_id).await?;
    let total = devices.len() as i64;
    let items: Vec<TrustedDeviceJson> = devices.into_iter().map(TrustedDeviceJson).collect();
    Ok(respond::list(items, total, true))
}

/// `DELETE /v1/users/{user_id}/trusted_devices/{id}` → the device, `revoked`.
async fn revoke_trusted_device(
    State(state): State<AppState>,
    Path((user_id, id)): Path<(String, String)>,
) -> Result<Json<TrustedDeviceJson>, ApiError> {
    let device = user_accounts::revoke_trusted_device(state.services(), &user_id, &id).await?;
    Ok(Json(TrustedDeviceJson(device)))
}

/// `POST /v1/_local/users/{user_id}/passkeys {name?, credential_id?, last_used_at?}` → the
/// `passkey` object, as a WebAuthn registration would leave it.
async fn add_passkey(
    State(state): State<AppState>,
    Path(user_id): Path<String>,
    body: JsonBody,
) -> Result<Json<PasskeyJson>, ApiError> {
    body.allow_only(&["name", "credential_id", "last_used_at"])?;
    let new = NewPasskey {
        name: body.string("name")?,
        credential_id: body.string("credential_id")?,
        last_used_at: body.i64("last_used_at")?,
    };
    let passkey = user_accounts::add_passkey(state.services(), &user_id, new).await?;
    Ok(Json(PasskeyJson(passkey)))
}

/// `POST /v1/_local/users/{user_id}/external_accounts {provider, provider_user_id, …}` →
/// the `external_account` object, as an OAuth sign-in would leave it.
async fn add_external_account(
    State(state): State<AppState>,
    Path(user_id): Path<String>,
    body: JsonBody,
) -> Result<Json<ExternalAccountJson>, ApiError> {
    body.allow_only(&[
        "provider",
        "provider_user_id",
        "email_address",
        "email_address_verified",
        "approved_scopes",
        "first_name",
        "last_name",
        "image_url",
        "username",
        "phone_number",
        "public_metadata",
        "label",
        "verified",
    ])?;
    let new = NewExternalAccount {
        provider: body.required_string("provider")?,
        provider_user_id: body.required_string("provider_user_id")?,
        email_address: body.string("email_address")?,
        email_address_verified: body.bool("email_address_verified")?,
        approved_scopes: body.string("approved_scopes")?,
        first_name: body.string("first_name")?,
        last_name: body.string("last_name")?,
        image_url: body.string("image_url")?,
        username: body.string("username")?,
        phone_number: body.string("phone_number")?,
        public_metadata: body.object("public_metadata")?,
        label: body.string("label")?,
        verified: body.bool("verified")?,
    };
    let account = user_accounts::add_external_account(state.services(), &user_id, new).await?;
    Ok(Json(ExternalAccountJson(account)))
}

/// `POST /v1/_local/users/{user_id}/trusted_devices {platform, app_identifier, name?,
/// last_used_at?}` → the `trusted_device` object, active.
async fn add_trusted_device(
    State(state): State<AppState>,
    Path(user_id): Path<String>,
    body: JsonBody,
) -> Result<Json<TrustedDeviceJson>, ApiError> {
    body.allow_only(&["platform", "app_identifier", "name", "last_used_at"])?;
    let new = NewTrustedDevice {
        platform: body.required_string("platform")?,
        app_identifier: body.required_string("app_identifier")?,
        name: body.string("name")?,
        last_used_at: body.i64("last_used_at")?,
    };
    let device = user_accounts::add_trusted_device(state.services(), &user_id, new).await?;
    Ok(Json(TrustedDeviceJson(device)))
}
