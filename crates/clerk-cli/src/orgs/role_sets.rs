//! `clerk orgs role-sets`: which roles an organization's members may hold, and which
//! one a new member or the creator gets.

use clap::{Args, Subcommand};
use clerk_sdk::{
    AddRolesToRoleSet, CreateRoleSet, DeletedObject, ListRoleSets, Patch, ReplaceRoleSet, RoleSet,
    RoleSetItem, RoleSetType, UpdateRoleSet,
};
use serde_json::json;

use crate::Context;
use crate::api::{Api, path};
use crate::error::{CliError, CliResult};
use crate::output::{Details, Table, or_dash};
use crate::params::{PageArgs, set_given, to_body};
use crate::time::format_ms;
use crate::users::deleted_line;

/// `clerk orgs role-sets …`
#[derive(Debug, Subcommand)]
pub enum RoleSetsCommand {
    /// List one page of role sets.
    #[command(
        after_help = "Examples:\n  clerk orgs role-sets list\n  clerk orgs role-sets list --query default"
    )]
    List(ListArgs),
    /// Show one role set, by key or ID, with its roles.
    #[command(after_help = "Examples:\n  clerk orgs role-sets get role_set:default")]
    Get(KeyOrId),
    /// Create a role set from existing roles.
    #[command(after_help = CREATE_EXAMPLES)]
    Create(CreateArgs),
    /// Change a role set's name, key, description, default or creator role, or make it
    /// the initial set.
    #[command(
        after_help = "Examples:\n  clerk orgs role-sets update role_set:agencies --default-role org:viewer\n  clerk orgs role-sets update role_set:agencies --initial --description ''"
    )]
    Update(UpdateArgs),
    /// Add roles to a role set.
    #[command(
        after_help = "Example:\n  clerk orgs role-sets add-roles role_set:default org:billing org:viewer --default-role org:viewer"
    )]
    AddRoles(AddRolesArgs),
    /// Take a role out of a set: its members and pending invitations get another role of
    /// the set.
    #[command(
        after_help = "Example:\n  clerk orgs role-sets replace-role role_set:default org:viewer org:member"
    )]
    ReplaceRole(ReplaceRoleArgs),
    /// Delete a role set, moving its organizations to another set.
    #[command(after_help = REPLACE_EXAMPLES)]
    Replace(ReplaceArgs),
}

const CREATE_EXAMPLES: &str = "\
Examples:
  clerk orgs role-sets create Agencies --role org:admin --role org:client \\
      --default-role org:client --creator-role org:admin
  clerk orgs role-sets create Simple --key role_set:simple --role org:admin \\
      --default-role org:admin --creator-role org:admin --initial";

const REPLACE_EXAMPLES: &str = "\
Examples:
  clerk orgs role-sets replace role_set:old role_set:default
  clerk orgs role-sets replace role_set:old role_set:default --map org:viewer=org:member";

/// One role set.
#[derive(Debug, Args)]
pub struct KeyOrId {
    /// The role set's key or ID.
    key_or_id: String,
}

/// `role-sets list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// An exact ID, or part of a name or key.
    #[arg(long, value_name = "TEXT")]
    query: Option<String>,
    /// Order: created_at, name or key; prefix - for descending.
    #[arg(long, value_name = "FIELD", allow_hyphen_values = true)]
    order_by: Option<String>,
    #[command(flatten)]
    paging: PageArgs,
}

/// `role-sets create`: the fields of `POST /v1/role_sets`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The display name.
    name: String,
    /// A role of the set, by key (repeat: 1 to 10).
    #[arg(long = "role", value_name = "KEY", required = true)]
    roles: Vec<String>,
    /// The role new members get (one of --role).
    #[arg(long, value_name = "KEY")]
    default_role: String,
    /// The role an organization's creator gets (one of --role).
    #[arg(long, value_name = "KEY")]
    creator_role: String,
    /// The key, role_set:<name> (default: made from the name).
    #[arg(long)]
    key: Option<String>,
    /// A description.
    #[arg(long)]
    description: Option<String>,
    /// Make it the set new organizations get.
    #[arg(long)]
    initial: bool,
}

/// `role-sets update`: the fields of `PATCH /v1/role_sets/{key or id}`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The role set's key or ID.
    key_or_id: String,
    /// The display name.
    #[arg(long)]
    name: Option<String>,
    /// The key, role_set:<name>.
    #[arg(long)]
    key: Option<String>,
    /// A description; an empty one removes it.
    #[arg(long)]
    description: Option<String>,
    /// The role new members get (a role of the set).
    #[arg(long, value_name = "KEY")]
    default_role: Option<String>,
    /// The role an organization's creator gets (a role of the set).
    #[arg(long, value_name = "KEY")]
    creator_role: Option<String>,
    /// Make it the set new organizations get (the API takes no way back: make another
    /// set initial instead).
    #[arg(long)]
    initial: bool,
}

/// `role-sets add-roles`.
#[derive(Debug, Args)]
pub struct AddRolesArgs {
    /// The role set's key or ID.
    key_or_id: String,
    /// The role keys to add (1 to 10).
    #[arg(required = true, value_name = "ROLE_KEY")]
    role_keys: Vec<String>,
    /// Then make this role of the set the one new members get.
    #[arg(long, value_name = "KEY")]
    default_role: Option<String>,
    /// Then make this role of the set the one an organization's creator gets.
    #[arg(long, value_name = "KEY")]
    creator_role: Option<String>,
}

/// `role-sets replace-role`.
#[derive(Debug, Args)]
pub struct ReplaceRoleArgs {
    /// The role set's key or ID.
    key_or_id: String,
    /// The role that leaves the set.
    role_key: String,
    /// The role of the set its holders get instead.
    to_role_key: String,
}

/// `role-sets replace`.
#[derive(Debug, Args)]
pub struct ReplaceArgs {
    /// The key or ID of the role set to delete.
    key_or_id: String,
    /// The key of the set its organizations move to.
    dest_role_set_key: String,
    /// FROM=TO: members holding FROM (a role the destination lacks) get TO (repeat).
    #[arg(long = "map", value_name = "FROM=TO")]
    mappings: Vec<String>,
}

/// Runs a `role-sets` command.
pub async fn run(ctx: &Context, api: &Api, command: RoleSetsCommand) -> CliResult {
    let out = ctx.out();
    match command {
        RoleSetsCommand::List(args) => {
            let mut params = ListRoleSets::new();
            set_given!(params, args; query, order_by);
            let query = args.paging.apply(params).to_query_pairs();
            let raw = api.get("/role_sets", &query).await?;
            args.paging
                .show_page(&out, &raw, |items: &[RoleSet]| role_sets_table(items))
        }
        RoleSetsCommand::Get(KeyOrId { key_or_id }) => {
            let raw = api.get(&path(&["role_sets", &key_or_id])?, &[]).await?;
            out.show(&raw, |set: RoleSet| role_set_details(&set))
        }
        RoleSetsCommand::Create(args) => {
            let mut params =
                CreateRoleSet::new(args.name, args.roles, args.default_role, args.creator_role);
            set_given!(params, args; key, description);
            if args.initial {
                params = params.role_set_type(RoleSetType::Initial);
            }
            let raw = api.post("/role_sets", Some(to_body(&params)?)).await?;
            out.show(&raw, |set: RoleSet| role_set_details(&set))
        }
        RoleSetsCommand::Update(args) => {
            let mut params = UpdateRoleSet::new();
            set_given!(params, args; name, key);
            if let Some(description) = args.description {
                params = params.description(if description.is_empty() {
                    Patch::Null
                } else {
                    Patch::Set(description)
                });
            }
            if let Some(role) = args.default_role {
                params = params.default_role_key(role);
            }
            if let Some(role) = args.creator_role {
                params = params.creator_role_key(role);
            }
            if args.initial {
                params = params.role_set_type(RoleSetType::Initial);
            }
            if params == UpdateRoleSet::new() {
                return Err(CliError::usage(
                    "nothing to update: give at least one field, such as --name (see --help)",
                ));
            }
            let raw = api
                .patch(&path(&["role_sets", &args.key_or_id])?, to_body(&params)?)
                .await?;
            out.show(&raw, |set: RoleSet| role_set_details(&set))
        }
        RoleSetsCommand::AddRoles(args) => {
            let mut params = AddRolesToRoleSet::new(args.role_keys);
            if let Some(role) = args.default_role {
                params = params.default_role_key(role);
            }
            if let Some(role) = args.creator_role {
                params = params.creator_role_key(role);
            }
            let raw = api
                .post(
                    &path(&["role_sets", &args.key_or_id, "roles"])?,
                    Some(to_body(&params)?),
                )
                .await?;
            out.show(&raw, |set: RoleSet| role_set_details(&set))
        }
        RoleSetsCommand::ReplaceRole(args) => {
            // The SDK's `replace_role` takes the two keys as arguments and has no body type.
            let body = json!({"role_key": args.role_key, "to_role_key": args.to_role_key});
            let raw = api
                .post(
                    &path(&["role_sets", &args.key_or_id, "roles", "replace"])?,
                    Some(body),
                )
                .await?;
            out.show(&raw, |set: RoleSet| role_set_details(&set))
        }
        RoleSetsCommand::Replace(args) => {
            let mut params = ReplaceRoleSet::new(args.dest_role_set_key);
            for mapping in &args.mappings {
                let Some((from, to)) = mapping.split_once('=') else {
                    return Err(CliError::usage(format!(
                        "--map {mapping:?}: expected FROM=TO, such as org:viewer=org:member"
                    )));
                };
                params = params.map_role(from, to);
            }
            let raw = api
                .post(
                    &path(&["role_sets", &args.key_or_id, "replace"])?,
                    Some(to_body(&params)?),
                )
                .await?;
            out.show(&raw, |deleted: DeletedObject| deleted_line(&deleted))
        }
    }
}

fn role_key(item: Option<&RoleSetItem>) -> String {
    or_dash(item.map(|role| role.key.as_str()))
}

/// The table of `role-sets list`.
fn role_sets_table(sets: &[RoleSet]) -> Table {
    let mut table = Table::new(["ID", "KEY", "NAME", "TYPE", "ROLES", "DEFAULT ROLE"])
        .when_empty("no role sets");
    for set in sets {
        table.row([
            set.id.clone(),
            set.key.clone(),
            set.name.clone(),
            set.role_set_type.to_string(),
            set.roles.len().to_string(),
            role_key(set.default_role.as_ref()),
        ]);
    }
    table
}

/// One role set.
fn role_set_details(set: &RoleSet) -> Details {
    let roles: Vec<&str> = set.roles.iter().map(|role| role.key.as_str()).collect();
    Details::new()
        .field("ID", &set.id)
        .field("Key", &set.key)
        .field("Name", &set.name)
        .field("Description", or_dash(set.description.as_deref()))
        .field("Type", &set.role_set_type)
        .field("Roles", or_dash(Some(&roles.join(", "))))
        .field("Default role", role_key(set.default_role.as_ref()))
        .field("Creator role", role_key(set.creator_role.as_ref()))
        .field("Created", format_ms(set.created_at))
}
