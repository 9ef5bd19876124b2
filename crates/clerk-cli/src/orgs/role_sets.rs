//! `clerk orgs role-sets`: which roles an organization's members may hold, and which
//! one a new member or the creator gets.

use clap::{Args, Subcommand};
use clerk_sdk::{ListRoleSets, Page, RoleSet, RoleSetItem};

use crate::Context;
use crate::api::{Api, path};
use crate::error::CliResult;
use crate::output::{Details, Table, or_dash};
use crate::params::{PageArgs, set_given};
use crate::time::format_ms;

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
}

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

/// Runs a `role-sets` command.
pub async fn run(ctx: &Context, api: &Api, command: RoleSetsCommand) -> CliResult {
    let out = ctx.out();
    match command {
        RoleSetsCommand::List(args) => {
            let mut params = ListRoleSets::new();
            set_given!(params, args; query, order_by);
            let query = args.paging.apply(params).to_query_pairs();
            let raw = api.get("/role_sets", &query).await?;
            out.show(&raw, |page: Page<RoleSet>| role_sets_table(&page.data))
        }
        RoleSetsCommand::Get(KeyOrId { key_or_id }) => {
            let raw = api.get(&path(&["role_sets", &key_or_id])?, &[]).await?;
            out.show(&raw, |set: RoleSet| role_set_details(&set))
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
