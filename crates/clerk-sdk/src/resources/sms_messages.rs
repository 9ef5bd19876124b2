//! SMS messages: `clerk.sms_messages()` (deprecated upstream).

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::SmsMessage;

impl Clerk {
    /// Sending SMS messages to a user's phone number through Clerk.
    ///
    /// ```no_run
    /// # #[allow(deprecated)]
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateSmsMessage;
    /// clerk.sms_messages().create(CreateSmsMessage::new("idn_2x", "Welcome!")).await?;
    /// # Ok(()) }
    /// ```
    #[deprecated(
        note = "Clerk removed SMS sending from the Backend API in November 2023 (new instances answer 403); kept for older instances and clerk-server"
    )]
    pub fn sms_messages(&self) -> SmsMessages<'_> {
        SmsMessages { clerk: self }
    }
}

/// The SMS messages handler, from [`Clerk::sms_messages`] (deprecated).
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// #[allow(deprecated)]
/// let sms = clerk.sms_messages();
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct SmsMessages<'a> {
    clerk: &'a Clerk,
}

impl SmsMessages<'_> {
    /// Sends an SMS to a user's verified phone number (`POST /sms_messages`).
    /// In no published spec. Ruby: `sdk.sms_messages.create(phone_number_id:, message:)`.
    ///
    /// ```no_run
    /// # #[allow(deprecated)]
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateSmsMessage;
    /// let sms = clerk.sms_messages().create(CreateSmsMessage::new("idn_2x", "Welcome!")).await?;
    /// # Ok(()) }
    /// ```
    #[deprecated(
        note = "Clerk removed SMS sending from the Backend API in November 2023; see Clerk::sms_messages"
    )]
    pub async fn create(&self, params: CreateSmsMessage) -> Result<SmsMessage> {
        self.clerk
            .send(ApiRequest::post(&["sms_messages"])?.json(&params)?)
            .await
    }
}

/// The body of [`SmsMessages::create`] (deprecated).
///
/// ```
/// let params = clerk_sdk::CreateSmsMessage::new("idn_2x", "Your code is 123456");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateSmsMessage {
    phone_number_id: String,
    message: String,
}

impl CreateSmsMessage {
    /// A message to the phone number `phone_number_id` (`idn_...`).
    ///
    /// ```
    /// let params = clerk_sdk::CreateSmsMessage::new("idn_2x", "Hi");
    /// ```
    pub fn new(phone_number_id: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            phone_number_id: phone_number_id.into(),
            message: message.into(),
        }
    }
}
