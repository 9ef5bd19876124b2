//! `clerk emails`, `clerk sms` and `clerk outbox`: messages sent through the Backend API, and
//! what a local clerk-server "sent" (its outbox, a local extension).

use clap::{Args, Subcommand};
use clerk_sdk::{CreateEmail, CreateSmsMessage, Email, Method, Page, SmsMessage};
use serde_json::Value;

use crate::error::CliResult;
use crate::output::{Details, Table, or_dash};
use crate::params::to_body;
use crate::{Context, input};

/// `clerk emails …`
#[derive(Debug, Subcommand)]
pub enum EmailsCommand {
    /// Send an email to one of a user's email addresses (legacy; clerk.com answers 403 on
    /// new instances, clerk-server puts it in its outbox).
    #[command(
        after_help = "Examples:\n  clerk emails send --email-address-id idn_2x --subject Welcome --body '<p>Hello!</p>'\n  clerk emails send --email-address-id idn_2x --from-email-name support --subject Hi --body @welcome.html"
    )]
    Send(EmailArgs),
}

/// `emails send`.
#[derive(Debug, Args)]
pub struct EmailArgs {
    /// The recipient: an email address ID of a user (idn_…).
    #[arg(long, value_name = "ID")]
    email_address_id: String,
    /// The sender's local part: `noreply` sends from `noreply@` your domain.
    #[arg(long, value_name = "NAME", default_value = "noreply")]
    from_email_name: String,
    /// The subject.
    #[arg(long)]
    subject: Option<String>,
    /// The HTML body: text, @FILE, or - for stdin.
    #[arg(long)]
    body: Option<String>,
    /// A Clerk email template to render instead of --body.
    #[arg(long, value_name = "SLUG")]
    template_slug: Option<String>,
}

/// `clerk sms …`
#[derive(Debug, Subcommand)]
pub enum SmsCommand {
    /// Send an SMS to one of a user's phone numbers (deprecated: Clerk no longer sends SMS
    /// through the Backend API; clerk-server puts it in its outbox).
    #[command(
        after_help = "Example:\n  clerk sms send --phone-number-id idn_2x --message 'Your order shipped'"
    )]
    Send(SmsArgs),
}

/// `sms send`.
#[derive(Debug, Args)]
pub struct SmsArgs {
    /// The recipient: a phone number ID of a user (idn_…).
    #[arg(long, value_name = "ID")]
    phone_number_id: String,
    /// The text of the message.
    #[arg(long)]
    message: String,
}

/// `clerk outbox …` (clerk-server only)
#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// List the emails and SMS messages the server sent, newest first.
    #[command(
        after_help = "Examples:\n  clerk outbox list\n  clerk outbox list --type email --to ada@example.com\n  clerk --json outbox list | jq -r '.data[0].body'"
    )]
    List(OutboxListArgs),
    /// Show one message, body included, and the verification code it carries, if any.
    #[command(
        after_help = "Examples:\n  clerk outbox show ema_2x\n  clerk --json outbox show sms_2x | jq -r .message"
    )]
    Show(OutboxShowArgs),
    /// Empty the outbox.
    #[command(after_help = "Example:\n  clerk outbox clear")]
    Clear,
}

/// `outbox list`.
#[derive(Debug, Args)]
pub struct OutboxListArgs {
    /// Only this kind of message: email or sms_message.
    #[arg(long = "type", value_name = "TYPE")]
    kind: Option<String>,
    /// Only messages to this email address or phone number.
    #[arg(long, value_name = "ADDRESS")]
    to: Option<String>,
    /// Messages per page (default 10).
    #[arg(long, value_name = "N")]
    limit: Option<u32>,
    /// Skip this many messages.
    #[arg(long, value_name = "N")]
    offset: Option<u64>,
}

/// `outbox show`.
#[derive(Debug, Args)]
pub struct OutboxShowArgs {
    /// The message's ID (ema_… or sms_…), as `outbox list` shows it.
    id: String,
}

/// Runs an `emails` command.
pub async fn run_emails(ctx: &Context, command: EmailsCommand) -> CliResult {
    let EmailsCommand::Send(args) = command;
    let api = ctx.api()?;
    let mut params = CreateEmail::new(args.email_address_id, args.from_email_name);
    if let Some(subject) = args.subject {
        params = params.subject(subject);
    }
    if let Some(body) = &args.body {
        params = params.body(input::text("--body", body)?);
    }
    if let Some(slug) = args.template_slug {
        params = params.template_slug(slug);
    }
    let raw = api.post("/emails", Some(to_body(&params)?)).await?;
    ctx.out().show(&raw, |email: Email| {
        Details::new()
            .field("ID", &email.id)
            .field("To", or_dash(email.to_email_address.as_deref()))
            .field("From", &email.from_email_name)
            .field("Subject", or_dash(email.subject.as_deref()))
            .field("Status", or_dash(email.status.as_deref()))
    })
}

/// Runs an `sms` command; warns (on stderr) that the endpoint is deprecated.
pub async fn run_sms(ctx: &Context, command: SmsCommand) -> CliResult {
    let SmsCommand::Send(args) = command;
    eprintln!(
        "warning: SMS messages are deprecated: Clerk no longer sends SMS through the Backend API \
         (POST /v1/sms_messages); clerk-server still accepts them into its outbox"
    );
    let api = ctx.api()?;
    let params = CreateSmsMessage::new(args.phone_number_id, args.message);
    let raw = api.post("/sms_messages", Some(to_body(&params)?)).await?;
    ctx.out().show(&raw, |sms: SmsMessage| {
        Details::new()
            .field("ID", &sms.id)
            .field("To", &sms.to_phone_number)
            .field("From", &sms.from_phone_number)
            .field("Message", &sms.message)
            .field("Status", &sms.status)
    })
}

/// Runs an `outbox` command (`/v1/_local/outbox`).
pub async fn run_outbox(ctx: &Context, command: OutboxCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        OutboxCommand::List(args) => {
            let query: Vec<(String, String)> = [
                ("type", args.kind),
                ("to", args.to),
                ("limit", args.limit.map(|n| n.to_string())),
                ("offset", args.offset.map(|n| n.to_string())),
            ]
            .into_iter()
            .filter_map(|(key, value)| Some((key.to_owned(), value?)))
            .collect();
            let raw = api
                .send_local(Method::GET, "/_local/outbox", &query)
                .await?;
            out.show(&raw, |page: Page<Value>| outbox_table(&page))
        }
        OutboxCommand::Show(args) => {
            let path = crate::api::path(&["_local", "outbox", &args.id])?;
            let raw = api.send_local(Method::GET, &path, &[]).await?;
            out.show(&raw, |item: Value| message_details(&item))
        }
        OutboxCommand::Clear => {
            let raw = api
                .send_local(Method::DELETE, "/_local/outbox", &[])
                .await?;
            out.show(&raw, |cleared: Value| {
                format!(
                    "removed {} message(s) from the outbox",
                    cleared["deleted_count"].as_i64().unwrap_or(0)
                )
            })
        }
    }
}

/// Emails and SMS messages side by side: both are kept as JSON, their shapes differ.
fn outbox_table(page: &Page<Value>) -> String {
    let mut table = Table::new(["ID", "TYPE", "TO", "SUBJECT / MESSAGE", "STATUS"])
        .when_empty("the outbox is empty");
    let text = |item: &Value, key: &str| item[key].as_str().map(str::to_owned);
    for item in &page.data {
        let to = text(item, "to_email_address").or_else(|| text(item, "to_phone_number"));
        let about = text(item, "subject").or_else(|| text(item, "message"));
        table.row([
            or_dash(item["id"].as_str()),
            or_dash(item["object"].as_str()),
            or_dash(to.as_deref()),
            or_dash(about.as_deref()),
            or_dash(item["status"].as_str()),
        ]);
    }
    match page.total_count {
        Some(total) if total > page.data.len() as i64 && !page.data.is_empty() => {
            format!(
                "{table}\n({} of {total}; see --limit and --offset)",
                page.data.len()
            )
        }
        _ => table.to_string(),
    }
}

/// One outbox message: who, what, the code it carries, then its body.
fn message_details(item: &Value) -> String {
    let text = |key: &str| item[key].as_str();
    let to = text("to_email_address").or(text("to_phone_number"));
    let from = text("from_email_name").or(text("from_phone_number"));
    let body = text("body").or(text("message")).unwrap_or_default();
    let details = Details::new()
        .field("ID", or_dash(text("id")))
        .field("Type", or_dash(text("object")))
        .field("To", or_dash(to))
        .field("From", or_dash(from))
        .field_opt("Subject", text("subject"))
        .field("Template", or_dash(text("slug")))
        .field("Status", or_dash(text("status")))
        .field_opt("Delivered by Clerk", item["delivered_by_clerk"].as_bool())
        .field_opt("Code", verification_code(item));
    format!("{details}\n\n{body}")
}

/// The one-time code a message carries: `data.otp_code` when the server gave it, else the
/// first run of exactly six digits in its text (how Clerk's code emails and SMS show it).
fn verification_code(item: &Value) -> Option<String> {
    if let Some(code) = item["data"]["otp_code"].as_str() {
        return Some(code.to_owned());
    }
    let text = item["body"].as_str().or(item["message"].as_str())?;
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        if !bytes[start].is_ascii_digit() {
            start += 1;
            continue;
        }
        let end = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .map_or(bytes.len(), |n| start + n);
        if end - start == 6 {
            return Some(text[start..end].to_owned());
        }
        start = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::verification_code;

    #[test]
    fn finds_the_code_a_message_carries() {
        let code = |item| verification_code(&item);
        assert_eq!(
            code(json!({"data": {"otp_code": "042424"}})),
            Some("042424".into())
        );
        assert_eq!(
            code(json!({"message": "123456 is your verification code", "data": {}})),
            Some("123456".into())
        );
        assert_eq!(
            code(json!({"body": "<p>Call 5555550100, code <b>987654</b>.</p>"})),
            Some("987654".into())
        );
        assert_eq!(code(json!({"body": "<p>No code here, 2026.</p>"})), None);
    }
}
