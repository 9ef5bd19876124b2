//! Organization domains: claiming a domain for an organization, its enrollment mode and
//! verification.
//!
//! The instance's organization settings decide what is allowed: `domains_enabled`, the
//! enrollment modes (`manual_invitation` always; the others when listed in
//! `domains_enrollment_modes`; `enterprise_sso` never, there being no SSO connections here)
//! and `max_allowed_domains` per organization. A domain name belongs to one organization of
//! the instance, and common email providers' domains cannot be claimed.
//!
//! Nothing here reaches DNS, so ownership is verified as Clerk's manual override does it:
//! `verify_ownership` marks it verified at once with the strategy `manual_override`.
//!
//! Each change emits `organizationDomain.created`, `.updated` (a verification of ownership
//! included, unless the domain was verified already) or `.deleted`.

use crate::domain::error::{Result, Rule, RuleKind};
use crate::domain::identifiers::is_valid_domain;
use crate::domain::services::Services;
use crate::ids::{self, prefix};
use crate::store::organizations::domains::{self as store, Domain, DomainRecord};
use crate::store::organizations::{self as organizations, OrganizationRecord};
use crate::store::{StoreError, UnitOfWork, instance};
use crate::wire::{DeletedObject, OrganizationDomainJson};

/// The enrollment modes of the API.
pub(crate) const ENROLLMENT_MODES: &[&str] = &[
    "manual_invitation",
    "automatic_invitation",
    "automatic_suggestion",
    "enterprise_sso",
];

/// The mode of a domain created without one.
const DEFAULT_ENROLLMENT_MODE: &str = "manual_invitation";

/// The strategy of an affiliation verified through the Backend API.
const ADMIN_STRATEGY: &str = "admin";

/// The strategy of an ownership verified by `verify_ownership`.
const MANUAL_OVERRIDE_STRATEGY: &str = "manual_override";

/// Domains of common email providers, which no organization can claim.
const COMMON_EMAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "ymail.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "protonmail.com",
    "proton.me",
    "pm.me",
    "gmx.com",
    "gmx.net",
    "gmx.de",
    "mail.com",
    "yandex.com",
    "yandex.ru",
    "zoho.com",
    "fastmail.com",
    "hey.com",
    "tutanota.com",
    "qq.com",
    "163.com",
    "126.com",
    "mail.ru",
    "web.de",
];

/// `POST /v1/organizations/{id}/domains`.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewDomain {
    pub name: String,
    pub enrollment_mode: Option<String>,
    /// `None`: true.
    pub verified: Option<bool>,
}

/// `PATCH /v1/organizations/{id}/domains/{domain_id}`: each field that is `Some` changes.
#[derive(Debug, Clone, Default)]
pub(crate) struct DomainChange {
    pub enrollment_mode: Option<String>,
    pub verified: Option<bool>,
}

/// The name, lowercased: 422 unless it is a host name with at least two labels that is not
/// a common email provider's.
fn check_name(raw: &str) -> Result<String> {
    let name = raw.trim().trim_end_matches('.').to_lowercase();
    if !is_valid_domain(&name) {
        return Err(
            Rule::format_invalid("name", format!("{raw:?} is not a valid domain name.")).into(),
        );
    }
    if COMMON_EMAIL_DOMAINS.contains(&name.as_str()) {
        return Err(Rule::refused(
            "organization_domain_common",
            "common email domain",
            "This is a common email provider domain. Please use a different one.",
        )
        .with_kind(RuleKind::Unprocessable)
        .with_param("name")
        .into());
    }
    Ok(name)
}

/// 422 unless `mode` is one of the API's; 403 unless the instance allows it.
async fn check_enrollment_mode(work: &mut UnitOfWork, mode: &str) -> Result<String> {
    if !ENROLLMENT_MODES.contains(&mode) {
        return Err(Rule::value_invalid(
            "enrollment_mode",
            format!(
                "enrollment_mode must be one of {}.",
                ENROLLMENT_MODES.join(", ")
            ),
        )
        .into());
    }
    let enabled = instance::load(work.tx(), "")
        .await?
        .settings
        .organizations
        .domains_enrollment_modes;
    let allowed = mode == DEFAULT_ENROLLMENT_MODE
        || (mode != "enterprise_sso" && enabled.iter().any(|m| m == mode));
    if allowed {
        return Ok(mode.to_owned());
    }
    Err(Rule::refused(
        "organization_domain_enrollment_mode_not_enabled",
        "organization enrollment mode not enabled",
        format!("Enrollment mode {mode} is not enabled for this instances's organizations."),
    )
    .with_kind(RuleKind::Forbidden)
    .with_param("enrollment_mode")
    .into())
}

/// 403 `organization_domains_not_enabled` when the instance has domains off.
async fn check_enabled(work: &mut UnitOfWork) -> Result<()> {
    let settings = instance::load(work.tx(), "").await?.settings.organizations;
    if settings.domains_enabled {
        return Ok(());
    }
    Err(Rule::refused(
        "organization_domains_not_enabled",
        "organization domains not enabled",
        "This instance does not have domains enabled for organizations.",
    )
    .with_kind(RuleKind::Forbidden)
    .into())
}

/// 403 `organization_domain_quota_exceeded` when the organization has as many domains as
/// the instance allows (0: no limit).
async fn check_quota(work: &mut UnitOfWork, organization: &OrganizationRecord) -> Result<()> {
    let limit = instance::load(work.tx(), "")
        .await?
        .settings
        .organizations
        .max_allowed_domains;
    if limit <= 0 || store::count(work.tx(), &organization.id).await? < limit {
        return Ok(());
    }
    Err(Rule::refused(
        "organization_domain_quota_exceeded",
        "organization domains quota exceeded",
        format!("You have reached your limit of {limit} domains per organization."),
    )
    .with_kind(RuleKind::Forbidden)
    .into())
}

/// Sets the affiliation verification: verified by the administrator, or not asked.
fn set_verified(record: &mut DomainRecord, verified: bool, now: i64) {
    if verified {
        if record.verification_status.as_deref() != Some("verified") {
            record.verification_status = Some("verified".to_owned());
            record.verification_strategy = Some(ADMIN_STRATEGY.to_owned());
            record.verified_at = Some(now);
        }
    } else {
        record.verification_status = None;
        record.verification_strategy = None;
        record.verified_at = None;
    }
}

/// Reads a domain back as it is shown (in `work`, before it commits).
async fn shown(work: &mut UnitOfWork, organization_id: &str, id: &str) -> Result<Domain> {
    Ok(store::load(work.tx(), organization_id, id)
        .await?
        .ok_or_else(|| StoreError::not_found("organization domain", id))?)
}

/// Reads the domain back as it is shown, and emits `event_type` with it.
async fn shown_and_emitted(
    svc: &Services,
    work: &mut UnitOfWork,
    event_type: &'static str,
    organization_id: &str,
    id: &str,
    now_ms: i64,
) -> Result<Domain> {
    let domain = shown(work, organization_id, id).await?;
    let view = OrganizationDomainJson::new(&domain, &svc.issuer);
    svc.events.emit(work, event_type, &view, now_ms).await?;
    Ok(domain)
}

/// Claims a domain for an organization.
pub(crate) async fn create(
    svc: &Services,
    organization_id: &str,
    new: NewDomain,
) -> Result<Domain> {
    let name = check_name(&new.name)?;
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let organization = organizations::lock(work.tx(), svc.store.dialect(), organization_id).await?;
    check_enabled(&mut work).await?;
    let mode = new
        .enrollment_mode
        .as_deref()
        .unwrap_or(DEFAULT_ENROLLMENT_MODE);
    let enrollment_mode = check_enrollment_mode(&mut work, mode).await?;
    check_quota(&mut work, &organization).await?;
    let mut record = DomainRecord {
        id: ids::new_id(prefix::ORGANIZATION_DOMAIN, now),
        organization_id: organization.id.clone(),
        name,
        enrollment_mode,
        verification_status: None,
        verification_strategy: None,
        verified_at: None,
        ownership_status: None,
        ownership_strategy: None,
        ownership_verified_at: None,
        affiliation_email_address: None,
        created_at: now,
        updated_at: now,
    };
    set_verified(&mut record, new.verified.unwrap_or(true), now);
    store::insert(work.tx(), &record).await?;
    let domain = shown_and_emitted(
        svc,
        &mut work,
        "organizationDomain.created",
        &organization.id,
        &record.id,
        now,
    )
    .await?;
    work.commit().await?;
    Ok(domain)
}

/// Changes a domain's enrollment mode or affiliation verification.
pub(crate) async fn update(
    svc: &Services,
    organization_id: &str,
    id: &str,
    change: DomainChange,
) -> Result<Domain> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let organization = organizations::lock(work.tx(), svc.store.dialect(), organization_id).await?;
    let mut record = store::get(work.tx(), &organization.id, id).await?;
    if let Some(mode) = &change.enrollment_mode {
        check_enabled(&mut work).await?;
        record.enrollment_mode = check_enrollment_mode(&mut work, mode).await?;
    }
    if let Some(verified) = change.verified {
        set_verified(&mut record, verified, now);
    }
    record.updated_at = now;
    store::save(work.tx(), &record).await?;
    let domain = shown_and_emitted(
        svc,
        &mut work,
        "organizationDomain.updated",
        &organization.id,
        id,
        now,
    )
    .await?;
    work.commit().await?;
    Ok(domain)
}

/// Removes a domain from its organization; returns its id.
pub(crate) async fn delete(svc: &Services, organization_id: &str, id: &str) -> Result<String> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let organization = organizations::lock(work.tx(), svc.store.dialect(), organization_id).await?;
    let record = store::get(work.tx(), &organization.id, id).await?;
    store::delete(work.tx(), &record.id).await?;
    let deleted = DeletedObject::new("organization_domain", &record.id);
    svc.events
        .emit(
            &mut work,
            "organizationDomain.deleted",
            &deleted,
            svc.now_ms(),
        )
        .await?;
    work.commit().await?;
    Ok(record.id)
}

/// Marks the domain's ownership verified (`manual_override`); a domain already verified
/// stays as it was.
pub(crate) async fn verify_ownership(
    svc: &Services,
    organization_id: &str,
    id: &str,
) -> Result<Domain> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let organization = organizations::lock(work.tx(), svc.store.dialect(), organization_id).await?;
    let mut record = store::get(work.tx(), &organization.id, id).await?;
    if record.ownership_status.as_deref() != Some("verified") {
        record.ownership_status = Some("verified".to_owned());
        record.ownership_strategy = Some(MANUAL_OVERRIDE_STRATEGY.to_owned());
        record.ownership_verified_at = Some(now);
        record.updated_at = now;
        store::save(work.tx(), &record).await?;
        shown_and_emitted(
            svc,
            &mut work,
            "organizationDomain.updated",
            &organization.id,
            id,
            now,
        )
        .await?;
    }
    let domain = shown(&mut work, &organization.id, id).await?;
    work.commit().await?;
    Ok(domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert_eq!(check_name(" Example.COM. ").unwrap(), "example.com");
        assert!(check_name("localhost").is_err());
        assert!(check_name("-x.com").is_err());
        assert!(check_name("gmail.com").is_err());
        assert!(check_name("a.b.example.org").is_ok());
    }
}
