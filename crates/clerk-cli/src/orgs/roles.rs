//! `clerk orgs roles` and `clerk orgs permissions`: the instance's catalog of what an
//! organization's members may be and do.

use clap::{Args, Subcommand};
use clerk_sdk::{
    CreateOrganizationPermission, CreateOrganizationRole, DeletedObject,
    ListOrganizationPermissions, ListOrganizationRoles, OrganizationPermission, OrganizationRole,
    Patch, UpdateOrganizationPermission, UpdateOrganizationRole,
};

use crate::Context;
use crate::api::{Api, path};
use crate::error::{CliError, CliResult};
use crate::output::{Details, Table, or_dash, yes_no};
use crate::params::{PageArgs, set_given, to_body};
use crate::time::format_ms;
use crate::users::deleted_line;

/// `clerk orgs roles …`
#[derive(Debug, Subcommand)]
pub enum RolesCommand {
    /// List one page of roles.
    #[command(
        after_help = "Examples:\n  clerk orgs roles list\n  clerk orgs roles list --query billing --order-by key"
    )]
    List(CatalogListArgs),
    /// Create a role.
    #[command(
        after_help = "Example:\n  clerk orgs roles create Billing org:billing --description 'Pays the bills' --permission perm_2x"
    )]
    Create(CreateRoleArgs),
    /// Show one role with its permissions.
    #[command(after_help = "Example:\n  clerk orgs roles get role_2x")]
    Get(RoleId),
    /// Change a role's name, key, description or permissions.
    #[command(
        after_help = "Examples:\n  clerk orgs roles update role_2x --name Finance\n  clerk orgs roles update role_2x --description ''   # clears it"
    )]
    Update(UpdateRoleArgs),
    /// Delete a role no member holds.
    #[command(after_help = "Example:\n  clerk orgs roles delete role_2x")]
    Delete(RoleId),
    /// Grant a permission to a role.
    #[command(after_help = "Example:\n  clerk orgs roles assign role_2x perm_2x")]
    Assign(RolePermission),
    /// Take a permission away from a role.
    #[command(after_help = "Example:\n  clerk orgs roles unassign role_2x perm_2x")]
    Unassign(RolePermission),
}

/// `clerk orgs permissions …`
#[derive(Debug, Subcommand)]
pub enum PermissionsCommand {
    /// List one page of permissions.
    #[command(
        after_help = "Examples:\n  clerk orgs permissions list\n  clerk orgs permissions list --query invoices"
    )]
    List(CatalogListArgs),
    /// Create a permission (keys look like org:<feature>:<action>).
    #[command(
        after_help = "Example:\n  clerk orgs permissions create 'Read invoices' org:invoices:read --description 'See every invoice'"
    )]
    Create(CreatePermissionArgs),
    /// Show one permission.
    #[command(after_help = "Example:\n  clerk orgs permissions get perm_2x")]
    Get(PermissionId),
    /// Change a permission's name, key or description.
    #[command(
        after_help = "Example:\n  clerk orgs permissions update perm_2x --name 'View invoices'"
    )]
    Update(UpdatePermissionArgs),
    /// Delete a permission.
    #[command(after_help = "Example:\n  clerk orgs permissions delete perm_2x")]
    Delete(PermissionId),
}

/// One role, by ID.
#[derive(Debug, Args)]
pub struct RoleId {
    /// The role ID (role_…).
    id: String,
}

/// One permission, by ID.
#[derive(Debug, Args)]
pub struct PermissionId {
    /// The permission ID (perm_…).
    id: String,
}

/// A role and a permission.
#[derive(Debug, Args)]
pub struct RolePermission {
    /// The role ID (role_…).
    role_id: String,
    /// The permission ID (perm_…).
    permission_id: String,
}

/// `roles list` and `permissions list`.
#[derive(Debug, Args)]
pub struct CatalogListArgs {
    /// An exact ID, or part of a name or key.
    #[arg(long, value_name = "TEXT")]
    query: Option<String>,
    /// Order: created_at, name or key; prefix - for descending.
    #[arg(long, value_name = "FIELD", allow_hyphen_values = true)]
    order_by: Option<String>,
    #[command(flatten)]
    paging: PageArgs,
}

/// `roles create`.
#[derive(Debug, Args)]
pub struct CreateRoleArgs {
    /// The display name.
    name: String,
    /// The key, such as org:billing.
    key: String,
    /// A description.
    #[arg(long)]
    description: Option<String>,
    /// A permission the role grants (perm_…; repeat for several).
    #[arg(long = "permission", value_name = "PERMISSION_ID")]
    permissions: Vec<String>,
    /// Also add the role to the instance's initial role set.
    #[arg(long, value_name = "BOOL")]
    include_in_initial_role_set: Option<bool>,
}

/// `roles update`.
#[derive(Debug, Args)]
pub struct UpdateRoleArgs {
    /// The role ID (role_…).
    id: String,
    /// The display name.
    #[arg(long)]
    name: Option<String>,
    /// The key.
    #[arg(long)]
    key: Option<String>,
    /// A description ('' clears it).
    #[arg(long)]
    description: Option<String>,
    /// Replace the role's permissions with these (perm_…; repeat for several).
    #[arg(long = "permission", value_name = "PERMISSION_ID")]
    permissions: Vec<String>,
}

/// `permissions create`.
#[derive(Debug, Args)]
pub struct CreatePermissionArgs {
    /// The display name.
    name: String,
    /// The key, such as org:invoices:read.
    key: String,
    /// A description.
    #[arg(long)]
    description: Option<String>,
}

/// `permissions update`.
#[derive(Debug, Args)]
pub struct UpdatePermissionArgs {
    /// The permission ID (perm_…).
    id: String,
    /// The display name.
    #[arg(long)]
    name: Option<String>,
    /// The key.
    #[arg(long)]
    key: Option<String>,
    /// A description.
    #[arg(long)]
    description: Option<String>,
}

/// Runs a `roles` command.
pub async fn run_roles(ctx: &Context, api: &Api, command: RolesCommand) -> CliResult {
    let out = ctx.out();
    match command {
        RolesCommand::List(args) => {
            let mut params = ListOrganizationRoles::new();
            set_given!(params, args; query, order_by);
            let query = args.paging.apply(params).to_query_pairs();
            let raw = api.get("/organization_roles", &query).await?;
            args.paging
                .show_page(&out, &raw, |items: &[OrganizationRole]| roles_table(items))
        }
        RolesCommand::Create(args) => {
            let mut params = CreateOrganizationRole::new(args.name, args.key);
            set_given!(params, args; description, include_in_initial_role_set);
            if !args.permissions.is_empty() {
                params = params.permissions(args.permissions);
            }
            let raw = api
                .post("/organization_roles", Some(to_body(&params)?))
                .await?;
            out.show(&raw, |role: OrganizationRole| role_details(&role))
        }
        RolesCommand::Get(RoleId { id }) => {
            let raw = api.get(&path(&["organization_roles", &id])?, &[]).await?;
            out.show(&raw, |role: OrganizationRole| role_details(&role))
        }
        RolesCommand::Update(args) => {
            let mut params = UpdateOrganizationRole::new();
            set_given!(params, args; name, key);
            if let Some(description) = args.description {
                params = params.description(if description.is_empty() {
                    Patch::Null
                } else {
                    Patch::Set(description)
                });
            }
            if !args.permissions.is_empty() {
                params = params.permissions(args.permissions);
            }
            if params == UpdateOrganizationRole::new() {
                return Err(CliError::usage(
                    "nothing to update: give at least one field, such as --name (see --help)",
                ));
            }
            let raw = api
                .patch(&path(&["organization_roles", &args.id])?, to_body(&params)?)
                .await?;
            out.show(&raw, |role: OrganizationRole| role_details(&role))
        }
        RolesCommand::Delete(RoleId { id }) => {
            let raw = api.delete(&path(&["organization_roles", &id])?).await?;
            out.show(&raw, |deleted: DeletedObject| deleted_line(&deleted))
        }
        RolesCommand::Assign(RolePermission {
            role_id,
            permission_id,
        }) => {
            let grant = path(&[
                "organization_roles",
                &role_id,
                "permissions",
                &permission_id,
            ])?;
            let raw = api.post(&grant, None).await?;
            out.show(&raw, |role: OrganizationRole| role_details(&role))
        }
        RolesCommand::Unassign(RolePermission {
            role_id,
            permission_id,
        }) => {
            let grant = path(&[
                "organization_roles",
                &role_id,
                "permissions",
                &permission_id,
            ])?;
            let raw = api.delete(&grant).await?;
            out.show(&raw, |role: OrganizationRole| role_details(&role))
        }
    }
}

/// Runs a `permissions` command.
pub async fn run_permissions(ctx: &Context, api: &Api, command: PermissionsCommand) -> CliResult {
    let out = ctx.out();
    match command {
        PermissionsCommand::List(args) => {
            let mut params = ListOrganizationPermissions::new();
            set_given!(params, args; query, order_by);
            let query = args.paging.apply(params).to_query_pairs();
            let raw = api.get("/organization_permissions", &query).await?;
            args.paging
                .show_page(&out, &raw, |items: &[OrganizationPermission]| {
                    permissions_table(items)
                })
        }
        PermissionsCommand::Create(args) => {
            let mut params = CreateOrganizationPermission::new(args.name, args.key);
            set_given!(params, args; description);
            let raw = api
                .post("/organization_permissions", Some(to_body(&params)?))
                .await?;
            out.show(&raw, |p: OrganizationPermission| permission_details(&p))
        }
        PermissionsCommand::Get(PermissionId { id }) => {
            let raw = api
                .get(&path(&["organization_permissions", &id])?, &[])
                .await?;
            out.show(&raw, |p: OrganizationPermission| permission_details(&p))
        }
        PermissionsCommand::Update(args) => {
            let mut params = UpdateOrganizationPermission::new();
            set_given!(params, args; name, key, description);
            if params == UpdateOrganizationPermission::new() {
                return Err(CliError::usage(
                    "nothing to update: give --name, --key or --description",
                ));
            }
            let permission = path(&["organization_permissions", &args.id])?;
            let raw = api.patch(&permission, to_body(&params)?).await?;
            out.show(&raw, |p: OrganizationPermission| permission_details(&p))
        }
        PermissionsCommand::Delete(PermissionId { id }) => {
            let raw = api
                .delete(&path(&["organization_permissions", &id])?)
                .await?;
            out.show(&raw, |deleted: DeletedObject| deleted_line(&deleted))
        }
    }
}

/// The keys of a role's permissions, comma-separated.
fn permission_keys(role: &OrganizationRole) -> String {
    let keys: Vec<&str> = role.permissions.iter().map(|p| p.key.as_str()).collect();
    or_dash(Some(&keys.join(", ")))
}

/// The table of `roles list`.
fn roles_table(roles: &[OrganizationRole]) -> Table {
    let mut table =
        Table::new(["ID", "KEY", "NAME", "PERMISSIONS", "CREATED"]).when_empty("no roles");
    for role in roles {
        table.row([
            role.id.clone(),
            role.key.clone(),
            role.name.clone(),
            role.permissions.len().to_string(),
            format_ms(role.created_at),
        ]);
    }
    table
}

/// One role.
fn role_details(role: &OrganizationRole) -> Details {
    Details::new()
        .field("ID", &role.id)
        .field("Key", &role.key)
        .field("Name", &role.name)
        .field("Description", or_dash(role.description.as_deref()))
        .field("Creator eligible", yes_no(role.is_creator_eligible))
        .field("Permissions", permission_keys(role))
        .field("Created", format_ms(role.created_at))
        .field("Updated", format_ms(role.updated_at))
}

/// The table of `permissions list`.
fn permissions_table(permissions: &[OrganizationPermission]) -> Table {
    let mut table =
        Table::new(["ID", "KEY", "NAME", "TYPE", "CREATED"]).when_empty("no permissions");
    for permission in permissions {
        table.row([
            permission.id.clone(),
            permission.key.clone(),
            permission.name.clone(),
            or_dash(permission.permission_type.as_deref()),
            format_ms(permission.created_at),
        ]);
    }
    table
}

/// One permission.
fn permission_details(permission: &OrganizationPermission) -> Details {
    Details::new()
        .field("ID", &permission.id)
        .field("Key", &permission.key)
        .field("Name", &permission.name)
        .field("Description", or_dash(Some(&permission.description)))
        .field("Type", or_dash(permission.permission_type.as_deref()))
        .field("Created", format_ms(permission.created_at))
        .field("Updated", format_ms(permission.updated_at))
}
