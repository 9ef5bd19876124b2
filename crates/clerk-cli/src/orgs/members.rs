//! `clerk orgs members`: who belongs to an organization, with which role.

use clap::{Args, Subcommand};
use clerk_sdk::{
    CreateOrganizationMembership, ListOrganizationMemberships, OrganizationMembership,
};
use serde::Serialize;

use super::MetadataObjects;
use crate::api::{Api, path};
use crate::error::CliResult;
use crate::output::{Details, Table, compact_json, or_dash};
use crate::params::{PageArgs, set_given, to_body};
use crate::time::{format_ms, parse_ms};
use crate::{Context, input};

/// `clerk orgs members …`
#[derive(Debug, Subcommand)]
pub enum MembersCommand {
    /// Add a user to an organization with a role.
    #[command(
        after_help = "Examples:\n  clerk orgs members add org_2x user_2x\n  clerk orgs members add org_2x user_2x --role org:admin --public-metadata '{\"team\":\"ops\"}'"
    )]
    Add(AddArgs),
    /// List one page of an organization's members, with every filter of the API.
    #[command(after_help = LIST_EXAMPLES)]
    List(Box<ListArgs>),
    /// Change a member's role.
    #[command(after_help = "Example:\n  clerk orgs members set-role org_2x user_2x org:admin")]
    SetRole(SetRoleArgs),
    /// Remove a user from an organization.
    #[command(after_help = "Example:\n  clerk orgs members remove org_2x user_2x")]
    Remove(MemberArgs),
    /// Deep-merge into a membership's metadata (a null value deletes its key).
    #[command(
        after_help = "Example:\n  clerk orgs members metadata org_2x user_2x --public '{\"team\":\"ops\"}'"
    )]
    Metadata(MetadataArgs),
}

const LIST_EXAMPLES: &str = "\
Examples:
  clerk orgs members list org_2x
  clerk orgs members list org_2x --role org:admin --order-by -created_at --limit 50
  clerk orgs members list org_2x --email-address-query @example.com";

/// One membership: the organization and the user.
#[derive(Debug, Args)]
pub struct MemberArgs {
    /// The organization ID (org_…).
    org_id: String,
    /// The member's user ID (user_…).
    user_id: String,
}

/// `members add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    #[command(flatten)]
    member: MemberArgs,
    /// The role key.
    #[arg(long, default_value = "org:member")]
    role: String,
    /// Public metadata: a JSON object, @FILE or - for stdin.
    #[arg(long, value_name = "JSON")]
    public_metadata: Option<String>,
    /// Private metadata: a JSON object, @FILE or - for stdin.
    #[arg(long, value_name = "JSON")]
    private_metadata: Option<String>,
}

/// `members set-role`.
#[derive(Debug, Args)]
pub struct SetRoleArgs {
    #[command(flatten)]
    member: MemberArgs,
    /// The new role key, such as org:admin.
    role: String,
}

/// `members metadata`.
#[derive(Debug, Args)]
pub struct MetadataArgs {
    #[command(flatten)]
    member: MemberArgs,
    #[command(flatten)]
    metadata: MetadataObjects,
}

/// `members list`: every filter of `GET /v1/organizations/{id}/memberships`. Array
/// filters repeat: members matching any value match.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The organization ID (org_…).
    org_id: String,
    /// Members with this user ID; prefix - to exclude (repeat for several).
    #[arg(long, value_name = "ID", allow_hyphen_values = true)]
    user_id: Vec<String>,
    /// Members with this email address (repeat for several).
    #[arg(long, value_name = "EMAIL")]
    email_address: Vec<String>,
    /// Members with this phone number (repeat for several).
    #[arg(long, value_name = "PHONE")]
    phone_number: Vec<String>,
    /// Members with this username (repeat for several).
    #[arg(long, value_name = "USERNAME")]
    username: Vec<String>,
    /// Members with this web3 wallet (repeat for several).
    #[arg(long, value_name = "ADDRESS")]
    web3_wallet: Vec<String>,
    /// Members with this role, such as org:admin (repeat for several).
    #[arg(long, value_name = "ROLE")]
    role: Vec<String>,
    /// Partial match over emails, phones, usernames, wallets, user IDs and names.
    #[arg(long, value_name = "TEXT")]
    query: Option<String>,
    /// Partial, case-insensitive match on email addresses.
    #[arg(long, value_name = "TEXT")]
    email_address_query: Option<String>,
    /// Partial match on phone numbers.
    #[arg(long, value_name = "TEXT")]
    phone_number_query: Option<String>,
    /// Partial, case-insensitive match on usernames.
    #[arg(long, value_name = "TEXT")]
    username_query: Option<String>,
    /// Partial, case-insensitive match on first and last names.
    #[arg(long, value_name = "TEXT")]
    name_query: Option<String>,
    /// Members last active before this time (ms, 2024-10-29, or 2024-10-29T08:30:00Z).
    #[arg(long, value_name = "TIME", value_parser = parse_ms)]
    last_active_at_before: Option<i64>,
    /// Members last active after this time.
    #[arg(long, value_name = "TIME", value_parser = parse_ms)]
    last_active_at_after: Option<i64>,
    /// Memberships created before this time.
    #[arg(long, value_name = "TIME", value_parser = parse_ms)]
    created_at_before: Option<i64>,
    /// Memberships created after this time.
    #[arg(long, value_name = "TIME", value_parser = parse_ms)]
    created_at_after: Option<i64>,
    /// Order: created_at, email_address, phone_number, first_name, last_name, username;
    /// prefix - for descending.
    #[arg(long, value_name = "FIELD", allow_hyphen_values = true)]
    order_by: Option<String>,
    #[command(flatten)]
    paging: PageArgs,
}

/// Runs a `members` command.
pub async fn run(ctx: &Context, api: &Api, command: MembersCommand) -> CliResult {
    let out = ctx.out();
    match command {
        MembersCommand::Add(args) => {
            let MemberArgs { org_id, user_id } = args.member;
            let mut params = CreateOrganizationMembership::new(user_id, args.role);
            if let Some(json) = &args.public_metadata {
                params = params.public_metadata(input::json_object("--public-metadata", json)?);
            }
            if let Some(json) = &args.private_metadata {
                params = params.private_metadata(input::json_object("--private-metadata", json)?);
            }
            let members = path(&["organizations", &org_id, "memberships"])?;
            let raw = api.post(&members, Some(to_body(&params)?)).await?;
            out.show(&raw, |m: OrganizationMembership| membership_details(&m))
        }
        MembersCommand::List(args) => {
            let args = *args;
            let mut params = ListOrganizationMemberships::new()
                .user_id(args.user_id)
                .email_address(args.email_address)
                .phone_number(args.phone_number)
                .username(args.username)
                .web3_wallet(args.web3_wallet)
                .role(args.role);
            set_given!(
                params,
                args;
                query,
                email_address_query,
                phone_number_query,
                username_query,
                name_query,
                last_active_at_before,
                last_active_at_after,
                created_at_before,
                created_at_after,
                order_by,
            );
            let query = args.paging.apply(params).to_query_pairs();
            let members = path(&["organizations", &args.org_id, "memberships"])?;
            let raw = api.get(&members, &query).await?;
            args.paging
                .show_page(&out, &raw, |items: &[OrganizationMembership]| {
                    members_table(items)
                })
        }
        MembersCommand::SetRole(args) => {
            #[derive(Serialize)]
            struct Body {
                role: String,
            }
            let MemberArgs { org_id, user_id } = args.member;
            let member = path(&["organizations", &org_id, "memberships", &user_id])?;
            let body = to_body(&Body { role: args.role })?;
            let raw = api.patch(&member, body).await?;
            out.show(&raw, |m: OrganizationMembership| membership_details(&m))
        }
        MembersCommand::Remove(MemberArgs { org_id, user_id }) => {
            let member = path(&["organizations", &org_id, "memberships", &user_id])?;
            let raw = api.delete(&member).await?;
            out.show(&raw, |m: OrganizationMembership| {
                format!("removed {} from {}", member_user_id(&m), m.organization.id)
            })
        }
        MembersCommand::Metadata(args) => {
            let MemberArgs { org_id, user_id } = args.member;
            let metadata = path(&[
                "organizations",
                &org_id,
                "memberships",
                &user_id,
                "metadata",
            ])?;
            let raw = api.patch(&metadata, args.metadata.to_body()?).await?;
            out.show(&raw, |m: OrganizationMembership| membership_details(&m))
        }
    }
}

fn member_user_id(membership: &OrganizationMembership) -> String {
    or_dash(
        membership
            .public_user_data
            .as_ref()
            .map(|u| u.user_id.as_str()),
    )
}

/// `Ada Lovelace`, or `-`.
fn member_name(membership: &OrganizationMembership) -> String {
    let Some(user) = &membership.public_user_data else {
        return "-".into();
    };
    let name = [user.first_name.as_deref(), user.last_name.as_deref()]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() { "-".into() } else { name }
}

/// The table of `members list`.
fn members_table(memberships: &[OrganizationMembership]) -> Table {
    let mut table =
        Table::new(["USER", "NAME", "IDENTIFIER", "ROLE", "JOINED"]).when_empty("no members");
    for membership in memberships {
        table.row([
            member_user_id(membership),
            member_name(membership),
            or_dash(
                membership
                    .public_user_data
                    .as_ref()
                    .and_then(|u| u.identifier.as_deref()),
            ),
            membership.role.clone(),
            format_ms(membership.created_at),
        ]);
    }
    table
}

/// One membership.
fn membership_details(membership: &OrganizationMembership) -> Details {
    Details::new()
        .field("ID", &membership.id)
        .field("Organization", &membership.organization.id)
        .field("User", member_user_id(membership))
        .field("Name", member_name(membership))
        .field("Role", &membership.role)
        .field(
            "Permissions",
            or_dash(Some(&membership.permissions.join(", "))),
        )
        .field("Joined", format_ms(membership.created_at))
        .field("Public metadata", compact_json(&membership.public_metadata))
        .field_opt(
            "Private metadata",
            membership.private_metadata.as_ref().map(compact_json),
        )
}
