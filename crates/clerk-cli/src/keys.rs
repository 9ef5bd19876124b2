//! `clerk keys`: a local clerk-server's signing keys (the `/v1/_local/keys` extension).

use clap::{Args, Subcommand};
use clerk_sdk::{Method, Page};
use serde::Deserialize;
use serde_json::Value;

use crate::Context;
use crate::error::{CliError, CliResult};
use crate::output::{Table, or_dash};
use crate::time::{format_ms, format_opt_ms};

/// `clerk keys …` (clerk-server only)
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// List the signing keys, newest first: active, retired (still published) or expired.
    #[command(after_help = "Example:\n  clerk keys list")]
    List,
    /// Print a signing key's public key as PEM (the active one by default), for verifiers
    /// that take a key instead of a JWKS URL.
    #[command(
        after_help = "Examples:\n  clerk keys pem > clerk-jwt-key.pem\n  clerk tokens verify \"$TOKEN\" --jwt-key clerk-jwt-key.pem"
    )]
    Pem(PemArgs),
    /// Start signing with a new key; the previous one stays published for the grace period.
    #[command(after_help = "Example:\n  clerk keys rotate")]
    Rotate,
    /// Print the instance's publishable key, which a page gives clerk-js together with
    /// `proxyUrl` = the server's `/__clerk`.
    #[command(
        after_help = "Example:\n  clerk keys publishable\n  <script src=\".../clerk.browser.js\" data-clerk-publishable-key=\"$(clerk keys publishable)\" data-clerk-proxy-url=\"http://127.0.0.1:8080/__clerk\">"
    )]
    Publishable,
}

/// `keys pem`.
#[derive(Debug, Args)]
pub struct PemArgs {
    /// The key ID; default: the active key.
    kid: Option<String>,
}

/// One key as `GET /v1/_local/keys` lists it.
#[derive(Debug, Deserialize)]
struct SigningKey {
    kid: String,
    status: String,
    public_key_pem: Option<String>,
    created_at: i64,
    retired_at: Option<i64>,
    published_until: Option<i64>,
}

/// Runs a `keys` command.
pub async fn run(ctx: &Context, command: KeysCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        KeysCommand::List => {
            let raw = api.send_local(Method::GET, "/_local/keys", &[]).await?;
            out.show(&raw, |page: Page<SigningKey>| {
                let mut table =
                    Table::new(["KID", "STATUS", "CREATED", "RETIRED", "PUBLISHED UNTIL"]);
                for key in &page.data {
                    table.row([
                        key.kid.clone(),
                        key.status.clone(),
                        format_ms(key.created_at),
                        format_opt_ms(key.retired_at),
                        format_opt_ms(key.published_until),
                    ]);
                }
                table
            })
        }
        KeysCommand::Pem(args) => {
            let raw = api.send_local(Method::GET, "/_local/keys", &[]).await?;
            let page: Page<SigningKey> = raw.parse()?;
            let key = page.data.iter().find(|key| match &args.kid {
                Some(kid) => &key.kid == kid,
                None => key.status == "active",
            });
            let pem = key
                .and_then(|key| key.public_key_pem.as_deref())
                .ok_or_else(|| {
                    CliError::usage(match &args.kid {
                        Some(kid) => format!("no signing key {kid} (see `clerk keys list`)"),
                        None => "the server has no active signing key".into(),
                    })
                })?;
            out.line(pem.trim_end())
        }
        KeysCommand::Publishable => {
            let raw = api.send(Method::GET, "/instance", &[], None).await?;
            out.show(&raw, |instance: Value| {
                or_dash(instance["publishable_key"].as_str())
            })
        }
        KeysCommand::Rotate => {
            let raw = api
                .send_local(Method::POST, "/_local/keys/rotate", &[])
                .await?;
            out.show(&raw, |rotation: Value| {
                let retired: Vec<&str> = rotation["retired"]
                    .as_array()
                    .map(|kids| kids.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                format!(
                    "new signing key: {}\nretired (still in the JWKS for the grace period): {}",
                    or_dash(rotation["kid"].as_str()),
                    if retired.is_empty() {
                        "-".into()
                    } else {
                        retired.join(", ")
                    }
                )
            })
        }
    }
}
