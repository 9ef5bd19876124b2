//! `/v1/templates/{template_type}[/{slug}]`: Clerk's email and SMS templates: list, get,
//! update (`PUT`), revert, preview and toggle delivery. Deprecated in 2026-05-12 but
//! served with the statuses they declare.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use clerk_core::Patch;
use serde_json::Value;

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::bapi::respond;
use crate::domain::message_templates::render::{self, PreviewInput};
use crate::domain::message_templates::{self, Template, TemplateUpdate};
use crate::wire::TemplateJson;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/templates/{template_type}", get(list))
        .route(
            "/templates/{template_type}/{slug}",
            get(get_one).put(update),
        )
        .route("/templates/{template_type}/{slug}/revert", post(revert))
        .route("/templates/{template_type}/{slug}/preview", post(preview))
        .route(
            "/templates/{template_type}/{slug}/toggle_delivery",
            post(toggle_delivery),
        )
}

fn json(template: &Template) -> Json<Value> {
    // The view is plain strings, numbers and lists.
    Json(serde_json::to_value(TemplateJson::new(template)).unwrap_or(Value::Null))
}

/// Templates by position: a bare array (what Clerk's Python client expects), or
/// `{data, total_count}` with `paginated=true`.
async fn list(
    State(state): State<AppState>,
    Path(template_type): Path<String>,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let page = query.page()?;
    let paginated = query.paginated()?;
    let all = message_templates::list(state.services(), &template_type).await?;
    let total = all.len() as i64;
    let items = all
        .iter()
        .skip(usize::try_from(page.offset).unwrap_or(usize::MAX))
        .take(usize::try_from(page.limit).unwrap_or(0))
        .map(TemplateJson::new)
        .collect();
    Ok(respond::list(items, total, paginated))
}

async fn get_one(
    State(state): State<AppState>,
    Path((template_type, slug)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let template = message_templates::get(state.services(), &template_type, &slug).await?;
    Ok(json(&template))
}

const UPDATE_FIELDS: &[&str] = &[
    "name",
    "subject",
    "markup",
    "body",
    "delivered_by_clerk",
    "from_email_name",
    "reply_to_email_name",
];

fn patch(p: Patch<String>) -> Option<Option<String>> {
    match p {
        Patch::Unchanged => None,
        Patch::Null => Some(None),
        Patch::Set(v) => Some(Some(v)),
    }
}

async fn update(
    State(state): State<AppState>,
    Path((template_type, slug)): Path<(String, String)>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(UPDATE_FIELDS)?;
    let change = TemplateUpdate {
        name: body.string("name")?,
        subject: patch(body.patch_string("subject")?),
        markup: patch(body.patch_string("markup")?),
        body: body.string("body")?,
        delivered_by_clerk: body.bool("delivered_by_clerk")?,
        from_email_name: body.string("from_email_name")?,
        reply_to_email_name: body.string("reply_to_email_name")?,
    };
    let template =
        message_templates::update(state.services(), &template_type, &slug, change).await?;
    Ok(json(&template))
}

async fn revert(
    State(state): State<AppState>,
    Path((template_type, slug)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let template = message_templates::revert(state.services(), &template_type, &slug).await?;
    Ok(json(&template))
}

const PREVIEW_FIELDS: &[&str] = &["subject", "body", "from_email_name", "reply_to_email_name"];

async fn preview(
    State(state): State<AppState>,
    Path((template_type, slug)): Path<(String, String)>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(PREVIEW_FIELDS)?;
    let input = PreviewInput {
        subject: patch(body.patch_string("subject")?),
        body: body.string("body")?,
        from_email_name: body.string("from_email_name")?,
        reply_to_email_name: body.string("reply_to_email_name")?,
    };
    let preview = render::preview(state.services(), &template_type, &slug, input).await?;
    Ok(Json(preview))
}

async fn toggle_delivery(
    State(state): State<AppState>,
    Path((template_type, slug)): Path<(String, String)>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(&["delivered_by_clerk"])?;
    let delivered = body.bool("delivered_by_clerk")?;
    let template =
        message_templates::toggle_delivery(state.services(), &template_type, &slug, delivered)
            .await?;
    Ok(json(&template))
}
