//! `clerk waitlist`: the email addresses waiting to sign up, and inviting or rejecting
//! them.

use clap::{Args, Subcommand};
use clerk_sdk::{
    CreateWaitlistEntry, DeletedObject, ListWaitlistEntries, WaitlistEntry, WaitlistEntryStatus,
};
use serde_json::json;

use crate::Context;
use crate::api::path;
use crate::error::CliResult;
use crate::output::{Details, Table};
use crate::params::{PageArgs, to_body};
use crate::time::format_ms;
use crate::users::deleted_line;

/// `clerk waitlist …`
#[derive(Debug, Subcommand)]
pub enum WaitlistCommand {
    /// List waitlist entries, newest first.
    #[command(
        after_help = "Examples:\n  clerk waitlist list\n  clerk waitlist list --status pending --order-by email_address"
    )]
    List(ListArgs),
    /// Add an email address to the waitlist (an address already on it shows its entry).
    #[command(after_help = "Example:\n  clerk waitlist add ada@example.com --no-notify")]
    Add(AddArgs),
    /// Invite an entry: it becomes `invited` and the address gets an invitation email.
    #[command(after_help = "Example:\n  clerk waitlist invite wle_2x")]
    Invite(InviteArgs),
    /// Reject an entry.
    #[command(after_help = "Example:\n  clerk waitlist reject wle_2x")]
    Reject(IdArgs),
    /// Delete a pending entry.
    #[command(after_help = "Example:\n  clerk waitlist rm wle_2x")]
    Rm(IdArgs),
}

/// `waitlist list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Entries whose address contains this text, or with this ID.
    #[arg(long)]
    query: Option<String>,
    /// Entries in this state: pending, invited, rejected or completed.
    #[arg(long)]
    status: Option<String>,
    /// created_at, email_address or invited_at, with + or - (default -created_at).
    #[arg(long, allow_hyphen_values = true)]
    order_by: Option<String>,
    #[command(flatten)]
    paging: PageArgs,
}

/// `waitlist add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The email address.
    email_address: String,
    /// Do not send the confirmation email.
    #[arg(long)]
    no_notify: bool,
}

/// `waitlist invite`.
#[derive(Debug, Args)]
pub struct InviteArgs {
    /// The entry's ID (wle_…).
    id: String,
    /// Invite again an entry already invited, or an address a user already has.
    #[arg(long)]
    ignore_existing: bool,
}

/// An entry's ID.
#[derive(Debug, Args)]
pub struct IdArgs {
    /// The entry's ID (wle_…), as `waitlist list` shows it.
    id: String,
}

/// Runs a `waitlist` command.
pub async fn run(ctx: &Context, command: WaitlistCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        WaitlistCommand::List(args) => {
            let mut params = ListWaitlistEntries::new();
            if let Some(query) = args.query {
                params = params.query(query);
            }
            if let Some(status) = args.status {
                params = params.status(WaitlistEntryStatus::from(status.as_str()));
            }
            if let Some(order_by) = args.order_by {
                params = params.order_by(order_by);
            }
            let query = args.paging.apply(params).to_query_pairs();
            let raw = api.get("/waitlist_entries", &query).await?;
            args.paging.show_page(&out, &raw, entries_table)
        }
        WaitlistCommand::Add(args) => {
            let params = CreateWaitlistEntry::new(args.email_address).notify(!args.no_notify);
            let raw = api
                .post("/waitlist_entries", Some(to_body(&params)?))
                .await?;
            out.show(&raw, |entry: WaitlistEntry| details(&entry))
        }
        WaitlistCommand::Invite(args) => {
            let raw = api
                .post(
                    &path(&["waitlist_entries", &args.id, "invite"])?,
                    Some(json!({ "ignore_existing": args.ignore_existing })),
                )
                .await?;
            out.show(&raw, |entry: WaitlistEntry| details(&entry))
        }
        WaitlistCommand::Reject(args) => {
            let raw = api
                .post(&path(&["waitlist_entries", &args.id, "reject"])?, None)
                .await?;
            out.show(&raw, |entry: WaitlistEntry| details(&entry))
        }
        WaitlistCommand::Rm(args) => {
            let raw = api.delete(&path(&["waitlist_entries", &args.id])?).await?;
            out.show(&raw, |deleted: DeletedObject| deleted_line(&deleted))
        }
    }
}

fn details(entry: &WaitlistEntry) -> Details {
    Details::new()
        .field("ID", entry.id.clone())
        .field("Email address", entry.email_address.clone())
        .field("Status", entry.status.as_str().to_owned())
        .field("Created", format_ms(entry.created_at))
        .field("Updated", format_ms(entry.updated_at))
}

fn entries_table(entries: &[WaitlistEntry]) -> Table {
    let mut table = Table::new(["ID", "EMAIL ADDRESS", "STATUS", "CREATED", "UPDATED"])
        .when_empty("the waitlist is empty");
    for entry in entries {
        table.row([
            entry.id.clone(),
            entry.email_address.clone(),
            entry.status.as_str().to_owned(),
            format_ms(entry.created_at),
            format_ms(entry.updated_at),
        ]);
    }
    table
}
