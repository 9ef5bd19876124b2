//! Importing one row: its create, retried here (not by the SDK) through the shared
//! [`RateGate`], and looked up first wherever the user may already exist.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use clerk_sdk::{Clerk, ListUsers};

use super::checkpoint::Checkpoint;
use super::rate_gate::RateGate;
use super::rows::Row;
use crate::error::{CliError, one_line};
use crate::migration::{RowOptions, UserRow};

/// Creates still retried after this many rate limits or uncertain failures.
const MAX_ATTEMPTS: u32 = 8;

/// What happened to one row.
pub(super) enum Outcome {
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

/// Whether a failed create may still have created the user.
fn may_have_happened(error: &clerk_sdk::Error) -> bool {
    match error {
        clerk_sdk::Error::Network(_) => true,
        other => other.status().is_some_and(|s| s.is_server_error()),
    }
}

/// The shared state of the workers.
pub(super) struct Importer {
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
    /// `creates` must have the SDK's retries off: [`Importer::import`] retries itself.
    pub(super) fn new(
        creates: Clerk,
        lookups: Clerk,
        checkpoint: Checkpoint,
        uncertain: HashSet<String>,
        options: RowOptions,
    ) -> Self {
        Self {
            creates,
            lookups,
            checkpoint: Mutex::new(checkpoint),
            gate: RateGate::default(),
            uncertain,
            options,
            created: AtomicU64::new(0),
            found: AtomicU64::new(0),
        }
    }

    /// Users created by this run.
    pub(super) fn created(&self) -> u64 {
        self.created.load(Ordering::Relaxed)
    }

    /// Users an interrupted run had created, found by a lookup.
    pub(super) fn found(&self) -> u64 {
        self.found.load(Ordering::Relaxed)
    }

    /// Imports one row: whatever happens becomes its [`Outcome`].
    pub(super) async fn import(&self, row: &Row) -> Outcome {
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
                Ok(user) => return self.record_created(row, &user.id),
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

    fn record_created(&self, row: &Row, user_id: &str) -> Result<Outcome, RowError> {
        self.lock_checkpoint()
            .done(&row.key, user_id)
            .map_err(checkpoint_error)?;
        self.created.fetch_add(1, Ordering::Relaxed);
        Ok(Outcome::Created)
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

    /// Makes the checkpoint durable (at the end of the run).
    pub(super) fn sync_checkpoint(&self) -> std::io::Result<()> {
        self.lock_checkpoint().sync()
    }

    fn lock_checkpoint(&self) -> MutexGuard<'_, Checkpoint> {
        self.checkpoint.lock().unwrap_or_else(|p| p.into_inner())
    }
}
