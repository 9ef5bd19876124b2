//! The instance: the allowlist and blocklist (their toggles and entries), the JWT templates
//! with a preview of a template's claims for a chosen user, the publishable key and the
//! JWKS, and links to the API keys ([`super::api_keys`]) and machines ([`super::machines`])
//! pages. Changes go through the same domain operations as the Backend API's.

use axum::extract::{Path, Query, State};
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::{CsrfForm, Signed};
use super::render::{DashError, pretty};
use crate::bapi::AppState;
use crate::domain::instance::update_settings;
use crate::domain::{allowlist, blocklist, jwt_templates};
use crate::store::Page;
use crate::wire::{AllowlistIdentifierJson, BlocklistIdentifierJson, JwtTemplateJson};

/// At most this many entries of each list are shown.
const MAX_ROWS: i64 = 500;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard/instance", get(show))
        .route("/dashboard/instance/restrictions", post(restrictions))
        .route("/dashboard/instance/allowlist", post(allow))
        .route(
            "/dashboard/instance/allowlist/{identifier_id}/delete",
            post(unallow),
        )
        .route("/dashboard/instance/blocklist", post(block))
        .route(
            "/dashboard/instance/blocklist/{identifier_id}/delete",
            post(unblock),
        )
}

fn to_value(view: impl serde::Serialize) -> Value {
    serde_json::to_value(view).unwrap_or_default()
}

#[derive(Deserialize, Default)]
struct ShowParams {
    notice: Option<String>,
    template_id: Option<String>,
    user_id: Option<String>,
}

/// `GET /dashboard/instance?template_id=…&user_id=…` (the two choose the preview).
async fn show(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(params): Query<ShowParams>,
) -> Result<Response, DashError> {
    let instance = state.store.instance().await?;
    let all = Page {
        limit: MAX_ROWS,
        offset: 0,
    };
    let (allowed, _) = state.store.list_allowlist(all).await?;
    let (blocked, _) = state.store.list_blocklist(all).await?;
    let (templates, _) = state.store.list_jwt_templates(all).await?;
    let keys = state
        .keys
        .published(&state.store, state.now_ms(), state.settings.key_grace_ms)
        .await?;
    let jwks = json!({ "keys": keys.iter().map(|k| to_value(k.jwk())).collect::<Vec<_>>() });
    let template_id = params.template_id.filter(|t| !t.is_empty());
    let user_id = params
        .user_id
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty());
    let preview = match (&template_id, &user_id) {
        (Some(t), Some(u)) => match jwt_templates::preview(state.services(), t, u).await {
            Ok(claims) => json!({ "claims": pretty(&Value::Object(claims)) }),
            Err(e) => json!({ "error": DashError::from(e).message() }),
        },
        _ => Value::Null,
    };
    let templates: Vec<Value> = templates
        .iter()
        .map(|t| {
            let mut view = to_value(JwtTemplateJson::new(t));
            view["selected"] = json!(template_id.as_deref() == Some(t.id.as_str()));
            view["claims_json"] = json!(pretty(view.get("claims").unwrap_or(&Value::Null)));
            view
        })
        .collect();
    Ok(signed.page("instance").render(
        "instance",
        json!({
            "title": "Instance",
            "instance_id": instance.id,
            "restricted_to_allowlist": instance.settings.restricted_to_allowlist,
            "blocklist_enabled": instance.settings.blocklist,
            "allowlist": allowed.iter().map(|a| to_value(AllowlistIdentifierJson::new(a, &instance.id))).collect::<Vec<_>>(),
            "blocklist": blocked.iter().map(|b| to_value(BlocklistIdentifierJson::new(b, &instance.id))).collect::<Vec<_>>(),
            "templates": templates,
            "preview_user_id": user_id,
            "preview": preview,
            "publishable_key": state.publishable_key,
            "jwks": pretty(&jwks),
            "notice": params.notice,
        }),
    ))
}

/// Back to the instance page with a notice.
fn back(notice: &str) -> Redirect {
    let notice: String = url::form_urlencoded::byte_serialize(notice.as_bytes()).collect();
    Redirect::to(&format!("/dashboard/instance?notice={notice}"))
}

/// `POST /dashboard/instance/restrictions {allowlist?, blocklist?}` (checkboxes: absent is
/// off).
async fn restrictions(
    State(state): State<AppState>,
    form: CsrfForm,
) -> Result<Redirect, DashError> {
    let allowlist = form.get("allowlist").is_some();
    let blocklist = form.get("blocklist").is_some();
    update_settings(state.services(), |s| {
        s.restricted_to_allowlist = allowlist;
        s.blocklist = blocklist;
    })
    .await?;
    Ok(back("Restrictions saved."))
}

/// `POST /dashboard/instance/allowlist {identifier, notify?}`.
async fn allow(State(state): State<AppState>, form: CsrfForm) -> Result<Redirect, DashError> {
    let identifier = form
        .text("identifier")
        .ok_or_else(|| DashError::bad_input("Enter an identifier."))?;
    let notify = form.get("notify").is_some();
    allowlist::add(state.services(), &identifier, notify).await?;
    Ok(back(&format!("{identifier} added to the allowlist.")))
}

/// `POST /dashboard/instance/allowlist/{id}/delete`.
async fn unallow(
    State(state): State<AppState>,
    Path(id): Path<String>,
    _: CsrfForm,
) -> Result<Redirect, DashError> {
    allowlist::remove(state.services(), &id).await?;
    Ok(back("Removed from the allowlist."))
}

/// `POST /dashboard/instance/blocklist {identifier}`.
async fn block(State(state): State<AppState>, form: CsrfForm) -> Result<Redirect, DashError> {
    let identifier = form
        .text("identifier")
        .ok_or_else(|| DashError::bad_input("Enter an identifier."))?;
    blocklist::add(state.services(), &identifier).await?;
    Ok(back(&format!("{identifier} added to the blocklist.")))
}

/// `POST /dashboard/instance/blocklist/{id}/delete`.
async fn unblock(
    State(state): State<AppState>,
    Path(id): Path<String>,
    _: CsrfForm,
) -> Result<Redirect, DashError> {
    blocklist::remove(state.services(), &id).await?;
    Ok(back("Removed from the blocklist."))
}
