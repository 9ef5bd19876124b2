//! The concurrent driver: feeds rows to at most `--concurrency` workers, records what each
//! finished row became, and stops sending on Ctrl-C or on an error that concerns every row.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio::task::{JoinError, JoinSet};

use super::failed::FailedRows;
use super::importer::{Importer, Outcome};
use super::rows::{Item, Row};
use crate::error::{CliError, CliResult};
use crate::progress::Progress;

/// Failed rows told on stderr as they happen; the rest only go to the failed-rows file.
const SHOWN_FAILURES: u64 = 10;

/// How the dispatch loop ended.
pub(super) struct PumpSummary {
    /// Rows an earlier run had imported.
    pub skipped: u64,
    pub interrupted: bool,
    /// An error that stopped the import (it concerns every row, not one).
    pub fatal: Option<CliError>,
}

/// What the driver needs besides the rows.
pub(super) struct Pump<'a> {
    pub importer: &'a Arc<Importer>,
    /// Rows the checkpoint has as done: skipped without a request.
    pub done: &'a HashMap<String, String>,
    pub concurrency: usize,
    pub progress: &'a Progress,
    pub failed: &'a mut FailedRows,
}

/// The driver's state while rows flow.
struct Dispatch<'a> {
    pump: Pump<'a>,
    slots: Arc<Semaphore>,
    workers: JoinSet<(Row, Outcome)>,
    /// Keys sent so far this run: a second row with the same key fails.
    seen: HashSet<String>,
    skipped: u64,
    fatal: Option<CliError>,
}

impl Pump<'_> {
    /// Feeds rows to workers until the input ends, Ctrl-C (`stop`) or a fatal error; then
    /// waits for the creates in flight.
    pub(super) async fn run(
        self,
        mut rows: mpsc::Receiver<Item>,
        mut stop: watch::Receiver<bool>,
    ) -> CliResult<PumpSummary> {
        let mut dispatch = Dispatch::new(self);
        let mut interrupted = false;
        loop {
            let item = tokio::select! {
                item = rows.recv() => item,
                _ = stop.changed() => { interrupted = true; None }
            };
            let Some(item) = item else { break };
            let Some(row) = dispatch.admit(item)? else {
                continue;
            };
            let slot = tokio::select! {
                slot = dispatch.slots.clone().acquire_owned() => {
                    slot.expect("the semaphore is never closed")
                }
                _ = stop.changed() => { interrupted = true; break }
            };
            // Look at what finished before sending more: a fatal error stops the sending.
            dispatch.reap_finished()?;
            if dispatch.fatal.is_some() {
                break;
            }
            dispatch.spawn(row, slot);
        }
        dispatch.drain(interrupted).await?;
        Ok(PumpSummary {
            skipped: dispatch.skipped,
            interrupted,
            fatal: dispatch.fatal,
        })
    }
}

impl<'a> Dispatch<'a> {
    fn new(pump: Pump<'a>) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(pump.concurrency)),
            pump,
            workers: JoinSet::new(),
            seen: HashSet::new(),
            skipped: 0,
            fatal: None,
        }
    }

    /// The row to send, or `None` when the item is dealt with here: a header, a line that
    /// is not a row, a row done by an earlier run, a second row with the same key.
    fn admit(&mut self, item: Item) -> CliResult<Option<Row>> {
        let row = match item {
            Item::Header(header) => {
                self.pump.failed.set_header(header);
                return Ok(None);
            }
            Item::Row(row) => *row,
            Item::Bad {
                original,
                line,
                error,
            } => {
                self.pump
                    .failed
                    .record(&original, &format!("line {line}: {error}"))?;
                self.advance();
                return Ok(None);
            }
        };
        if self.pump.done.contains_key(&row.key) {
            self.skipped += 1;
            self.advance();
            return Ok(None);
        }
        if !self.seen.insert(row.key.clone()) {
            let error = format!(
                "line {}: another row has the same id {:?}",
                row.line, row.key
            );
            self.pump.failed.record(&row.original, &error)?;
            self.advance();
            return Ok(None);
        }
        Ok(Some(row))
    }

    /// Sends the row's create on a worker that holds `slot` until it is done.
    fn spawn(&mut self, row: Row, slot: OwnedSemaphorePermit) {
        let importer = self.pump.importer.clone();
        self.workers.spawn(async move {
            let outcome = importer.import(&row).await;
            drop(slot);
            (row, outcome)
        });
    }

    /// Records the rows that finished meanwhile, without waiting.
    fn reap_finished(&mut self) -> CliResult {
        while let Some(finished) = self.workers.try_join_next() {
            self.finish(finished)?;
        }
        Ok(())
    }

    /// Waits for every create in flight and records them.
    async fn drain(&mut self, interrupted: bool) -> CliResult {
        let progress = self.pump.progress;
        if interrupted {
            progress.note("stopping: waiting for the creates in flight (Ctrl-C again to quit now)");
        } else if self.fatal.is_some() {
            progress.note("stopping: waiting for the creates in flight");
        }
        while let Some(finished) = self.workers.join_next().await {
            self.finish(finished)?;
        }
        Ok(())
    }

    /// Records a finished row; keeps the first error that must stop the import.
    fn finish(&mut self, finished: Result<(Row, Outcome), JoinError>) -> CliResult {
        let (row, outcome) =
            finished.map_err(|e| CliError::Failed(format!("an import worker failed: {e}")))?;
        match outcome {
            Outcome::Created | Outcome::Found => {}
            Outcome::Failed(error) => self.row_failed(&row, &error)?,
            // Not this row's fault: it stays to do, and the next run takes it up.
            Outcome::Fatal(error) => {
                self.fatal.get_or_insert(error);
                return Ok(());
            }
        }
        self.advance();
        Ok(())
    }

    /// Writes a failed row; the first few are also told on stderr.
    fn row_failed(&mut self, row: &Row, error: &str) -> CliResult {
        let failed = &mut *self.pump.failed;
        failed.record(&row.original, &format!("line {}: {error}", row.line))?;
        match failed.count() {
            ..=SHOWN_FAILURES => self.pump.progress.note(&format!(
                "row {} (line {}) failed: {error}",
                row.key, row.line
            )),
            count if count == SHOWN_FAILURES + 1 => self.pump.progress.note(&format!(
                "more rows failed; every failure is in {}",
                failed.path().display()
            )),
            _ => {}
        }
        Ok(())
    }

    /// One more row dealt with.
    fn advance(&self) {
        let failed = &*self.pump.failed;
        self.pump
            .progress
            .advance(1, || format!("{} failed", failed.count()));
    }
}

/// Ctrl-C once: the receiver sees `true`. Twice: exit now.
pub(super) fn watch_ctrl_c() -> watch::Receiver<bool> {
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
