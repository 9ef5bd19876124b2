//! `/v1/organizations/{id}/memberships…` and `…/invitations…`: an organization's members
//! and invitations as its members see and change them (`organization.getMemberships`,
//! `addMember`, `updateMember`, `removeMember`, `inviteMember`, `inviteMembers`,
//! `getInvitations`, `invitation.revoke()`; `<OrganizationProfile/>`'s members page).
//!
//! Any member with `org:sys_memberships:read` lists the members; everything else needs
//! `org:sys_memberships:manage` (403 `authorization_invalid` without it); a non-member gets
//! 404. The changes are the Backend API's domain operations (the inviter is the signed-in
//! user, who must be an administrator there too), with the same webhook events. A browser
//! never sees private metadata, nor an invitation's `url`, which carries its ticket.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, patch, post};
use serde_json::Value;

use super::browser::Browser;
use super::form::Form;
use super::listing::{Listing, page_of, paginated};
use super::respond::{Reply, answer};
use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::domain::organizations::access::{self, MANAGE_MEMBERSHIPS, READ_MEMBERSHIPS};
use crate::domain::organizations::invitations::{self, InvitationTickets, NewInvitation};
use crate::domain::organizations::memberships::{self, NewMembership};
use crate::store::Page;
use crate::store::organizations::invitations::{
    Invitation, InvitationFilters, InvitationListQuery, STATUSES,
};
use crate::store::organizations::memberships::{
    Membership, MembershipFilters, MembershipListQuery,
};
use crate::store::sql::Sort;
use crate::store::users::list::UserFilters;
use crate::wire::{InvitationJson, MembershipJson, browser_invitation, browser_membership};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/organizations/{organization_id}/memberships",
            get(list_memberships).post(add_member),
        )
        .route(
            "/v1/organizations/{organization_id}/memberships/{user_id}",
            patch(update_member).delete(remove_member),
        )
        .route(
            "/v1/organizations/{organization_id}/invitations",
            get(list_invitations).post(invite),
        )
        .route(
            "/v1/organizations/{organization_id}/invitations/bulk",
            post(invite_bulk),
        )
        .route(
            "/v1/organizations/{organization_id}/invitations/pending",
            get(pending_invitations),
        )
        .route(
            "/v1/organizations/{organization_id}/invitations/{invitation_id}/revoke",
            post(revoke),
        )
}

/// The signed-in user, who must be a member of `organization_id` whose role holds
/// `permission`; its id.
async fn acting(
    state: &AppState,
    browser: &Browser,
    organization_id: &str,
    permission: &str,
) -> Result<String, ApiError> {
    let user_id = browser.session(state).await?.user_id;
    access::member_with(state.services(), organization_id, &user_id, permission).await?;
    Ok(user_id)
}

fn membership_json(state: &AppState, m: &Membership) -> Value {
    let json = serde_json::to_value(MembershipJson::new(m, &state.issuer));
    browser_membership(json.unwrap_or(Value::Null))
}

fn invitation_json(state: &AppState, tickets: &InvitationTickets, i: &Invitation) -> Value {
    let json = InvitationJson::new(i, &state.issuer, tickets, state.now_ms());
    browser_invitation(serde_json::to_value(json).unwrap_or(Value::Null))
}

/// `query` (part of a member's name, username or email address), `role` (one or several),
/// `limit`, `offset`; newest first.
async fn list_memberships(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    listing: Listing,
) -> Response {
    let result = async {
        acting(&state, &browser, &id, READ_MEMBERSHIPS).await?;
        let q = MembershipListQuery {
            filters: MembershipFilters {
                organization_id: Some(id.clone()),
                user_id: None,
                users: UserFilters {
                    query: listing.string("query"),
                    ..UserFilters::default()
                },
                roles: listing.all("role"),
            },
            sort: Sort::NEWEST_FIRST,
            page: listing.page()?,
        };
        let (items, total) = state.store.list_memberships(&q).await?;
        let data = items.iter().map(|m| membership_json(&state, m)).collect();
        Ok(paginated(data, total))
    }
    .await;
    answer(&state, &browser, result).await
}

/// `user_id`, `role`: adds a user of the instance.
async fn add_member(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let result = async {
        acting(&state, &browser, &id, MANAGE_MEMBERSHIPS).await?;
        let new = NewMembership {
            user_id: form.required("user_id")?,
            role: form.required("role")?,
            public_metadata: None,
            private_metadata: None,
        };
        let membership = memberships::create(state.services(), &id, new).await?;
        Ok(Reply::Enveloped(membership_json(&state, &membership)))
    }
    .await;
    answer(&state, &browser, result).await
}

/// `role`: the member's new role (the last manager keeps theirs: 422
/// `organization_minimum_permissions_needed`).
async fn update_member(
    State(state): State<AppState>,
    browser: Browser,
    Path((id, user_id)): Path<(String, String)>,
    form: Form,
) -> Response {
    let result = async {
        acting(&state, &browser, &id, MANAGE_MEMBERSHIPS).await?;
        let role = form.required("role")?;
        let membership = memberships::update_role(state.services(), &id, &user_id, &role).await?;
        Ok(Reply::Enveloped(membership_json(&state, &membership)))
    }
    .await;
    answer(&state, &browser, result).await
}

/// Removes a member; answers the membership as it was.
async fn remove_member(
    State(state): State<AppState>,
    browser: Browser,
    Path((id, user_id)): Path<(String, String)>,
) -> Response {
    let result = async {
        acting(&state, &browser, &id, MANAGE_MEMBERSHIPS).await?;
        let membership = memberships::delete(state.services(), &id, &user_id).await?;
        Ok(Reply::Enveloped(membership_json(&state, &membership)))
    }
    .await;
    answer(&state, &browser, result).await
}

/// The invitations of `id` with any of `statuses` (all without), newest first.
async fn invitations_page(
    state: &AppState,
    id: &str,
    statuses: Vec<String>,
    page: Page,
) -> Result<Reply, ApiError> {
    let tickets = InvitationTickets::of(state.services()).await?;
    let now = state.now_ms();
    let query = |status: Option<String>, page: Page| InvitationListQuery {
        filters: InvitationFilters {
            organization_id: Some(id.to_owned()),
            status,
            ..InvitationFilters::default()
        },
        sort: Sort::NEWEST_FIRST,
        page,
        now_ms: now,
    };
    if statuses.len() <= 1 {
        let q = query(statuses.into_iter().next(), page);
        let (items, total) = state.store.list_organization_invitations(&q).await?;
        let data = items
            .iter()
            .map(|i| invitation_json(state, &tickets, i))
            .collect();
        return Ok(paginated(data, total));
    }
    // Several statuses: filtered here, over the organization's latest invitations.
    let latest = Page {
        limit: 500,
        offset: 0,
    };
    let (items, _) = state
        .store
        .list_organization_invitations(&query(None, latest))
        .await?;
    let data = items
        .iter()
        .filter(|i| statuses.iter().any(|s| s == i.record.status_at(now)))
        .map(|i| invitation_json(state, &tickets, i))
        .collect();
    Ok(page_of(data, page))
}

/// `status` (one or several: `pending`, `accepted`, `revoked`, `expired`), `limit`,
/// `offset`.
async fn list_invitations(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    listing: Listing,
) -> Response {
    let result = async {
        acting(&state, &browser, &id, MANAGE_MEMBERSHIPS).await?;
        let statuses = listing.all("status");
        if let Some(bad) = statuses.iter().find(|s| !STATUSES.contains(&s.as_str())) {
            return Err(ApiError::param_value_invalid(
                "status",
                format!("{bad} is not a status; use one of {}.", STATUSES.join(", ")),
            ));
        }
        invitations_page(&state, &id, statuses, listing.page()?).await
    }
    .await;
    answer(&state, &browser, result).await
}

async fn pending_invitations(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    listing: Listing,
) -> Response {
    let result = async {
        acting(&state, &browser, &id, MANAGE_MEMBERSHIPS).await?;
        invitations_page(&state, &id, vec!["pending".to_owned()], listing.page()?).await
    }
    .await;
    answer(&state, &browser, result).await
}

/// `email_address`, `role`: invites the address, with the signed-in user as the inviter
/// and an email to the address.
async fn invite(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let result = async {
        let user_id = acting(&state, &browser, &id, MANAGE_MEMBERSHIPS).await?;
        let new = NewInvitation {
            email_address: form.required("email_address")?,
            role: form.required("role")?,
            inviter_user_id: Some(user_id),
            ..NewInvitation::default()
        };
        let invitation = invitations::create(state.services(), &id, new).await?;
        let tickets = InvitationTickets::of(state.services()).await?;
        Ok(Reply::Enveloped(invitation_json(
            &state,
            &tickets,
            &invitation,
        )))
    }
    .await;
    answer(&state, &browser, result).await
}

/// `email_address` (repeated), `role`: all of them or, when one is refused, none;
/// answers the invitations as an array, as clerk-js reads them.
async fn invite_bulk(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let result = async {
        let user_id = acting(&state, &browser, &id, MANAGE_MEMBERSHIPS).await?;
        let addresses = form.all("email_address");
        if addresses.is_empty() {
            return Err(form
                .required("email_address")
                .err()
                .unwrap_or_else(ApiError::internal));
        }
        let role = form.required("role")?;
        let items = addresses
            .into_iter()
            .map(|email_address| NewInvitation {
                email_address,
                role: role.clone(),
                inviter_user_id: Some(user_id.clone()),
                ..NewInvitation::default()
            })
            .collect();
        let created = invitations::create_bulk(state.services(), &id, items).await?;
        let tickets = InvitationTickets::of(state.services()).await?;
        Ok(Reply::Enveloped(Value::Array(
            created
                .iter()
                .map(|i| invitation_json(&state, &tickets, i))
                .collect(),
        )))
    }
    .await;
    answer(&state, &browser, result).await
}

/// Revokes a pending invitation of the organization.
async fn revoke(
    State(state): State<AppState>,
    browser: Browser,
    Path((id, invitation_id)): Path<(String, String)>,
) -> Response {
    let result = async {
        let user_id = acting(&state, &browser, &id, MANAGE_MEMBERSHIPS).await?;
        let invitation =
            invitations::revoke(state.services(), &id, &invitation_id, Some(&user_id)).await?;
        let tickets = InvitationTickets::of(state.services()).await?;
        Ok(Reply::Enveloped(invitation_json(
            &state,
            &tickets,
            &invitation,
        )))
    }
    .await;
    answer(&state, &browser, result).await
}
