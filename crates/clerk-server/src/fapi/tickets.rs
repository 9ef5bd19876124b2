//! `GET /v1/tickets/accept?ticket=…[&redirect_url=…]`: the link of a sign-in token, an
//! actor token or an organization invitation (their `url`). An organization invitation
//! made with a `redirect_url` sends the browser there with `__clerk_ticket` and
//! `__clerk_status`, as Clerk's link does. Clerk's sends the browser to the Account Portal; this server
//! has none, so the link signs the browser in itself (the ticket redeemed into its client,
//! replacing a session it had: an impersonation link takes over the browser) and then
//! redirects to `redirect_url` when it is on an allowed origin (loopback, or the instance's
//! `allowed_origins`), or shows a short page saying who is signed in.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::browser::{Browser, origin_allowed};
use super::respond::with_cookies;
use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::domain::organizations::invitations as org_invitations;
use crate::domain::{clients, sign_ins};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/v1/tickets/accept", get(accept))
}

#[derive(Deserialize)]
struct AcceptQuery {
    ticket: Option<String>,
    redirect_url: Option<String>,
}

async fn accept(
    State(state): State<AppState>,
    mut browser: Browser,
    Query(query): Query<AcceptQuery>,
) -> Response {
    let result: Result<Response, ApiError> = async {
        let ticket = query.ticket.filter(|t| !t.is_empty()).ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "form_param_missing",
                "is missing",
                "ticket must be included.",
            )
            .with_param("ticket")
        })?;
        // An organization invitation made with a redirect URL: the app's page takes the
        // ticket (Clerk's `__clerk_ticket` and `__clerk_status`) and finishes the flow.
        if let Some(target) = org_invitations::ticket_redirect(state.services(), &ticket).await?
            && let Ok(location) = HeaderValue::from_str(&target)
        {
            let mut response = StatusCode::SEE_OTHER.into_response();
            response.headers_mut().insert(header::LOCATION, location);
            return Ok(response);
        }
        let client_id = browser.ensure_client(&state).await?;
        clients::sign_out(state.services(), &client_id).await?;
        let sign_in = sign_ins::create_with_ticket(state.services(), &client_id, &ticket).await?;
        if let Some(target) = query.redirect_url
            && redirect_allowed(&state, &target).await
        {
            let mut response = StatusCode::SEE_OTHER.into_response();
            if let Ok(location) = HeaderValue::from_str(&target) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            return Ok(response);
        }
        let who = sign_in.identifier.unwrap_or_default();
        let session = sign_in.created_session_id.unwrap_or_default();
        Ok(Html(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>Signed in</title></head><body><main><h1>Signed in</h1>\
             <p>This browser is signed in as {} (session {}). Open your app to continue.</p>\
             </main></body></html>",
            escape(&who),
            escape(&session)
        ))
        .into_response())
    }
    .await;
    let response = match result {
        Ok(response) => response,
        Err(err) => err.into_response(),
    };
    with_cookies(&state, &browser, response).await
}

/// Only to the app's own pages: a loopback or allowed origin (no open redirect).
async fn redirect_allowed(state: &AppState, target: &str) -> bool {
    let Ok(url) = url::Url::parse(target) else {
        return false;
    };
    let origin = url.origin().ascii_serialization();
    origin_allowed(state, &origin).await
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
