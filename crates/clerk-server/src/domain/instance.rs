//! The instance's settings: one document every replica shares, changed atomically.

use super::error::Result;
use super::services::Services;
use crate::store::UnitOfWork;
use crate::store::instance::{self, Instance, InstanceSettings};

/// Applies `change` to the instance settings (the instance row locked meanwhile) and returns
/// the instance as it now is.
pub(crate) async fn update_settings(
    svc: &Services,
    change: impl FnOnce(&mut InstanceSettings),
) -> Result<Instance> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let instance =
        instance::update_settings(work.tx(), svc.store.dialect(), svc.now_ms(), change).await?;
    work.commit().await?;
    Ok(instance)
}
