//! Organization logos: the image [`Organizations::upload_logo`](crate::Organizations::upload_logo)
//! sends as `multipart/form-data`.

use std::fmt;

use bytes::Bytes;

use crate::multipart::Multipart;

/// A logo for [`Organizations::upload_logo`](crate::Organizations::upload_logo): the image bytes, sent as the form's
/// `file` part. `Debug` shows the size, not the bytes.
///
/// ```
/// use clerk_sdk::OrganizationLogo;
/// let logo = OrganizationLogo::new(vec![0x89, b'P', b'N', b'G'])
///     .file_name("acme.png")
///     .uploader_user_id("user_2x");
/// ```
#[derive(Clone, PartialEq, Eq)]
#[must_use]
pub struct OrganizationLogo {
    data: Bytes,
    file_name: String,
    content_type: Option<String>,
    uploader_user_id: Option<String>,
}

impl fmt::Debug for OrganizationLogo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OrganizationLogo")
            .field("bytes", &self.data.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.media_type())
            .field("uploader_user_id", &self.uploader_user_id)
            .finish()
    }
}

impl OrganizationLogo {
    /// A logo of these bytes, named `logo` until [`file_name`](Self::file_name) says
    /// otherwise.
    ///
    /// ```
    /// let logo = clerk_sdk::OrganizationLogo::new(b"GIF89a...".to_vec());
    /// ```
    pub fn new(data: impl Into<Bytes>) -> Self {
        Self {
            data: data.into(),
            file_name: "logo".into(),
            content_type: None,
            uploader_user_id: None,
        }
    }

    /// The file name sent with the bytes.
    ///
    /// ```
    /// let logo = clerk_sdk::OrganizationLogo::new(vec![1, 2, 3]).file_name("acme.webp");
    /// ```
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = file_name.into();
        self
    }

    /// The image's media type. When not set it is read from the first bytes (PNG,
    /// JPEG, GIF, WebP), else `application/octet-stream` is sent.
    ///
    /// ```
    /// let logo = clerk_sdk::OrganizationLogo::new(b"<svg/>".to_vec()).content_type("image/svg+xml");
    /// ```
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The user uploading it, recorded by Clerk.
    ///
    /// ```
    /// let logo = clerk_sdk::OrganizationLogo::new(vec![1]).uploader_user_id("user_2x");
    /// ```
    pub fn uploader_user_id(mut self, user_id: impl Into<String>) -> Self {
        self.uploader_user_id = Some(user_id.into());
        self
    }
}

impl OrganizationLogo {
    /// The form `PUT /organizations/{id}/logo` takes: the `file` part, then
    /// `uploader_user_id` when set (the parts Clerk's JS and Python clients send).
    pub(super) fn form(&self) -> Multipart {
        let form = Multipart::new().file(
            "file",
            &self.file_name,
            self.media_type(),
            self.data.clone(),
        );
        match &self.uploader_user_id {
            Some(uploader) => form.text("uploader_user_id", uploader),
            None => form,
        }
    }

    /// The media type sent: the one set, else one read from the bytes.
    fn media_type(&self) -> &str {
        self.content_type
            .as_deref()
            .unwrap_or_else(|| sniff_image_type(&self.data))
    }
}

/// The media type of the image formats Clerk accepts, from their magic bytes.
pub(super) fn sniff_image_type(data: &[u8]) -> &'static str {
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if data.starts_with(b"\xff\xd8\xff") {
        "image/jpeg"
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        "image/gif"
    } else if data.len() >= 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        "image/webp"
    } else {
        "application/octet-stream"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_types_are_read_from_magic_bytes() {
        assert_eq!(sniff_image_type(b"\x89PNG\r\n\x1a\nrest"), "image/png");
        assert_eq!(sniff_image_type(b"\xff\xd8\xff\xe0"), "image/jpeg");
        assert_eq!(sniff_image_type(b"GIF89a..."), "image/gif");
        assert_eq!(sniff_image_type(b"RIFF\0\0\0\0WEBPVP8 "), "image/webp");
        assert_eq!(sniff_image_type(b"RIFF"), "application/octet-stream");
        assert_eq!(sniff_image_type(b""), "application/octet-stream");
    }

    #[test]
    fn debug_shows_the_size_not_the_bytes() {
        let logo = OrganizationLogo::new(b"\x89PNG\r\n\x1a\nsecret-pixels".to_vec());
        let text = format!("{logo:?}");
        assert!(
            text.contains("bytes: 21") && text.contains("image/png"),
            "{text}"
        );
        assert!(!text.contains("secret"), "{text}");
    }
}
