//! [`Event`]: the JSON body of a delivery, typed by its `type`.

use serde::de::{self, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::WebhookError;
use crate::models::{
    DeletedObject, Email, Organization, OrganizationMembership, Session, SmsMessage, User,
};

/// One webhook event, as Clerk sends it:
/// `{"data": {...}, "object": "event", "type": "user.created", "timestamp": ..., "instance_id": "ins_...", "event_attributes": {"http_request": {...}}}`.
///
/// [`data`](Event::data) is typed by `type` ([`EventData`]); the envelope's fields are kept
/// beside it, and keys this SDK does not know in [`extra`](Event::extra).
///
/// ```
/// use clerk_sdk::webhooks::{Event, EventData};
///
/// let event = Event::from_slice(br#"{
///     "object": "event", "type": "user.deleted", "timestamp": 1716883200000,
///     "instance_id": "ins_1",
///     "event_attributes": {"http_request": {"client_ip": "192.0.2.1", "user_agent": "curl/8"}},
///     "data": {"object": "user", "id": "user_1", "deleted": true}
/// }"#)?;
/// assert_eq!(event.event_type, "user.deleted");
/// assert_eq!(event.http_request().and_then(|r| r.client_ip.as_deref()), Some("192.0.2.1"));
/// match &event.data {
///     EventData::UserDeleted(deleted) => assert_eq!(deleted.id.as_deref(), Some("user_1")),
///     other => panic!("unexpected {other:?}"),
/// }
/// # Ok::<(), clerk_sdk::webhooks::WebhookError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// The event type (`type` on the wire), such as `user.created`.
    pub event_type: String,
    /// `"event"`.
    pub object: String,
    /// When the event happened, as Clerk sends it: Unix milliseconds (the spec's examples
    /// show seconds; the field is copied as it is).
    pub timestamp: i64,
    /// The Clerk instance (`ins_...`) the event belongs to.
    pub instance_id: String,
    /// About the request that caused the event, when there was one.
    pub event_attributes: Option<EventAttributes>,
    /// The object the event is about, typed by `event_type`.
    pub data: EventData,
    /// Envelope keys this SDK does not know.
    pub extra: Map<String, Value>,
}

/// The `event_attributes` of an [`Event`].
///
/// ```
/// let attributes: clerk_sdk::webhooks::EventAttributes = serde_json::from_str(
///     r#"{"http_request": {"client_ip": "192.0.2.1", "user_agent": "curl/8"}}"#,
/// )?;
/// assert!(attributes.http_request.is_some());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EventAttributes {
    /// The HTTP request behind the event.
    pub http_request: Option<HttpRequest>,
    /// Keys this SDK does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The HTTP request that caused an event.
///
/// ```
/// let request: clerk_sdk::webhooks::HttpRequest =
///     serde_json::from_str(r#"{"client_ip": "192.0.2.1", "user_agent": "curl/8"}"#)?;
/// assert_eq!(request.user_agent.as_deref(), Some("curl/8"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The client's IP address.
    pub client_ip: Option<String>,
    /// The client's `User-Agent`.
    pub user_agent: Option<String>,
    /// Keys this SDK does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `data` of a session event: the session, and its user.
///
/// ```
/// use clerk_sdk::webhooks::SessionEvent;
///
/// let data: SessionEvent = serde_json::from_value(serde_json::json!({
///     "object": "session", "id": "sess_1", "user_id": "user_1", "client_id": "client_1",
///     "status": "active", "last_active_at": 1, "expire_at": 2, "abandon_at": 3,
///     "created_at": 1, "updated_at": 1,
///     "user": {"object": "user", "id": "user_1", "has_image": false, "password_enabled": false,
///              "two_factor_enabled": false, "totp_enabled": false, "backup_code_enabled": false,
///              "banned": false, "locked": false, "delete_self_enabled": true,
///              "create_organization_enabled": true, "created_at": 1, "updated_at": 1}
/// }))?;
/// assert_eq!(data.session.id, "sess_1");
/// assert_eq!(data.user.id, "user_1");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionEvent {
    /// The session.
    #[serde(flatten)]
    pub session: Session,
    /// The session's user.
    pub user: User,
}

/// Declares [`EventData`] and [`EVENT_TYPES`] from one table: wire type, variant, data type.
macro_rules! events {
    ($($wire:literal => $variant:ident($data:ty),)+) => {
        /// The `data` of an [`Event`], typed by the event's `type`: one variant per event type
        /// of Clerk's webhooks spec (2025-04-15), and [`EventData::Other`] for the rest.
        ///
        /// Objects the SDK has no model for yet (organization domains, invitations, roles,
        /// permissions, waitlist entries, billing) are kept as JSON values.
        ///
        /// ```
        /// use clerk_sdk::webhooks::{Event, EventData};
        ///
        /// let event = Event::from_slice(br#"{"object": "event", "type": "user.teleported",
        ///     "timestamp": 1, "instance_id": "ins_1", "data": {"id": "user_1"}}"#)?;
        /// assert!(matches!(&event.data, EventData::Other(data) if data["id"] == "user_1"));
        /// assert_eq!(event.data.event_type(), None);
        /// # Ok::<(), clerk_sdk::webhooks::WebhookError>(())
        /// ```
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        // Events are read once per delivery and matched right away: boxing the large
        // models would only make every match clumsier.
        #[allow(clippy::large_enum_variant)]
        pub enum EventData {
            $(
                #[doc = concat!("`", $wire, "`")]
                $variant($data),
            )+
            /// An event type this version of the SDK does not know, its `data` kept as sent.
            Other(Value),
        }

        /// Every event type [`EventData`] has a variant for, as written on the wire.
        ///
        /// ```
        /// assert!(clerk_sdk::webhooks::EVENT_TYPES.contains(&"user.created"));
        /// assert_eq!(clerk_sdk::webhooks::EVENT_TYPES.len(), 45);
        /// ```
        pub const EVENT_TYPES: &[&str] = &[$($wire),+];

        impl EventData {
            /// Reads `data` for an event of type `event_type`.
            fn decode(event_type: &str, data: Value) -> Result<Self, String> {
                Ok(match event_type {
                    $($wire => EventData::$variant(decode_path(data)?),)+
                    _ => EventData::Other(data),
                })
            }

            /// The event type this variant stands for; `None` for [`EventData::Other`].
            ///
            /// ```
            /// use clerk_sdk::webhooks::EventData;
            /// let data = EventData::Other(serde_json::json!({}));
            /// assert_eq!(data.event_type(), None);
            /// ```
            #[must_use]
            pub fn event_type(&self) -> Option<&'static str> {
                match self {
                    $(EventData::$variant(_) => Some($wire),)+
                    EventData::Other(_) => None,
                }
            }
        }

        impl Serialize for EventData {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(EventData::$variant(data) => data.serialize(serializer),)+
                    EventData::Other(data) => data.serialize(serializer),
                }
            }
        }
    };
}

events! {
    "email.created" => EmailCreated(Email),
    "organization.created" => OrganizationCreated(Organization),
    "organization.updated" => OrganizationUpdated(Organization),
    "organization.deleted" => OrganizationDeleted(DeletedObject),
    "organizationDomain.created" => OrganizationDomainCreated(Value),
    "organizationDomain.updated" => OrganizationDomainUpdated(Value),
    "organizationDomain.deleted" => OrganizationDomainDeleted(DeletedObject),
    "organizationInvitation.created" => OrganizationInvitationCreated(Value),
    "organizationInvitation.accepted" => OrganizationInvitationAccepted(Value),
    "organizationInvitation.revoked" => OrganizationInvitationRevoked(Value),
    "organizationMembership.created" => OrganizationMembershipCreated(OrganizationMembership),
    "organizationMembership.updated" => OrganizationMembershipUpdated(OrganizationMembership),
    "organizationMembership.deleted" => OrganizationMembershipDeleted(OrganizationMembership),
    "paymentAttempt.created" => PaymentAttemptCreated(Value),
    "paymentAttempt.updated" => PaymentAttemptUpdated(Value),
    "permission.created" => PermissionCreated(Value),
    "permission.updated" => PermissionUpdated(Value),
    "permission.deleted" => PermissionDeleted(DeletedObject),
    "role.created" => RoleCreated(Value),
    "role.updated" => RoleUpdated(Value),
    "role.deleted" => RoleDeleted(DeletedObject),
    "session.created" => SessionCreated(SessionEvent),
    "session.pending" => SessionPending(SessionEvent),
    "session.ended" => SessionEnded(SessionEvent),
    "session.removed" => SessionRemoved(SessionEvent),
    "session.revoked" => SessionRevoked(SessionEvent),
    "sms.created" => SmsCreated(SmsMessage),
    "subscription.created" => SubscriptionCreated(Value),
    "subscription.updated" => SubscriptionUpdated(Value),
    "subscription.active" => SubscriptionActive(Value),
    "subscription.pastDue" => SubscriptionPastDue(Value),
    "subscriptionItem.abandoned" => SubscriptionItemAbandoned(Value),
    "subscriptionItem.active" => SubscriptionItemActive(Value),
    "subscriptionItem.canceled" => SubscriptionItemCanceled(Value),
    "subscriptionItem.ended" => SubscriptionItemEnded(Value),
    "subscriptionItem.freeTrialEnding" => SubscriptionItemFreeTrialEnding(Value),
    "subscriptionItem.incomplete" => SubscriptionItemIncomplete(Value),
    "subscriptionItem.pastDue" => SubscriptionItemPastDue(Value),
    "subscriptionItem.upcoming" => SubscriptionItemUpcoming(Value),
    "subscriptionItem.updated" => SubscriptionItemUpdated(Value),
    "user.created" => UserCreated(User),
    "user.updated" => UserUpdated(User),
    "user.deleted" => UserDeleted(DeletedObject),
    "waitlistEntry.created" => WaitlistEntryCreated(Value),
    "waitlistEntry.updated" => WaitlistEntryUpdated(Value),
}

/// Reads a model, naming the JSON path that did not fit.
fn decode_path<T: de::DeserializeOwned>(data: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(data).map_err(|e| format!("data.{}: {}", e.path(), e.inner()))
}

impl Event {
    /// Reads a delivery's body. Verify it first ([`WebhookVerifier::verify`](super::WebhookVerifier::verify)),
    /// or use [`WebhookVerifier::verify_event`](super::WebhookVerifier::verify_event).
    ///
    /// ```
    /// use clerk_sdk::webhooks::{Event, WebhookError};
    ///
    /// let error = Event::from_slice(br#"{"type": "user.created", "data": {}}"#).unwrap_err();
    /// assert!(matches!(error, WebhookError::InvalidPayload { .. }));
    /// ```
    ///
    /// # Errors
    /// [`WebhookError::InvalidPayload`], naming what did not fit, when the body is not a
    /// JSON object with the envelope's fields or its `data` does not fit the event's type.
    pub fn from_slice(body: &[u8]) -> Result<Event, WebhookError> {
        let invalid = |detail: String| WebhookError::InvalidPayload { detail };
        let envelope: Map<String, Value> =
            serde_json::from_slice(body).map_err(|e| invalid(e.to_string()))?;
        Event::from_map(envelope).map_err(invalid)
    }

    fn from_map(mut envelope: Map<String, Value>) -> Result<Event, String> {
        fn field<T: de::DeserializeOwned>(
            envelope: &mut Map<String, Value>,
            key: &str,
        ) -> Result<T, String> {
            let value = envelope.remove(key).unwrap_or(Value::Null);
            serde_json::from_value(value).map_err(|e| format!("{key}: {e}"))
        }
        let event_type: String = field(&mut envelope, "type")?;
        let object = field(&mut envelope, "object")?;
        let timestamp = field(&mut envelope, "timestamp")?;
        let instance_id = field(&mut envelope, "instance_id")?;
        let event_attributes = field(&mut envelope, "event_attributes")?;
        let data = envelope.remove("data").unwrap_or(Value::Null);
        Ok(Event {
            data: EventData::decode(&event_type, data)?,
            event_type,
            object,
            timestamp,
            instance_id,
            event_attributes,
            extra: envelope,
        })
    }

    /// The request that caused the event (`event_attributes.http_request`), when known.
    ///
    /// ```
    /// let event = clerk_sdk::webhooks::Event::from_slice(br#"{"object": "event", "type": "x",
    ///     "timestamp": 1, "instance_id": "ins_1", "data": {}}"#)?;
    /// assert!(event.http_request().is_none());
    /// # Ok::<(), clerk_sdk::webhooks::WebhookError>(())
    /// ```
    #[must_use]
    pub fn http_request(&self) -> Option<&HttpRequest> {
        self.event_attributes.as_ref()?.http_request.as_ref()
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let envelope = Map::deserialize(deserializer)?;
        Event::from_map(envelope).map_err(de::Error::custom)
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("data", &self.data)?;
        map.serialize_entry("object", &self.object)?;
        map.serialize_entry("type", &self.event_type)?;
        map.serialize_entry("timestamp", &self.timestamp)?;
        map.serialize_entry("instance_id", &self.instance_id)?;
        if let Some(attributes) = &self.event_attributes {
            map.serialize_entry("event_attributes", attributes)?;
        }
        for (key, value) in &self.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_type_is_listed_once() {
        let unique: std::collections::HashSet<_> = EVENT_TYPES.iter().collect();
        assert_eq!(unique.len(), EVENT_TYPES.len());
    }

    #[test]
    fn a_known_type_with_data_that_does_not_fit_names_the_path() {
        let error = Event::from_slice(
            br#"{"object": "event", "type": "user.deleted", "timestamp": 1,
                 "instance_id": "ins_1", "data": {"object": "user", "deleted": "yes"}}"#,
        )
        .unwrap_err();
        assert!(error.to_string().contains("data.deleted"), "{error}");
    }

    #[test]
    fn envelopes_without_required_fields_are_refused() {
        for body in [
            &br#"[]"#[..],
            br#"{"object": "event", "timestamp": 1, "instance_id": "i", "data": {}}"#,
            br#"{"object": "event", "type": "x", "timestamp": "1", "instance_id": "i", "data": {}}"#,
            br#"{"object": "event", "type": "x", "timestamp": 1, "data": {}}"#,
        ] {
            assert!(Event::from_slice(body).is_err(), "{}", String::from_utf8_lossy(body));
        }
    }
}
