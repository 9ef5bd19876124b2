//! Domains (`/v1/domains`), proxy checks (`POST /v1/proxy_checks`) and the production
//! domain changes (`POST /v1/instance/change_domain`, `PUT /v1/beta_features/domain`).
//!
//! This server is a development instance: its primary domain is its own URL, satellites
//! are stored, and what only a production instance can do (a proxy, a production domain)
//! is refused with 400 `development_instance_unsupported` after the body is checked.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, put};
use axum::{Json, Router};
use serde::Serialize;

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::domain::domains::{self, DomainChange, NewDomain};
use crate::wire::{DeletedObject, DomainJson};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/domains", get(list).post(create))
        .route("/domains/{domain_id}", patch(update).delete(remove))
        .route("/proxy_checks", post(proxy_check))
        .route("/instance/change_domain", post(change_domain))
        .route("/beta_features/domain", put(change_domain))
}

/// The primary domain's id and name, and the development origin, for this request.
struct Primary {
    id: String,
    name: String,
    origin: String,
}

async fn primary(state: &AppState) -> Result<Primary, ApiError> {
    let instance = state.store.instance().await?;
    Ok(Primary {
        id: domains::primary_id(&instance.id),
        name: domains::primary_name(&state.issuer),
        origin: instance.settings.development_origin.unwrap_or_default(),
    })
}

/// `{data, total_count}`.
#[derive(Serialize)]
struct DomainList {
    data: Vec<DomainJson>,
    total_count: usize,
}

/// `GET /v1/domains`: the primary domain, then the satellites, oldest first.
async fn list(State(state): State<AppState>) -> Result<Json<DomainList>, ApiError> {
    let p = primary(&state).await?;
    let mut data = vec![DomainJson::primary(p.id, p.name, &state.issuer, &p.origin)];
    for domain in state.store.satellite_domains().await? {
        data.push(DomainJson::satellite(&domain, &state.issuer, &p.origin));
    }
    Ok(Json(DomainList {
        total_count: data.len(),
        data,
    }))
}

/// `POST /v1/domains {name, is_satellite: true, proxy_url?}`.
async fn create(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<DomainJson>, ApiError> {
    body.allow_only(&["name", "is_satellite", "proxy_url"])?;
    let name = body.required_string("name")?;
    let is_satellite = body
        .bool("is_satellite")?
        .ok_or_else(|| ApiError::param_missing("is_satellite"))?;
    let proxy_url = body.string("proxy_url")?;
    let p = primary(&state).await?;
    let new = NewDomain {
        name,
        is_satellite,
        proxy_url,
    };
    let domain = domains::create(state.services(), &p.name, new).await?;
    Ok(Json(DomainJson::satellite(
        &domain,
        &state.issuer,
        &p.origin,
    )))
}

/// `PATCH /v1/domains/{id} {name?, proxy_url?, is_secondary?}`. `is_secondary` is accepted
/// and has no effect: it matters for production domains only.
async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<DomainJson>, ApiError> {
    body.allow_only(&["name", "proxy_url", "is_secondary"])?;
    body.bool("is_secondary")?;
    let change = DomainChange {
        name: body.string("name")?,
        proxy_url: body.patch_string("proxy_url")?,
    };
    let p = primary(&state).await?;
    let updated = domains::update(state.services(), (&p.id, &p.name), &id, change).await?;
    Ok(Json(match updated {
        Some(domain) => DomainJson::satellite(&domain, &state.issuer, &p.origin),
        None => DomainJson::primary(p.id, p.name, &state.issuer, &p.origin),
    }))
}

/// `DELETE /v1/domains/{id}`: satellites only.
async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let p = primary(&state).await?;
    domains::delete(state.services(), &p.id, &id).await?;
    Ok(Json(DeletedObject::new("domain", &id)).into_response())
}

/// 400 for what only a production instance can do.
fn development_only(what: &str) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "development_instance_unsupported",
        "not supported on development instances",
        format!(
            "{what} is only available for production instances; this is a development instance."
        ),
    )
}

/// `POST /v1/proxy_checks {domain_id, proxy_url}`: the domain must be one of the
/// instance's (422 naming `domain_id` otherwise); proxies are for production instances, so
/// a well-formed check is answered 400.
async fn proxy_check(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<StatusCode, ApiError> {
    body.allow_only(&["domain_id", "proxy_url"])?;
    let domain_id = body.required_string("domain_id")?;
    let proxy_url = body.required_string("proxy_url")?;
    if !proxy_url.starts_with("https://") {
        return Err(ApiError::param_format_invalid(
            "proxy_url",
            "proxy_url must be an absolute https URL, e.g. https://example.com/__clerk.",
        ));
    }
    let p = primary(&state).await?;
    if domain_id != p.id && state.store.satellite_domain(&domain_id).await?.is_none() {
        return Err(ApiError::param_value_invalid(
            "domain_id",
            format!(
                "domain_id must be the id of one of the instance's domains; none has id {domain_id}."
            ),
        ));
    }
    Err(development_only("A proxy"))
}

/// `POST /v1/instance/change_domain` and `PUT /v1/beta_features/domain`
/// `{home_url, is_secondary?}`: a production instance's domain change; refused (400) on
/// this development instance once the body is checked.
async fn change_domain(body: JsonBody) -> Result<StatusCode, ApiError> {
    body.allow_only(&["home_url", "is_secondary"])?;
    let home_url = body.required_string("home_url")?;
    body.bool("is_secondary")?;
    let valid = home_url
        .split_once("://")
        .is_some_and(|(scheme, rest)| matches!(scheme, "http" | "https") && !rest.is_empty());
    if !valid {
        return Err(ApiError::param_format_invalid(
            "home_url",
            "home_url must be an absolute URL, e.g. https://www.example.com.",
        ));
    }
    Err(development_only("Changing the production domain"))
}
