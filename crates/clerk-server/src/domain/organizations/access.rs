//! Acting in an organization as one of its members, as the Frontend API's organization
//! routes do for the signed-in user: the user must be a member, or the organization is not
//! found for them (a non-member learns nothing of its existence); a change needs a
//! permission of the member's role (`org:sys_memberships:manage`, `org:sys_profile:manage`,
//! …), or it is refused with 403 `authorization_invalid`.
//!
//! The check reads the membership before the change's own unit of work; the changes that
//! keep a rule across members (the last manager stays) check it again under the
//! organization's lock.

use crate::domain::error::{Error, Result, Rule, RuleKind};
use crate::domain::services::Services;
use crate::store::organizations::Extras;
use crate::store::organizations::memberships::{
    Membership, MembershipFilters, MembershipListQuery,
};
use crate::store::organizations::roles::{CATALOG_ORDER_FIELDS, CatalogQuery, Role};
use crate::store::sql::Sort;
use crate::store::{Page, StoreError};

/// Reading the members list.
pub(crate) const READ_MEMBERSHIPS: &str = "org:sys_memberships:read";
/// Inviting, adding, removing members and changing their roles.
pub(crate) const MANAGE_MEMBERSHIPS: &str = crate::store::organizations::MANAGE_MEMBERSHIPS;
/// Changing the organization's name, slug and logo.
pub(crate) const MANAGE_PROFILE: &str = "org:sys_profile:manage";
/// Deleting the organization.
pub(crate) const DELETE_PROFILE: &str = "org:sys_profile:delete";
/// Reading the organization's domains.
pub(crate) const READ_DOMAINS: &str = "org:sys_domains:read";
/// Adding and removing domains.
pub(crate) const MANAGE_DOMAINS: &str = "org:sys_domains:manage";

/// 404 for an organization the user is not a member of, the same as for one that does not
/// exist.
fn not_found(organization_id: &str) -> Error {
    StoreError::not_found("organization", organization_id).into()
}

/// The membership of `user_id` in `organization_id` (an id), with its role and
/// permissions: 404 if there is none.
pub(crate) async fn member(
    svc: &Services,
    organization_id: &str,
    user_id: &str,
) -> Result<Membership> {
    let query = MembershipListQuery {
        filters: MembershipFilters {
            organization_id: Some(organization_id.to_owned()),
            user_id: Some(user_id.to_owned()),
            ..MembershipFilters::default()
        },
        sort: Sort::NEWEST_FIRST,
        page: Page {
            limit: 1,
            offset: 0,
        },
    };
    let (mut found, _) = svc.store.list_memberships(&query).await?;
    found.pop().ok_or_else(|| not_found(organization_id))
}

/// Whether the member's role holds `permission`.
pub(crate) fn holds(membership: &Membership, permission: &str) -> bool {
    membership.role.as_ref().is_some_and(|r| r.has(permission))
}

/// The membership of `user_id` in `organization_id`, whose role must hold `permission`:
/// 404 for a non-member, 403 `authorization_invalid` for a member without it.
pub(crate) async fn member_with(
    svc: &Services,
    organization_id: &str,
    user_id: &str,
    permission: &str,
) -> Result<Membership> {
    let membership = member(svc, organization_id, user_id).await?;
    if holds(&membership, permission) {
        return Ok(membership);
    }
    Err(Rule::refused(
        "authorization_invalid",
        "Unauthorized request",
        format!("You are not authorized to perform this request: it needs the {permission} permission of the organization."),
    )
    .with_kind(RuleKind::Forbidden)
    .into())
}

/// The roles the organization gives (its role set's, with their permissions; the whole
/// catalog for an organization without a role set), oldest first.
pub(crate) async fn roles(svc: &Services, organization_id: &str) -> Result<Vec<Role>> {
    let organization = svc
        .store
        .organization(organization_id, Extras::default())
        .await?
        .ok_or_else(|| not_found(organization_id))?;
    let set = match &organization.record.role_set_key {
        Some(key) => svc.store.role_set(key).await?,
        None => None,
    };
    let query = CatalogQuery {
        query: None,
        sort: Sort::parse("+created_at", CATALOG_ORDER_FIELDS).unwrap_or(Sort::NEWEST_FIRST),
        // Far more than an instance's role quota allows.
        page: Page {
            limit: 1000,
            offset: 0,
        },
    };
    let (all, _) = svc.store.list_roles(&query).await?;
    Ok(all
        .into_iter()
        .filter(|role| set.as_ref().is_none_or(|s| s.has_key(&role.record.key)))
        .collect())
}
