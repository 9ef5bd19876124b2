//! Uploaded images (organization logos, users' profile images): what is accepted (JPEG,
//! PNG, GIF or WebP, at most 10 MB, as Clerk accepts) and the stored [`Image`] an upload
//! becomes. The owners keep the id of their image and delete the one they replace.

use super::error::{Result, Rule, RuleKind};
use crate::ids::{self, prefix};
use crate::store::images::Image;

/// The largest image Clerk accepts.
pub(crate) const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;

/// The image type of `bytes`, read from its first bytes (what a declared content type says
/// is not trusted, as Clerk decodes the image itself).
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// 400 `form_param_missing`: the request has no file.
pub(crate) fn missing_file() -> Rule {
    Rule::refused(
        "form_param_missing",
        "Image file missing",
        "There was no image file present in the request",
    )
    .with_param("file")
}

/// An uploaded file.
pub(crate) struct Upload {
    pub bytes: Vec<u8>,
    /// The content type the request declared for the file (only named in errors).
    pub declared_type: Option<String>,
    pub uploader_user_id: Option<String>,
}

impl Upload {
    /// The image `owner_id` gets from this upload at `now`, or why it is refused: no file,
    /// `image_too_large` (with `too_large`, the kind of refusal the operation declares),
    /// or a type that is not an image Clerk accepts.
    pub(crate) fn into_image(self, owner_id: &str, now: i64, too_large: RuleKind) -> Result<Image> {
        if self.bytes.is_empty() {
            return Err(missing_file().into());
        }
        if self.bytes.len() > MAX_IMAGE_BYTES {
            return Err(Rule::refused(
                "image_too_large",
                "Image too large",
                "The image being uploaded is more than 10MB. Please choose a smaller one.",
            )
            .with_kind(too_large)
            .into());
        }
        let Some(content_type) = sniff(&self.bytes) else {
            let named = self
                .declared_type
                .as_deref()
                .unwrap_or("application/octet-stream");
            return Err(Rule::refused(
                "request_body_invalid",
                "Unsupported image type",
                format!(
                    "'{named}' images are not currently supported. Please consult the API documentation for more information."
                ),
            )
            .into());
        };
        Ok(Image {
            id: ids::new_id(prefix::IMAGE, now),
            owner_id: owner_id.to_owned(),
            content_type: content_type.to_owned(),
            bytes: self.bytes,
            uploader_user_id: self.uploader_user_id,
            created_at: now,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_types_are_read_from_the_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(&[0xff, 0xd8, 0xff, 0xe0]), Some("image/jpeg"));
        assert_eq!(sniff(b"GIF89a...."), Some("image/gif"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"<svg></svg>"), None);
        assert_eq!(sniff(b""), None);
    }
}
