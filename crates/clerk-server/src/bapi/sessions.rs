//! `/v1/sessions`: create (testing instances only, in Clerk), list, get, revoke, verify
//! (before 2025-04-10) and session tokens.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde_json::{Map, Value};

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::bapi::version::ApiVersion;
use crate::domain::{jwt_templates, sessions, tokens};
use crate::store::sessions::{FILTERABLE_STATUSES, SessionFilters, SessionRecord};
use crate::wire::{SessionJson, TokenJson};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sessions", get(list).post(create))
        .route("/sessions/{session_id}", get(get_one))
        .route("/sessions/{session_id}/revoke", post(revoke))
        .route("/sessions/{session_id}/verify", post(verify))
        .route("/sessions/{session_id}/tokens", post(create_token))
        .route("/_local/sessions/{session_id}/tokens", post(session_token))
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
    // Clerk answers a banned or locked sign-in with 403, but the spec declares only
    // 400/401/404/422 for this operation (and Python's client raises its generic SDKError on
    // any other): the domain refuses, which is 400 with Clerk's codes.
    let session = sessions::create(state.services(), &user_id, active_organization_id).await?;
    let now = state.now_ms();
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
    Ok(respond::list(json, total, paginated))
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
    let session = sessions::revoke(state.services(), &id).await?;
    Ok(Json(SessionJson::new(&session, state.now_ms())))
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
    let claims = tokens::verify(state.services(), &token)
        .await?
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
    let v2 = version.session_token_v2();
    let jwt = tokens::session_token(state.services(), &session, v2, lifetime, Map::new()).await?;
    Ok(Json(TokenJson::new(jwt)))
}

/// A token from the JWT template `template_name` (404 if there is none, after the session
/// itself is checked): its rendered claims, signed by its own key or the instance's.
async fn create_token_from_template(
    State(state): State<AppState>,
    Path((id, template)): Path<(String, String)>,
    body: JsonBody,
) -> Result<Json<TokenJson>, ApiError> {
    body.allow_only(&["expires_in_seconds"])?;
    let expires_in = match body.i64("expires_in_seconds")? {
        None => None,
        Some(_) => Some(token_lifetime(&state, &body)?),
    };
    let session = find(&state, &id).await?;
    ensure_active(&session, state.now_ms())?;
    let jwt = jwt_templates::mint(state.services(), &session, &template, expires_in).await?;
    Ok(Json(TokenJson::new(jwt)))
}

/// A session by id, or 404.
async fn find(state: &AppState, id: &str) -> Result<SessionRecord, ApiError> {
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
fn token_lifetime(state: &AppState, body: &JsonBody) -> Result<i64, ApiError> {
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

/// `POST /v1/_local/sessions/{id}/tokens {claims?, expires_in_seconds?}`: a session token
/// for any session (whatever its status, so tests can build tokens for revoked sessions),
/// starting from the standard claims of the request's API version; each entry of `claims`
/// replaces a claim (`azp`, `iss`, `exp`, `nbf`, `org_id`, `o`, `act`, `sts`, …) and a
/// `null` removes it. Signed by the current signing key.
async fn session_token(
    State(state): State<AppState>,
    Extension(version): Extension<ApiVersion>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<TokenJson>, ApiError> {
    body.allow_only(&["claims", "expires_in_seconds"])?;
    let lifetime = token_lifetime(&state, &body)?;
    let overrides = body.object("claims")?.unwrap_or_default();
    let session = find(&state, &id).await?;
    let v2 = version.session_token_v2();
    let jwt = tokens::session_token(state.services(), &session, v2, lifetime, overrides).await?;
    Ok(Json(TokenJson::new(jwt)))
}
