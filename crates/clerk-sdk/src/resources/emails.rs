//! Emails: `clerk.emails()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::Email;
use crate::params::option_setters;

impl Clerk {
    /// Sending email to a user's address through Clerk.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateEmail;
    /// clerk.emails().create(CreateEmail::new("idn_2x", "noreply").subject("Hi").body("<p>Hi</p>")).await?;
    /// # Ok(()) }
    /// ```
    pub fn emails(&self) -> Emails<'_> {
        Emails { clerk: self }
    }
}

/// The emails handler, from [`Clerk::emails`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let emails = clerk.emails();
/// let email = emails.create(clerk_sdk::CreateEmail::new("idn_2x", "support").subject("Hi")).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Emails<'a> {
    clerk: &'a Clerk,
}

impl Emails<'_> {
    /// Sends an email to one of a user's email addresses (`POST /emails`).
    ///
    /// This legacy endpoint is in no published spec: Clerk deprecated it in
    /// January 2024 and new instances may refuse it (403), while
    /// `clerk-server` delivers it to its outbox. Ruby:
    /// `sdk.emails.create(email_address_id:, from_email_name:, subject:, body:)`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateEmail;
    /// let email = clerk
    ///     .emails()
    ///     .create(CreateEmail::new("idn_2x", "noreply").subject("Welcome").body("<html>...</html>"))
    ///     .await?;
    /// println!("{}: {:?}", email.id, email.status);
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateEmail) -> Result<Email> {
        self.clerk
            .send(ApiRequest::post(&["emails"])?.json(&params)?)
            .await
    }
}

/// The body of [`Emails::create`].
///
/// ```
/// let params = clerk_sdk::CreateEmail::new("idn_2x", "info").subject("Hello").body("<p>Hello</p>");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateEmail {
    email_address_id: String,
    from_email_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    template_slug: Option<String>,
}

impl CreateEmail {
    /// An email to the address `email_address_id` (`idn_...`), from
    /// `from_email_name@<your domain>`.
    ///
    /// ```
    /// let params = clerk_sdk::CreateEmail::new("idn_2x", "noreply");
    /// ```
    pub fn new(email_address_id: impl Into<String>, from_email_name: impl Into<String>) -> Self {
        Self {
            email_address_id: email_address_id.into(),
            from_email_name: from_email_name.into(),
            subject: None,
            body: None,
            template_slug: None,
        }
    }

    option_setters! {
        "CreateEmail::new(\"idn_2x\", \"support\")";
        /// The subject.
        subject: String,
        /// The HTML body.
        body: String,
        /// A Clerk email template to render instead of `body`.
        template_slug: String,
    }
}
