//! Results: what a run measured (saved as JSON), and the Markdown tables of `BENCHMARKS.md`.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::backend::Backend;
use crate::filters::access_path;
use crate::measure::{Stats, Workload};
use crate::plans::StatementPlan;
use crate::server::Memory;
use crate::tier_label;

/// Everything one run measured, for one number of users.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TierResult {
    /// How many users were seeded.
    pub users: u64,
    /// The day of the run, `YYYY-MM-DD` (UTC).
    pub date: String,
    /// The command that produced it.
    pub command: String,
    /// How many CPUs the machine had.
    pub cpus: usize,
    /// One result per backend, in the order they ran.
    pub backends: Vec<BackendResult>,
}

/// What one backend measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BackendResult {
    /// The backend.
    pub backend: Backend,
    /// How long [`clerk_server::seed_users`] took, in seconds.
    pub seed_seconds: f64,
    /// The size of the database after seeding, in bytes.
    pub database_bytes: u64,
    /// The server's memory once started, before any request.
    pub memory_started: Memory,
    /// The server's memory after every workload ran.
    pub memory_after: Memory,
    /// One result per workload.
    pub workloads: Vec<WorkloadResult>,
    /// The plans of every other filter and order (not timed).
    pub filters: Vec<FilterResult>,
}

/// The plan of `GET /v1/users?<query>` for one filter or order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FilterResult {
    /// The query string.
    pub query: String,
    /// The plans of its statements (none when the filter matches nobody without a query).
    pub plans: Vec<StatementPlan>,
    /// The plan steps that scan a whole table or index beyond what the case allows.
    pub full_scans: Vec<String>,
}

/// The latencies of one workload and the plans of its statements.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkloadResult {
    /// The workload.
    pub workload: Workload,
    /// Its latencies.
    pub stats: Stats,
    /// The plans of the statements it runs (for one of the users it asked about).
    pub plans: Vec<StatementPlan>,
    /// The plan steps that scan a whole table or index (empty when every filter uses an
    /// index).
    pub full_scans: Vec<String>,
}

impl TierResult {
    /// Every full scan found, as `backend / request: step` lines.
    pub fn violations(&self) -> Vec<String> {
        let mut found = Vec::new();
        for b in &self.backends {
            for w in &b.workloads {
                for scan in &w.full_scans {
                    found.push(format!(
                        "{} / {}: {scan}",
                        b.backend.label(),
                        w.workload.describe()
                    ));
                }
            }
            for f in &b.filters {
                for scan in &f.full_scans {
                    found.push(format!("{} / users?{}: {scan}", b.backend.label(), f.query));
                }
            }
        }
        found
    }

    /// How every filter and order reads `users` (the page statement's plan), per backend.
    pub fn filters_markdown(&self) -> String {
        let mut out = String::from("| `GET /users?…` |");
        for b in &self.backends {
            let _ = write!(out, " {} |", b.backend.label());
        }
        out.push_str("\n|---|");
        out.push_str(&"---|".repeat(self.backends.len()));
        out.push('\n');
        let Some(first) = self.backends.first() else {
            return out;
        };
        for (i, case) in first.filters.iter().enumerate() {
            let _ = write!(out, "| `{}` |", case.query.replace('|', "\\|"));
            for b in &self.backends {
                let cell = match b.filters.get(i) {
                    Some(f) => match f.plans.iter().find(|p| p.purpose == "page") {
                        Some(page) => format!("`{}`", access_path(b.backend, &page.plan)),
                        None => "no statement (matches nobody)".to_owned(),
                    },
                    None => String::new(),
                };
                let _ = write!(out, " {} |", cell.replace('|', "\\|"));
            }
            out.push('\n');
        }
        out
    }

    /// The Markdown section of this run: latencies, seeding, size and memory, then plans.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "### {} users\n\nRun on {} ({} CPUs) with `{}`; latencies of sequential requests over HTTP on loopback.\n",
            tier_label(self.users),
            self.date,
            self.cpus,
            self.command
        );
        out.push_str("| request |");
        for b in &self.backends {
            let _ = write!(out, " {0} p50 | {0} p95 |", b.backend.label());
        }
        out.push_str("\n|---|");
        out.push_str(&"---:|".repeat(self.backends.len() * 2));
        out.push('\n');
        for workload in Workload::ALL {
            let _ = write!(out, "| {} |", workload.describe());
            for b in &self.backends {
                match b.workloads.iter().find(|w| w.workload == workload) {
                    Some(w) => {
                        let _ = write!(out, " {} | {} |", ms(w.stats.p50_ms), ms(w.stats.p95_ms));
                    }
                    None => out.push_str(" | |"),
                }
            }
            out.push('\n');
        }
        out.push_str("\n| |");
        for b in &self.backends {
            let _ = write!(out, " {} |", b.backend.label());
        }
        out.push_str("\n|---|");
        out.push_str(&"---:|".repeat(self.backends.len()));
        let rows: [(&str, Cell); 4] = [
            ("seeding (`seed_users`)", |b| {
                format!("{:.1} s", b.seed_seconds)
            }),
            ("database size", |b| mib(b.database_bytes)),
            ("server RSS after start", |b| {
                mib(b.memory_started.rss_kib * 1024)
            }),
            ("server RSS after the run (peak)", |b| {
                format!(
                    "{} ({})",
                    mib(b.memory_after.rss_kib * 1024),
                    mib(b.memory_after.peak_kib * 1024)
                )
            }),
        ];
        for (name, value) in rows {
            let _ = write!(out, "\n| {name} |");
            for b in &self.backends {
                let _ = write!(out, " {} |", value(b));
            }
        }
        out.push('\n');
        out
    }

    /// The query plans of every workload, as Markdown.
    pub fn plans_markdown(&self) -> String {
        let mut out = String::new();
        for b in &self.backends {
            let _ = writeln!(
                out,
                "#### {} ({} users)\n",
                b.backend.label(),
                tier_label(self.users)
            );
            for w in &b.workloads {
                let _ = writeln!(out, "{}:\n\n```text", w.workload.describe());
                for plan in &w.plans {
                    let _ = writeln!(out, "-- {}: {}", plan.purpose, short_sql(&plan.sql));
                    for line in &plan.plan {
                        let _ = writeln!(out, "{line}");
                    }
                }
                out.push_str("```\n\n");
            }
        }
        out
    }
}

/// How a row of the backend table renders one backend.
type Cell = fn(&BackendResult) -> String;

/// The growth table over several runs: p50 per workload and backend for each number of
/// users, and the growth from the smallest to the largest.
pub fn growth_markdown(runs: &[TierResult]) -> String {
    let mut runs: Vec<&TierResult> = runs.iter().collect();
    runs.sort_by_key(|r| r.users);
    let mut out = String::from("| request | backend |");
    for run in &runs {
        let _ = write!(out, " p50 at {} |", tier_label(run.users));
    }
    out.push_str(" growth |\n|---|---|");
    out.push_str(&"---:|".repeat(runs.len() + 1));
    out.push('\n');
    let backends = [Backend::Sqlite, Backend::Postgres];
    for workload in Workload::ALL {
        for backend in backends {
            let p50s: Vec<Option<f64>> = runs
                .iter()
                .map(|run| {
                    run.backends
                        .iter()
                        .find(|b| b.backend == backend)?
                        .workloads
                        .iter()
                        .find(|w| w.workload == workload)
                        .map(|w| w.stats.p50_ms)
                })
                .collect();
            if p50s.iter().all(Option::is_none) {
                continue;
            }
            let _ = write!(out, "| {} | {} |", workload.describe(), backend.label());
            for p50 in &p50s {
                let _ = write!(out, " {} |", p50.map(ms).unwrap_or_default());
            }
            let growth = match (p50s.first(), p50s.last()) {
                (Some(Some(first)), Some(Some(last))) if p50s.len() > 1 => {
                    let ratio = last / first;
                    let verdict = match workload.has_growth_target() {
                        true if ratio < 2.0 => " (target < 2x: met)",
                        true => " (target < 2x: **missed**)",
                        false => "",
                    };
                    format!("{ratio:.2}x{verdict}")
                }
                _ => String::new(),
            };
            let _ = writeln!(out, " {growth} |");
        }
    }
    out
}

/// The SQL with a long select list shortened to its first column and a count.
///
/// ```
/// use clerk_scale_bench::report::short_sql;
///
/// assert_eq!(
///     short_sql("SELECT id, a, b, c FROM users WHERE id = $1"),
///     "SELECT id, … (4 columns) FROM users WHERE id = $1"
/// );
/// assert_eq!(short_sql("SELECT COUNT(*) FROM users"), "SELECT COUNT(*) FROM users");
/// ```
pub fn short_sql(sql: &str) -> String {
    if let Some((columns, tail)) = sql
        .strip_prefix("SELECT ")
        .and_then(|rest| rest.split_once(" FROM "))
    {
        let names: Vec<&str> = columns.split(", ").collect();
        if names.len() > 3 {
            return format!(
                "SELECT {}, … ({} columns) FROM {tail}",
                names[0],
                names.len()
            );
        }
    }
    sql.to_owned()
}

fn ms(value: f64) -> String {
    if value < 10.0 {
        format!("{value:.2} ms")
    } else {
        format!("{value:.1} ms")
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(secs / 86_400)
}

/// The date `days` days after 1970-01-01 (Howard Hinnant's days-to-civil algorithm).
///
/// ```
/// assert_eq!(clerk_scale_bench::report::civil_date(0), "1970-01-01");
/// assert_eq!(clerk_scale_bench::report::civil_date(19_723), "2024-01-01");
/// ```
pub fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
