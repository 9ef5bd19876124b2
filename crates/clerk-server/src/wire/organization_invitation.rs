//! `organization_invitation` objects, with or without their organization's public data.

use serde::Serialize;
use serde_json::{Map, Value};

use super::organization::image_url;
use crate::domain::organizations::invitations::InvitationTickets;
use crate::store::organizations::invitations::{Invitation, PublicOrganizationData};

/// The inviter's `public_inviter_data`.
#[derive(Serialize)]
struct PublicInviterData {
    user_id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    image_url: String,
    has_image: bool,
    identifier: String,
}

/// An invitation's `public_organization_data`.
#[derive(Serialize)]
pub(crate) struct PublicOrganizationJson {
    id: String,
    name: String,
    slug: String,
    image_url: String,
    has_image: bool,
}

impl PublicOrganizationJson {
    /// `base` is the server's public URL, for `image_url`.
    pub(crate) fn new(data: &PublicOrganizationData, base: &str) -> Self {
        Self {
            id: data.id.clone(),
            name: data.name.clone(),
            slug: data.slug.clone(),
            image_url: image_url(base, data.image_id.as_deref()),
            has_image: data.image_id.is_some(),
        }
    }
}

/// An `organization_invitation` object.
#[derive(Serialize)]
pub(crate) struct InvitationJson {
    object: &'static str,
    id: String,
    email_address: String,
    role: String,
    role_name: String,
    organization_id: String,
    inviter_id: Option<String>,
    public_inviter_data: Option<PublicInviterData>,
    public_metadata: Map<String, Value>,
    private_metadata: Map<String, Value>,
    status: String,
    /// The Frontend API's link that accepts the invitation (its ticket in the query).
    url: Option<String>,
    expires_at: Option<i64>,
    /// Only in the lists that carry it (the instance's and a user's): the other operations'
    /// schema forbids it.
    #[serde(skip_serializing_if = "Option::is_none")]
    public_organization_data: Option<PublicOrganizationJson>,
    created_at: i64,
    updated_at: i64,
}

impl InvitationJson {
    /// The invitation as it reads at `now_ms` (a pending one past its expiry is
    /// `expired`); `base` is the server's public URL, for image URLs; `tickets` gives its
    /// `url`.
    pub(crate) fn new(
        invitation: &Invitation,
        base: &str,
        tickets: &InvitationTickets,
        now_ms: i64,
    ) -> Self {
        let record = &invitation.record;
        Self {
            object: "organization_invitation",
            id: record.id.clone(),
            email_address: record.email_address.clone(),
            role: record.role.clone(),
            role_name: invitation
                .role
                .as_ref()
                .map_or_else(|| record.role.clone(), |r| r.record.name.clone()),
            organization_id: record.organization_id.clone(),
            inviter_id: record.inviter_id.clone(),
            public_inviter_data: invitation.inviter.as_ref().map(|u| PublicInviterData {
                user_id: u.user_id.clone(),
                first_name: u.first_name.clone(),
                last_name: u.last_name.clone(),
                image_url: image_url(base, None),
                has_image: false,
                identifier: u.identifier.clone().unwrap_or_default(),
            }),
            public_metadata: record.public_metadata.clone(),
            private_metadata: record.private_metadata.clone(),
            status: record.status_at(now_ms).to_owned(),
            url: Some(tickets.url(record)),
            expires_at: record.expires_at,
            public_organization_data: None,
            created_at: record.created_at,
            updated_at: record.updated_at,
        }
    }

    /// With `public_organization_data`.
    pub(crate) fn with_organization(
        invitation: &Invitation,
        base: &str,
        tickets: &InvitationTickets,
        now_ms: i64,
    ) -> Self {
        Self {
            public_organization_data: Some(PublicOrganizationJson::new(
                &invitation.organization,
                base,
            )),
            ..Self::new(invitation, base, tickets, now_ms)
        }
    }
}

/// The `data` of an `organizationInvitation.accepted` event: the invitation as the API shows
/// it, with the id of the user who accepted it (Clerk's `OrganizationInvitationAcceptedPayload`).
#[derive(Serialize)]
pub(crate) struct AcceptedInvitationJson<'a> {
    #[serde(flatten)]
    invitation: InvitationJson,
    user_id: &'a str,
}

impl<'a> AcceptedInvitationJson<'a> {
    /// `invitation` (see [`InvitationJson::new`]) accepted by `user_id`.
    pub(crate) fn new(
        invitation: &Invitation,
        user_id: &'a str,
        base: &str,
        tickets: &InvitationTickets,
        now_ms: i64,
    ) -> Self {
        Self {
            invitation: InvitationJson::new(invitation, base, tickets, now_ms),
            user_id,
        }
    }
}
