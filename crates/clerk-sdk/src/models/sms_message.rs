//! SMS messages sent through the legacy `POST /v1/sms_messages` endpoint.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Metadata;

/// An SMS message (`object: "sms_message"`, ID prefix `sms_`). Described only
/// by the webhooks spec (`SmsEventPayload`); its `created_at_ms` is optional
/// here because the legacy endpoint never sent it (and the spec's own example
/// says `created_at`).
///
/// ```
/// let sms: clerk_sdk::SmsMessage = serde_json::from_str(r#"{
///     "object": "sms_message", "id": "sms_1", "from_phone_number": "+15555550100",
///     "to_phone_number": "+15555550101", "phone_number_id": "idn_1", "message": "Hi",
///     "status": "queued", "data": {}, "delivered_by_clerk": true
/// }"#)?;
/// assert_eq!(sms.message, "Hi");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SmsMessage {
    /// `"sms_message"`.
    pub object: String,
    /// The ID (`sms_...`).
    pub id: String,
    /// The template slug, for messages Clerk generated.
    pub slug: Option<String>,
    /// The sender number.
    pub from_phone_number: String,
    /// The recipient number.
    pub to_phone_number: String,
    /// The recipient's phone number ID.
    pub phone_number_id: Option<String>,
    /// The recipient user.
    pub user_id: Option<String>,
    /// The text.
    pub message: String,
    /// Delivery state, e.g. `queued`.
    pub status: String,
    /// Template data.
    pub data: Option<Metadata>,
    /// Whether Clerk delivers it (rather than your webhook handler).
    pub delivered_by_clerk: bool,
    /// Creation time (Unix ms), as the webhooks spec names it.
    pub created_at_ms: Option<i64>,
    /// Creation time (Unix ms), as the webhooks spec's example names it.
    pub created_at: Option<i64>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
