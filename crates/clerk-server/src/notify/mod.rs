//! Notifications: the emails and SMS messages the instance sends. Each one is written to
//! the outbox (`GET /v1/_local/outbox` reads it back) inside the caller's unit of work, so
//! it exists exactly when the change that sent it committed; an email is then relayed over
//! SMTP (when configured) once the unit of work has committed, never before. Each also
//! emits its webhook event (`email.created`, `sms.created`) in the same unit of work.

pub(crate) mod delivery;
pub(crate) mod events;
pub(crate) mod signing;
pub(crate) mod smtp;

use serde_json::{Map, Value, json};

use crate::config::SmtpConfig;
use crate::ids::{self, prefix};
use crate::store::outbox::{self, MessageKind, OutboxMessage};
use crate::store::{Result, Store, UnitOfWork};
use events::Events;

/// The sender of every SMS message.
pub(crate) const SMS_SENDER: &str = "+15555550100";

/// An email to send.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Email<'a> {
    /// The template it comes from (`invitation`, …), if any.
    pub slug: Option<&'a str>,
    /// The local part of the sender's address.
    pub from_email_name: &'a str,
    /// The local part of the Reply-To address, if any.
    pub reply_to_email_name: Option<&'a str>,
    pub to: &'a str,
    pub email_address_id: Option<&'a str>,
    pub user_id: Option<&'a str>,
    pub subject: &'a str,
    pub body: &'a str,
    /// False when its template says the app delivers it: it is only written to the outbox
    /// (and announced by `email.created`), never relayed.
    pub delivered_by_clerk: bool,
}

/// An SMS message to send.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sms<'a> {
    pub slug: Option<&'a str>,
    pub to: &'a str,
    pub phone_number_id: Option<&'a str>,
    pub user_id: Option<&'a str>,
    pub text: &'a str,
}

/// Sends notifications: to the outbox, and emails on to an SMTP relay.
#[derive(Debug)]
pub(crate) struct Notifier {
    store: Store,
    smtp: Option<SmtpConfig>,
    events: Events,
}

impl Notifier {
    /// A notifier writing to `store`'s outbox, relaying emails to `smtp`, if given, and
    /// emitting their events through `events`.
    pub(crate) fn new(store: Store, smtp: Option<SmtpConfig>, events: Events) -> Self {
        Self {
            store,
            smtp,
            events,
        }
    }

    /// Puts an `email` object in the outbox (status `queued`) in `work`; with an SMTP relay
    /// configured and `email.delivered_by_clerk`, relays it once `work` has committed
    /// (status then `delivered` or `failed`).
    pub(crate) async fn email(
        &self,
        work: &mut UnitOfWork,
        email: Email<'_>,
        now_ms: i64,
    ) -> Result<OutboxMessage> {
        let id = ids::new_id(prefix::EMAIL, now_ms);
        let payload = json!({
            "object": "email",
            "id": id,
            "slug": email.slug,
            "from_email_name": email.from_email_name,
            "reply_to_email_name": email.reply_to_email_name,
            "to_email_address": email.to,
            "email_address_id": email.email_address_id,
            "user_id": email.user_id,
            "subject": email.subject,
            "body": email.body,
            "body_plain": null,
            "status": "queued",
            "data": {},
            // Whether this server delivers it: a relay is configured and the template
            // leaves delivery to Clerk.
            "delivered_by_clerk": email.delivered_by_clerk && self.smtp.is_some(),
        });
        let message = queued(
            id,
            MessageKind::Email,
            email.to,
            email.user_id,
            payload,
            now_ms,
        );
        outbox::insert(work.tx(), &message).await?;
        self.events
            .emit(work, "email.created", &message.payload, now_ms)
            .await?;
        if let Some(config) = self.smtp.clone().filter(|_| email.delivered_by_clerk) {
            let (store, relayed) = (self.store.clone(), message.clone());
            work.after_commit(move || {
                tokio::spawn(relay(store, config, relayed));
            });
        }
        Ok(message)
    }

    /// Puts an `sms_message` object in the outbox in `work` (SMS messages are never
    /// relayed, so never `delivered_by_clerk`).
    pub(crate) async fn sms(
        &self,
        work: &mut UnitOfWork,
        sms: Sms<'_>,
        now_ms: i64,
    ) -> Result<OutboxMessage> {
        let id = ids::new_id(prefix::SMS, now_ms);
        let payload = json!({
            "object": "sms_message",
            "id": id,
            "slug": sms.slug,
            "from_phone_number": SMS_SENDER,
            "to_phone_number": sms.to,
            "phone_number_id": sms.phone_number_id,
            "user_id": sms.user_id,
            "message": sms.text,
            "status": "queued",
            "data": {},
            "delivered_by_clerk": false,
            "created_at_ms": now_ms,
        });
        let message = queued(id, MessageKind::Sms, sms.to, sms.user_id, payload, now_ms);
        outbox::insert(work.tx(), &message).await?;
        self.events
            .emit(work, "sms.created", &message.payload, now_ms)
            .await?;
        Ok(message)
    }
}

/// A message as it enters the outbox.
fn queued(
    id: String,
    kind: MessageKind,
    recipient: &str,
    user_id: Option<&str>,
    payload: Value,
    now_ms: i64,
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
        created_at: now_ms,
    }
}

/// Relays a committed email over SMTP and records how that went.
async fn relay(store: Store, config: SmtpConfig, message: OutboxMessage) {
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
    let recorded = async {
        let mut work = UnitOfWork::begin(&store).await?;
        outbox::set_status(work.tx(), &message.id, status).await?;
        work.commit().await
    };
    if let Err(err) = recorded.await {
        tracing::warn!(email_id = %message.id, error = %err, "could not record the delivery status");
    }
}
