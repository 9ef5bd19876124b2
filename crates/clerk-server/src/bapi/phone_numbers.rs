//! `/v1/phone_numbers`: a user's phone numbers as objects of their own.

use axum::Router;
use axum::routing::{get, post};

use super::identifications::{self as shared, Resource};
use crate::bapi::AppState;
use crate::domain::identifiers::IdentifierKind;
use crate::store::identifications::Identification;
use crate::wire::PhoneNumberJson;

struct PhoneNumbers;

impl Resource for PhoneNumbers {
    const KIND: IdentifierKind = IdentifierKind::PhoneNumber;
    const CREATE_FIELDS: &'static [&'static str] = &[
        "user_id",
        "phone_number",
        "verified",
        "primary",
        "reserved_for_second_factor",
    ];
    const UPDATE_FIELDS: &'static [&'static str] =
        &["verified", "primary", "reserved_for_second_factor"];
    type Json = PhoneNumberJson;

    fn render(ident: &Identification) -> PhoneNumberJson {
        PhoneNumberJson::new(ident.clone())
    }
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/phone_numbers", post(shared::create::<PhoneNumbers>))
        .route(
            "/phone_numbers/{phone_number_id}",
            get(shared::get::<PhoneNumbers>)
                .patch(shared::update::<PhoneNumbers>)
                .delete(shared::delete::<PhoneNumbers>),
        )
}
