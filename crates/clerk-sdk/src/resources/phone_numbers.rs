//! Phone numbers: `clerk.phone_numbers()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{CodeVerification, DeletedObject, PhoneNumber};
use crate::params::{option_setters, patch_setters};
use crate::patch::Patch;

impl Clerk {
    /// Phone numbers of users: create, get, update, delete, verify with a code.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let phone = clerk.phone_numbers().get("idn_2x").await?;
    /// # Ok(()) }
    /// ```
    pub fn phone_numbers(&self) -> PhoneNumbers<'_> {
        PhoneNumbers { clerk: self }
    }
}

/// The phone numbers handler, from [`Clerk::phone_numbers`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let numbers = clerk.phone_numbers();
/// let number = numbers.get("idn_2x").await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct PhoneNumbers<'a> {
    clerk: &'a Clerk,
}

impl PhoneNumbers<'_> {
    /// Adds a phone number to a user (`POST /phone_numbers`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreatePhoneNumber;
    /// let phone = clerk
    ///     .phone_numbers()
    ///     .create(CreatePhoneNumber::new("user_2x", "+15555550100").verified(true))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreatePhoneNumber) -> Result<PhoneNumber> {
        self.clerk
            .send(ApiRequest::post(&["phone_numbers"])?.json(&params)?)
            .await
    }

    /// One phone number (`GET /phone_numbers/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let phone = clerk.phone_numbers().get("idn_2x").await?;
    /// println!("{}", phone.phone_number);
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, phone_number_id: &str) -> Result<PhoneNumber> {
        self.clerk
            .send(ApiRequest::get(&["phone_numbers", phone_number_id])?)
            .await
    }

    /// Updates a phone number (`PATCH /phone_numbers/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdatePhoneNumber;
    /// let phone = clerk
    ///     .phone_numbers()
    ///     .update("idn_2x", UpdatePhoneNumber::new().reserved_for_second_factor(true))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(
        &self,
        phone_number_id: &str,
        params: UpdatePhoneNumber,
    ) -> Result<PhoneNumber> {
        self.clerk
            .send(ApiRequest::patch(&["phone_numbers", phone_number_id])?.json(&params)?)
            .await
    }

    /// Deletes a phone number (`DELETE /phone_numbers/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let deleted = clerk.phone_numbers().delete("idn_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, phone_number_id: &str) -> Result<DeletedObject> {
        self.clerk
            .send(ApiRequest::delete(&["phone_numbers", phone_number_id])?)
            .await
    }

    /// Sends a one-time code to the phone number (`POST /phone_numbers/{id}/prepare_verification`);
    /// the answer's `id` goes to [`attempt_verification`](Self::attempt_verification).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let verification = clerk.phone_numbers().prepare_verification("idn_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn prepare_verification(&self, phone_number_id: &str) -> Result<CodeVerification> {
        let path = ["phone_numbers", phone_number_id, "prepare_verification"];
        self.clerk.send(ApiRequest::post(&path)?).await
    }

    /// Checks a code from the SMS (`POST /phone_numbers/{id}/attempt_verification`). A wrong or
    /// expired code is not an error: the answer's `status` says how it went, and the right
    /// code marks the phone number verified.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::VerificationStatus;
    /// let sent = clerk.phone_numbers().prepare_verification("idn_2x").await?;
    /// let id = sent.id.unwrap_or_default();
    /// let checked = clerk.phone_numbers().attempt_verification("idn_2x", &id, "424242").await?;
    /// let verified = checked.status == Some(VerificationStatus::Verified);
    /// # Ok(()) }
    /// ```
    pub async fn attempt_verification(
        &self,
        phone_number_id: &str,
        verification_id: &str,
        code: &str,
    ) -> Result<CodeVerification> {
        #[derive(Serialize)]
        struct Body<'a> {
            verification_id: &'a str,
            code: &'a str,
        }
        let path = ["phone_numbers", phone_number_id, "attempt_verification"];
        let body = Body {
            verification_id,
            code,
        };
        self.clerk.send(ApiRequest::post(&path)?.json(&body)?).await
    }
}

/// The body of [`PhoneNumbers::create`].
///
/// ```
/// let params = clerk_sdk::CreatePhoneNumber::new("user_2x", "+15555550100").primary(true);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreatePhoneNumber {
    user_id: String,
    phone_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reserved_for_second_factor: Option<bool>,
}

impl CreatePhoneNumber {
    /// A phone number (E.164) for a user.
    ///
    /// ```
    /// let params = clerk_sdk::CreatePhoneNumber::new("user_2x", "+15555550100");
    /// ```
    pub fn new(user_id: impl Into<String>, phone_number: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            phone_number: phone_number.into(),
            verified: None,
            primary: None,
            reserved_for_second_factor: None,
        }
    }

    option_setters! {
        "CreatePhoneNumber::new(\"user_2x\", \"+15555550123\")";
        /// Create it verified.
        verified: bool,
        /// Make it the user's primary number (the first one is anyway).
        primary: bool,
        /// Reserve it for multi-factor authentication (it must be verified).
        reserved_for_second_factor: bool,
    }
}

/// The body of [`PhoneNumbers::update`].
///
/// ```
/// let params = clerk_sdk::UpdatePhoneNumber::new().verified(true).primary(true);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdatePhoneNumber {
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    verified: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    primary: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    reserved_for_second_factor: Patch<bool>,
}

impl UpdatePhoneNumber {
    /// Changes nothing yet.
    ///
    /// ```
    /// let params = clerk_sdk::UpdatePhoneNumber::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    patch_setters! {
        "UpdatePhoneNumber::new()";
        /// Mark it verified.
        verified: bool,
        /// Make it the user's primary number.
        primary: bool,
        /// Reserve it for multi-factor authentication.
        reserved_for_second_factor: bool,
    }
}
