//! `/v1/sessions`: create (testing instances only, in Clerk), list, get, revoke, verify
//! (before 2025-04-10) and session tokens.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde_json::{Map, Value};

use crate::app::AppState;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::keys::{self, SessionTokenFacts};
use crate::query::QueryParams;
use crate::store::sessions::{FILTERABLE_STATUSES, NewSession, SessionFilters, SessionRecord};
use crate::version::ApiVersion;
use crate::wire::{self, SessionJson, TokenJson};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sessions", get(list).post(create))
        .route("/sessions/{session_id}", get(get_one))
        .route("/sessions/{session_id}/revoke", post(revoke))
        .route("/sessions/{session_id}/verify", post(verify))
        .route("/sessions/{session_id}/tokens", post(create_token))
        .route(
            "/sessions/{session_id}/tokens/{template_name}",
            post(create_token_from_template),
        )
}

/// Smallest and largest `expires_in_seconds` of a token request (the spec's bounds).
const MIN_TOKEN_SECONDS: i64 = 30;
const MAX_TOKEN_SECONDS: i64 = 315_360_000;

async fn create(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<SessionJson>, ApiError> {
    body.allow_only(&["user_id", "active_organization_id"])?;
    let user_id = body.required_string("user_id")?;
    let active_organization_id = body
        .string("active_organization_id")?
        .filter(|s| !s.is_empty());
    let user = state
        .store
        .user(&user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("user", &user_id))?;
    let now = state.now_ms();
    // Clerk answers a banned or locked sign-in with 403, but the spec declares
    // only 400/401/404/422 for this operation (and Python's client raises its
    // generic SDKError on any other): 400 with Clerk's codes.
    if user.record.banned {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "user_banned",
            "User banned",
            "This user is banned and cannot have sessions.",
        ));
    }
    let (locked, expires_in_s) = user.record.lock_state(now, state.settings.lockout_ms);
    if locked {
        return Err(ApiError::user_locked(expires_in_s));
    }
    let session = state
        .store
        .create_session(
            NewSession {
                user_id: &user_id,
                active_organization_id,
                lifetime_ms: state.settings.session_lifetime_ms,
                inactivity_timeout_ms: state.settings.session_inactivity_timeout_ms,
            },
            now,
        )
        .await?
        .ok_or_else(|| ApiError::not_found("user", &user_id))?;
    Ok(Json(SessionJson::new(&session, now)))
}

async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let filters = SessionFilters {
        user_id: query.string("user_id"),
        client_id: query.string("client_id"),
        status: query.string("status"),
    };
    if filters.user_id.is_none() && filters.client_id.is_none() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "missing_query_parameter",
            "Missing query parameter",
            "Either of the following query parameters must be provided: client_id, user_id.",
        ));
    }
    if let Some(status) = &filters.status {
        if !FILTERABLE_STATUSES.contains(&status.as_str()) {
            return Err(ApiError::param_value_invalid(
                "status",
                format!(
                    "{status} does not match the allowed values for parameter status. Allowed values: {}",
                    FILTERABLE_STATUSES.join(", ")
                ),
            ));
        }
    }
    let page = query.page()?;
    let paginated = query.paginated()?;
    let now = state.now_ms();
    let (sessions, total) = state.store.list_sessions(&filters, page, now).await?;
    let json = sessions.iter().map(|s| SessionJson::new(s, now)).collect();
    Ok(wire::list(json, total, paginated))
}

async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<SessionJson>, ApiError> {
    let session = find(&state, &id).await?;
    Ok(Json(SessionJson::new(&session, state.now_ms())))
}

async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<SessionJson>, ApiError> {
    body.allow_only(&[])?;
    let now = state.now_ms();
    let session = state
        .store
        .revoke_session(&id, now)
        .await?
        .ok_or_else(|| ApiError::not_found("session", &id))?;
    Ok(Json(SessionJson::new(&session, now)))
}

/// `POST /v1/sessions/{id}/verify`: gone from 2025-04-10 (410); before, checks that `token`
/// is a valid session token of this active session and returns the session. Any failure
/// of the token is 400 `invalid_session_token`.
async fn verify(
    State(state): State<AppState>,
    Extension(version): Extension<ApiVersion>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<SessionJson>, ApiError> {
    if version.session_verify_removed() {
        return Err(ApiError::operation_deprecated());
    }
    body.allow_only(&["token"])?;
    let invalid = |why: &str| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_session_token",
            "Invalid session token",
            format!("The token provided could not be successfully verified: {why}."),
        )
    };
    let token = body
        .string("token")?
        .ok_or_else(|| invalid("no token was given"))?;
    let session = find(&state, &id).await?;
    let now = state.now_ms();
    let keys = state
        .keys
        .published(&state.store, now, state.settings.key_grace_ms)
        .await?;
    let claims = keys::verify_jwt(&token, &keys, now.div_euclid(1000))
        .map_err(|e| invalid(&e.to_string()))?;
    if claims.get("sid").and_then(Value::as_str) != Some(id.as_str()) {
        return Err(invalid("it belongs to another session"));
    }
    if session.status(now) != "active" {
        return Err(invalid(&format!("the session is {}", session.status(now))));
    }
    Ok(Json(SessionJson::new(&session, now)))
}

async fn create_token(
    State(state): State<AppState>,
    Extension(version): Extension<ApiVersion>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<TokenJson>, ApiError> {
    body.allow_only(&["expires_in_seconds"])?;
    let lifetime = token_lifetime(&state, &body)?;
    let session = find(&state, &id).await?;
    ensure_active(&session, state.now_ms())?;
    let claims = standard_claims(&state, &session, version, lifetime);
    let key = state.keys.signing_key(&state.store).await?;
    Ok(Json(TokenJson::new(key.sign(&claims))))
}

/// JWT templates are not part of this server: every template name is 404 (after the
/// session itself is checked).
async fn create_token_from_template(
    State(state): State<AppState>,
    Path((id, template)): Path<(String, String)>,
    body: JsonBody,
) -> Result<Json<TokenJson>, ApiError> {
    body.allow_only(&["expires_in_seconds"])?;
    token_lifetime(&state, &body)?;
    let session = find(&state, &id).await?;
    ensure_active(&session, state.now_ms())?;
    Err(ApiError::new(
        StatusCode::NOT_FOUND,
        "resource_not_found",
        "JWT template not found",
        format!("No JWT template exists with name: {template}"),
    ))
}

/// A session by id, or 404.
pub(crate) async fn find(state: &AppState, id: &str) -> Result<SessionRecord, ApiError> {
    state
        .store
        .session(id)
        .await?
        .ok_or_else(|| ApiError::not_found("session", id))
}

/// Tokens are only minted for sessions that are active now. Otherwise: 401
/// `authentication_invalid` (a status the spec declares for the operation; the code is
/// Clerk's "you need to supply an active session").
fn ensure_active(session: &SessionRecord, now_ms: i64) -> Result<(), ApiError> {
    let status = session.status(now_ms);
    if status == "active" {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::UNAUTHORIZED,
        "authentication_invalid",
        "Invalid authentication",
        format!(
            "Unable to create a token: session {} is {status}, and tokens can only be created for active sessions.",
            session.id
        ),
    ))
}

/// `expires_in_seconds` (30 to 315360000), else the configured token lifetime.
pub(crate) fn token_lifetime(state: &AppState, body: &JsonBody) -> Result<i64, ApiError> {
    match body.i64("expires_in_seconds")? {
        None => Ok(state.settings.session_token_lifetime_s),
        Some(s) if (MIN_TOKEN_SECONDS..=MAX_TOKEN_SECONDS).contains(&s) => Ok(s),
        Some(_) => Err(ApiError::param_value_invalid(
            "expires_in_seconds",
            format!(
                "expires_in_seconds must be between {MIN_TOKEN_SECONDS} and {MAX_TOKEN_SECONDS}."
            ),
        )),
    }
}

/// The claims of a session token for `version`.
pub(crate) fn standard_claims(
    state: &AppState,
    session: &SessionRecord,
    version: ApiVersion,
    lifetime_seconds: i64,
) -> Map<String, Value> {
    keys::session_claims(&SessionTokenFacts {
        session_id: &session.id,
        user_id: &session.user_id,
        session_created_at_ms: session.created_at,
        organization_id: session.last_active_organization_id.as_deref(),
        issuer: &state.issuer,
        now_ms: state.now_ms(),
        lifetime_seconds,
        v2: version.session_token_v2(),
    })
}
