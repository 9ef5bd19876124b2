//! A user's passkeys, external accounts and trusted devices: removing a passkey or an
//! external account (the [`User`](crate::User) lists them in `passkeys` and
//! `external_accounts`), and listing and revoking trusted devices.

use super::users::Users;
use crate::client::ApiRequest;
use crate::error::Result;
use crate::models::{DeletedObject, TrustedDevice};
use crate::pagination::Page;

impl Users<'_> {
    /// Deletes a passkey of the user (`DELETE /users/{id}/passkeys/{passkey_id}`); the user
    /// is notified by email. The ID is the passkey's (`idn_…`, from [`User::passkeys`]).
    ///
    /// [`User::passkeys`]: crate::User::passkeys
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let deleted = clerk.users().delete_passkey("user_2x", "idn_2y").await?;
    /// assert_eq!(deleted.object, "passkey");
    /// # Ok(()) }
    /// ```
    pub async fn delete_passkey(&self, user_id: &str, passkey_id: &str) -> Result<DeletedObject> {
        let path = ["users", user_id, "passkeys", passkey_id];
        self.clerk.send(ApiRequest::delete(&path)?).await
    }

    /// Unlinks an external (OAuth) account from the user
    /// (`DELETE /users/{id}/external_accounts/{external_account_id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let deleted = clerk.users().delete_external_account("user_2x", "eac_2y").await?;
    /// assert!(deleted.deleted);
    /// # Ok(()) }
    /// ```
    pub async fn delete_external_account(
        &self,
        user_id: &str,
        external_account_id: &str,
    ) -> Result<DeletedObject> {
        let path = ["users", user_id, "external_accounts", external_account_id];
        self.clerk.send(ApiRequest::delete(&path)?).await
    }

    /// The user's active trusted devices (`GET /users/{id}/trusted_devices`), all on one
    /// page with their `total_count`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let devices = clerk.users().list_trusted_devices("user_2x").await?;
    /// for device in &devices {
    ///     println!("{} {}", device.platform, device.app_identifier);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_trusted_devices(&self, user_id: &str) -> Result<Page<TrustedDevice>> {
        let path = ["users", user_id, "trusted_devices"];
        self.clerk.send(ApiRequest::get(&path)?).await
    }

    /// Revokes one of the user's active trusted devices
    /// (`DELETE /users/{id}/trusted_devices/{trusted_device_id}`): the device, now
    /// [`Revoked`](crate::TrustedDeviceStatus::Revoked).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let device = clerk.users().revoke_trusted_device("user_2x", "td_2y").await?;
    /// assert_eq!(device.status, clerk_sdk::TrustedDeviceStatus::Revoked);
    /// # Ok(()) }
    /// ```
    pub async fn revoke_trusted_device(
        &self,
        user_id: &str,
        trusted_device_id: &str,
    ) -> Result<TrustedDevice> {
        let path = ["users", user_id, "trusted_devices", trusted_device_id];
        self.clerk.send(ApiRequest::delete(&path)?).await
    }
}
