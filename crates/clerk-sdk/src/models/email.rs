//! Emails sent through the legacy `POST /v1/emails` endpoint.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Metadata;

/// An email (`object: "email"`, ID prefix `ema_`). The Backend API specs do
/// not describe it (the endpoint predates them); its fields follow the
/// webhooks spec (`EmailEventPayload`) and the legacy SDKs, so only what
/// both always carry is required.
///
/// ```
/// let email: clerk_sdk::Email = serde_json::from_str(r#"{
///     "object": "email", "id": "ema_1", "from_email_name": "info", "email_address_id": "idn_1",
///     "subject": "Welcome", "body": "<p>Hi</p>", "status": "queued", "data": {},
///     "delivered_by_clerk": false
/// }"#)?;
/// assert_eq!(email.status.as_deref(), Some("queued"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Email {
    /// `"email"`.
    pub object: String,
    /// The ID (`ema_...`).
    pub id: String,
    /// The template slug, for emails Clerk generated.
    pub slug: Option<String>,
    /// The local part of the sender (`info` sends from `info@<your domain>`).
    pub from_email_name: String,
    /// The local part of the reply-to address.
    pub reply_to_email_name: Option<String>,
    /// The recipient's email address ID.
    pub email_address_id: Option<String>,
    /// The recipient's address.
    pub to_email_address: Option<String>,
    /// The recipient user.
    pub user_id: Option<String>,
    /// The subject.
    pub subject: Option<String>,
    /// The HTML body.
    pub body: Option<String>,
    /// The plain-text body.
    pub body_plain: Option<String>,
    /// Delivery state, e.g. `queued`.
    pub status: Option<String>,
    /// Template data.
    pub data: Option<Metadata>,
    /// Whether Clerk delivers it (rather than your webhook handler).
    pub delivered_by_clerk: bool,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
