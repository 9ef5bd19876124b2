//! `FILE.failed.csv` / `FILE.failed.jsonl`: each failed row as it was read, plus an `error`
//! column, in the input's format, so the file can be fixed and imported in turn.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::Format;
use super::rows::{Original, csv_error};
use crate::error::{CliError, CliResult};
use crate::migration::ERROR_COLUMN;

/// The failed-rows file, created at the first failure.
pub(super) struct FailedRows {
    path: PathBuf,
    format: Format,
    /// The input's CSV header, which the file repeats (without any old `error` column).
    header: Option<csv::StringRecord>,
    csv: Option<csv::Writer<File>>,
    jsonl: Option<File>,
    count: u64,
}

impl FailedRows {
    /// Nothing is created until a row fails.
    pub(super) fn new(path: PathBuf, format: Format) -> Self {
        Self {
            path,
            format,
            header: None,
            csv: None,
            jsonl: None,
            count: 0,
        }
    }

    /// The input's CSV header, for the file's own.
    pub(super) fn set_header(&mut self, header: csv::StringRecord) {
        self.header = Some(header);
    }

    /// How many rows failed so far.
    pub(super) fn count(&self) -> u64 {
        self.count
    }

    /// Where the failed rows go.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// Writes one failed row with its error, at once (a killed import keeps it).
    pub(super) fn record(&mut self, original: &Original, error: &str) -> CliResult {
        self.count += 1;
        match (original, self.format) {
            (Original::Csv(record), Format::Csv) => self.record_csv(record, error),
            (original, _) => self.record_jsonl(original, error),
        }
    }

    fn record_csv(&mut self, record: &csv::StringRecord, error: &str) -> CliResult {
        let context = || format!("cannot write {}", self.path.display());
        let header = self.header.clone().unwrap_or_default();
        let columns = header.iter().filter(|n| *n != ERROR_COLUMN).count();
        if self.csv.is_none() {
            let file = create_private(&self.path).map_err(|e| CliError::io(context(), e))?;
            let mut writer = csv::Writer::from_writer(file);
            let mut names: Vec<&str> = header.iter().filter(|n| *n != ERROR_COLUMN).collect();
            names.push(ERROR_COLUMN);
            writer
                .write_record(&names)
                .map_err(|e| csv_error(context(), e))?;
            self.csv = Some(writer);
        }
        // An `error` column of the input (a failed-rows file imported again) is replaced.
        let mut cells: Vec<&str> = record
            .iter()
            .enumerate()
            .filter(|(index, _)| header.get(*index) != Some(ERROR_COLUMN))
            .map(|(_, cell)| cell)
            .collect();
        cells.resize(columns, "");
        cells.push(error);
        let writer = self.csv.as_mut().expect("created above");
        writer
            .write_record(&cells)
            .map_err(|e| csv_error(context(), e))?;
        writer.flush().map_err(|e| CliError::io(context(), e))
    }

    fn record_jsonl(&mut self, original: &Original, error: &str) -> CliResult {
        let context = || format!("cannot write {}", self.path.display());
        if self.jsonl.is_none() {
            self.jsonl = Some(create_private(&self.path).map_err(|e| CliError::io(context(), e))?);
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
