//! `clerk invitations`: invite an email address to sign up, list and revoke invitations.

use clap::{Args, Subcommand};
use clerk_sdk::{CreateInvitation, Invitation, InvitationStatus, ListInvitations, Page};

use crate::Context;
use crate::api::path;
use crate::error::{CliError, CliResult};
use crate::output::{Details, Table};
use crate::params::{PageArgs, to_body};
use crate::time::format_opt_ms;

/// `clerk invitations …`
#[derive(Debug, Subcommand)]
pub enum InvitationsCommand {
    /// List invitations, newest first.
    #[command(
        after_help = "Examples:\n  clerk invitations list\n  clerk invitations list --status pending --query example.com"
    )]
    List(ListArgs),
    /// Invite an email address to sign up (an invitation email goes out unless --no-notify).
    #[command(
        after_help = "Examples:\n  clerk invitations create ada@example.com\n  clerk invitations create ada@example.com --public-metadata '{\"plan\":\"pro\"}' --expires-in-days 7"
    )]
    Create(CreateArgs),
    /// Revoke a pending invitation (inv_…).
    #[command(after_help = "Example:\n  clerk invitations revoke inv_2x")]
    Revoke(RevokeArgs),
}

/// `invitations list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only invitations in this state: pending, accepted, revoked or expired.
    #[arg(long)]
    status: Option<String>,
    /// Only addresses containing this text.
    #[arg(long)]
    query: Option<String>,
    /// Sort: created_at, email_address or expires_at, with + or - (default -created_at).
    #[arg(long)]
    order_by: Option<String>,
    #[command(flatten)]
    paging: PageArgs,
}

/// `invitations create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The address to invite.
    email_address: String,
    /// Public metadata the new user gets (a JSON object).
    #[arg(long, value_name = "JSON")]
    public_metadata: Option<String>,
    /// Where the invitation link leads.
    #[arg(long)]
    redirect_url: Option<String>,
    /// Do not send the invitation email.
    #[arg(long)]
    no_notify: bool,
    /// Invite even if the address has a pending invitation or a user.
    #[arg(long)]
    ignore_existing: bool,
    /// Days it stays valid (1 to 365; default 30).
    #[arg(long)]
    expires_in_days: Option<i64>,
}

/// `invitations revoke`.
#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The invitation's ID (inv_…).
    id: String,
}

/// Runs an `invitations` command.
pub async fn run(ctx: &Context, command: InvitationsCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        InvitationsCommand::List(args) => {
            let mut params = ListInvitations::new();
            if let Some(status) = &args.status {
                params = params.status(InvitationStatus::from(status.as_str()));
            }
            if let Some(query) = args.query {
                params = params.query(query);
            }
            if let Some(order_by) = args.order_by {
                params = params.order_by(order_by);
            }
            let query = args.paging.apply(params).to_query_pairs();
            let raw = api.get("/invitations", &query).await?;
            out.show(&raw, |page: Page<Invitation>| invitations_table(&page.data))
        }
        InvitationsCommand::Create(args) => {
            let mut params = CreateInvitation::new(args.email_address);
            if let Some(json) = args.public_metadata {
                let metadata = match serde_json::from_str(&json) {
                    Ok(serde_json::Value::Object(map)) => map,
                    _ => {
                        return Err(CliError::usage(
                            "--public-metadata must be a JSON object".to_owned(),
                        ));
                    }
                };
                params = params.public_metadata(metadata);
            }
            if let Some(url) = args.redirect_url {
                params = params.redirect_url(url);
            }
            if args.no_notify {
                params = params.notify(false);
            }
            if args.ignore_existing {
                params = params.ignore_existing(true);
            }
            if let Some(days) = args.expires_in_days {
                params = params.expires_in_days(days);
            }
            let raw = api.post("/invitations", Some(to_body(&params)?)).await?;
            out.show(&raw, |invitation: Invitation| details(&invitation))
        }
        InvitationsCommand::Revoke(args) => {
            let raw = api
                .post(&path(&["invitations", &args.id, "revoke"])?, None)
                .await?;
            out.show(&raw, |invitation: Invitation| details(&invitation))
        }
    }
}

fn details(invitation: &Invitation) -> Details {
    Details::new()
        .field("ID", invitation.id.clone())
        .field("Email address", invitation.email_address.clone())
        .field("Status", invitation.status.as_str().to_owned())
        .field("Expires", format_opt_ms(invitation.expires_at))
        .field("Created", format_opt_ms(Some(invitation.created_at)))
}

fn invitations_table(invitations: &[Invitation]) -> Table {
    let mut table = Table::new(["ID", "EMAIL ADDRESS", "STATUS", "EXPIRES", "CREATED"])
        .when_empty("no invitations");
    for invitation in invitations {
        table.row([
            invitation.id.clone(),
            invitation.email_address.clone(),
            invitation.status.as_str().to_owned(),
            format_opt_ms(invitation.expires_at),
            format_opt_ms(Some(invitation.created_at)),
        ]);
    }
    table
}
