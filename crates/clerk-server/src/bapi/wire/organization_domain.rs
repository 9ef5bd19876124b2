//! `organization_domain` objects.

/// An `organization_domain` object.
pub(crate) struct OrganizationDomainJson;
