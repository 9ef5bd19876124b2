//! `/v1/me/sessions`: the signed-in user's sessions on every client (every browser and
//! every session the Backend API made), as clerk-js's `user.getSessions()` lists them on the
//! `<UserProfile/>` security page and `session.revoke()` signs one out. Revoking is the
//! Backend API's operation, with its `session.revoked` event.
//!
//! Sessions carry no record of the device or network they were made from, so the active
//! ones have no `latest_activity` (the spec leaves it out too, and clerk-js reads it as
//! unknown).

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::Value;

use super::browser::Browser;
use super::respond::{Reply, answer, browser_user};
use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::domain::sessions;
use crate::store::sessions::{SessionFilters, SessionRecord};
use crate::store::{Page, StoreError};
use crate::wire::BrowserSessionJson;

/// The most sessions a list shows (newest first).
const SESSIONS_SHOWN: i64 = 100;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/me/sessions", get(list_all))
        .route("/v1/me/sessions/active", get(list_active))
        .route("/v1/me/sessions/{session_id}/revoke", post(revoke))
}

/// The user's sessions with `status` (any without), newest first.
async fn sessions_of(
    state: &AppState,
    user_id: &str,
    status: Option<&str>,
) -> Result<Vec<Value>, ApiError> {
    let filters = SessionFilters {
        user_id: Some(user_id.to_owned()),
        client_id: None,
        status: status.map(str::to_owned),
    };
    let page = Page {
        limit: SESSIONS_SHOWN,
        offset: 0,
    };
    let (found, _) = state
        .store
        .list_sessions(&filters, page, state.now_ms())
        .await?;
    let user = browser_user(state, user_id).await?;
    let ctx = state.user_context();
    Ok(found.iter().map(|s| session_json(s, &user, &ctx)).collect())
}

fn session_json(
    session: &SessionRecord,
    user: &crate::wire::BrowserUser,
    ctx: &crate::wire::UserContext,
) -> Value {
    serde_json::to_value(BrowserSessionJson::new(session, user, ctx)).unwrap_or(Value::Null)
}

/// Every session of the user, whatever its status: the bare array of the spec.
async fn list_all(State(state): State<AppState>, browser: Browser) -> Response {
    let result = async {
        let user_id = browser.session(&state).await?.user_id;
        Ok(Reply::Bare(Value::Array(
            sessions_of(&state, &user_id, None).await?,
        )))
    }
    .await;
    answer(&state, &browser, result).await
}

/// The user's active sessions: the bare array clerk-js reads.
async fn list_active(State(state): State<AppState>, browser: Browser) -> Response {
    let result = async {
        let user_id = browser.session(&state).await?.user_id;
        Ok(Reply::Bare(Value::Array(
            sessions_of(&state, &user_id, Some("active")).await?,
        )))
    }
    .await;
    answer(&state, &browser, result).await
}

/// Revokes one of the user's sessions (another user's is 404); answers it, enveloped.
async fn revoke(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let user_id = browser.session(&state).await?.user_id;
        let own = state
            .store
            .session(&id)
            .await?
            .filter(|s| s.user_id == user_id)
            .ok_or_else(|| StoreError::not_found("session", &id))?;
        let session = sessions::revoke(state.services(), &own.id).await?;
        let user = browser_user(&state, &user_id).await?;
        Ok(Reply::Enveloped(session_json(
            &session,
            &user,
            &state.user_context(),
        )))
    }
    .await;
    answer(&state, &browser, result).await
}
