//! An organization's logo: an uploaded image (`domain::images`), kept in the database and
//! served without authentication. Setting or removing it emits `organization.updated`.

use crate::domain::error::{Result, RuleKind};
use crate::domain::images::Upload;
use crate::domain::services::Services;
use crate::store::UnitOfWork;
use crate::store::images;
use crate::store::organizations::{self as store, OrganizationRecord};

/// Sets (or replaces) the logo; returns the organization as it now is.
pub(crate) async fn upload(
    svc: &Services,
    id_or_slug: &str,
    upload: Upload,
) -> Result<OrganizationRecord> {
    let now = svc.now_ms();
    // Checked before the lock: a refused upload needs no transaction.
    let image = upload.into_image("", now, RuleKind::TooLarge)?;
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut record = store::lock(work.tx(), svc.store.dialect(), id_or_slug).await?;
    let image = images::Image {
        owner_id: record.id.clone(),
        ..image
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
