//! Sign-ups: `clerk.sign_ups()`.

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::SignUp;
use crate::params::patch_setters;
use crate::patch::Patch;

impl Clerk {
    /// Sign-up attempts: get, update.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let sign_up = clerk.sign_ups().get("sua_2x").await?;
    /// # Ok(()) }
    /// ```
    pub fn sign_ups(&self) -> SignUps<'_> {
        SignUps { clerk: self }
    }
}

/// The sign-ups handler, from [`Clerk::sign_ups`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let sign_up = clerk.sign_ups().get("sua_2x").await?;
/// println!("{:?}", sign_up.missing_fields);
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct SignUps<'a> {
    clerk: &'a Clerk,
}

impl SignUps<'_> {
    /// One sign-up (`GET /sign_ups/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let sign_up = clerk.sign_ups().get("sua_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, id: &str) -> Result<SignUp> {
        self.clerk.send(ApiRequest::get(&["sign_ups", id])?).await
    }

    /// Changes a sign-up's `external_id` or `custom_action` (`PATCH /sign_ups/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdateSignUp;
    /// let sign_up = clerk
    ///     .sign_ups()
    ///     .update("sua_2x", UpdateSignUp::new().external_id("crm_42"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(&self, id: &str, params: UpdateSignUp) -> Result<SignUp> {
        self.clerk
            .send(ApiRequest::patch(&["sign_ups", id])?.json(&params)?)
            .await
    }
}

/// The body of [`SignUps::update`]. Only what is set is sent.
///
/// ```
/// let params = clerk_sdk::UpdateSignUp::new().custom_action(true);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateSignUp {
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    external_id: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    custom_action: Patch<bool>,
}

impl UpdateSignUp {
    /// Changes nothing yet.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateSignUp::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    patch_setters! {
        "UpdateSignUp::new()";
        /// Your ID for the person signing up (copied to the user when it completes).
        external_id: String,
        /// Mark the sign-up as a custom action.
        custom_action: bool,
    }
}
