//! Role sets: the roles an organization may hand out.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

string_enum! {
    /// Whether a role set is the one new organizations get.
    pub enum RoleSetType {
        Initial => "initial",
        Custom => "custom",
    }
}

/// A role set (`object: "role_set"`).
///
/// ```
/// let set: clerk_sdk::RoleSet = serde_json::from_str(r#"{
///     "object": "role_set", "id": "rs_1", "name": "Default", "key": "role_set:default",
///     "description": null, "type": "initial", "created_at": 1, "updated_at": 2,
///     "roles": [{"object": "role_set_item", "id": "role_1", "name": "Admin", "key": "org:admin",
///                "description": null, "created_at": 1, "updated_at": 2}]
/// }"#)?;
/// assert_eq!(set.roles[0].key, "org:admin");
/// assert_eq!(set.role_set_type, clerk_sdk::RoleSetType::Initial);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoleSet {
    /// `"role_set"`.
    pub object: String,
    /// The ID.
    pub id: String,
    /// The display name.
    pub name: String,
    /// The key, e.g. `role_set:default`.
    pub key: String,
    /// A description.
    pub description: Option<String>,
    /// The roles of the set.
    #[serde(default)]
    pub roles: Vec<RoleSetItem>,
    /// The role new members get.
    pub default_role: Option<RoleSetItem>,
    /// The role an organization's creator gets.
    pub creator_role: Option<RoleSetItem>,
    /// `initial` (what new organizations get) or `custom`.
    #[serde(rename = "type")]
    pub role_set_type: RoleSetType,
    /// A migration of members to another set, while one runs.
    pub role_set_migration: Option<RoleSetMigration>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A role as a role set lists it (`object: "role_set_item"`).
///
/// ```
/// let item: clerk_sdk::RoleSetItem = serde_json::from_str(r#"{
///     "object": "role_set_item", "id": "role_1", "name": "Member", "key": "org:member",
///     "description": null, "members_count": 3, "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert_eq!(item.members_count, Some(3));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoleSetItem {
    /// `"role_set_item"`.
    pub object: String,
    /// The role's ID.
    pub id: String,
    /// The role's display name.
    pub name: String,
    /// The role's key.
    pub key: String,
    /// A description.
    pub description: Option<String>,
    /// How many members hold the role.
    pub members_count: Option<i64>,
    /// Whether any member holds the role.
    pub has_members: Option<bool>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A running migration of members from one role set to another
/// (`object: "role_set_migration"`).
///
/// ```
/// let migration: clerk_sdk::RoleSetMigration = serde_json::from_str(r#"{
///     "object": "role_set_migration", "id": "rsm_1", "instance_id": "ins_1",
///     "source_role_set_id": "rs_1", "dest_role_set_id": "rs_2", "trigger_type": "role_set_deletion",
///     "status": "in_progress", "migrated_members": 10, "mappings": {"org:viewer": "org:member"},
///     "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert_eq!(migration.mappings.unwrap()["org:viewer"], "org:member");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoleSetMigration {
    /// `"role_set_migration"`.
    pub object: String,
    /// The ID.
    pub id: String,
    /// The organization, when the migration concerns one.
    pub organization_id: Option<String>,
    /// The instance.
    pub instance_id: String,
    /// The set members leave.
    pub source_role_set_id: String,
    /// The set members join.
    pub dest_role_set_id: Option<String>,
    /// What started it, e.g. `role_set_deletion`.
    pub trigger_type: String,
    /// e.g. `enqueued`, `in_progress`, `completed`.
    pub status: String,
    /// Members migrated so far.
    #[serde(default)]
    pub migrated_members: i64,
    /// Old role key to new role key (string values).
    pub mappings: Option<Map<String, Value>>,
    /// Start (Unix ms).
    pub started_at: Option<i64>,
    /// End (Unix ms).
    pub completed_at: Option<i64>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
