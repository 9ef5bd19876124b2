//! The local webhooks API's objects (`/_local/webhooks/…`): endpoints, messages with their
//! deliveries, and attempts. Clerk has no such objects (Svix keeps them); the names follow
//! Svix's.

use serde::Serialize;
use serde_json::Value;

use crate::store::webhooks::Endpoint;
use crate::store::webhooks::attempts::Attempt;
use crate::store::webhooks::messages::{Delivery, Message};

/// `webhook_endpoint`, secret included (the caller holds the instance's secret key).
#[derive(Serialize)]
pub(crate) struct WebhookEndpointJson<'a> {
    object: &'static str,
    id: &'a str,
    url: &'a str,
    description: Option<&'a str>,
    filter_types: Option<&'a [String]>,
    secret: &'a str,
    created_at: i64,
    updated_at: i64,
}

impl<'a> WebhookEndpointJson<'a> {
    pub(crate) fn new(endpoint: &'a Endpoint) -> Self {
        Self {
            object: "webhook_endpoint",
            id: &endpoint.id,
            url: &endpoint.url,
            description: endpoint.description.as_deref(),
            filter_types: endpoint.filter_types.as_deref(),
            secret: &endpoint.secret,
            created_at: endpoint.created_at,
            updated_at: endpoint.updated_at,
        }
    }
}

/// Where a message stands with one endpoint.
#[derive(Serialize)]
struct DeliveryJson<'a> {
    object: &'static str,
    endpoint_id: &'a str,
    /// `pending`, `succeeded` or `failed`.
    status: &'a str,
    attempts: i64,
    next_attempt_at: Option<i64>,
}

/// `webhook_message`: the event as sent (`payload`) and its deliveries.
#[derive(Serialize)]
pub(crate) struct WebhookMessageJson<'a> {
    object: &'static str,
    id: &'a str,
    event_type: &'a str,
    payload: Value,
    created_at: i64,
    deliveries: Vec<DeliveryJson<'a>>,
}

impl<'a> WebhookMessageJson<'a> {
    pub(crate) fn new(message: &'a Message, deliveries: &'a [Delivery]) -> Self {
        Self {
            object: "webhook_message",
            id: &message.id,
            event_type: &message.event_type,
            payload: serde_json::from_str(&message.payload).unwrap_or(Value::Null),
            created_at: message.created_at,
            deliveries: deliveries
                .iter()
                .map(|d| DeliveryJson {
                    object: "webhook_delivery",
                    endpoint_id: &d.endpoint_id,
                    status: &d.status,
                    attempts: d.attempts,
                    next_attempt_at: d.next_attempt_at,
                })
                .collect(),
        }
    }
}

/// `webhook_attempt`: one POST to an endpoint and how it went.
#[derive(Serialize)]
pub(crate) struct WebhookAttemptJson<'a> {
    object: &'static str,
    id: &'a str,
    message_id: &'a str,
    endpoint_id: &'a str,
    url: &'a str,
    status: &'a str,
    response_status_code: Option<i64>,
    response: &'a str,
    duration_ms: i64,
    trigger_type: &'a str,
    created_at: i64,
}

impl<'a> WebhookAttemptJson<'a> {
    pub(crate) fn new(attempt: &'a Attempt) -> Self {
        Self {
            object: "webhook_attempt",
            id: &attempt.id,
            message_id: &attempt.message_id,
            endpoint_id: &attempt.endpoint_id,
            url: &attempt.url,
            status: &attempt.status,
            response_status_code: attempt.response_status_code,
            response: &attempt.response,
            duration_ms: attempt.duration_ms,
            trigger_type: &attempt.trigger_type,
            created_at: attempt.created_at,
        }
    }
}
