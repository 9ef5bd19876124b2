//! `clerk machines` (create, list, get, update, delete, secret, rotate, scopes add/remove)
//! and `clerk m2m-tokens` (create, list, verify, revoke). The M2M commands authenticate
//! with a machine's secret key (`--machine-key`, or `CLERK_MACHINE_SECRET_KEY`) when given,
//! else with the secret key; creating a token needs a machine key.

use clap::{Args, Subcommand};
use clerk_sdk::{
    CreateM2mToken, CreateMachine, DeletedObject, ListM2mTokens, ListMachines, M2mToken,
    M2mTokenList, Machine, MachineScope, MachineSecretKey, SecretKey, UpdateMachine,
};
use serde_json::json;

use crate::Context;
use crate::api::{Api, path};
use crate::error::CliResult;
use crate::input;
use crate::output::{Details, Table, compact_json, or_dash, yes_no};
use crate::params::{PageArgs, set_given, to_body};
use crate::time::format_ms;
use crate::users::deleted_line;

/// `clerk machines …`
#[derive(Debug, Subcommand)]
pub enum MachinesCommand {
    /// List the machines.
    #[command(
        after_help = "Examples:\n  clerk machines list\n  clerk machines list --query billing --order-by name"
    )]
    List(ListArgs),
    /// Show one machine and the machines it may call.
    #[command(after_help = "Example:\n  clerk machines get mch_2x")]
    Get(IdArg),
    /// Create a machine; prints its secret key once (also `clerk machines secret`).
    #[command(after_help = "Example:\n  clerk machines create billing --scope mch_2x --ttl 600")]
    Create(CreateArgs),
    /// Rename a machine or change its default token lifetime.
    #[command(after_help = "Example:\n  clerk machines update mch_2x --name billing-v2")]
    Update(UpdateArgs),
    /// Delete a machine (its keys stop working, its tokens go).
    #[command(after_help = "Example:\n  clerk machines delete mch_2x")]
    Delete(IdArg),
    /// Print a machine's secret key.
    #[command(after_help = "Example:\n  clerk machines secret mch_2x")]
    Secret(IdArg),
    /// Give a machine a new secret key; the previous one works for --grace seconds.
    #[command(after_help = "Example:\n  clerk machines rotate mch_2x --grace 3600")]
    Rotate(RotateArgs),
    /// Which machines a machine may call.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk machines scopes add mch_caller mch_callee\n  clerk machines scopes remove mch_caller mch_callee"
    )]
    Scopes(ScopesCommand),
}

/// `clerk machines scopes …`
#[derive(Debug, Subcommand)]
pub enum ScopesCommand {
    /// Let a machine call another.
    #[command(after_help = "Example:\n  clerk machines scopes add mch_caller mch_callee")]
    Add(ScopeArgs),
    /// Stop a machine from calling another.
    #[command(after_help = "Example:\n  clerk machines scopes remove mch_caller mch_callee")]
    Remove(ScopeArgs),
}

/// A machine ID.
#[derive(Debug, Args)]
pub struct IdArg {
    /// The machine's ID (mch_…).
    id: String,
}

/// `machines list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// An exact machine ID, or part of a name.
    #[arg(long)]
    query: Option<String>,
    /// `created_at` or `name`, with `+` or `-` (default `-created_at`).
    #[arg(long, allow_hyphen_values = true)]
    order_by: Option<String>,
    #[command(flatten)]
    paging: PageArgs,
}

/// `machines create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The machine's name.
    name: String,
    /// A machine it may call (repeat for more).
    #[arg(long = "scope", value_name = "MACHINE_ID")]
    scopes: Vec<String>,
    /// Seconds its tokens live unless asked otherwise (default 3600).
    #[arg(long, value_name = "SECONDS")]
    ttl: Option<i64>,
}

/// `machines update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The machine's ID (mch_…).
    id: String,
    /// A new name.
    #[arg(long)]
    name: Option<String>,
    /// A new default token lifetime in seconds.
    #[arg(long, value_name = "SECONDS")]
    ttl: Option<i64>,
}

/// `machines rotate`.
#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The machine's ID (mch_…).
    id: String,
    /// Seconds the previous key keeps working (0 to 28800; default 0).
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    grace: u32,
}

/// `machines scopes add|remove`.
#[derive(Debug, Args)]
pub struct ScopeArgs {
    /// The machine that calls (mch_…).
    machine_id: String,
    /// The machine it calls (mch_…).
    other_machine_id: String,
}

/// `clerk m2m-tokens …`
#[derive(Debug, Subcommand)]
pub enum M2mTokensCommand {
    /// Mint a token for the machine whose key is given; prints the token.
    #[command(
        after_help = "Examples:\n  CLERK_MACHINE_SECRET_KEY=ak_… clerk m2m-tokens create --expires-in 600\n  clerk m2m-tokens create --machine-key @key.txt --jwt --claims '{\"job\":\"sync\"}'"
    )]
    Create(CreateTokenArgs),
    /// List tokens: a machine key lists its machine's, the secret key any machine's.
    #[command(after_help = "Example:\n  clerk m2m-tokens list --subject mch_2x --revoked")]
    List(ListTokensArgs),
    /// Verify a token: with a machine key, only one that machine may accept.
    #[command(
        after_help = "Example:\n  clerk m2m-tokens verify mt_… --machine-key @callee-key.txt"
    )]
    Verify(VerifyArgs),
    /// Revoke an opaque token.
    #[command(after_help = "Example:\n  clerk m2m-tokens revoke mt_0123… --reason leaked")]
    Revoke(RevokeArgs),
}

/// The machine key option of the M2M commands.
#[derive(Debug, Args)]
pub struct MachineKeyArg {
    /// A machine's secret key (ak_…), as `@file` or `-` for stdin; prefer the
    /// CLERK_MACHINE_SECRET_KEY environment variable (arguments show in `ps`).
    #[arg(
        long,
        value_name = "KEY",
        env = "CLERK_MACHINE_SECRET_KEY",
        hide_env_values = true
    )]
    machine_key: Option<String>,
}

/// `m2m-tokens create`.
#[derive(Debug, Args)]
pub struct CreateTokenArgs {
    #[command(flatten)]
    key: MachineKeyArg,
    /// Seconds until it expires (default: the machine's default TTL).
    #[arg(long, value_name = "SECONDS")]
    expires_in: Option<u64>,
    /// Claims, a JSON object: inline, `@file.json` or `-`.
    #[arg(long)]
    claims: Option<String>,
    /// A JWT-format token (never stored, listed or revocable).
    #[arg(long)]
    jwt: bool,
    /// Reuse a live token with the same claims that has at least this many seconds left.
    #[arg(long, value_name = "SECONDS")]
    reuse_if_ttl: Option<u64>,
}

/// `m2m-tokens list`.
#[derive(Debug, Args)]
pub struct ListTokensArgs {
    #[command(flatten)]
    key: MachineKeyArg,
    /// Only this machine's tokens (mch_…).
    #[arg(long)]
    subject: Option<String>,
    /// Include revoked tokens.
    #[arg(long)]
    revoked: bool,
    /// Include expired tokens.
    #[arg(long)]
    expired: bool,
    /// Items per page, 1 to 100 (API default 10).
    #[arg(long, value_name = "N")]
    limit: Option<u32>,
    /// Skip this many items.
    #[arg(long, value_name = "N")]
    offset: Option<u64>,
}

/// `m2m-tokens verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    key: MachineKeyArg,
    /// The token (mt_… or a JWT), or `-` for stdin.
    token: String,
}

/// `m2m-tokens revoke`.
#[derive(Debug, Args)]
pub struct RevokeArgs {
    #[command(flatten)]
    key: MachineKeyArg,
    /// The token's ID (mt_…).
    id: String,
    /// Why (kept with the token).
    #[arg(long)]
    reason: Option<String>,
}

/// Runs a `machines` command.
pub async fn run(ctx: &Context, command: MachinesCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        MachinesCommand::List(args) => {
            let mut params = args.paging.apply(ListMachines::new());
            set_given!(params, args; query, order_by);
            let raw = api.get("/machines", &params.to_query_pairs()).await?;
            args.paging
                .show_page(&out, &raw, |machines: &[Machine]| machines_table(machines))
        }
        MachinesCommand::Get(IdArg { id }) => {
            let raw = api.get(&path(&["machines", &id])?, &[]).await?;
            out.show(&raw, |m: Machine| machine_details(&m))
        }
        MachinesCommand::Create(args) => {
            let mut params = CreateMachine::new(args.name);
            if !args.scopes.is_empty() {
                params = params.scoped_machines(args.scopes);
            }
            if let Some(ttl) = args.ttl {
                params = params.default_token_ttl(ttl);
            }
            let raw = api.post("/machines", Some(to_body(&params)?)).await?;
            out.show(&raw, |m: Machine| {
                let secret = m.secret_key.clone().unwrap_or_default();
                machine_details(&m).field("Secret key", secret)
            })
        }
        MachinesCommand::Update(args) => {
            let mut params = UpdateMachine::new();
            if let Some(name) = args.name {
                params = params.name(name);
            }
            if let Some(ttl) = args.ttl {
                params = params.default_token_ttl(ttl);
            }
            let raw = api
                .patch(&path(&["machines", &args.id])?, to_body(&params)?)
                .await?;
            out.show(&raw, |m: Machine| machine_details(&m))
        }
        MachinesCommand::Delete(IdArg { id }) => {
            let raw = api.delete(&path(&["machines", &id])?).await?;
            out.show(&raw, |deleted: DeletedObject| deleted_line(&deleted))
        }
        MachinesCommand::Secret(IdArg { id }) => {
            let raw = api
                .get(&path(&["machines", &id, "secret_key"])?, &[])
                .await?;
            out.show(&raw, |key: MachineSecretKey| key.secret)
        }
        MachinesCommand::Rotate(args) => {
            let body = json!({ "previous_token_ttl": args.grace });
            let rotate = path(&["machines", &args.id, "secret_key", "rotate"])?;
            let raw = api.post(&rotate, Some(body)).await?;
            out.show(&raw, |key: MachineSecretKey| key.secret)
        }
        MachinesCommand::Scopes(ScopesCommand::Add(args)) => {
            let body = json!({ "to_machine_id": args.other_machine_id });
            let scopes = path(&["machines", &args.machine_id, "scopes"])?;
            let raw = api.post(&scopes, Some(body)).await?;
            out.show(&raw, |s: MachineScope| {
                format!("{} may call {}", s.from_machine_id, s.to_machine_id)
            })
        }
        MachinesCommand::Scopes(ScopesCommand::Remove(args)) => {
            let scope = path(&[
                "machines",
                &args.machine_id,
                "scopes",
                &args.other_machine_id,
            ])?;
            let raw = api.delete(&scope).await?;
            out.show(&raw, |s: MachineScope| {
                format!(
                    "{} may no longer call {}",
                    s.from_machine_id, s.to_machine_id
                )
            })
        }
    }
}

impl MachineKeyArg {
    /// The API with the machine key as the Bearer when given, else the secret key's.
    fn api(&self, ctx: &Context) -> CliResult<Api> {
        match &self.machine_key {
            Some(key) if !key.trim().is_empty() => {
                let key = input::text("--machine-key", key)?;
                let key = SecretKey::new(key.trim());
                Api::new(ctx.api_args().builder().secret_key(key))
            }
            _ => ctx.api(),
        }
    }
}

/// Runs an `m2m-tokens` command.
pub async fn run_tokens(ctx: &Context, command: M2mTokensCommand) -> CliResult {
    let out = ctx.out();
    match command {
        M2mTokensCommand::Create(args) => {
            let api = args.key.api(ctx)?;
            let mut params = CreateM2mToken::new();
            if args.jwt {
                params = params.jwt();
            }
            if let Some(seconds) = args.expires_in {
                params = params.seconds_until_expiration(seconds);
            }
            if let Some(text) = &args.claims {
                params = params.claims(input::json_object("--claims", text)?);
            }
            if let Some(seconds) = args.reuse_if_ttl {
                params = params.min_remaining_ttl_seconds(seconds);
            }
            let raw = api.post("/m2m_tokens", Some(to_body(&params)?)).await?;
            out.show(&raw, |t: M2mToken| t.token.clone().unwrap_or_default())
        }
        M2mTokensCommand::List(args) => {
            let api = args.key.api(ctx)?;
            let mut params = ListM2mTokens::new();
            if let Some(subject) = args.subject {
                params = params.subject(subject);
            }
            if args.revoked {
                params = params.revoked(true);
            }
            if args.expired {
                params = params.expired(true);
            }
            if let Some(limit) = args.limit {
                params = params.limit(limit);
            }
            if let Some(offset) = args.offset {
                params = params.offset(offset);
            }
            let raw = api.get("/m2m_tokens", &params.to_query_pairs()).await?;
            out.show(&raw, |list: M2mTokenList| tokens_table(&list.m2m_tokens))
        }
        M2mTokensCommand::Verify(args) => {
            let api = args.key.api(ctx)?;
            let token = input::text("token", &args.token)?;
            let body = json!({ "token": token.trim() });
            let raw = api.post("/m2m_tokens/verify", Some(body)).await?;
            out.show(&raw, |t: M2mToken| token_details(&t))
        }
        M2mTokensCommand::Revoke(args) => {
            let api = args.key.api(ctx)?;
            let body = json!({ "revocation_reason": args.reason });
            let revoke = path(&["m2m_tokens", &args.id, "revoke"])?;
            let raw = api.post(&revoke, Some(body)).await?;
            out.show(&raw, |t: M2mToken| token_details(&t))
        }
    }
}

fn machines_table(machines: &[Machine]) -> Table {
    let mut table =
        Table::new(["ID", "NAME", "MAY CALL", "TOKEN TTL", "CREATED"]).when_empty("no machines");
    for m in machines {
        table.row([
            m.id.clone(),
            m.name.clone(),
            m.scoped_machines.len().to_string(),
            ttl(m.default_token_ttl),
            format_ms(m.created_at),
        ]);
    }
    table
}

fn ttl(seconds: Option<i64>) -> String {
    seconds.map_or_else(|| "-".into(), |s| format!("{s}s"))
}

fn machine_details(m: &Machine) -> Details {
    let calls: Vec<String> = m
        .scoped_machines
        .iter()
        .map(|s| format!("{} ({})", s.id, s.name))
        .collect();
    Details::new()
        .field("ID", &m.id)
        .field("Name", &m.name)
        .field("Instance", &m.instance_id)
        .field("Default token TTL", ttl(m.default_token_ttl))
        .field(
            "May call",
            if calls.is_empty() {
                "-".to_owned()
            } else {
                calls.join(", ")
            },
        )
        .field("Created", format_ms(m.created_at))
        .field("Updated", format_ms(m.updated_at))
}

fn ms(n: Option<&serde_json::Number>) -> String {
    n.and_then(|n| n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)))
        .map_or_else(|| "-".into(), format_ms)
}

fn tokens_table(tokens: &[M2mToken]) -> Table {
    let mut table = Table::new([
        "ID",
        "SUBJECT",
        "REVOKED",
        "EXPIRED",
        "EXPIRES",
        "LAST USED",
    ])
    .when_empty("no M2M tokens");
    for t in tokens {
        table.row([
            t.id.clone(),
            t.subject.clone(),
            yes_no(t.revoked).to_owned(),
            yes_no(t.expired).to_owned(),
            ms(t.expiration.as_ref()),
            ms(t.last_used_at.as_ref()),
        ]);
    }
    table
}

fn token_details(t: &M2mToken) -> Details {
    Details::new()
        .field("ID", &t.id)
        .field("Subject", &t.subject)
        .field(
            "Scopes",
            if t.scopes.is_empty() {
                "-".into()
            } else {
                t.scopes.join(", ")
            },
        )
        .field(
            "Claims",
            t.claims.as_ref().map_or_else(|| "-".into(), compact_json),
        )
        .field("Revoked", yes_no(t.revoked))
        .field("Revocation reason", or_dash(t.revocation_reason.as_deref()))
        .field("Expired", yes_no(t.expired))
        .field("Expires", ms(t.expiration.as_ref()))
        .field("Last used", ms(t.last_used_at.as_ref()))
}
