//! Emails and SMS messages: `POST /v1/emails` and `POST /v1/sms_messages` (legacy Clerk
//! endpoints, in no published spec), and the messages the server sends by itself
//! (allowlist invitations, primary-address change notices). All of them land in the outbox
//! (`GET /v1/_local/outbox`); emails are also relayed over SMTP when configured.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Map, Value, json};

use crate::app::AppState;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::identifiers::{IdentifierKind, is_valid_local_part};
use crate::ids::{self, prefix};
use crate::smtp;
use crate::store::allowlist::AllowlistIdentifier;
use crate::store::outbox::{MessageKind, OutboxMessage};
use crate::store::users::User;

/// The sender of every SMS message.
pub(crate) const SMS_SENDER: &str = "+15555550100";

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/emails", post(create_email))
        .route("/sms_messages", post(create_sms))
}

/// `POST /v1/emails {email_address_id, from_email_name, subject, body, template_slug}`.
async fn create_email(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(&[
        "email_address_id",
        "from_email_name",
        "subject",
        "body",
        "template_slug",
    ])?;
    let email_address_id = body.required_string("email_address_id")?;
    let from_email_name = body.required_string("from_email_name")?;
    if !is_valid_local_part(&from_email_name) {
        return Err(ApiError::param_format_invalid(
            "from_email_name",
            "from_email_name must be a valid email address local part.",
        ));
    }
    let subject = body.string("subject")?.unwrap_or_default();
    let html = body.string("body")?.unwrap_or_default();
    let slug = body.string("template_slug")?;
    let address = state
        .store
        .identification(&email_address_id, IdentifierKind::EmailAddress)
        .await?
        .ok_or_else(|| ApiError::not_found("email address", &email_address_id))?;
    let message = send_email(
        &state,
        Email {
            slug: slug.as_deref(),
            from_email_name: &from_email_name,
            to: &address.value,
            email_address_id: Some(&address.id),
            user_id: Some(&address.user_id),
            subject: &subject,
            body: &html,
        },
    )
    .await?;
    Ok(Json(Value::Object(message.object())))
}

/// `POST /v1/sms_messages {phone_number_id, message}`; the phone number must be verified.
async fn create_sms(
    State(state): State<AppState>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    body.allow_only(&["phone_number_id", "message"])?;
    let phone_number_id = body.required_string("phone_number_id")?;
    let text = body.required_string("message")?;
    let phone = state
        .store
        .identification(&phone_number_id, IdentifierKind::PhoneNumber)
        .await?
        .ok_or_else(|| ApiError::not_found("phone number", &phone_number_id))?;
    if !phone.verified {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_verification_needed",
            "is unverified",
            "This phone number needs to be verified before it can receive messages.",
        )
        .with_param("phone_number_id"));
    }
    let message = send_sms(
        &state,
        None,
        &phone.value,
        Some(&phone.id),
        Some(&phone.user_id),
        &text,
    )
    .await?;
    Ok(Json(Value::Object(message.object())))
}

/// An email about to be sent.
pub(crate) struct Email<'a> {
    pub slug: Option<&'a str>,
    pub from_email_name: &'a str,
    pub to: &'a str,
    pub email_address_id: Option<&'a str>,
    pub user_id: Option<&'a str>,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Puts an `email` object in the outbox (status `queued`) and, with an SMTP relay
/// configured, relays it in the background (status then `delivered` or `failed`).
pub(crate) async fn send_email(
    state: &AppState,
    email: Email<'_>,
) -> Result<OutboxMessage, ApiError> {
    let now = state.now_ms();
    let id = ids::new_id(prefix::EMAIL, now);
    let payload = json!({
        "object": "email",
        "id": id,
        "slug": email.slug,
        "from_email_name": email.from_email_name,
        "reply_to_email_name": null,
        "to_email_address": email.to,
        "email_address_id": email.email_address_id,
        "user_id": email.user_id,
        "subject": email.subject,
        "body": email.body,
        "body_plain": null,
        "status": "queued",
        "data": {},
        "delivered_by_clerk": state.smtp.is_some(),
    });
    let message = outbox_message(
        id,
        MessageKind::Email,
        email.to,
        email.user_id,
        payload,
        now,
    );
    state.store.insert_message(&message).await?;
    if let Some(config) = state.smtp.clone() {
        let (state, message) = (state.clone(), message.clone());
        tokio::spawn(async move {
            let outgoing = smtp::OutgoingEmail {
                message_id: &message.id,
                from_local_part: message.payload["from_email_name"]
                    .as_str()
                    .unwrap_or("notifications"),
                to: &message.recipient,
                subject: message.payload["subject"].as_str().unwrap_or_default(),
                html: message.payload["body"].as_str().unwrap_or_default(),
            };
            let status = match smtp::send(&config, &outgoing).await {
                Ok(()) => "delivered",
                Err(err) => {
                    tracing::warn!(email_id = %message.id, error = %err, "SMTP relay failed");
                    "failed"
                }
            };
            if let Err(err) = state.store.set_message_status(&message.id, status).await {
                tracing::warn!(email_id = %message.id, status = ?err.status(), "could not record the delivery status");
            }
        });
    }
    Ok(message)
}

/// Puts an `sms_message` object in the outbox (SMS messages are never relayed).
pub(crate) async fn send_sms(
    state: &AppState,
    slug: Option<&str>,
    to: &str,
    phone_number_id: Option<&str>,
    user_id: Option<&str>,
    text: &str,
) -> Result<OutboxMessage, ApiError> {
    let now = state.now_ms();
    let id = ids::new_id(prefix::SMS, now);
    let payload = json!({
        "object": "sms_message",
        "id": id,
        "slug": slug,
        "from_phone_number": SMS_SENDER,
        "to_phone_number": to,
        "phone_number_id": phone_number_id,
        "user_id": user_id,
        "message": text,
        "status": "queued",
        "data": {},
        "delivered_by_clerk": false,
        "created_at_ms": now,
    });
    let message = outbox_message(id, MessageKind::Sms, to, user_id, payload, now);
    state.store.insert_message(&message).await?;
    Ok(message)
}

fn outbox_message(
    id: String,
    kind: MessageKind,
    recipient: &str,
    user_id: Option<&str>,
    payload: Value,
    now: i64,
) -> OutboxMessage {
    let payload = match payload {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    OutboxMessage {
        id,
        kind,
        recipient: recipient.to_owned(),
        user_id: user_id.map(str::to_owned),
        status: "queued".to_owned(),
        payload,
        created_at: now,
    }
}

/// The invitation of an allowlist identifier created with `notify: true`.
pub(crate) async fn send_invitation(
    state: &AppState,
    item: &AllowlistIdentifier,
) -> Result<(), ApiError> {
    match item.identifier_type {
        IdentifierKind::EmailAddress => {
            let from = state.store.instance().await?.settings.from_email_address;
            send_email(
                state,
                Email {
                    slug: Some("invitation"),
                    from_email_name: &from,
                    to: &item.identifier,
                    email_address_id: None,
                    user_id: None,
                    subject: "You're invited",
                    body: "<p>You have been invited to sign up. Your address is on the allowlist.</p>",
                },
            )
            .await?;
        }
        IdentifierKind::PhoneNumber => {
            send_sms(
                state,
                Some("invitation"),
                &item.identifier,
                None,
                None,
                "You have been invited to sign up. Your number is on the allowlist.",
            )
            .await?;
        }
        IdentifierKind::Web3Wallet => {}
    }
    Ok(())
}

/// Tells the previous primary email address of a user that it was replaced.
pub(crate) async fn notify_primary_email_changed(
    state: &AppState,
    before: &User,
    after: &User,
) -> Result<(), ApiError> {
    let primary = |user: &User| {
        let id = user.record.primary_email_address_id.as_deref()?;
        user.identifications.iter().find(|i| i.id == id).cloned()
    };
    let (Some(old), new) = (primary(before), primary(after)) else {
        return Ok(());
    };
    if new.as_ref().is_some_and(|n| n.id == old.id) {
        return Ok(());
    }
    let new_address = new.map(|n| n.value).unwrap_or_default();
    let from = state.store.instance().await?.settings.from_email_address;
    let body = format!("<p>Your primary email address was changed to {new_address}.</p>");
    send_email(
        state,
        Email {
            slug: Some("primary_email_address_changed"),
            from_email_name: &from,
            to: &old.value,
            email_address_id: Some(&old.id),
            user_id: Some(&after.record.id),
            subject: "Your primary email address was changed",
            body: &body,
        },
    )
    .await?;
    Ok(())
}
