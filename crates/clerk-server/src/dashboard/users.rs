//! Users: the list (the API's `query` search, newest first, paged), a user's page
//! (identifications, sessions, organization memberships, metadata with an edit form), and
//! what can be done to a user: ban, lock, delete (after a confirmation page), mint a
//! session token for an active session, impersonate (an actor token). Every change is a
//! domain operation, so the same webhook events go out as through the Backend API.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use base64::Engine;
use clerk_core::Patch;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::auth::{CsrfForm, Signed};
use super::render::{DashError, paging, pretty, query_string};
use crate::bapi::AppState;
use crate::domain::tickets::{self, NewActorToken};
use crate::domain::tokens;
use crate::domain::users::{self, MetadataChange, MetadataMode};
use crate::store::Page;
use crate::store::organizations::memberships::{MembershipFilters, MembershipListQuery};
use crate::store::sessions::SessionFilters;
use crate::store::sql::Sort;
use crate::store::users::list::{UserFilters, UserListQuery, UserOrder};
use crate::wire::{MembershipJson, SessionJson, TicketJson, UserJson};

/// Rows per page of the users list.
const PAGE: i64 = 20;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard/users", get(list))
        .route("/dashboard/users/{user_id}", get(show))
        .route("/dashboard/users/{user_id}/metadata", post(metadata))
        .route("/dashboard/users/{user_id}/ban", post(ban))
        .route("/dashboard/users/{user_id}/unban", post(unban))
        .route("/dashboard/users/{user_id}/lock", post(lock))
        .route("/dashboard/users/{user_id}/unlock", post(unlock))
        .route(
            "/dashboard/users/{user_id}/delete",
            get(confirm_delete).post(delete),
        )
        .route(
            "/dashboard/users/{user_id}/session_token",
            post(session_token),
        )
        .route("/dashboard/users/{user_id}/impersonate", post(impersonate))
}

#[derive(Deserialize, Default)]
pub(super) struct ListParams {
    query: Option<String>,
    offset: Option<i64>,
    notice: Option<String>,
}

/// `GET /dashboard/users?query=…&offset=…`.
async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(params): Query<ListParams>,
) -> Result<Response, DashError> {
    let query = params.query.filter(|q| !q.trim().is_empty());
    let offset = params.offset.unwrap_or(0).max(0);
    let filters = UserFilters {
        query: query.clone(),
        ..UserFilters::default()
    };
    let total = state.store.count_users(&filters).await?;
    let found = state
        .store
        .list_users(&UserListQuery {
            filters,
            order: UserOrder::default(),
            page: Page {
                limit: PAGE,
                offset,
            },
            starting_after: None,
        })
        .await?;
    let ctx = state.user_context();
    let rows: Vec<Value> = found
        .into_iter()
        .map(|u| serde_json::to_value(UserJson::new(u, ctx.clone())).unwrap_or_default())
        .map(summary)
        .collect();
    Ok(signed.page("users").render(
        "users",
        json!({
            "title": "Users",
            "base": query.as_deref().map(|q| query_string(&[("query", q)])),
            "query": query,
            "users": rows,
            "paging": paging(offset, PAGE, total),
            "notice": params.notice,
        }),
    ))
}

/// A user's view with what the list and the page show at a glance.
fn summary(mut user: Value) -> Value {
    let primary = |list: &str, primary_key: &str, field: &str| -> Option<Value> {
        let id = user.get(primary_key)?.as_str()?.to_owned();
        user.get(list)?
            .as_array()?
            .iter()
            .find(|e| e.get("id").and_then(Value::as_str) == Some(id.as_str()))
            .and_then(|e| e.get(field).cloned())
    };
    let email = primary(
        "email_addresses",
        "primary_email_address_id",
        "email_address",
    );
    let phone = primary("phone_numbers", "primary_phone_number_id", "phone_number");
    let name = [user.get("first_name"), user.get("last_name")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(map) = user.as_object_mut() {
        map.insert("primary_email".into(), email.unwrap_or(Value::Null));
        map.insert("primary_phone".into(), phone.unwrap_or(Value::Null));
        map.insert("full_name".into(), Value::String(name));
    }
    user
}

/// The user `id` as its wire view, or a 404 page.
async fn user_view(state: &AppState, id: &str) -> Result<Value, DashError> {
    let user = state.store.user(id).await?.ok_or_else(|| {
        DashError::new(
            StatusCode::NOT_FOUND,
            format!("No user was found with id {id}."),
        )
    })?;
    Ok(summary(
        serde_json::to_value(UserJson::new(user, state.user_context())).unwrap_or_default(),
    ))
}

#[derive(Deserialize, Default)]
struct ShowParams {
    notice: Option<String>,
}

/// `GET /dashboard/users/{id}`.
async fn show(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
    Query(params): Query<ShowParams>,
) -> Result<Response, DashError> {
    let user = user_view(&state, &id).await?;
    let now = state.now_ms();
    let (sessions, _) = state
        .store
        .list_sessions(
            &SessionFilters {
                user_id: Some(id.clone()),
                ..SessionFilters::default()
            },
            Page {
                limit: 50,
                offset: 0,
            },
            now,
        )
        .await?;
    let sessions: Vec<Value> = sessions
        .iter()
        .map(|s| serde_json::to_value(SessionJson::new(s, now)).unwrap_or_default())
        .collect();
    let (memberships, _) = state
        .store
        .list_memberships(&MembershipListQuery {
            filters: MembershipFilters {
                user_id: Some(id.clone()),
                ..MembershipFilters::default()
            },
            sort: Sort::NEWEST_FIRST,
            page: Page {
                limit: 100,
                offset: 0,
            },
        })
        .await?;
    let memberships: Vec<Value> = memberships
        .iter()
        .map(|m| serde_json::to_value(MembershipJson::new(m, &state.issuer)).unwrap_or_default())
        .collect();
    let metadata = |key: &str| pretty(user.get(key).unwrap_or(&Value::Object(Map::new())));
    Ok(signed.page("users").render(
        "user",
        json!({
            "title": format!("User {id}"),
            "user": user,
            "sessions": sessions,
            "memberships": memberships,
            "public_metadata": metadata("public_metadata"),
            "private_metadata": metadata("private_metadata"),
            "unsafe_metadata": metadata("unsafe_metadata"),
            "notice": params.notice,
        }),
    ))
}

/// Back to the user's page with a notice.
fn back(id: &str, notice: &str) -> Redirect {
    let notice: String = url::form_urlencoded::byte_serialize(notice.as_bytes()).collect();
    Redirect::to(&format!("/dashboard/users/{id}?notice={notice}"))
}

/// `POST /dashboard/users/{id}/metadata`: replaces the three metadata objects with the
/// form's JSON (each must be an object; an empty field is `{}`).
async fn metadata(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Redirect, DashError> {
    let field = |name: &str| -> Result<Patch<Map<String, Value>>, DashError> {
        let Some(raw) = form.get(name) else {
            return Ok(Patch::Unchanged);
        };
        if raw.trim().is_empty() {
            return Ok(Patch::Set(Map::new()));
        }
        match serde_json::from_str::<Value>(raw) {
            Ok(Value::Object(map)) => Ok(Patch::Set(map)),
            Ok(_) => Err(DashError::bad_input(format!(
                "{name} must be a JSON object."
            ))),
            Err(e) => Err(DashError::bad_input(format!(
                "{name} is not valid JSON: {e}."
            ))),
        }
    };
    let change = MetadataChange {
        public: field("public_metadata")?,
        private: field("private_metadata")?,
        unsafe_: field("unsafe_metadata")?,
    };
    users::update_metadata(state.services(), &id, &change, MetadataMode::Replace).await?;
    Ok(back(&id, "Metadata saved."))
}

async fn ban(state: State<AppState>, id: Path<String>, _: CsrfForm) -> Result<Redirect, DashError> {
    users::set_banned(state.services(), &id, true).await?;
    Ok(back(&id, "The user is banned."))
}

async fn unban(
    state: State<AppState>,
    id: Path<String>,
    _: CsrfForm,
) -> Result<Redirect, DashError> {
    users::set_banned(state.services(), &id, false).await?;
    Ok(back(&id, "The user is no longer banned."))
}

async fn lock(
    state: State<AppState>,
    id: Path<String>,
    _: CsrfForm,
) -> Result<Redirect, DashError> {
    users::set_locked(state.services(), &id, true).await?;
    Ok(back(&id, "The user is locked."))
}

async fn unlock(
    state: State<AppState>,
    id: Path<String>,
    _: CsrfForm,
) -> Result<Redirect, DashError> {
    users::set_locked(state.services(), &id, false).await?;
    Ok(back(&id, "The user is unlocked."))
}

/// `GET /dashboard/users/{id}/delete`: the confirmation step.
async fn confirm_delete(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Path(id): Path<String>,
) -> Result<Response, DashError> {
    let user = user_view(&state, &id).await?;
    Ok(signed.page("users").render(
        "user_delete",
        json!({ "title": "Delete user", "user": user }),
    ))
}

/// `POST /dashboard/users/{id}/delete` (from the confirmation page).
async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    _: CsrfForm,
) -> Result<Redirect, DashError> {
    if !users::delete(state.services(), &id).await? {
        return Err(DashError::new(
            StatusCode::NOT_FOUND,
            format!("No user was found with id {id}."),
        ));
    }
    let notice: String =
        url::form_urlencoded::byte_serialize(format!("User {id} deleted.").as_bytes()).collect();
    Ok(Redirect::to(&format!("/dashboard/users?notice={notice}")))
}

/// `POST /dashboard/users/{id}/session_token {session_id}`: a session token for one of the
/// user's active sessions, shown with its decoded claims.
async fn session_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Response, DashError> {
    let session_id = form
        .text("session_id")
        .ok_or_else(|| DashError::bad_input("Choose a session."))?;
    let session = state
        .store
        .session(&session_id)
        .await?
        .filter(|s| s.user_id == id)
        .ok_or_else(|| {
            DashError::new(
                StatusCode::NOT_FOUND,
                format!("No session was found with id {session_id}."),
            )
        })?;
    if session.status(state.now_ms()) != "active" {
        return Err(DashError::bad_input(format!(
            "Session {session_id} is {}: tokens are only minted for active sessions.",
            session.status(state.now_ms())
        )));
    }
    let lifetime = state.settings.session_token_lifetime_s;
    let jwt = tokens::session_token(state.services(), &session, true, lifetime, Map::new()).await?;
    Ok(form.signed.page("users").render(
        "token",
        json!({
            "title": "Session token",
            "heading": format!("Session token for {session_id}"),
            "user_id": id,
            "token": jwt,
            "claims": pretty(&decode_claims(&jwt)),
        }),
    ))
}

/// `POST /dashboard/users/{id}/impersonate`: an actor token (the actor is this dashboard),
/// shown with its sign-in link and decoded claims.
async fn impersonate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Response, DashError> {
    let ticket = tickets::create_actor_token(
        state.services(),
        NewActorToken {
            user_id: id.clone(),
            actor: json!({ "sub": "dashboard" }),
            expires_in_s: tickets::ACTOR_TOKEN_DEFAULT_S,
            session_max_duration_s: tickets::ACTOR_SESSION_DEFAULT_S,
        },
    )
    .await?;
    let view = serde_json::to_value(TicketJson::new(&ticket, &state.services().issuer))
        .unwrap_or_default();
    Ok(form.signed.page("users").render(
        "token",
        json!({
            "title": "Actor token",
            "heading": format!("Actor token to impersonate {id}"),
            "user_id": id,
            "token": ticket.token,
            "url": view.get("url"),
            "claims": pretty(&decode_claims(&ticket.token)),
        }),
    ))
}

/// The claims of a JWT, read without checking its signature (it was just minted here).
pub(super) fn decode_claims(jwt: &str) -> Value {
    jwt.split('.')
        .nth(1)
        .and_then(|payload| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload)
                .ok()
        })
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or(Value::Null)
}
