//! What `/v1/email_addresses` and `/v1/phone_numbers` share: both create, get, update and
//! delete one identification of their kind.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::bapi::AppState;
use crate::bapi::body::JsonBody;
use crate::bapi::errors::ApiError;
use crate::domain::identifications::{self, IdentificationChanges, NewIdentification};
use crate::domain::identifiers::IdentifierKind;
use crate::store::identifications::Identification;
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
        primary: body.bool("primary")?.unwrap_or(false),
        reserved_for_second_factor: body.bool("reserved_for_second_factor")?.unwrap_or(false),
    };
    let ident = identifications::create(state.services(), &user_id, new, notify).await?;
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
    let ident = identifications::update(state.services(), &id, R::KIND, changes, notify).await?;
    Ok(Json(R::render(&ident)))
}

pub(crate) async fn delete<R: Resource>(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    identifications::delete(state.services(), &id, R::KIND).await?;
    Ok(Json(DeletedObject::new(R::KIND.as_str(), &id)).into_response())
}

fn notify_requested(body: &JsonBody) -> Result<bool, ApiError> {
    Ok(body
        .bool("notify_primary_email_address_changed")?
        .unwrap_or(false))
}
