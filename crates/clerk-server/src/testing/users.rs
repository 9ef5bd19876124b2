//! [`TestServer`]'s user helpers beyond creating one: TOTP enrollment and the codes it then
//! accepts, passkeys, external accounts and trusted devices. Nothing in the Backend API
//! creates any of them (an authenticator app, WebAuthn, an OAuth sign-in or a native app
//! does), so these seed them through the server's `/v1/_local` extension.

use axum::http::Method;
use serde_json::Value;

use super::TestServer;

/// What [`TestServer::enroll_totp`] hands out.
#[derive(Clone)]
pub struct TotpEnrollment {
    /// The base32 secret an authenticator app would keep.
    pub secret: String,
    /// `otpauth://totp/…`, what an enrollment QR code carries.
    pub uri: String,
    /// Ten single-use backup codes.
    pub backup_codes: Vec<String>,
}

impl std::fmt::Debug for TotpEnrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpEnrollment")
            .field("backup_codes", &self.backup_codes.len())
            .finish_non_exhaustive()
    }
}

impl TestServer {
    /// Enrolls `user_id` in TOTP with new backup codes
    /// (`POST /v1/_local/users/{id}/totp`).
    ///
    /// # Panics
    /// If the server refuses (an unknown user).
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let ann = server.create_user("ann@example.com").await;
    /// let totp = server.enroll_totp(&ann.id).await;
    /// let now = std::time::SystemTime::now()
    ///     .duration_since(std::time::UNIX_EPOCH)
    ///     .unwrap()
    ///     .as_secs() as i64;
    /// let code = clerk_server::totp_code(&totp.secret, now).unwrap();
    /// assert_eq!(code.len(), 6);
    /// # }
    /// ```
    pub async fn enroll_totp(&self, user_id: &str) -> TotpEnrollment {
        let json = self
            .expect_ok(
                Method::POST,
                &format!("/v1/_local/users/{user_id}/totp"),
                None,
            )
            .await;
        let text = |key: &str| json[key].as_str().unwrap_or_default().to_owned();
        TotpEnrollment {
            secret: text("secret"),
            uri: text("uri"),
            backup_codes: json["backup_codes"]
                .as_array()
                .map(|codes| {
                    codes
                        .iter()
                        .filter_map(|c| c.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

impl TestServer {
    /// Registers a passkey for `user_id` as WebAuthn would
    /// (`POST /v1/_local/users/{id}/passkeys`, with `body` such as
    /// `{"name": "MacBook"}`); answers the `passkey` object the user now shows.
    ///
    /// # Panics
    /// If the server refuses (an unknown user, a credential id already registered).
    ///
    /// ```no_run
    /// # async fn run() {
    /// let server = clerk_server::TestServer::start().await;
    /// let ann = server.create_user("ann@example.com").await;
    /// let passkey = server.add_passkey(&ann.id, serde_json::json!({"name": "MacBook"})).await;
    /// assert_eq!(passkey["object"], "passkey");
    /// # }
    /// ```
    pub async fn add_passkey(&self, user_id: &str, body: Value) -> Value {
        let path = format!("/v1/_local/users/{user_id}/passkeys");
        self.expect_ok(Method::POST, &path, Some(body)).await
    }

    /// Links an external (OAuth) account to `user_id` as a sign-in with the provider would
    /// (`POST /v1/_local/users/{id}/external_accounts`; `body` needs `provider` and
    /// `provider_user_id`); answers the `external_account` object.
    ///
    /// # Panics
    /// If the server refuses (an unknown user, an account another user has).
    ///
    /// ```no_run
    /// # async fn run() {
    /// use serde_json::json;
    /// let server = clerk_server::TestServer::start().await;
    /// let ann = server.create_user("ann@example.com").await;
    /// let account = server
    ///     .add_external_account(&ann.id, json!({"provider": "oauth_google", "provider_user_id": "1"}))
    ///     .await;
    /// assert_eq!(account["verification"]["strategy"], "oauth_google");
    /// # }
    /// ```
    pub async fn add_external_account(&self, user_id: &str, body: Value) -> Value {
        let path = format!("/v1/_local/users/{user_id}/external_accounts");
        self.expect_ok(Method::POST, &path, Some(body)).await
    }

    /// Enrolls a trusted device for `user_id` as a native app would
    /// (`POST /v1/_local/users/{id}/trusted_devices`; `body` needs `platform`, `ios` or
    /// `android`, and `app_identifier`); answers the active `trusted_device`.
    ///
    /// # Panics
    /// If the server refuses (an unknown user, another platform).
    ///
    /// ```no_run
    /// # async fn run() {
    /// use serde_json::json;
    /// let server = clerk_server::TestServer::start().await;
    /// let ann = server.create_user("ann@example.com").await;
    /// let device = server
    ///     .add_trusted_device(&ann.id, json!({"platform": "ios", "app_identifier": "com.example"}))
    ///     .await;
    /// assert_eq!(device["status"], "active");
    /// # }
    /// ```
    pub async fn add_trusted_device(&self, user_id: &str, body: Value) -> Value {
        let path = format!("/v1/_local/users/{user_id}/trusted_devices");
        self.expect_ok(Method::POST, &path, Some(body)).await
    }
}
