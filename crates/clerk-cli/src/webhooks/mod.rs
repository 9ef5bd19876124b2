//! `clerk webhooks`: a local clerk-server's webhook endpoints, the messages (events) it
//! delivered and their attempts, all through its local API (`/_local/webhooks/…`);
//! [`trigger`] makes the API emit an event, [`listen`] receives events and forwards them to
//! an app (`stripe listen` style).

mod listen;
mod trigger;

use clap::{Args, Subcommand};
use clerk_sdk::{Method, Page};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Context;
use crate::api::{Api, path};
use crate::error::CliResult;
use crate::output::{Details, Table, or_dash};
use crate::time::{format_ms, format_opt_ms};

/// The local API's endpoints collection.
const ENDPOINTS: &str = "/_local/webhooks/endpoints";
/// The local API's messages collection.
const MESSAGES: &str = "/_local/webhooks/messages";

/// `clerk webhooks …`
#[derive(Debug, Subcommand)]
pub enum WebhooksCommand {
    /// Endpoints the server delivers events to: add, list, rm.
    #[command(
        subcommand,
        after_help = "Examples:\n  clerk webhooks endpoints add http://localhost:3000/api/webhooks --events user.created,user.deleted\n  clerk webhooks endpoints list\n  clerk webhooks endpoints rm ep_2x"
    )]
    Endpoints(EndpointsCommand),
    /// The events (messages) the server emitted, newest first, with their delivery state.
    #[command(
        after_help = "Examples:\n  clerk webhooks messages\n  clerk webhooks messages --event user.created --limit 5\n  clerk --json webhooks messages | jq '.data[0].payload'"
    )]
    Messages(MessagesArgs),
    /// The delivery attempts of one message, newest first.
    #[command(
        after_help = "Examples:\n  clerk webhooks attempts msg_2x\n  clerk webhooks attempts msg_2x --endpoint ep_2x"
    )]
    Attempts(AttemptsArgs),
    /// Deliver a message again now (one manual attempt per endpoint, or to one endpoint).
    #[command(
        after_help = "Examples:\n  clerk webhooks resend msg_2x\n  clerk webhooks resend msg_2x --endpoint ep_2x"
    )]
    Resend(ResendArgs),
    /// Make the API emit an event: creates (and changes) throwaway resources so a real
    /// event flows.
    #[command(after_help = trigger::EXAMPLES)]
    Trigger(trigger::TriggerArgs),
    /// Receive events on a temporary endpoint, print one line each and forward them to your
    /// app with their signature headers; Ctrl-C removes the endpoint.
    #[command(after_help = listen::EXAMPLES)]
    Listen(listen::ListenArgs),
}

/// `clerk webhooks endpoints …`
#[derive(Debug, Subcommand)]
pub enum EndpointsCommand {
    /// Register an endpoint; prints its signing secret (whsec_…).
    #[command(
        after_help = "Examples:\n  clerk webhooks endpoints add http://localhost:3000/api/webhooks\n  clerk webhooks endpoints add https://example.com/hooks --events user.created,user.updated --description 'user sync'"
    )]
    Add(AddArgs),
    /// List the endpoints.
    #[command(after_help = "Example:\n  clerk webhooks endpoints list")]
    List,
    /// Remove an endpoint (its pending deliveries are dropped).
    #[command(after_help = "Example:\n  clerk webhooks endpoints rm ep_2x")]
    Rm {
        /// The endpoint ID (ep_…).
        id: String,
    },
}

/// `endpoints add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// Where to POST events (http or https).
    url: String,
    /// Only these event types, comma-separated (default: every event).
    #[arg(long, value_name = "TYPES", value_delimiter = ',')]
    events: Vec<String>,
    /// A description, for you.
    #[arg(long, value_name = "TEXT")]
    description: Option<String>,
}

/// `webhooks messages`.
#[derive(Debug, Args)]
pub struct MessagesArgs {
    /// Only events of this type (user.created, …).
    #[arg(long = "event", value_name = "TYPE")]
    event_type: Option<String>,
    /// Messages per page (default 10).
    #[arg(long, value_name = "N")]
    limit: Option<u32>,
    /// Skip this many messages.
    #[arg(long, value_name = "N")]
    offset: Option<u64>,
}

/// `webhooks attempts`.
#[derive(Debug, Args)]
pub struct AttemptsArgs {
    /// The message ID (msg_…, the `svix-id` of its deliveries).
    message_id: String,
    /// Only the attempts to this endpoint (ep_…).
    #[arg(long = "endpoint", value_name = "ID")]
    endpoint_id: Option<String>,
}

/// `webhooks resend`.
#[derive(Debug, Args)]
pub struct ResendArgs {
    /// The message ID (msg_…).
    message_id: String,
    /// Only to this endpoint (ep_…); default: every endpoint the message was for.
    #[arg(long = "endpoint", value_name = "ID")]
    endpoint_id: Option<String>,
}

/// A webhook endpoint as the local API shows it.
#[derive(Debug, Deserialize)]
pub(crate) struct Endpoint {
    pub id: String,
    pub url: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub filter_types: Option<Vec<String>>,
    /// Present in the answer to a create.
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub created_at: Option<i64>,
}

/// A message (an event) with its deliveries.
#[derive(Debug, Deserialize)]
pub(crate) struct Message {
    pub id: String,
    pub event_type: String,
    #[serde(default)]
    pub payload: Value,
    #[serde(default)]
    pub created_at: Option<i64>,
    #[serde(default)]
    pub deliveries: Vec<Delivery>,
}

/// One endpoint's delivery of a message.
#[derive(Debug, Deserialize)]
pub(crate) struct Delivery {
    pub endpoint_id: String,
    pub status: String,
    #[serde(default)]
    pub attempts: i64,
    #[serde(default)]
    pub next_attempt_at: Option<i64>,
}

/// One delivery attempt.
#[derive(Debug, Deserialize)]
pub(crate) struct Attempt {
    pub id: String,
    pub endpoint_id: String,
    pub status: String,
    #[serde(default)]
    pub response_status_code: Option<i64>,
    #[serde(default)]
    pub duration_ms: Option<i64>,
    #[serde(default)]
    pub trigger_type: Option<String>,
    #[serde(default)]
    pub created_at: Option<i64>,
}

/// Runs a `webhooks` command.
pub async fn run(ctx: &Context, command: WebhooksCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        WebhooksCommand::Endpoints(EndpointsCommand::Add(args)) => {
            let raw = add_endpoint(&api, &args.url, &args.events, args.description).await?;
            out.show(&raw, |endpoint: Endpoint| {
                Details::new()
                    .field("ID", &endpoint.id)
                    .field("URL", &endpoint.url)
                    .field("Events", events_text(endpoint.filter_types.as_deref()))
                    .field_opt("Description", endpoint.description.as_deref())
                    .field("Signing secret", or_dash(endpoint.secret.as_deref()))
            })
        }
        WebhooksCommand::Endpoints(EndpointsCommand::List) => {
            let raw = api.send_local(Method::GET, ENDPOINTS, &[]).await?;
            out.show(&raw, |page: Page<Endpoint>| {
                let mut table = Table::new(["ID", "URL", "EVENTS", "DESCRIPTION", "CREATED"])
                    .when_empty("no webhook endpoints (add one: clerk webhooks endpoints add URL)");
                for endpoint in page.data {
                    table.row([
                        endpoint.id,
                        endpoint.url,
                        events_text(endpoint.filter_types.as_deref()),
                        or_dash(endpoint.description.as_deref()),
                        format_opt_ms(endpoint.created_at),
                    ]);
                }
                table
            })
        }
        WebhooksCommand::Endpoints(EndpointsCommand::Rm { id }) => {
            let raw = api
                .send(
                    Method::DELETE,
                    &path(&["_local", "webhooks", "endpoints", &id])?,
                    &[],
                    None,
                )
                .await?;
            out.show(&raw, |deleted: Value| {
                format!(
                    "removed webhook endpoint {}",
                    deleted["id"].as_str().unwrap_or(&id)
                )
            })
        }
        WebhooksCommand::Messages(args) => {
            let query: Vec<(String, String)> = [
                ("event_type", args.event_type),
                ("limit", args.limit.map(|n| n.to_string())),
                ("offset", args.offset.map(|n| n.to_string())),
            ]
            .into_iter()
            .filter_map(|(key, value)| Some((key.to_owned(), value?)))
            .collect();
            let raw = api.send_local(Method::GET, MESSAGES, &query).await?;
            out.show(&raw, |page: Page<Message>| messages_table(&page))
        }
        WebhooksCommand::Attempts(args) => {
            let query: Vec<(String, String)> = args
                .endpoint_id
                .map(|id| vec![("endpoint_id".to_owned(), id)])
                .unwrap_or_default();
            let route = path(&[
                "_local",
                "webhooks",
                "messages",
                &args.message_id,
                "attempts",
            ])?;
            let raw = api.send(Method::GET, &route, &query, None).await?;
            out.show(&raw, |page: Page<Attempt>| attempts_table(&page.data))
        }
        WebhooksCommand::Resend(args) => {
            let route = path(&["_local", "webhooks", "messages", &args.message_id, "resend"])?;
            let body = match args.endpoint_id {
                Some(id) => json!({ "endpoint_id": id }),
                None => json!({}),
            };
            let raw = api.send(Method::POST, &route, &[], Some(body)).await?;
            out.show(&raw, |message: Message| {
                let mut table = Table::new(["ENDPOINT", "STATUS", "ATTEMPTS", "NEXT ATTEMPT"]);
                for delivery in &message.deliveries {
                    table.row([
                        delivery.endpoint_id.clone(),
                        delivery.status.clone(),
                        delivery.attempts.to_string(),
                        format_opt_ms(delivery.next_attempt_at),
                    ]);
                }
                format!(
                    "resent {} ({}); its deliveries now:\n{table}",
                    message.id, message.event_type
                )
            })
        }
        WebhooksCommand::Trigger(args) => trigger::run(ctx, &api, args).await,
        WebhooksCommand::Listen(args) => listen::run(ctx, &api, args).await,
    }
}

/// `POST /_local/webhooks/endpoints`: the endpoint, with its secret, as the API sent it.
pub(crate) async fn add_endpoint(
    api: &Api,
    url: &str,
    events: &[String],
    description: Option<String>,
) -> CliResult<crate::api::Raw> {
    let mut body = json!({ "url": url });
    if !events.is_empty() {
        body["filter_types"] = json!(events);
    }
    if let Some(description) = description {
        body["description"] = json!(description);
    }
    api.send_local_json(Method::POST, ENDPOINTS, &[], Some(body))
        .await
}

/// `all` or the comma-separated filter.
fn events_text(filter: Option<&[String]>) -> String {
    match filter {
        Some(types) if !types.is_empty() => types.join(","),
        _ => "all".to_owned(),
    }
}

/// One row per message: its id, type, the object it is about, when, and how its deliveries
/// went (`ep_1 succeeded (1)`, ...).
fn messages_table(page: &Page<Message>) -> String {
    let mut table = Table::new(["ID", "EVENT", "OBJECT", "CREATED", "DELIVERIES"])
        .when_empty("no webhook messages");
    for message in &page.data {
        let deliveries: Vec<String> = message
            .deliveries
            .iter()
            .map(|d| format!("{} {} ({})", d.endpoint_id, d.status, d.attempts))
            .collect();
        table.row([
            message.id.clone(),
            message.event_type.clone(),
            or_dash(message.payload["data"]["id"].as_str()),
            format_opt_ms(message.created_at),
            if deliveries.is_empty() {
                "no endpoint".to_owned()
            } else {
                deliveries.join(", ")
            },
        ]);
    }
    match page.total_count {
        Some(total) if total > page.data.len() as i64 && !page.data.is_empty() => format!(
            "{table}\n({} of {total}; see --limit and --offset)",
            page.data.len()
        ),
        _ => table.to_string(),
    }
}

/// One row per attempt.
fn attempts_table(attempts: &[Attempt]) -> Table {
    let mut table = Table::new([
        "ID", "ENDPOINT", "STATUS", "CODE", "DURATION", "TRIGGER", "AT",
    ])
    .when_empty("no attempts yet");
    for attempt in attempts {
        table.row([
            attempt.id.clone(),
            attempt.endpoint_id.clone(),
            attempt.status.clone(),
            attempt
                .response_status_code
                .map_or_else(|| "-".to_owned(), |code| code.to_string()),
            attempt
                .duration_ms
                .map_or_else(|| "-".to_owned(), |ms| format!("{ms} ms")),
            or_dash(attempt.trigger_type.as_deref()),
            attempt.created_at.map_or_else(|| "-".to_owned(), format_ms),
        ]);
    }
    table
}
