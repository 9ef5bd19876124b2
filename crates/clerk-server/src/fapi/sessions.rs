//! `/v1/client/sessions/{id}`: one of the browser's sessions. `touch` makes it current
//! (with its active organization), `tokens` mints its session token (bare, as clerk-js
//! reads it; `tokens/{template}` from a JWT template), `end` and `remove` sign out of it.

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
use crate::domain::clients::{self, own_session, session_not_active};
use crate::domain::{jwt_templates, tokens};
use crate::store::sessions::{SessionEnd, SessionRecord};
use crate::wire::{BrowserSessionJson, TokenJson};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/client/sessions/{session_id}", get(read))
        .route("/v1/client/sessions/{session_id}/touch", post(touch))
        .route("/v1/client/sessions/{session_id}/tokens", post(token))
        .route(
            "/v1/client/sessions/{session_id}/tokens/{template_name}",
            post(template_token),
        )
        .route("/v1/client/sessions/{session_id}/end", post(end))
        .route("/v1/client/sessions/{session_id}/remove", post(remove))
}

async fn read(State(state): State<AppState>, browser: Browser, Path(id): Path<String>) -> Response {
    let result = async {
        let session = find(&state, &browser, &id).await?;
        session_view(&state, &session).await
    }
    .await;
    answer(&state, &browser, result).await
}

/// `active_organization_id`: an organization id, or empty for the personal account;
/// without the field, the session keeps the one it has.
async fn touch(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let result = async {
        let client_id = browser.client()?;
        let current = find(&state, &browser, &id).await?;
        let organization = match form.raw("active_organization_id") {
            None => current.last_active_organization_id.clone(),
            Some(value) => Some(value.to_owned()).filter(|v| !v.is_empty()),
        };
        let session =
            clients::touch_session(state.services(), client_id, &id, organization.as_deref())
                .await?;
        session_view(&state, &session).await
    }
    .await;
    answer(&state, &browser, result).await
}

/// The session's token, bare: `{"object":"token","jwt":…}`, with the page's origin as
/// `azp`. `organization_id` (empty: the personal account) is accepted and must be the
/// session's active organization or empty; switching goes through `touch`.
async fn token(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let session = active(&state, &browser, &id).await?;
        let mut overrides = Map::new();
        if let Some(origin) = &browser.origin {
            overrides.insert("azp".into(), json!(origin));
        }
        let lifetime = state.settings.session_token_lifetime_s;
        let jwt =
            tokens::session_token(state.services(), &session, true, lifetime, overrides).await?;
        Ok(Reply::Bare(json!(TokenJson::new(jwt))))
    }
    .await;
    answer(&state, &browser, result).await
}

async fn template_token(
    State(state): State<AppState>,
    browser: Browser,
    Path((id, template)): Path<(String, String)>,
) -> Response {
    let result = async {
        let session = active(&state, &browser, &id).await?;
        let jwt = jwt_templates::mint(state.services(), &session, &template, None).await?;
        Ok(Reply::Bare(json!(TokenJson::new(jwt))))
    }
    .await;
    answer(&state, &browser, result).await
}

async fn end(State(state): State<AppState>, browser: Browser, Path(id): Path<String>) -> Response {
    finish(state, browser, id, SessionEnd::Ended).await
}

async fn remove(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
) -> Response {
    finish(state, browser, id, SessionEnd::Removed).await
}

async fn finish(state: AppState, browser: Browser, id: String, how: SessionEnd) -> Response {
    let result = async {
        let client_id = browser.client()?;
        let session = clients::end_session(state.services(), client_id, &id, how).await?;
        session_view(&state, &session).await
    }
    .await;
    answer(&state, &browser, result).await
}

/// One of the browser's sessions, whatever its status.
async fn find(state: &AppState, browser: &Browser, id: &str) -> Result<SessionRecord, ApiError> {
    let client_id = browser.client()?;
    let client = state
        .store
        .client(client_id)
        .await?
        .ok_or_else(|| ApiError::not_found("client", client_id))?;
    Ok(own_session(&client, id)?.clone())
}

/// One of the browser's sessions that is active now; otherwise 401, which makes clerk-js
/// reload its client and drop the session.
async fn active(state: &AppState, browser: &Browser, id: &str) -> Result<SessionRecord, ApiError> {
    let session = find(state, browser, id).await?;
    let now = state.now_ms();
    if session.status(now) != "active" {
        return Err(session_not_active(&session, now).into());
    }
    Ok(session)
}

/// The session with its user, enveloped.
async fn session_view(state: &AppState, session: &SessionRecord) -> Result<Reply, ApiError> {
    let user = browser_user(state, &session.user_id).await?;
    let json = BrowserSessionJson::new(session, &user, &state.user_context());
    Ok(Reply::Enveloped(
        serde_json::to_value(json).unwrap_or(Value::Null),
    ))
}
