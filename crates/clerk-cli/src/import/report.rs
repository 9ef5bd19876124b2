//! The summary printed on stdout at the end of an import (one JSON object with `--json`).

use crate::Context;
use crate::error::CliResult;

/// What the import did.
#[derive(serde::Serialize)]
pub(super) struct Report {
    pub rows: u64,
    pub created: u64,
    pub found_after_interruption: u64,
    pub already_done: u64,
    pub failed: u64,
    pub failed_file: Option<String>,
    pub checkpoint: String,
    pub interrupted: bool,
}

impl Report {
    /// Prints the report: a few lines for people, one JSON object with `--json`.
    pub(super) fn print(&self, ctx: &Context) -> CliResult {
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
