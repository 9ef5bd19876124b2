//! `/v1/me`: the signed-in user (the session `_clerk_session_id` names, or the client's
//! current one), as clerk-js's `Clerk.user` reads and changes it: the user itself (names,
//! username, unsafe metadata, the primary address), its email addresses (add one, verify it
//! with a code, remove one), and its organization memberships. Changes go through the same
//! domain operations as the Backend API's, with the same `user.updated` events.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use super::browser::Browser;
use super::form::Form;
use super::respond::{Reply, answer, browser_user};
use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::domain::identifications::{self, NewIdentification};
use crate::domain::identifiers::{IdentifierKind, normalize_email, normalize_username};
use crate::domain::users::{self, UserChanges};
use crate::domain::verification::{self, Outcome};
use crate::store::StoreError;
use crate::store::identifications::Identification;
use crate::store::verifications::IdentificationVerification;
use crate::wire::{EmailAddressJson, browser_user as user_json};
use clerk_core::Patch;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/me", get(read).patch(update))
        .route(
            "/v1/me/email_addresses",
            get(list_email_addresses).post(add_email_address),
        )
        .route(
            "/v1/me/email_addresses/{email_id}",
            get(read_email_address).delete(delete_email_address),
        )
        .route(
            "/v1/me/email_addresses/{email_id}/prepare_verification",
            post(prepare_email_verification),
        )
        .route(
            "/v1/me/email_addresses/{email_id}/attempt_verification",
            post(attempt_email_verification),
        )
        .route("/v1/me/organization_memberships", get(memberships))
}

async fn user_reply(state: &AppState, user_id: &str) -> Result<Reply, ApiError> {
    let user = browser_user(state, user_id).await?;
    Ok(Reply::Enveloped(user_json(&user, &state.user_context())))
}

async fn read(State(state): State<AppState>, browser: Browser) -> Response {
    let result = async {
        let user_id = browser.user_id(&state).await?;
        user_reply(&state, &user_id).await
    }
    .await;
    answer(&state, &browser, result).await
}

/// `first_name`, `last_name`, `username`, `unsafe_metadata` (a JSON string),
/// `primary_email_address_id`; an empty value clears a name.
async fn update(State(state): State<AppState>, browser: Browser, form: Form) -> Response {
    let result = async {
        let user_id = browser.user_id(&state).await?;
        let patch = |name: &str| match form.raw(name) {
            None => Patch::Unchanged,
            Some("") => Patch::Null,
            Some(value) => Patch::Set(value.to_owned()),
        };
        let username = match patch("username") {
            Patch::Set(value) => {
                Patch::Set(normalize_username("username", &value).map_err(ApiError::from)?)
            }
            other => other,
        };
        let unsafe_metadata = form.json_object("unsafe_metadata")?;
        let changes = UserChanges {
            first_name: patch("first_name"),
            last_name: patch("last_name"),
            username,
            unsafe_metadata,
            primary_email_address_id: form.string("primary_email_address_id"),
            ..UserChanges::default()
        };
        users::update(state.services(), &user_id, changes).await?;
        user_reply(&state, &user_id).await
    }
    .await;
    answer(&state, &browser, result).await
}

/// One of the user's email addresses, with its pending verification if it has one.
async fn own_address(
    state: &AppState,
    user_id: &str,
    id: &str,
) -> Result<Identification, ApiError> {
    state
        .store
        .identification(id, IdentifierKind::EmailAddress)
        .await?
        .filter(|i| i.user_id == user_id)
        .ok_or_else(|| StoreError::not_found("email address", id).into())
}

/// An `email_address` object; an unverified one shows its latest code verification.
async fn address_json(state: &AppState, ident: Identification) -> Result<Value, ApiError> {
    let latest = if ident.verified {
        None
    } else {
        state.store.latest_verification(&ident.id).await?
    };
    let mut value = serde_json::to_value(EmailAddressJson::new(ident)).unwrap_or(Value::Null);
    if let (Some(v), Value::Object(map)) = (latest, &mut value) {
        map.insert("verification".into(), code_verification(&v, state.now_ms()));
    }
    Ok(value)
}

fn code_verification(v: &IdentificationVerification, now: i64) -> Value {
    json!({
        "object": "verification_otp",
        "status": v.status_at(now),
        "strategy": v.strategy,
        "attempts": v.attempts,
        "expire_at": v.expire_at,
    })
}

async fn list_email_addresses(State(state): State<AppState>, browser: Browser) -> Response {
    let result = async {
        let user = browser_user(&state, &browser.user_id(&state).await?).await?;
        let mut items = Vec::new();
        for ident in user.user.of_kind(IdentifierKind::EmailAddress) {
            items.push(address_json(&state, ident.clone()).await?);
        }
        // The spec's `Server.UserEmailAddresses`: the bare array.
        Ok(Reply::Bare(Value::Array(items)))
    }
    .await;
    answer(&state, &browser, result).await
}

async fn add_email_address(
    State(state): State<AppState>,
    browser: Browser,
    form: Form,
) -> Response {
    let result = async {
        let user_id = browser.user_id(&state).await?;
        let raw = form.required("email_address")?;
        let value = normalize_email("email_address", &raw).map_err(ApiError::from)?;
        let new = NewIdentification {
            kind: IdentifierKind::EmailAddress,
            value,
            verified: false,
            primary: false,
            reserved_for_second_factor: false,
        };
        let ident = identifications::create(state.services(), &user_id, new, false).await?;
        Ok(Reply::Enveloped(address_json(&state, ident).await?))
    }
    .await;
    answer(&state, &browser, result).await
}

async fn read_email_address(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let ident = own_address(&state, &browser.user_id(&state).await?, &id).await?;
        Ok(Reply::Enveloped(address_json(&state, ident).await?))
    }
    .await;
    answer(&state, &browser, result).await
}

async fn delete_email_address(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        own_address(&state, &browser.user_id(&state).await?, &id).await?;
        identifications::delete(state.services(), &id, IdentifierKind::EmailAddress).await?;
        Ok(Reply::Enveloped(json!({
            "object": "email_address",
            "id": id,
            "deleted": true,
        })))
    }
    .await;
    answer(&state, &browser, result).await
}

/// `strategy=email_code`: a code to the address (none to a `+clerk_test` one, whose code is
/// 424242).
async fn prepare_email_verification(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let result = async {
        let strategy = form.required("strategy")?;
        if strategy != "email_code" {
            return Err(ApiError::param_value_invalid(
                "strategy",
                "Email addresses are verified with strategy email_code here.",
            ));
        }
        let ident = own_address(&state, &browser.user_id(&state).await?, &id).await?;
        verification::prepare(state.services(), IdentifierKind::EmailAddress, &ident.id).await?;
        let ident = own_address(&state, &ident.user_id, &id).await?;
        Ok(Reply::Enveloped(address_json(&state, ident).await?))
    }
    .await;
    answer(&state, &browser, result).await
}

/// `code`: checks it against the address's latest code. A wrong one is 422
/// `form_code_incorrect` (counted), used up 422 `verification_failed`, expired 422
/// `verification_expired`.
async fn attempt_email_verification(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let result = async {
        let code = form.required("code")?;
        let ident = own_address(&state, &browser.user_id(&state).await?, &id).await?;
        let latest = state
            .store
            .latest_verification(&ident.id)
            .await?
            .ok_or_else(|| {
                ApiError::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    "verification_not_prepared",
                    "not prepared",
                    "Send a code first: prepare_verification with strategy email_code.",
                )
            })?;
        let (outcome, _) = verification::attempt(
            state.services(),
            IdentifierKind::EmailAddress,
            &ident.id,
            &latest.id,
            &code,
        )
        .await?;
        let refusal = match outcome {
            Outcome::Verified => None,
            Outcome::Incorrect => Some(("form_code_incorrect", "Incorrect code")),
            Outcome::Failed => Some(("verification_failed", "Too many failed attempts.")),
            Outcome::Expired => Some(("verification_expired", "This code has expired.")),
        };
        if let Some((code, message)) = refusal {
            return Err(ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                code,
                message,
                message,
            )
            .with_param("code"));
        }
        let ident = own_address(&state, &ident.user_id, &id).await?;
        Ok(Reply::Enveloped(address_json(&state, ident).await?))
    }
    .await;
    answer(&state, &browser, result).await
}

/// The user's organization memberships, newest first (at most 100), as a paginated list.
async fn memberships(State(state): State<AppState>, browser: Browser) -> Response {
    let result = async {
        let user = browser_user(&state, &browser.user_id(&state).await?).await?;
        let total = user.memberships.len();
        let mut page = Map::new();
        page.insert("data".into(), Value::Array(user.memberships));
        page.insert("total_count".into(), json!(total));
        Ok(Reply::Enveloped(Value::Object(page)))
    }
    .await;
    answer(&state, &browser, result).await
}
