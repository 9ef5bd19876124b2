//! Emails and SMS messages sent on request (`POST /v1/emails`, `POST /v1/sms_messages`):
//! to one of a user's email addresses or verified phone numbers.

use super::error::{Result, Rule};
use super::identifiers::IdentifierKind;
use super::services::Services;
use crate::notify::{Email, Sms};
use crate::store::outbox::OutboxMessage;
use crate::store::{StoreError, UnitOfWork};

/// What `POST /v1/emails` asks to send.
#[derive(Debug, Clone)]
pub(crate) struct EmailRequest {
    pub email_address_id: String,
    pub from_email_name: String,
    pub subject: String,
    pub body: String,
    pub slug: Option<String>,
}

/// Sends an email to the email address `request.email_address_id`.
pub(crate) async fn send_email(svc: &Services, request: &EmailRequest) -> Result<OutboxMessage> {
    let kind = IdentifierKind::EmailAddress;
    let address = svc
        .store
        .identification(&request.email_address_id, kind)
        .await?
        .ok_or_else(|| StoreError::not_found(kind.words(), &request.email_address_id))?;
    let email = Email {
        slug: request.slug.as_deref(),
        from_email_name: &request.from_email_name,
        reply_to_email_name: None,
        to: &address.value,
        email_address_id: Some(&address.id),
        user_id: Some(&address.user_id),
        subject: &request.subject,
        body: &request.body,
        delivered_by_clerk: true,
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let message = svc.notifier.email(&mut work, email, svc.now_ms()).await?;
    work.commit().await?;
    Ok(message)
}

/// Sends an SMS message to the phone number `phone_number_id`, which must be verified.
pub(crate) async fn send_sms(
    svc: &Services,
    phone_number_id: &str,
    text: &str,
) -> Result<OutboxMessage> {
    let kind = IdentifierKind::PhoneNumber;
    let phone = svc
        .store
        .identification(phone_number_id, kind)
        .await?
        .ok_or_else(|| StoreError::not_found(kind.words(), phone_number_id))?;
    if !phone.verified {
        return Err(Rule::input(
            "form_verification_needed",
            "phone_number_id",
            "is unverified",
            "This phone number needs to be verified before it can receive messages.",
        )
        .into());
    }
    let sms = Sms {
        slug: None,
        to: &phone.value,
        phone_number_id: Some(&phone.id),
        user_id: Some(&phone.user_id),
        text,
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    super::sms_countries::refuse_blocked(&mut work, &phone.value).await?;
    let message = svc.notifier.sms(&mut work, sms, svc.now_ms()).await?;
    work.commit().await?;
    Ok(message)
}

/// Empties the outbox; returns how many messages it held.
pub(crate) async fn clear_outbox(svc: &Services) -> Result<u64> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let cleared = crate::store::outbox::clear(work.tx()).await?;
    work.commit().await?;
    Ok(cleared)
}
