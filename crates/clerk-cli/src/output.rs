//! The one place that writes results to stdout: the API's JSON exactly as received with
//! `--json`, readable tables and field lists otherwise. Nothing else goes to stdout.

use std::fmt::{self, Display, Write as _};
use std::io::Write;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::Raw;
use crate::error::{CliError, CliResult};

/// How results are shown.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    json: bool,
}

impl Output {
    /// `json`: print the API's JSON instead of tables.
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    /// Whether `--json` was given.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Prints an answer: as received with `--json`, else read as `T` and rendered by `view`.
    pub fn show<T, V>(&self, raw: &Raw, view: impl FnOnce(T) -> V) -> CliResult
    where
        T: DeserializeOwned,
        V: Display,
    {
        if self.json {
            self.line(raw.text())
        } else {
            let model = raw.parse::<T>()?;
            self.line(view(model))
        }
    }

    /// Prints a value that did not come from the API (token claims, say) as JSON: on one
    /// line with `--json`, indented for people otherwise.
    pub fn json_value<T: Serialize>(&self, value: &T) -> CliResult {
        let text = if self.json {
            serde_json::to_string(value)
        } else {
            serde_json::to_string_pretty(value)
        };
        let text = text.map_err(|e| CliError::Unexpected(format!("cannot write JSON: {e}")))?;
        self.line(text)
    }

    /// Writes one item followed by a newline to stdout.
    pub fn line(&self, item: impl Display) -> CliResult {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{item}")
            .and_then(|()| stdout.flush())
            .map_err(|e| CliError::io("cannot write to stdout", e))
    }
}

/// A table with a header row; columns are as wide as their widest cell.
#[derive(Debug, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    empty: &'static str,
}

impl Table {
    /// A table with these column titles.
    pub fn new<const N: usize>(header: [&str; N]) -> Self {
        Self {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            empty: "(none)",
        }
    }

    /// What to print instead of an empty table (default `(none)`).
    pub fn when_empty(mut self, text: &'static str) -> Self {
        self.empty = text;
        self
    }

    /// Adds a row; cells beyond the header are ignored, missing ones are blank.
    pub fn row<const N: usize>(&mut self, cells: [String; N]) {
        self.rows
            .push(cells.into_iter().map(|c| one_line(&c)).collect());
    }
}

impl Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.rows.is_empty() {
            return f.write_str(self.empty);
        }
        let widths: Vec<usize> = (0..self.header.len())
            .map(|column| {
                self.rows
                    .iter()
                    .filter_map(|row| row.get(column))
                    .chain(std::iter::once(&self.header[column]))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut text = String::new();
        for (index, row) in std::iter::once(&self.header).chain(&self.rows).enumerate() {
            if index > 0 {
                text.push('\n');
            }
            let mut line = String::new();
            for (column, width) in widths.iter().enumerate() {
                let cell = row.get(column).map_or("", String::as_str);
                let _ = write!(line, "{cell:<width$}  ");
            }
            text.push_str(line.trim_end());
        }
        f.write_str(&text)
    }
}

/// One object as `Label: value` lines, labels aligned.
#[derive(Debug, Default)]
pub struct Details {
    fields: Vec<(String, String)>,
}

impl Details {
    /// No fields yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a field.
    pub fn field(mut self, label: &str, value: impl Display) -> Self {
        self.fields.push((label.to_owned(), value.to_string()));
        self
    }

    /// Adds a field when there is a value.
    pub fn field_opt(self, label: &str, value: Option<impl Display>) -> Self {
        match value {
            Some(value) => self.field(label, value),
            None => self,
        }
    }
}

impl Display for Details {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .fields
            .iter()
            .map(|(label, _)| label.chars().count() + 1)
            .max()
            .unwrap_or(0);
        let mut text = String::new();
        for (index, (label, value)) in self.fields.iter().enumerate() {
            if index > 0 {
                text.push('\n');
            }
            let label = format!("{label}:");
            let _ = write!(text, "{label:<width$}  {}", one_line(value));
        }
        f.write_str(&text)
    }
}

/// `-` for a missing value.
pub fn or_dash(value: Option<&str>) -> String {
    value.filter(|v| !v.is_empty()).unwrap_or("-").to_owned()
}

/// `yes` / `no`.
pub fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

/// Compact JSON for a metadata object; `{}` when empty.
pub fn compact_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Keeps a cell on one line (API values may hold newlines or tabs).
fn one_line(text: &str) -> String {
    if text.contains(['\n', '\r', '\t']) {
        text.replace(['\n', '\r', '\t'], " ")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_columns() {
        let mut table = Table::new(["ID", "NAME"]);
        table.row(["user_1".into(), "Ada Lovelace".into()]);
        table.row(["user_22".into(), "Line\nbreak".into()]);
        assert_eq!(
            table.to_string(),
            "ID       NAME\nuser_1   Ada Lovelace\nuser_22  Line break"
        );
        assert_eq!(
            Table::new(["ID"]).when_empty("no users").to_string(),
            "no users"
        );
    }

    #[test]
    fn details_align_labels() {
        let details = Details::new()
            .field("ID", "user_1")
            .field_opt("Username", None::<&str>)
            .field("Created", "2024");
        assert_eq!(details.to_string(), "ID:       user_1\nCreated:  2024");
    }
}
