//! `clerk sign-ups`: read a sign-up attempt, and set what the Backend API may change.

use clap::{Args, Subcommand};
use clerk_sdk::{Patch, SignUp, UpdateSignUp};

use crate::Context;
use crate::api::path;
use crate::error::CliResult;
use crate::output::{Details, or_dash};
use crate::params::to_body;
use crate::time::format_opt_ms;

/// `clerk sign-ups …`
#[derive(Debug, Subcommand)]
pub enum SignUpsCommand {
    /// Show a sign-up attempt.
    #[command(after_help = "Example:\n  clerk sign-ups get sua_2x")]
    Get(GetArgs),
    /// Set a sign-up's external ID or custom-action flag.
    #[command(
        after_help = "Examples:\n  clerk sign-ups update sua_2x --external-id crm_42\n  clerk sign-ups update sua_2x --clear-external-id --custom-action false"
    )]
    Update(UpdateArgs),
}

/// `sign-ups get`.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// The sign-up's ID (sua_…).
    id: String,
}

/// `sign-ups update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The sign-up's ID (sua_…).
    id: String,
    /// Your ID for the person signing up (copied to the user when it completes).
    #[arg(long, conflicts_with = "clear_external_id")]
    external_id: Option<String>,
    /// Remove the external ID.
    #[arg(long)]
    clear_external_id: bool,
    /// Mark (true) or unmark (false) the sign-up as a custom action.
    #[arg(long)]
    custom_action: Option<bool>,
}

/// Runs a `sign-ups` command.
pub async fn run(ctx: &Context, command: SignUpsCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        SignUpsCommand::Get(args) => {
            let raw = api.get(&path(&["sign_ups", &args.id])?, &[]).await?;
            out.show(&raw, |sign_up: SignUp| details(&sign_up))
        }
        SignUpsCommand::Update(args) => {
            let mut params = UpdateSignUp::new();
            if let Some(external_id) = args.external_id {
                params = params.external_id(external_id);
            }
            if args.clear_external_id {
                params = params.external_id(Patch::Null);
            }
            if let Some(custom_action) = args.custom_action {
                params = params.custom_action(custom_action);
            }
            let raw = api
                .patch(&path(&["sign_ups", &args.id])?, to_body(&params)?)
                .await?;
            out.show(&raw, |sign_up: SignUp| details(&sign_up))
        }
    }
}

fn details(sign_up: &SignUp) -> Details {
    Details::new()
        .field("ID", sign_up.id.clone())
        .field("Status", sign_up.status.as_str().to_owned())
        .field("Email address", or_dash(sign_up.email_address.as_deref()))
        .field("Phone number", or_dash(sign_up.phone_number.as_deref()))
        .field("Username", or_dash(sign_up.username.as_deref()))
        .field("Missing fields", sign_up.missing_fields.join(", "))
        .field("Unverified fields", sign_up.unverified_fields.join(", "))
        .field("External ID", or_dash(sign_up.external_id.as_deref()))
        .field(
            "Custom action",
            sign_up.custom_action.unwrap_or(false).to_string(),
        )
        .field("Abandon at", format_opt_ms(sign_up.abandon_at))
}
