//! One run: for each backend, a fresh database per tier, seeding, a server per tier, the
//! workloads, the plans.
//!
//! With several tiers, their servers run side by side and each workload's requests
//! alternate between them (10k, 100k, 1M, 10k, …), so that whatever else the machine is
//! doing slows every tier alike and the growth from one tier to the next is measured, not
//! the noise between two runs.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clerk_server::{Config, SeedUsers, SeededUser, seed_users};
use serde_json::Value;

use crate::backend::{Backend, Database};
use crate::filters::{self, Anchors};
use crate::measure::{Rng, Stats, Target, Workload};
use crate::plans::{StatementPlan, full_scans};
use crate::report::{BackendResult, FilterResult, TierResult, WorkloadResult, today};
use crate::server::{Memory, ServerProcess};
use crate::{Error, SECRET_KEY, tier_label};

/// What to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// How many users to seed, per tier (measured side by side).
    pub tiers: Vec<u64>,
    /// The backends to measure, in order.
    pub backends: Vec<Backend>,
    /// Timed requests per workload and tier.
    pub requests: usize,
    /// Untimed requests per workload and tier before the timed ones.
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

/// Runs every backend and tier of `opts`; one result per tier, smallest first.
pub async fn run(opts: &RunOptions) -> Result<Vec<TierResult>, Error> {
    let mut tiers = opts.tiers.clone();
    tiers.sort_unstable();
    tiers.dedup();
    let mut results: Vec<TierResult> = tiers
        .iter()
        .map(|&users| TierResult {
            users,
            date: today(),
            command: opts.command.clone(),
            cpus: std::thread::available_parallelism().map_or(1, usize::from),
            backends: Vec::new(),
        })
        .collect();
    for &backend in &opts.backends {
        let per_tier = run_backend(backend, &tiers, opts).await?;
        for (result, backend_result) in results.iter_mut().zip(per_tier) {
            result.backends.push(backend_result);
        }
    }
    Ok(results)
}

/// A seeded database of one tier.
struct Seeded {
    users: u64,
    database: Database,
    seed_seconds: f64,
    database_bytes: u64,
}

async fn run_backend(
    backend: Backend,
    tiers: &[u64],
    opts: &RunOptions,
) -> Result<Vec<BackendResult>, Error> {
    let mut seeded = Vec::new();
    let mut outcome = Ok(());
    for &users in tiers {
        match seed_tier(backend, users, opts).await {
            Ok(tier) => seeded.push(tier),
            Err(err) => {
                outcome = Err(err);
                break;
            }
        }
    }
    let measured = match outcome {
        Ok(()) => measure_tiers(backend, &seeded, opts).await,
        Err(err) => Err(err),
    };
    for tier in seeded {
        if opts.keep {
            tracing::info!(
                backend = backend.label(),
                url = tier.database.url(),
                "database kept"
            );
        } else {
            tier.database.remove().await?;
        }
    }
    measured
}

async fn seed_tier(backend: Backend, users: u64, opts: &RunOptions) -> Result<Seeded, Error> {
    let database = Database::create(
        backend,
        &tier_label(users),
        &opts.work_dir,
        &opts.postgres_url,
    )
    .await?;
    tracing::info!(backend = backend.label(), users, "seeding");
    let config = Config::new(database.url()).with_secret_key(SECRET_KEY);
    let report = match seed_users(&config, &SeedUsers::new(users)).await {
        Ok(report) => report,
        Err(err) => {
            let _ = database.remove().await;
            return Err(err.into());
        }
    };
    let seed_seconds = report.elapsed.as_secs_f64();
    tracing::info!(
        backend = backend.label(),
        users,
        seconds = seed_seconds,
        "seeded"
    );
    let database_bytes = database.size_bytes().await?;
    Ok(Seeded {
        users,
        database,
        seed_seconds,
        database_bytes,
    })
}

/// Starts a server per tier, drives them side by side, stops them.
async fn measure_tiers(
    backend: Backend,
    seeded: &[Seeded],
    opts: &RunOptions,
) -> Result<Vec<BackendResult>, Error> {
    let mut servers = Vec::new();
    for tier in seeded {
        match ServerProcess::spawn(tier.database.url(), SECRET_KEY).await {
            Ok(server) => servers.push(server),
            Err(err) => {
                stop_all(servers).await;
                return Err(err);
            }
        }
    }
    let driven = drive(&servers, seeded, backend, opts).await;
    stop_all(servers).await;
    let driven = driven?;
    Ok(seeded
        .iter()
        .zip(driven)
        .map(|(tier, measured)| BackendResult {
            backend,
            seed_seconds: tier.seed_seconds,
            database_bytes: tier.database_bytes,
            memory_started: measured.memory_started,
            memory_after: measured.memory_after,
            workloads: measured.workloads,
            filters: measured.filters,
        })
        .collect())
}

async fn stop_all(servers: Vec<ServerProcess>) {
    for server in servers {
        if let Err(err) = server.stop().await {
            tracing::warn!(error = %err, "a server did not stop cleanly");
        }
    }
}

/// What one tier measured.
struct Measured {
    memory_started: Memory,
    memory_after: Memory,
    workloads: Vec<WorkloadResult>,
    filters: Vec<FilterResult>,
}

/// One tier's server, API client and users to ask about.
struct Lane<'a> {
    server: &'a ServerProcess,
    api: Api,
    users: u64,
    memory_started: Memory,
    /// Users looked up by id, with their ids (found by email, untimed).
    with_ids: Vec<Target>,
    rng: Rng,
}

impl Lane<'_> {
    /// The users a workload asks about, one per request.
    fn targets(&mut self, workload: Workload, count: usize) -> Vec<Target> {
        match workload {
            Workload::GetById | Workload::OrderedCursor => self.with_ids.clone(),
            // Other users than those just looked up, so that their pages are not fresher
            // in the caches than the rest.
            Workload::EmailFilter | Workload::Query => (0..count)
                .map(|_| Target {
                    user: SeededUser::at(self.rng.below(self.users)),
                    id: String::new(),
                })
                .collect(),
            Workload::OrderedOffset | Workload::Count => vec![self.with_ids[0].clone(); count],
        }
    }
}

/// Every workload against every tier's server, requests alternating between tiers.
async fn drive(
    servers: &[ServerProcess],
    seeded: &[Seeded],
    backend: Backend,
    opts: &RunOptions,
) -> Result<Vec<Measured>, Error> {
    let per_workload = opts.warmup + opts.requests;
    let mut lanes = Vec::new();
    for (server, tier) in servers.iter().zip(seeded) {
        let memory_started = server.memory()?;
        let api = Api::new(server.base_url())?;
        let mut rng = Rng::new(opts.seed);
        let mut with_ids = Vec::with_capacity(per_workload);
        for _ in 0..per_workload {
            with_ids.push(api.resolve(SeededUser::at(rng.below(tier.users))).await?);
        }
        lanes.push(Lane {
            server,
            api,
            users: tier.users,
            memory_started,
            with_ids,
            rng,
        });
    }
    let mut results: Vec<Vec<WorkloadResult>> = lanes.iter().map(|_| Vec::new()).collect();
    for workload in Workload::ALL {
        let targets: Vec<Vec<Target>> = lanes
            .iter_mut()
            .map(|lane| lane.targets(workload, per_workload))
            .collect();
        let mut latencies = vec![Vec::with_capacity(opts.requests); lanes.len()];
        for round in 0..per_workload {
            for ((lane, lane_targets), timed) in lanes.iter().zip(&targets).zip(&mut latencies) {
                let target = &lane_targets[round];
                let (elapsed, body) = lane.api.get(&workload.path(target)).await?;
                workload.check(&body, target, lane.users).map_err(|err| {
                    format!(
                        "{} at {} users, {}: {err}",
                        backend.label(),
                        lane.users,
                        workload.describe()
                    )
                })?;
                if round >= opts.warmup {
                    timed.push(elapsed);
                }
            }
        }
        for (((lane, lane_targets), timed), lane_results) in
            lanes.iter().zip(&targets).zip(latencies).zip(&mut results)
        {
            let stats = Stats::from_samples(timed).ok_or("no timed requests")?;
            let plans = lane
                .api
                .plans(&workload.explain_path(&lane_targets[0]))
                .await?;
            let scans = plans
                .iter()
                .flat_map(|p| full_scans(backend, workload.walk(), &p.plan))
                .collect();
            tracing::info!(
                backend = backend.label(),
                users = lane.users,
                workload = workload.describe(),
                p50_ms = stats.p50_ms,
                p95_ms = stats.p95_ms,
                "measured"
            );
            lane_results.push(WorkloadResult {
                workload,
                stats,
                plans,
                full_scans: scans,
            });
        }
    }
    let mut measured = Vec::new();
    for (lane, workloads) in lanes.iter().zip(results) {
        let filters = check_filters(lane, backend).await?;
        measured.push(Measured {
            memory_started: lane.memory_started,
            memory_after: lane.server.memory()?,
            workloads,
            filters,
        });
    }
    Ok(measured)
}

/// Runs every other filter and order once (checking that it answers) and checks its plans.
async fn check_filters(lane: &Lane<'_>, backend: Backend) -> Result<Vec<FilterResult>, Error> {
    let created_at = |body: Value| body[0]["created_at"].as_i64().ok_or("no created_at");
    let (_, newest) = lane.api.get("/users?limit=1").await?;
    let (_, oldest) = lane.api.get("/users?order_by=created_at&limit=1").await?;
    let anchors = Anchors {
        user: lane.with_ids[0].clone(),
        newest_ms: created_at(newest)?,
        oldest_ms: created_at(oldest)?,
    };
    let mut results = Vec::new();
    for case in filters::cases(&anchors) {
        lane.api.get(&format!("/users?{}", case.query)).await?;
        let plans = lane
            .api
            .plans(&format!("/_local/explain/users?{}", case.query))
            .await?;
        let scans = plans
            .iter()
            .flat_map(|p| full_scans(backend, case.walk, &p.plan))
            .collect();
        results.push(FilterResult {
            query: case.query,
            plans,
            full_scans: scans,
        });
    }
    Ok(results)
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
