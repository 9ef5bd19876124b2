//! Email addresses: `clerk.email_addresses()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{CodeVerification, DeletedObject, EmailAddress};
use crate::params::{option_setters, patch_setters};
use crate::patch::Patch;

impl Clerk {
    /// Email addresses of users: create, get, update, delete, verify with a code.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let email = clerk.email_addresses().get("idn_2x").await?;
    /// # Ok(()) }
    /// ```
    pub fn email_addresses(&self) -> EmailAddresses<'_> {
        EmailAddresses { clerk: self }
    }
}

/// The email addresses handler, from [`Clerk::email_addresses`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let addresses = clerk.email_addresses();
/// let address = addresses.get("idn_2x").await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct EmailAddresses<'a> {
    clerk: &'a Clerk,
}

impl EmailAddresses<'_> {
    /// Adds an email address to a user (`POST /email_addresses`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateEmailAddress;
    /// let email = clerk
    ///     .email_addresses()
    ///     .create(CreateEmailAddress::new("user_2x", "ada@example.com").verified(true).primary(true))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateEmailAddress) -> Result<EmailAddress> {
        self.clerk
            .send(ApiRequest::post(&["email_addresses"])?.json(&params)?)
            .await
    }

    /// One email address (`GET /email_addresses/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let email = clerk.email_addresses().get("idn_2x").await?;
    /// println!("{}", email.email_address);
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, email_address_id: &str) -> Result<EmailAddress> {
        self.clerk
            .send(ApiRequest::get(&["email_addresses", email_address_id])?)
            .await
    }

    /// Updates an email address (`PATCH /email_addresses/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdateEmailAddress;
    /// let email = clerk.email_addresses().update("idn_2x", UpdateEmailAddress::new().primary(true)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(
        &self,
        email_address_id: &str,
        params: UpdateEmailAddress,
    ) -> Result<EmailAddress> {
        self.clerk
            .send(ApiRequest::patch(&["email_addresses", email_address_id])?.json(&params)?)
            .await
    }

    /// Deletes an email address (`DELETE /email_addresses/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let deleted = clerk.email_addresses().delete("idn_2x").await?;
    /// assert_eq!(deleted.object, "email_address");
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, email_address_id: &str) -> Result<DeletedObject> {
        self.clerk
            .send(ApiRequest::delete(&["email_addresses", email_address_id])?)
            .await
    }

    /// Sends a one-time code to the email address (`POST /email_addresses/{id}/prepare_verification`);
    /// the answer's `id` goes to [`attempt_verification`](Self::attempt_verification).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let verification = clerk.email_addresses().prepare_verification("idn_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn prepare_verification(&self, email_address_id: &str) -> Result<CodeVerification> {
        let path = ["email_addresses", email_address_id, "prepare_verification"];
        self.clerk.send(ApiRequest::post(&path)?).await
    }

    /// Checks a code from the email (`POST /email_addresses/{id}/attempt_verification`). A wrong or
    /// expired code is not an error: the answer's `status` says how it went, and the right
    /// code marks the email address verified.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::VerificationStatus;
    /// let sent = clerk.email_addresses().prepare_verification("idn_2x").await?;
    /// let id = sent.id.unwrap_or_default();
    /// let checked = clerk.email_addresses().attempt_verification("idn_2x", &id, "424242").await?;
    /// let verified = checked.status == Some(VerificationStatus::Verified);
    /// # Ok(()) }
    /// ```
    pub async fn attempt_verification(
        &self,
        email_address_id: &str,
        verification_id: &str,
        code: &str,
    ) -> Result<CodeVerification> {
        #[derive(Serialize)]
        struct Body<'a> {
            verification_id: &'a str,
            code: &'a str,
        }
        let path = ["email_addresses", email_address_id, "attempt_verification"];
        let body = Body {
            verification_id,
            code,
        };
        self.clerk.send(ApiRequest::post(&path)?.json(&body)?).await
    }
}

/// The body of [`EmailAddresses::create`].
///
/// ```
/// let params = clerk_sdk::CreateEmailAddress::new("user_2x", "ada@example.com").verified(true);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateEmailAddress {
    user_id: String,
    email_address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notify_primary_email_address_changed: Option<bool>,
}

impl CreateEmailAddress {
    /// An email address for a user.
    ///
    /// ```
    /// let params = clerk_sdk::CreateEmailAddress::new("user_2x", "ada@example.com");
    /// ```
    pub fn new(user_id: impl Into<String>, email_address: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            email_address: email_address.into(),
            verified: None,
            primary: None,
            notify_primary_email_address_changed: None,
        }
    }

    option_setters! {
        "CreateEmailAddress::new(\"user_2x\", \"ann@example.com\")";
        /// Create it verified.
        verified: bool,
        /// Make it the user's primary address (the first one is anyway).
        primary: bool,
        /// When it becomes primary, notify the previous primary address.
        notify_primary_email_address_changed: bool,
    }
}

/// The body of [`EmailAddresses::update`].
///
/// ```
/// let params = clerk_sdk::UpdateEmailAddress::new().verified(true);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateEmailAddress {
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    verified: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    primary: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    notify_primary_email_address_changed: Patch<bool>,
}

impl UpdateEmailAddress {
    /// Changes nothing yet.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateEmailAddress::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    patch_setters! {
        "UpdateEmailAddress::new()";
        /// Mark it verified.
        verified: bool,
        /// Make it the user's primary address.
        primary: bool,
        /// When it becomes primary, notify the previous primary address.
        notify_primary_email_address_changed: bool,
    }
}
