//! `POST`/`DELETE /v1/users/{id}/profile_image`: the upload is read by `bapi::uploads` and
//! served at `/images/{id}` like organization logos.

use axum::Json;
use axum::extract::{Path, Request, State};

use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::bapi::uploads::read_upload;
use crate::domain::users::image;
use crate::wire::UserJson;

pub(super) async fn upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Result<Json<UserJson>, ApiError> {
    let upload = read_upload(req, &state).await?;
    let user = image::upload(state.services(), &id, upload).await?;
    Ok(Json(UserJson::new(user, state.user_context())))
}

pub(super) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<UserJson>, ApiError> {
    let user = image::delete(state.services(), &id).await?;
    Ok(Json(UserJson::new(user, state.user_context())))
}
