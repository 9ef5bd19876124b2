//! A signed-in user's side of organizations (the Frontend API's `/v1/me/organization_…`
//! routes): accepting an invitation addressed to one of its verified email addresses,
//! the organizations its verified email domains suggest, and leaving an organization.
//!
//! **Suggestions** are derived, not stored: an organization domain whose enrollment mode
//! is `automatic_suggestion` and whose affiliation is verified suggests its organization to
//! every user with a verified email address at that domain who is not a member yet. Its id
//! is `orgsugg_` followed by the domain id's own part, so it names the domain back.
//! Nothing here stores membership requests, so accepting a suggestion makes the user a
//! member at once, with the default role of the organization's role set, through the same
//! operation as every other new member (`organizationMembership.created`).

use super::invitations::{Invitee, accept_in};
use super::memberships::{self, NewMembership};
use crate::domain::error::{Error, Result};
use crate::domain::identifiers::IdentifierKind;
use crate::domain::services::Services;
use crate::ids::prefix;
use crate::store::organizations::Extras;
use crate::store::organizations::domains::{Domain, DomainFilters, DomainListQuery};
use crate::store::organizations::invitations::{self as store, Invitation};
use crate::store::organizations::memberships::{
    Membership, MembershipFilters, MembershipListQuery,
};
use crate::store::sql::Sort;
use crate::store::{Page, StoreError, UnitOfWork};

/// The enrollment mode whose domains suggest their organization.
pub(crate) const SUGGESTING_MODE: &str = "automatic_suggestion";

/// The prefix of a suggestion's id.
const SUGGESTION_PREFIX: &str = "orgsugg_";

/// Accepts the pending invitation `id` for `user_id`, to whose verified email addresses it
/// must be addressed (404 otherwise, as for an unknown one): the same operation as every
/// other acceptance, so the member gets the invited role and `organizationMembership.created`
/// then `organizationInvitation.accepted` go out.
pub(crate) async fn accept_invitation(
    svc: &Services,
    user_id: &str,
    id: &str,
) -> Result<Invitation> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let not_found = || Error::from(StoreError::not_found("organization invitation", id));
    let record = match store::get(work.tx(), None, id).await {
        Ok(record) => record,
        Err(StoreError::NotFound { .. }) => return Err(not_found()),
        Err(other) => return Err(other.into()),
    };
    if !store::is_verified_email_of(work.tx(), user_id, &record.email_address).await? {
        return Err(not_found());
    }
    let accepted = accept_in(svc, &mut work, id, Invitee::User(user_id), now).await?;
    work.commit().await?;
    Ok(accepted.invitation)
}

/// An organization suggested to a user by one of its domains.
#[derive(Debug, Clone)]
pub(crate) struct Suggestion {
    /// `orgsugg_…`, naming the domain.
    pub id: String,
    /// `pending` (not a member yet) or `accepted` (just joined through it).
    pub status: &'static str,
    pub domain: Domain,
}

fn suggestion_id(domain_id: &str) -> String {
    let own = domain_id
        .strip_prefix(prefix::ORGANIZATION_DOMAIN)
        .and_then(|rest| rest.strip_prefix('_'))
        .unwrap_or(domain_id);
    format!("{SUGGESTION_PREFIX}{own}")
}

/// The organizations suggested to `user_id` now (pending ones), newest domain first.
pub(crate) async fn suggestions(svc: &Services, user_id: &str) -> Result<Vec<Suggestion>> {
    let user = svc
        .store
        .user(user_id)
        .await?
        .ok_or_else(|| StoreError::not_found("user", user_id))?;
    let mut names: Vec<String> = user
        .of_kind(IdentifierKind::EmailAddress)
        .filter(|i| i.verified)
        .filter_map(|i| i.value.rsplit_once('@').map(|(_, d)| d.to_lowercase()))
        .collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let query = DomainListQuery {
        filters: DomainFilters {
            verified: Some(true),
            enrollment_modes: vec![SUGGESTING_MODE.to_owned()],
            names,
            ..DomainFilters::default()
        },
        sort: Sort::NEWEST_FIRST,
        // A user has a few verified addresses, and a name belongs to one organization.
        page: Page {
            limit: 100,
            offset: 0,
        },
    };
    let (domains, _) = svc.store.list_organization_domains(&query).await?;
    let member_of = memberships_of(svc, user_id).await?;
    Ok(domains
        .into_iter()
        .filter(|d| {
            !member_of
                .iter()
                .any(|m| m.record.organization_id == d.record.organization_id)
        })
        .map(|domain| Suggestion {
            id: suggestion_id(&domain.record.id),
            status: "pending",
            domain,
        })
        .collect())
}

async fn memberships_of(svc: &Services, user_id: &str) -> Result<Vec<Membership>> {
    let query = MembershipListQuery {
        filters: MembershipFilters {
            user_id: Some(user_id.to_owned()),
            ..MembershipFilters::default()
        },
        sort: Sort::NEWEST_FIRST,
        page: Page {
            limit: 500,
            offset: 0,
        },
    };
    Ok(svc.store.list_memberships(&query).await?.0)
}

/// Accepts the suggestion `id` of `user_id` (404 unless it is one of the user's pending
/// ones): the user becomes a member with the default role of the organization's role set.
pub(crate) async fn accept_suggestion(
    svc: &Services,
    user_id: &str,
    id: &str,
) -> Result<Suggestion> {
    let mut suggestion = suggestions(svc, user_id)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| StoreError::not_found("organization suggestion", id))?;
    let organization_id = suggestion.domain.record.organization_id.clone();
    let role = default_role(svc, &organization_id).await?;
    let new = NewMembership {
        user_id: user_id.to_owned(),
        role,
        public_metadata: None,
        private_metadata: None,
    };
    memberships::create(svc, &organization_id, new).await?;
    suggestion.status = "accepted";
    Ok(suggestion)
}

/// The default role of the organization's role set (of the initial set when it has none).
async fn default_role(svc: &Services, organization_id: &str) -> Result<String> {
    let organization = svc
        .store
        .organization(organization_id, Extras::default())
        .await?
        .ok_or_else(|| StoreError::not_found("organization", organization_id))?;
    let set = match &organization.record.role_set_key {
        Some(key) => svc.store.role_set(key).await?,
        None => None,
    }
    .ok_or_else(|| StoreError::not_found("role set", organization_id))?;
    set.role(&set.record.default_role_id)
        .map(|r| r.key.clone())
        .ok_or_else(|| {
            StoreError::not_found("organization role", &set.record.default_role_id).into()
        })
}

/// `user_id` leaves the organization: the same removal as the Backend API's (the last
/// member able to manage members cannot leave: 422
/// `organization_minimum_permissions_needed`), `organizationMembership.deleted`.
pub(crate) async fn leave(
    svc: &Services,
    organization_id: &str,
    user_id: &str,
) -> Result<Membership> {
    super::access::member(svc, organization_id, user_id).await?;
    memberships::delete(svc, organization_id, user_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_ids_name_their_domain() {
        assert_eq!(suggestion_id("orgdmn_2abc"), "orgsugg_2abc");
    }
}
