//! Email and SMS templates: `clerk.message_templates()` (`/templates/{type}[/{slug}]`).
//! Named apart from [`Clerk::jwt_templates`], which are the other kind of template. The
//! operations are deprecated by Clerk (2026-05-12) but still served.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{MessageTemplate, MessageTemplateType, TemplatePreview};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::paging_setters;

impl Clerk {
    /// Email and SMS templates: list, get, update, revert, preview, toggle delivery.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::MessageTemplateType;
    /// let code = clerk.message_templates().get(MessageTemplateType::Email, "verification_code").await?;
    /// # Ok(()) }
    /// ```
    pub fn message_templates(&self) -> MessageTemplates<'_> {
        MessageTemplates { clerk: self }
    }
}

/// The email and SMS templates handler, from [`Clerk::message_templates`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// use clerk_sdk::{ListMessageTemplates, MessageTemplateType};
/// let page = clerk.message_templates().list(MessageTemplateType::Sms, ListMessageTemplates::new()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct MessageTemplates<'a> {
    clerk: &'a Clerk,
}

impl MessageTemplates<'_> {
    /// One page of the templates of `template_type`, by position, with the total
    /// (`GET /templates/{type}?paginated=true`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::{ListMessageTemplates, MessageTemplateType};
    /// let page = clerk
    ///     .message_templates()
    ///     .list(MessageTemplateType::Email, ListMessageTemplates::new().limit(50))
    ///     .await?;
    /// for template in &page {
    ///     println!("{}", template.slug);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(
        &self,
        template_type: MessageTemplateType,
        params: ListMessageTemplates,
    ) -> Result<Page<MessageTemplate>> {
        self.clerk
            .list_paginated(&["templates", template_type.as_str()], params)
            .await
    }

    /// Every template of `template_type`, page after page. See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk
    ///     .message_templates()
    ///     .stream(clerk_sdk::MessageTemplateType::Email, Default::default())
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(
        &self,
        template_type: MessageTemplateType,
        params: ListMessageTemplates,
    ) -> ItemStream<MessageTemplate> {
        self.clerk
            .stream_paginated(&["templates", template_type.as_str()], params)
    }

    /// One template (`GET /templates/{type}/{slug}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let t = clerk.message_templates().get(clerk_sdk::MessageTemplateType::Sms, "invitation").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(
        &self,
        template_type: MessageTemplateType,
        slug: &str,
    ) -> Result<MessageTemplate> {
        self.clerk
            .send(ApiRequest::get(&[
                "templates",
                template_type.as_str(),
                slug,
            ])?)
            .await
    }

    /// Edits a template (`PUT /templates/{type}/{slug}`). A body without one of the
    /// template's `required_variables` is refused (`form_param_value_invalid`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::{MessageTemplateType, UpdateMessageTemplate};
    /// let t = clerk
    ///     .message_templates()
    ///     .update(
    ///         MessageTemplateType::Email,
    ///         "verification_code",
    ///         UpdateMessageTemplate::new().subject("Your code").body("<p>{{otp_code}}</p>"),
    ///     )
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(
        &self,
        template_type: MessageTemplateType,
        slug: &str,
        params: UpdateMessageTemplate,
    ) -> Result<MessageTemplate> {
        self.clerk
            .send(ApiRequest::put(&["templates", template_type.as_str(), slug])?.json(&params)?)
            .await
    }

    /// Reverts a template to Clerk's default (`POST /templates/{type}/{slug}/revert`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let t = clerk.message_templates().revert(clerk_sdk::MessageTemplateType::Email, "invitation").await?;
    /// assert_eq!(t.can_revert, Some(false));
    /// # Ok(()) }
    /// ```
    pub async fn revert(
        &self,
        template_type: MessageTemplateType,
        slug: &str,
    ) -> Result<MessageTemplate> {
        self.clerk
            .send(ApiRequest::post(&[
                "templates",
                template_type.as_str(),
                slug,
                "revert",
            ])?)
            .await
    }

    /// Renders a template with sample values, sending nothing
    /// (`POST /templates/{type}/{slug}/preview`): the stored one, or what `params` sets.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::{MessageTemplateType, PreviewMessageTemplate};
    /// let preview = clerk
    ///     .message_templates()
    ///     .preview(MessageTemplateType::Email, "verification_code", PreviewMessageTemplate::new().body("<b>{{otp_code}}</b>"))
    ///     .await?;
    /// println!("{:?}", preview.body);
    /// # Ok(()) }
    /// ```
    pub async fn preview(
        &self,
        template_type: MessageTemplateType,
        slug: &str,
        params: PreviewMessageTemplate,
    ) -> Result<TemplatePreview> {
        let path = ["templates", template_type.as_str(), slug, "preview"];
        self.clerk
            .send(ApiRequest::post(&path)?.json(&params)?)
            .await
    }

    /// Sets whether Clerk delivers the template's messages
    /// (`POST /templates/{type}/{slug}/toggle_delivery`). When not, they still reach the
    /// `email.created`/`sms.created` webhooks, for the app to deliver.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let t = clerk
    ///     .message_templates()
    ///     .toggle_delivery(clerk_sdk::MessageTemplateType::Email, "invitation", false)
    ///     .await?;
    /// assert_eq!(t.delivered_by_clerk, Some(false));
    /// # Ok(()) }
    /// ```
    pub async fn toggle_delivery(
        &self,
        template_type: MessageTemplateType,
        slug: &str,
        delivered_by_clerk: bool,
    ) -> Result<MessageTemplate> {
        #[derive(Serialize)]
        struct Body {
            delivered_by_clerk: bool,
        }
        let path = ["templates", template_type.as_str(), slug, "toggle_delivery"];
        self.clerk
            .send(ApiRequest::post(&path)?.json(&Body { delivered_by_clerk })?)
            .await
    }
}

/// Paging for [`MessageTemplates::list`] and [`MessageTemplates::stream`].
///
/// ```
/// let params = clerk_sdk::ListMessageTemplates::new().limit(20);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListMessageTemplates {
    paging: Paging,
}

impl ListMessageTemplates {
    /// API default paging (10 per page).
    ///
    /// ```
    /// let params = clerk_sdk::ListMessageTemplates::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    paging_setters!(ListMessageTemplates, "templates");

    /// The query parameters [`MessageTemplates::list`] sends, in order: for a caller that
    /// sends the request itself.
    ///
    /// ```
    /// let pairs = clerk_sdk::ListMessageTemplates::new().limit(5).to_query_pairs();
    /// assert_eq!(pairs, [("paginated".into(), "true".into()), ("limit".into(), "5".into())]);
    /// ```
    pub fn to_query_pairs(&self) -> Vec<(String, String)> {
        self.to_query().into_pairs()
    }
}

impl PaginatedList for ListMessageTemplates {
    type Item = MessageTemplate;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }
}

/// The body of [`MessageTemplates::update`]: only what is set changes. Email-only fields
/// (subject, sender names) are ignored for SMS templates.
///
/// ```
/// let params = clerk_sdk::UpdateMessageTemplate::new()
///     .name("Code")
///     .body("{{otp_code}} is your code")
///     .delivered_by_clerk(true);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateMessageTemplate {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    markup: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delivered_by_clerk: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from_email_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_to_email_name: Option<String>,
}

macro_rules! string_setters {
    ($ty:ident: $($(#[$doc:meta])* $field:ident),+ $(,)?) => {
        $(
            $(#[$doc])*
            pub fn $field(mut self, value: impl Into<String>) -> Self {
                self.$field = Some(value.into());
                self
            }
        )+
    };
}

impl UpdateMessageTemplate {
    /// An update that changes nothing yet.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateMessageTemplate::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    string_setters! {UpdateMessageTemplate:
        /// The name people see.
        ///
        /// ```
        /// let params = clerk_sdk::UpdateMessageTemplate::new().name("Sign-in code");
        /// ```
        name,
        /// The email subject (a Handlebars template).
        ///
        /// ```
        /// let params = clerk_sdk::UpdateMessageTemplate::new().subject("{{otp_code}} for {{app.name}}");
        /// ```
        subject,
        /// The editor markup the body was made from.
        ///
        /// ```
        /// let params = clerk_sdk::UpdateMessageTemplate::new().markup("<re-html></re-html>");
        /// ```
        markup,
        /// The body (a Handlebars template that keeps the required variables).
        ///
        /// ```
        /// let params = clerk_sdk::UpdateMessageTemplate::new().body("<p>{{otp_code}}</p>");
        /// ```
        body,
        /// The local part of the sender's address.
        ///
        /// ```
        /// let params = clerk_sdk::UpdateMessageTemplate::new().from_email_name("security");
        /// ```
        from_email_name,
        /// The local part of the Reply-To address.
        ///
        /// ```
        /// let params = clerk_sdk::UpdateMessageTemplate::new().reply_to_email_name("support");
        /// ```
        reply_to_email_name,
    }

    /// Whether Clerk delivers the template's messages.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateMessageTemplate::new().delivered_by_clerk(false);
    /// ```
    pub fn delivered_by_clerk(mut self, delivered: bool) -> Self {
        self.delivered_by_clerk = Some(delivered);
        self
    }
}

/// The body of [`MessageTemplates::preview`]: what replaces the stored template for the
/// preview (nothing: the stored one).
///
/// ```
/// let params = clerk_sdk::PreviewMessageTemplate::new().subject("Hi {{app.name}}").body("<p>{{otp_code}}</p>");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct PreviewMessageTemplate {
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from_email_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_to_email_name: Option<String>,
}

impl PreviewMessageTemplate {
    /// A preview of the stored template.
    ///
    /// ```
    /// let params = clerk_sdk::PreviewMessageTemplate::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    string_setters! {PreviewMessageTemplate:
        /// The subject to preview.
        ///
        /// ```
        /// let params = clerk_sdk::PreviewMessageTemplate::new().subject("Welcome");
        /// ```
        subject,
        /// The body to preview.
        ///
        /// ```
        /// let params = clerk_sdk::PreviewMessageTemplate::new().body("{{otp_code}}");
        /// ```
        body,
        /// The sender's local part to preview.
        ///
        /// ```
        /// let params = clerk_sdk::PreviewMessageTemplate::new().from_email_name("hello");
        /// ```
        from_email_name,
        /// The Reply-To local part to preview.
        ///
        /// ```
        /// let params = clerk_sdk::PreviewMessageTemplate::new().reply_to_email_name("help");
        /// ```
        reply_to_email_name,
    }
}
