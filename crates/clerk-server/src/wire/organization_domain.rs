//! `organization_domain` objects.

use serde::Serialize;

use super::organization_invitation::PublicOrganizationJson;
use crate::store::organizations::domains::Domain;

/// One of a domain's verifications.
#[derive(Serialize, Clone)]
struct VerificationJson {
    status: String,
    strategy: String,
    attempts: Option<i64>,
    expire_at: Option<i64>,
    verified_at: Option<i64>,
}

/// An `organization_domain` object.
#[derive(Serialize)]
pub(crate) struct OrganizationDomainJson {
    object: &'static str,
    id: String,
    organization_id: String,
    name: String,
    enrollment_mode: String,
    affiliation_email_address: Option<String>,
    affiliation_verification: Option<VerificationJson>,
    ownership_verification: Option<VerificationJson>,
    /// The deprecated alias of `affiliation_verification`.
    verification: Option<VerificationJson>,
    /// Invitations and suggestions the domain made: none here (no sign-ups reach it).
    total_pending_invitations: i64,
    total_pending_suggestions: i64,
    public_organization_data: PublicOrganizationJson,
    created_at: i64,
    updated_at: i64,
}

impl OrganizationDomainJson {
    /// `base` is the server's public URL, for the organization's `image_url`.
    pub(crate) fn new(domain: &Domain, base: &str) -> Self {
        let record = &domain.record;
        let affiliation = record
            .verification_status
            .as_ref()
            .map(|status| VerificationJson {
                status: status.clone(),
                strategy: record.verification_strategy.clone().unwrap_or_default(),
                attempts: Some(0),
                expire_at: None,
                // Only the ownership verification carries it (the spec).
                verified_at: None,
            });
        let ownership = record
            .ownership_status
            .as_ref()
            .map(|status| VerificationJson {
                status: status.clone(),
                strategy: record.ownership_strategy.clone().unwrap_or_default(),
                attempts: None,
                expire_at: None,
                verified_at: record.ownership_verified_at,
            });
        Self {
            object: "organization_domain",
            id: record.id.clone(),
            organization_id: record.organization_id.clone(),
            name: record.name.clone(),
            enrollment_mode: record.enrollment_mode.clone(),
            affiliation_email_address: record.affiliation_email_address.clone(),
            verification: affiliation.clone(),
            affiliation_verification: affiliation,
            ownership_verification: ownership,
            total_pending_invitations: 0,
            total_pending_suggestions: 0,
            public_organization_data: PublicOrganizationJson::new(&domain.organization, base),
            created_at: record.created_at,
            updated_at: record.updated_at,
        }
    }
}
