//! Sign-ins (the Frontend API's `client.signIn`): a browser names an identifier, proves a
//! first factor, and gets a session in its client. The sign-in and the session are written
//! in one unit of work, so a sign-in completes exactly once.
//!
//! The password check is the Backend API's `verify_password` one: the same lockout
//! counter, claimed before the check.

use serde_json::{Map, Value, json};

use super::clients::refuse_signed_in;
use super::error::{Error, Result, Rule};
use super::identifiers::{IdentifierKind, normalize_email, normalize_phone};
use super::password::check_policy;
use super::services::Services;
use super::sessions::{SessionStart, create_in};
use super::tickets;
use super::users::verify_password;
use super::users::{self, UserChanges};
use super::verification::{self, Outcome};
use crate::ids::{self, prefix};
use crate::secret::Secret;
use crate::store::clients;
use crate::store::sign_ins::{self, SignInRecord};
use crate::store::{StoreError, UnitOfWork};

/// How long a sign-in may take before it is `abandoned`: a day, as Clerk's.
pub(crate) const SIGN_IN_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;

/// What `POST /v1/client/sign_ins` carries.
#[derive(Debug, Default)]
pub(crate) struct NewSignIn {
    pub identifier: Option<String>,
    /// `password` signs in at once when given (clerk-js's one-step sign-in).
    pub password: Option<Secret>,
    pub strategy: Option<String>,
}

/// A first factor to attempt.
#[derive(Debug)]
pub(crate) enum FirstFactor {
    Password(Secret),
    /// The code sent by [`prepare_first_factor`] (`email_code`, `phone_code` or
    /// `reset_password_email_code`).
    Code {
        strategy: String,
        code: String,
    },
}

/// The code strategies a sign-in prepares: what each sends a code to, and whether proving
/// it leads to a new password rather than a session.
fn code_strategy(strategy: &str) -> Option<(IdentifierKind, bool)> {
    match strategy {
        "email_code" => Some((IdentifierKind::EmailAddress, false)),
        "phone_code" => Some((IdentifierKind::PhoneNumber, false)),
        "reset_password_email_code" => Some((IdentifierKind::EmailAddress, true)),
        "reset_password_phone_code" => Some((IdentifierKind::PhoneNumber, true)),
        _ => None,
    }
}

/// Starts a sign-in in `client_id` for the user `identifier` names (an email address, a
/// phone number or a username), and attempts the password at once when one is given.
pub(crate) async fn create(
    svc: &Services,
    client_id: &str,
    new: NewSignIn,
) -> Result<SignInRecord> {
    if let Some(strategy) = new.strategy.as_deref()
        && !matches!(strategy, "password" | "email_code" | "ticket")
    {
        return Err(Rule::input(
            "form_param_value_invalid",
            "strategy",
            "is invalid",
            format!("strategy {strategy} is not supported by this server's sign-in."),
        )
        .into());
    }
    refuse_second_session(svc, client_id).await?;
    let identifier = new.identifier.as_deref().map(str::trim).unwrap_or_default();
    if identifier.is_empty() {
        return Err(Rule::input(
            "form_param_missing",
            "identifier",
            "is missing",
            "Enter an email address, phone number or username.",
        )
        .into());
    }
    let user_id = find_user(svc, identifier)
        .await?
        .ok_or_else(identifier_not_found)?;
    let now = svc.now_ms();
    let record = SignInRecord {
        id: ids::new_id(prefix::SIGN_IN, now),
        client_id: client_id.to_owned(),
        status: "needs_first_factor".to_owned(),
        identifier: Some(identifier.to_owned()),
        user_id: Some(user_id),
        first_factor: Map::new(),
        created_session_id: None,
        abandon_at: now.saturating_add(SIGN_IN_LIFETIME_MS),
        created_at: now,
        updated_at: now,
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut client = clients::lock(work.tx(), svc.store.dialect(), client_id).await?;
    sign_ins::insert(work.tx(), &record).await?;
    client.sign_in_id = Some(record.id.clone());
    clients::save(work.tx(), &client, now).await?;
    work.commit().await?;
    match new.password {
        Some(password) => {
            attempt_first_factor(svc, client_id, &record.id, FirstFactor::Password(password)).await
        }
        None => Ok(record),
    }
}

/// Signs the browser in with a ticket (`strategy=ticket`): a sign-in token, an actor token
/// (the session carries its `actor`) or an instance invitation (the invited user is
/// created), redeemed once by the same operation as `POST /v1/_local/tickets/redeem`; the
/// session goes into the client, and the complete sign-in is recorded.
pub(crate) async fn create_with_ticket(
    svc: &Services,
    client_id: &str,
    ticket: &str,
) -> Result<SignInRecord> {
    refuse_second_session(svc, client_id).await?;
    let redemption = tickets::redeem(svc, ticket, Some(client_id)).await?;
    let now = svc.now_ms();
    let user = svc.store.user(&redemption.session.user_id).await?;
    let identifier = user.as_ref().and_then(|u| {
        u.primary(IdentifierKind::EmailAddress)
            .map(|i| i.value.clone())
            .or_else(|| u.record.username.clone())
    });
    let record = SignInRecord {
        id: ids::new_id(prefix::SIGN_IN, now),
        client_id: client_id.to_owned(),
        status: "complete".to_owned(),
        identifier,
        user_id: Some(redemption.session.user_id.clone()),
        first_factor: verified("ticket"),
        created_session_id: Some(redemption.session.id.clone()),
        abandon_at: now.saturating_add(SIGN_IN_LIFETIME_MS),
        created_at: now,
        updated_at: now,
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut client = clients::lock(work.tx(), svc.store.dialect(), client_id).await?;
    sign_ins::insert(work.tx(), &record).await?;
    client.sign_in_id = None;
    client.last_authentication_strategy = Some("ticket".to_owned());
    clients::save(work.tx(), &client, now).await?;
    work.commit().await?;
    Ok(record)
}

/// Attempts a first factor of the client's sign-in `sign_in_id`: the right one completes
/// it (the session is created in the client); a wrong password is 422
/// `form_password_incorrect` and counts toward the user's lockout.
pub(crate) async fn attempt_first_factor(
    svc: &Services,
    client_id: &str,
    sign_in_id: &str,
    factor: FirstFactor,
) -> Result<SignInRecord> {
    let found = own_sign_in(svc, client_id, sign_in_id).await?;
    ensure_open(&found, svc.now_ms())?;
    let user_id = found.user_id.clone().unwrap_or_default();
    match factor {
        FirstFactor::Password(password) => {
            let right = match verify_password(svc, &user_id, password).await {
                Err(Error::Rule(rule)) if rule.code == "no_password_set" => {
                    return Err(strategy_not_allowed("password").into());
                }
                checked => checked?,
            };
            if !right {
                return Err(Rule::input(
                    "form_password_incorrect",
                    "password",
                    "is incorrect",
                    "Password is incorrect. Try again, or use another method.",
                )
                .into());
            }
            complete(svc, client_id, sign_in_id, "password").await
        }
        FirstFactor::Code { strategy, code } => {
            attempt_code(svc, client_id, &found, &strategy, &code).await
        }
    }
}

/// Sends a code for the sign-in's first factor: `email_code` / `reset_password_email_code`
/// to one of the user's verified email addresses (`email_address_id`, by default the
/// primary one), `phone_code` / `reset_password_phone_code` to a phone number
/// (`phone_number_id`).
pub(crate) async fn prepare_first_factor(
    svc: &Services,
    client_id: &str,
    sign_in_id: &str,
    strategy: &str,
    identification_id: Option<&str>,
) -> Result<SignInRecord> {
    let found = own_sign_in(svc, client_id, sign_in_id).await?;
    ensure_open(&found, svc.now_ms())?;
    let (kind, resets_password) =
        code_strategy(strategy).ok_or_else(|| strategy_not_allowed(strategy))?;
    let user = svc
        .store
        .user(found.user_id.as_deref().unwrap_or_default())
        .await?
        .ok_or_else(identifier_not_found)?;
    let target = match identification_id {
        Some(id) => user.of_kind(kind).find(|i| i.id == id),
        None => user.primary(kind),
    }
    .filter(|i| i.verified && !i.reserved)
    .ok_or_else(|| strategy_not_allowed(strategy))?;
    let slug = if resets_password {
        "reset_password_code"
    } else {
        "verification_code"
    };
    let verification = verification::prepare_with(svc, kind, &target.id, slug).await?;
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    clients::lock(work.tx(), svc.store.dialect(), client_id).await?;
    let mut sign_in = sign_ins::lock(work.tx(), svc.store.dialect(), sign_in_id).await?;
    sign_in.first_factor = object(json!({
        "object": "verification_otp",
        "status": "unverified",
        "strategy": strategy,
        "attempts": 0,
        "expire_at": verification.expire_at,
        "code_id": verification.id,
        "identification_id": target.id,
    }));
    sign_in.updated_at = now;
    sign_ins::save(work.tx(), &sign_in).await?;
    work.commit().await?;
    Ok(sign_in)
}

/// Checks the code of a prepared first factor: wrong → 422 `form_code_incorrect`, used up
/// → 422 `verification_failed`, expired → 422 `verification_expired`; right → the sign-in
/// completes, or, for a password reset, waits for the new password (`needs_new_password`).
async fn attempt_code(
    svc: &Services,
    client_id: &str,
    found: &SignInRecord,
    strategy: &str,
    code: &str,
) -> Result<SignInRecord> {
    let (kind, resets_password) =
        code_strategy(strategy).ok_or_else(|| strategy_not_allowed(strategy))?;
    let prepared = |key: &str| {
        found
            .first_factor
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let (Some(code_id), Some(identification_id)) =
        (prepared("code_id"), prepared("identification_id"))
    else {
        return Err(not_prepared(strategy).into());
    };
    if prepared("strategy").as_deref() != Some(strategy) {
        return Err(not_prepared(strategy).into());
    }
    let (outcome, verification) =
        verification::attempt(svc, kind, &identification_id, &code_id, code).await?;
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    clients::lock(work.tx(), svc.store.dialect(), client_id).await?;
    let mut sign_in = sign_ins::lock(work.tx(), svc.store.dialect(), &found.id).await?;
    sign_in
        .first_factor
        .insert("attempts".into(), json!(verification.attempts));
    sign_in
        .first_factor
        .insert("status".into(), json!(verification.status_at(now)));
    sign_in.updated_at = now;
    let refusal = match outcome {
        Outcome::Verified => None,
        Outcome::Incorrect => Some(("form_code_incorrect", "Incorrect code")),
        Outcome::Failed => Some((
            "verification_failed",
            "Too many failed attempts. Request a new code.",
        )),
        Outcome::Expired => Some((
            "verification_expired",
            "This code has expired. Request a new code.",
        )),
    };
    if outcome == Outcome::Verified && resets_password {
        sign_in.status = "needs_new_password".to_owned();
    }
    sign_ins::save(work.tx(), &sign_in).await?;
    work.commit().await?;
    if let Some((code, message)) = refusal {
        return Err(Rule::input(code, "code", message, message).into());
    }
    if resets_password {
        return Ok(sign_in);
    }
    complete(svc, client_id, &found.id, strategy).await
}

/// Sets the new password of a sign-in whose reset code was proven, and completes it;
/// `sign_out_of_other_sessions` revokes the user's other sessions first.
pub(crate) async fn reset_password(
    svc: &Services,
    client_id: &str,
    sign_in_id: &str,
    password: Secret,
    sign_out_of_other_sessions: bool,
) -> Result<SignInRecord> {
    let found = own_sign_in(svc, client_id, sign_in_id).await?;
    if found.status_at(svc.now_ms()) != "needs_new_password" {
        return Err(Rule::refused(
            "sign_in_no_longer_open",
            "no password reset pending",
            "Prove a reset_password_email_code first.",
        )
        .into());
    }
    check_policy("password", password.expose(), false)?;
    let digest = svc.passwords.hash(password).await?;
    let user_id = found.user_id.clone().unwrap_or_default();
    let changes = UserChanges {
        password: Some(digest),
        sign_out_of_other_sessions,
        ..UserChanges::default()
    };
    users::update(svc, &user_id, changes).await?;
    let strategy = found
        .first_factor
        .get("strategy")
        .and_then(Value::as_str)
        .unwrap_or("reset_password_email_code")
        .to_owned();
    complete_from(svc, client_id, sign_in_id, &strategy, "needs_new_password").await
}

/// Completes a sign-in whose first factor was just proven: its session is created in the
/// client, which it leaves. A sign-in completed meanwhile (two tabs) is returned as it is.
async fn complete(
    svc: &Services,
    client_id: &str,
    sign_in_id: &str,
    strategy: &str,
) -> Result<SignInRecord> {
    complete_from(svc, client_id, sign_in_id, strategy, "needs_first_factor").await
}

/// [`complete`] for a sign-in that is `from`.
async fn complete_from(
    svc: &Services,
    client_id: &str,
    sign_in_id: &str,
    strategy: &str,
    from: &str,
) -> Result<SignInRecord> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut client = clients::lock(work.tx(), svc.store.dialect(), client_id).await?;
    let mut sign_in = sign_ins::lock(work.tx(), svc.store.dialect(), sign_in_id).await?;
    if sign_in.status != from {
        // Completed meanwhile (two tabs): as it is.
        return Ok(sign_in);
    }
    let user_id = sign_in.user_id.clone().unwrap_or_default();
    let start = SessionStart {
        user_id: &user_id,
        active_organization_id: None,
        actor: None,
        lifetime_ms: None,
        client_id: Some(client_id),
    };
    let session = create_in(svc, &mut work, start, now).await?;
    sign_in.status = "complete".to_owned();
    sign_in.created_session_id = Some(session.id.clone());
    if sign_in.first_factor.get("strategy").and_then(Value::as_str) == Some(strategy) {
        // A prepared code: the verification it started is now verified.
        sign_in
            .first_factor
            .insert("status".into(), json!("verified"));
    } else {
        sign_in.first_factor = verified(strategy);
    }
    sign_in.updated_at = now;
    sign_ins::save(work.tx(), &sign_in).await?;
    client.sign_in_id = None;
    client.last_active_session_id = Some(session.id);
    client.last_authentication_strategy = Some(strategy.to_owned());
    clients::save(work.tx(), &client, now).await?;
    work.commit().await?;
    Ok(sign_in)
}

/// The client's sign-in `id`; one of another client is not found.
pub(crate) async fn own_sign_in(svc: &Services, client_id: &str, id: &str) -> Result<SignInRecord> {
    svc.store
        .sign_in(id)
        .await?
        .filter(|s| s.client_id == client_id)
        .ok_or_else(|| StoreError::not_found("sign in", id).into())
}

/// A sign-in that is complete or abandoned takes no more attempts.
fn ensure_open(sign_in: &SignInRecord, now: i64) -> Result<()> {
    match sign_in.status_at(now) {
        "needs_first_factor" => Ok(()),
        status => Err(Rule::refused(
            "sign_in_no_longer_open",
            "sign in is not open",
            format!("This sign-in is {status}; start a new one."),
        )
        .into()),
    }
}

/// The user an identifier names: an email address, a phone number, else a username.
async fn find_user(svc: &Services, identifier: &str) -> Result<Option<String>> {
    let (kind, value) = if identifier.contains('@') {
        let Ok(value) = normalize_email("identifier", identifier) else {
            return Ok(None);
        };
        (Some(IdentifierKind::EmailAddress), value)
    } else if identifier.starts_with('+') {
        let Ok(value) = normalize_phone("identifier", identifier) else {
            return Ok(None);
        };
        (Some(IdentifierKind::PhoneNumber), value)
    } else {
        (None, identifier.to_lowercase())
    };
    Ok(svc.store.user_id_by_identifier(kind, &value).await?)
}

/// Refuses a second sign-in in a signed-in client (see [`refuse_signed_in`]).
async fn refuse_second_session(svc: &Services, client_id: &str) -> Result<()> {
    let client = svc
        .store
        .client(client_id)
        .await?
        .ok_or_else(|| StoreError::not_found("client", client_id))?;
    refuse_signed_in(&client, svc.now_ms())
}

fn not_prepared(strategy: &str) -> Rule {
    Rule::refused(
        "verification_not_prepared",
        "not prepared",
        format!("Send a code first: prepare_first_factor with strategy {strategy}."),
    )
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn identifier_not_found() -> Rule {
    Rule::input(
        "form_identifier_not_found",
        "identifier",
        "Couldn't find your account.",
        "Couldn't find your account.",
    )
}

fn strategy_not_allowed(strategy: &str) -> Rule {
    Rule::input(
        "strategy_for_user_invalid",
        "strategy",
        "Invalid verification strategy",
        format!("The verification strategy {strategy} is not valid for this account."),
    )
}

/// A first factor's verification, verified by `strategy`.
fn verified(strategy: &str) -> Map<String, Value> {
    object(json!({
        "status": "verified",
        "strategy": strategy,
        "attempts": null,
        "expire_at": null,
    }))
}
