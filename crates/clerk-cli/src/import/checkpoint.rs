//! `FILE.checkpoint`: what the import started and finished, one JSON array per line, so that
//! a rerun skips what is done and looks up what was in flight.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use serde_json::{Value, json};

use super::remove_if_present;
use crate::error::{CliError, CliResult};

/// fsync the checkpoint after this many finished rows.
const SYNC_EVERY: u32 = 100;

/// The checkpoint being written: `["started", key]` and `["done", key, user_id]` lines.
pub(super) struct Checkpoint {
    file: File,
    unsynced: u32,
}

/// What an earlier run recorded.
pub(super) struct CheckpointState {
    /// Row key → the ID of the user created for it.
    pub done: HashMap<String, String>,
    /// Rows whose create was sent but not seen to succeed: they may exist already.
    pub started: HashSet<String>,
}

impl Checkpoint {
    /// Opens the checkpoint for appending (emptied first with `restart`), with what it held.
    pub(super) fn open(path: &Path, restart: bool) -> CliResult<(Self, CheckpointState)> {
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
    pub(super) fn load(path: &Path) -> CliResult<CheckpointState> {
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
                state.add(&line);
            }
        }
        state.started.retain(|key| !state.done.contains_key(key));
        Ok(state)
    }

    /// Recorded before the create is sent, so that a killed run knows to look the row up.
    pub(super) fn started(&mut self, key: &str) -> std::io::Result<()> {
        self.append(&json!(["started", key]))
    }

    /// Recorded once the user exists; fsynced every [`SYNC_EVERY`] rows.
    pub(super) fn done(&mut self, key: &str, user_id: &str) -> std::io::Result<()> {
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

    /// Makes what was written survive a crash of the machine, not only of the process.
    pub(super) fn sync(&mut self) -> std::io::Result<()> {
        self.unsynced = 0;
        self.file.sync_data()
    }
}

impl CheckpointState {
    /// Takes in one line of the checkpoint.
    fn add(&mut self, line: &str) {
        // A torn last line (the process died mid-write) is skipped.
        let Ok(entry) = serde_json::from_str::<Vec<String>>(line) else {
            return;
        };
        match entry.as_slice() {
            [kind, key] if kind == "started" => {
                self.started.insert(key.clone());
            }
            [kind, key, user_id] if kind == "done" => {
                self.done.insert(key.clone(), user_id.clone());
            }
            _ => {}
        }
    }
}
