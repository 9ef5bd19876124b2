//! `clerk api`: any Backend API endpoint, with the CLI's authentication, retries and errors;
//! prints the answer's JSON as received.

use clap::Args;
use clerk_sdk::Method;

use crate::error::{CliError, CliResult};
use crate::{Context, input};

/// `clerk api METHOD PATH`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  clerk api GET /users/count
  clerk api GET /users -q email_address=ada@example.com -q email_address=bob@example.com
  clerk api PATCH /users/user_2x -d '{\"first_name\":\"Ada\"}'
  clerk api POST /organizations -d @org.json")]
pub struct ApiCallArgs {
    /// The HTTP method: GET, POST, PATCH, PUT, DELETE.
    method: String,
    /// The path under /v1, such as /users/count.
    path: String,
    /// A query parameter KEY=VALUE (repeat the key for array parameters).
    #[arg(short, long = "query", value_name = "KEY=VALUE")]
    query: Vec<String>,
    /// The JSON body: inline, @FILE, or - for stdin.
    #[arg(short, long, value_name = "JSON")]
    data: Option<String>,
}

/// Runs `clerk api`.
pub async fn run(ctx: &Context, args: ApiCallArgs) -> CliResult {
    let method = Method::from_bytes(args.method.to_ascii_uppercase().as_bytes())
        .map_err(|_| CliError::usage(format!("{:?} is not an HTTP method", args.method)))?;
    let query = args
        .query
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .map(|(key, value)| (key.to_owned(), value.to_owned()))
                .ok_or_else(|| CliError::usage(format!("--query {pair:?}: expected KEY=VALUE")))
        })
        .collect::<CliResult<Vec<_>>>()?;
    let body = match &args.data {
        Some(data) => {
            let text = input::text("--data", data)?;
            Some(
                serde_json::from_str(&text)
                    .map_err(|e| CliError::usage(format!("--data is not valid JSON: {e}")))?,
            )
        }
        None => None,
    };
    let path = format!(
        "/{}",
        args.path.trim_start_matches('/').trim_start_matches("v1/")
    );
    let raw = ctx.api()?.send(method, &path, &query, body).await?;
    ctx.out().line(raw.text())
}
