//! `clerk templates`: JWT templates (list, get, create, update, delete) and minting a
//! session's token from one, printed with its decoded claims.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clap::{Args, Subcommand};
use clerk_sdk::{
    CreateJwtTemplate, CreateSessionToken, DeletedObject, JwtTemplate, ListJwtTemplates, Token,
};
use serde_json::{Map, Value, json};

use crate::Context;
use crate::api::path;
use crate::error::{CliError, CliResult};
use crate::input;
use crate::output::{Details, Table, compact_json, yes_no};
use crate::params::{PageArgs, to_body};
use crate::time::format_ms;
use crate::users::deleted_line;

/// `clerk templates …`
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// List the JWT templates.
    #[command(after_help = "Example:\n  clerk templates list")]
    List(PageArgs),
    /// Show one template, by ID (jtmp_…).
    #[command(after_help = "Example:\n  clerk templates get jtmp_2x")]
    Get(IdArg),
    /// Create a template from claims with shortcodes.
    #[command(
        after_help = "Examples:\n  clerk templates create supabase --claims '{\"email\":\"{{user.primary_email_address}}\",\"role\":\"authenticated\"}'\n  clerk templates create hasura --claims @claims.json --algorithm HS256 --signing-key @secret.txt"
    )]
    Create(CreateArgs),
    /// Change a template: the options given replace the template's (name and claims are
    /// kept when not given).
    #[command(after_help = "Example:\n  clerk templates update jtmp_2x --lifetime 3600")]
    Update(UpdateArgs),
    /// Delete a template.
    #[command(after_help = "Example:\n  clerk templates delete jtmp_2x")]
    Delete(IdArg),
    /// Mint a session's token from a template; prints the token, then its claims.
    #[command(after_help = "Example:\n  clerk templates mint sess_2x supabase --expires-in 300")]
    Mint(MintArgs),
}

/// A template ID.
#[derive(Debug, Args)]
pub struct IdArg {
    /// The template's ID (jtmp_…).
    id: String,
}

/// What create and update share.
#[derive(Debug, Args)]
pub struct TemplateOptions {
    /// The claims, a JSON object: inline, `@file.json` or `-` for stdin.
    #[arg(long)]
    claims: Option<String>,
    /// Token lifetime in seconds (30 to 315360000; default 60).
    #[arg(long, value_name = "SECONDS")]
    lifetime: Option<i64>,
    /// Allowed clock skew in seconds, `nbf` before `iat` (0 to 300; default 5).
    #[arg(long, value_name = "SECONDS")]
    clock_skew: Option<i64>,
    /// Sign with the template's own key using this algorithm (HS256/384/512, RS256/384/512,
    /// ES256/384/512); needs --signing-key.
    #[arg(long, value_name = "ALG")]
    algorithm: Option<String>,
    /// The template's own key: a shared secret (HS*) or a PEM private key (RS*, ES*), as
    /// `@file` or `-` for stdin (inline text shows in `ps`).
    #[arg(long, value_name = "KEY")]
    signing_key: Option<String>,
    /// Sign with the instance's keys again (drops a custom key).
    #[arg(long, conflicts_with_all = ["algorithm", "signing_key"])]
    instance_key: bool,
}

/// `templates create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The template's name (what tokens are minted by).
    name: String,
    #[command(flatten)]
    options: TemplateOptions,
}

/// `templates update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The template's ID (jtmp_…).
    id: String,
    /// A new name.
    #[arg(long)]
    name: Option<String>,
    #[command(flatten)]
    options: TemplateOptions,
}

/// `templates mint`.
#[derive(Debug, Args)]
pub struct MintArgs {
    /// The session (sess_…).
    session_id: String,
    /// The template's name.
    template: String,
    /// Override the template's lifetime, in seconds.
    #[arg(long, value_name = "SECONDS")]
    expires_in: Option<u64>,
}

/// Runs a `templates` command.
pub async fn run(ctx: &Context, command: TemplatesCommand) -> CliResult {
    let api = ctx.api()?;
    let out = ctx.out();
    match command {
        TemplatesCommand::List(paging) => {
            let query = paging.apply(ListJwtTemplates::new()).to_query_pairs();
            let raw = api.get("/jwt_templates", &query).await?;
            paging.show_page(&out, &raw, |templates: &[JwtTemplate]| {
                templates_table(templates)
            })
        }
        TemplatesCommand::Get(IdArg { id }) => {
            let raw = api.get(&path(&["jwt_templates", &id])?, &[]).await?;
            out.show(&raw, |t: JwtTemplate| template_details(&t))
        }
        TemplatesCommand::Create(args) => {
            let claims = match &args.options.claims {
                Some(text) => object(input::json_object("--claims", text)?),
                None => Map::new(),
            };
            let params = args
                .options
                .apply(CreateJwtTemplate::new(args.name, claims))?;
            let raw = api.post("/jwt_templates", Some(to_body(&params)?)).await?;
            out.show(&raw, |t: JwtTemplate| template_details(&t))
        }
        TemplatesCommand::Update(args) => {
            // The API replaces name and claims: keep the template's when not given.
            let current: JwtTemplate = api
                .get(&path(&["jwt_templates", &args.id])?, &[])
                .await?
                .parse()?;
            let claims = match &args.options.claims {
                Some(text) => object(input::json_object("--claims", text)?),
                None => current.claims,
            };
            let name = args.name.unwrap_or(current.name);
            let params = args.options.apply(CreateJwtTemplate::new(name, claims))?;
            let raw = api
                .patch(&path(&["jwt_templates", &args.id])?, to_body(&params)?)
                .await?;
            out.show(&raw, |t: JwtTemplate| template_details(&t))
        }
        TemplatesCommand::Delete(IdArg { id }) => {
            let raw = api.delete(&path(&["jwt_templates", &id])?).await?;
            out.show(&raw, |deleted: DeletedObject| deleted_line(&deleted))
        }
        TemplatesCommand::Mint(args) => {
            let mut params = CreateSessionToken::new();
            if let Some(seconds) = args.expires_in {
                params = params.expires_in_seconds(seconds);
            }
            let token_path = path(&["sessions", &args.session_id, "tokens", &args.template])?;
            let raw = api.post(&token_path, Some(to_body(&params)?)).await?;
            let token: Token = raw.parse()?;
            let jwt = token.jwt.unwrap_or_default();
            let claims = decode_claims(&jwt)?;
            if out.is_json() {
                out.json_value(&json!({"object": "token", "jwt": jwt, "claims": claims}))
            } else {
                out.line(&jwt)?;
                out.json_value(&claims)
            }
        }
    }
}

impl TemplateOptions {
    /// `params` with the lifetime, skew and signing key given.
    fn apply(&self, mut params: CreateJwtTemplate) -> CliResult<CreateJwtTemplate> {
        if let Some(lifetime) = self.lifetime {
            params = params.lifetime(lifetime);
        }
        if let Some(skew) = self.clock_skew {
            params = params.allowed_clock_skew(skew);
        }
        if self.instance_key {
            params = params.instance_signing_key();
        }
        match (&self.algorithm, &self.signing_key) {
            (Some(algorithm), Some(key)) => {
                let key = input::text("--signing-key", key)?;
                params = params.custom_signing_key(algorithm, key.trim_end_matches(['\n', '\r']));
            }
            (None, None) => {}
            _ => {
                return Err(CliError::usage("--algorithm and --signing-key go together"));
            }
        }
        Ok(params)
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The claims of a JWT, decoded without verification (the key may be the template's own).
fn decode_claims(jwt: &str) -> CliResult<Value> {
    let part = jwt
        .split('.')
        .nth(1)
        .ok_or_else(|| CliError::Unexpected("the answer holds no JWT".into()))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| CliError::Unexpected("the token's claims are not base64url".into()))?;
    serde_json::from_slice(&bytes)
        .map_err(|_| CliError::Unexpected("the token's claims are not JSON".into()))
}

fn templates_table(templates: &[JwtTemplate]) -> Table {
    let mut table = Table::new(["ID", "NAME", "LIFETIME", "SKEW", "ALGORITHM", "CREATED"])
        .when_empty("no JWT templates");
    for t in templates {
        table.row([
            t.id.clone(),
            t.name.clone(),
            format!("{}s", t.lifetime),
            format!("{}s", t.allowed_clock_skew),
            algorithm(t),
            format_ms(t.created_at),
        ]);
    }
    table
}

fn algorithm(t: &JwtTemplate) -> String {
    if t.custom_signing_key {
        format!("{} (own key)", t.signing_algorithm)
    } else {
        format!("{} (instance keys)", t.signing_algorithm)
    }
}

fn template_details(t: &JwtTemplate) -> Details {
    Details::new()
        .field("ID", &t.id)
        .field("Name", &t.name)
        .field("Claims", compact_json(&t.claims))
        .field("Lifetime", format!("{}s", t.lifetime))
        .field("Clock skew", format!("{}s", t.allowed_clock_skew))
        .field("Own signing key", yes_no(t.custom_signing_key))
        .field("Algorithm", algorithm(t))
        .field("Created", format_ms(t.created_at))
        .field("Updated", format_ms(t.updated_at))
}
