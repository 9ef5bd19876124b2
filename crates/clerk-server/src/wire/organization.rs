//! `organization` and `organization_membership` objects.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::store::organizations::memberships::Membership;
use crate::store::organizations::{Organization, OrganizationRecord};

/// Where the server serves images (`/images/{id}`; `default` is the placeholder shown where
/// nothing was uploaded). `base` is the server's public URL (its issuer).
pub(crate) fn image_url(base: &str, image_id: Option<&str>) -> String {
    format!(
        "{}/images/{}",
        base.trim_end_matches('/'),
        image_id.unwrap_or("default")
    )
}

/// An `organization` object.
#[derive(Serialize)]
pub(crate) struct OrganizationJson {
    object: &'static str,
    id: String,
    name: String,
    slug: String,
    image_url: String,
    has_image: bool,
    max_allowed_memberships: i64,
    admin_delete_enabled: bool,
    public_metadata: Map<String, Value>,
    private_metadata: Map<String, Value>,
    /// Optional but not nullable in the spec: left out when nobody created it.
    #[serde(skip_serializing_if = "Option::is_none")]
    created_by: Option<String>,
    role_set_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    members_count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pending_invitations_count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    missing_member_with_elevated_permissions: Option<bool>,
    created_at: i64,
    updated_at: i64,
}

impl OrganizationJson {
    /// The organization's own fields; `base` is the server's public URL, for `image_url`.
    pub(crate) fn new(record: &OrganizationRecord, base: &str) -> Self {
        Self {
            object: "organization",
            id: record.id.clone(),
            name: record.name.clone(),
            slug: record.slug.clone(),
            image_url: image_url(base, record.image_id.as_deref()),
            has_image: record.image_id.is_some(),
            max_allowed_memberships: record.max_allowed_memberships,
            admin_delete_enabled: record.admin_delete_enabled,
            public_metadata: record.public_metadata.clone(),
            private_metadata: record.private_metadata.clone(),
            created_by: record.created_by.clone(),
            role_set_key: record.role_set_key.clone(),
            members_count: None,
            pending_invitations_count: None,
            missing_member_with_elevated_permissions: None,
            created_at: record.created_at,
            updated_at: record.updated_at,
        }
    }

    /// The organization with the counts its read asked for.
    pub(crate) fn with_counts(organization: &Organization, base: &str) -> Self {
        Self {
            members_count: organization.members_count,
            pending_invitations_count: organization.pending_invitations_count,
            missing_member_with_elevated_permissions: organization
                .missing_member_with_elevated_permissions,
            ..Self::new(&organization.record, base)
        }
    }
}

/// The member's `public_user_data` of a membership.
#[derive(Serialize)]
struct PublicUserData {
    user_id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    profile_image_url: Option<String>,
    image_url: String,
    has_image: bool,
    identifier: Option<String>,
    username: Option<String>,
    banned: bool,
}

/// An `organization_membership` object, with its organization and member.
#[derive(Serialize)]
pub(crate) struct MembershipJson {
    object: &'static str,
    id: String,
    role: String,
    role_name: String,
    permissions: Vec<String>,
    public_metadata: Map<String, Value>,
    private_metadata: Map<String, Value>,
    organization: OrganizationJson,
    public_user_data: PublicUserData,
    created_at: i64,
    updated_at: i64,
}

impl MembershipJson {
    /// `base` is the server's public URL, for image URLs.
    pub(crate) fn new(membership: &Membership, base: &str) -> Self {
        let record = &membership.record;
        let member = &membership.member;
        let image = image_url(base, None);
        Self {
            object: "organization_membership",
            id: record.id.clone(),
            role: record.role.clone(),
            role_name: membership
                .role
                .as_ref()
                .map_or_else(|| record.role.clone(), |r| r.record.name.clone()),
            permissions: membership
                .role
                .iter()
                .flat_map(|r| r.permissions.iter().map(|p| p.key.clone()))
                .collect(),
            public_metadata: record.public_metadata.clone(),
            private_metadata: record.private_metadata.clone(),
            organization: OrganizationJson::new(&membership.organization, base),
            public_user_data: PublicUserData {
                user_id: record.user_id.clone(),
                first_name: member.first_name.clone(),
                last_name: member.last_name.clone(),
                profile_image_url: Some(image.clone()),
                image_url: image,
                has_image: false,
                identifier: member.identifier.clone(),
                username: member.username.clone(),
                banned: member.banned,
            },
            created_at: record.created_at,
            updated_at: record.updated_at,
        }
    }
}
