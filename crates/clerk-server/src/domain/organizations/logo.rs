//! An organization's logo: an uploaded image (JPEG, PNG, GIF or WebP, at most 10 MB, as
//! Clerk accepts), kept in the database and served without authentication. Setting or
//! removing it emits `organization.updated`.

use crate::domain::error::{Result, Rule, RuleKind};
use crate::domain::services::Services;
use crate::ids::{self, prefix};
use crate::store::UnitOfWork;
use crate::store::organizations::images::{self, Image};
use crate::store::organizations::{self as store, OrganizationRecord};

/// The largest logo Clerk accepts.
pub(crate) const MAX_LOGO_BYTES: usize = 10 * 1024 * 1024;

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

/// Sets (or replaces) the logo; returns the organization as it now is.
pub(crate) async fn upload(
    svc: &Services,
    id_or_slug: &str,
    bytes: Vec<u8>,
    declared_type: Option<&str>,
    uploader_user_id: Option<String>,
) -> Result<OrganizationRecord> {
    if bytes.is_empty() {
        return Err(missing_file().into());
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(Rule::refused(
            "image_too_large",
            "Image too large",
            "The image being uploaded is more than 10MB. Please choose a smaller one.",
        )
        .with_kind(RuleKind::TooLarge)
        .into());
    }
    let Some(content_type) = sniff(&bytes) else {
        let named = declared_type.unwrap_or("application/octet-stream");
        return Err(Rule::refused(
            "request_body_invalid",
            "Unsupported image type",
            format!(
                "'{named}' images are not currently supported. Please consult the API documentation for more information."
            ),
        )
        .into());
    };
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut record = store::lock(work.tx(), svc.store.dialect(), id_or_slug).await?;
    let image = Image {
        id: ids::new_id(prefix::IMAGE, now),
        organization_id: record.id.clone(),
        content_type: content_type.to_owned(),
        bytes,
        uploader_user_id,
        created_at: now,
    };
    images::insert(work.tx(), &image).await?;
    if let Some(old) = record.image_id.replace(image.id) {
        images::delete(work.tx(), &old).await?;
    }
    record.updated_at = now;
    store::save(work.tx(), &record).await?;
    super::emit(svc, &mut work, "organization.updated", &record, now).await?;
    work.commit().await?;
    Ok(record)
}

/// Removes the logo (nothing happens, and no event is emitted, without one); returns the
/// organization as it now is.
pub(crate) async fn delete(svc: &Services, id_or_slug: &str) -> Result<OrganizationRecord> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut record = store::lock(work.tx(), svc.store.dialect(), id_or_slug).await?;
    if let Some(old) = record.image_id.take() {
        images::delete(work.tx(), &old).await?;
        record.updated_at = svc.now_ms();
        store::save(work.tx(), &record).await?;
        let now = record.updated_at;
        super::emit(svc, &mut work, "organization.updated", &record, now).await?;
    }
    work.commit().await?;
    Ok(record)
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
