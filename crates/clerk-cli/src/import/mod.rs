//! `clerk users import FILE`: creates users in bulk from a CSV file with the columns of
//! Clerk's user export, or from JSON Lines (see [`crate::migration`] for the format and how
//! a row becomes a `POST /v1/users`).
//!
//! - **Concurrent**: `--concurrency` creates in flight (default 8).
//! - **Rate-limit aware**: creates are sent with the SDK's retries off and retried here, so
//!   that one 429 pauses *every* worker for its `Retry-After` (the whole import slows down
//!   together instead of each worker retrying on its own).
//! - **Resumable**: `FILE.checkpoint` records, append-only, `["started", key]` before a
//!   row's create is sent and `["done", key, user_id]` after it succeeded (flushed to the OS
//!   at once, fsynced every 100 rows and at the end). A rerun skips done rows without any
//!   request. A row started but not done (the run was killed while its create was in
//!   flight) is first looked up by its most specific identifier (external ID, email, phone,
//!   username): found, it is marked done without a create. A row's key is its `id`, else
//!   `line:N`. `--restart` ignores the checkpoint.
//! - **Failures** don't stop the import: each failed row is written, with its error, to
//!   `FILE.failed.csv` (or `.failed.jsonl`), in the input's format, so that file can be fixed
//!   and imported in turn. The exit code is then 1.
//! - **Errors that concern every row** (a missing or wrong secret key, an API that is gone
//!   or is not the Clerk API, a checkpoint that cannot be written) stop the import instead,
//!   after the creates in flight; the rows left are not recorded, so a rerun takes them up.
//! - **Ctrl-C** stops sending, lets the creates in flight finish, records them and exits
//!   130; a second Ctrl-C exits at once (the checkpoint still knows what was started).
//! - **`--dry-run`** reads and checks every row and sends nothing.
//!
//! The parts, by job: [`rows`] reads the file into rows, [`driver`] feeds them to the
//! workers, [`importer`] creates one row's user (retrying through the [`rate_gate`] that
//! one 429 closes for everyone), [`checkpoint`] and [`failed`] are the two files the import
//! writes beside its input, [`report`] the summary, [`dry_run`] `--dry-run`.

mod checkpoint;
mod driver;
mod dry_run;
mod failed;
mod importer;
mod rate_gate;
mod report;
mod rows;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use clerk_sdk::RetryPolicy;

use crate::Context;
use crate::api::Api;
use crate::error::{CliError, CliResult};
use crate::migration::RowOptions;
use crate::progress::Progress;
use checkpoint::Checkpoint;
use driver::{Pump, PumpSummary, watch_ctrl_c};
use failed::FailedRows;
use importer::Importer;
use report::Report;
use rows::{count_rows, join_reader, spawn_reader};

/// Examples for `clerk users import --help`.
pub const EXAMPLES: &str = "\
Examples:
  clerk users import users.csv                     # Clerk's dashboard export columns
  clerk users import users.jsonl --concurrency 4
  clerk users import users.csv --id-as-external-id # keep the old IDs as external_id
  clerk users import users.csv --dry-run           # check every row, send nothing
  clerk users import users.csv                     # again after Ctrl-C: resumes, no duplicates
  clerk users import users.failed.csv              # retry the rows that failed, once fixed";

/// `users import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file: CSV (.csv) or JSON Lines (.jsonl, .ndjson); --format overrides.
    file: PathBuf,
    /// The file's format, when its extension does not say.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// How many creates to have in flight.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: u16,
    /// Send each row's `id` as the user's external_id (default: the old ID is not sent).
    #[arg(long)]
    id_as_external_id: bool,
    /// Unverified email addresses and phone numbers: create them reserved (unverified but
    /// kept for the user), or skip them.
    #[arg(long, value_enum, default_value_t = Unverified::Reserve)]
    unverified: Unverified,
    /// Ignore (and replace) FILE.checkpoint: import every row again.
    #[arg(long)]
    restart: bool,
    /// Read and check every row, send nothing: how many would be created, which are invalid.
    #[arg(long)]
    dry_run: bool,
}

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

impl Format {
    /// The format a file name implies (`None` when it does not).
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// What to do with unverified identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Unverified {
    /// Create them with status `reserved`.
    Reserve,
    /// Leave them out.
    Skip,
}

/// Runs `users import`.
pub async fn run(ctx: &Context, args: ImportArgs) -> CliResult {
    let format = args.format()?;
    let options = RowOptions {
        id_as_external_id: args.id_as_external_id,
        keep_unverified: args.unverified == Unverified::Reserve,
    };
    let total = count_rows(&args.file, format)?;
    let paths = Paths::beside(&args.file, format);
    if args.dry_run {
        let done = match args.restart {
            true => HashMap::new(),
            false => Checkpoint::load(&paths.checkpoint)?.done,
        };
        return dry_run::run(ctx, &args.file, format, &done, options).await;
    }

    let (importer, done) = prepare(ctx, &args, &paths, options)?;
    let progress = Progress::new("rows", Some(total));
    if !done.is_empty() {
        progress.note(&format!(
            "resuming: {} row(s) already imported according to {}",
            done.len(),
            paths.checkpoint.display()
        ));
    }
    let (rows, reader) = spawn_reader(args.file.clone(), format);
    let mut failed = FailedRows::new(paths.failed.clone(), format);
    let pump = Pump {
        importer: &importer,
        done: &done,
        concurrency: args.concurrency.into(),
        progress: &progress,
        failed: &mut failed,
    };
    let summary = pump.run(rows, watch_ctrl_c()).await;
    progress.finish();
    // Whatever stopped the import, what was recorded is made durable first.
    let reader_result = join_reader(reader).await;
    importer
        .sync_checkpoint()
        .map_err(|e| CliError::io(format!("cannot write {}", paths.checkpoint.display()), e))?;
    let summary = summary?;
    reader_result?;

    let report = Report {
        rows: total,
        created: importer.created(),
        found_after_interruption: importer.found(),
        already_done: summary.skipped,
        failed: failed.count(),
        failed_file: (failed.count() > 0).then(|| paths.failed.display().to_string()),
        checkpoint: paths.checkpoint.display().to_string(),
        interrupted: summary.interrupted,
    };
    report.print(ctx)?;
    outcome(summary, &failed, &paths)
}

impl ImportArgs {
    /// The input's format: `--format`, else the file's extension.
    fn format(&self) -> CliResult<Format> {
        self.format
            .or_else(|| Format::from_path(&self.file))
            .ok_or_else(|| {
                CliError::usage(format!(
                    "cannot tell the format of {}: name it .csv or .jsonl, or pass --format",
                    self.file.display()
                ))
            })
    }
}

/// The files the import writes beside its input.
struct Paths {
    /// `users.csv.checkpoint`.
    checkpoint: PathBuf,
    /// `users.failed.csv` (or `.failed.jsonl`).
    failed: PathBuf,
}

impl Paths {
    fn beside(file: &Path, format: Format) -> Self {
        let failed_suffix = match format {
            Format::Csv => ".failed.csv",
            Format::Jsonl => ".failed.jsonl",
        };
        Self {
            checkpoint: sibling(file, ".checkpoint"),
            failed: sibling(file, failed_suffix),
        }
    }
}

/// The workers' shared state, and the rows an earlier run finished. Nothing is sent yet;
/// the old failed-rows file is removed (this run writes its own).
fn prepare(
    ctx: &Context,
    args: &ImportArgs,
    paths: &Paths,
    options: RowOptions,
) -> CliResult<(Arc<Importer>, HashMap<String, String>)> {
    let builder = ctx.api_args().builder();
    // The import retries creates itself (see the module docs), so the SDK must not.
    let creates = Api::new(builder.clone().retry_policy(RetryPolicy::disabled()))?;
    if !creates.clerk().has_secret_key() {
        return Err(clerk_sdk::Error::MissingSecretKey.into());
    }
    let (checkpoint, state) = Checkpoint::open(&paths.checkpoint, args.restart)?;
    remove_if_present(&paths.failed)?;
    let lookups = Api::new(builder)?;
    let importer = Importer::new(
        creates.clerk().clone(),
        lookups.clerk().clone(),
        checkpoint,
        state.started,
        options,
    );
    Ok((Arc::new(importer), state.done))
}

/// The exit status once the report is out: a fatal error first, then an interruption,
/// then failed rows.
fn outcome(summary: PumpSummary, failed: &FailedRows, paths: &Paths) -> CliResult {
    if let Some(fatal) = summary.fatal {
        return Err(fatal);
    }
    if summary.interrupted {
        return Err(CliError::Interrupted(format!(
            "run the same command again to resume from {}",
            paths.checkpoint.display()
        )));
    }
    if failed.count() > 0 {
        return Err(CliError::RowsFailed {
            failed: failed.count(),
            report: paths.failed.display().to_string(),
        });
    }
    Ok(())
}

/// `users.csv` → `users.csv.checkpoint`, but `users.csv` → `users.failed.csv`.
fn sibling(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    match suffix {
        ".checkpoint" => name.push(suffix),
        _ => {
            // users.csv → users.failed.csv
            let stem = file.with_extension("");
            name = stem.into_os_string();
            name.push(suffix);
        }
    }
    PathBuf::from(name)
}

/// Removes a file; one that is not there is fine.
fn remove_if_present(path: &Path) -> CliResult {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(CliError::io(format!("cannot remove {}", path.display()), e))
        }
        _ => Ok(()),
    }
}
