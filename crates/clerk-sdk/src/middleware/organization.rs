//! Organization guards: the [`ClerkOrganization`] extractor, and the requirements a
//! [`ClerkLayer`](super::ClerkLayer) can enforce (an active organization, a role, a
//! permission), all checked with Clerk's `has()` rules
//! ([`Claims::has_role`], [`Claims::has_permission`]).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::rejection::{AuthRejection, Forbidden};
use super::signed_in_claims;
use crate::verify::{Claims, Organization};

/// The verified claims of a signed-in request with an active organization; a handler
/// argument that requires both.
///
/// Needs a [`ClerkLayer`](super::ClerkLayer) on the router. Signed out, the request gets a
/// `401` (as with [`ClerkAuth`](super::ClerkAuth)); signed in without an active
/// organization, a `403` (`meta.reason`: `no_active_organization`). A handler checks a
/// role or permission with [`require_role`](Self::require_role) and
/// [`require_permission`](Self::require_permission), which answer `403` too.
///
/// ```
/// use clerk_sdk::middleware::{AuthRejection, ClerkOrganization};
///
/// async fn invoices(org: ClerkOrganization) -> Result<String, AuthRejection> {
///     org.require_permission("org:invoices:read")?;
///     Ok(format!("invoices of {}", org.organization.id))
/// }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ClerkOrganization {
    /// The session's claims.
    pub claims: Claims,
    /// The active organization, read from them.
    pub organization: Organization,
}

impl ClerkOrganization {
    /// `Ok` when the user's role in the organization is `role` (`org:admin` or
    /// `admin`), else the `403` rejection (`meta.reason`: `missing_role`). Prefer
    /// permissions: a role check breaks when roles are renamed or added.
    ///
    /// ```
    /// use clerk_sdk::middleware::{AuthRejection, ClerkOrganization};
    /// async fn settings(org: ClerkOrganization) -> Result<&'static str, AuthRejection> {
    ///     org.require_role("org:admin")?;
    ///     Ok("settings")
    /// }
    /// ```
    pub fn require_role(&self, role: &str) -> Result<(), AuthRejection> {
        Requirement::Role(role.to_owned()).check(&self.claims)
    }

    /// `Ok` when the user holds `permission` in the organization
    /// (`org:invoices:read`; system permissions never pass), else the `403` rejection
    /// (`meta.reason`: `missing_permission`).
    ///
    /// ```
    /// use clerk_sdk::middleware::{AuthRejection, ClerkOrganization};
    /// async fn pay(org: ClerkOrganization) -> Result<&'static str, AuthRejection> {
    ///     org.require_permission("org:invoices:manage")?;
    ///     Ok("paid")
    /// }
    /// ```
    pub fn require_permission(&self, permission: &str) -> Result<(), AuthRejection> {
        Requirement::Permission(permission.to_owned()).check(&self.claims)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClerkOrganization {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AuthRejection> {
        let claims = signed_in_claims(parts)?;
        match claims.organization() {
            Some(organization) => Ok(ClerkOrganization {
                claims: claims.clone(),
                organization,
            }),
            None => Err(AuthRejection::forbidden(Forbidden::NoActiveOrganization)),
        }
    }
}

/// What a [`ClerkLayer`](super::ClerkLayer) requires of a signed-in request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Requirement {
    Organization,
    Role(String),
    Permission(String),
}

impl Requirement {
    /// `Ok` when the claims meet the requirement, else the `403` to answer. A role or
    /// permission without an active organization is reported as the missing
    /// organization, which is what the user can fix.
    pub(super) fn check(&self, claims: &Claims) -> Result<(), AuthRejection> {
        let forbidden = |why| Err(AuthRejection::forbidden(why));
        if claims.organization().is_none() {
            return forbidden(Forbidden::NoActiveOrganization);
        }
        match self {
            Requirement::Organization => Ok(()),
            Requirement::Role(role) if claims.has_role(role) => Ok(()),
            Requirement::Role(_) => forbidden(Forbidden::MissingRole),
            Requirement::Permission(key) if claims.has_permission(key) => Ok(()),
            Requirement::Permission(_) => forbidden(Forbidden::MissingPermission),
        }
    }
}
