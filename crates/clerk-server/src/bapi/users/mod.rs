//! `/v1/users`: create, list, count, get, update, delete, metadata, ban, lock, passwords,
//! profile images.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Extension, Json, Router};
use serde_json::{Value, json};

mod body;
mod explain;
mod image;
pub(crate) mod list;

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::version::ApiVersion;
use crate::domain::users::{self, MetadataChange, MetadataMode};
use crate::secret::Secret;
use crate::wire::{DeletedObject, TotalCount, UserJson};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/count", get(count))
        .route(
            "/users/{user_id}",
            get(get_one).patch(update).delete(delete),
        )
        .route("/users/{user_id}/ban", post(ban))
        .route("/users/{user_id}/unban", post(unban))
        .route("/users/{user_id}/lock", post(lock))
        .route("/users/{user_id}/unlock", post(unlock))
        .route(
            "/users/{user_id}/metadata",
            patch(merge_metadata).put(replace_metadata),
        )
        .route("/users/{user_id}/verify_password", post(verify_password))
        .route(
            "/users/{user_id}/profile_image",
            post(image::upload).delete(image::remove),
        )
        .route("/_local/explain/users", get(explain::explain_list_users))
        .route(
            "/_local/explain/users/count",
            get(explain::explain_count_users),
        )
        .route(
            "/_local/explain/users/{user_id}",
            get(explain::explain_user),
        )
}

/// The body fields of `POST /v1/users` (the same in every version).
const CREATE_FIELDS: &[&str] = &[
    "external_id",
    "first_name",
    "last_name",
    "locale",
    "email_address",
    "email_address_identification_status",
    "phone_number",
    "phone_number_identification_status",
    "web3_wallet",
    "username",
    "password",
    "password_digest",
    "password_hasher",
    "skip_password_checks",
    "skip_password_requirement",
    "totp_secret",
    "backup_codes",
    "public_metadata",
    "private_metadata",
    "unsafe_metadata",
    "delete_self_enabled",
    "legal_accepted_at",
    "skip_legal_checks",
    "skip_user_requirement",
    "create_organization_enabled",
    "create_organizations_limit",
    "created_at",
    "bypass_client_trust",
    "banned",
    "locked",
];

/// The body fields of `PATCH /v1/users/{id}` in every version...
const UPDATE_FIELDS: &[&str] = &[
    "external_id",
    "first_name",
    "last_name",
    "locale",
    "primary_email_address_id",
    "notify_primary_email_address_changed",
    "primary_phone_number_id",
    "primary_web3_wallet_id",
    "username",
    "profile_image_id",
    "password",
    "password_digest",
    "password_hasher",
    "skip_password_checks",
    "sign_out_of_other_sessions",
    "totp_secret",
    "backup_codes",
    "delete_self_enabled",
    "create_organization_enabled",
    "legal_accepted_at",
    "skip_legal_checks",
    "create_organizations_limit",
    "created_at",
    "bypass_client_trust",
];

/// ...plus these before 2026-05-12 (and the body of the `/metadata` endpoints).
const METADATA_FIELDS: &[&str] = &["public_metadata", "private_metadata", "unsafe_metadata"];

async fn create(State(state): State<AppState>, body: JsonBody) -> Result<Json<UserJson>, ApiError> {
    body.allow_only(CREATE_FIELDS)?;
    let new = body::new_user(&body, &state.passwords).await?;
    let user = users::create(state.services(), new).await?;
    Ok(Json(UserJson::new(user, state.user_context())))
}

async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let users = state.store.list_users(&list::list_query(&query)?).await?;
    let ctx = state.user_context();
    let json: Vec<UserJson> = users
        .into_iter()
        .map(|u| UserJson::new(u, ctx.clone()))
        .collect();
    Ok(Json(json).into_response())
}

async fn count(
    State(state): State<AppState>,
    query: QueryParams,
) -> Result<Json<TotalCount>, ApiError> {
    let total = state.store.count_users(&list::filters(&query)?).await?;
    Ok(Json(TotalCount::new(total)))
}

async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<UserJson>, ApiError> {
    let user = state
        .store
        .user(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("user", &id))?;
    Ok(Json(UserJson::new(user, state.user_context())))
}

async fn update(
    State(state): State<AppState>,
    Extension(version): Extension<ApiVersion>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<UserJson>, ApiError> {
    let mut allowed = UPDATE_FIELDS.to_vec();
    if !version.update_user_rejects_metadata() {
        allowed.extend_from_slice(METADATA_FIELDS);
    }
    body.allow_only(&allowed)?;
    let changes = body::user_changes(&body, &state.passwords).await?;
    let user = users::update(state.services(), &id, changes).await?;
    Ok(Json(UserJson::new(user, state.user_context())))
}

async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    if !users::delete(state.services(), &id).await? {
        return Err(ApiError::not_found("user", &id));
    }
    Ok(Json(DeletedObject::new("user", &id)).into_response())
}

async fn ban(
    state: State<AppState>,
    id: Path<String>,
    body: JsonBody,
) -> Result<Json<UserJson>, ApiError> {
    set_flag(state, id, body, Flag::Banned(true)).await
}

async fn unban(
    state: State<AppState>,
    id: Path<String>,
    body: JsonBody,
) -> Result<Json<UserJson>, ApiError> {
    set_flag(state, id, body, Flag::Banned(false)).await
}

async fn lock(
    state: State<AppState>,
    id: Path<String>,
    body: JsonBody,
) -> Result<Json<UserJson>, ApiError> {
    set_flag(state, id, body, Flag::Locked(true)).await
}

async fn unlock(
    state: State<AppState>,
    id: Path<String>,
    body: JsonBody,
) -> Result<Json<UserJson>, ApiError> {
    set_flag(state, id, body, Flag::Locked(false)).await
}

/// What ban/unban/lock/unlock set.
enum Flag {
    Banned(bool),
    Locked(bool),
}

/// The shared shape of ban/unban/lock/unlock: no body fields, one domain call, the user.
async fn set_flag(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
    flag: Flag,
) -> Result<Json<UserJson>, ApiError> {
    body.allow_only(&[])?;
    let user = match flag {
        Flag::Banned(banned) => users::set_banned(state.services(), &id, banned).await?,
        Flag::Locked(locked) => users::set_locked(state.services(), &id, locked).await?,
    };
    Ok(Json(UserJson::new(user, state.user_context())))
}

async fn merge_metadata(
    state: State<AppState>,
    id: Path<String>,
    body: JsonBody,
) -> Result<Json<UserJson>, ApiError> {
    metadata(state, id, body, MetadataMode::Merge).await
}

async fn replace_metadata(
    state: State<AppState>,
    id: Path<String>,
    body: JsonBody,
) -> Result<Json<UserJson>, ApiError> {
    metadata(state, id, body, MetadataMode::Replace).await
}

async fn metadata(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
    mode: MetadataMode,
) -> Result<Json<UserJson>, ApiError> {
    body.allow_only(METADATA_FIELDS)?;
    let change = MetadataChange {
        public: body.patch_object("public_metadata")?,
        private: body.patch_object("private_metadata")?,
        unsafe_: body.patch_object("unsafe_metadata")?,
    };
    let user = users::update_metadata(state.services(), &id, &change, mode).await?;
    Ok(Json(UserJson::new(user, state.user_context())))
}

/// `POST /v1/users/{id}/verify_password` (the lockout's rules are in `domain::users`).
async fn verify_password(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(&["password"])?;
    let password = Secret::new(body.required_string("password")?);
    if users::verify_password(state.services(), &id, password).await? {
        Ok(Json(json!({ "verified": true })))
    } else {
        Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "incorrect_password",
            "incorrect password",
            "The provided password is not the one the user has set",
        ))
    }
}
