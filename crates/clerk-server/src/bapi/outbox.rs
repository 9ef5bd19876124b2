//! The outbox, a local extension: `GET /v1/_local/outbox` reads back every email and SMS
//! message the server "sent", `GET /v1/_local/outbox/{message_id}` one of them;
//! `DELETE /v1/_local/outbox` empties it.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::domain::messages;
use crate::store::outbox::{MessageKind, OutboxFilters};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/_local/outbox", get(outbox).delete(clear_outbox))
        .route("/_local/outbox/{message_id}", get(message))
}

/// `GET /v1/_local/outbox/{message_id}`: one email or SMS message as the list shows it;
/// unknown is 404 `resource_not_found`.
async fn message(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let message = state.store.message(&id).await?;
    Ok(Json(Value::Object(message.object())))
}

/// `GET /v1/_local/outbox?type=email|sms_message&to=<address or number>&limit&offset`:
/// `{"data":[<email or sms_message objects>],"total_count":N}`, newest first.
async fn outbox(
    State(state): State<AppState>,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    let kind = match query.string("type") {
        None => None,
        Some(t) => Some(MessageKind::parse(&t).ok_or_else(|| {
            ApiError::param_value_invalid("type", "type must be either email or sms_message.")
        })?),
    };
    let filters = OutboxFilters {
        kind,
        recipient: query.string("to"),
    };
    let (messages, total) = state.store.list_messages(&filters, query.page()?).await?;
    let data: Vec<Value> = messages.iter().map(|m| Value::Object(m.object())).collect();
    Ok(Json(json!({ "data": data, "total_count": total })))
}

/// `DELETE /v1/_local/outbox`: `{"object":"outbox","deleted_count":N}`.
async fn clear_outbox(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let deleted = messages::clear_outbox(state.services()).await?;
    Ok(Json(
        json!({ "object": "outbox", "deleted_count": deleted }),
    ))
}
