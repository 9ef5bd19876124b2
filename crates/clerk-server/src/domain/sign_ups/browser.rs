//! A browser's sign-up (the Frontend API's `client.signUp`): it collects an email address
//! and a password (both required here, as the environment says), verifies the address with
//! a one-time code, and, once nothing is missing or unverified, becomes a user with a
//! session in the browser's client, in one unit of work.
//!
//! Codes: 6 digits, sent as the `verification_code` email or SMS through the outbox, valid
//! [`CODE_LIFETIME_MS`], [`MAX_ATTEMPTS`] wrong tries; only a digest is kept. Test
//! identifiers (`+clerk_test` addresses, `+1 XXX 555-01XX` numbers) get no message and take
//! `424242`, as in Clerk development instances.

use aws_lc_rs::constant_time::verify_slices_are_equal;
use serde_json::{Map, Value, json};

use super::{NewSignUp, build};
use crate::domain::clients::refuse_signed_in;
use crate::domain::error::{Result, Rule};
use crate::domain::identifiers::IdentifierKind;
use crate::domain::message_templates::render::Recipient;
use crate::domain::password::{PasswordDigest, check_policy};
use crate::domain::services::Services;
use crate::domain::sessions::{SessionStart, create_in as create_session};
use crate::domain::tickets;
use crate::domain::users::create_in as create_user;
use crate::domain::users::{NewIdentifier, NewUser};
use crate::domain::verification::{
    CODE_LIFETIME_MS, MAX_ATTEMPTS, TEST_CODE, code_digest, is_test_identifier, new_code, send_code,
};
use crate::ids::{self, prefix};
use crate::secret::Secret;
use crate::store::sign_ups::{self, SignUpRecord};
use crate::store::{StoreError, UnitOfWork, clients};

/// What a browser sign-up requires.
const REQUIRED: &[&str] = &["email_address", "password"];

/// Where a sign-up started with a ticket keeps its invitation (`{"kind", "id"}`) among its
/// field lists; the ticket itself is not stored.
const TICKET_FIELD: &str = "ticket";

/// What `POST /v1/client/sign_ups` and `PATCH /v1/client/sign_ups/{id}` carry.
#[derive(Debug, Default)]
pub(crate) struct SignUpInput {
    pub email_address: Option<String>,
    pub phone_number: Option<String>,
    pub username: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub password: Option<Secret>,
    pub unsafe_metadata: Option<Map<String, Value>>,
    pub legal_accepted: bool,
    pub locale: Option<String>,
    /// An invitation's ticket (`strategy=ticket`, on create only).
    pub ticket: Option<String>,
}

/// Starts a sign-up in the browser's client `client_id`.
///
/// With an invitation's `ticket` (`strategy=ticket`), the address is the invited one and
/// the ticket verifies it; the sign-up then completes as soon as nothing else is missing
/// (at once if the password came with it), and its completion accepts the invitation.
pub(crate) async fn start(
    svc: &Services,
    client_id: &str,
    input: SignUpInput,
) -> Result<SignUpRecord> {
    let now = svc.now_ms();
    let password = match &input.password {
        Some(password) => Some(hash(svc, password).await?),
        None => None,
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let invited = match &input.ticket {
        Some(ticket) => Some(tickets::invitation_for_sign_up(svc, &mut work, ticket, now).await?),
        None => None,
    };
    let new = NewSignUp {
        email_address: match &invited {
            Some(invited) => Some(invited.email_address.clone()),
            None => input.email_address,
        },
        phone_number: input.phone_number,
        username: input.username,
        first_name: input.first_name,
        last_name: input.last_name,
        unsafe_metadata: input.unsafe_metadata.unwrap_or_default(),
        public_metadata: invited
            .as_ref()
            .map(|i| i.public_metadata.clone())
            .unwrap_or_default(),
        legal_accepted: input.legal_accepted,
        locale: input.locale,
        ..NewSignUp::default()
    };
    let mut record = build(new, REQUIRED, now)?;
    record.client_id = Some(client_id.to_owned());
    record.password_digest = password.map(|p| p.digest);
    if let Some(invited) = &invited {
        record.verifications.insert(
            "email_address".to_owned(),
            json!({
                "object": "verification_ticket",
                "status": "verified",
                "strategy": "ticket",
                "attempts": null,
                "expire_at": null,
                "next_action": "",
                "supported_strategies": ["ticket"],
            }),
        );
        record.fields.insert(
            TICKET_FIELD.to_owned(),
            json!({ "kind": invited.kind, "id": invited.id }),
        );
    }
    refresh_fields(&mut record);
    let mut client = clients::lock(work.tx(), svc.store.dialect(), client_id).await?;
    refuse_signed_in(&client, now)?;
    refuse_taken(svc, &mut work, &record).await?;
    sign_ups::insert(work.tx(), &record).await?;
    client.sign_up_id = Some(record.id.clone());
    clients::save(work.tx(), &client, now).await?;
    if invited.is_some() {
        finish_if_ready(svc, &mut work, client_id, &mut record, now).await?;
        sign_ups::save_progress(work.tx(), &record).await?;
    }
    work.commit().await?;
    Ok(record)
}

/// Adds to the sign-up what `input` carries (names, a username, a password, metadata).
pub(crate) async fn update(
    svc: &Services,
    client_id: &str,
    id: &str,
    input: SignUpInput,
) -> Result<SignUpRecord> {
    let password = match &input.password {
        Some(password) => Some(hash(svc, password).await?),
        None => None,
    };
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut record = lock_own(svc, &mut work, client_id, id).await?;
    ensure_open(&record, now)?;
    if let Some(first_name) = input.first_name {
        record.first_name = Some(first_name);
    }
    if let Some(last_name) = input.last_name {
        record.last_name = Some(last_name);
    }
    if let Some(username) = input.username {
        record.username = Some(crate::domain::identifiers::normalize_username(
            "username", &username,
        )?);
    }
    if let Some(metadata) = input.unsafe_metadata {
        record.unsafe_metadata = metadata;
    }
    if let Some(password) = password {
        record.password_digest = Some(password.digest);
    }
    if input.legal_accepted && record.legal_accepted_at.is_none() {
        record.legal_accepted_at = Some(now);
    }
    refuse_taken(svc, &mut work, &record).await?;
    refresh_fields(&mut record);
    record.updated_at = now;
    finish_if_ready(svc, &mut work, client_id, &mut record, now).await?;
    sign_ups::save_progress(work.tx(), &record).await?;
    work.commit().await?;
    Ok(record)
}

/// Sends a code to the sign-up's email address (`email_code`) or phone number
/// (`phone_code`), replacing any code sent before.
pub(crate) async fn prepare(
    svc: &Services,
    client_id: &str,
    id: &str,
    strategy: &str,
) -> Result<SignUpRecord> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut record = lock_own(svc, &mut work, client_id, id).await?;
    ensure_open(&record, now)?;
    let (field, kind) = field_of(strategy)?;
    let value = match kind {
        IdentifierKind::EmailAddress => record.email_address.clone(),
        _ => record.phone_number.clone(),
    }
    .ok_or_else(|| {
        Rule::input(
            "form_param_missing",
            field,
            "is missing",
            format!("This sign-up has no {} to verify.", kind.words()),
        )
    })?;
    let test = is_test_identifier(kind, &value);
    let code = if test {
        TEST_CODE.to_owned()
    } else {
        new_code()
    };
    let code_id = ids::new_id(prefix::VERIFICATION, now);
    let expire_at = now + CODE_LIFETIME_MS;
    record.pending_code = object(json!({
        "id": code_id,
        "digest": code_digest(&code_id, &code),
        "field": field,
        "strategy": strategy,
        "attempts": 0,
        "expire_at": expire_at,
    }));
    record.verifications.insert(
        field.to_owned(),
        verification(strategy, "unverified", 0, Some(expire_at), "needs_attempt"),
    );
    record.updated_at = now;
    sign_ups::save_progress(work.tx(), &record).await?;
    if !test {
        let recipient = Recipient {
            to: &value,
            identification_id: None,
            user_id: None,
        };
        send_code(
            svc,
            &mut work,
            kind,
            "verification_code",
            recipient,
            &code,
            now,
        )
        .await?;
    }
    work.commit().await?;
    Ok(record)
}

/// Checks a code sent by [`prepare`]. A wrong code is 422 `form_code_incorrect` (counted:
/// the last allowed one fails the verification, then 422 `verification_failed`); an
/// expired one 422 `verification_expired`. The right one verifies the identifier and, if
/// nothing else is missing, completes the sign-up: the user and its session are created.
pub(crate) async fn attempt(
    svc: &Services,
    client_id: &str,
    id: &str,
    strategy: &str,
    code: &str,
) -> Result<SignUpRecord> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut record = lock_own(svc, &mut work, client_id, id).await?;
    ensure_open(&record, now)?;
    let (field, _) = field_of(strategy)?;
    let pending = record.pending_code.clone();
    if pending.get("field").and_then(Value::as_str) != Some(field) {
        return Err(Rule::refused(
            "verification_not_prepared",
            "not prepared",
            format!("Send a code first: prepare_verification with strategy {strategy}."),
        )
        .into());
    }
    let attempts = pending.get("attempts").and_then(Value::as_i64).unwrap_or(0);
    let expire_at = pending
        .get("expire_at")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    if attempts >= MAX_ATTEMPTS {
        return Err(code_rule(
            "verification_failed",
            "Too many failed attempts. Request a new code.",
        )
        .into());
    }
    if expire_at <= now {
        return Err(code_rule(
            "verification_expired",
            "This code has expired. Request a new code.",
        )
        .into());
    }
    let code_id = pending
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let digest = pending
        .get("digest")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let right = verify_slices_are_equal(
        code_digest(code_id, code.trim()).as_bytes(),
        digest.as_bytes(),
    )
    .is_ok();
    let attempts = attempts + 1;
    record.updated_at = now;
    if !right {
        record
            .pending_code
            .insert("attempts".into(), json!(attempts));
        let status = if attempts >= MAX_ATTEMPTS {
            "failed"
        } else {
            "unverified"
        };
        record.verifications.insert(
            field.to_owned(),
            verification(strategy, status, attempts, Some(expire_at), "needs_attempt"),
        );
        sign_ups::save_progress(work.tx(), &record).await?;
        // The count is kept although the answer is an error.
        work.commit().await?;
        return Err(code_rule("form_code_incorrect", "Incorrect code")
            .with_param("code")
            .into());
    }
    record.pending_code = Map::new();
    record.verifications.insert(
        field.to_owned(),
        verification(strategy, "verified", attempts, Some(expire_at), ""),
    );
    refresh_fields(&mut record);
    finish_if_ready(svc, &mut work, client_id, &mut record, now).await?;
    sign_ups::save_progress(work.tx(), &record).await?;
    work.commit().await?;
    Ok(record)
}

/// The client's sign-up `id`, locked; another client's is not found.
async fn lock_own(
    svc: &Services,
    work: &mut UnitOfWork,
    client_id: &str,
    id: &str,
) -> Result<SignUpRecord> {
    // The client first, as every change a browser makes locks it first.
    clients::lock(work.tx(), svc.store.dialect(), client_id).await?;
    let record = sign_ups::lock(work.tx(), svc.store.dialect(), id).await?;
    if record.client_id.as_deref() != Some(client_id) {
        return Err(StoreError::not_found("sign up", id).into());
    }
    Ok(record)
}

/// The client's sign-up `id`, read.
pub(crate) async fn own(svc: &Services, client_id: &str, id: &str) -> Result<SignUpRecord> {
    svc.store
        .sign_up(id)
        .await?
        .filter(|s| s.client_id.as_deref() == Some(client_id))
        .ok_or_else(|| StoreError::not_found("sign up", id).into())
}

fn ensure_open(record: &SignUpRecord, now: i64) -> Result<()> {
    match record.status_at(now) {
        "missing_requirements" => Ok(()),
        status => Err(Rule::refused(
            "sign_up_no_longer_open",
            "sign up is not open",
            format!("This sign-up is {status}; start a new one."),
        )
        .into()),
    }
}

/// Completes the sign-up when nothing is missing or unverified: the user (the verified
/// identifiers, the password, the names and metadata collected) and its session in the
/// client, in `work`.
async fn finish_if_ready(
    svc: &Services,
    work: &mut UnitOfWork,
    client_id: &str,
    record: &mut SignUpRecord,
    now: i64,
) -> Result<()> {
    if !record.field_list("missing").is_empty() || !record.field_list("unverified").is_empty() {
        return Ok(());
    }
    let verified = |field: &str, value: &Option<String>| -> Vec<NewIdentifier> {
        value
            .iter()
            .filter(|_| status_of(record, field) == Some("verified"))
            .map(|value| NewIdentifier {
                value: value.clone(),
                verified: true,
                reserved: false,
            })
            .collect()
    };
    let new = NewUser {
        email_addresses: verified("email_address", &record.email_address),
        phone_numbers: verified("phone_number", &record.phone_number),
        username: record.username.clone(),
        first_name: record.first_name.clone(),
        last_name: record.last_name.clone(),
        password: record.password_digest.clone().map(|digest| PasswordDigest {
            digest,
            hasher: "argon2id".to_owned(),
        }),
        unsafe_metadata: record.unsafe_metadata.clone(),
        public_metadata: record.public_metadata.clone(),
        legal_accepted_at: record.legal_accepted_at,
        locale: record.locale.clone(),
        external_id: record.external_id.clone(),
        delete_self_enabled: true,
        create_organization_enabled: true,
        ..NewUser::default()
    };
    let user = create_user(svc, work, new).await?;
    let start = SessionStart {
        user_id: &user.record.id,
        active_organization_id: None,
        actor: None,
        lifetime_ms: None,
        client_id: Some(client_id),
    };
    let invitation = record.fields.get(TICKET_FIELD).and_then(|t| {
        Some((
            t.get("kind")?.as_str()?.to_owned(),
            t.get("id")?.as_str()?.to_owned(),
        ))
    });
    if let Some((kind, id)) = &invitation {
        tickets::accept_for_sign_up(svc, work, kind, id, &user.record.id, now).await?;
    }
    let session = create_session(svc, work, start, now).await?;
    record.status = "complete".to_owned();
    record.created_user_id = Some(user.record.id.clone());
    record.created_session_id = Some(session.id.clone());
    let mut client = clients::lock(work.tx(), svc.store.dialect(), client_id).await?;
    client.sign_up_id = None;
    client.last_active_session_id = Some(session.id);
    let strategy = if invitation.is_some() {
        "ticket"
    } else {
        "email_code"
    };
    client.last_authentication_strategy = Some(strategy.to_owned());
    clients::save(work.tx(), &client, now).await?;
    Ok(())
}

/// An identifier another user already has cannot sign up: 422 `form_identifier_exists`.
async fn refuse_taken(svc: &Services, work: &mut UnitOfWork, record: &SignUpRecord) -> Result<()> {
    for (kind, param, value) in [
        (
            Some(IdentifierKind::EmailAddress),
            "email_address",
            &record.email_address,
        ),
        (
            Some(IdentifierKind::PhoneNumber),
            "phone_number",
            &record.phone_number,
        ),
        (None, "username", &record.username),
    ] {
        let Some(value) = value else { continue };
        if let Some(kind) = kind {
            crate::domain::blocklist::refuse_blocked(work.tx(), kind, param, value).await?;
        }
        if svc
            .store
            .user_id_by_identifier(kind, value)
            .await?
            .is_some()
        {
            let words = kind.map_or("username", IdentifierKind::words);
            return Err(Rule::input(
                "form_identifier_exists",
                param,
                "is taken",
                format!("That {words} is taken. Please try another."),
            )
            .into());
        }
    }
    Ok(())
}

/// Recomputes the missing and unverified field lists from what the sign-up holds.
fn refresh_fields(record: &mut SignUpRecord) {
    let required = record.field_list("required");
    let present = |field: &str| match field {
        "email_address" => record.email_address.is_some(),
        "phone_number" => record.phone_number.is_some(),
        "username" => record.username.is_some(),
        "first_name" => record.first_name.is_some(),
        "last_name" => record.last_name.is_some(),
        "password" => record.password_digest.is_some(),
        _ => false,
    };
    let missing: Vec<String> = required.iter().filter(|f| !present(f)).cloned().collect();
    let unverified: Vec<&str> = ["email_address", "phone_number"]
        .into_iter()
        .filter(|f| present(f) && status_of(record, f) != Some("verified"))
        .collect();
    record.fields.insert("missing".into(), json!(missing));
    record.fields.insert("unverified".into(), json!(unverified));
}

fn status_of<'r>(record: &'r SignUpRecord, field: &str) -> Option<&'r str> {
    record.verifications.get(field)?.get("status")?.as_str()
}

/// The field a code strategy verifies.
fn field_of(strategy: &str) -> Result<(&'static str, IdentifierKind)> {
    match strategy {
        "email_code" => Ok(("email_address", IdentifierKind::EmailAddress)),
        "phone_code" => Ok(("phone_number", IdentifierKind::PhoneNumber)),
        other => Err(Rule::input(
            "form_param_value_invalid",
            "strategy",
            "is invalid",
            format!("strategy {other} is not supported by this server's sign-up; use email_code or phone_code."),
        )
        .into()),
    }
}

fn verification(
    strategy: &str,
    status: &str,
    attempts: i64,
    expire_at: Option<i64>,
    next_action: &str,
) -> Value {
    json!({
        "object": "verification_otp",
        "status": status,
        "strategy": strategy,
        "attempts": attempts,
        "expire_at": expire_at,
        "next_action": next_action,
        "supported_strategies": [strategy],
    })
}

fn code_rule(code: &'static str, message: &str) -> Rule {
    Rule::input(code, "code", message, message.to_owned())
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

async fn hash(svc: &Services, password: &Secret) -> Result<PasswordDigest> {
    check_policy("password", password.expose(), false)?;
    Ok(svc.passwords.hash(password.clone()).await?)
}
