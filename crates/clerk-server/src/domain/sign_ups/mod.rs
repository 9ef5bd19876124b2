//! Sign-ups: starting one (the Frontend API's browser sign-ups will; locally,
//! `POST /v1/_local/sign_ups` and `TestServer::create_sign_up`) and the Backend API's
//! changes to one (`external_id`, `custom_action`).
//!
//! This server has no per-instance sign-up requirements yet: an email address is
//! required, a phone number, username and names are optional, and every identifier given
//! starts unverified (its verification `needs_prepare`). No password is collected here, so
//! `password_enabled` is false.

use serde_json::{Map, Value, json};

use super::error::Result;
use super::identifiers::{normalize_email, normalize_phone, normalize_username};
use super::services::Services;
use crate::ids::{self, prefix};
use crate::store::UnitOfWork;
use crate::store::sign_ups::{self, SignUpRecord};
use clerk_core::Patch;

pub(crate) mod browser;

/// How long a sign-up may wait before it is abandoned (24 hours).
pub(crate) const ABANDON_AFTER_MS: i64 = 24 * 60 * 60 * 1000;

/// The fields a sign-up requires and may take.
const REQUIRED: &[&str] = &["email_address"];
const OPTIONAL: &[&str] = &["phone_number", "username", "first_name", "last_name"];

/// What a new sign-up has collected.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewSignUp {
    pub email_address: Option<String>,
    pub phone_number: Option<String>,
    pub username: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub external_id: Option<String>,
    pub unsafe_metadata: Map<String, Value>,
    pub public_metadata: Map<String, Value>,
    pub legal_accepted: bool,
    pub locale: Option<String>,
}

/// The Backend API's changes to a sign-up.
#[derive(Debug, Clone, Default)]
pub(crate) struct SignUpChanges {
    pub external_id: Patch<String>,
    pub custom_action: Option<bool>,
}

/// An identifier's verification before any code is sent: its strategy is the one it will
/// use (the Frontend API's schema requires one).
fn verification(strategy: &str) -> Value {
    json!({
        "status": "unverified",
        "strategy": strategy,
        "attempts": null,
        "expire_at": null,
        "next_action": "needs_prepare",
        "supported_strategies": [strategy],
    })
}

/// Starts a sign-up with what `new` holds.
pub(crate) async fn create(svc: &Services, new: NewSignUp) -> Result<SignUpRecord> {
    let record = build(new, REQUIRED, svc.now_ms())?;
    let mut work = UnitOfWork::begin(&svc.store).await?;
    sign_ups::insert(work.tx(), &record).await?;
    work.commit().await?;
    Ok(record)
}

/// The sign-up record `new` starts at `now`, requiring the fields `required`.
pub(super) fn build(new: NewSignUp, required: &[&str], now: i64) -> Result<SignUpRecord> {
    let email_address = new
        .email_address
        .as_deref()
        .map(|e| normalize_email("email_address", e))
        .transpose()?;
    let phone_number = new
        .phone_number
        .as_deref()
        .map(|p| normalize_phone("phone_number", p))
        .transpose()?;
    let username = new
        .username
        .as_deref()
        .map(|u| normalize_username("username", u))
        .transpose()?;
    let given = |field: &str| match field {
        "email_address" => email_address.is_some(),
        "phone_number" => phone_number.is_some(),
        "username" => username.is_some(),
        "first_name" => new.first_name.is_some(),
        "last_name" => new.last_name.is_some(),
        _ => false,
    };
    let missing: Vec<&str> = required.iter().copied().filter(|f| !given(f)).collect();
    let mut unverified = Vec::new();
    let mut verifications = Map::new();
    for (field, value, strategy) in [
        ("email_address", &email_address, "email_code"),
        ("phone_number", &phone_number, "phone_code"),
    ] {
        let entry = if value.is_some() {
            unverified.push(field);
            verification(strategy)
        } else {
            Value::Null
        };
        verifications.insert(field.to_owned(), entry);
    }
    verifications.insert("web3_wallet".to_owned(), Value::Null);
    verifications.insert("external_account".to_owned(), Value::Null);
    let mut fields = Map::new();
    fields.insert("required".to_owned(), json!(required));
    fields.insert("optional".to_owned(), json!(OPTIONAL));
    fields.insert("missing".to_owned(), json!(missing));
    fields.insert("unverified".to_owned(), json!(unverified));
    Ok(SignUpRecord {
        id: ids::new_id(prefix::SIGN_UP, now),
        status: "missing_requirements".to_owned(),
        fields,
        verifications,
        username,
        email_address,
        phone_number,
        web3_wallet: None,
        first_name: new.first_name,
        last_name: new.last_name,
        unsafe_metadata: new.unsafe_metadata,
        public_metadata: new.public_metadata,
        custom_action: false,
        external_id: new.external_id,
        created_session_id: None,
        created_user_id: None,
        abandon_at: now + ABANDON_AFTER_MS,
        legal_accepted_at: new.legal_accepted.then_some(now),
        locale: new.locale,
        client_id: None,
        password_digest: None,
        pending_code: Map::new(),
        created_at: now,
        updated_at: now,
    })
}

/// Applies the Backend API's changes to the sign-up `id`.
pub(crate) async fn update(
    svc: &Services,
    id: &str,
    changes: SignUpChanges,
) -> Result<SignUpRecord> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut record = sign_ups::lock(work.tx(), svc.store.dialect(), id).await?;
    match changes.external_id {
        Patch::Unchanged => {}
        Patch::Null => record.external_id = None,
        Patch::Set(value) => record.external_id = Some(value),
    }
    if let Some(custom_action) = changes.custom_action {
        record.custom_action = custom_action;
    }
    record.updated_at = svc.now_ms();
    sign_ups::save(work.tx(), &record).await?;
    work.commit().await?;
    Ok(record)
}
