//! `clerk tokens verify`: check a session token without the Backend API, the way a backend
//! does on every request (`clerk_sdk::verify::Verifier`).

use std::time::Duration;

use clap::{Args, Subcommand};
use clerk_sdk::SecretKey;
use clerk_sdk::verify::{DEFAULT_LEEWAY, Verifier, VerifierBuilder};

use crate::error::{CliError, CliResult};
use crate::{Context, input};

/// `clerk tokens …`
#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// Verify a session token; prints its claims as JSON (exit 0) or why it was rejected
    /// (exit 1).
    #[command(after_help = VERIFY_EXAMPLES)]
    Verify(VerifyArgs),
}

const VERIFY_EXAMPLES: &str = "\
Keys come from --jwt-key, else --jwks-url, else CLERK_JWT_KEY (the PEM itself), else
CLERK_JWKS_URL, else the API's GET /v1/jwks (this one needs the secret key).

Examples:
  clerk tokens verify \"$TOKEN\" --jwks-url http://127.0.0.1:8080/.well-known/jwks.json
  clerk tokens verify \"$TOKEN\" --jwt-key clerk-jwt-key.pem --authorized-party https://app.example.com
  echo \"$TOKEN\" | clerk tokens verify - --issuer https://clerk.example.com --leeway 10
  clerk tokens verify \"$TOKEN\" | jq -r .sub";

/// `tokens verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The session token; - reads it from stdin.
    // Held as the SDK's SecretKey, its one string that never shows in `Debug`.
    token: SecretKey,
    /// Fetch the keys from this JWKS URL (no secret key needed), such as
    /// `https://YOUR-FRONTEND-API/.well-known/jwks.json`.
    #[arg(long, value_name = "URL", conflicts_with = "jwt_key")]
    jwks_url: Option<String>,
    /// Verify with this PEM public key file (the dashboard's "JWT public key"): no network.
    #[arg(long, value_name = "FILE")]
    jwt_key: Option<std::path::PathBuf>,
    /// Require this `iss` (your Frontend API URL).
    #[arg(long, value_name = "URL")]
    issuer: Option<String>,
    /// Require `azp`, when present, to be this origin (repeat for several).
    #[arg(long, value_name = "ORIGIN")]
    authorized_party: Vec<String>,
    /// Clock-skew allowance for exp, nbf and iat, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_LEEWAY.as_secs())]
    leeway: u64,
}

/// Runs a `tokens` command.
pub async fn run(ctx: &Context, command: TokensCommand) -> CliResult {
    let TokensCommand::Verify(args) = command;
    let token = input::token(args.token.expose())?;
    let verifier = key_source(ctx, &args)?
        .leeway(Duration::from_secs(args.leeway))
        .authorized_parties(args.authorized_party.clone());
    let verifier = match &args.issuer {
        Some(issuer) => verifier.issuer(issuer),
        None => verifier,
    };
    let verifier = verifier
        .build()
        .map_err(|e| CliError::Config(format!("cannot verify tokens: {e}")))?;
    let claims = verifier.verify_token(&token).await?;
    ctx.out().json_value(&claims)
}

/// Where the keys come from, in the order `--help` gives.
fn key_source(ctx: &Context, args: &VerifyArgs) -> CliResult<VerifierBuilder> {
    if let Some(file) = &args.jwt_key {
        let pem = std::fs::read_to_string(file)
            .map_err(|e| CliError::io(format!("cannot read the JWT key {}", file.display()), e))?;
        return Ok(Verifier::builder_pem(pem));
    }
    if let Some(url) = &args.jwks_url {
        return jwks_url(url);
    }
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if let Some(pem) = env("CLERK_JWT_KEY") {
        return Ok(Verifier::builder_pem(pem));
    }
    if let Some(url) = env("CLERK_JWKS_URL") {
        return jwks_url(&url);
    }
    // The Backend API's GET /v1/jwks, authenticated like every other call.
    match ctx.api()?.clerk().backend_api_jwks() {
        Ok(source) => Ok(Verifier::builder(source)),
        Err(clerk_sdk::Error::MissingSecretKey) => Err(CliError::Config(
            "no keys to verify with: give --jwks-url URL or --jwt-key FILE (or set CLERK_JWT_KEY, \
             CLERK_JWKS_URL, or CLERK_SECRET_KEY to use the API's keys)"
                .into(),
        )),
        Err(other) => Err(other.into()),
    }
}

fn jwks_url(url: &str) -> CliResult<VerifierBuilder> {
    Verifier::builder_jwks_url(url).map_err(|e| CliError::Config(format!("--jwks-url: {e}")))
}
