//! The instance: `GET`/`PATCH /v1/instance`, its restrictions, and the beta-feature
//! settings, where the allowlist flag lives (three endpoints, one flag:
//! `restricted_to_allowlist` of `/beta_features/instance_settings` and of the older
//! `/beta_features/allowlist`, and `allowlist` of `/instance/restrictions`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch};
use axum::{Json, Router};

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::domain::instance::update_settings;
use crate::store::instance::InstanceSettings;
use crate::wire::{InstanceJson, InstanceRestrictionsJson, InstanceSettingsJson};
use clerk_core::Patch;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/beta_features/instance_settings",
            patch(update_instance_settings),
        )
        .route("/beta_features/allowlist", patch(update_allowlist_legacy))
        .route("/instance/restrictions", patch(update_restrictions))
        .route("/instance", get(get_instance).patch(update_instance))
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
    let instance = update_settings(state.services(), |s| {
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
    let instance = update_settings(state.services(), |s| {
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
    let instance = update_settings(state.services(), |s| {
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
    Ok(Json(InstanceJson::new(
        &state.store.instance().await?,
        &state.publishable_key,
    )))
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
    let change = InstanceChange::read(&body)?;
    update_settings(state.services(), |s| change.apply(s)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The settings `PATCH /v1/instance` changes (`None` and `Unchanged` leave one alone).
struct InstanceChange {
    test_mode: Option<bool>,
    hibp: Option<bool>,
    support_email: Patch<String>,
    clerk_js_version: Patch<String>,
    development_origin: Patch<String>,
    allowed_origins: Option<Vec<String>>,
    cookieless_dev: Option<bool>,
    url_based_session_syncing: Option<bool>,
    strategy: Patch<String>,
}

impl InstanceChange {
    fn read(body: &JsonBody) -> Result<Self, ApiError> {
        let change = Self {
            test_mode: body.bool("test_mode")?,
            hibp: body.bool("hibp")?,
            support_email: body.patch_string("support_email")?,
            clerk_js_version: body.patch_string("clerk_js_version")?,
            development_origin: body.patch_string("development_origin")?,
            allowed_origins: body.string_array("allowed_origins")?,
            cookieless_dev: body.bool("cookieless_dev")?,
            url_based_session_syncing: body.bool("url_based_session_syncing")?,
            strategy: body.patch_string("preferred_sign_in_strategy_when_password_required")?,
        };
        if let Patch::Set(s) = &change.strategy {
            if !["password", "otp", ""].contains(&s.as_str()) {
                return Err(ApiError::param_value_invalid(
                    "preferred_sign_in_strategy_when_password_required",
                    format!(
                        "{s} does not match the allowed values: password, otp, or an empty string."
                    ),
                ));
            }
        }
        Ok(change)
    }

    fn apply(self, s: &mut InstanceSettings) {
        // An empty string clears a text setting, as null does.
        let set = |target: &mut Option<String>, patch: Patch<String>| match patch {
            Patch::Unchanged => {}
            Patch::Null => *target = None,
            Patch::Set(v) if v.is_empty() => *target = None,
            Patch::Set(v) => *target = Some(v),
        };
        let flags = [
            (&mut s.test_mode, self.test_mode),
            (&mut s.hibp, self.hibp),
            (&mut s.cookieless_dev, self.cookieless_dev),
            (
                &mut s.url_based_session_syncing,
                self.url_based_session_syncing,
            ),
        ];
        for (field, value) in flags {
            if let Some(v) = value {
                *field = v;
            }
        }
        if let Some(origins) = self.allowed_origins {
            s.allowed_origins = Some(origins);
        }
        set(&mut s.support_email, self.support_email);
        set(&mut s.clerk_js_version, self.clerk_js_version);
        set(&mut s.development_origin, self.development_origin);
        set(
            &mut s.preferred_sign_in_strategy_when_password_required,
            self.strategy,
        );
    }
}
