//! Reading the input: CSV or JSON Lines rows into [`UserRow`]s, on a thread of their own,
//! sent to the import as the workers take them.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::Format;
use crate::error::{CliError, CliResult};
use crate::migration::{COLUMNS, UserRow};

/// One input row, ready to import.
pub(super) struct Row {
    /// The checkpoint key: the row's `id`, else `line:N`.
    pub key: String,
    /// The record's line (CSV: its line in the file; JSON Lines: the line).
    pub line: u64,
    pub user: UserRow,
    pub original: Original,
}

/// A row as read, for the failed-rows file.
pub(super) enum Original {
    Csv(csv::StringRecord),
    Json(String),
}

/// What the reader sends, in file order.
pub(super) enum Item {
    /// The CSV header, sent before the rows.
    Header(csv::StringRecord),
    Row(Box<Row>),
    /// A line that is not a row (bad CSV, not a JSON object): it goes to the failed rows.
    Bad {
        original: Original,
        line: u64,
        error: String,
    },
}

/// The channel of rows, and the reader's own outcome (an unreadable file, say).
pub(super) type Reader = (mpsc::Receiver<Item>, JoinHandle<CliResult>);

/// Reads the file on a thread of its own, sending rows as the workers take them.
pub(super) fn spawn_reader(path: PathBuf, format: Format) -> Reader {
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

/// Waits for the reader and returns its outcome.
pub(super) async fn join_reader(reader: JoinHandle<CliResult>) -> CliResult {
    reader
        .await
        .unwrap_or_else(|e| Err(CliError::Failed(format!("the file reader stopped: {e}"))))
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
        // The header is line 1; a record without a position is counted from there.
        let fallback_line = index as u64 + 2;
        let item = match record {
            Ok(record) => {
                let line = record.position().map_or(fallback_line, |p| p.line());
                let user = UserRow::from_csv(&header, &record);
                Item::Row(Box::new(Row {
                    key: row_key(&user, line),
                    line,
                    user,
                    original: Original::Csv(record),
                }))
            }
            Err(error) => Item::Bad {
                original: Original::Csv(csv::StringRecord::new()),
                line: error.position().map_or(fallback_line, |p| p.line()),
                error: error.to_string(),
            },
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
        if send
            .blocking_send(jsonl_item(text, index as u64 + 1))
            .is_err()
        {
            break; // the import stopped (Ctrl-C)
        }
    }
    Ok(())
}

/// One non-blank JSON Lines line as a row, or why it is not one.
fn jsonl_item(text: String, line: u64) -> Item {
    let parsed = match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(object)) => UserRow::from_json(&object),
        Ok(_) => Err("not a JSON object".to_owned()),
        Err(error) => Err(format!("not JSON: {error}")),
    };
    match parsed {
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
    }
}

fn row_key(user: &UserRow, line: u64) -> String {
    user.id.clone().unwrap_or_else(|| format!("line:{line}"))
}

/// How many rows the file has (for the progress bar), checking that it can be read and,
/// for CSV, that its header names at least one of Clerk's export columns.
pub(super) fn count_rows(path: &Path, format: Format) -> CliResult<u64> {
    let file =
        File::open(path).map_err(|e| CliError::io(format!("cannot read {}", path.display()), e))?;
    match format {
        Format::Csv => count_csv_rows(path, file),
        Format::Jsonl => count_jsonl_rows(path, file),
    }
}

fn count_csv_rows(path: &Path, file: File) -> CliResult<u64> {
    let read_error = |e: csv::Error| csv_error(format!("cannot read {}", path.display()), e);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
    let header = reader.headers().map_err(read_error)?;
    if !header.iter().any(|name| COLUMNS.contains(&name.trim())) {
        return Err(CliError::usage(format!(
            "{} has none of the columns of Clerk's user export in its first line ({})",
            path.display(),
            COLUMNS.join(", ")
        )));
    }
    let mut count = 0;
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).map_err(read_error)? {
        count += 1;
    }
    Ok(count)
}

/// Blank lines are not rows.
fn count_jsonl_rows(path: &Path, file: File) -> CliResult<u64> {
    let mut count = 0;
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|e| CliError::io(format!("cannot read {}", path.display()), e))?;
        if !line.trim().is_empty() {
            count += 1;
        }
    }
    Ok(count)
}

/// A CSV error as the CLI reports it: I/O errors keep their kind (for the exit code).
pub(super) fn csv_error(context: String, error: csv::Error) -> CliError {
    match error.into_kind() {
        csv::ErrorKind::Io(io) => CliError::io(context, io),
        other => CliError::Failed(format!("{context}: {other:?}")),
    }
}
