//! `clerk sign-in-tokens`, `clerk actor-tokens` and `clerk testing-token`: single-use
//! tickets that sign a user in (or impersonate one), and testing tokens.

use clap::{Args, Subcommand};
use clerk_sdk::{ActorToken, CreateActorToken, CreateSignInToken, SignInToken, TestingToken};

use crate::Context;
use crate::api::path;
use crate::error::CliResult;
use crate::output::{Details, or_dash};
use crate::params::to_body;
use crate::time::format_opt_ms;

/// `clerk sign-in-tokens …`
#[derive(Debug, Subcommand)]
pub enum SignInTokensCommand {
    /// Create a sign-in token for a user; prints its ticket and link.
    #[command(
        after_help = "Examples:\n  clerk sign-in-tokens create user_2x\n  clerk sign-in-tokens create user_2x --expires-in-seconds 600 --json | jq -r .url"
    )]
    Create(SignInCreateArgs),
    /// Revoke a pending sign-in token (sit_…).
    #[command(after_help = "Example:\n  clerk sign-in-tokens revoke sit_2x")]
    Revoke(RevokeArgs),
}

/// `clerk actor-tokens …`
#[derive(Debug, Subcommand)]
pub enum ActorTokensCommand {
    /// Create an actor token: ACTOR impersonates USER_ID.
    #[command(
        after_help = "Example:\n  clerk actor-tokens create user_2x --actor user_admin --session-max-duration-in-seconds 600"
    )]
    Create(ActorCreateArgs),
    /// Revoke a pending actor token (act_…).
    #[command(after_help = "Example:\n  clerk actor-tokens revoke act_2x")]
    Revoke(RevokeArgs),
}

/// `sign-in-tokens create`.
#[derive(Debug, Args)]
pub struct SignInCreateArgs {
    /// The user the token signs in.
    user_id: String,
    /// How long the token can be used (default 30 days).
    #[arg(long)]
    expires_in_seconds: Option<i64>,
    /// The organization to make active (the user must be a member).
    #[arg(long)]
    org_id: Option<String>,
}

/// `actor-tokens create`.
#[derive(Debug, Args)]
pub struct ActorCreateArgs {
    /// The user to impersonate.
    user_id: String,
    /// The ID of who impersonates (the actor's `sub`).
    #[arg(long)]
    actor: String,
    /// How long the token can be used (default 1 hour).
    #[arg(long)]
    expires_in_seconds: Option<i64>,
    /// How long the impersonation session lasts (default 30 minutes).
    #[arg(long)]
    session_max_duration_in_seconds: Option<i64>,
}

/// `revoke`.
#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The token's ID.
    id: String,
}

/// Runs a `sign-in-tokens` command.
pub async fn run_sign_in(ctx: &Context, command: SignInTokensCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    let raw = match command {
        SignInTokensCommand::Create(args) => {
            let mut params = CreateSignInToken::new(args.user_id);
            if let Some(seconds) = args.expires_in_seconds {
                params = params.expires_in_seconds(seconds);
            }
            if let Some(org) = args.org_id {
                params = params.org_id(org);
            }
            api.post("/sign_in_tokens", Some(to_body(&params)?)).await?
        }
        SignInTokensCommand::Revoke(args) => {
            api.post(&path(&["sign_in_tokens", &args.id, "revoke"])?, None)
                .await?
        }
    };
    out.show(&raw, |token: SignInToken| {
        Details::new()
            .field("ID", token.id.clone())
            .field("User", token.user_id.clone())
            .field("Status", token.status.as_str().to_owned())
            .field("URL", or_dash(token.url.as_deref()))
            .field("Ticket", or_dash(token.token.as_deref()))
            .field("Created", format_opt_ms(Some(token.created_at)))
    })
}

/// Runs an `actor-tokens` command.
pub async fn run_actor(ctx: &Context, command: ActorTokensCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    let raw = match command {
        ActorTokensCommand::Create(args) => {
            let mut params = CreateActorToken::new(args.user_id, args.actor);
            if let Some(seconds) = args.expires_in_seconds {
                params = params.expires_in_seconds(seconds);
            }
            if let Some(seconds) = args.session_max_duration_in_seconds {
                params = params.session_max_duration_in_seconds(seconds);
            }
            api.post("/actor_tokens", Some(to_body(&params)?)).await?
        }
        ActorTokensCommand::Revoke(args) => {
            api.post(&path(&["actor_tokens", &args.id, "revoke"])?, None)
                .await?
        }
    };
    out.show(&raw, |token: ActorToken| {
        Details::new()
            .field("ID", token.id.clone())
            .field("User", token.user_id.clone())
            .field(
                "Actor",
                or_dash(token.actor.get("sub").and_then(|s| s.as_str())),
            )
            .field("Status", token.status.as_str().to_owned())
            .field("URL", or_dash(token.url.as_deref()))
            .field("Ticket", or_dash(token.token.as_deref()))
            .field("Created", format_opt_ms(Some(token.created_at)))
    })
}

/// Runs `testing-token`.
pub async fn run_testing(ctx: &Context) -> CliResult {
    let api = ctx.api()?;
    let raw = api.post("/testing_tokens", None).await?;
    ctx.out().show(&raw, |token: TestingToken| {
        Details::new()
            .field("Token", token.token.clone())
            .field("Expires", format_opt_ms(Some(token.expires_at * 1000)))
    })
}
