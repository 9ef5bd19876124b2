//! Organization roles and the permissions they grant.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An organization role (`object: "role"`), e.g. `org:admin`.
///
/// ```
/// let role: clerk_sdk::OrganizationRole = serde_json::from_str(r#"{
///     "object": "role", "id": "role_1", "name": "Billing", "key": "org:billing",
///     "description": null, "is_creator_eligible": false, "permissions": [],
///     "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert_eq!(role.key, "org:billing");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrganizationRole {
    /// `"role"`.
    pub object: String,
    /// The ID (`role_...`).
    pub id: String,
    /// The display name.
    pub name: String,
    /// The key, `org:<name>`, as memberships and session tokens carry it.
    pub key: String,
    /// A description.
    pub description: Option<String>,
    /// Whether the role may be an organization creator's role.
    #[serde(default)]
    pub is_creator_eligible: bool,
    /// The permissions the role grants.
    #[serde(default)]
    pub permissions: Vec<OrganizationPermission>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An organization permission (`object: "permission"`), e.g. `org:invoices:read`.
///
/// ```
/// let permission: clerk_sdk::OrganizationPermission = serde_json::from_str(r#"{
///     "object": "permission", "id": "perm_1", "name": "Read invoices",
///     "key": "org:invoices:read", "description": "", "type": "user",
///     "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert!(!permission.is_system());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrganizationPermission {
    /// `"permission"`.
    pub object: String,
    /// The ID (`perm_...`).
    pub id: String,
    /// The display name.
    pub name: String,
    /// The key, `org:<feature>:<action>`.
    pub key: String,
    /// A description (empty when none was given).
    #[serde(default)]
    pub description: String,
    /// `system` for Clerk's own `org:sys_*` permissions, `user` for yours.
    #[serde(rename = "type")]
    pub permission_type: Option<String>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl OrganizationPermission {
    /// Whether this is one of Clerk's system permissions (`org:sys_*`). Session tokens
    /// never carry those, so [`Claims::has_permission`](crate::Claims::has_permission)
    /// cannot check them.
    ///
    /// ```
    /// let permission: clerk_sdk::OrganizationPermission = serde_json::from_str(r#"{
    ///     "object": "permission", "id": "perm_1", "name": "Manage members",
    ///     "key": "org:sys_memberships:manage", "description": "", "type": "system",
    ///     "created_at": 1, "updated_at": 2
    /// }"#)?;
    /// assert!(permission.is_system());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn is_system(&self) -> bool {
        self.permission_type.as_deref() == Some("system") || self.key.starts_with("org:sys_")
    }
}
