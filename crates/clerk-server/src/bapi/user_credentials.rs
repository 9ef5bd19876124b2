//! The user operations beyond the profile: removing the password or marking it compromised,
//! turning second factors off, replacing every email address or phone number with one,
//! deleting a web3 wallet, banning many users at once, and the list that is always empty here (OAuth access
//! tokens: there are no external accounts). A user's organization memberships and
//! invitations are served with the organizations (`super::organizations`).

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use serde_json::{Value, json};

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::domain::credentials::{self, SecondFactors};
use crate::domain::identifications::{self, ReplacementStatus};
use crate::domain::identifiers::IdentifierKind;
use crate::domain::{totp, users};
use crate::secret::Secret;
use crate::wire::{DeletedObject, EmailAddressJson, PhoneNumberJson, UserJson};

/// The most users one bulk ban or unban may name (the spec's `maxItems`).
const MAX_BULK_USERS: usize = 50;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/users/ban", post(ban_many))
        .route("/users/unban", post(unban_many))
        .route("/users/{user_id}/remove_password", post(remove_password))
        .route(
            "/users/{user_id}/password/set_compromised",
            post(set_password_compromised),
        )
        .route(
            "/users/{user_id}/password/unset_compromised",
            post(unset_password_compromised),
        )
        .route("/_local/users/{user_id}/password", get(password_status))
        .route("/users/{user_id}/verify_totp", post(verify_totp))
        .route("/_local/users/{user_id}/totp", post(enroll_totp))
        .route("/users/{user_id}/mfa", delete(disable_mfa))
        .route("/users/{user_id}/totp", delete(delete_totp))
        .route("/users/{user_id}/backup_code", delete(delete_backup_codes))
        .route("/users/{user_id}/email_address", put(replace_email_address))
        .route("/users/{user_id}/phone_number", put(replace_phone_number))
        .route(
            "/users/{user_id}/web3_wallets/{web3_wallet_identification_id}",
            delete(delete_web3_wallet),
        )
        .route(
            "/users/{user_id}/oauth_access_tokens/{provider}",
            get(oauth_access_tokens),
        )
}

async fn remove_password(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<UserJson>, ApiError> {
    body.allow_only(&["sign_out_of_other_sessions"])?;
    let sign_out = body.bool("sign_out_of_other_sessions")?.unwrap_or(false);
    let user = credentials::remove_password(state.services(), &id, sign_out).await?;
    Ok(Json(UserJson::new(user, state.user_context())))
}

async fn set_password_compromised(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<UserJson>, ApiError> {
    body.allow_only(&["revoke_all_sessions"])?;
    let revoke = body.bool("revoke_all_sessions")?.unwrap_or(false);
    let user = credentials::set_password_compromised(state.services(), &id, true, revoke).await?;
    Ok(Json(UserJson::new(user, state.user_context())))
}

async fn unset_password_compromised(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<UserJson>, ApiError> {
    body.allow_only(&[])?;
    let user = credentials::set_password_compromised(state.services(), &id, false, false).await?;
    Ok(Json(UserJson::new(user, state.user_context())))
}

/// `GET /v1/_local/users/{id}/password` (this server's own): whether the user has a password
/// and whether it is marked compromised, which the `user` object of the spec has no field
/// for.
async fn password_status(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let user = state
        .store
        .user(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("user", &id))?;
    let r = &user.record;
    Ok(Json(json!({
        "object": "password_status",
        "user_id": r.id,
        "password_enabled": r.password_digest.is_some(),
        "compromised": r.password_compromised_at.is_some(),
        "compromised_at": r.password_compromised_at,
    })))
}

/// `POST /v1/users/{id}/verify_totp {code}` → `{"verified":true,"code_type"}`; a wrong
/// code is 422 `form_code_incorrect`, a user without TOTP or backup codes 400
/// `totp_not_enabled` (rules in `domain::totp`).
async fn verify_totp(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(&["code"])?;
    let code = Secret::new(body.required_string("code")?);
    let kind = totp::verify(state.services(), &id, code.expose()).await?;
    Ok(Json(
        json!({ "verified": true, "code_type": kind.as_str() }),
    ))
}

/// `POST /v1/_local/users/{id}/totp` (this server's own): enrolls the user in TOTP as an
/// authenticator app would, with new backup codes; answers the secret, its `otpauth://` URI
/// and the codes, shown only here.
async fn enroll_totp(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(&[])?;
    let enrollment = totp::enroll(state.services(), &id).await?;
    let secret = enrollment.secret.expose();
    let issuer = url::Url::parse(&state.issuer)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "clerk-server".into());
    let uri = format!(
        "otpauth://totp/{issuer}:{id}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits=6&period=30"
    );
    let codes: Vec<&str> = enrollment.backup_codes.iter().map(Secret::expose).collect();
    Ok(Json(json!({
        "object": "totp_enrollment",
        "user_id": id,
        "secret": secret,
        "uri": uri,
        "backup_codes": codes,
    })))
}

async fn disable_mfa(state: State<AppState>, id: Path<String>) -> Result<Json<Value>, ApiError> {
    second_factors_off(state, id, SecondFactors::All).await
}

async fn delete_totp(state: State<AppState>, id: Path<String>) -> Result<Json<Value>, ApiError> {
    second_factors_off(state, id, SecondFactors::Totp).await
}

async fn delete_backup_codes(
    state: State<AppState>,
    id: Path<String>,
) -> Result<Json<Value>, ApiError> {
    second_factors_off(state, id, SecondFactors::BackupCodes).await
}

/// The shared shape of `/mfa`, `/totp` and `/backup_code`: `{"user_id": …}`.
async fn second_factors_off(
    State(state): State<AppState>,
    Path(id): Path<String>,
    which: SecondFactors,
) -> Result<Json<Value>, ApiError> {
    credentials::disable_second_factors(state.services(), &id, which).await?;
    Ok(Json(json!({ "user_id": id })))
}

async fn replace_email_address(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<EmailAddressJson>, ApiError> {
    body.allow_only(&[
        "email_address",
        "identification_status",
        "notify_primary_email_address_changed",
    ])?;
    let kind = IdentifierKind::EmailAddress;
    let value = kind.normalize("email_address", &body.required_string("email_address")?)?;
    let status = replacement_status(&body)?;
    let notify = body
        .bool("notify_primary_email_address_changed")?
        .unwrap_or(false);
    let ident =
        identifications::replace_all(state.services(), &id, kind, value, status, notify).await?;
    Ok(Json(EmailAddressJson::new(ident)))
}

async fn replace_phone_number(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<PhoneNumberJson>, ApiError> {
    body.allow_only(&["phone_number", "identification_status"])?;
    let kind = IdentifierKind::PhoneNumber;
    let value = kind.normalize("phone_number", &body.required_string("phone_number")?)?;
    let status = replacement_status(&body)?;
    let ident =
        identifications::replace_all(state.services(), &id, kind, value, status, false).await?;
    Ok(Json(PhoneNumberJson::new(ident)))
}

/// `identification_status` of a replacement: `verified` (the default), `reserved` or
/// `unverified`.
fn replacement_status(body: &JsonBody) -> Result<ReplacementStatus, ApiError> {
    match body.string("identification_status")?.as_deref() {
        None | Some("verified") => Ok(ReplacementStatus::Verified),
        Some("reserved") => Ok(ReplacementStatus::Reserved),
        Some("unverified") => Ok(ReplacementStatus::Unverified),
        Some(other) => Err(ApiError::param_value_invalid(
            "identification_status",
            format!(
                "{other} does not match the allowed values for parameter identification_status. \
                 Allowed values: verified, reserved, unverified"
            ),
        )),
    }
}

async fn delete_web3_wallet(
    State(state): State<AppState>,
    Path((user_id, wallet_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    identifications::delete_web3_wallet(state.services(), &user_id, &wallet_id).await?;
    let kind = IdentifierKind::Web3Wallet;
    Ok(Json(DeletedObject::new(kind.as_str(), &wallet_id)).into_response())
}

async fn ban_many(state: State<AppState>, body: JsonBody) -> Result<Json<Vec<UserJson>>, ApiError> {
    set_banned_many(state, body, true).await
}

async fn unban_many(
    state: State<AppState>,
    body: JsonBody,
) -> Result<Json<Vec<UserJson>>, ApiError> {
    set_banned_many(state, body, false).await
}

/// `POST /v1/users/ban` and `/unban`: `{"user_ids": [1..=50 ids]}` → the users found, in
/// the order given (an id given twice answers once; unknown ids are skipped).
async fn set_banned_many(
    State(state): State<AppState>,
    body: JsonBody,
    banned: bool,
) -> Result<Json<Vec<UserJson>>, ApiError> {
    body.allow_only(&["user_ids"])?;
    let given = body
        .string_array("user_ids")?
        .ok_or_else(|| ApiError::param_missing("user_ids"))?;
    if given.is_empty() || given.len() > MAX_BULK_USERS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "form_param_value_invalid",
            "is invalid",
            format!("user_ids must name between 1 and {MAX_BULK_USERS} users."),
        )
        .with_param("user_ids"));
    }
    let mut ids: Vec<String> = Vec::with_capacity(given.len());
    for id in given {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let users = users::set_banned_many(state.services(), &ids, banned).await?;
    let context = state.user_context();
    Ok(Json(
        users
            .into_iter()
            .map(|u| UserJson::new(u, context.clone()))
            .collect(),
    ))
}

/// No user has an external account here, so none has an OAuth access token: an empty
/// list (the envelope with `paginated=true`), or 404 for an unknown user.
async fn oauth_access_tokens(
    State(state): State<AppState>,
    Path((id, _provider)): Path<(String, String)>,
    query: QueryParams,
) -> Result<Response, ApiError> {
    query.page()?;
    let paginated = query.paginated()?;
    if state.store.user(&id).await?.is_none() {
        return Err(ApiError::not_found("user", &id));
    }
    Ok(respond::list(Vec::<Value>::new(), 0, paginated))
}
