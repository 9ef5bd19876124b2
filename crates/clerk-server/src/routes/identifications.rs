//! What `/v1/email_addresses` and `/v1/phone_numbers` share: both create, get, update and
//! delete one identification of their kind.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::app::AppState;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::identifiers::IdentifierKind;
use crate::routes::messages;
use crate::store::identifications::{Identification, IdentificationChanges, NewIdentification};
use crate::wire::DeletedObject;

/// One of the two identification resources.
pub(crate) trait Resource {
    const KIND: IdentifierKind;
    /// Body fields of the create operation.
    const CREATE_FIELDS: &'static [&'static str];
    /// Body fields of the update operation.
    const UPDATE_FIELDS: &'static [&'static str];
    type Json: Serialize;
    fn render(ident: &Identification) -> Self::Json;
}

pub(crate) async fn create<R: Resource>(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<R::Json>, ApiError> {
    body.allow_only(R::CREATE_FIELDS)?;
    let param = R::KIND.as_str();
    let user_id = body.required_string("user_id")?;
    let value = R::KIND.normalize(param, &body.required_string(param)?)?;
    let notify = notify_requested(&body)?;
    let new = NewIdentification {
        kind: R::KIND,
        value,
        verified: body.bool("verified")?.unwrap_or(false),
        reserved: false,
        primary: body.bool("primary")?.unwrap_or(false),
        reserved_for_second_factor: body.bool("reserved_for_second_factor")?.unwrap_or(false),
    };
    let before = match notify {
        true => state.store.user(&user_id).await?,
        false => None,
    };
    let ident = state
        .store
        .create_identification(&user_id, new, state.now_ms())
        .await?;
    notify_if_primary_changed(&state, before, &user_id).await?;
    Ok(Json(R::render(&ident)))
}

pub(crate) async fn get<R: Resource>(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<R::Json>, ApiError> {
    let ident = state
        .store
        .identification(&id, R::KIND)
        .await?
        .ok_or_else(|| ApiError::not_found(R::KIND.words(), &id))?;
    Ok(Json(R::render(&ident)))
}

pub(crate) async fn update<R: Resource>(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: JsonBody,
) -> Result<Json<R::Json>, ApiError> {
    body.allow_only(R::UPDATE_FIELDS)?;
    let notify = notify_requested(&body)?;
    let changes = IdentificationChanges {
        verified: body.bool("verified")?,
        primary: body.bool("primary")?,
        reserved_for_second_factor: body.bool("reserved_for_second_factor")?,
    };
    let before = match notify {
        true => match state.store.identification(&id, R::KIND).await? {
            Some(ident) => state.store.user(&ident.user_id).await?,
            None => None,
        },
        false => None,
    };
    let ident = state
        .store
        .update_identification(&id, R::KIND, changes, state.now_ms())
        .await?;
    notify_if_primary_changed(&state, before, &ident.user_id).await?;
    Ok(Json(R::render(&ident)))
}

pub(crate) async fn delete<R: Resource>(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .store
        .delete_identification(&id, R::KIND, state.now_ms())
        .await?;
    Ok(Json(DeletedObject::new(R::KIND.as_str(), &id)).into_response())
}

fn notify_requested(body: &JsonBody) -> Result<bool, ApiError> {
    Ok(body
        .bool("notify_primary_email_address_changed")?
        .unwrap_or(false))
}

/// With `notify_primary_email_address_changed`, tells the previous primary email address
/// that it no longer is (an email in the outbox).
async fn notify_if_primary_changed(
    state: &AppState,
    before: Option<crate::store::users::User>,
    user_id: &str,
) -> Result<(), ApiError> {
    let Some(before) = before else { return Ok(()) };
    if let Some(after) = state.store.user(user_id).await? {
        messages::notify_primary_email_changed(state, &before, &after).await?;
    }
    Ok(())
}
