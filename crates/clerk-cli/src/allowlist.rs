//! `clerk allowlist`: the identifiers allowed to sign up, and the switch that restricts
//! sign-ups to them.

use clap::{Args, Subcommand};
use clerk_sdk::{
    AllowlistIdentifier, CreateAllowlistIdentifier, DeletedObject, InstanceSettings,
    ListAllowlistIdentifiers, Page,
};
use serde_json::json;

use crate::Context;
use crate::api::path;
use crate::error::CliResult;
use crate::output::{Details, Table, or_dash};
use crate::params::{PageArgs, to_body};
use crate::time::format_opt_ms;
use crate::users::deleted_line;

/// `clerk allowlist …`
#[derive(Debug, Subcommand)]
pub enum AllowlistCommand {
    /// List the allowlist's identifiers.
    #[command(after_help = "Example:\n  clerk allowlist list")]
    List(PageArgs),
    /// Allow an email address, an email domain, a phone number or a web3 wallet.
    #[command(
        after_help = "Examples:\n  clerk allowlist add ada@example.com --notify\n  clerk allowlist add example.com"
    )]
    Add(AddArgs),
    /// Remove an identifier from the allowlist, by its ID (alid_…).
    #[command(after_help = "Example:\n  clerk allowlist remove alid_2x")]
    Remove(RemoveArgs),
    /// Restrict sign-ups to the allowlist.
    #[command(after_help = "Example:\n  clerk allowlist on")]
    On,
    /// Let anyone sign up again.
    #[command(after_help = "Example:\n  clerk allowlist off")]
    Off,
}

/// `allowlist add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The email address, domain, phone number (E.164) or web3 wallet to allow.
    identifier: String,
    /// Send an invitation to the identifier.
    #[arg(long)]
    notify: bool,
}

/// `allowlist remove`.
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The allowlist identifier's ID (alid_…), as `allowlist list` shows it.
    id: String,
}

/// Runs an `allowlist` command.
pub async fn run(ctx: &Context, command: AllowlistCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        AllowlistCommand::List(paging) => {
            let query = paging
                .apply(ListAllowlistIdentifiers::new())
                .to_query_pairs();
            let raw = api.get("/allowlist_identifiers", &query).await?;
            out.show(&raw, |page: Page<AllowlistIdentifier>| {
                identifiers_table(&page.data)
            })
        }
        AllowlistCommand::Add(args) => {
            let params = CreateAllowlistIdentifier::new(args.identifier).notify(args.notify);
            let raw = api
                .post("/allowlist_identifiers", Some(to_body(&params)?))
                .await?;
            out.show(&raw, |identifier: AllowlistIdentifier| {
                Details::new()
                    .field("ID", or_dash(identifier.id.as_deref()))
                    .field("Identifier", or_dash(identifier.identifier.as_deref()))
                    .field(
                        "Type",
                        or_dash(identifier.identifier_type.as_ref().map(|t| t.as_str())),
                    )
                    .field("Invitation", or_dash(identifier.invitation_id.as_deref()))
            })
        }
        AllowlistCommand::Remove(args) => {
            let raw = api
                .delete(&path(&["allowlist_identifiers", &args.id])?)
                .await?;
            out.show(&raw, |deleted: DeletedObject| deleted_line(&deleted))
        }
        AllowlistCommand::On | AllowlistCommand::Off => {
            let on = matches!(command, AllowlistCommand::On);
            // The Ruby SDK's `allowlist.update(restricted_to_allowlist:)`, as the SDK sends it.
            let raw = api
                .patch(
                    "/beta_features/instance_settings",
                    json!({ "restricted_to_allowlist": on }),
                )
                .await?;
            out.show(&raw, |settings: InstanceSettings| {
                match settings.restricted_to_allowlist {
                    Some(true) => "allowlist on: only allowlisted identifiers may sign up",
                    Some(false) => "allowlist off: anyone may sign up",
                    None => "allowlist updated",
                }
            })
        }
    }
}

fn identifiers_table(identifiers: &[AllowlistIdentifier]) -> Table {
    let mut table =
        Table::new(["ID", "IDENTIFIER", "TYPE", "CREATED"]).when_empty("the allowlist is empty");
    for identifier in identifiers {
        table.row([
            or_dash(identifier.id.as_deref()),
            or_dash(identifier.identifier.as_deref()),
            or_dash(identifier.identifier_type.as_ref().map(|t| t.as_str())),
            format_opt_ms(identifier.created_at),
        ]);
    }
    table
}
