//! `/v1/users`: create, list, count, get, update, delete, metadata, ban, lock, passwords.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Extension, Json, Router};
use serde_json::{Map, Value, json};

use super::{accept_bool, rfc3339_field};
use crate::app::AppState;
use crate::body::{JsonBody, Patch};
use crate::error::ApiError;
use crate::identifiers::{IdentifierKind, normalize_username};
use crate::metadata;
use crate::password::{self, PasswordDigest, PasswordPool};
use crate::query::QueryParams;
use crate::routes::messages;
use crate::secret::Secret;
use crate::store::lockout::{Claim, Outcome};
use crate::store::users::{
    IncludeExclude, MetadataChange, MetadataMode, NewIdentifier, NewUser, UserChanges, UserFilters,
    UserListQuery, UserOrder, UserOrderField,
};
use crate::version::ApiVersion;
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

/// At most this many values per array filter of `GET /v1/users`.
const MAX_FILTER_VALUES: usize = 100;

async fn create(State(state): State<AppState>, body: JsonBody) -> Result<Json<UserJson>, ApiError> {
    body.allow_only(CREATE_FIELDS)?;
    let new = new_user(&body, &state.passwords).await?;
    let user = state.store.create_user(new, state.now_ms()).await?;
    Ok(Json(UserJson::new(&user, state.user_context())))
}

async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let users = state.store.list_users(&list_query(&query)?).await?;
    let ctx = state.user_context();
    let json: Vec<UserJson> = users.iter().map(|u| UserJson::new(u, ctx)).collect();
    Ok(Json(json).into_response())
}

/// The page `GET /v1/users` asks for: filters, order, limit and offset or cursor.
pub(crate) fn list_query(query: &QueryParams) -> Result<UserListQuery, ApiError> {
    let filters = filters(query)?;
    let order = order(query)?;
    let page = query.page()?;
    let starting_after = query.string("starting_after");
    if starting_after.is_some() {
        if order.field != UserOrderField::CreatedAt {
            return Err(ApiError::param_value_invalid(
                "order_by",
                "starting_after requires ordering by created_at (order_by omitted, created_at, +created_at or -created_at).",
            ));
        }
        if page.offset != 0 {
            return Err(ApiError::form(
                "form_conditional_param_disallowed",
                "offset",
                "is not allowed",
                "`offset` isn't allowed when `starting_after` is present.",
            ));
        }
    }
    Ok(UserListQuery {
        filters,
        order,
        page,
        starting_after,
    })
}

async fn count(
    State(state): State<AppState>,
    query: QueryParams,
) -> Result<Json<TotalCount>, ApiError> {
    let total = state.store.count_users(&filters(&query)?).await?;
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
    Ok(Json(UserJson::new(&user, state.user_context())))
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
    let changes = user_changes(&body, &state.passwords).await?;
    let notify = body
        .bool("notify_primary_email_address_changed")?
        .unwrap_or(false);
    let before = match notify && changes.primary_email_address_id.is_some() {
        true => state.store.user(&id).await?,
        false => None,
    };
    let user = state
        .store
        .update_user(&id, changes, state.now_ms())
        .await?;
    if let Some(before) = before {
        messages::notify_primary_email_changed(&state, &before, &user).await?;
    }
    Ok(Json(UserJson::new(&user, state.user_context())))
}

async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    if !state.store.delete_user(&id).await? {
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

/// The shared shape of ban/unban/lock/unlock: no body fields, one store call, the user.
async fn set_flag(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
    flag: Flag,
) -> Result<Json<UserJson>, ApiError> {
    body.allow_only(&[])?;
    let now = state.now_ms();
    let user = match flag {
        Flag::Banned(banned) => state.store.set_banned(&id, banned, now).await?,
        Flag::Locked(locked) => state.store.set_locked(&id, locked, now).await?,
    };
    Ok(Json(UserJson::new(&user, state.user_context())))
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
    let user = state
        .store
        .update_user_metadata(&id, &change, mode, state.now_ms())
        .await?;
    Ok(Json(UserJson::new(&user, state.user_context())))
}

/// `POST /v1/users/{id}/verify_password`. With the lockout on, a failed check counts toward
/// it as a failed sign-in does (claimed before the check, so parallel guesses cannot pass
/// the limit), a right one starts the count over, and a locked user is refused before any
/// check.
async fn verify_password(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(&["password"])?;
    let password = body.required_string("password")?;
    let user = state
        .store
        .user(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("user", &id))?;
    let stored = user.record.password.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "no_password_set",
            "no password set",
            "This user does not have a password set for their account",
        )
    })?;
    let now = state.now_ms();
    let Some(lockout) = state.settings.lockout() else {
        let (locked, expires_in_s) = user.record.lock_state(now, state.settings.lockout_ms);
        if locked {
            return Err(ApiError::user_locked(expires_in_s));
        }
        return check_password(&state, password, stored).await;
    };
    if let Claim::Locked { expires_in_s } = state
        .store
        .claim_verification_attempt(&id, lockout, now)
        .await?
    {
        return Err(ApiError::user_locked(expires_in_s));
    }
    let checked = state.passwords.verify(Secret::new(password), stored).await;
    let outcome = match checked {
        Ok(true) => Outcome::Passed,
        Ok(false) => Outcome::Failed,
        Err(_) => Outcome::NotChecked,
    };
    state
        .store
        .settle_verification_attempt(&id, outcome, lockout, state.now_ms())
        .await?;
    if checked? {
        Ok(Json(json!({ "verified": true })))
    } else {
        Err(incorrect_password())
    }
}

/// A password check outside the lockout.
async fn check_password(
    state: &AppState,
    password: String,
    stored: PasswordDigest,
) -> Result<Json<Value>, ApiError> {
    if state
        .passwords
        .verify(Secret::new(password), stored)
        .await?
    {
        Ok(Json(json!({ "verified": true })))
    } else {
        Err(incorrect_password())
    }
}

fn incorrect_password() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "incorrect_password",
        "incorrect password",
        "The provided password is not the one the user has set",
    )
}

// ---- reading request bodies ----

async fn new_user(body: &JsonBody, passwords: &PasswordPool) -> Result<NewUser, ApiError> {
    for ignored in [
        "skip_password_requirement",
        "skip_legal_checks",
        "skip_user_requirement",
    ] {
        accept_bool(body, ignored)?;
    }
    let username = match body.string("username")? {
        Some(name) if !name.trim().is_empty() => Some(normalize_username("username", &name)?),
        _ => None,
    };
    Ok(NewUser {
        external_id: body.string("external_id")?.filter(|s| !s.is_empty()),
        first_name: body.string("first_name")?,
        last_name: body.string("last_name")?,
        locale: locale(body)?.into_option(),
        username,
        email_addresses: identifiers(
            body,
            IdentifierKind::EmailAddress,
            Some("email_address_identification_status"),
        )?,
        phone_numbers: identifiers(
            body,
            IdentifierKind::PhoneNumber,
            Some("phone_number_identification_status"),
        )?,
        web3_wallets: identifiers(body, IdentifierKind::Web3Wallet, None)?,
        password: password(body, passwords).await?,
        public_metadata: metadata_field(body, "public_metadata")?.unwrap_or_default(),
        private_metadata: metadata_field(body, "private_metadata")?.unwrap_or_default(),
        unsafe_metadata: metadata_field(body, "unsafe_metadata")?.unwrap_or_default(),
        totp_enabled: totp_secret(body)?.unwrap_or(false),
        backup_code_enabled: backup_codes(body)?.unwrap_or(false),
        delete_self_enabled: body.bool("delete_self_enabled")?.unwrap_or(true),
        create_organization_enabled: body.bool("create_organization_enabled")?.unwrap_or(true),
        create_organizations_limit: organizations_limit(body)?.into_option(),
        legal_accepted_at: rfc3339_field(body, "legal_accepted_at")?.into_option(),
        created_at: rfc3339_field(body, "created_at")?.into_option(),
        bypass_client_trust: body.bool("bypass_client_trust")?.unwrap_or(false),
        banned: body.bool("banned")?.unwrap_or(false),
        locked: body.bool("locked")?.unwrap_or(false),
    })
}

async fn user_changes(body: &JsonBody, passwords: &PasswordPool) -> Result<UserChanges, ApiError> {
    accept_bool(body, "skip_legal_checks")?;
    accept_bool(body, "notify_primary_email_address_changed")?;
    // There are no images on this server: the id is type-checked and otherwise ignored.
    body.string("profile_image_id")?;
    let username = match body.patch_string("username")? {
        Patch::Set(name) if name.trim().is_empty() => Patch::Clear,
        Patch::Set(name) => Patch::Set(normalize_username("username", &name)?),
        other => other,
    };
    let metadata = |name: &str| -> Result<Option<Map<String, Value>>, ApiError> {
        Ok(match body.patch_object(name)? {
            Patch::Keep => None,
            Patch::Clear => Some(Map::new()),
            Patch::Set(map) => {
                metadata::check_size(name, &map)?;
                Some(map)
            }
        })
    };
    Ok(UserChanges {
        external_id: blank_is_null(body.patch_string("external_id")?),
        first_name: blank_is_null(body.patch_string("first_name")?),
        last_name: blank_is_null(body.patch_string("last_name")?),
        locale: locale(body)?,
        username,
        primary_email_address_id: body.string("primary_email_address_id")?,
        primary_phone_number_id: body.string("primary_phone_number_id")?,
        primary_web3_wallet_id: body.string("primary_web3_wallet_id")?,
        password: password(body, passwords).await?,
        sign_out_of_other_sessions: body.bool("sign_out_of_other_sessions")?.unwrap_or(false),
        totp_enabled: totp_secret(body)?,
        backup_code_enabled: backup_codes(body)?,
        public_metadata: metadata("public_metadata")?,
        private_metadata: metadata("private_metadata")?,
        unsafe_metadata: metadata("unsafe_metadata")?,
        delete_self_enabled: body.bool("delete_self_enabled")?,
        create_organization_enabled: body.bool("create_organization_enabled")?,
        create_organizations_limit: organizations_limit(body)?,
        legal_accepted_at: rfc3339_field(body, "legal_accepted_at")?,
        created_at: rfc3339_field(body, "created_at")?.into_option(),
        bypass_client_trust: body.bool("bypass_client_trust")?,
    })
}

fn blank_is_null(patch: Patch<String>) -> Patch<String> {
    match patch {
        Patch::Set(s) if s.is_empty() => Patch::Clear,
        other => other,
    }
}

/// `email_address`/`phone_number`/`web3_wallet` with their optional parallel status array.
fn identifiers(
    body: &JsonBody,
    kind: IdentifierKind,
    status_param: Option<&str>,
) -> Result<Vec<NewIdentifier>, ApiError> {
    let param = kind.as_str();
    let values = body.string_array(param)?.unwrap_or_default();
    let statuses = match status_param {
        Some(name) => body.string_array(name)?.unwrap_or_default(),
        None => Vec::new(),
    };
    if let Some(name) = status_param {
        if !statuses.is_empty() && statuses.len() != values.len() {
            return Err(ApiError::form(
                "form_param_array_length_mismatch",
                name,
                "length mismatch",
                format!("{name} must contain exactly one item for each item in {param}."),
            ));
        }
    }
    values
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let reserved = match statuses.get(i).map(String::as_str) {
                None | Some("verified") => false,
                Some("reserved") => true,
                Some(other) => {
                    let name = status_param.unwrap_or(param);
                    return Err(ApiError::param_value_invalid(
                        name,
                        format!("{other} does not match the allowed values for parameter {name}. Allowed values: verified, reserved"),
                    ));
                }
            };
            Ok(NewIdentifier {
                value: kind.normalize(param, raw)?,
                verified: !reserved,
                reserved,
            })
        })
        .collect()
}

/// A metadata object of a new user, within Clerk's size limit.
fn metadata_field(body: &JsonBody, name: &str) -> Result<Option<Map<String, Value>>, ApiError> {
    let value = body.object(name)?;
    if let Some(map) = &value {
        metadata::check_size(name, map)?;
    }
    Ok(value)
}

/// `password`, or `password_digest` with `password_hasher`.
async fn password(
    body: &JsonBody,
    passwords: &PasswordPool,
) -> Result<Option<PasswordDigest>, ApiError> {
    let skip_checks = body.bool("skip_password_checks")?.unwrap_or(false);
    let plain = body.string("password")?;
    let digest = body.string("password_digest")?;
    let hasher = body.string("password_hasher")?;
    match (plain, digest, hasher) {
        (Some(_), Some(_), _) => Err(ApiError::form(
            "form_conditional_param_disallowed",
            "password_digest",
            "is not allowed",
            "`password_digest` isn't allowed when `password` is present.",
        )),
        (Some(plain), None, _) => {
            password::check_policy("password", &plain, skip_checks)?;
            Ok(Some(passwords.hash(Secret::new(plain)).await?))
        }
        (None, Some(digest), Some(hasher)) => Ok(Some(password::import(&digest, &hasher)?)),
        (None, Some(_), None) => Err(ApiError::form(
            "form_conditional_param_missing",
            "password_hasher",
            "is missing",
            "`password_hasher` is required when `password_digest` is present.",
        )),
        (None, None, Some(_)) => Err(ApiError::form(
            "form_conditional_param_missing",
            "password_digest",
            "is missing",
            "`password_digest` is required when `password_hasher` is present.",
        )),
        (None, None, None) => Ok(None),
    }
}

/// `locale`, a BCP 47 tag such as `en-US`.
fn locale(body: &JsonBody) -> Result<Patch<String>, ApiError> {
    let patch = blank_is_null(body.patch_string("locale")?);
    if let Patch::Set(tag) = &patch {
        let mut parts = tag.split('-');
        let language_ok = parts.next().is_some_and(|l| {
            (2..=8).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphabetic())
        });
        let rest_ok = parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
        if !language_ok || !rest_ok {
            return Err(ApiError::param_format_invalid(
                "locale",
                "locale must be a valid BCP-47 language tag.",
            ));
        }
    }
    Ok(patch)
}

/// `totp_secret`: a base32 secret enables TOTP. The secret itself is not kept (this server
/// verifies no TOTP codes).
fn totp_secret(body: &JsonBody) -> Result<Option<bool>, ApiError> {
    match body.string("totp_secret")? {
        None => Ok(None),
        Some(secret) => {
            let trimmed = secret.trim_end_matches('=');
            let valid = !trimmed.is_empty()
                && trimmed.chars().all(|c| {
                    c.is_ascii_uppercase() || c.is_ascii_lowercase() || ('2'..='7').contains(&c)
                });
            if valid {
                Ok(Some(true))
            } else {
                Err(ApiError::form(
                    "invalid_totp_secret_code",
                    "totp_secret",
                    "invalid TOTP secret",
                    "The TOTP secret is invalid, please provide a valid one base32 encoded",
                ))
            }
        }
    }
}

/// `backup_codes`: a non-empty list enables backup codes (the codes are not kept).
fn backup_codes(body: &JsonBody) -> Result<Option<bool>, ApiError> {
    Ok(body
        .string_array("backup_codes")?
        .map(|codes| !codes.is_empty()))
}

fn organizations_limit(body: &JsonBody) -> Result<Patch<i64>, ApiError> {
    if !body.has("create_organizations_limit") {
        return Ok(Patch::Keep);
    }
    match body.i64("create_organizations_limit")? {
        None => Ok(Patch::Clear),
        Some(limit) if limit >= 0 => Ok(Patch::Set(limit)),
        Some(_) => Err(ApiError::param_value_invalid(
            "create_organizations_limit",
            "create_organizations_limit must be zero (unlimited) or more.",
        )),
    }
}

// ---- reading list filters ----

/// The filters of `GET /v1/users` and `GET /v1/users/count`.
pub(crate) fn filters(query: &QueryParams) -> Result<UserFilters, ApiError> {
    let list = |name: &str| -> Result<Vec<String>, ApiError> {
        let values: Vec<String> = query
            .all(name)
            .into_iter()
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect();
        if values.len() > MAX_FILTER_VALUES {
            return Err(ApiError::form(
                "form_param_array_size_exceeded",
                name,
                "exceeds maximum size",
                format!("{name} should not exceed {MAX_FILTER_VALUES} items."),
            ));
        }
        Ok(values)
    };
    let normalized = |kind: IdentifierKind| -> Result<Vec<String>, ApiError> {
        Ok(list(kind.as_str())?
            .iter()
            .map(|v| kind.normalize_filter(v))
            .collect())
    };
    let provider = query.string("provider");
    let provider_user_ids = list("provider_user_id")?;
    match (&provider, provider_user_ids.is_empty()) {
        (Some(_), true) => {
            return Err(conditional_missing("provider_user_id", "provider"));
        }
        (None, false) => return Err(conditional_missing("provider", "provider_user_id")),
        _ => {}
    }
    Ok(UserFilters {
        email_addresses: normalized(IdentifierKind::EmailAddress)?,
        phone_numbers: normalized(IdentifierKind::PhoneNumber)?,
        web3_wallets: normalized(IdentifierKind::Web3Wallet)?,
        usernames: list("username")?
            .iter()
            .map(|u| u.trim().to_lowercase())
            .collect(),
        external_ids: include_exclude(list("external_id")?),
        user_ids: include_exclude(list("user_id")?),
        organization_ids: include_exclude(list("organization_id")?),
        provider_user_ids,
        query: query.string("query"),
        email_address_query: query.string("email_address_query"),
        phone_number_query: query.string("phone_number_query"),
        username_query: query.string("username_query"),
        name_query: query.string("name_query"),
        banned: query.bool("banned")?,
        last_active_at_before: query.date_ms("last_active_at_before")?,
        last_active_at_after: query.date_ms("last_active_at_after")?,
        last_active_at_since: query.date_ms("last_active_at_since")?,
        created_at_before: query.date_ms("created_at_before")?,
        created_at_after: query.date_ms("created_at_after")?,
        last_sign_in_at_before: query.date_ms("last_sign_in_at_before")?,
        last_sign_in_at_after: query.date_ms("last_sign_in_at_after")?,
    })
}

fn conditional_missing(missing: &str, present: &str) -> ApiError {
    ApiError::form(
        "form_conditional_param_missing",
        missing,
        "is missing",
        format!("`{missing}` is required when `{present}` is present."),
    )
}

/// Splits `+id` (include; a `+` sent unencoded arrives as a space) and `-id` (exclude).
fn include_exclude(values: Vec<String>) -> IncludeExclude {
    let mut out = IncludeExclude::default();
    for value in values {
        if let Some(excluded) = value.strip_prefix('-') {
            out.exclude.push(excluded.to_owned());
        } else {
            let included = value
                .strip_prefix('+')
                .or_else(|| value.strip_prefix(' '))
                .unwrap_or(&value);
            out.include.push(included.to_owned());
        }
    }
    out
}

/// `order_by`: a field with an optional `+`/`-` (default `-created_at`).
fn order(query: &QueryParams) -> Result<UserOrder, ApiError> {
    let Some(raw) = query.first("order_by").filter(|v| !v.is_empty()) else {
        return Ok(UserOrder::default());
    };
    let (descending, name) = match raw.as_bytes()[0] {
        b'-' => (true, &raw[1..]),
        b'+' | b' ' => (false, &raw[1..]),
        _ => (false, raw),
    };
    let field = UserOrderField::parse(name.trim()).ok_or_else(|| {
        ApiError::param_value_invalid(
            "order_by",
            format!(
                "{raw} does not match the allowed values for parameter order_by. Allowed values: {}",
                UserOrderField::NAMES.join(", ")
            ),
        )
    })?;
    Ok(UserOrder { field, descending })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_by_values() {
        let parse = |q: &str| order(&QueryParams::parse(q));
        assert_eq!(parse("").unwrap(), UserOrder::default());
        assert_eq!(
            parse("order_by=-updated_at").unwrap(),
            UserOrder {
                field: UserOrderField::UpdatedAt,
                descending: true
            }
        );
        assert_eq!(
            parse("order_by=%2Bweb3wallet").unwrap(),
            UserOrder {
                field: UserOrderField::Web3Wallet,
                descending: false
            }
        );
        // An unencoded `+` decodes to a space.
        assert_eq!(
            parse("order_by=+first_name").unwrap(),
            UserOrder {
                field: UserOrderField::FirstName,
                descending: false
            }
        );
        assert_eq!(
            parse("order_by=shoe_size").unwrap_err().code(),
            "form_param_value_invalid"
        );
    }

    #[test]
    fn include_exclude_prefixes() {
        let ids = include_exclude(vec!["+a".into(), "-b".into(), "c".into(), " d".into()]);
        assert_eq!(ids.include, vec!["a", "c", "d"]);
        assert_eq!(ids.exclude, vec!["b"]);
    }
}
