//! [`TestServer`]'s user helpers beyond creating one: TOTP enrollment (nothing in the
//! Backend API enrolls an authenticator app) and the codes it then accepts.

use axum::http::Method;

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
