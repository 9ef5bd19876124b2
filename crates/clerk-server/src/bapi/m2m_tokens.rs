//! `/m2m_tokens`: create, list, revoke, verify. Served with and without `/v1` (Clerk's JS
//! client calls them unprefixed) and authenticated by a machine's secret key or the
//! instance's ([`super::auth::authenticate_machine_or_instance`]); the domain decides what
//! each may reach ([`crate::domain::m2m_tokens`]).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Serialize;

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::domain::m2m_tokens::{self, Caller, NewToken, TokenFormat};
use crate::store::Page;
use crate::wire::M2mTokenJson;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/m2m_tokens", get(list).post(create))
        .route("/m2m_tokens/verify", post(verify))
        .route("/m2m_tokens/{m2m_token_id}/revoke", post(revoke))
}

/// The largest page the spec allows for this list.
const MAX_LIMIT: i64 = 100;

/// 201, as both the spec and Clerk's Python client (which accepts nothing else) say.
async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let Caller::Machine(machine_id) = caller else {
        let text = "Creating an M2M token needs a machine secret key (ak_…) as the Bearer token.";
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "clerk_key_invalid",
            "Machine secret key required",
            text,
        ));
    };
    body.allow_only(&[
        "token_format",
        "seconds_until_expiration",
        "claims",
        "min_remaining_ttl_seconds",
    ])?;
    let format = match body.string("token_format")?.as_deref() {
        None | Some("opaque") => TokenFormat::Opaque,
        Some("jwt") => TokenFormat::Jwt,
        Some(other) => {
            return Err(ApiError::param_value_invalid(
                "token_format",
                format!("{other} is not a token format; use opaque or jwt."),
            ));
        }
    };
    let input = NewToken {
        format,
        seconds_until_expiration: body.f64("seconds_until_expiration")?,
        claims: body.value("claims").cloned(),
        min_remaining_ttl_seconds: body.i64("min_remaining_ttl_seconds")?,
    };
    let (token, secret) = m2m_tokens::create(state.services(), &machine_id, input).await?;
    let view = M2mTokenJson::new(&token, state.services().now_ms()).with_token(secret.expose());
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

#[derive(Serialize)]
struct TokenList<'a> {
    m2m_tokens: Vec<M2mTokenJson<'a>>,
    total_count: i64,
}

/// `{m2m_tokens, total_count}`, the shape the spec gives (Clerk's Python client requires
/// it). `revoked=true` and `expired=true` list revoked and expired tokens too.
async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let page = query.page()?;
    if page.limit > MAX_LIMIT {
        return Err(ApiError::param_value_invalid(
            "limit",
            format!(
                "limit must be between 1 and {MAX_LIMIT}, got {}.",
                page.limit
            ),
        ));
    }
    let include_revoked = query.bool("revoked")?.unwrap_or(false);
    let include_expired = query.bool("expired")?.unwrap_or(false);
    let (tokens, total) = m2m_tokens::list(
        state.services(),
        &caller,
        query.string("subject"),
        include_revoked,
        include_expired,
        Page {
            limit: page.limit,
            offset: page.offset,
        },
    )
    .await?;
    let now = state.services().now_ms();
    Ok(Json(TokenList {
        m2m_tokens: tokens.iter().map(|t| M2mTokenJson::new(t, now)).collect(),
        total_count: total,
    })
    .into_response())
}

async fn revoke(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    body.allow_only(&["revocation_reason"])?;
    let reason = body.string("revocation_reason")?;
    let token = m2m_tokens::revoke(state.services(), &caller, &id, reason).await?;
    let now = state.services().now_ms();
    Ok(Json(M2mTokenJson::new(&token, now)).into_response())
}

/// `{"token": …}` as the spec has it, or `{"secret": …}` as Clerk's Python `verify_token`
/// helper posts it.
async fn verify(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    body.allow_only(&["token", "secret"])?;
    let token = match (body.string("token")?, body.string("secret")?) {
        (Some(token), _) | (None, Some(token)) => token,
        (None, None) => return Err(ApiError::param_missing("token")),
    };
    let verified = m2m_tokens::verify(state.services(), &caller, token.trim()).await?;
    let now = state.services().now_ms();
    Ok(Json(M2mTokenJson::new(&verified, now)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_shape_is_the_specs() {
        let list = TokenList {
            m2m_tokens: Vec::new(),
            total_count: 0,
        };
        let json = serde_json::to_value(list).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"m2m_tokens": [], "total_count": 0})
        );
    }
}
