//! Organization memberships listed on a user.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Metadata;

/// A user's membership in an organization (`object: "organization_membership"`).
///
/// ```
/// let membership: clerk_sdk::OrganizationMembership = serde_json::from_str(r#"{
///     "object": "organization_membership", "id": "orgmem_1", "role": "org:admin",
///     "permissions": ["org:sys_memberships:manage"], "public_metadata": {},
///     "created_at": 1, "updated_at": 2,
///     "organization": {"object": "organization", "id": "org_1", "name": "Acme", "slug": "acme",
///                      "has_image": false, "max_allowed_memberships": 5, "admin_delete_enabled": true,
///                      "public_metadata": {}, "created_at": 1, "updated_at": 2}
/// }"#)?;
/// assert_eq!(membership.organization.slug, "acme");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrganizationMembership {
    /// The ID.
    pub id: String,
    /// `"organization_membership"`.
    pub object: String,
    /// The role key, e.g. `org:admin`.
    pub role: String,
    /// The role's display name.
    pub role_name: Option<String>,
    /// The permissions the role grants.
    #[serde(default)]
    pub permissions: Vec<String>,
    /// Public metadata of the membership.
    #[serde(default)]
    pub public_metadata: Metadata,
    /// Private metadata of the membership.
    pub private_metadata: Option<Metadata>,
    /// The organization.
    pub organization: Organization,
    /// Public data of the member.
    pub public_user_data: Option<OrganizationMembershipPublicUserData>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An organization (`object: "organization"`).
///
/// ```
/// let org: clerk_sdk::Organization = serde_json::from_str(r#"{
///     "object": "organization", "id": "org_1", "name": "Acme", "slug": "acme", "has_image": false,
///     "max_allowed_memberships": 5, "admin_delete_enabled": true, "public_metadata": {},
///     "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert_eq!(org.name, "Acme");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Organization {
    /// `"organization"`.
    pub object: String,
    /// The ID (`org_...`).
    pub id: String,
    /// The name.
    pub name: String,
    /// The URL slug.
    pub slug: String,
    /// The logo URL.
    pub image_url: Option<String>,
    /// Whether a logo was uploaded.
    pub has_image: bool,
    /// Number of members.
    pub members_count: Option<i64>,
    /// Whether no member holds the permissions to manage the organization.
    pub missing_member_with_elevated_permissions: Option<bool>,
    /// Number of pending invitations.
    pub pending_invitations_count: Option<i64>,
    /// Most members allowed (0: unlimited).
    pub max_allowed_memberships: i64,
    /// Whether admins may delete the organization.
    pub admin_delete_enabled: bool,
    /// Public metadata.
    #[serde(default)]
    pub public_metadata: Metadata,
    /// Private metadata.
    pub private_metadata: Option<Metadata>,
    /// The user who created it.
    pub created_by: Option<String>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Latest activity (Unix ms).
    pub last_active_at: Option<i64>,
    /// The role set the organization uses.
    pub role_set_key: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The public data of an organization member.
///
/// ```
/// let data: clerk_sdk::OrganizationMembershipPublicUserData = serde_json::from_str(r#"{
///     "user_id": "user_1", "first_name": "Ada", "last_name": null, "profile_image_url": null,
///     "image_url": "https://img.example/1", "has_image": true
/// }"#)?;
/// assert_eq!(data.user_id, "user_1");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrganizationMembershipPublicUserData {
    /// The member's user ID.
    pub user_id: String,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Deprecated: use `image_url`.
    pub profile_image_url: Option<String>,
    /// Profile image.
    pub image_url: String,
    /// Whether an image was uploaded.
    pub has_image: bool,
    /// The member's primary identifier.
    pub identifier: Option<String>,
    /// Username.
    pub username: Option<String>,
    /// Whether the member is banned.
    pub banned: Option<bool>,
    /// Whether the member is deprovisioned.
    pub deprovisioned: Option<bool>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
