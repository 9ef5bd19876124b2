//! Email and SMS templates: the messages Clerk sends, editable per instance.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

string_enum! {
    /// Whether a template is for emails or SMS messages (the `{template_type}` of its
    /// path).
    pub enum MessageTemplateType {
        Email => "email",
        Sms => "sms",
    }
}

/// An email or SMS template (`object: "template"`; the spec's `Template`). Its `body` is a
/// Handlebars template (`{{otp_code}}`, `{{app.name}}`, …); `required_variables` must stay
/// in it.
///
/// ```
/// let template: clerk_sdk::MessageTemplate = serde_json::from_str(r#"{
///     "object": "template", "id": "tmpl_1", "instance_id": null, "resource_type": "system",
///     "template_type": "email", "name": "Verification code", "slug": "verification_code",
///     "position": 0, "can_revert": false, "can_delete": false, "can_edit_body": true,
///     "can_toggle": false, "subject": "{{otp_code}} is your verification code",
///     "markup": "", "body": "<p>{{otp_code}}</p>", "available_variables": ["otp_code"],
///     "required_variables": ["otp_code"], "from_email_name": "notifications",
///     "reply_to_email_name": "", "delivered_by_clerk": true, "enabled": true,
///     "flagged_as_suspicious": false, "updated_at": 1, "created_at": 1
/// }"#)?;
/// assert_eq!(template.template_type, Some(clerk_sdk::MessageTemplateType::Email));
/// assert_eq!(template.required_variables, ["otp_code"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MessageTemplate {
    /// `"template"`.
    #[serde(default)]
    pub object: Option<String>,
    /// The ID (`tmpl_...`).
    #[serde(default)]
    pub id: Option<String>,
    /// The instance whose edit it is; `None` for Clerk's defaults.
    #[serde(default)]
    pub instance_id: Option<String>,
    /// `system` (Clerk's default) or `user` (edited by the instance).
    #[serde(default)]
    pub resource_type: Option<String>,
    /// Email or SMS.
    #[serde(default)]
    pub template_type: Option<MessageTemplateType>,
    /// Its name for people.
    #[serde(default)]
    pub name: Option<String>,
    /// Its machine name (`verification_code`, `invitation`, …).
    #[serde(default)]
    pub slug: String,
    /// Its place in the list.
    #[serde(default)]
    pub position: Option<i64>,
    /// Whether it differs from Clerk's default (and so can be reverted).
    #[serde(default)]
    pub can_revert: Option<bool>,
    /// Whether it can be deleted.
    #[serde(default)]
    pub can_delete: Option<bool>,
    /// Whether its body can be edited.
    #[serde(default)]
    pub can_edit_body: Option<bool>,
    /// Whether it can be enabled or disabled (notification SMS templates).
    #[serde(default)]
    pub can_toggle: Option<bool>,
    /// The email subject (`None` for SMS templates).
    #[serde(default)]
    pub subject: Option<String>,
    /// The editor markup the body was made from.
    #[serde(default)]
    pub markup: Option<String>,
    /// The template body, before its variables are filled in.
    #[serde(default)]
    pub body: Option<String>,
    /// Variables it may use.
    #[serde(default)]
    pub available_variables: Vec<String>,
    /// Variables its body must keep.
    #[serde(default)]
    pub required_variables: Vec<String>,
    /// The local part of the sender's address (emails).
    #[serde(default)]
    pub from_email_name: Option<String>,
    /// The local part of the Reply-To address (emails).
    #[serde(default)]
    pub reply_to_email_name: Option<String>,
    /// Whether Clerk delivers its messages; when not, the app does, from the
    /// `email.created`/`sms.created` webhooks.
    #[serde(default)]
    pub delivered_by_clerk: Option<bool>,
    /// Whether it is enabled.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Whether Clerk flagged it as suspicious.
    #[serde(default)]
    pub flagged_as_suspicious: Option<bool>,
    /// Last update (Unix ms).
    #[serde(default)]
    pub updated_at: Option<i64>,
    /// Creation time (Unix ms).
    #[serde(default)]
    pub created_at: Option<i64>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A template rendered with sample values, from
/// [`MessageTemplates::preview`](crate::MessageTemplates::preview). The spec leaves its
/// shape open: the known fields are typed, the rest is in `extra`.
///
/// ```
/// let preview: clerk_sdk::TemplatePreview = serde_json::from_str(r#"{
///     "subject": "123456 is your verification code", "body": "<p>123456</p>",
///     "from_email_address": "notifications@example.com", "reply_to_email_address": null
/// }"#)?;
/// assert_eq!(preview.body.as_deref(), Some("<p>123456</p>"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TemplatePreview {
    /// The rendered subject (emails).
    #[serde(default)]
    pub subject: Option<String>,
    /// The rendered body.
    #[serde(default)]
    pub body: Option<String>,
    /// The sender's address (emails).
    #[serde(default)]
    pub from_email_address: Option<String>,
    /// The Reply-To address (emails), if any.
    #[serde(default)]
    pub reply_to_email_address: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
