//! `users import --dry-run`: every row read and turned into a create body, nothing sent.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::json;

use super::Format;
use super::rows::{Item, join_reader, spawn_reader};
use crate::Context;
use crate::error::CliResult;
use crate::migration::RowOptions;

/// What a dry run counted.
#[derive(Default)]
struct Counts {
    rows: u64,
    would_create: u64,
    already_done: u64,
    invalid: u64,
}

/// Checks every row of `file`; invalid rows are listed on stderr, the counts go to stdout.
/// Rows in `done` (the checkpoint's) are counted as already imported.
pub(super) async fn run(
    ctx: &Context,
    file: &Path,
    format: Format,
    done: &HashMap<String, String>,
    options: RowOptions,
) -> CliResult {
    let (mut rows, reader) = spawn_reader(file.to_owned(), format);
    let mut counts = Counts::default();
    let mut seen = HashSet::new();
    while let Some(item) = rows.recv().await {
        if matches!(item, Item::Header(_)) {
            continue;
        }
        counts.rows += 1;
        if let Some(problem) = check(item, done, options, &mut seen, &mut counts) {
            counts.invalid += 1;
            eprintln!("invalid: {problem}");
        }
    }
    join_reader(reader).await?;
    print(ctx, &counts)
}

/// What is wrong with one item, if anything; counts the rows that are fine.
fn check(
    item: Item,
    done: &HashMap<String, String>,
    options: RowOptions,
    seen: &mut HashSet<String>,
    counts: &mut Counts,
) -> Option<String> {
    let row = match item {
        Item::Header(_) => return None,
        Item::Bad { line, error, .. } => return Some(format!("line {line}: {error}")),
        Item::Row(row) => row,
    };
    if done.contains_key(&row.key) {
        counts.already_done += 1;
        return None;
    }
    match row.user.to_create(options) {
        Err(error) => Some(format!("line {}: {error}", row.line)),
        Ok(_) if !seen.insert(row.key.clone()) => Some(format!(
            "line {}: another row has the same id {:?}",
            row.line, row.key
        )),
        Ok(_) => {
            counts.would_create += 1;
            None
        }
    }
}

fn print(ctx: &Context, counts: &Counts) -> CliResult {
    let out = ctx.out();
    let Counts {
        rows,
        would_create,
        already_done,
        invalid,
    } = counts;
    if out.is_json() {
        let report = json!({"rows": rows, "would_create": would_create,
            "already_done": already_done, "invalid": invalid});
        return out.line(report);
    }
    out.line(format!(
        "dry run: {rows} row(s): {would_create} would be created, {already_done} already \
         imported, {invalid} invalid; nothing was sent (the API may still refuse rows, such as \
         taken email addresses)"
    ))
}
