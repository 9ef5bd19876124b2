//! `clerk clients`: the browsers and devices that hold sessions.

use clap::{Args, Subcommand};
use clerk_sdk::{Client, ListClients, Page, SecretKey};
use serde_json::json;

use crate::api::path;
use crate::error::CliResult;
use crate::output::{Details, Table, or_dash};
use crate::params::PageArgs;
use crate::time::format_ms;
use crate::{Context, input};

/// `clerk clients …`
#[derive(Debug, Subcommand)]
pub enum ClientsCommand {
    /// List clients (deprecated by Clerk: it may answer 410).
    #[command(after_help = "Example:\n  clerk clients list --limit 50")]
    List(PageArgs),
    /// Show one client and its sessions.
    #[command(after_help = "Example:\n  clerk clients get client_2x")]
    Get(ClientId),
    /// Verify a client token (the `__client` cookie) and show its client.
    #[command(
        after_help = "Examples:\n  clerk clients verify \"$CLIENT_TOKEN\"\n  echo \"$CLIENT_TOKEN\" | clerk clients verify -"
    )]
    Verify(VerifyArgs),
}

/// One client, by ID.
#[derive(Debug, Args)]
pub struct ClientId {
    /// The client ID (client_…).
    id: String,
}

/// `clients verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The client token; - reads it from stdin.
    // Held as the SDK's SecretKey, its one string that never shows in `Debug`.
    token: SecretKey,
}

/// Runs a `clients` command.
pub async fn run(ctx: &Context, command: ClientsCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        ClientsCommand::List(paging) => {
            let query = paging.apply(ListClients::new()).to_query_pairs();
            let raw = api.get("/clients", &query).await?;
            out.show(&raw, |page: Page<Client>| clients_table(&page.data))
        }
        ClientsCommand::Get(ClientId { id }) => {
            let raw = api.get(&path(&["clients", &id])?, &[]).await?;
            out.show(&raw, |client: Client| client_details(&client))
        }
        ClientsCommand::Verify(args) => {
            let token = input::token(args.token.expose())?;
            let raw = api
                .post("/clients/verify", Some(json!({ "token": token })))
                .await?;
            out.show(&raw, |client: Client| client_details(&client))
        }
    }
}

fn clients_table(clients: &[Client]) -> Table {
    let mut table =
        Table::new(["ID", "SESSIONS", "LAST ACTIVE SESSION", "CREATED"]).when_empty("no clients");
    for client in clients {
        table.row([
            client.id.clone(),
            client.session_ids.len().to_string(),
            or_dash(client.last_active_session_id.as_deref()),
            format_ms(client.created_at),
        ]);
    }
    table
}

fn client_details(client: &Client) -> Details {
    let sessions = client
        .sessions
        .iter()
        .map(|s| format!("{} ({}, {})", s.id, s.user_id, s.status))
        .collect::<Vec<_>>();
    let sessions = if sessions.is_empty() {
        or_dash(Some(&client.session_ids.join(", ")))
    } else {
        sessions.join(", ")
    };
    Details::new()
        .field("ID", &client.id)
        .field("Sessions", sessions)
        .field(
            "Last active session",
            or_dash(client.last_active_session_id.as_deref()),
        )
        .field("Created", format_ms(client.created_at))
        .field("Updated", format_ms(client.updated_at))
}
