//! `/v1/organizations`: the signed-in user creates an organization (clerk-js's
//! `Clerk.createOrganization`) and becomes its member with the creator role; as a member it
//! reads, changes and deletes it (`Clerk.getOrganization`, `organization.update`,
//! `organization.destroy`), lists the roles it gives, its domains (and adds or removes
//! one) and its membership requests. Members and invitations are in [`super::org_members`].
//!
//! Authorization is Clerk's ([`crate::domain::organizations::access`]): a non-member gets
//! 404, as for an organization that does not exist; a change needs its permission
//! (`org:sys_profile:manage`, `org:sys_profile:delete`, `org:sys_domains:read` /
//! `:manage`), or 403 `authorization_invalid`. Every change is the Backend API's domain
//! operation, with the same webhook events. Switching to an organization is a session
//! `touch` with `active_organization_id`.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get, post};
use serde_json::Value;

use super::browser::Browser;
use super::form::Form;
use super::listing::{Listing, page_of, paginated};
use super::respond::{Reply, answer};
use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::domain::organizations::access::{
    self, DELETE_PROFILE, MANAGE_DOMAINS, MANAGE_PROFILE, READ_DOMAINS,
};
use crate::domain::organizations::domains::{self, NewDomain};
use crate::domain::organizations::{self, NewOrganization, OrganizationChange};
use crate::store::StoreError;
use crate::store::organizations::Extras;
use crate::store::organizations::OrganizationRecord;
use crate::store::organizations::domains::{DomainFilters, DomainListQuery};
use crate::store::sql::Sort;
use crate::wire::{
    DeletedObject, OrganizationDomainJson, OrganizationJson, RoleJson, browser_organization,
};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/organizations", post(create))
        .route(
            "/v1/organizations/{organization_id}",
            get(read).patch(update).delete(remove),
        )
        .route("/v1/organizations/{organization_id}/roles", get(roles))
        .route(
            "/v1/organizations/{organization_id}/domains",
            get(list_domains).post(create_domain),
        )
        .route(
            "/v1/organizations/{organization_id}/domains/{domain_id}",
            delete(delete_domain),
        )
        .route(
            "/v1/organizations/{organization_id}/membership_requests",
            get(membership_requests),
        )
}

fn organization_json(state: &AppState, record: &OrganizationRecord) -> Value {
    let json = OrganizationJson::new(record, &state.issuer);
    browser_organization(serde_json::to_value(json).unwrap_or(Value::Null))
}

async fn create(State(state): State<AppState>, browser: Browser, form: Form) -> Response {
    let result = async {
        let new = NewOrganization {
            name: form.string("name").unwrap_or_default(),
            slug: form.string("slug"),
            created_by: Some(browser.user_id(&state).await?),
            ..NewOrganization::default()
        };
        let record = organizations::create(state.services(), new).await?;
        Ok(Reply::Enveloped(organization_json(&state, &record)))
    }
    .await;
    answer(&state, &browser, result).await
}

/// Any member reads the organization, with its member and pending invitation counts.
async fn read(State(state): State<AppState>, browser: Browser, Path(id): Path<String>) -> Response {
    let result = async {
        access::member(state.services(), &id, &browser.user_id(&state).await?).await?;
        let extras = Extras {
            members_count: true,
            missing_member_with_elevated_permissions: false,
            now_ms: state.now_ms(),
        };
        let organization = state
            .store
            .organization(&id, extras)
            .await?
            .ok_or_else(|| StoreError::not_found("organization", &id))?;
        let json = OrganizationJson::with_counts(&organization, &state.issuer);
        Ok(Reply::Enveloped(browser_organization(
            serde_json::to_value(json).unwrap_or(Value::Null),
        )))
    }
    .await;
    answer(&state, &browser, result).await
}

/// `name`, `slug`: needs `org:sys_profile:manage`.
async fn update(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let result = async {
        let user_id = browser.user_id(&state).await?;
        access::member_with(state.services(), &id, &user_id, MANAGE_PROFILE).await?;
        let change = OrganizationChange {
            name: form.string("name"),
            slug: form.string("slug"),
            ..OrganizationChange::default()
        };
        let record = organizations::update(state.services(), &id, change).await?;
        Ok(Reply::Enveloped(organization_json(&state, &record)))
    }
    .await;
    answer(&state, &browser, result).await
}

/// Needs `org:sys_profile:delete`, and the organization's `admin_delete_enabled`.
async fn remove(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let user_id = browser.user_id(&state).await?;
        let membership =
            access::member_with(state.services(), &id, &user_id, DELETE_PROFILE).await?;
        if !membership.organization.admin_delete_enabled {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "organization_admin_delete_not_enabled",
                "deleting the organization is not enabled",
                "This organization cannot be deleted by its members: its admin_delete_enabled is false.",
            ));
        }
        let record = organizations::delete(state.services(), &id).await?;
        let deleted = DeletedObject::new("organization", &record.id);
        Ok(Reply::Enveloped(
            serde_json::to_value(deleted).unwrap_or(Value::Null),
        ))
    }
    .await;
    answer(&state, &browser, result).await
}

/// The roles the organization gives, oldest first; any member may read them (the role
/// picker of the members page).
async fn roles(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    listing: Listing,
) -> Response {
    let result = async {
        access::member(state.services(), &id, &browser.user_id(&state).await?).await?;
        let page = listing.page()?;
        let all = access::roles(state.services(), &id).await?;
        let data = all
            .iter()
            .map(|r| serde_json::to_value(RoleJson::new(r)).unwrap_or(Value::Null))
            .collect();
        let Reply::Enveloped(Value::Object(mut map)) = page_of(data, page) else {
            return Err(ApiError::internal());
        };
        // Role set migrations run inside the request that starts them.
        map.insert("has_role_set_migration".into(), Value::Bool(false));
        Ok(Reply::Enveloped(Value::Object(map)))
    }
    .await;
    answer(&state, &browser, result).await
}

/// `verified`, `enrollment_mode`, `limit`, `offset`: needs `org:sys_domains:read`.
async fn list_domains(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    listing: Listing,
) -> Response {
    let result = async {
        let user_id = browser.user_id(&state).await?;
        access::member_with(state.services(), &id, &user_id, READ_DOMAINS).await?;
        let verified = match listing.string("verified").as_deref() {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(_) => {
                return Err(ApiError::param_value_invalid(
                    "verified",
                    "verified must be true or false.",
                ));
            }
        };
        let q = DomainListQuery {
            filters: DomainFilters {
                organization_id: Some(id.clone()),
                verified,
                enrollment_modes: listing.all("enrollment_mode"),
                ..DomainFilters::default()
            },
            sort: Sort::NEWEST_FIRST,
            page: listing.page()?,
        };
        let (items, total) = state.store.list_organization_domains(&q).await?;
        let data = items
            .iter()
            .map(|d| {
                serde_json::to_value(OrganizationDomainJson::new(d, &state.issuer))
                    .unwrap_or(Value::Null)
            })
            .collect();
        Ok(paginated(data, total))
    }
    .await;
    answer(&state, &browser, result).await
}

/// `name`, `enrollment_mode`: needs `org:sys_domains:manage`. The domain starts
/// unverified: a browser cannot vouch for its affiliation as the Backend API can.
async fn create_domain(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let result = async {
        let user_id = browser.user_id(&state).await?;
        access::member_with(state.services(), &id, &user_id, MANAGE_DOMAINS).await?;
        let new = NewDomain {
            name: form.required("name")?,
            enrollment_mode: form.string("enrollment_mode"),
            verified: Some(false),
        };
        let domain = domains::create(state.services(), &id, new).await?;
        Ok(Reply::Enveloped(
            serde_json::to_value(OrganizationDomainJson::new(&domain, &state.issuer))
                .unwrap_or(Value::Null),
        ))
    }
    .await;
    answer(&state, &browser, result).await
}

/// Needs `org:sys_domains:manage`.
async fn delete_domain(
    State(state): State<AppState>,
    browser: Browser,
    Path((id, domain_id)): Path<(String, String)>,
) -> Response {
    let result = async {
        let user_id = browser.user_id(&state).await?;
        access::member_with(state.services(), &id, &user_id, MANAGE_DOMAINS).await?;
        let deleted_id = domains::delete(state.services(), &id, &domain_id).await?;
        let deleted = DeletedObject::new("organization_domain", &deleted_id);
        Ok(Reply::Enveloped(
            serde_json::to_value(deleted).unwrap_or(Value::Null),
        ))
    }
    .await;
    answer(&state, &browser, result).await
}

/// Needs `org:sys_memberships:manage`. Nothing here makes membership requests (an
/// accepted suggestion makes a member at once), so the list is empty.
async fn membership_requests(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    listing: Listing,
) -> Response {
    let result = async {
        let user_id = browser.user_id(&state).await?;
        access::member_with(state.services(), &id, &user_id, access::MANAGE_MEMBERSHIPS).await?;
        Ok(page_of(Vec::new(), listing.page()?))
    }
    .await;
    answer(&state, &browser, result).await
}
