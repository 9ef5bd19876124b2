//! `clerk message-templates`: Clerk's email and SMS templates (list, get, update, revert,
//! preview, toggle-delivery). `clerk templates` is JWT templates.

use clap::{Args, Subcommand, ValueEnum};
use clerk_sdk::{
    ListMessageTemplates, MessageTemplate, PreviewMessageTemplate, TemplatePreview,
    UpdateMessageTemplate,
};

use crate::Context;
use crate::api::path;
use crate::error::CliResult;
use crate::input;
use crate::output::{Details, Table, or_dash, yes_no};
use crate::params::{PageArgs, to_body};
use crate::time::format_ms;

/// `email` or `sms`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    /// Email templates.
    Email,
    /// SMS templates.
    Sms,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Sms => "sms",
        }
    }
}

/// `clerk message-templates …`
#[derive(Debug, Subcommand)]
pub enum MessageTemplatesCommand {
    /// List the email or SMS templates, by position.
    #[command(after_help = "Example:\n  clerk message-templates list email --limit 50")]
    List(ListArgs),
    /// Show one template.
    #[command(after_help = "Example:\n  clerk message-templates get email verification_code")]
    Get(TemplateArg),
    /// Edit a template: the options given replace the template's.
    #[command(
        after_help = "Examples:\n  clerk message-templates update email verification_code --subject '{{otp_code}} for {{app.name}}' --body @code.html\n  clerk message-templates update sms invitation --body 'Join {{app.name}}: {{action_url}}'"
    )]
    Update(UpdateArgs),
    /// Revert a template to Clerk's default.
    #[command(after_help = "Example:\n  clerk message-templates revert email invitation")]
    Revert(TemplateArg),
    /// Render a template with sample values (the stored one, or what the options give).
    #[command(
        after_help = "Example:\n  clerk message-templates preview email invitation --body '<a href=\"{{action_url}}\">Join</a>'"
    )]
    Preview(PreviewArgs),
    /// Say whether Clerk delivers the template's messages (off: the app delivers them
    /// from the email.created/sms.created webhooks).
    #[command(
        after_help = "Example:\n  clerk message-templates toggle-delivery email invitation off"
    )]
    ToggleDelivery(ToggleArgs),
}

/// A template: its type and slug.
#[derive(Debug, Args)]
pub struct TemplateArg {
    /// email or sms.
    #[arg(value_enum)]
    kind: Kind,
    /// The template's slug (verification_code, invitation, …).
    slug: String,
}

/// `message-templates list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// email or sms.
    #[arg(value_enum)]
    kind: Kind,
    #[command(flatten)]
    paging: PageArgs,
}

/// `message-templates update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    template: TemplateArg,
    /// The name people see.
    #[arg(long)]
    name: Option<String>,
    /// The email subject (a Handlebars template).
    #[arg(long)]
    subject: Option<String>,
    /// The body (a Handlebars template keeping the required variables): inline, `@file`
    /// or `-` for stdin.
    #[arg(long)]
    body: Option<String>,
    /// The editor markup: inline, `@file` or `-` for stdin.
    #[arg(long)]
    markup: Option<String>,
    /// The local part of the sender's address.
    #[arg(long, value_name = "LOCAL_PART")]
    from_email_name: Option<String>,
    /// The local part of the Reply-To address.
    #[arg(long, value_name = "LOCAL_PART")]
    reply_to_email_name: Option<String>,
}

/// `message-templates preview`.
#[derive(Debug, Args)]
pub struct PreviewArgs {
    #[command(flatten)]
    template: TemplateArg,
    /// A subject to preview instead of the stored one.
    #[arg(long)]
    subject: Option<String>,
    /// A body to preview instead of the stored one: inline, `@file` or `-` for stdin.
    #[arg(long)]
    body: Option<String>,
    /// A sender local part to preview.
    #[arg(long, value_name = "LOCAL_PART")]
    from_email_name: Option<String>,
}

/// on or off.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Switch {
    /// Clerk delivers the messages.
    On,
    /// The app delivers them.
    Off,
}

/// `message-templates toggle-delivery`.
#[derive(Debug, Args)]
pub struct ToggleArgs {
    #[command(flatten)]
    template: TemplateArg,
    /// on: Clerk delivers; off: the app does.
    #[arg(value_enum)]
    delivery: Switch,
}

impl TemplateArg {
    fn path(&self, action: Option<&str>) -> CliResult<String> {
        let mut segments = vec!["templates", self.kind.as_str(), self.slug.as_str()];
        segments.extend(action);
        path(&segments)
    }
}

/// Runs a `message-templates` command.
pub async fn run(ctx: &Context, command: MessageTemplatesCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        MessageTemplatesCommand::List(args) => {
            let query = args
                .paging
                .apply(ListMessageTemplates::new())
                .to_query_pairs();
            let raw = api
                .get(&path(&["templates", args.kind.as_str()])?, &query)
                .await?;
            args.paging
                .show_page(&out, &raw, |templates: &[MessageTemplate]| table(templates))
        }
        MessageTemplatesCommand::Get(template) => {
            let raw = api.get(&template.path(None)?, &[]).await?;
            out.show(&raw, |t: MessageTemplate| details(&t))
        }
        MessageTemplatesCommand::Update(args) => {
            let mut params = UpdateMessageTemplate::new();
            if let Some(name) = args.name {
                params = params.name(name);
            }
            if let Some(subject) = args.subject {
                params = params.subject(subject);
            }
            if let Some(body) = &args.body {
                params = params.body(input::text("--body", body)?);
            }
            if let Some(markup) = &args.markup {
                params = params.markup(input::text("--markup", markup)?);
            }
            if let Some(from) = args.from_email_name {
                params = params.from_email_name(from);
            }
            if let Some(reply_to) = args.reply_to_email_name {
                params = params.reply_to_email_name(reply_to);
            }
            let raw = api
                .put(&args.template.path(None)?, to_body(&params)?)
                .await?;
            out.show(&raw, |t: MessageTemplate| details(&t))
        }
        MessageTemplatesCommand::Revert(template) => {
            let raw = api.post(&template.path(Some("revert"))?, None).await?;
            out.show(&raw, |t: MessageTemplate| details(&t))
        }
        MessageTemplatesCommand::Preview(args) => {
            let mut params = PreviewMessageTemplate::new();
            if let Some(subject) = args.subject {
                params = params.subject(subject);
            }
            if let Some(body) = &args.body {
                params = params.body(input::text("--body", body)?);
            }
            if let Some(from) = args.from_email_name {
                params = params.from_email_name(from);
            }
            let raw = api
                .post(
                    &args.template.path(Some("preview"))?,
                    Some(to_body(&params)?),
                )
                .await?;
            out.show(&raw, |p: TemplatePreview| {
                Details::new()
                    .field("From", or_dash(p.from_email_address.as_deref()))
                    .field("Subject", or_dash(p.subject.as_deref()))
                    .field("Body", or_dash(p.body.as_deref()))
            })
        }
        MessageTemplatesCommand::ToggleDelivery(args) => {
            let body =
                serde_json::json!({"delivered_by_clerk": matches!(args.delivery, Switch::On)});
            let raw = api
                .post(&args.template.path(Some("toggle_delivery"))?, Some(body))
                .await?;
            out.show(&raw, |t: MessageTemplate| details(&t))
        }
    }
}

fn flag(value: Option<bool>) -> &'static str {
    yes_no(value.unwrap_or(false))
}

fn table(templates: &[MessageTemplate]) -> Table {
    let mut table = Table::new(["SLUG", "NAME", "EDITED", "CLERK DELIVERS", "UPDATED"])
        .when_empty("no templates");
    for t in templates {
        table.row([
            t.slug.clone(),
            or_dash(t.name.as_deref()),
            flag(t.can_revert).to_owned(),
            flag(t.delivered_by_clerk).to_owned(),
            t.updated_at.map(format_ms).unwrap_or_else(|| "-".into()),
        ]);
    }
    table
}

fn details(t: &MessageTemplate) -> Details {
    Details::new()
        .field("ID", or_dash(t.id.as_deref()))
        .field("Slug", &t.slug)
        .field("Name", or_dash(t.name.as_deref()))
        .field(
            "Type",
            t.template_type.as_ref().map(|k| k.as_str()).unwrap_or("-"),
        )
        .field("Edited", flag(t.can_revert))
        .field("Clerk delivers", flag(t.delivered_by_clerk))
        .field("From", or_dash(t.from_email_name.as_deref()))
        .field("Subject", or_dash(t.subject.as_deref()))
        .field("Body", or_dash(t.body.as_deref()))
        .field("Required variables", t.required_variables.join(", "))
        .field("Available variables", t.available_variables.join(", "))
        .field(
            "Updated",
            t.updated_at.map(format_ms).unwrap_or_else(|| "-".into()),
        )
}
