//! The scale benchmark of clerk-server: how the users routes cost as the number of users
//! grows from 10 thousand to a million, on SQLite and on PostgreSQL.
//!
//! For each backend a run creates a fresh database, seeds it with
//! [`clerk_server::seed_users`], starts the server in a child process (this benchmark's own
//! executable, so that its memory can be read alone from `/proc/<pid>/status`), and times
//! each [`Workload`] over HTTP, one request at a time, on random seeded users. It also asks
//! the server for the plan of every workload's statements (`GET /v1/_local/explain/…`) and
//! fails the run when a filter does not use an index (see [`plans`]); the plans of every
//! other filter and order of `GET /v1/users` are checked the same way (see [`filters`]).
//!
//! Run it with `bench/scale.sh --tier 10k` (see `BENCHMARKS.md`, section "Scale"):
//!
//! The organizations check ([`orgs`]) compares a page of a 100k-member organization's
//! memberships with a 1k-member one's.
//!
//! ```text
//! bench/scale.sh --tier 10k --smoke                                # CI: a quick check
//! bench/scale.sh orgs --small 1k --large 100k                      # organizations
//! bench/scale.sh --tier 10k,100k,1m --out bench/results/scale.json  # BENCHMARKS.md
//! bench/scale.sh report bench/results/scale.json                   # the growth table
//! bench/scale.sh seed --database-url <url> --users 100k            # fill a database
//! ```

#![warn(missing_docs)]

pub mod backend;
pub mod filters;
pub mod measure;
pub mod orgs;
pub mod plans;
pub mod report;
pub mod run;
pub mod server;

/// The error of every fallible step: the benchmark reports it and stops.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The secret key of the benchmark's servers (their databases are throwaway).
pub const SECRET_KEY: &str = "sk_test_scale_benchmark_key";

/// Parses a tier such as `10k`, `100k`, `1m` or a plain number of users.
///
/// ```
/// use clerk_scale_bench::parse_tier;
///
/// assert_eq!(parse_tier("10k"), Ok(10_000));
/// assert_eq!(parse_tier("1M"), Ok(1_000_000));
/// assert_eq!(parse_tier("2500"), Ok(2_500));
/// assert!(parse_tier("lots").is_err());
/// ```
pub fn parse_tier(tier: &str) -> Result<u64, String> {
    let lower = tier.trim().to_ascii_lowercase();
    let (digits, factor) = match lower.strip_suffix('k') {
        Some(d) => (d, 1_000),
        None => match lower.strip_suffix('m') {
            Some(d) => (d, 1_000_000),
            None => (lower.as_str(), 1),
        },
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{tier:?} is not a number of users (such as 10k, 100k, 1m, 2500)"))
}

/// How a number of users is written in tables: `10k`, `1M`, `2500`.
///
/// ```
/// assert_eq!(clerk_scale_bench::tier_label(1_000_000), "1M");
/// assert_eq!(clerk_scale_bench::tier_label(100_000), "100k");
/// assert_eq!(clerk_scale_bench::tier_label(2_500), "2500");
/// ```
pub fn tier_label(users: u64) -> String {
    if users >= 1_000_000 && users % 1_000_000 == 0 {
        format!("{}M", users / 1_000_000)
    } else if users >= 1_000 && users % 1_000 == 0 {
        format!("{}k", users / 1_000)
    } else {
        users.to_string()
    }
}
