//! `clerk api-keys`: users' and organizations' API keys (create, list, get, verify,
//! revoke, delete, reveal the secret); `clerk oauth-apps`: OAuth applications (create,
//! list, get, update, delete, rotate the client secret).

use clap::{Args, Subcommand};
use clerk_sdk::{
    ApiKey, CreateApiKey, CreateOAuthApplication, DeletedObject, ListApiKeys,
    ListOAuthApplications, OAuthApplication, UpdateOAuthApplication,
};
use serde_json::json;

use crate::Context;
use crate::api::path;
use crate::error::CliResult;
use crate::output::{Details, Table};
use crate::params::{PageArgs, to_body};
use crate::time::format_ms;
use crate::users::deleted_line;

/// `clerk api-keys …`
#[derive(Debug, Subcommand)]
pub enum ApiKeysCommand {
    /// Create an API key for a user (user_…) or an organization (org_…); prints its secret
    /// once.
    #[command(
        after_help = "Examples:\n  clerk api-keys create user_2x --name ci --scope read --scope write\n  clerk api-keys create org_2x --name deploy --expires-in 86400"
    )]
    Create(CreateArgs),
    /// List a user's or organization's keys, newest first.
    #[command(after_help = "Example:\n  clerk api-keys list user_2x --include-invalid")]
    List(ListArgs),
    /// Show one key.
    #[command(after_help = "Example:\n  clerk api-keys get ak_3beecc9c60adb5f9b850e91a8ee1e992")]
    Get(IdArgs),
    /// Verify a secret: the key it belongs to, or why it is refused.
    #[command(after_help = "Example:\n  clerk api-keys verify ak_…")]
    Verify(VerifyArgs),
    /// Revoke a key: it no longer verifies.
    #[command(after_help = "Example:\n  clerk api-keys revoke ak_3beecc9c… --reason leaked")]
    Revoke(RevokeArgs),
    /// Delete a key.
    #[command(after_help = "Example:\n  clerk api-keys delete ak_3beecc9c60adb5f9b850e91a8ee1e992")]
    Delete(IdArgs),
    /// Print a key's secret.
    #[command(after_help = "Example:\n  clerk api-keys secret ak_3beecc9c60adb5f9b850e91a8ee1e992")]
    Secret(IdArgs),
}

/// `api-keys create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The user (user_…) or organization (org_…) the key acts for.
    subject: String,
    /// The key's name (3 characters or more).
    #[arg(long)]
    name: String,
    /// What it is for.
    #[arg(long)]
    description: Option<String>,
    /// A scope it grants (repeatable).
    #[arg(long = "scope")]
    scopes: Vec<String>,
    /// Custom claims, a JSON value.
    #[arg(long)]
    claims: Option<String>,
    /// Seconds until it expires (default: never).
    #[arg(long)]
    expires_in: Option<i64>,
}

/// `api-keys list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The user (user_…) or organization (org_…).
    subject: String,
    /// Also revoked and expired keys.
    #[arg(long)]
    include_invalid: bool,
    /// Keys whose name contains this text.
    #[arg(long)]
    query: Option<String>,
    #[command(flatten)]
    paging: PageArgs,
}

/// A key's ID.
#[derive(Debug, Args)]
pub struct IdArgs {
    /// The key's ID (ak_…).
    id: String,
}

/// `api-keys verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The secret (ak_…).
    secret: String,
}

/// `api-keys revoke`.
#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The key's ID (ak_…).
    id: String,
    /// Why.
    #[arg(long)]
    reason: Option<String>,
}

/// Runs an `api-keys` command.
pub async fn run(ctx: &Context, command: ApiKeysCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        ApiKeysCommand::Create(args) => {
            let mut params = CreateApiKey::new(args.name, args.subject).scopes(args.scopes);
            if let Some(description) = args.description {
                params = params.description(description);
            }
            if let Some(claims) = args.claims {
                let claims = serde_json::from_str(&claims).map_err(|e| {
                    crate::error::CliError::usage(format!("--claims is not JSON: {e}"))
                })?;
                params = params.claims(claims);
            }
            if let Some(seconds) = args.expires_in {
                params = params.seconds_until_expiration(seconds);
            }
            let raw = api.post("/api_keys", Some(to_body(&params)?)).await?;
            out.show(&raw, |key: ApiKey| {
                let secret = key.secret.clone().unwrap_or_default();
                key_details(&key).field("Secret (shown once)", secret)
            })
        }
        ApiKeysCommand::List(args) => {
            let mut params = ListApiKeys::new(args.subject).include_invalid(args.include_invalid);
            if let Some(query) = args.query {
                params = params.query(query);
            }
            let query = args.paging.apply(params).to_query_pairs();
            let raw = api.get("/api_keys", &query).await?;
            args.paging.show_page(&out, &raw, keys_table)
        }
        ApiKeysCommand::Get(args) => {
            let raw = api.get(&path(&["api_keys", &args.id])?, &[]).await?;
            out.show(&raw, |key: ApiKey| key_details(&key))
        }
        ApiKeysCommand::Verify(args) => {
            let raw = api
                .post("/api_keys/verify", Some(json!({ "secret": args.secret })))
                .await?;
            out.show(&raw, |key: ApiKey| key_details(&key))
        }
        ApiKeysCommand::Revoke(args) => {
            let raw = api
                .post(
                    &path(&["api_keys", &args.id, "revoke"])?,
                    Some(json!({ "revocation_reason": args.reason })),
                )
                .await?;
            out.show(&raw, |key: ApiKey| key_details(&key))
        }
        ApiKeysCommand::Delete(args) => {
            let raw = api.delete(&path(&["api_keys", &args.id])?).await?;
            out.show(&raw, |deleted: DeletedObject| deleted_line(&deleted))
        }
        ApiKeysCommand::Secret(args) => {
            let raw = api
                .get(&path(&["api_keys", &args.id, "secret"])?, &[])
                .await?;
            out.show(&raw, |secret: clerk_sdk::ApiKeySecret| {
                Details::new().field("Secret", secret.secret)
            })
        }
    }
}

fn key_details(key: &ApiKey) -> Details {
    Details::new()
        .field("ID", key.id.clone())
        .field("Name", key.name.clone())
        .field("Subject", key.subject.clone())
        .field("Scopes", key.scopes.join(" "))
        .field_opt("Description", key.description.clone())
        .field("Revoked", key.revoked)
        .field_opt("Revocation reason", key.revocation_reason.clone())
        .field("Expired", key.expired)
        .field_opt("Expires", key.expiration.map(format_ms))
        .field_opt("Last used", key.last_used_at.map(format_ms))
        .field("Created", format_ms(key.created_at))
}

fn keys_table(keys: &[ApiKey]) -> Table {
    let mut table = Table::new(["ID", "NAME", "SCOPES", "STATE", "LAST USED", "CREATED"])
        .when_empty("no API keys");
    for key in keys {
        let state = if key.revoked {
            "revoked"
        } else if key.expired {
            "expired"
        } else {
            "valid"
        };
        table.row([
            key.id.clone(),
            key.name.clone(),
            key.scopes.join(" "),
            state.to_owned(),
            key.last_used_at.map(format_ms).unwrap_or_default(),
            format_ms(key.created_at),
        ]);
    }
    table
}

/// `clerk oauth-apps …`
#[derive(Debug, Subcommand)]
pub enum OAuthAppsCommand {
    /// Create an OAuth application; prints its client secret once.
    #[command(
        after_help = "Example:\n  clerk oauth-apps create Zapier --redirect-uri https://zapier.com/cb --scopes 'profile email'"
    )]
    Create(AppArgs),
    /// List OAuth applications, oldest first.
    #[command(after_help = "Example:\n  clerk oauth-apps list --name-query zap")]
    List(AppListArgs),
    /// Show one application.
    #[command(after_help = "Example:\n  clerk oauth-apps get oa_2x")]
    Get(AppIdArgs),
    /// Change an application's name, redirect URIs, scopes or flags.
    #[command(
        after_help = "Example:\n  clerk oauth-apps update oa_2x --name 'Zapier 2' --pkce-required true"
    )]
    Update(AppUpdateArgs),
    /// Delete an application and its tokens.
    #[command(after_help = "Example:\n  clerk oauth-apps delete oa_2x")]
    Delete(AppIdArgs),
    /// Replace the client secret; prints the new one once.
    #[command(after_help = "Example:\n  clerk oauth-apps rotate-secret oa_2x")]
    RotateSecret(AppIdArgs),
}

/// `oauth-apps create`.
#[derive(Debug, Args)]
pub struct AppArgs {
    /// The application's name.
    name: String,
    /// A redirect URI (repeatable).
    #[arg(long = "redirect-uri")]
    redirect_uris: Vec<String>,
    /// Space-separated scopes (default "profile email").
    #[arg(long)]
    scopes: Option<String>,
    /// A public client (PKCE, no secret).
    #[arg(long)]
    public: bool,
}

/// `oauth-apps list`.
#[derive(Debug, Args)]
pub struct AppListArgs {
    /// Applications whose name contains this text.
    #[arg(long)]
    name_query: Option<String>,
    #[command(flatten)]
    paging: PageArgs,
}

/// `oauth-apps update`.
#[derive(Debug, Args)]
pub struct AppUpdateArgs {
    /// The application's ID (oa_…).
    id: String,
    /// A new name.
    #[arg(long)]
    name: Option<String>,
    /// Replaces the redirect URIs (repeatable).
    #[arg(long = "redirect-uri")]
    redirect_uris: Vec<String>,
    /// Space-separated scopes.
    #[arg(long)]
    scopes: Option<String>,
    /// Whether PKCE is required.
    #[arg(long)]
    pkce_required: Option<bool>,
    /// Whether users see a consent screen.
    #[arg(long)]
    consent_screen_enabled: Option<bool>,
}

/// An application's ID.
#[derive(Debug, Args)]
pub struct AppIdArgs {
    /// The application's ID (oa_…).
    id: String,
}

/// Runs an `oauth-apps` command.
pub async fn run_oauth_apps(ctx: &Context, command: OAuthAppsCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    let with_secret = |app: OAuthApplication| {
        let secret = app.client_secret.clone();
        app_details(&app).field_opt("Client secret (shown once)", secret)
    };
    match command {
        OAuthAppsCommand::Create(args) => {
            let mut params = CreateOAuthApplication::new(args.name)
                .redirect_uris(args.redirect_uris)
                .public(args.public);
            if let Some(scopes) = args.scopes {
                params = params.scopes(scopes);
            }
            let raw = api
                .post("/oauth_applications", Some(to_body(&params)?))
                .await?;
            out.show(&raw, with_secret)
        }
        OAuthAppsCommand::List(args) => {
            let mut params = ListOAuthApplications::new();
            if let Some(name_query) = args.name_query {
                params = params.name_query(name_query);
            }
            let query = args.paging.apply(params).to_query_pairs();
            let raw = api.get("/oauth_applications", &query).await?;
            args.paging.show_page(&out, &raw, apps_table)
        }
        OAuthAppsCommand::Get(args) => {
            let raw = api
                .get(&path(&["oauth_applications", &args.id])?, &[])
                .await?;
            out.show(&raw, |app: OAuthApplication| app_details(&app))
        }
        OAuthAppsCommand::Update(args) => {
            let mut params = UpdateOAuthApplication::new();
            if let Some(name) = args.name {
                params = params.name(name);
            }
            if !args.redirect_uris.is_empty() {
                params = params.redirect_uris(args.redirect_uris);
            }
            if let Some(scopes) = args.scopes {
                params = params.scopes(scopes);
            }
            if let Some(pkce) = args.pkce_required {
                params = params.pkce_required(pkce);
            }
            if let Some(consent) = args.consent_screen_enabled {
                params = params.consent_screen_enabled(consent);
            }
            let raw = api
                .patch(&path(&["oauth_applications", &args.id])?, to_body(&params)?)
                .await?;
            out.show(&raw, |app: OAuthApplication| app_details(&app))
        }
        OAuthAppsCommand::Delete(args) => {
            let raw = api
                .delete(&path(&["oauth_applications", &args.id])?)
                .await?;
            out.show(&raw, |deleted: DeletedObject| deleted_line(&deleted))
        }
        OAuthAppsCommand::RotateSecret(args) => {
            let raw = api
                .post(
                    &path(&["oauth_applications", &args.id, "rotate_secret"])?,
                    None,
                )
                .await?;
            out.show(&raw, with_secret)
        }
    }
}

fn app_details(app: &OAuthApplication) -> Details {
    Details::new()
        .field("ID", app.id.clone())
        .field("Name", app.name.clone())
        .field("Client ID", app.client_id.clone())
        .field("Scopes", app.scopes.clone())
        .field("Redirect URIs", app.redirect_uris.join(" "))
        .field("Public", app.public)
        .field("PKCE required", app.pkce_required)
        .field("Authorize URL", app.authorize_url.clone())
        .field("Token URL", app.token_fetch_url.clone())
        .field("Created", format_ms(app.created_at))
}

fn apps_table(apps: &[OAuthApplication]) -> Table {
    let mut table = Table::new(["ID", "NAME", "CLIENT ID", "SCOPES", "CREATED"])
        .when_empty("no OAuth applications");
    for app in apps {
        table.row([
            app.id.clone(),
            app.name.clone(),
            app.client_id.clone(),
            app.scopes.clone(),
            format_ms(app.created_at),
        ]);
    }
    table
}
