//! `clerk orgs invite` and `clerk orgs invitations`: inviting email addresses into an
//! organization.

use clap::{Args, Subcommand};
use clerk_sdk::{
    CreateOrganizationInvitation, ListOrganizationInvitations, OrganizationInvitation,
    OrganizationInvitationStatus,
};
use serde::Serialize;

use crate::api::{Api, path};
use crate::error::CliResult;
use crate::output::{Details, Table, compact_json, or_dash};
use crate::params::{PageArgs, set_given, to_body};
use crate::time::{format_ms, format_opt_ms};
use crate::{Context, input};

/// Examples for `clerk orgs invite --help`.
pub const INVITE_EXAMPLES: &str = "\
Examples:
  clerk orgs invite org_2x ada@example.com
  clerk orgs invite org_2x ada@example.com --role org:admin --inviter-user-id user_2x --expires-in-days 7
  clerk orgs invite org_2x ada@example.com --no-notify --redirect-url https://app.example.com/accept";

/// `orgs invite`: the fields of `POST /v1/organizations/{id}/invitations`.
#[derive(Debug, Args)]
pub struct InviteArgs {
    /// The organization ID (org_…).
    org_id: String,
    /// The email address to invite.
    email_address: String,
    /// The role key the invitee joins with.
    #[arg(long, default_value = "org:member")]
    role: String,
    /// The member sending the invitation (user_…).
    #[arg(long, value_name = "USER_ID")]
    inviter_user_id: Option<String>,
    /// Where the invitation link leads.
    #[arg(long, value_name = "URL")]
    redirect_url: Option<String>,
    /// Days until the invitation expires (API default 30).
    #[arg(long, value_name = "DAYS")]
    expires_in_days: Option<u32>,
    /// Do not email the invitation.
    #[arg(long)]
    no_notify: bool,
    /// Public metadata, copied to the membership: a JSON object, @FILE or - for stdin.
    #[arg(long, value_name = "JSON")]
    public_metadata: Option<String>,
    /// Private metadata, copied to the membership: a JSON object, @FILE or - for stdin.
    #[arg(long, value_name = "JSON")]
    private_metadata: Option<String>,
}

/// `clerk orgs invitations …`
#[derive(Debug, Subcommand)]
pub enum InvitationsCommand {
    /// List one page of an organization's invitations.
    #[command(
        after_help = "Examples:\n  clerk orgs invitations list org_2x\n  clerk orgs invitations list org_2x --status pending --order-by -created_at"
    )]
    List(ListArgs),
    /// Show one invitation.
    #[command(after_help = "Example:\n  clerk orgs invitations get org_2x orginv_2x")]
    Get(InvitationArgs),
    /// Revoke a pending invitation.
    #[command(
        after_help = "Examples:\n  clerk orgs invitations revoke org_2x orginv_2x\n  clerk orgs invitations revoke org_2x orginv_2x --requesting-user-id user_2x"
    )]
    Revoke(RevokeArgs),
}

/// One invitation of an organization.
#[derive(Debug, Args)]
pub struct InvitationArgs {
    /// The organization ID (org_…).
    org_id: String,
    /// The invitation ID (orginv_…).
    invitation_id: String,
}

/// `invitations revoke`.
#[derive(Debug, Args)]
pub struct RevokeArgs {
    #[command(flatten)]
    invitation: InvitationArgs,
    /// The member revoking it, recorded by the API (user_…).
    #[arg(long, value_name = "USER_ID")]
    requesting_user_id: Option<String>,
}

/// `invitations list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The organization ID (org_…).
    org_id: String,
    /// Only invitations in this state: pending, accepted, revoked, expired.
    #[arg(long)]
    status: Option<String>,
    /// Only invitations sent to this address.
    #[arg(long, value_name = "EMAIL")]
    email_address: Option<String>,
    /// Order: created_at or email_address; prefix - for descending.
    #[arg(long, value_name = "FIELD", allow_hyphen_values = true)]
    order_by: Option<String>,
    #[command(flatten)]
    paging: PageArgs,
}

/// `orgs invite`.
pub async fn invite(ctx: &Context, api: &Api, args: InviteArgs) -> CliResult {
    let mut params = CreateOrganizationInvitation::new(args.email_address, args.role);
    set_given!(params, args; inviter_user_id, redirect_url, expires_in_days);
    if args.no_notify {
        params = params.notify(false);
    }
    if let Some(json) = &args.public_metadata {
        params = params.public_metadata(input::json_object("--public-metadata", json)?);
    }
    if let Some(json) = &args.private_metadata {
        params = params.private_metadata(input::json_object("--private-metadata", json)?);
    }
    let invitations = path(&["organizations", &args.org_id, "invitations"])?;
    let raw = api.post(&invitations, Some(to_body(&params)?)).await?;
    ctx.out()
        .show(&raw, |i: OrganizationInvitation| invitation_details(&i))
}

/// Runs an `invitations` command.
pub async fn run(ctx: &Context, api: &Api, command: InvitationsCommand) -> CliResult {
    let out = ctx.out();
    match command {
        InvitationsCommand::List(args) => {
            let mut params = ListOrganizationInvitations::new();
            set_given!(params, args; email_address, order_by);
            if let Some(status) = &args.status {
                params = params.status(OrganizationInvitationStatus::from(status.as_str()));
            }
            let query = args.paging.apply(params).to_query_pairs();
            let invitations = path(&["organizations", &args.org_id, "invitations"])?;
            let raw = api.get(&invitations, &query).await?;
            args.paging
                .show_page(&out, &raw, |items: &[OrganizationInvitation]| {
                    invitations_table(items)
                })
        }
        InvitationsCommand::Get(InvitationArgs {
            org_id,
            invitation_id,
        }) => {
            let invitation = path(&["organizations", &org_id, "invitations", &invitation_id])?;
            let raw = api.get(&invitation, &[]).await?;
            out.show(&raw, |i: OrganizationInvitation| invitation_details(&i))
        }
        InvitationsCommand::Revoke(args) => {
            #[derive(Serialize)]
            struct Body {
                requesting_user_id: String,
            }
            let InvitationArgs {
                org_id,
                invitation_id,
            } = args.invitation;
            let revoke = path(&[
                "organizations",
                &org_id,
                "invitations",
                &invitation_id,
                "revoke",
            ])?;
            // No body unless a member is named, as Clerk's JS client sends it.
            let body = match args.requesting_user_id {
                Some(requesting_user_id) => Some(to_body(&Body { requesting_user_id })?),
                None => None,
            };
            let raw = api.post(&revoke, body).await?;
            out.show(&raw, |i: OrganizationInvitation| invitation_details(&i))
        }
    }
}

fn status(invitation: &OrganizationInvitation) -> String {
    invitation
        .status
        .as_ref()
        .map_or("-".into(), ToString::to_string)
}

/// The table of `invitations list`.
fn invitations_table(invitations: &[OrganizationInvitation]) -> Table {
    let mut table = Table::new(["ID", "EMAIL", "ROLE", "STATUS", "CREATED", "EXPIRES"])
        .when_empty("no invitations");
    for invitation in invitations {
        table.row([
            invitation.id.clone(),
            invitation.email_address.clone(),
            invitation.role.clone(),
            status(invitation),
            format_ms(invitation.created_at),
            format_opt_ms(invitation.expires_at),
        ]);
    }
    table
}

/// One invitation.
fn invitation_details(invitation: &OrganizationInvitation) -> Details {
    Details::new()
        .field("ID", &invitation.id)
        .field(
            "Organization",
            or_dash(invitation.organization_id.as_deref()),
        )
        .field("Email address", &invitation.email_address)
        .field("Role", &invitation.role)
        .field("Status", status(invitation))
        .field("Inviter", or_dash(invitation.inviter_id.as_deref()))
        .field_opt("URL", invitation.url.as_deref())
        .field("Created", format_ms(invitation.created_at))
        .field("Expires", format_opt_ms(invitation.expires_at))
        .field("Public metadata", compact_json(&invitation.public_metadata))
        .field_opt(
            "Private metadata",
            invitation.private_metadata.as_ref().map(compact_json),
        )
}
