//! What backend SDKs and development keys need beside clerk-js's own calls:
//!
//! - `POST /v1/dev_browser`: a development browser (clerk-js asks for one when its key's
//!   host is one of Clerk's development domains, `*.lcl.dev`, `*.accounts.dev`…). Its token
//!   is a new client's token; clerk-js then sends it as `__clerk_db_jwt` on every request.
//! - `GET /v1/client/handshake?redirect_url=…`: where backend SDKs (`@clerk/backend`'s
//!   `authenticateRequest`) send a document request whose cookies do not settle who is
//!   signed in. Clerk answers with a signed list of cookies for the SDK to set; this server
//!   shares the app's host (cookies ignore ports), so it sets them itself — the development
//!   browser cookie, `__client_uat` and a fresh `__session` — and redirects straight back.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Map, json};

use super::browser::{Browser, DEV_BROWSER, app_cookies, origin_allowed};
use super::respond::{Reply, answer, with_cookies};
use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::domain::{clients, tokens};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/dev_browser", post(dev_browser))
        .route("/v1/client/handshake", get(handshake))
}

async fn dev_browser(State(state): State<AppState>) -> Response {
    let browser = Browser::default();
    let result = async {
        let id = clients::create(state.services()).await?;
        let lifetime = state.settings.client_token_lifetime_s;
        let token = tokens::client_token(state.services(), &id, lifetime).await?;
        Ok(Reply::Bare(json!({ "object": "dev_browser", "id": token })))
    }
    .await;
    answer(&state, &browser, result).await
}

#[derive(Deserialize)]
struct HandshakeQuery {
    redirect_url: Option<String>,
}

async fn handshake(
    State(state): State<AppState>,
    mut browser: Browser,
    Query(query): Query<HandshakeQuery>,
) -> Response {
    let result: Result<Response, ApiError> = async {
        let target = query.redirect_url.unwrap_or_default();
        let allowed = match url::Url::parse(&target) {
            Ok(url) => origin_allowed(&state, &url.origin().ascii_serialization()).await,
            Err(_) => false,
        };
        if !allowed {
            return Err(ApiError::param_value_invalid(
                "redirect_url",
                "redirect_url must be a page of an allowed origin (loopback, or the instance's allowed_origins).",
            ));
        }
        let client_id = browser.ensure_client(&state).await?;
        let lifetime = state.settings.client_token_lifetime_s;
        let client_token = tokens::client_token(state.services(), &client_id, lifetime).await?;
        let mut cookies = app_cookies(&state, DEV_BROWSER, &client_token, lifetime).to_vec();
        let session = browser.session(&state).await.ok();
        match session {
            Some(session) => {
                let token = tokens::session_token(
                    state.services(),
                    &session,
                    true,
                    state.settings.session_token_lifetime_s,
                    Map::new(),
                )
                .await?;
                let client = state.store.client(&client_id).await?;
                let uat = client.map_or(0, |c| c.updated_at.div_euclid(1000));
                cookies.extend(app_cookies(&state, "__client_uat", &uat.to_string(), lifetime));
                cookies.extend(app_cookies(&state, "__session", &token, lifetime));
            }
            None => {
                cookies.extend(app_cookies(&state, "__client_uat", "0", lifetime));
                cookies.extend(app_cookies(&state, "__session", "", 0));
            }
        }
        let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
        let headers = response.headers_mut();
        if let Ok(location) = HeaderValue::from_str(&target) {
            headers.insert(header::LOCATION, location);
        }
        for cookie in cookies {
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                headers.append(header::SET_COOKIE, value);
            }
        }
        Ok(response)
    }
    .await;
    let response = match result {
        Ok(response) => response,
        Err(err) => err.into_response(),
    };
    with_cookies(&state, &browser, response).await
}
