//! The user operations beyond the profile that take no builder of their own: marking a
//! password compromised, a user's profile image ([`ProfileImage`]) and TOTP checks.

use std::fmt;

use bytes::Bytes;
use serde::Serialize;

use super::organization_logo::sniff_image_type;
use super::users::Users;
use crate::client::ApiRequest;
use crate::error::Result;
use crate::models::{TotpCodeType, TotpVerification, User};
use crate::multipart::Multipart;

impl Users<'_> {
    /// Marks the user's password as compromised: the user must reset it at the next
    /// sign-in (`POST /users/{id}/password/set_compromised`). With `revoke_all_sessions`
    /// the user's sessions are revoked as well. A user without a password is refused
    /// (400 `no_password_set`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let user = clerk.users().set_password_compromised("user_2x", true).await?;
    /// # Ok(()) }
    /// ```
    pub async fn set_password_compromised(
        &self,
        user_id: &str,
        revoke_all_sessions: bool,
    ) -> Result<User> {
        #[derive(Serialize)]
        struct Body {
            revoke_all_sessions: bool,
        }
        let path = ["users", user_id, "password", "set_compromised"];
        let request = ApiRequest::post(&path)?.json(&Body {
            revoke_all_sessions,
        })?;
        self.clerk.send(request).await
    }

    /// Marks the user's password as no longer compromised
    /// (`POST /users/{id}/password/unset_compromised`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let user = clerk.users().unset_password_compromised("user_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn unset_password_compromised(&self, user_id: &str) -> Result<User> {
        let path = ["users", user_id, "password", "unset_compromised"];
        self.clerk.send(ApiRequest::post(&path)?).await
    }

    /// Checks a TOTP code or a backup code of the user (`POST /users/{id}/verify_totp`); a
    /// backup code that verifies is used up. `Ok(None)` when the code is wrong (the API's
    /// 422); other failures, such as a user without TOTP (400), are errors.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::TotpCodeType;
    /// match clerk.users().verify_totp("user_2x", "123456").await? {
    ///     Some(TotpCodeType::Totp) => println!("authenticator code"),
    ///     Some(other) => println!("{other}"),
    ///     None => println!("wrong code"),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn verify_totp(&self, user_id: &str, code: &str) -> Result<Option<TotpCodeType>> {
        #[derive(Serialize)]
        struct Body<'a> {
            code: &'a str,
        }
        let request = ApiRequest::post(&["users", user_id, "verify_totp"])?.json(&Body { code })?;
        match self.clerk.send::<TotpVerification>(request).await {
            Ok(answer) if answer.verified == Some(true) => Ok(answer.code_type),
            Ok(_) => Ok(None),
            Err(error) if error.status().map(|s| s.as_u16()) == Some(422) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Uploads the user's profile image, as `multipart/form-data`
    /// (`POST /users/{id}/profile_image`). The answer's `image_url` points at it.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ProfileImage;
    /// let png = std::fs::read("me.png").expect("an image");
    /// let user = clerk
    ///     .users()
    ///     .set_profile_image("user_2x", ProfileImage::new(png).file_name("me.png"))
    ///     .await?;
    /// assert!(user.has_image);
    /// # Ok(()) }
    /// ```
    pub async fn set_profile_image(&self, user_id: &str, image: ProfileImage) -> Result<User> {
        let path = ["users", user_id, "profile_image"];
        self.clerk
            .send(ApiRequest::post(&path)?.multipart(&image.form())?)
            .await
    }

    /// Removes the user's profile image (`DELETE /users/{id}/profile_image`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let user = clerk.users().delete_profile_image("user_2x").await?;
    /// assert!(!user.has_image);
    /// # Ok(()) }
    /// ```
    pub async fn delete_profile_image(&self, user_id: &str) -> Result<User> {
        let path = ["users", user_id, "profile_image"];
        self.clerk.send(ApiRequest::delete(&path)?).await
    }
}

/// A profile image for [`Users::set_profile_image`]: the image bytes, sent as the form's
/// `file` part. `Debug` shows the size, not the bytes.
///
/// ```
/// use clerk_sdk::ProfileImage;
/// let image = ProfileImage::new(vec![0x89, b'P', b'N', b'G']).file_name("me.png");
/// ```
#[derive(Clone, PartialEq, Eq)]
#[must_use]
pub struct ProfileImage {
    data: Bytes,
    file_name: String,
    content_type: Option<String>,
}

impl fmt::Debug for ProfileImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileImage")
            .field("bytes", &self.data.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.media_type())
            .finish()
    }
}

impl ProfileImage {
    /// An image of these bytes, named `profile_image` until
    /// [`file_name`](Self::file_name) says otherwise.
    ///
    /// ```
    /// let image = clerk_sdk::ProfileImage::new(b"GIF89a...".to_vec());
    /// ```
    pub fn new(data: impl Into<Bytes>) -> Self {
        Self {
            data: data.into(),
            file_name: "profile_image".into(),
            content_type: None,
        }
    }

    /// The file name sent with the bytes.
    ///
    /// ```
    /// let image = clerk_sdk::ProfileImage::new(vec![1, 2, 3]).file_name("me.webp");
    /// ```
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = file_name.into();
        self
    }

    /// The image's media type. When not set it is read from the first bytes (PNG,
    /// JPEG, GIF, WebP), else `application/octet-stream` is sent.
    ///
    /// ```
    /// let image = clerk_sdk::ProfileImage::new(b"<svg/>".to_vec()).content_type("image/svg+xml");
    /// ```
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The form `POST /users/{id}/profile_image` takes: the `file` part.
    fn form(&self) -> Multipart {
        Multipart::new().file(
            "file",
            &self.file_name,
            self.media_type(),
            self.data.clone(),
        )
    }

    /// The media type sent: the one set, else one read from the bytes.
    fn media_type(&self) -> &str {
        self.content_type
            .as_deref()
            .unwrap_or_else(|| sniff_image_type(&self.data))
    }
}
