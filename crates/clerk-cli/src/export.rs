//! `clerk users export`: every user (matching the filters) to CSV with the columns of
//! Clerk's dashboard export, or to JSON Lines with each user exactly as the API sent it.
//!
//! Pages are fetched one at a time, oldest users first, and written as they arrive. Pages
//! are walked with the `starting_after` cursor, which neither skips nor repeats users created
//! or deleted during the export. An API without cursors (one that rejects `starting_after`,
//! or ignores it and answers the same page again) is walked by `offset` instead.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use clap::Args;
use clerk_sdk::{TotalCount, User};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::Context;
use crate::api::Api;
use crate::error::{CliError, CliResult};
use crate::import::Format;
use crate::migration::{COLUMNS, UserRow};
use crate::progress::Progress;
use crate::users::FilterArgs;

/// Examples for `clerk users export --help`.
pub const EXAMPLES: &str = "\
Examples:
  clerk users export -o users.csv                  # Clerk's dashboard export columns
  clerk users export -o users.jsonl                # every field, exactly as the API sends it
  clerk users export --banned true | jq -r .id     # JSON Lines on stdout
  clerk users export -o old.jsonl && clerk --api-url http://127.0.0.1:8080 users import old.jsonl

Password digests and TOTP secrets cannot be exported through the Backend API; Clerk's
dashboard export has them.";

/// `users export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    filters: FilterArgs,
    /// Write to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// csv or jsonl (default: from the output file's extension, else jsonl).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Users per request, 1 to 500.
    #[arg(long, value_name = "N", default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=500))]
    page_size: u32,
}

/// Just the ID of a user, to follow the cursor without reading the whole object.
#[derive(Deserialize)]
struct Id {
    id: String,
}

/// How the next page is asked for.
enum Walk {
    /// After this user ID (none: the first page).
    Cursor(Option<String>),
    /// From this position.
    Offset(u64),
}

/// Runs `users export`.
pub async fn run(ctx: &Context, args: ExportArgs) -> CliResult {
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(Format::from_path))
        .unwrap_or(Format::Jsonl);
    let api = ctx.api()?;
    let total: TotalCount = api
        .get("/users/count", &args.filters.to_params().to_query_pairs())
        .await?
        .parse()?;
    eprintln!(
        "note: password digests and TOTP secrets cannot be exported through the Backend API \
         ({}); Clerk's dashboard export has them",
        match format {
            Format::Csv =>
                "the totp_secret, password_digest and password_hasher columns stay empty",
            Format::Jsonl => "users are written as the API sends them, without those",
        }
    );
    let progress = Progress::new("users", u64::try_from(total.total_count).ok());
    let mut sink = Sink::open(args.output.as_ref(), format)?;
    let written = walk(&api, &args, &mut sink, &progress).await;
    progress.finish();
    let written = written?;
    sink.finish()?;
    let destination = args
        .output
        .as_ref()
        .map_or_else(|| "stdout".to_owned(), |p| p.display().to_string());
    eprintln!("exported {written} user(s) to {destination}");
    Ok(())
}

/// Fetches page after page until a short one, writing each; returns how many were written.
async fn walk(
    api: &Api,
    args: &ExportArgs,
    sink: &mut Sink,
    progress: &Progress,
) -> CliResult<u64> {
    let limit = args.page_size;
    let filters = args.filters.to_params();
    let mut walk = Walk::Cursor(None);
    let mut previous: Vec<String> = Vec::new();
    let mut written = 0u64;
    loop {
        let params = filters.clone().limit(limit).order_by("+created_at");
        let params = match &walk {
            Walk::Cursor(Some(after)) => params.starting_after(after),
            Walk::Cursor(None) => params,
            Walk::Offset(offset) => params.offset(*offset),
        };
        let page = match api.get("/users", &params.to_query_pairs()).await {
            Err(CliError::Sdk(error))
                if matches!(walk, Walk::Cursor(Some(_))) && rejects_cursor(&error) =>
            {
                progress.note("this API has no starting_after cursor: walking by offset instead");
                walk = Walk::Offset(written);
                continue;
            }
            other => other?,
        };
        let users: Vec<Box<RawValue>> = page.parse()?;
        let ids = users
            .iter()
            .map(|user| serde_json::from_str::<Id>(user.get()).map(|u| u.id))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| CliError::Unexpected(format!("a user without an id: {e}")))?;
        if matches!(walk, Walk::Cursor(Some(_))) && ids.iter().any(|id| previous.contains(id)) {
            // The cursor was ignored: this is a page we already have.
            progress.note("this API ignores the starting_after cursor: walking by offset instead");
            walk = Walk::Offset(written);
            continue;
        }
        for user in &users {
            sink.write(user)?;
        }
        sink.flush()?;
        written += users.len() as u64;
        progress.advance(users.len() as u64, String::new);
        if users.len() < limit as usize {
            return Ok(written);
        }
        walk = match walk {
            Walk::Cursor(_) => Walk::Cursor(ids.last().cloned()),
            Walk::Offset(offset) => Walk::Offset(offset + users.len() as u64),
        };
        previous = ids;
    }
}

/// An API that does not know `starting_after` (an older version) says so with a 4xx naming it.
fn rejects_cursor(error: &clerk_sdk::Error) -> bool {
    error.api_error().is_some_and(|api| {
        api.status().is_client_error()
            && api.errors().iter().any(|e| {
                let meta = e
                    .meta
                    .as_ref()
                    .and_then(|m| m.get("param_name"))
                    .and_then(|p| p.as_str());
                meta == Some("starting_after") || e.message.contains("starting_after")
            })
    })
}

/// Where users are written.
enum Sink {
    Csv(Box<csv::Writer<Box<dyn Write>>>),
    Jsonl(BufWriter<Box<dyn Write>>),
}

impl Sink {
    fn open(output: Option<&PathBuf>, format: Format) -> CliResult<Self> {
        let writer: Box<dyn Write> = match output {
            Some(path) => Box::new(
                File::create(path)
                    .map_err(|e| CliError::io(format!("cannot create {}", path.display()), e))?,
            ),
            None => Box::new(std::io::stdout()),
        };
        Ok(match format {
            Format::Csv => {
                let mut writer = csv::Writer::from_writer(writer);
                writer.write_record(COLUMNS).map_err(write_error)?;
                Sink::Csv(Box::new(writer))
            }
            Format::Jsonl => Sink::Jsonl(BufWriter::new(writer)),
        })
    }

    fn write(&mut self, user: &RawValue) -> CliResult {
        match self {
            Sink::Csv(writer) => {
                let user: User = serde_json::from_str(user.get()).map_err(|e| {
                    CliError::Unexpected(format!("a user does not read as one: {e}"))
                })?;
                writer
                    .write_record(UserRow::from_user(&user).to_csv())
                    .map_err(write_error)
            }
            Sink::Jsonl(writer) => writer
                .write_all(user.get().as_bytes())
                .and_then(|()| writer.write_all(b"\n"))
                .map_err(|e| CliError::io("cannot write the export", e)),
        }
    }

    fn flush(&mut self) -> CliResult {
        match self {
            Sink::Csv(writer) => writer.flush(),
            Sink::Jsonl(writer) => writer.flush(),
        }
        .map_err(|e| CliError::io("cannot write the export", e))
    }

    fn finish(mut self) -> CliResult {
        self.flush()
    }
}

fn write_error(error: csv::Error) -> CliError {
    match error.into_kind() {
        csv::ErrorKind::Io(io) => CliError::io("cannot write the export", io),
        other => CliError::Failed(format!("cannot write the export: {other:?}")),
    }
}
