//! `/v1/email_addresses`: a user's email addresses as objects of their own.

use axum::Router;
use axum::routing::{get, post};

use super::identifications::{self as shared, Resource};
use crate::bapi::AppState;
use crate::domain::identifiers::IdentifierKind;
use crate::store::identifications::Identification;
use crate::wire::EmailAddressJson;

struct EmailAddresses;

impl Resource for EmailAddresses {
    const KIND: IdentifierKind = IdentifierKind::EmailAddress;
    const CREATE_FIELDS: &'static [&'static str] = &[
        "user_id",
        "email_address",
        "verified",
        "primary",
        "notify_primary_email_address_changed",
    ];
    const UPDATE_FIELDS: &'static [&'static str] = &[
        "verified",
        "primary",
        "notify_primary_email_address_changed",
    ];
    type Json = EmailAddressJson;

    fn render(ident: &Identification) -> EmailAddressJson {
        EmailAddressJson::new(ident.clone())
    }
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/email_addresses", post(shared::create::<EmailAddresses>))
        .route(
            "/email_addresses/{email_address_id}",
            get(shared::get::<EmailAddresses>)
                .patch(shared::update::<EmailAddresses>)
                .delete(shared::delete::<EmailAddresses>),
        )
}
