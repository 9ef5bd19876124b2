//! A user's profile image: an uploaded image (`domain::images`) shown as `image_url` (and
//! the deprecated `profile_image_url`) with `has_image`. Setting or removing it emits
//! `user.updated`.

use super::emit_updated;
use crate::domain::error::{Result, RuleKind};
use crate::domain::images::Upload;
use crate::domain::services::Services;
use crate::store::users::{self, User};
use crate::store::{UnitOfWork, images};

/// `POST /v1/users/{id}/profile_image`: sets (or replaces) the image; returns the user.
pub(crate) async fn upload(svc: &Services, id: &str, upload: Upload) -> Result<User> {
    let now = svc.now_ms();
    // The operation declares 400, not 413, for a refused upload.
    let image = upload.into_image(id, now, RuleKind::Refused)?;
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut user = users::lock(work.tx(), svc.store.dialect(), id).await?;
    images::insert(work.tx(), &image).await?;
    if let Some(old) = user.record.image_id.replace(image.id) {
        images::delete(work.tx(), &old).await?;
    }
    user.record.updated_at = now;
    users::save(work.tx(), &user).await?;
    emit_updated(svc, &mut work, &user, now).await?;
    work.commit().await?;
    Ok(user)
}

/// `DELETE /v1/users/{id}/profile_image`: removes the image (a user without one is
/// returned unchanged and no event is emitted).
pub(crate) async fn delete(svc: &Services, id: &str) -> Result<User> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut user = users::lock(work.tx(), svc.store.dialect(), id).await?;
    if let Some(old) = user.record.image_id.take() {
        images::delete(work.tx(), &old).await?;
        user.record.updated_at = now;
        users::save(work.tx(), &user).await?;
        emit_updated(svc, &mut work, &user, now).await?;
    }
    work.commit().await?;
    Ok(user)
}
