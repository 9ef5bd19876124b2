//! Webhooks: the endpoints, the messages (events) newest first with where each stands with
//! each endpoint, and a message's page with its payload and attempts (response codes; the
//! attempts refresh on their own) and a resend button (the domain's resend: one more
//! attempt now, as `POST /_local/webhooks/messages/{id}/resend`).

use axum::extract::{Path, Query, State};
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::{CsrfForm, Signed};
use super::render::{DashError, paging, pretty, query_string, render_fragment};
use crate::bapi::AppState;
use crate::domain::webhooks;
use crate::store::Page;
use crate::store::webhooks::attempts::AttemptFilters;
use crate::store::webhooks::messages::MessageFilters;
use crate::wire::{WebhookAttemptJson, WebhookEndpointJson, WebhookMessageJson};

/// Rows per page.
const PAGE: i64 = 25;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard/webhooks", get(list))
        .route("/dashboard/webhooks/messages/{message_id}", get(show))
        .route(
            "/dashboard/webhooks/messages/{message_id}/attempts",
            get(attempts_fragment),
        )
        .route(
            "/dashboard/webhooks/messages/{message_id}/resend",
            post(resend),
        )
}

fn to_value(view: impl serde::Serialize) -> Value {
    serde_json::to_value(view).unwrap_or_default()
}

#[derive(Deserialize, Default)]
struct ListParams {
    event_type: Option<String>,
    offset: Option<i64>,
    notice: Option<String>,
}

/// `GET /dashboard/webhooks?event_type=…&offset=…`.
async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(params): Query<ListParams>,
) -> Result<Response, DashError> {
    let event_type = params.event_type.filter(|e| !e.trim().is_empty());
    let offset = params.offset.unwrap_or(0).max(0);
    let (endpoints, _) = state
        .store
        .list_webhook_endpoints(Page {
            limit: 100,
            offset: 0,
        })
        .await?;
    let (messages, total) = state
        .store
        .list_webhook_messages(
            &MessageFilters {
                event_types: event_type.iter().cloned().collect(),
            },
            Page {
                limit: PAGE,
                offset,
            },
        )
        .await?;
    let messages: Vec<Value> = messages
        .iter()
        .map(|(m, d)| {
            let mut view = to_value(WebhookMessageJson::new(m, d));
            let failed = d.iter().any(|d| d.status == "failed");
            view["failed"] = json!(failed);
            view
        })
        .collect();
    Ok(signed.page("webhooks").render(
        "webhooks",
        json!({
            "title": "Webhooks",
            "endpoints": endpoints.iter().map(|e| to_value(WebhookEndpointJson::new(e))).collect::<Vec<_>>(),
            "messages": messages,
            "event_type": event_type,
            "paging": paging(offset, PAGE, total),
            "base": event_type.as_deref().map(|e| query_string(&[("event_type", e)])),
            "notice": params.notice,
        }),
    ))
}

/// A message's attempts, newest first.
async fn attempts(state: &AppState, id: &str) -> Result<Value, DashError> {
    let (attempts, total) = state
        .store
        .list_webhook_attempts(
            &AttemptFilters {
                message_id: Some(id.to_owned()),
                endpoint_id: None,
            },
            Page {
                limit: 100,
                offset: 0,
            },
        )
        .await?;
    Ok(json!({
        "attempts": attempts.iter().map(|a| to_value(WebhookAttemptJson::new(a))).collect::<Vec<_>>(),
        "attempts_total": total,
    }))
}

#[derive(Deserialize, Default)]
struct ShowParams {
    notice: Option<String>,
}

/// `GET /dashboard/webhooks/messages/{id}`.
async fn show(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
    Query(params): Query<ShowParams>,
) -> Result<Response, DashError> {
    let (message, deliveries) = state.store.webhook_message(&id).await?;
    let payload: Value = serde_json::from_str(&message.payload).unwrap_or(Value::Null);
    let mut data = attempts(&state, &id).await?;
    data["title"] = json!(format!("Webhook message {id}"));
    data["message"] = to_value(WebhookMessageJson::new(&message, &deliveries));
    data["payload"] = json!(pretty(&payload));
    data["notice"] = json!(params.notice);
    Ok(signed.page("webhooks").render("webhook_message", data))
}

/// `GET /dashboard/webhooks/messages/{id}/attempts`: the attempts' rows, for polling.
async fn attempts_fragment(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, DashError> {
    state.store.webhook_message(&id).await?;
    Ok(render_fragment(
        "webhook_attempts",
        &attempts(&state, &id).await?,
    ))
}

/// `POST /dashboard/webhooks/messages/{id}/resend {endpoint_id?}`.
async fn resend(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Redirect, DashError> {
    let endpoint_id = form.text("endpoint_id");
    webhooks::resend(state.services(), &id, endpoint_id.as_deref()).await?;
    let notice: String =
        url::form_urlencoded::byte_serialize(b"Resent: a new attempt is on its way.").collect();
    Ok(Redirect::to(&format!(
        "/dashboard/webhooks/messages/{id}?notice={notice}"
    )))
}
