//! One run: for each backend, a fresh database, seeding, a server, the workloads, the plans.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clerk_server::{Config, SeedUsers, SeededUser, seed_users};
use serde_json::Value;

use crate::backend::{Backend, Database};
use crate::measure::{Rng, Stats, Target, Workload};
use crate::plans::{StatementPlan, full_scans};
use crate::report::{BackendResult, TierResult, WorkloadResult, today};
use crate::server::{Memory, ServerProcess};
use crate::{Error, SECRET_KEY, tier_label};

/// What to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// How many users to seed.
    pub users: u64,
    /// The backends to measure, in order.
    pub backends: Vec<Backend>,
    /// Timed requests per workload.
    pub requests: usize,
    /// Untimed requests per workload before the timed ones.
    pub warmup: usize,
    /// A PostgreSQL URL whose server hosts the benchmark's databases.
    pub postgres_url: String,
    /// Where SQLite files go.
    pub work_dir: PathBuf,
    /// Keep the databases afterwards (their location is logged).
    pub keep: bool,
    /// Seed of the choice of users.
    pub seed: u64,
    /// The command line, for the report.
    pub command: String,
}

/// Runs every backend of `opts` and collects the results.
pub async fn run(opts: &RunOptions) -> Result<TierResult, Error> {
    let mut backends = Vec::new();
    for &backend in &opts.backends {
        backends.push(run_backend(backend, opts).await?);
    }
    Ok(TierResult {
        users: opts.users,
        date: today(),
        command: opts.command.clone(),
        cpus: std::thread::available_parallelism().map_or(1, usize::from),
        backends,
    })
}

async fn run_backend(backend: Backend, opts: &RunOptions) -> Result<BackendResult, Error> {
    let label = tier_label(opts.users);
    let database = Database::create(backend, &label, &opts.work_dir, &opts.postgres_url).await?;
    let result = measure_on(&database, backend, opts).await;
    if opts.keep {
        tracing::info!(
            backend = backend.label(),
            url = database.url(),
            "database kept"
        );
    } else {
        database.remove().await?;
    }
    result
}

async fn measure_on(
    database: &Database,
    backend: Backend,
    opts: &RunOptions,
) -> Result<BackendResult, Error> {
    tracing::info!(backend = backend.label(), users = opts.users, "seeding");
    let config = Config::new(database.url()).with_secret_key(SECRET_KEY);
    let seeded = seed_users(&config, &SeedUsers::new(opts.users)).await?;
    tracing::info!(
        backend = backend.label(),
        seconds = seeded.elapsed.as_secs_f64(),
        "seeded"
    );
    let database_bytes = database.size_bytes().await?;
    let server = ServerProcess::spawn(database.url(), SECRET_KEY).await?;
    let driven = drive(&server, backend, opts).await;
    let stopped = server.stop().await;
    let (memory_started, memory_after, workloads) = driven?;
    stopped?;
    Ok(BackendResult {
        backend,
        seed_seconds: seeded.elapsed.as_secs_f64(),
        database_bytes,
        memory_started,
        memory_after,
        workloads,
    })
}

/// The workloads against a running server: memory at start, memory after, results.
async fn drive(
    server: &ServerProcess,
    backend: Backend,
    opts: &RunOptions,
) -> Result<(Memory, Memory, Vec<WorkloadResult>), Error> {
    let memory_started = server.memory()?;
    let api = Api::new(server.base_url())?;
    let mut rng = Rng::new(opts.seed);
    let per_workload = opts.warmup + opts.requests;
    // Users looked up by id need their ids first: found by email, untimed.
    let mut with_ids = Vec::with_capacity(per_workload);
    for _ in 0..per_workload {
        let user = SeededUser::at(rng.below(opts.users));
        with_ids.push(api.resolve(user).await?);
    }
    let mut results = Vec::new();
    for workload in Workload::ALL {
        let targets: Vec<Target> = match workload {
            Workload::GetById | Workload::OrderedCursor => with_ids.clone(),
            // Other users than those just looked up, so their pages are not fresher in
            // the caches than the rest.
            Workload::EmailFilter | Workload::Query => (0..per_workload)
                .map(|_| Target {
                    user: SeededUser::at(rng.below(opts.users)),
                    id: String::new(),
                })
                .collect(),
            Workload::OrderedOffset | Workload::Count => vec![with_ids[0].clone(); per_workload],
        };
        let mut latencies = Vec::with_capacity(opts.requests);
        for (i, target) in targets.iter().enumerate() {
            let (elapsed, body) = api.get(&workload.path(target)).await?;
            workload
                .check(&body, target, opts.users)
                .map_err(|err| format!("{} {}: {err}", backend.label(), workload.describe()))?;
            if i >= opts.warmup {
                latencies.push(elapsed);
            }
        }
        let stats = Stats::from_samples(latencies).ok_or("no timed requests")?;
        let plans = api.plans(&workload.explain_path(&targets[0])).await?;
        let scans = plans
            .iter()
            .flat_map(|p| full_scans(backend, workload, &p.plan))
            .collect();
        tracing::info!(
            backend = backend.label(),
            workload = workload.describe(),
            p50_ms = stats.p50_ms,
            p95_ms = stats.p95_ms,
            "measured"
        );
        results.push(WorkloadResult {
            workload,
            stats,
            plans,
            full_scans: scans,
        });
    }
    let memory_after = server.memory()?;
    Ok((memory_started, memory_after, results))
}

/// The server's API, authenticated, one request at a time on a kept-alive connection.
struct Api {
    http: reqwest::Client,
    v1: String,
}

impl Api {
    fn new(base_url: &str) -> Result<Self, Error> {
        Ok(Self {
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(300))
                .build()?,
            v1: format!("{base_url}/v1"),
        })
    }

    /// `GET /v1<path>`: the time until the whole body arrived, and the body.
    async fn get(&self, path: &str) -> Result<(Duration, Value), Error> {
        let started = Instant::now();
        let response = self
            .http
            .get(format!("{}{path}", self.v1))
            .bearer_auth(SECRET_KEY)
            .send()
            .await?;
        let status = response.status();
        let bytes = response.bytes().await?;
        let elapsed = started.elapsed();
        if !status.is_success() {
            return Err(format!(
                "GET {path} answered {status}: {}",
                String::from_utf8_lossy(&bytes)
            )
            .into());
        }
        Ok((elapsed, serde_json::from_slice(&bytes)?))
    }

    /// The seeded user with its id, found by email address.
    async fn resolve(&self, user: SeededUser) -> Result<Target, Error> {
        let probe = Target {
            user,
            id: String::new(),
        };
        let (_, body) = self.get(&Workload::EmailFilter.path(&probe)).await?;
        let id = body[0]["id"]
            .as_str()
            .ok_or_else(|| format!("seeded user {} not found", probe.user.email_address))?
            .to_owned();
        Ok(Target { id, ..probe })
    }

    /// The plans `GET /v1/_local/explain/…` reports.
    async fn plans(&self, path: &str) -> Result<Vec<StatementPlan>, Error> {
        let (_, body) = self.get(path).await?;
        Ok(serde_json::from_value(body["data"].clone())?)
    }
}
