//! Webhook events: each one is written, in the unit of work of the change that emits it, as
//! a message with a delivery per endpoint that wants its type (a transactional outbox), so a
//! committed change always has its event and a rolled-back one never does. Once the unit of
//! work commits, the delivery worker is woken (`delivery`).

use std::future::Future;
use std::sync::Arc;

use serde::Serialize;
use tokio::sync::Notify;

use crate::ids;
use crate::store::webhooks::{self, messages};
use crate::store::{Result, StoreError, UnitOfWork};

/// Every event type of Clerk's webhooks (`webhooks-2025-04-15`), those this server emits
/// and those of features it does not have (billing).
pub(crate) const EVENT_TYPES: [&str; 45] = [
    "email.created",
    "organization.created",
    "organization.deleted",
    "organization.updated",
    "organizationDomain.created",
    "organizationDomain.deleted",
    "organizationDomain.updated",
    "organizationInvitation.accepted",
    "organizationInvitation.created",
    "organizationInvitation.revoked",
    "organizationMembership.created",
    "organizationMembership.deleted",
    "organizationMembership.updated",
    "paymentAttempt.created",
    "paymentAttempt.updated",
    "permission.created",
    "permission.deleted",
    "permission.updated",
    "role.created",
    "role.deleted",
    "role.updated",
    "session.created",
    "session.ended",
    "session.pending",
    "session.removed",
    "session.revoked",
    "sms.created",
    "subscription.active",
    "subscription.created",
    "subscription.pastDue",
    "subscription.updated",
    "subscriptionItem.abandoned",
    "subscriptionItem.active",
    "subscriptionItem.canceled",
    "subscriptionItem.ended",
    "subscriptionItem.freeTrialEnding",
    "subscriptionItem.incomplete",
    "subscriptionItem.pastDue",
    "subscriptionItem.upcoming",
    "subscriptionItem.updated",
    "user.created",
    "user.deleted",
    "user.updated",
    "waitlistEntry.created",
    "waitlistEntry.updated",
];

/// The prefix of message ids (Svix's).
pub(crate) const MESSAGE_PREFIX: &str = "msg";

/// Who made the request that caused a change: the event's `event_attributes.http_request`.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct RequestOrigin {
    pub client_ip: String,
    pub user_agent: String,
}

tokio::task_local! {
    static ORIGIN: RequestOrigin;
}

/// Runs `work` (a request's handling) with `origin` as the origin of the events it emits.
pub(crate) async fn with_origin<F: Future>(origin: RequestOrigin, work: F) -> F::Output {
    ORIGIN.scope(origin, work).await
}

/// The request being handled; empty outside a request (start-up, seeding).
fn current_origin() -> RequestOrigin {
    ORIGIN.try_with(Clone::clone).unwrap_or_default()
}

/// The event as Clerk sends it; keys in Clerk's (alphabetical) order.
#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    data: &'a T,
    event_attributes: EventAttributes,
    instance_id: &'a str,
    object: &'static str,
    /// Unix milliseconds, as Clerk sends it.
    timestamp: i64,
    #[serde(rename = "type")]
    event_type: &'a str,
}

#[derive(Serialize)]
struct EventAttributes {
    http_request: RequestOrigin,
}

/// Writes events into units of work and wakes the delivery worker after their commit.
#[derive(Debug, Clone)]
pub(crate) struct Events {
    instance_id: String,
    wake: Arc<Notify>,
}

impl Events {
    /// Events of instance `instance_id`; `wake` wakes the delivery worker.
    pub(crate) fn new(instance_id: String, wake: Arc<Notify>) -> Self {
        Self { instance_id, wake }
    }

    /// What wakes the delivery worker.
    pub(crate) fn wake(&self) -> &Arc<Notify> {
        &self.wake
    }

    /// Emits an event of `event_type` (one of Clerk's, `user.created` …) whose `data` is
    /// `data`, the resource's wire view after the change, in `work`.
    pub(crate) async fn emit<T: Serialize>(
        &self,
        work: &mut UnitOfWork,
        event_type: &'static str,
        data: &T,
        now_ms: i64,
    ) -> Result<()> {
        let envelope = Envelope {
            data,
            event_attributes: EventAttributes {
                http_request: current_origin(),
            },
            instance_id: &self.instance_id,
            object: "event",
            timestamp: now_ms,
            event_type,
        };
        // Wire views are maps of strings, numbers and JSON: serialising cannot fail.
        let payload = serde_json::to_string(&envelope)
            .map_err(|e| StoreError::Database(sqlx::Error::Encode(Box::new(e))))?;
        let message = messages::Message {
            id: ids::new_id(MESSAGE_PREFIX, now_ms),
            event_type: event_type.to_owned(),
            payload,
            created_at: now_ms,
        };
        let endpoints = webhooks::all_in(work.tx()).await?;
        let deliveries = messages::insert(work.tx(), &message, &endpoints).await?;
        if deliveries > 0 {
            let wake = Arc::clone(&self.wake);
            work.after_commit(move || wake.notify_one());
        }
        Ok(())
    }
}
