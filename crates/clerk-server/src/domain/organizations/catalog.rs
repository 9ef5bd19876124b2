//! Clerk's defaults in the roles catalog, created at start when missing: the system
//! permissions (`org:sys_*`), the roles `org:admin` (every system permission; the creator
//! role) and `org:member` (read members and billing; the default role), and the initial
//! role set `role_set:default` holding both.
//!
//! Writing these defaults emits no `role.created` or `permission.created`: they are part
//! of the instance as it starts (as a new Clerk instance has them before any webhook
//! endpoint can exist), written before the server serves a request.

use sqlx::AnyConnection;

use crate::domain::services::Services;
use crate::ids::{self, prefix};
use crate::store::organizations::roles::{
    self, INITIAL, PermissionRecord, RoleRecord, RoleSetRecord, SYSTEM,
};
use crate::store::{Result, UnitOfWork, instance};

/// Clerk's system permissions: key, name, description.
pub(crate) const SYSTEM_PERMISSIONS: [(&str, &str, &str); 8] = [
    (
        "org:sys_profile:manage",
        "Manage organization",
        "Permission to manage an organization.",
    ),
    (
        "org:sys_profile:delete",
        "Delete organization",
        "Permission to delete an organization.",
    ),
    (
        "org:sys_memberships:read",
        "Read members",
        "Permission to read the members of an organization.",
    ),
    (
        "org:sys_memberships:manage",
        "Manage members",
        "Permission to manage the members of an organization.",
    ),
    (
        "org:sys_domains:read",
        "Read domains",
        "Permission to read the domains of an organization.",
    ),
    (
        "org:sys_domains:manage",
        "Manage domains",
        "Permission to manage the domains of an organization.",
    ),
    (
        "org:sys_billing:read",
        "Read billing",
        "Permission to read the billing of an organization.",
    ),
    (
        "org:sys_billing:manage",
        "Manage billing",
        "Permission to manage the billing of an organization.",
    ),
];

/// The system permissions the default member role gets, as Clerk's docs give them.
const MEMBER_PERMISSIONS: [&str; 2] = ["org:sys_memberships:read", "org:sys_billing:read"];

/// The permissions a role needs to be an organization's creator role: whoever creates an
/// organization must be able to run it.
pub(crate) const CREATOR_PERMISSIONS: [&str; 4] = [
    "org:sys_profile:manage",
    "org:sys_profile:delete",
    "org:sys_memberships:read",
    "org:sys_memberships:manage",
];

/// The admin role's key.
pub(crate) const ADMIN: &str = "org:admin";
/// The member role's key.
pub(crate) const MEMBER: &str = "org:member";
/// The initial role set's key.
pub(crate) const DEFAULT_ROLE_SET: &str = "role_set:default";

/// Creates the defaults a catalog lacks, on `conn` (the startup lock's transaction): the
/// system permissions always; the roles and the role set only in a catalog without any
/// role set (a fresh database), so that an instance that changed its roles keeps them.
pub(crate) async fn bootstrap(conn: &mut AnyConnection, now_ms: i64) -> Result<()> {
    let mut system = Vec::new();
    for (key, name, description) in SYSTEM_PERMISSIONS {
        let existing: Option<String> =
            sqlx::query_scalar("SELECT id FROM organization_permissions WHERE key = $1")
                .bind(key)
                .fetch_optional(&mut *conn)
                .await?;
        let id = match existing {
            Some(id) => id,
            None => {
                let permission = PermissionRecord {
                    id: ids::new_id(prefix::PERMISSION, now_ms),
                    key: key.to_owned(),
                    name: name.to_owned(),
                    description: description.to_owned(),
                    kind: SYSTEM.to_owned(),
                    created_at: now_ms,
                    updated_at: now_ms,
                };
                roles::insert_permission(conn, &permission).await?;
                permission.id
            }
        };
        system.push((key, id));
    }
    let has_role_set: Option<String> = sqlx::query_scalar("SELECT id FROM role_sets LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    if has_role_set.is_some() {
        return Ok(());
    }
    let admin = role(
        conn,
        ADMIN,
        "Admin",
        "Offers full access to organization resources.",
        now_ms,
    )
    .await?;
    let member = role(
        conn,
        MEMBER,
        "Member",
        "Offers limited access to organization resources.",
        now_ms,
    )
    .await?;
    for (key, permission_id) in &system {
        roles::add_role_permission(conn, &admin, permission_id, now_ms).await?;
        if MEMBER_PERMISSIONS.contains(key) {
            roles::add_role_permission(conn, &member, permission_id, now_ms).await?;
        }
    }
    let set = RoleSetRecord {
        id: ids::new_id(prefix::ROLE_SET, now_ms),
        key: DEFAULT_ROLE_SET.to_owned(),
        name: "Default role set".to_owned(),
        description: Some("The roles new organizations get.".to_owned()),
        kind: INITIAL.to_owned(),
        default_role_id: member.clone(),
        creator_role_id: admin.clone(),
        created_at: now_ms,
        updated_at: now_ms,
    };
    roles::insert_role_set(conn, &set).await?;
    roles::add_role_set_roles(conn, &set.id, &[&admin, &member], now_ms).await
}

/// The id of the role `key`, created when missing.
async fn role(
    conn: &mut AnyConnection,
    key: &str,
    name: &str,
    description: &str,
    now_ms: i64,
) -> Result<String> {
    if let Some(existing) = roles::role_by_key(conn, key).await? {
        return Ok(existing.record.id);
    }
    let record = RoleRecord {
        id: ids::new_id(prefix::ROLE, now_ms),
        key: key.to_owned(),
        name: name.to_owned(),
        description: Some(description.to_owned()),
        created_at: now_ms,
        updated_at: now_ms,
    };
    roles::insert_role(conn, &record).await?;
    Ok(record.id)
}

/// Locks the catalog for a change (the instance row, for update): catalog changes take
/// turns. Answers the instance, whose settings hold the catalog's quotas.
pub(crate) async fn lock(svc: &Services, work: &mut UnitOfWork) -> Result<instance::Instance> {
    instance::load(work.tx(), svc.store.dialect().for_update()).await
}

/// Keeps the catalog from changing until `work` ends, for a change that gives out a role
/// (a membership, an invitation): a role cannot then be deleted while it is being given.
/// Taken before the organization's lock, the order catalog changes take their locks in, so
/// the two cannot deadlock.
pub(crate) async fn hold(svc: &Services, work: &mut UnitOfWork) -> Result<()> {
    instance::load(work.tx(), svc.store.dialect().for_share()).await?;
    Ok(())
}
