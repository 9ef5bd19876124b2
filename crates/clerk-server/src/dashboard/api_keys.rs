//! API keys, a page of the instance: every subject's keys (revoked and expired ones too,
//! marked), newest first, paged, optionally of one subject; a key's secret revealed by a
//! CSRF-checked POST (never on the list page, never in a URL); a key created (its secret
//! shown once, on the answer) and revoked, through the same domain operations as
//! `/v1/api_keys`.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::{CsrfForm, Signed};
use super::render::{DashError, Revealed, paging, query_string, reveal};
use crate::bapi::AppState;
use crate::domain::api_keys::{self, NewApiKey};
use crate::store::Page;
use crate::store::api_keys::ApiKeyListQuery;
use crate::wire::ApiKeyJson;

/// Rows per page.
const PAGE: i64 = 25;

/// The list page.
const LIST: &str = "/dashboard/instance/api_keys";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(LIST, get(list).post(create))
        .route(
            "/dashboard/instance/api_keys/{api_key_id}/secret",
            post(secret),
        )
        .route(
            "/dashboard/instance/api_keys/{api_key_id}/revoke",
            post(revoke),
        )
}

#[derive(Deserialize, Default)]
struct ListParams {
    subject: Option<String>,
    offset: Option<i64>,
    notice: Option<String>,
}

/// Where a key stands at `now`: `revoked`, `expired` or `active`.
fn status(view: &Value) -> &'static str {
    if view["revoked"] == json!(true) {
        "revoked"
    } else if view["expired"] == json!(true) {
        "expired"
    } else {
        "active"
    }
}

/// `GET /dashboard/instance/api_keys?subject=…&offset=…`.
async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(params): Query<ListParams>,
) -> Result<Response, DashError> {
    let subject = params
        .subject
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    let offset = params.offset.unwrap_or(0).max(0);
    let now = state.now_ms();
    let (keys, total) = state
        .store
        .list_api_keys(&ApiKeyListQuery {
            subject: subject.clone(),
            kind: None,
            include_invalid: true,
            query: None,
            now,
            page: Page {
                limit: PAGE,
                offset,
            },
        })
        .await?;
    let keys: Vec<Value> = keys
        .iter()
        .map(|k| {
            let mut view = serde_json::to_value(ApiKeyJson::new(k, now)).unwrap_or_default();
            view["status"] = json!(status(&view));
            view["subject_link"] = json!(if k.subject.starts_with("org_") {
                format!("/dashboard/organizations/{}", k.subject)
            } else {
                format!("/dashboard/users/{}", k.subject)
            });
            view
        })
        .collect();
    Ok(signed.page("instance").render(
        "api_keys",
        json!({
            "title": "API keys",
            "keys": keys,
            "subject": subject,
            "paging": paging(offset, PAGE, total),
            "base": subject.as_deref().map(|s| query_string(&[("subject", s)])),
            "notice": params.notice,
        }),
    ))
}

/// Back to the list with a notice.
fn back(notice: &str) -> Redirect {
    let notice: String = url::form_urlencoded::byte_serialize(notice.as_bytes()).collect();
    Redirect::to(&format!("{LIST}?notice={notice}"))
}

/// `POST /dashboard/instance/api_keys {name, subject, scopes?, seconds_until_expiration?}`:
/// the new key's secret, shown once on the answer.
async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: CsrfForm,
) -> Result<Response, DashError> {
    let name = form
        .text("name")
        .ok_or_else(|| DashError::bad_input("Enter a name."))?;
    let subject = form
        .text("subject")
        .ok_or_else(|| DashError::bad_input("Enter the subject: a user or organization ID."))?;
    let scopes = form
        .get("scopes")
        .unwrap_or_default()
        .split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let seconds_until_expiration = form
        .text("seconds_until_expiration")
        .map(|s| {
            s.parse::<i64>().map_err(|_| {
                DashError::bad_input("The lifetime is a whole number of seconds (or empty).")
            })
        })
        .transpose()?;
    let (record, secret) = api_keys::create(
        state.services(),
        NewApiKey {
            name,
            subject,
            scopes,
            seconds_until_expiration,
            ..NewApiKey::default()
        },
    )
    .await?;
    Ok(reveal(
        &form.signed,
        &headers,
        &Revealed {
            heading: format!("API key {} created", record.name),
            label: "Secret",
            id: &record.id,
            secret: secret.expose(),
            note: "Copy it now; it can be revealed again from the list of API keys.",
            back: LIST,
        },
    ))
}

/// `POST /dashboard/instance/api_keys/{id}/secret`: the key's secret (the domain's, as
/// `GET /v1/api_keys/{id}/secret`).
async fn secret(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    form: CsrfForm,
) -> Result<Response, DashError> {
    let record = state.store.api_key(&id).await?;
    let secret = api_keys::secret(state.services(), &id).await?;
    Ok(reveal(
        &form.signed,
        &headers,
        &Revealed {
            heading: format!("Secret of the API key {}", record.name),
            label: &format!("Secret of {}", record.name),
            id: &record.id,
            secret: secret.expose(),
            note: "",
            back: LIST,
        },
    ))
}

/// `POST /dashboard/instance/api_keys/{id}/revoke {revocation_reason?}`.
async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Redirect, DashError> {
    let record = api_keys::revoke(state.services(), &id, form.text("revocation_reason")).await?;
    Ok(back(&format!("API key {} revoked.", record.name)))
}
