//! Image uploads (`PUT /v1/organizations/{id}/logo`, `POST /v1/users/{id}/profile_image`):
//! a `multipart/form-data` body with a `file` part (Clerk's clients name the part `file`)
//! and an optional `uploader_user_id` part; other parts are ignored. What the file must be
//! is decided in `domain::images`.

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::header;

use crate::bapi::AppState;
use crate::bapi::body::read_limited;
use crate::bapi::errors::ApiError;
use crate::domain::images::{MAX_IMAGE_BYTES, Upload, missing_file};

/// What a multipart body may carry besides the image (boundaries, headers, the uploader).
const MULTIPART_OVERHEAD_BYTES: usize = 64 * 1024;

/// Reads the upload of `req`: 400 `form_param_missing` when it is not multipart or has no
/// `file` part.
pub(crate) async fn read_upload(req: Request, state: &AppState) -> Result<Upload, ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let Ok(boundary) = multer::parse_boundary(&content_type) else {
        return Err(ApiError::from(missing_file()));
    };
    let body = read_limited(req, state, MAX_IMAGE_BYTES + MULTIPART_OVERHEAD_BYTES).await?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut file: Option<(Bytes, Option<String>)> = None;
    let mut uploader_user_id = None;
    let broken =
        |e: multer::Error| ApiError::body_invalid(&format!("the multipart body is broken ({e})"));
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        match field.name() {
            Some("file") => {
                let declared = field.content_type().map(|m| m.essence_str().to_owned());
                file = Some((field.bytes().await.map_err(broken)?, declared));
            }
            Some("uploader_user_id") => {
                let text = field.text().await.map_err(broken)?;
                uploader_user_id = Some(text).filter(|t| !t.is_empty());
            }
            _ => {}
        }
    }
    let Some((bytes, declared_type)) = file else {
        return Err(ApiError::from(missing_file()));
    };
    Ok(Upload {
        bytes: bytes.to_vec(),
        declared_type,
        uploader_user_id,
    })
}
