//! `clerk blocklist` and `clerk redirect-urls`: the identifiers refused when the block-list
//! is on, and the URLs the instance may redirect to.

use clap::{Args, Subcommand};
use clerk_sdk::{BlocklistIdentifier, DeletedObject, ListRedirectUrls, Page, RedirectUrl};
use serde_json::json;

use crate::Context;
use crate::api::path;
use crate::error::CliResult;
use crate::output::{Details, Table, or_dash};
use crate::params::PageArgs;
use crate::time::{format_ms, format_opt_ms};
use crate::users::deleted_line;

/// `clerk blocklist …`
#[derive(Debug, Subcommand)]
pub enum BlocklistCommand {
    /// List the block-list's identifiers (all of them, with the total).
    #[command(after_help = "Example:\n  clerk blocklist list")]
    List,
    /// Block an email address, an email domain (example.com or '*@example.com'), a phone
    /// number or a web3 wallet.
    #[command(
        after_help = "Examples:\n  clerk blocklist add spammer@example.com\n  clerk blocklist add '*@spam.example'"
    )]
    Add(IdentifierArgs),
    /// Remove an identifier from the block-list, by its ID (blid_…).
    #[command(
        visible_alias = "remove",
        after_help = "Example:\n  clerk blocklist rm blid_2x"
    )]
    Rm(IdArgs),
}

/// `blocklist add`.
#[derive(Debug, Args)]
pub struct IdentifierArgs {
    /// The email address, domain, phone number (E.164) or web3 wallet to block.
    identifier: String,
}

/// An ID argument.
#[derive(Debug, Args)]
pub struct IdArgs {
    /// The ID, as `list` shows it.
    id: String,
}

/// `clerk redirect-urls …`
#[derive(Debug, Subcommand)]
pub enum RedirectUrlsCommand {
    /// List the redirect URLs.
    #[command(after_help = "Example:\n  clerk redirect-urls list --limit 50")]
    List(PageArgs),
    /// Add a redirect URL: https://… or a custom scheme (my-app://callback).
    #[command(
        after_help = "Examples:\n  clerk redirect-urls add https://my-app.com/oauth-callback\n  clerk redirect-urls add my-app://oauth-callback"
    )]
    Add(UrlArgs),
    /// Show one redirect URL, by its ID (ru_…).
    #[command(after_help = "Example:\n  clerk redirect-urls get ru_2x")]
    Get(IdArgs),
    /// Remove a redirect URL, by its ID (ru_…).
    #[command(
        visible_alias = "remove",
        after_help = "Example:\n  clerk redirect-urls rm ru_2x"
    )]
    Rm(IdArgs),
}

/// `redirect-urls add`.
#[derive(Debug, Args)]
pub struct UrlArgs {
    /// The URL.
    url: String,
}

/// Runs a `blocklist` command.
pub async fn run_blocklist(ctx: &Context, command: BlocklistCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        BlocklistCommand::List => {
            let raw = api.get("/blocklist_identifiers", &[]).await?;
            out.show(&raw, |page: Page<BlocklistIdentifier>| {
                let mut table = Table::new(["ID", "IDENTIFIER", "TYPE", "CREATED"])
                    .when_empty("the block-list is empty");
                for item in &page.data {
                    table.row([
                        or_dash(item.id.as_deref()),
                        or_dash(item.identifier.as_deref()),
                        or_dash(item.identifier_type.as_ref().map(|t| t.as_str())),
                        format_opt_ms(item.created_at),
                    ]);
                }
                table
            })
        }
        BlocklistCommand::Add(args) => {
            let body = json!({ "identifier": args.identifier });
            let raw = api.post("/blocklist_identifiers", Some(body)).await?;
            out.show(&raw, |item: BlocklistIdentifier| {
                Details::new()
                    .field("ID", or_dash(item.id.as_deref()))
                    .field("Identifier", or_dash(item.identifier.as_deref()))
                    .field(
                        "Type",
                        or_dash(item.identifier_type.as_ref().map(|t| t.as_str())),
                    )
            })
        }
        BlocklistCommand::Rm(args) => {
            let raw = api
                .delete(&path(&["blocklist_identifiers", &args.id])?)
                .await?;
            out.show(&raw, |deleted: DeletedObject| deleted_line(&deleted))
        }
    }
}

/// Runs a `redirect-urls` command.
pub async fn run_redirect_urls(ctx: &Context, command: RedirectUrlsCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        RedirectUrlsCommand::List(paging) => {
            let query = paging.apply(ListRedirectUrls::new()).to_query_pairs();
            let raw = api.get("/redirect_urls", &query).await?;
            paging.show_page(&out, &raw, |urls: &[RedirectUrl]| {
                let mut table = Table::new(["ID", "URL", "CREATED"]).when_empty("no redirect URLs");
                for url in urls {
                    table.row([url.id.clone(), url.url.clone(), format_ms(url.created_at)]);
                }
                table
            })
        }
        RedirectUrlsCommand::Add(args) => {
            let raw = api
                .post("/redirect_urls", Some(json!({ "url": args.url })))
                .await?;
            out.show(&raw, details)
        }
        RedirectUrlsCommand::Get(args) => {
            let raw = api.get(&path(&["redirect_urls", &args.id])?, &[]).await?;
            out.show(&raw, details)
        }
        RedirectUrlsCommand::Rm(args) => {
            let raw = api.delete(&path(&["redirect_urls", &args.id])?).await?;
            out.show(&raw, |deleted: DeletedObject| deleted_line(&deleted))
        }
    }
}

fn details(url: RedirectUrl) -> Details {
    Details::new()
        .field("ID", &url.id)
        .field("URL", &url.url)
        .field("Created", format_ms(url.created_at))
}
