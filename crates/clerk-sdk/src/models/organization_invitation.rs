//! Organization invitations.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Metadata;

string_enum! {
    /// Where an organization invitation stands.
    pub enum OrganizationInvitationStatus {
        Pending => "pending",
        Accepted => "accepted",
        Revoked => "revoked",
        Expired => "expired",
    }
}

/// An invitation to join an organization (`object: "organization_invitation"`).
///
/// The lists of a user's invitations and of the instance's invitations also carry
/// [`public_organization_data`](Self::public_organization_data); the lists of one
/// organization do not.
///
/// ```
/// let invitation: clerk_sdk::OrganizationInvitation = serde_json::from_str(r#"{
///     "object": "organization_invitation", "id": "orginv_1", "email_address": "ada@example.com",
///     "role": "org:member", "role_name": "Member", "organization_id": "org_1",
///     "inviter_id": null, "public_inviter_data": null, "status": "pending",
///     "public_metadata": {}, "url": null, "expires_at": null, "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert_eq!(invitation.status, Some(clerk_sdk::OrganizationInvitationStatus::Pending));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrganizationInvitation {
    /// `"organization_invitation"`.
    pub object: String,
    /// The ID (`orginv_...`).
    pub id: String,
    /// The invited email address.
    pub email_address: String,
    /// The role the invitee will get, e.g. `org:member`.
    pub role: String,
    /// The role's display name.
    pub role_name: Option<String>,
    /// The organization.
    pub organization_id: Option<String>,
    /// The user who sent the invitation.
    pub inviter_id: Option<String>,
    /// Public data of the user who sent the invitation.
    pub public_inviter_data: Option<InviterPublicData>,
    /// Where the invitation stands.
    pub status: Option<OrganizationInvitationStatus>,
    /// Public metadata, copied to the membership on acceptance.
    #[serde(default)]
    pub public_metadata: Metadata,
    /// Private metadata, copied to the membership on acceptance.
    pub private_metadata: Option<Metadata>,
    /// The link that accepts the invitation.
    pub url: Option<String>,
    /// Expiry (Unix ms).
    pub expires_at: Option<i64>,
    /// The organization, in lists that span organizations.
    pub public_organization_data: Option<PublicOrganizationData>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Public data of the user who sent an organization invitation.
///
/// ```
/// let inviter: clerk_sdk::InviterPublicData = serde_json::from_str(r#"{
///     "user_id": "user_1", "first_name": "Ada", "last_name": null,
///     "image_url": "https://img.example/1", "has_image": true, "identifier": "ada@example.com"
/// }"#)?;
/// assert_eq!(inviter.identifier.as_deref(), Some("ada@example.com"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InviterPublicData {
    /// The inviter's user ID.
    pub user_id: String,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Profile image.
    pub image_url: Option<String>,
    /// Whether an image was uploaded.
    #[serde(default)]
    pub has_image: bool,
    /// The inviter's primary identifier.
    pub identifier: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The public face of an organization, as invitations and domains show it.
///
/// ```
/// let org: clerk_sdk::PublicOrganizationData = serde_json::from_str(r#"{
///     "id": "org_1", "name": "Acme", "slug": "acme", "has_image": false
/// }"#)?;
/// assert_eq!(org.slug, "acme");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PublicOrganizationData {
    /// The organization ID.
    pub id: String,
    /// The name.
    pub name: String,
    /// The URL slug.
    pub slug: String,
    /// The logo URL.
    pub image_url: Option<String>,
    /// Whether a logo was uploaded.
    #[serde(default)]
    pub has_image: bool,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
