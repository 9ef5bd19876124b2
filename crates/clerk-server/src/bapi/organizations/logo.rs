//! `PUT`/`DELETE /v1/organizations/{id}/logo`, and `GET /images/{id}` (outside `/v1`,
//! without authentication) where uploaded images are served.
//!
//! Uploads are read by `bapi::uploads`; users' profile images are served here too.

use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::{Json, Router};

use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::bapi::uploads::read_upload;
use crate::domain::organizations::logo;
use crate::wire::OrganizationJson;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route(
        "/organizations/{organization_id}/logo",
        put(upload).delete(remove),
    )
}

async fn upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Result<Json<OrganizationJson>, ApiError> {
    let upload = read_upload(req, &state).await?;
    let record = logo::upload(state.services(), &id, upload).await?;
    Ok(Json(OrganizationJson::new(&record, &state.issuer)))
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<OrganizationJson>, ApiError> {
    let record = logo::delete(state.services(), &id).await?;
    Ok(Json(OrganizationJson::new(&record, &state.issuer)))
}

/// The placeholder of everything without an uploaded image: a grey disc.
const DEFAULT_IMAGE: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"128\" \
    height=\"128\" viewBox=\"0 0 128 128\"><circle cx=\"64\" cy=\"64\" r=\"64\" \
    fill=\"#c7c9d1\"/></svg>";

/// `GET /images/{id}`: an uploaded image, or `default`, the placeholder. Public, like
/// Clerk's image host; ids are unguessable.
pub(crate) async fn serve(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (content_type, bytes) = if id == "default" {
        (
            "image/svg+xml".to_owned(),
            Bytes::from_static(DEFAULT_IMAGE.as_bytes()),
        )
    } else {
        let image = state
            .store
            .image(&id)
            .await?
            .ok_or_else(|| ApiError::not_found("image", &id))?;
        (image.content_type, Bytes::from(image.bytes))
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // An image id never names other bytes.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}
