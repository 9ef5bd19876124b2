//! `clerk instance`: the instance's settings (Protect, SMS country blocklist, OAuth
//! application settings, organization settings); `clerk domains`: its domains.

use clap::{Args, Subcommand};
use clerk_sdk::{
    DeletedObject, Domain, InstanceCommunication, InstanceProtect, OAuthApplicationSettings,
    OrganizationSettings, Page,
};
use serde_json::{Map, Value, json};

use crate::Context;
use crate::api::{Api, Raw, path};
use crate::error::CliResult;
use crate::output::{Details, Table, or_dash};
use crate::users::deleted_line;

/// `clerk instance …`: each command shows a settings document, and changes it first when
/// given options.
#[derive(Debug, Subcommand)]
pub enum InstanceCommand {
    /// Clerk Protect's switches.
    #[command(
        after_help = "Examples:\n  clerk instance protect\n  clerk instance protect --rules true"
    )]
    Protect(ProtectArgs),
    /// The countries SMS is never sent to.
    #[command(
        after_help = "Examples:\n  clerk instance sms-blocklist\n  clerk instance sms-blocklist --set KP,RU\n  clerk instance sms-blocklist --set ''"
    )]
    SmsBlocklist(SmsBlocklistArgs),
    /// The OAuth application settings.
    #[command(
        after_help = "Examples:\n  clerk instance oauth\n  clerk instance oauth --dynamic-registration true --default-scopes openid,email"
    )]
    Oauth(OauthArgs),
    /// The organization settings.
    #[command(
        after_help = "Examples:\n  clerk instance orgs\n  clerk instance orgs --max-memberships 5 --creator-role-id role_2x"
    )]
    Orgs(OrgsArgs),
}

/// `instance protect`.
#[derive(Debug, Args)]
pub struct ProtectArgs {
    /// Turn Protect's rules on or off.
    #[arg(long)]
    rules: Option<bool>,
    /// Turn Protect's device fingerprinting (Specter) on or off.
    #[arg(long)]
    specter: Option<bool>,
}

/// `instance sms-blocklist`.
#[derive(Debug, Args)]
pub struct SmsBlocklistArgs {
    /// Replace the list: ISO 3166-1 alpha-2 codes, comma-separated ('' empties it).
    #[arg(long)]
    set: Option<String>,
}

/// `instance oauth`.
#[derive(Debug, Args)]
pub struct OauthArgs {
    /// Dynamic client registration (RFC 7591).
    #[arg(long)]
    dynamic_registration: Option<bool>,
    /// JWT access tokens (else opaque).
    #[arg(long)]
    jwt_access_tokens: Option<bool>,
    /// The default scopes, comma-separated ('' goes back to Clerk's defaults).
    #[arg(long)]
    default_scopes: Option<String>,
}

/// `instance orgs`.
#[derive(Debug, Args)]
pub struct OrgsArgs {
    /// Organizations on or off.
    #[arg(long)]
    enabled: Option<bool>,
    /// The membership limit of new organizations (0: none).
    #[arg(long)]
    max_memberships: Option<i64>,
    /// Whether admins may delete their organization.
    #[arg(long)]
    admin_delete: Option<bool>,
    /// Organization slugs off.
    #[arg(long)]
    slug_disabled: Option<bool>,
    /// The ID of the role creators get (a role of the initial role set).
    #[arg(long)]
    creator_role_id: Option<String>,
    /// The ID of the role domain enrollment gives.
    #[arg(long)]
    domains_default_role_id: Option<String>,
}

/// `clerk domains …`
#[derive(Debug, Subcommand)]
pub enum DomainsCommand {
    /// List the domains: the primary (this server's URL), then the satellites.
    #[command(after_help = "Example:\n  clerk domains list")]
    List,
    /// Add a satellite domain.
    #[command(after_help = "Example:\n  clerk domains add localhost:3001")]
    Add(DomainName),
    /// Rename a satellite domain.
    #[command(after_help = "Example:\n  clerk domains rename dmn_2x localhost:3002")]
    Rename(RenameArgs),
    /// Delete a satellite domain.
    #[command(after_help = "Example:\n  clerk domains remove dmn_2x")]
    Remove(DomainId),
}

/// A domain name.
#[derive(Debug, Args)]
pub struct DomainName {
    /// The host name, with a port for development (e.g. localhost:3001).
    name: String,
}

/// A domain ID.
#[derive(Debug, Args)]
pub struct DomainId {
    /// The domain's ID (dmn_…), as `domains list` shows it.
    id: String,
}

/// `domains rename`.
#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The domain's ID (dmn_…).
    id: String,
    /// The new name.
    name: String,
}

/// Sends a GET, or a PATCH with `body` when it has fields.
async fn show_or_patch(api: &Api, path: &str, body: Map<String, Value>) -> CliResult<Raw> {
    if body.is_empty() {
        api.get(path, &[]).await
    } else {
        api.patch(path, Value::Object(body)).await
    }
}

/// `a,b` as a list; '' as an empty one.
fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Adds the fields that are set.
fn fields(pairs: Vec<(&str, Option<Value>)>) -> Map<String, Value> {
    pairs
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v)))
        .collect()
}

/// Runs an `instance` command.
pub async fn run(ctx: &Context, command: InstanceCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        InstanceCommand::Protect(a) => {
            let body = fields(vec![
                ("rules_enabled", a.rules.map(Value::Bool)),
                ("specter_enabled", a.specter.map(Value::Bool)),
            ]);
            let raw = show_or_patch(&api, "/instance/protect", body).await?;
            out.show(&raw, |p: InstanceProtect| {
                Details::new()
                    .field("Rules", p.rules_enabled)
                    .field("Specter", p.specter_enabled)
                    .field("Checks bypassed", p.checks_bypassed)
            })
        }
        InstanceCommand::SmsBlocklist(a) => {
            let body = fields(vec![(
                "blocked_country_codes",
                a.set.as_deref().map(|s| json!(list(s))),
            )]);
            let raw = show_or_patch(&api, "/instance/communication", body).await?;
            out.show(&raw, |c: InstanceCommunication| {
                if c.blocked_country_codes.is_empty() {
                    "SMS is sent to every country".to_owned()
                } else {
                    format!("SMS blocked to: {}", c.blocked_country_codes.join(", "))
                }
            })
        }
        InstanceCommand::Oauth(a) => {
            let scopes = a.default_scopes.as_deref().map(|s| {
                let scopes = list(s);
                if scopes.is_empty() {
                    Value::Null
                } else {
                    json!(scopes)
                }
            });
            let body = fields(vec![
                (
                    "dynamic_oauth_client_registration",
                    a.dynamic_registration.map(Value::Bool),
                ),
                (
                    "oauth_jwt_access_tokens",
                    a.jwt_access_tokens.map(Value::Bool),
                ),
                ("default_scopes", scopes),
            ]);
            let raw = show_or_patch(&api, "/instance/oauth_application_settings", body).await?;
            out.show(&raw, |o: OAuthApplicationSettings| {
                Details::new()
                    .field("Dynamic registration", o.dynamic_oauth_client_registration)
                    .field("JWT access tokens", o.oauth_jwt_access_tokens)
                    .field(
                        "Default scopes",
                        o.default_scopes.unwrap_or_default().join(" "),
                    )
            })
        }
        InstanceCommand::Orgs(a) => {
            let body = fields(vec![
                ("enabled", a.enabled.map(Value::Bool)),
                (
                    "max_allowed_memberships",
                    a.max_memberships.map(Value::from),
                ),
                ("admin_delete_enabled", a.admin_delete.map(Value::Bool)),
                ("slug_disabled", a.slug_disabled.map(Value::Bool)),
                ("creator_role_id", a.creator_role_id.map(Value::String)),
                (
                    "domains_default_role_id",
                    a.domains_default_role_id.map(Value::String),
                ),
            ]);
            let raw = show_or_patch(&api, "/instance/organization_settings", body).await?;
            out.show(&raw, |s: OrganizationSettings| {
                let modes: Vec<&str> = s
                    .domains_enrollment_modes
                    .iter()
                    .map(|m| m.as_str())
                    .collect();
                Details::new()
                    .field("Enabled", s.enabled)
                    .field("Max memberships", s.max_allowed_memberships)
                    .field("Creator role", &s.creator_role)
                    .field("Admin delete", s.admin_delete_enabled)
                    .field("Domains", s.domains_enabled)
                    .field("Enrollment modes", modes.join(", "))
                    .field("Domains default role", &s.domains_default_role)
                    .field(
                        "Initial role set",
                        or_dash(s.initial_role_set_key.as_deref()),
                    )
            })
        }
    }
}

/// Runs a `domains` command.
pub async fn run_domains(ctx: &Context, command: DomainsCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    let details = |d: Domain| {
        Details::new()
            .field("ID", &d.id)
            .field("Name", &d.name)
            .field("Satellite", d.is_satellite)
            .field("Frontend API", &d.frontend_api_url)
    };
    match command {
        DomainsCommand::List => {
            let raw = api.get("/domains", &[]).await?;
            out.show(&raw, |page: Page<Domain>| {
                let mut table = Table::new(["ID", "NAME", "KIND", "FRONTEND API"]);
                for d in page.data {
                    let kind = if d.is_satellite {
                        "satellite"
                    } else {
                        "primary"
                    };
                    table.row([d.id, d.name, kind.to_owned(), d.frontend_api_url]);
                }
                table
            })
        }
        DomainsCommand::Add(a) => {
            let body = json!({"name": a.name, "is_satellite": true});
            let raw = api.post("/domains", Some(body)).await?;
            out.show(&raw, details)
        }
        DomainsCommand::Rename(a) => {
            let raw = api
                .patch(&path(&["domains", &a.id])?, json!({"name": a.name}))
                .await?;
            out.show(&raw, details)
        }
        DomainsCommand::Remove(a) => {
            let raw = api.delete(&path(&["domains", &a.id])?).await?;
            out.show(&raw, |deleted: DeletedObject| deleted_line(&deleted))
        }
    }
}
