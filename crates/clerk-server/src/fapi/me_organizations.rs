//! `/v1/me/organization_…`: the signed-in user's side of organizations, as clerk-js's
//! `Clerk.user` reads and changes it: the invitations addressed to its verified email
//! addresses (`getOrganizationInvitations`, `invitation.accept()`), the organizations its
//! verified email domains suggest (`getOrganizationSuggestions`, `suggestion.accept()`), and
//! leaving an organization (`leaveOrganization`). Every change is the domain operation the
//! Backend API's goes through, with the same webhook events.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{delete, get, post};
use serde_json::{Value, json};

use super::browser::Browser;
use super::listing::{Listing, page_of, paginated};
use super::respond::{Reply, answer};
use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::domain::organizations::invitations::InvitationTickets;
use crate::domain::organizations::invitee::{self, Suggestion};
use crate::store::organizations::invitations::{
    Invitation, InvitationFilters, InvitationListQuery, STATUSES,
};
use crate::store::sql::Sort;
use crate::wire::{DeletedObject, InvitationJson, PublicOrganizationJson, browser_invitation};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/me/organization_invitations", get(invitations))
        .route(
            "/v1/me/organization_invitations/{invitation_id}/accept",
            post(accept_invitation),
        )
        .route("/v1/me/organization_suggestions", get(suggestions))
        .route(
            "/v1/me/organization_suggestions/{suggestion_id}/accept",
            post(accept_suggestion),
        )
        .route(
            "/v1/me/organization_memberships/{organization_id}",
            delete(leave),
        )
}

/// An invitation as the invitee sees it: with its organization's public data.
fn invitation_json(state: &AppState, tickets: &InvitationTickets, i: &Invitation) -> Value {
    let json = InvitationJson::with_organization(i, &state.issuer, tickets, state.now_ms());
    browser_invitation(serde_json::to_value(json).unwrap_or(Value::Null))
}

/// The `status` filter: one of the invitations' statuses, or none.
fn status_filter(listing: &Listing) -> Result<Vec<String>, ApiError> {
    let statuses = listing.all("status");
    if let Some(bad) = statuses.iter().find(|s| !STATUSES.contains(&s.as_str())) {
        return Err(ApiError::param_value_invalid(
            "status",
            format!("{bad} is not a status; use one of {}.", STATUSES.join(", ")),
        ));
    }
    Ok(statuses)
}

/// `status` (one or several), `limit`, `offset`: the invitations to the user's verified
/// addresses, newest first.
async fn invitations(
    State(state): State<AppState>,
    browser: Browser,
    listing: Listing,
) -> Response {
    let result = async {
        let user_id = browser.user_id(&state).await?;
        let statuses = status_filter(&listing)?;
        let page = listing.page()?;
        let tickets = InvitationTickets::of(state.services()).await?;
        let filters = |status: Option<String>| InvitationFilters {
            user_id: Some(user_id.clone()),
            verified_only: true,
            status,
            ..InvitationFilters::default()
        };
        if statuses.len() <= 1 {
            let q = InvitationListQuery {
                filters: filters(statuses.into_iter().next()),
                sort: Sort::NEWEST_FIRST,
                page,
                now_ms: state.now_ms(),
            };
            let (items, total) = state.store.list_organization_invitations(&q).await?;
            let data = items
                .iter()
                .map(|i| invitation_json(&state, &tickets, i))
                .collect();
            return Ok(paginated(data, total));
        }
        // Several statuses: a user has few invitations, so they are filtered here.
        let q = InvitationListQuery {
            filters: filters(None),
            sort: Sort::NEWEST_FIRST,
            page: crate::store::Page {
                limit: 500,
                offset: 0,
            },
            now_ms: state.now_ms(),
        };
        let (items, _) = state.store.list_organization_invitations(&q).await?;
        let now = state.now_ms();
        let data = items
            .iter()
            .filter(|i| statuses.iter().any(|s| s == i.record.status_at(now)))
            .map(|i| invitation_json(&state, &tickets, i))
            .collect();
        Ok(page_of(data, page))
    }
    .await;
    answer(&state, &browser, result).await
}

/// The user accepts an invitation to one of its verified addresses; any other is 404.
async fn accept_invitation(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let user_id = browser.user_id(&state).await?;
        let invitation = invitee::accept_invitation(state.services(), &user_id, &id).await?;
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

fn suggestion_json(state: &AppState, s: &Suggestion) -> Value {
    let domain = &s.domain.record;
    json!({
        "object": "organization_suggestion",
        "id": s.id,
        "public_organization_data": PublicOrganizationJson::new(&s.domain.organization, &state.issuer),
        "status": s.status,
        "created_at": domain.created_at,
        "updated_at": domain.updated_at,
    })
}

/// The organizations suggested to the user (see [`invitee`]); `status=accepted` lists
/// none, as an accepted suggestion is a membership.
async fn suggestions(
    State(state): State<AppState>,
    browser: Browser,
    listing: Listing,
) -> Response {
    let result = async {
        let user_id = browser.user_id(&state).await?;
        let statuses = listing.all("status");
        let page = listing.page()?;
        let all = invitee::suggestions(state.services(), &user_id).await?;
        let data = all
            .iter()
            .filter(|s| statuses.is_empty() || statuses.iter().any(|w| w == s.status))
            .map(|s| suggestion_json(&state, s))
            .collect();
        Ok(page_of(data, page))
    }
    .await;
    answer(&state, &browser, result).await
}

async fn accept_suggestion(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let user_id = browser.user_id(&state).await?;
        let suggestion = invitee::accept_suggestion(state.services(), &user_id, &id).await?;
        Ok(Reply::Enveloped(suggestion_json(&state, &suggestion)))
    }
    .await;
    answer(&state, &browser, result).await
}

/// The user leaves an organization (404 if not a member); the last member able to manage
/// members cannot (422 `organization_minimum_permissions_needed`).
async fn leave(
    State(state): State<AppState>,
    browser: Browser,
    Path(organization_id): Path<String>,
) -> Response {
    let result = async {
        let user_id = browser.user_id(&state).await?;
        let left = invitee::leave(state.services(), &organization_id, &user_id).await?;
        let deleted = DeletedObject::new("organization_membership", &left.record.id);
        Ok(Reply::Enveloped(
            serde_json::to_value(deleted).unwrap_or(Value::Null),
        ))
    }
    .await;
    answer(&state, &browser, result).await
}
