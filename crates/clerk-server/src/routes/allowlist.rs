//! The allowlist: `/v1/allowlist_identifiers`, the flag that turns it on (three endpoints,
//! one flag), and the instance endpoints around it.
//!
//! As in Clerk, the allowlist restricts who may *sign up*; it never stops the Backend API
//! from creating users. This server has no sign-up flow (no Frontend API), so the flag is
//! stored, reported and shared by replicas, but nothing in the Backend API consults it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch};
use axum::{Json, Router};

use crate::app::AppState;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::identifiers::{IdentifierKind, classify_allowlist_identifier};
use crate::ids::{self, prefix};
use crate::query::QueryParams;
use crate::routes::messages;
use crate::store::allowlist::AllowlistIdentifier;
use crate::wire::{
    self, AllowlistIdentifierJson, DeletedObject, InstanceJson, InstanceRestrictionsJson,
    InstanceSettingsJson,
};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/allowlist_identifiers", get(list).post(create))
        .route("/allowlist_identifiers/{identifier_id}", delete(remove))
        .route(
            "/beta_features/instance_settings",
            patch(update_instance_settings),
        )
        .route("/beta_features/allowlist", patch(update_allowlist_legacy))
        .route("/instance/restrictions", patch(update_restrictions))
        .route("/instance", get(get_instance).patch(update_instance))
}

async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let page = query.page()?;
    let paginated = query.paginated()?;
    let instance = state.store.instance().await?;
    let (items, total) = state.store.list_allowlist(page).await?;
    let json = items
        .iter()
        .map(|item| AllowlistIdentifierJson::new(item, &instance.id))
        .collect();
    Ok(wire::list(json, total, paginated))
}

/// `POST /v1/allowlist_identifiers {identifier, notify}`. With `notify: true`, an email
/// address gets an invitation email and a phone number an invitation SMS (in the outbox);
/// other identifiers get none, as in Clerk.
async fn create(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<AllowlistIdentifierJson>, ApiError> {
    body.allow_only(&["identifier", "notify"])?;
    let raw = body.required_string("identifier")?;
    let notify = body.bool("notify")?.unwrap_or(false);
    let (identifier, identifier_type) = classify_allowlist_identifier(&raw)?;
    let now = state.now_ms();
    let is_address = identifier_type == IdentifierKind::EmailAddress && identifier.contains('@');
    let invites = notify && (is_address || identifier_type == IdentifierKind::PhoneNumber);
    let item = AllowlistIdentifier {
        id: ids::new_id(prefix::ALLOWLIST_IDENTIFIER, now),
        identifier,
        identifier_type,
        invitation_id: invites.then(|| ids::new_id(prefix::INVITATION, now)),
        created_at: now,
        updated_at: now,
    };
    state.store.create_allowlist_identifier(&item).await?;
    if invites {
        messages::send_invitation(&state, &item).await?;
    }
    let instance = state.store.instance().await?;
    Ok(Json(AllowlistIdentifierJson::new(&item, &instance.id)))
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    if !state.store.delete_allowlist_identifier(&id).await? {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            "Identifier not found",
            format!("No identifier was found with id {id}"),
        ));
    }
    Ok(Json(DeletedObject::new("allowlist_identifier", &id)).into_response())
}

/// `PATCH /v1/beta_features/instance_settings`.
async fn update_instance_settings(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<InstanceSettingsJson>, ApiError> {
    body.allow_only(&[
        "restricted_to_allowlist",
        "from_email_address",
        "progressive_sign_up",
        "test_mode",
    ])?;
    let restricted = body.bool("restricted_to_allowlist")?;
    let from = body.string("from_email_address")?;
    if let Some(from) = &from {
        if from.is_empty() || !from.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ApiError::param_format_invalid(
                "from_email_address",
                "from_email_address must be the local part of an address, with only alphanumeric characters.",
            ));
        }
    }
    let progressive = body.bool("progressive_sign_up")?;
    let test_mode = body.bool("test_mode")?;
    let instance = state
        .store
        .update_settings(state.now_ms(), |s| {
            if let Some(v) = restricted {
                s.restricted_to_allowlist = v;
            }
            if let Some(v) = from {
                s.from_email_address = v;
            }
            if let Some(v) = progressive {
                s.progressive_sign_up = v;
            }
            if let Some(v) = test_mode {
                s.test_mode = v;
            }
        })
        .await?;
    Ok(Json(InstanceSettingsJson::new(&instance)))
}

/// `PATCH /v1/beta_features/allowlist {restricted_to_allowlist}`: the endpoint Clerk's Ruby
/// SDK called before the toggle moved; answers like `instance_settings`.
async fn update_allowlist_legacy(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<InstanceSettingsJson>, ApiError> {
    body.allow_only(&["restricted_to_allowlist"])?;
    let restricted = body.bool("restricted_to_allowlist")?;
    let instance = state
        .store
        .update_settings(state.now_ms(), |s| {
            if let Some(v) = restricted {
                s.restricted_to_allowlist = v;
            }
        })
        .await?;
    Ok(Json(InstanceSettingsJson::new(&instance)))
}

/// `PATCH /v1/instance/restrictions`.
async fn update_restrictions(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<InstanceRestrictionsJson>, ApiError> {
    body.allow_only(&[
        "allowlist",
        "blocklist",
        "allowlist_blocklist_disabled_on_sign_in",
        "block_email_subaddresses",
        "block_disposable_email_domains",
    ])?;
    let allowlist = body.bool("allowlist")?;
    let blocklist = body.bool("blocklist")?;
    let disabled_on_sign_in = body.bool("allowlist_blocklist_disabled_on_sign_in")?;
    let subaddresses = body.bool("block_email_subaddresses")?;
    let disposable = body.bool("block_disposable_email_domains")?;
    let instance = state
        .store
        .update_settings(state.now_ms(), |s| {
            let fields = [
                (allowlist, &mut s.restricted_to_allowlist),
                (blocklist, &mut s.blocklist),
                (
                    disabled_on_sign_in,
                    &mut s.allowlist_blocklist_disabled_on_sign_in,
                ),
                (subaddresses, &mut s.block_email_subaddresses),
                (disposable, &mut s.block_disposable_email_domains),
            ];
            for (value, field) in fields {
                if let Some(v) = value {
                    *field = v;
                }
            }
        })
        .await?;
    Ok(Json(InstanceRestrictionsJson::new(&instance)))
}

async fn get_instance(State(state): State<AppState>) -> Result<Json<InstanceJson>, ApiError> {
    Ok(Json(InstanceJson::new(&state.store.instance().await?)))
}

/// `PATCH /v1/instance`: stores the settings and answers 204 with no body, as Clerk does.
async fn update_instance(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<StatusCode, ApiError> {
    body.allow_only(&[
        "test_mode",
        "hibp",
        "support_email",
        "clerk_js_version",
        "development_origin",
        "allowed_origins",
        "cookieless_dev",
        "url_based_session_syncing",
        "preferred_sign_in_strategy_when_password_required",
    ])?;
    let test_mode = body.bool("test_mode")?;
    let hibp = body.bool("hibp")?;
    let support_email = body.patch_string("support_email")?;
    let clerk_js_version = body.patch_string("clerk_js_version")?;
    let development_origin = body.patch_string("development_origin")?;
    let allowed_origins = body.string_array("allowed_origins")?;
    let cookieless_dev = body.bool("cookieless_dev")?;
    let url_based = body.bool("url_based_session_syncing")?;
    let strategy = body.patch_string("preferred_sign_in_strategy_when_password_required")?;
    if let crate::body::Patch::Set(s) = &strategy {
        if !["password", "otp", ""].contains(&s.as_str()) {
            return Err(ApiError::param_value_invalid(
                "preferred_sign_in_strategy_when_password_required",
                format!(
                    "{s} does not match the allowed values: password, otp, or an empty string."
                ),
            ));
        }
    }
    state
        .store
        .update_settings(state.now_ms(), |s| {
            use crate::body::Patch;
            let set = |target: &mut Option<String>, patch: Patch<String>| match patch {
                Patch::Keep => {}
                Patch::Clear => *target = None,
                Patch::Set(v) if v.is_empty() => *target = None,
                Patch::Set(v) => *target = Some(v),
            };
            if let Some(v) = test_mode {
                s.test_mode = v;
            }
            if let Some(v) = hibp {
                s.hibp = v;
            }
            if let Some(v) = cookieless_dev {
                s.cookieless_dev = v;
            }
            if let Some(v) = url_based {
                s.url_based_session_syncing = v;
            }
            if let Some(origins) = allowed_origins {
                s.allowed_origins = Some(origins);
            }
            set(&mut s.support_email, support_email);
            set(&mut s.clerk_js_version, clerk_js_version);
            set(&mut s.development_origin, development_origin);
            set(
                &mut s.preferred_sign_in_strategy_when_password_required,
                strategy,
            );
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
