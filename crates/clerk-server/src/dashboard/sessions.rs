//! Sessions: every session of the instance, newest first, filtered by status, each with a
//! revoke button (the domain's revoke, so `session.revoked` goes out as through the API).

use axum::extract::{Path, Query, State};
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::{CsrfForm, Signed};
use super::render::{DashError, paging, query_string};
use crate::bapi::AppState;
use crate::domain::sessions;
use crate::store::Page;
use crate::store::sessions::SessionFilters;
use crate::wire::SessionJson;

/// Rows per page.
const PAGE: i64 = 25;

/// The statuses the filter offers (those `GET /v1/sessions` accepts).
const STATUSES: &[&str] = &[
    "active",
    "revoked",
    "ended",
    "expired",
    "removed",
    "abandoned",
    "replaced",
    "pending",
];

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard/sessions", get(list))
        .route("/dashboard/sessions/{session_id}/revoke", post(revoke))
}

#[derive(Deserialize, Default)]
struct ListParams {
    status: Option<String>,
    user_id: Option<String>,
    offset: Option<i64>,
    notice: Option<String>,
}

/// `GET /dashboard/sessions?status=…&user_id=…&offset=…`.
async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(params): Query<ListParams>,
) -> Result<Response, DashError> {
    let status = params.status.filter(|s| STATUSES.contains(&s.as_str()));
    let user_id = params.user_id.filter(|u| !u.trim().is_empty());
    let offset = params.offset.unwrap_or(0).max(0);
    let now = state.now_ms();
    let (found, total) = state
        .store
        .list_sessions(
            &SessionFilters {
                user_id: user_id.clone(),
                client_id: None,
                status: status.clone(),
            },
            Page {
                limit: PAGE,
                offset,
            },
            now,
        )
        .await?;
    let rows: Vec<Value> = found
        .iter()
        .map(|s| serde_json::to_value(SessionJson::new(s, now)).unwrap_or_default())
        .collect();
    let statuses: Vec<Value> = STATUSES
        .iter()
        .map(|s| json!({ "value": s, "selected": status.as_deref() == Some(*s) }))
        .collect();
    let mut base = Vec::new();
    if let Some(s) = &status {
        base.push(("status", s.as_str()));
    }
    if let Some(u) = &user_id {
        base.push(("user_id", u.as_str()));
    }
    Ok(signed.page("sessions").render(
        "sessions",
        json!({
            "title": "Sessions",
            "sessions": rows,
            "statuses": statuses,
            "user_id": user_id,
            "paging": paging(offset, PAGE, total),
            "base": query_string(&base),
            "notice": params.notice,
        }),
    ))
}

/// `POST /dashboard/sessions/{id}/revoke {back?}`: back to the page the form was on (a
/// dashboard path only).
async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Redirect, DashError> {
    sessions::revoke(state.services(), &id).await?;
    let back = form
        .text("back")
        .filter(|b| b.starts_with("/dashboard/") && !b.starts_with("//"))
        .unwrap_or_else(|| "/dashboard/sessions".to_owned());
    let notice: String =
        url::form_urlencoded::byte_serialize(format!("Session {id} revoked.").as_bytes()).collect();
    let sep = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{back}{sep}notice={notice}")))
}
