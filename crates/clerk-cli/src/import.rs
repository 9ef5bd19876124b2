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

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use clerk_sdk::{Clerk, ListUsers, RetryPolicy};
use serde_json::{Map, Value, json};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinSet;

use crate::Context;
use crate::api::Api;
use crate::error::{CliError, CliResult, one_line};
use crate::migration::{ERROR_COLUMN, RowOptions, UserRow};
use crate::progress::Progress;

/// Examples for `clerk users import --help`.
pub const EXAMPLES: &str = "\
Examples:
  clerk users import users.csv                     # Clerk's dashboard export columns
  clerk users import users.jsonl --concurrency 4
  clerk users import users.csv --id-as-external-id # keep the old IDs as external_id
  clerk users import users.csv --dry-run           # check every row, send nothing
  clerk users import users.csv                     # again after Ctrl-C: resumes, no duplicates
  clerk users import users.failed.csv              # retry the rows that failed, once fixed";

/// Creates still retried after this many rate limits or uncertain failures.
const MAX_ATTEMPTS: u32 = 8;
/// Failed rows told on stderr as they happen; the rest only go to the failed-rows file.
const SHOWN_FAILURES: u64 = 10;
/// fsync the checkpoint after this many finished rows.
const SYNC_EVERY: u32 = 100;

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
    let format = match args.format.or_else(|| Format::from_path(&args.file)) {
        Some(format) => format,
        None => {
            return Err(CliError::usage(format!(
                "cannot tell the format of {}: name it .csv or .jsonl, or pass --format",
                args.file.display()
            )));
        }
    };
    let options = RowOptions {
        id_as_external_id: args.id_as_external_id,
        keep_unverified: args.unverified == Unverified::Reserve,
    };
    let total = count_rows(&args.file, format)?;
    let checkpoint_path = sibling(&args.file, ".checkpoint");
    let failed_path = sibling(
        &args.file,
        match format {
            Format::Csv => ".failed.csv",
            Format::Jsonl => ".failed.jsonl",
        },
    );
    if args.dry_run {
        let done = match args.restart {
            true => HashMap::new(),
            false => Checkpoint::load(&checkpoint_path)?.done,
        };
        return dry_run(ctx, &args.file, format, &done, options).await;
    }

    let builder = ctx.api_args().builder();
    // The import retries creates itself (see the module docs), so the SDK must not.
    let creates = Api::new(builder.clone().retry_policy(RetryPolicy::disabled()))?;
    if !creates.clerk().has_secret_key() {
        return Err(clerk_sdk::Error::MissingSecretKey.into());
    }
    let (checkpoint, state) = Checkpoint::open(&checkpoint_path, args.restart)?;
    remove_if_present(&failed_path)?;
    let importer = Arc::new(Importer {
        creates: creates.clerk().clone(),
        lookups: Api::new(builder)?.clerk().clone(),
        checkpoint: Mutex::new(checkpoint),
        gate: RateGate::default(),
        uncertain: state.started,
        options,
        created: AtomicU64::new(0),
        found: AtomicU64::new(0),
    });
    let progress = Progress::new("rows", Some(total));
    if !state.done.is_empty() {
        progress.note(&format!(
            "resuming: {} row(s) already imported according to {}",
            state.done.len(),
            checkpoint_path.display()
        ));
    }

    let (rows, reader) = spawn_reader(args.file.clone(), format);
    let mut failed = FailedRows::new(failed_path.clone(), format);
    let stop = watch_ctrl_c();
    let summary = pump(
        rows,
        &importer,
        &state.done,
        args.concurrency.into(),
        &progress,
        &mut failed,
        stop,
    )
    .await;
    progress.finish();
    let reader_result = join_reader(reader).await;
    importer
        .lock_checkpoint()
        .sync()
        .map_err(|e| CliError::io(format!("cannot write {}", checkpoint_path.display()), e))?;
    let summary = summary?;
    reader_result?;

    let created = importer.created.load(Ordering::Relaxed);
    let found = importer.found.load(Ordering::Relaxed);
    let report = Report {
        rows: total,
        created,
        found_after_interruption: found,
        already_done: summary.skipped,
        failed: failed.count,
        failed_file: (failed.count > 0).then(|| failed_path.display().to_string()),
        checkpoint: checkpoint_path.display().to_string(),
        interrupted: summary.interrupted,
    };
    report.print(ctx)?;
    if let Some(fatal) = summary.fatal {
        return Err(fatal);
    }
    if summary.interrupted {
        return Err(CliError::Interrupted(format!(
            "run the same command again to resume from {}",
            checkpoint_path.display()
        )));
    }
    if failed.count > 0 {
        return Err(CliError::RowsFailed {
            failed: failed.count,
            report: failed_path.display().to_string(),
        });
    }
    Ok(())
}

/// `--dry-run`: every row read and turned into a create body, nothing sent. Invalid rows are
/// listed on stderr; the counts go to stdout.
async fn dry_run(
    ctx: &Context,
    file: &Path,
    format: Format,
    done: &HashMap<String, String>,
    options: RowOptions,
) -> CliResult {
    let (mut rows, reader) = spawn_reader(file.to_owned(), format);
    let (mut rows_read, mut would_create, mut already_done, mut invalid) = (0u64, 0u64, 0u64, 0u64);
    let mut seen = HashSet::new();
    while let Some(item) = rows.recv().await {
        let problem = match item {
            Item::Header(_) => continue,
            Item::Bad { line, error, .. } => Some(format!("line {line}: {error}")),
            Item::Row(row) if done.contains_key(&row.key) => {
                already_done += 1;
                None
            }
            Item::Row(row) => match row.user.to_create(options) {
                Err(error) => Some(format!("line {}: {error}", row.line)),
                Ok(_) if !seen.insert(row.key.clone()) => Some(format!(
                    "line {}: another row has the same id {:?}",
                    row.line, row.key
                )),
                Ok(_) => {
                    would_create += 1;
                    None
                }
            },
        };
        rows_read += 1;
        if let Some(problem) = problem {
            invalid += 1;
            eprintln!("invalid: {problem}");
        }
    }
    join_reader(reader).await?;
    let out = ctx.out();
    if out.is_json() {
        let report = json!({"rows": rows_read, "would_create": would_create,
            "already_done": already_done, "invalid": invalid});
        return out.line(report);
    }
    out.line(format!(
        "dry run: {rows_read} row(s): {would_create} would be created, {already_done} already \
         imported, {invalid} invalid; nothing was sent (the API may still refuse rows, such as \
         taken email addresses)"
    ))
}

/// What the import did, printed on stdout at the end (JSON with `--json`).
#[derive(serde::Serialize)]
struct Report {
    rows: u64,
    created: u64,
    found_after_interruption: u64,
    already_done: u64,
    failed: u64,
    failed_file: Option<String>,
    checkpoint: String,
    interrupted: bool,
}

impl Report {
    fn print(&self, ctx: &Context) -> CliResult {
        let out = ctx.out();
        if out.is_json() {
            return out.line(serde_json::to_string(self).unwrap_or_default());
        }
        let mut text = format!(
            "{} row(s): {} created, {} already imported, {} failed",
            self.rows, self.created, self.already_done, self.failed
        );
        if self.found_after_interruption > 0 {
            text.push_str(&format!(
                "; {} created by an interrupted run were found and recorded",
                self.found_after_interruption
            ));
        }
        if let Some(file) = &self.failed_file {
            text.push_str(&format!("\nfailed rows and their errors: {file}"));
        }
        text.push_str(&format!("\ncheckpoint: {}", self.checkpoint));
        out.line(text)
    }
}

/// How the dispatch loop ended.
struct PumpSummary {
    skipped: u64,
    interrupted: bool,
    /// An error that stopped the import (it concerns every row, not one).
    fatal: Option<CliError>,
}

/// Feeds rows to workers, at most `concurrency` at a time, until the input ends or Ctrl-C.
async fn pump(
    mut rows: mpsc::Receiver<Item>,
    importer: &Arc<Importer>,
    done: &HashMap<String, String>,
    concurrency: usize,
    progress: &Progress,
    failed: &mut FailedRows,
    mut stop: watch::Receiver<bool>,
) -> CliResult<PumpSummary> {
    let slots = Arc::new(Semaphore::new(concurrency));
    let mut workers: JoinSet<(Row, Outcome)> = JoinSet::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut skipped = 0;
    let mut interrupted = false;
    let mut fatal = None;
    let note = |failed: &FailedRows| format!("{} failed", failed.count);
    loop {
        let item = tokio::select! {
            item = rows.recv() => item,
            _ = stop.changed() => { interrupted = true; None }
        };
        let Some(item) = item else { break };
        let row = match item {
            Item::Header(header) => {
                failed.header = Some(header);
                continue;
            }
            Item::Row(row) => *row,
            Item::Bad {
                original,
                line,
                error,
            } => {
                failed.record(&original, &format!("line {line}: {error}"))?;
                progress.advance(1, || note(failed));
                continue;
            }
        };
        if done.contains_key(&row.key) {
            skipped += 1;
            progress.advance(1, || note(failed));
            continue;
        }
        if !seen.insert(row.key.clone()) {
            failed.record(
                &row.original,
                &format!(
                    "line {}: another row has the same id {:?}",
                    row.line, row.key
                ),
            )?;
            progress.advance(1, || note(failed));
            continue;
        }
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            _ = stop.changed() => { interrupted = true; break }
        };
        // Look at what finished before sending more: a fatal error stops the sending.
        while let Some(finished) = workers.try_join_next() {
            fatal = fatal.or(finish(finished, failed, progress)?);
        }
        if fatal.is_some() {
            break;
        }
        let importer = importer.clone();
        workers.spawn(async move {
            let outcome = importer.import(&row).await;
            drop(slot);
            (row, outcome)
        });
    }
    if interrupted {
        progress.note("stopping: waiting for the creates in flight (Ctrl-C again to quit now)");
    } else if fatal.is_some() {
        progress.note("stopping: waiting for the creates in flight");
    }
    while let Some(finished) = workers.join_next().await {
        fatal = fatal.or(finish(finished, failed, progress)?);
    }
    Ok(PumpSummary {
        skipped,
        interrupted,
        fatal,
    })
}

/// Records a finished row; returns the error that must stop the import, if any.
fn finish(
    finished: Result<(Row, Outcome), tokio::task::JoinError>,
    failed: &mut FailedRows,
    progress: &Progress,
) -> CliResult<Option<CliError>> {
    let (row, outcome) =
        finished.map_err(|e| CliError::Failed(format!("an import worker failed: {e}")))?;
    match outcome {
        Outcome::Created | Outcome::Found => {}
        Outcome::Failed(error) => {
            failed.record(&row.original, &format!("line {}: {error}", row.line))?;
            match failed.count {
                ..=SHOWN_FAILURES => progress.note(&format!(
                    "row {} (line {}) failed: {error}",
                    row.key, row.line
                )),
                count if count == SHOWN_FAILURES + 1 => progress.note(&format!(
                    "more rows failed; every failure is in {}",
                    failed.path.display()
                )),
                _ => {}
            }
        }
        // Not this row's fault: it stays to do, and the next run takes it up.
        Outcome::Fatal(error) => return Ok(Some(error)),
    }
    progress.advance(1, || format!("{} failed", failed.count));
    Ok(None)
}

/// Ctrl-C once: the receiver sees `true`. Twice: exit now.
fn watch_ctrl_c() -> watch::Receiver<bool> {
    let (tell, stop) = watch::channel(false);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = tell.send(true);
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("interrupted again: quitting; the checkpoint knows what was started");
                std::process::exit(crate::error::EXIT_INTERRUPTED.into());
            }
        }
    });
    stop
}

/// One input row, ready to import.
struct Row {
    /// The checkpoint key: the row's `id`, else `line:N`.
    key: String,
    /// The record's line (CSV: its line in the file; JSON Lines: the line).
    line: u64,
    user: UserRow,
    original: Original,
}

/// A row as read, for the failed-rows file.
enum Original {
    Csv(csv::StringRecord),
    Json(String),
}

enum Item {
    /// The CSV header, sent before the rows.
    Header(csv::StringRecord),
    Row(Box<Row>),
    Bad {
        original: Original,
        line: u64,
        error: String,
    },
}

/// What happened to one row.
enum Outcome {
    Created,
    /// Its create had happened in an interrupted run.
    Found,
    /// This row's problem, for the failed-rows file.
    Failed(String),
    /// A problem for every row (no or a wrong secret key, the API gone, the checkpoint
    /// unwritable): the import stops.
    Fatal(CliError),
}

/// Why a row was not imported: see [`Outcome`].
enum RowError {
    Row(String),
    Fatal(CliError),
}

impl From<String> for RowError {
    fn from(message: String) -> Self {
        RowError::Row(message)
    }
}

impl From<clerk_sdk::Error> for RowError {
    /// Errors about the request itself fail the row; errors about the key, the address or
    /// the reachability of the API (after retries) stop the import.
    fn from(error: clerk_sdk::Error) -> Self {
        let fatal = match &error {
            clerk_sdk::Error::Api(api) => matches!(api.status().as_u16(), 401 | 403 | 404 | 405),
            clerk_sdk::Error::InvalidInput(_) => false,
            _ => true,
        };
        if fatal {
            RowError::Fatal(error.into())
        } else {
            RowError::Row(one_line(&error))
        }
    }
}

/// A checkpoint that cannot be written stops the import: rows must not be sent unrecorded.
fn checkpoint_error(error: std::io::Error) -> RowError {
    RowError::Fatal(CliError::io("cannot write the checkpoint", error))
}

/// The shared state of the workers.
struct Importer {
    /// For creates: no SDK retries; [`Importer::import`] retries.
    creates: Clerk,
    /// For lookups: the SDK's usual retries.
    lookups: Clerk,
    checkpoint: Mutex<Checkpoint>,
    gate: RateGate,
    /// Rows started but not done by an earlier run.
    uncertain: HashSet<String>,
    options: RowOptions,
    created: AtomicU64,
    found: AtomicU64,
}

impl Importer {
    async fn import(&self, row: &Row) -> Outcome {
        match self.try_import(row).await {
            Ok(outcome) => outcome,
            Err(RowError::Row(message)) => Outcome::Failed(message),
            Err(RowError::Fatal(error)) => Outcome::Fatal(error),
        }
    }

    async fn try_import(&self, row: &Row) -> Result<Outcome, RowError> {
        let params = row.user.to_create(self.options)?;
        if self.uncertain.contains(&row.key) {
            if let Some(user_id) = self.lookup(&row.user).await? {
                return self.record_found(row, &user_id);
            }
        }
        self.lock_checkpoint()
            .started(&row.key)
            .map_err(checkpoint_error)?;
        let mut attempt = 1;
        loop {
            self.gate.wait().await;
            let error = match self.creates.users().create(params.clone()).await {
                Ok(user) => {
                    self.lock_checkpoint()
                        .done(&row.key, &user.id)
                        .map_err(checkpoint_error)?;
                    self.created.fetch_add(1, Ordering::Relaxed);
                    return Ok(Outcome::Created);
                }
                Err(error) => error,
            };
            if attempt >= MAX_ATTEMPTS {
                return Err(error.into());
            }
            if error.is_rate_limited() {
                self.gate
                    .pause(error.retry_after().unwrap_or(Duration::from_secs(1)));
            } else if may_have_happened(&error) {
                // A timeout or a 5xx: the user may exist now. Look before sending again.
                tokio::time::sleep(Duration::from_millis(250 * u64::from(attempt))).await;
                if let Some(user_id) = self.lookup(&row.user).await? {
                    return self.record_found(row, &user_id);
                }
            } else {
                return Err(error.into());
            }
            attempt += 1;
        }
    }

    fn record_found(&self, row: &Row, user_id: &str) -> Result<Outcome, RowError> {
        self.lock_checkpoint()
            .done(&row.key, user_id)
            .map_err(checkpoint_error)?;
        self.found.fetch_add(1, Ordering::Relaxed);
        Ok(Outcome::Found)
    }

    /// The ID of the one user with the row's most specific identifier, if there is one.
    async fn lookup(&self, user: &UserRow) -> Result<Option<String>, RowError> {
        let Some((field, value)) = user.lookup_key(self.options) else {
            return Ok(None);
        };
        let params = ListUsers::new().limit(2);
        let params = match field {
            "external_id" => params.external_id([value]),
            "email_address" => params.email_address([value]),
            "phone_number" => params.phone_number([value]),
            _ => params.username([value]),
        };
        let page = self.lookups.users().list(params).await?;
        Ok(match page.data.as_slice() {
            [user] => Some(user.id.clone()),
            _ => None,
        })
    }

    fn lock_checkpoint(&self) -> MutexGuard<'_, Checkpoint> {
        self.checkpoint.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Whether a failed create may still have created the user.
fn may_have_happened(error: &clerk_sdk::Error) -> bool {
    match error {
        clerk_sdk::Error::Network(_) => true,
        other => other.status().is_some_and(|s| s.is_server_error()),
    }
}

/// Holds every worker back after a 429 until its `Retry-After` has passed.
#[derive(Default)]
struct RateGate {
    until: Mutex<Option<Instant>>,
}

impl RateGate {
    async fn wait(&self) {
        loop {
            let until = *self.until.lock().unwrap_or_else(|p| p.into_inner());
            match until {
                Some(until) if until > Instant::now() => {
                    tokio::time::sleep_until(until.into()).await;
                }
                _ => return,
            }
        }
    }

    fn pause(&self, wait: Duration) {
        let mut until = self.until.lock().unwrap_or_else(|p| p.into_inner());
        let end = Instant::now() + wait;
        if until.is_none_or(|current| current < end) {
            tracing::warn!(
                wait_ms = wait.as_millis() as u64,
                "rate limited: pausing every worker"
            );
            *until = Some(end);
        }
    }
}

/// `FILE.checkpoint`: one JSON array per line.
struct Checkpoint {
    file: File,
    unsynced: u32,
}

/// What an earlier run recorded.
struct CheckpointState {
    done: HashMap<String, String>,
    started: HashSet<String>,
}

impl Checkpoint {
    fn open(path: &Path, restart: bool) -> CliResult<(Self, CheckpointState)> {
        if restart {
            remove_if_present(path)?;
        }
        let state = Self::load(path)?;
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| CliError::io(format!("cannot write {}", path.display()), e))?;
        Ok((Self { file, unsynced: 0 }, state))
    }

    /// What an earlier run recorded (nothing when there is no checkpoint).
    fn load(path: &Path) -> CliResult<CheckpointState> {
        let mut state = CheckpointState {
            done: HashMap::new(),
            started: HashSet::new(),
        };
        if path.exists() {
            let file = File::open(path)
                .map_err(|e| CliError::io(format!("cannot read {}", path.display()), e))?;
            for line in BufReader::new(file).lines() {
                let line =
                    line.map_err(|e| CliError::io(format!("cannot read {}", path.display()), e))?;
                // A torn last line (the process died mid-write) is skipped.
                let Ok(entry) = serde_json::from_str::<Vec<String>>(&line) else {
                    continue;
                };
                match entry.as_slice() {
                    [kind, key] if kind == "started" => {
                        state.started.insert(key.clone());
                    }
                    [kind, key, user_id] if kind == "done" => {
                        state.done.insert(key.clone(), user_id.clone());
                    }
                    _ => {}
                }
            }
        }
        state.started.retain(|key| !state.done.contains_key(key));
        Ok(state)
    }

    /// Recorded before the create is sent, so that a killed run knows to look the row up.
    fn started(&mut self, key: &str) -> std::io::Result<()> {
        self.append(&json!(["started", key]))
    }

    fn done(&mut self, key: &str, user_id: &str) -> std::io::Result<()> {
        self.append(&json!(["done", key, user_id]))?;
        self.unsynced += 1;
        if self.unsynced >= SYNC_EVERY {
            self.sync()?;
        }
        Ok(())
    }

    /// One `write` per line: the OS has it even if this process is killed right after.
    fn append(&mut self, entry: &Value) -> std::io::Result<()> {
        let mut line = entry.to_string();
        line.push('\n');
        self.file.write_all(line.as_bytes())
    }

    fn sync(&mut self) -> std::io::Result<()> {
        self.unsynced = 0;
        self.file.sync_data()
    }
}

/// `FILE.failed.csv` / `.failed.jsonl`, created at the first failure.
struct FailedRows {
    path: PathBuf,
    format: Format,
    header: Option<csv::StringRecord>,
    csv: Option<csv::Writer<File>>,
    jsonl: Option<File>,
    count: u64,
}

impl FailedRows {
    fn new(path: PathBuf, format: Format) -> Self {
        Self {
            path,
            format,
            header: None,
            csv: None,
            jsonl: None,
            count: 0,
        }
    }

    fn record(&mut self, original: &Original, error: &str) -> CliResult {
        self.count += 1;
        let context = || format!("cannot write {}", self.path.display());
        match (original, self.format) {
            (Original::Csv(record), Format::Csv) => {
                if self.csv.is_none() {
                    let file =
                        create_private(&self.path).map_err(|e| CliError::io(context(), e))?;
                    let mut writer = csv::Writer::from_writer(file);
                    let header = self.header.clone().unwrap_or_default();
                    let mut names: Vec<&str> =
                        header.iter().filter(|n| *n != ERROR_COLUMN).collect();
                    names.push(ERROR_COLUMN);
                    writer
                        .write_record(&names)
                        .map_err(|e| csv_error(context(), e))?;
                    self.csv = Some(writer);
                }
                let header = self.header.clone().unwrap_or_default();
                let mut cells: Vec<&str> = record
                    .iter()
                    .enumerate()
                    .filter(|(index, _)| header.get(*index) != Some(ERROR_COLUMN))
                    .map(|(_, cell)| cell)
                    .collect();
                cells.resize(header.iter().filter(|n| *n != ERROR_COLUMN).count(), "");
                cells.push(error);
                let writer = self.csv.as_mut().expect("created above");
                writer
                    .write_record(&cells)
                    .map_err(|e| csv_error(context(), e))?;
                writer.flush().map_err(|e| CliError::io(context(), e))
            }
            (original, _) => {
                if self.jsonl.is_none() {
                    self.jsonl =
                        Some(create_private(&self.path).map_err(|e| CliError::io(context(), e))?);
                }
                let mut object = match original {
                    Original::Json(line) => match serde_json::from_str::<Value>(line) {
                        Ok(Value::Object(object)) => object,
                        _ => Map::from_iter([("raw".to_owned(), Value::String(line.clone()))]),
                    },
                    Original::Csv(record) => Map::from_iter([(
                        "raw".to_owned(),
                        Value::String(record.iter().collect::<Vec<_>>().join(",")),
                    )]),
                };
                object.insert(ERROR_COLUMN.into(), Value::String(error.into()));
                let mut line = Value::Object(object).to_string();
                line.push('\n');
                let file = self.jsonl.as_mut().expect("created above");
                file.write_all(line.as_bytes())
                    .map_err(|e| CliError::io(context(), e))
            }
        }
    }
}

/// A new file only its owner can read: failed rows hold password digests.
fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

fn csv_error(context: String, error: csv::Error) -> CliError {
    match error.into_kind() {
        csv::ErrorKind::Io(io) => CliError::io(context, io),
        other => CliError::Failed(format!("{context}: {other:?}")),
    }
}

/// `users.csv` → `users.csv.checkpoint`.
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

fn remove_if_present(path: &Path) -> CliResult {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(CliError::io(format!("cannot remove {}", path.display()), e))
        }
        _ => Ok(()),
    }
}

/// How many rows the file has (for the progress bar), checking that it can be read.
fn count_rows(path: &Path, format: Format) -> CliResult<u64> {
    let context = || format!("cannot read {}", path.display());
    let file = File::open(path).map_err(|e| CliError::io(context(), e))?;
    match format {
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
            let header = reader
                .headers()
                .map_err(|e| csv_error(context(), e))?
                .clone();
            if !header
                .iter()
                .any(|name| crate::migration::COLUMNS.contains(&name.trim()))
            {
                return Err(CliError::usage(format!(
                    "{} has none of the columns of Clerk's user export in its first line ({})",
                    path.display(),
                    crate::migration::COLUMNS.join(", ")
                )));
            }
            let mut count = 0;
            let mut record = csv::ByteRecord::new();
            while reader
                .read_byte_record(&mut record)
                .map_err(|e| csv_error(context(), e))?
            {
                count += 1;
            }
            Ok(count)
        }
        Format::Jsonl => {
            let mut count = 0;
            for line in BufReader::new(file).lines() {
                let line = line.map_err(|e| CliError::io(context(), e))?;
                if !line.trim().is_empty() {
                    count += 1;
                }
            }
            Ok(count)
        }
    }
}

/// The reader's own outcome (an unreadable file, say).
async fn join_reader(reader: tokio::task::JoinHandle<CliResult>) -> CliResult {
    reader
        .await
        .unwrap_or_else(|e| Err(CliError::Failed(format!("the file reader stopped: {e}"))))
}

/// Reads the file on a thread of its own, sending rows as the workers take them.
fn spawn_reader(
    path: PathBuf,
    format: Format,
) -> (mpsc::Receiver<Item>, tokio::task::JoinHandle<CliResult>) {
    let (send, receive) = mpsc::channel(256);
    let handle = tokio::task::spawn_blocking(move || {
        let context = || format!("cannot read {}", path.display());
        let file = File::open(&path).map_err(|e| CliError::io(context(), e))?;
        match format {
            Format::Csv => read_csv(file, &send).map_err(|e| csv_error(context(), e)),
            Format::Jsonl => read_jsonl(file, &send).map_err(|e| CliError::io(context(), e)),
        }
    });
    (receive, handle)
}

fn read_csv(file: File, send: &mpsc::Sender<Item>) -> Result<(), csv::Error> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
    let header = reader.headers()?.clone();
    let unknown = UserRow::unknown_columns(&header);
    if !unknown.is_empty() {
        tracing::warn!(columns = ?unknown, "ignoring columns that are not Clerk's export columns");
    }
    let _ = send.blocking_send(Item::Header(header.clone()));
    for (index, record) in reader.records().enumerate() {
        let item = match record {
            Ok(record) => {
                let line = record.position().map_or(index as u64 + 2, |p| p.line());
                let user = UserRow::from_csv(&header, &record);
                Item::Row(Box::new(Row {
                    key: row_key(&user, line),
                    line,
                    user,
                    original: Original::Csv(record),
                }))
            }
            Err(error) => {
                let line = error.position().map_or(index as u64 + 2, |p| p.line());
                Item::Bad {
                    original: Original::Csv(csv::StringRecord::new()),
                    line,
                    error: error.to_string(),
                }
            }
        };
        if send.blocking_send(item).is_err() {
            break; // the import stopped (Ctrl-C)
        }
    }
    Ok(())
}

fn read_jsonl(file: File, send: &mpsc::Sender<Item>) -> std::io::Result<()> {
    for (index, line) in BufReader::new(file).lines().enumerate() {
        let mut text = line?;
        if index == 0 && text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8()); // a byte-order mark, as some editors write
        }
        if text.trim().is_empty() {
            continue;
        }
        let line = index as u64 + 1;
        let parsed = match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(object)) => UserRow::from_json(&object),
            Ok(_) => Err("not a JSON object".to_owned()),
            Err(error) => Err(format!("not JSON: {error}")),
        };
        let item = match parsed {
            Ok(user) => Item::Row(Box::new(Row {
                key: row_key(&user, line),
                line,
                user,
                original: Original::Json(text),
            })),
            Err(error) => Item::Bad {
                original: Original::Json(text),
                line,
                error,
            },
        };
        if send.blocking_send(item).is_err() {
            break;
        }
    }
    Ok(())
}

fn row_key(user: &UserRow, line: u64) -> String {
    user.id.clone().unwrap_or_else(|| format!("line:{line}"))
}
