//! The Frontend API's answers. A resource comes back as `{"response": …, "client": …}` (the
//! browser's whole client, which clerk-js replaces its own with after every change); an
//! error as Clerk's error body with the client in `meta.client`; tokens and the
//! environment bare. Every answer carries the `Set-Cookie` of a client created or
//! destroyed by the request.

use axum::Json;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::browser::Browser;
use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::store::organizations::memberships::{MembershipFilters, MembershipListQuery};
use crate::store::sql::Sort;
use crate::store::{Page, StoreError};
use crate::wire::{
    BrowserClientJson, BrowserUser, ClientParts, MembershipJson, browser_membership,
};

/// How many of a user's organization memberships the browser gets with the user.
const MEMBERSHIPS_SHOWN: i64 = 100;

/// A user with its organization memberships (newest first), as the browser sees them.
pub(crate) async fn browser_user(state: &AppState, user_id: &str) -> Result<BrowserUser, ApiError> {
    let user = state
        .store
        .user(user_id)
        .await?
        .ok_or_else(|| StoreError::not_found("user", user_id))?;
    let query = MembershipListQuery {
        filters: MembershipFilters {
            user_id: Some(user_id.to_owned()),
            ..MembershipFilters::default()
        },
        sort: Sort::NEWEST_FIRST,
        page: Page {
            limit: MEMBERSHIPS_SHOWN,
            offset: 0,
        },
    };
    let (memberships, _) = state.store.list_memberships(&query).await?;
    let memberships = memberships
        .iter()
        .map(|m| {
            let json = serde_json::to_value(MembershipJson::new(m, &state.issuer));
            browser_membership(json.unwrap_or(Value::Null))
        })
        .collect();
    Ok(BrowserUser { user, memberships })
}

/// What an operation answers.
pub(crate) enum Reply {
    /// `{"response": <value>, "client": <client>}`.
    Enveloped(Value),
    /// `{"response": <client>, "client": <client>}` (sign-out, client operations).
    Client,
    /// The value itself (session tokens, the environment).
    Bare(Value),
}

/// Answers `result` for `browser`: the reply with the client it needs, or the error with
/// the client in `meta.client`; with the request's `Set-Cookie`, if any.
pub(crate) async fn answer(
    state: &AppState,
    browser: &Browser,
    result: Result<Reply, ApiError>,
) -> Response {
    let response = match render(state, browser, result).await {
        Ok(response) => response,
        Err(err) => err.into_response(),
    };
    with_cookies(state, browser, response).await
}

/// `response` with the `Set-Cookie` headers of the client the request created or destroyed.
pub(crate) async fn with_cookies(
    state: &AppState,
    browser: &Browser,
    mut response: Response,
) -> Response {
    match browser.set_cookies(state).await {
        Ok(cookies) => {
            for cookie in cookies {
                if let Ok(value) = HeaderValue::from_str(&cookie) {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
            }
            response
        }
        Err(err) => err.into_response(),
    }
}

async fn render(
    state: &AppState,
    browser: &Browser,
    result: Result<Reply, ApiError>,
) -> Result<Response, ApiError> {
    let client = || client_json(state, browser.client_id.as_deref());
    Ok(match result {
        Ok(Reply::Bare(value)) => Json(value).into_response(),
        Ok(Reply::Enveloped(value)) => {
            let client = client().await?;
            Json(json!({ "response": value, "client": client })).into_response()
        }
        Ok(Reply::Client) => {
            let client = client().await?;
            Json(json!({ "response": client, "client": client })).into_response()
        }
        Err(err) => {
            // Best effort: the error itself matters more than the client beside it.
            let client = client().await.unwrap_or(Value::Null);
            err.with_body_meta("client", client).into_response()
        }
    })
}

/// The browser's client as the Frontend API shows it (`null` without one).
pub(crate) async fn client_json(
    state: &AppState,
    client_id: Option<&str>,
) -> Result<Value, ApiError> {
    let Some(id) = client_id else {
        return Ok(Value::Null);
    };
    let Some(client) = state.store.client(id).await? else {
        return Ok(Value::Null);
    };
    let now = state.now_ms();
    let mut users: Vec<BrowserUser> = Vec::new();
    for session in client.sessions.iter().filter(|s| s.status(now) == "active") {
        if users.iter().all(|u| u.user.record.id != session.user_id) {
            users.push(browser_user(state, &session.user_id).await?);
        }
    }
    let sign_in = match &client.sign_in_id {
        Some(id) => state.store.sign_in(id).await?,
        None => None,
    };
    let sign_in_user = match sign_in.as_ref().and_then(|s| s.user_id.as_deref()) {
        Some(user_id) => state.store.user(user_id).await?,
        None => None,
    };
    let sign_up = match &client.sign_up_id {
        Some(id) => state.store.sign_up(id).await?,
        None => None,
    };
    let cookie_expires_at = client
        .created_at
        .saturating_add(state.settings.client_token_lifetime_s.saturating_mul(1000));
    let view = BrowserClientJson::new(
        &client,
        ClientParts {
            users: &users,
            sign_in: sign_in.as_ref().map(|s| (s, sign_in_user.as_ref())),
            sign_up: sign_up.as_ref(),
            cookie_expires_at: Some(cookie_expires_at),
        },
        &state.user_context(),
    );
    Ok(serde_json::to_value(view).unwrap_or(Value::Null))
}
