//! `permission`, `role` and `role_set` objects of the instance's roles catalog.

use serde::Serialize;

use crate::domain::organizations::roles::is_creator_eligible;
use crate::store::organizations::roles::{PermissionRecord, Role, RoleRecord, RoleSet};

/// A `permission` object.
#[derive(Serialize)]
pub(crate) struct PermissionJson {
    object: &'static str,
    id: String,
    name: String,
    key: String,
    description: String,
    #[serde(rename = "type")]
    kind: String,
    created_at: i64,
    updated_at: i64,
}

impl PermissionJson {
    /// The permission as stored.
    pub(crate) fn new(p: &PermissionRecord) -> Self {
        Self {
            object: "permission",
            id: p.id.clone(),
            name: p.name.clone(),
            key: p.key.clone(),
            description: p.description.clone(),
            kind: p.kind.clone(),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A `role` object, with its permissions.
#[derive(Serialize)]
pub(crate) struct RoleJson {
    object: &'static str,
    id: String,
    name: String,
    key: String,
    description: Option<String>,
    is_creator_eligible: bool,
    permissions: Vec<PermissionJson>,
    created_at: i64,
    updated_at: i64,
}

impl RoleJson {
    /// The role with its permissions.
    pub(crate) fn new(role: &Role) -> Self {
        let r = &role.record;
        Self {
            object: "role",
            id: r.id.clone(),
            name: r.name.clone(),
            key: r.key.clone(),
            description: r.description.clone(),
            is_creator_eligible: is_creator_eligible(role),
            permissions: role.permissions.iter().map(PermissionJson::new).collect(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A `role_set_item`: a role as a role set lists it (without its permissions).
#[derive(Serialize)]
pub(crate) struct RoleSetItemJson {
    object: &'static str,
    id: String,
    name: String,
    key: String,
    description: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl RoleSetItemJson {
    fn new(r: &RoleRecord) -> Self {
        Self {
            object: "role_set_item",
            id: r.id.clone(),
            name: r.name.clone(),
            key: r.key.clone(),
            description: r.description.clone(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A `role_set` object. Changes apply at once here, so there is never a
/// `role_set_migration` in progress to show (the key is optional and left out).
#[derive(Serialize)]
pub(crate) struct RoleSetJson {
    object: &'static str,
    id: String,
    name: String,
    key: String,
    description: Option<String>,
    roles: Vec<RoleSetItemJson>,
    default_role: Option<RoleSetItemJson>,
    creator_role: Option<RoleSetItemJson>,
    #[serde(rename = "type")]
    kind: String,
    created_at: i64,
    updated_at: i64,
}

impl RoleSetJson {
    /// The role set with its roles; `default_role` and `creator_role` are among them.
    pub(crate) fn new(set: &RoleSet) -> Self {
        let r = &set.record;
        Self {
            object: "role_set",
            id: r.id.clone(),
            name: r.name.clone(),
            key: r.key.clone(),
            description: r.description.clone(),
            roles: set.roles.iter().map(RoleSetItemJson::new).collect(),
            default_role: set.role(&r.default_role_id).map(RoleSetItemJson::new),
            creator_role: set.role(&r.creator_role_id).map(RoleSetItemJson::new),
            kind: r.kind.clone(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}
