//! The scale benchmark (see the `clerk_scale_bench` crate docs and `BENCHMARKS.md`).
//!
//! ```text
//! cargo bench --bench scale -- --tier 10k [--backend both] [--requests 300] [--smoke]
//! cargo bench --bench scale -- report bench/results/scale.json
//! cargo bench --bench scale -- seed --database-url <url> --users 100k
//! ```
//!
//! The same executable is the server under test: `scale serve` runs clerk-server until its
//! standard input closes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use clerk_scale_bench::backend::Backend;
use clerk_scale_bench::orgs::{OrgOptions, run_orgs};
use clerk_scale_bench::report::{TierResult, growth_markdown};
use clerk_scale_bench::run::{RunOptions, run};
use clerk_scale_bench::server::READY_PREFIX;
use clerk_scale_bench::{Error, parse_tier, tier_label};
use tokio::io::AsyncReadExt;

/// Seeds clerk-server with N users on SQLite and PostgreSQL and times the users routes.
#[derive(Debug, Parser)]
#[command(name = "scale", args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// Users to seed: 10k, 100k, 1m or a number; several, comma-separated, are measured
    /// side by side (requests alternate between them).
    #[arg(long, default_value = "10k", value_parser = parse_tier, value_delimiter = ',')]
    tier: Vec<u64>,

    /// Which backends to measure.
    #[arg(long, value_enum, default_value = "both", global = true)]
    backend: BackendChoice,

    /// Timed requests per workload and tier (default 300; 40 with --smoke).
    #[arg(long, global = true)]
    requests: Option<usize>,

    /// Untimed requests per workload and tier first (default 20; 5 with --smoke).
    #[arg(long, global = true)]
    warmup: Option<usize>,

    /// A quick run for CI: fewer requests; still checks every answer and every plan.
    #[arg(long, global = true)]
    smoke: bool,

    /// The PostgreSQL server to create the benchmark's database on (any database there).
    #[arg(
        long,
        env = "CLERK_TEST_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/test",
        global = true
    )]
    postgres_url: String,

    /// Where the SQLite databases go (a relative path is taken from the repository root,
    /// as are those of --out: `cargo bench` runs benchmarks from their package directory).
    #[arg(long, default_value = "target/scale", global = true)]
    work_dir: PathBuf,

    /// Write the results as JSON here (and the Markdown beside it, as .md).
    #[arg(long)]
    out: Option<PathBuf>,

    /// Keep the databases afterwards.
    #[arg(long)]
    keep: bool,

    /// Seed of the choice of users.
    #[arg(long, default_value_t = 1, global = true)]
    seed: u64,

    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true, global = true)]
    bench: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum BackendChoice {
    Sqlite,
    Postgres,
    Both,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Prints the growth table of earlier runs' JSON results.
    Report {
        /// Result files of `--out`.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Seeds a database (created and migrated if needed) with synthetic users, for a load
    /// test: clerk_server::seed_users. Example:
    /// bench/scale.sh seed --database-url postgres://postgres@127.0.0.1/loadtest --users 1m
    Seed {
        /// The database: postgres://…, sqlite://path or a file path.
        #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
        database_url: String,
        /// How many users: 10k, 1m, or a number.
        #[arg(long, value_parser = parse_tier)]
        users: u64,
        /// The index of the first user (to add to a database seeded before).
        #[arg(long, default_value_t = 0)]
        starting_at: u64,
        /// Give every user this password (hashed once; all users share the digest).
        #[arg(long, env = "CLERK_SEED_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Organizations: a page of a large organization's memberships (and a member's
    /// memberships) against a small one's, side by side; the target is a p50 ratio under 2.
    /// Example: bench/scale.sh orgs --small 1k --large 100k --out bench/results/orgs.json
    Orgs {
        /// Members of the small organization.
        #[arg(long, default_value = "1k", value_parser = parse_tier)]
        small: u64,
        /// Members of the large organization.
        #[arg(long, default_value = "100k", value_parser = parse_tier)]
        large: u64,
        /// Write the results as JSON here.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Runs the server under test (the benchmark starts it; not for people).
    #[command(hide = true)]
    Serve {
        #[arg(long)]
        database_url: String,
        #[arg(long)]
        secret_key: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = if matches!(cli.command, Some(Command::Serve { .. })) {
        "warn"
    } else {
        // sqlx warns about "slow" statements with their whole text: seeding's 500-row
        // inserts are slow by design.
        "info,sqlx=error"
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| filter.into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let outcome = match cli.command {
        Some(Command::Serve {
            ref database_url,
            ref secret_key,
        }) => serve(database_url, secret_key).await,
        Some(Command::Report { ref files }) => report(files),
        Some(Command::Orgs {
            small,
            large,
            ref out,
        }) => orgs(&cli, small, large, out.as_deref()).await,
        Some(Command::Seed {
            ref database_url,
            users,
            starting_at,
            ref password,
        }) => seed(database_url, users, starting_at, password.as_deref()).await,
        None => measure(&cli).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("scale: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The backends the command line chose.
fn backends(cli: &Cli) -> Vec<Backend> {
    match cli.backend {
        BackendChoice::Sqlite => vec![Backend::Sqlite],
        BackendChoice::Postgres => vec![Backend::Postgres],
        BackendChoice::Both => vec![Backend::Sqlite, Backend::Postgres],
    }
}

/// The command line as given (without cargo's `--bench`).
fn command_line() -> String {
    std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect::<Vec<_>>()
        .join(" ")
}

async fn orgs(cli: &Cli, small: u64, large: u64, out: Option<&Path>) -> Result<(), Error> {
    let opts = OrgOptions {
        small,
        large,
        backends: backends(cli),
        requests: cli.requests.unwrap_or(if cli.smoke { 40 } else { 300 }),
        warmup: cli.warmup.unwrap_or(if cli.smoke { 5 } else { 20 }),
        postgres_url: cli.postgres_url.clone(),
        work_dir: from_repository_root(&cli.work_dir),
        seed: cli.seed,
        command: format!("bench/scale.sh {}", command_line()),
    };
    let run = run_orgs(&opts).await?;
    println!("{}", run.markdown());
    if let Some(out) = out.map(from_repository_root) {
        if let Some(dir) = out.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&out, serde_json::to_string(&run)?)?;
    }
    let misses = run.misses();
    if misses.is_empty() {
        Ok(())
    } else {
        Err(format!("p50 ratio at or over 2: {}", misses.join("; ")).into())
    }
}

async fn measure(cli: &Cli) -> Result<(), Error> {
    let backends = backends(cli);
    let command = command_line();
    let opts = RunOptions {
        tiers: cli.tier.clone(),
        backends,
        requests: cli.requests.unwrap_or(if cli.smoke { 40 } else { 300 }),
        warmup: cli.warmup.unwrap_or(if cli.smoke { 5 } else { 20 }),
        postgres_url: cli.postgres_url.clone(),
        work_dir: from_repository_root(&cli.work_dir),
        keep: cli.keep,
        seed: cli.seed,
        command: format!("bench/scale.sh {command}"),
    };
    let results = run(&opts).await?;
    let mut summary = String::new();
    for result in &results {
        summary.push_str(&result.markdown());
        summary.push('\n');
    }
    if results.len() > 1 {
        summary.push_str("### Growth of p50\n\n");
        summary.push_str(&growth_markdown(&results));
    }
    println!("{summary}");
    if let Some(out) = cli.out.as_deref().map(from_repository_root) {
        if let Some(dir) = out.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&out, serde_json::to_string(&results)?)?;
        let plans: String = results.iter().map(TierResult::plans_markdown).collect();
        let filters: String = results
            .iter()
            .map(|r| {
                let label = tier_label(r.users);
                format!("#### {label} users\n\n{}\n", r.filters_markdown())
            })
            .collect();
        std::fs::write(
            out.with_extension("md"),
            format!(
                "{summary}\n### Query plans\n\n{plans}\n### Every filter and order\n\n{filters}"
            ),
        )?;
        eprintln!("results written to {}", out.display());
    }
    let violations: Vec<String> = results.iter().flat_map(TierResult::violations).collect();
    if violations.is_empty() {
        eprintln!("every filter used an index");
        Ok(())
    } else {
        Err(format!(
            "full scans where an index should serve:\n  {}",
            violations.join("\n  ")
        )
        .into())
    }
}

/// `path` as given if absolute, else under the repository root.
fn from_repository_root(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_owned();
    }
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = package.parent().and_then(Path::parent).unwrap_or(package);
    root.join(path)
}

fn report(files: &[PathBuf]) -> Result<(), Error> {
    let mut runs = Vec::new();
    for file in files {
        let file = from_repository_root(file);
        let text = std::fs::read_to_string(&file)?;
        let tiers: Vec<TierResult> = serde_json::from_str(&text)
            .map_err(|err| format!("{}: not a result file of --out: {err}", file.display()))?;
        runs.extend(tiers);
    }
    println!("{}", growth_markdown(&runs));
    Ok(())
}

/// Seeds `users` users from index `starting_at`; prints what it did.
async fn seed(
    database_url: &str,
    users: u64,
    starting_at: u64,
    password: Option<&str>,
) -> Result<(), Error> {
    let mut seed = clerk_server::SeedUsers::new(users).starting_at(starting_at);
    if let Some(password) = password {
        seed = seed.with_password(password);
    }
    let config = clerk_server::Config::new(database_url);
    let report = clerk_server::seed_users(&config, &seed).await?;
    let first = clerk_server::SeededUser::at(starting_at);
    println!(
        "seeded {} users in {:.1} s; user #{starting_at} is {} (username {})",
        report.users,
        report.elapsed.as_secs_f64(),
        first.email_address,
        first.username
    );
    Ok(())
}

/// The server under test: prints its address, serves until stdin closes.
async fn serve(database_url: &str, secret_key: &str) -> Result<(), Error> {
    let config = clerk_server::Config::new(database_url)
        .with_listen("127.0.0.1:0".parse()?)
        .with_secret_key(secret_key);
    let server = clerk_server::Server::bind(config).await?;
    println!("{READY_PREFIX}{}", server.base_url());
    server
        .serve(async {
            let mut sink = Vec::new();
            let _ = tokio::io::stdin().read_to_end(&mut sink).await;
        })
        .await?;
    Ok(())
}
