//! `sign_up_attempt` objects.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::store::sign_ups::SignUpRecord;

/// A `sign_up_attempt` object, as `GET /v1/sign_ups/{id}` answers it.
#[derive(Serialize)]
pub(crate) struct SignUpJson {
    object: &'static str,
    id: String,
    status: String,
    required_fields: Vec<String>,
    optional_fields: Vec<String>,
    missing_fields: Vec<String>,
    unverified_fields: Vec<String>,
    verifications: Map<String, Value>,
    username: Option<String>,
    email_address: Option<String>,
    phone_number: Option<String>,
    web3_wallet: Option<String>,
    password_enabled: bool,
    first_name: Option<String>,
    last_name: Option<String>,
    unsafe_metadata: Map<String, Value>,
    public_metadata: Map<String, Value>,
    custom_action: bool,
    external_id: Option<String>,
    created_session_id: Option<String>,
    created_user_id: Option<String>,
    abandon_at: i64,
    legal_accepted_at: Option<i64>,
    locale: Option<String>,
}

impl SignUpJson {
    pub(crate) fn new(record: &SignUpRecord, now_ms: i64) -> Self {
        Self {
            object: "sign_up_attempt",
            id: record.id.clone(),
            status: record.status_at(now_ms).to_owned(),
            required_fields: record.field_list("required"),
            optional_fields: record.field_list("optional"),
            missing_fields: record.field_list("missing"),
            unverified_fields: record.field_list("unverified"),
            verifications: record.verifications.clone(),
            username: record.username.clone(),
            email_address: record.email_address.clone(),
            phone_number: record.phone_number.clone(),
            web3_wallet: record.web3_wallet.clone(),
            password_enabled: record.password_digest.is_some(),
            first_name: record.first_name.clone(),
            last_name: record.last_name.clone(),
            unsafe_metadata: record.unsafe_metadata.clone(),
            public_metadata: record.public_metadata.clone(),
            custom_action: record.custom_action,
            external_id: record.external_id.clone(),
            created_session_id: record.created_session_id.clone(),
            created_user_id: record.created_user_id.clone(),
            abandon_at: record.abandon_at,
            legal_accepted_at: record.legal_accepted_at,
            locale: record.locale.clone(),
        }
    }
}
