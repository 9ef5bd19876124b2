//! `PUT`/`DELETE /v1/organizations/{id}/logo`, and `GET /images/{id}` (outside `/v1`,
//! without authentication) where uploaded logos are served.
//!
//! The upload is `multipart/form-data` with a `file` part (Clerk's clients name the part
//! `file`) and an optional `uploader_user_id` part. The image type is read from the bytes;
//! JPEG, PNG, GIF and WebP up to 10 MB are accepted, as Clerk accepts them.

use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::{Json, Router};

use crate::bapi::AppState;
use crate::bapi::body::read_limited;
use crate::bapi::errors::ApiError;
use crate::domain::organizations::logo::{self, MAX_LOGO_BYTES};
use crate::wire::OrganizationJson;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route(
        "/organizations/{organization_id}/logo",
        put(upload).delete(remove),
    )
}

/// What a multipart body may carry besides the image (boundaries, headers, the uploader).
const MULTIPART_OVERHEAD_BYTES: usize = 64 * 1024;

/// The parts of an upload.
struct Upload {
    file: Option<(Bytes, Option<String>)>,
    uploader_user_id: Option<String>,
}

/// Reads the `file` and `uploader_user_id` parts; other parts are ignored.
async fn parts(body: Bytes, boundary: String) -> Result<Upload, ApiError> {
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut upload = Upload {
        file: None,
        uploader_user_id: None,
    };
    let broken =
        |e: multer::Error| ApiError::body_invalid(&format!("the multipart body is broken ({e})"));
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        match field.name() {
            Some("file") => {
                let declared = field.content_type().map(|m| m.essence_str().to_owned());
                upload.file = Some((field.bytes().await.map_err(broken)?, declared));
            }
            Some("uploader_user_id") => {
                let text = field.text().await.map_err(broken)?;
                upload.uploader_user_id = Some(text).filter(|t| !t.is_empty());
            }
            _ => {}
        }
    }
    Ok(upload)
}

async fn upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Result<Json<OrganizationJson>, ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let Ok(boundary) = multer::parse_boundary(&content_type) else {
        return Err(ApiError::from(logo::missing_file()));
    };
    let body = read_limited(req, &state, MAX_LOGO_BYTES + MULTIPART_OVERHEAD_BYTES).await?;
    let upload = parts(body, boundary).await?;
    let Some((bytes, declared)) = upload.file else {
        return Err(ApiError::from(logo::missing_file()));
    };
    let record = logo::upload(
        state.services(),
        &id,
        bytes.to_vec(),
        declared.as_deref(),
        upload.uploader_user_id,
    )
    .await?;
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
