//! Organization domains: email domains whose users may join an organization.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::PublicOrganizationData;

string_enum! {
    /// How users with an email address at an organization domain join the organization.
    pub enum DomainEnrollmentMode {
        ManualInvitation => "manual_invitation",
        AutomaticInvitation => "automatic_invitation",
        AutomaticSuggestion => "automatic_suggestion",
        EnterpriseSso => "enterprise_sso",
    }
}

/// An organization domain (`object: "organization_domain"`).
///
/// ```
/// let domain: clerk_sdk::OrganizationDomain = serde_json::from_str(r#"{
///     "object": "organization_domain", "id": "orgdmn_1", "organization_id": "org_1",
///     "name": "example.com", "enrollment_mode": "automatic_invitation",
///     "affiliation_email_address": null, "affiliation_verification": null,
///     "ownership_verification": null,
///     "verification": {"status": "verified", "strategy": "email_code", "attempts": 1,
///                      "expire_at": null, "verified_at": null},
///     "total_pending_invitations": 0, "total_pending_suggestions": 0,
///     "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert_eq!(domain.enrollment_mode, clerk_sdk::DomainEnrollmentMode::AutomaticInvitation);
/// assert_eq!(domain.verification.unwrap().status, "verified");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrganizationDomain {
    /// `"organization_domain"`.
    pub object: String,
    /// The ID (`orgdmn_...`).
    pub id: String,
    /// The organization.
    pub organization_id: String,
    /// The domain name, e.g. `example.com`.
    pub name: String,
    /// How users of the domain join.
    pub enrollment_mode: DomainEnrollmentMode,
    /// The address used to prove affiliation with the domain.
    pub affiliation_email_address: Option<String>,
    /// The affiliation check (an email at the domain).
    pub affiliation_verification: Option<OrganizationDomainVerification>,
    /// The ownership check (a DNS record).
    pub ownership_verification: Option<OrganizationDomainVerification>,
    /// The domain's verification.
    pub verification: Option<OrganizationDomainVerification>,
    /// Invitations sent to users of the domain and not yet answered.
    #[serde(default)]
    pub total_pending_invitations: i64,
    /// Suggestions made to users of the domain and not yet answered.
    #[serde(default)]
    pub total_pending_suggestions: i64,
    /// The organization, in the instance-wide list.
    pub public_organization_data: Option<PublicOrganizationData>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One check of an organization domain.
///
/// ```
/// let check: clerk_sdk::OrganizationDomainVerification = serde_json::from_str(
///     r#"{"status": "unverified", "strategy": "dns_record", "attempts": null, "expire_at": null}"#,
/// )?;
/// assert_eq!(check.strategy, "dns_record");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrganizationDomainVerification {
    /// `unverified`, `verified`, `failed` or `expired`.
    pub status: String,
    /// How the domain is checked.
    pub strategy: String,
    /// Attempts made so far.
    pub attempts: Option<i64>,
    /// When the check expires (Unix ms).
    pub expire_at: Option<i64>,
    /// When ownership was proven (Unix ms); only on `ownership_verification`.
    pub verified_at: Option<i64>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
