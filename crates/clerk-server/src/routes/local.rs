//! Local extensions: endpoints Clerk does not have, under `/v1/_local/` (so SDK escape
//! hatches that prefix `/v1` reach them), behind the same secret key.
//!
//! - `GET /v1/_local/outbox` and `DELETE /v1/_local/outbox`: read and empty the outbox;
//! - `POST /v1/_local/clients/{id}/token`: a client token for `POST /v1/clients/verify`;
//! - `POST /v1/_local/sessions/{id}/tokens`: a session token with chosen claims;
//! - `GET /v1/_local/keys` and `POST /v1/_local/keys/rotate`: signing keys;
//! - `GET /v1/_local/explain/users…`: the database's plans for the users routes' queries.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Serialize;
use serde_json::{Value, json};

use crate::app::AppState;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::keys;
use crate::query::QueryParams;
use crate::routes::sessions::{find, standard_claims, token_lifetime};
use crate::routes::users;
use crate::store::Dialect;
use crate::store::outbox::{MessageKind, OutboxFilters};
use crate::store::sql::QueryPlan;
use crate::version::ApiVersion;
use crate::wire::TokenJson;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/_local/outbox", get(outbox).delete(clear_outbox))
        .route("/_local/clients/{client_id}/token", post(client_token))
        .route("/_local/sessions/{session_id}/tokens", post(session_token))
        .route("/_local/keys", get(list_keys))
        .route("/_local/keys/rotate", post(rotate_keys))
        .route("/_local/explain/users", get(explain_list_users))
        .route("/_local/explain/users/count", get(explain_count_users))
        .route("/_local/explain/users/{user_id}", get(explain_user))
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
    let deleted = state.store.clear_messages().await?;
    Ok(Json(
        json!({ "object": "outbox", "deleted_count": deleted }),
    ))
}

/// `POST /v1/_local/clients/{id}/token {expires_in_seconds?}`: `{"object":"token","jwt"}`,
/// an RS256 JWT signed by the instance key with claims `id` (the client id),
/// `rotating_token`, `iss`, `iat` and `exp` (default lifetime: the configured client token
/// lifetime). `POST /v1/clients/verify` accepts it while it is unexpired and its key is
/// published.
async fn client_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<TokenJson>, ApiError> {
    body.allow_only(&["expires_in_seconds"])?;
    let lifetime = match body.i64("expires_in_seconds")? {
        None => state.settings.client_token_lifetime_s,
        Some(s) if s > 0 => s,
        Some(_) => {
            return Err(ApiError::param_value_invalid(
                "expires_in_seconds",
                "expires_in_seconds must be positive.",
            ));
        }
    };
    if state.store.client(&id).await?.is_none() {
        return Err(ApiError::not_found("client", &id));
    }
    let claims = keys::client_claims(&id, &state.issuer, state.now_ms(), lifetime);
    let key = state.keys.signing_key(&state.store).await?;
    Ok(Json(TokenJson::new(key.sign(&claims))))
}

/// `POST /v1/_local/sessions/{id}/tokens {claims?, expires_in_seconds?}`: a session token
/// for any session (whatever its status, so tests can build tokens for revoked sessions),
/// starting from the standard claims of the request's API version; each entry of `claims`
/// replaces a claim (`azp`, `iss`, `exp`, `nbf`, `org_id`, `o`, `act`, `sts`, …) and a
/// `null` removes it. Signed by the current signing key.
async fn session_token(
    State(state): State<AppState>,
    Extension(version): Extension<ApiVersion>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<TokenJson>, ApiError> {
    body.allow_only(&["claims", "expires_in_seconds"])?;
    let lifetime = token_lifetime(&state, &body)?;
    let overrides = body.object("claims")?.unwrap_or_default();
    let session = find(&state, &id).await?;
    let mut claims = standard_claims(&state, &session, version, lifetime);
    for (name, value) in overrides {
        if value.is_null() {
            claims.remove(&name);
        } else {
            claims.insert(name, value);
        }
    }
    let key = state.keys.signing_key(&state.store).await?;
    Ok(Json(TokenJson::new(key.sign(&claims))))
}

#[derive(Serialize)]
struct KeyJson {
    object: &'static str,
    kid: String,
    status: &'static str,
    public_key_pem: String,
    created_at: i64,
    retired_at: Option<i64>,
    published_until: Option<i64>,
}

/// `GET /v1/_local/keys`: every signing key, newest first, with `status` `active` (signs),
/// `retired` (still in the JWKS until `published_until`) or `expired` (gone from it), and
/// its `public_key_pem` (for verifiers configured with a PEM, like `CLERK_JWT_KEY`).
async fn list_keys(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let now = state.now_ms();
    let grace = state.settings.key_grace_ms;
    let mut keys = Vec::new();
    for stored in state.store.signing_keys().await? {
        let published_until = stored.retired_at.map(|r| r.saturating_add(grace));
        let status = match published_until {
            None => "active",
            Some(until) if now < until => "retired",
            Some(_) => "expired",
        };
        keys.push(KeyJson {
            object: "signing_key",
            public_key_pem: state.keys.load(&stored)?.public_key_pem(),
            kid: stored.kid,
            status,
            created_at: stored.created_at,
            retired_at: stored.retired_at,
            published_until,
        });
    }
    Ok(Json(json!({ "data": keys, "total_count": keys.len() })))
}

/// `POST /v1/_local/keys/rotate`: a new signing key signs from now on; the previous one
/// stays in the JWKS for the grace period. Answers
/// `{"object":"signing_key_rotation","kid":<new>,"retired":[<old kids>]}`.
async fn rotate_keys(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(&[])?;
    let rotation = state.keys.rotate(&state.store, state.now_ms()).await?;
    tracing::info!(kid = rotation.key.kid(), "signing key rotated");
    Ok(Json(json!({
        "object": "signing_key_rotation",
        "kid": rotation.key.kid(),
        "retired": rotation.retired,
    })))
}

/// `{"object":"query_plans","backend":"sqlite"|"postgres","data":[{"purpose","sql","plan"}]}`.
fn plans_json(state: &AppState, plans: Vec<QueryPlan>) -> Json<Value> {
    let backend = match state.store.dialect() {
        Dialect::Sqlite => "sqlite",
        Dialect::Postgres => "postgres",
    };
    Json(json!({ "object": "query_plans", "backend": backend, "data": plans }))
}

/// `GET /v1/_local/explain/users?<the parameters of GET /v1/users>`: the plans of the
/// statements that list would run (the `starting_after` lookup, the page, and the page's
/// identifications), validated like the list itself.
async fn explain_list_users(
    State(state): State<AppState>,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    let plans = state
        .store
        .explain_list_users(&users::list_query(&query)?)
        .await?;
    Ok(plans_json(&state, plans))
}

/// `GET /v1/_local/explain/users/count?<filters>`: the plan of `GET /v1/users/count`.
async fn explain_count_users(
    State(state): State<AppState>,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    let plans = state
        .store
        .explain_count_users(&users::filters(&query)?)
        .await?;
    Ok(plans_json(&state, plans))
}

/// `GET /v1/_local/explain/users/{id}`: the plans of `GET /v1/users/{id}`.
async fn explain_user(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let plans = state.store.explain_user(&id).await?;
    Ok(plans_json(&state, plans))
}
