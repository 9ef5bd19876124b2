//! Webhooks: the Backend API's Svix operations (`/v1/webhooks/svix…`) and the local API that
//! manages endpoints and shows deliveries (`/_local/webhooks/…`, also under `/v1`), where
//! Clerk sends people to Svix's dashboard instead.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::domain::webhooks::{self, NewEndpoint};
use crate::store::webhooks::attempts::AttemptFilters;
use crate::store::webhooks::messages::MessageFilters;
use crate::wire::{DeletedObject, WebhookAttemptJson, WebhookEndpointJson, WebhookMessageJson};

/// `/webhooks/svix…`, under `/v1`.
pub(crate) fn svix_routes() -> Router<AppState> {
    Router::new()
        .route("/webhooks/svix", post(svix_url).delete(delete_svix_app))
        .route("/webhooks/svix_url", post(svix_url))
}

/// `/_local/webhooks/…`, mounted at the root and under `/v1`.
pub(crate) fn local_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/_local/webhooks/endpoints",
            get(list_endpoints).post(create_endpoint),
        )
        .route(
            "/_local/webhooks/endpoints/{endpoint_id}",
            get(get_endpoint).delete(delete_endpoint),
        )
        .route("/_local/webhooks/messages", get(list_messages))
        .route("/_local/webhooks/messages/{message_id}", get(get_message))
        .route(
            "/_local/webhooks/messages/{message_id}/attempts",
            get(list_attempts),
        )
        .route(
            "/_local/webhooks/messages/{message_id}/resend",
            post(resend),
        )
        .route("/_local/webhooks/attempts", get(list_all_attempts))
}

/// `POST /v1/webhooks/svix` and `POST /v1/webhooks/svix_url`: `{"svix_url"}`. Clerk answers
/// with a one-time link to Svix's dashboard for the instance; here the endpoints are
/// managed through the local API, so the link is its endpoint list.
async fn svix_url(State(state): State<AppState>) -> Json<Value> {
    let base = state.issuer.trim_end_matches('/');
    Json(json!({ "svix_url": format!("{base}/_local/webhooks/endpoints") }))
}

/// `DELETE /v1/webhooks/svix`: as Clerk, removes the instance's webhooks (every endpoint);
/// 204.
async fn delete_svix_app(State(state): State<AppState>) -> Result<StatusCode, ApiError> {
    webhooks::delete_all_endpoints(state.services()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_endpoints(
    State(state): State<AppState>,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    let (endpoints, total) = state.store.list_webhook_endpoints(query.page()?).await?;
    let data: Vec<_> = endpoints.iter().map(WebhookEndpointJson::new).collect();
    Ok(Json(json!({ "data": data, "total_count": total })))
}

/// `POST /_local/webhooks/endpoints {url, filter_types?, description?}`: the endpoint with
/// its secret.
async fn create_endpoint(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    body.allow_only(&["url", "filter_types", "description"])?;
    let new = NewEndpoint {
        url: body.required_string("url")?,
        filter_types: body.string_array("filter_types")?,
        description: body.string("description")?,
    };
    let endpoint = webhooks::create_endpoint(state.services(), new).await?;
    Ok(Json(WebhookEndpointJson::new(&endpoint)).into_response())
}

async fn get_endpoint(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let endpoint = state.store.webhook_endpoint(&id).await?;
    Ok(Json(WebhookEndpointJson::new(&endpoint)).into_response())
}

async fn delete_endpoint(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    webhooks::delete_endpoint(state.services(), &id).await?;
    Ok(Json(DeletedObject::new("webhook_endpoint", &id)).into_response())
}

/// `GET /_local/webhooks/messages?event_type=…&limit&offset`: newest first.
async fn list_messages(
    State(state): State<AppState>,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    let filters = MessageFilters {
        event_types: query
            .all("event_type")
            .into_iter()
            .map(str::to_owned)
            .collect(),
    };
    let (messages, total) = state
        .store
        .list_webhook_messages(&filters, query.page()?)
        .await?;
    let data: Vec<_> = messages
        .iter()
        .map(|(message, deliveries)| WebhookMessageJson::new(message, deliveries))
        .collect();
    Ok(Json(json!({ "data": data, "total_count": total })))
}

async fn get_message(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (message, deliveries) = state.store.webhook_message(&id).await?;
    Ok(Json(WebhookMessageJson::new(&message, &deliveries)).into_response())
}

/// `GET /_local/webhooks/messages/{id}/attempts?endpoint_id=…`: newest first.
async fn list_attempts(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    state.store.webhook_message(&id).await?;
    attempts(&state, Some(id), query).await
}

/// `GET /_local/webhooks/attempts?endpoint_id=…`: every attempt, newest first.
async fn list_all_attempts(
    State(state): State<AppState>,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    attempts(&state, None, query).await
}

async fn attempts(
    state: &AppState,
    message_id: Option<String>,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    let filters = AttemptFilters {
        message_id,
        endpoint_id: query.string("endpoint_id"),
    };
    let (attempts, total) = state
        .store
        .list_webhook_attempts(&filters, query.page()?)
        .await?;
    let data: Vec<_> = attempts.iter().map(WebhookAttemptJson::new).collect();
    Ok(Json(json!({ "data": data, "total_count": total })))
}

/// `POST /_local/webhooks/messages/{id}/resend {endpoint_id?}`: one more attempt, now, to
/// that endpoint or to every endpoint the message went to; answers the message.
async fn resend(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    body.allow_only(&["endpoint_id"])?;
    let endpoint_id = body.string("endpoint_id")?;
    webhooks::resend(state.services(), &id, endpoint_id.as_deref()).await?;
    let (message, deliveries) = state.store.webhook_message(&id).await?;
    Ok(Json(WebhookMessageJson::new(&message, &deliveries)).into_response())
}
