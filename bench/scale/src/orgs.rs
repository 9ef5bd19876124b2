//! The organizations scale check: does a page of a large organization's memberships cost
//! what a small one's does? For each backend it seeds users, a large organization (100k
//! members by default) and a small one (1k) with other users, starts the server, and times
//! two workloads on both organizations side by side (requests alternate between them):
//! a page of the organization's memberships, and one member's memberships. The target is
//! a p50 ratio (large / small) under 2.

use std::time::{Duration, Instant};

use clerk_server::{Config, SeedOrganization, SeedUsers, seed_organization, seed_users};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::backend::{Backend, Database};
use crate::measure::{Rng, Stats};
use crate::report::today;
use crate::server::ServerProcess;
use crate::{Error, SECRET_KEY, tier_label};

/// What to run.
#[derive(Debug, Clone)]
pub struct OrgOptions {
    /// Members of the small organization.
    pub small: u64,
    /// Members of the large organization.
    pub large: u64,
    /// The backends to run on, in order.
    pub backends: Vec<Backend>,
    /// Timed requests per workload and organization.
    pub requests: usize,
    /// Untimed requests before timing.
    pub warmup: usize,
    /// Where PostgreSQL is (a fresh database is made on it).
    pub postgres_url: String,
    /// Where SQLite files go.
    pub work_dir: std::path::PathBuf,
    /// The random seed (seeding and the members picked).
    pub seed: u64,
    /// The command line, for the report.
    pub command: String,
}

/// The two timed requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgWorkload {
    /// `GET /v1/organizations/{id}/memberships?limit=10`.
    MembershipsPage,
    /// `GET /v1/users/{id}/organization_memberships` for one of the organization's members.
    MemberMemberships,
}

impl OrgWorkload {
    /// Both, in the table's order.
    pub const ALL: [OrgWorkload; 2] =
        [OrgWorkload::MembershipsPage, OrgWorkload::MemberMemberships];

    /// As the table shows it.
    pub fn describe(self) -> &'static str {
        match self {
            OrgWorkload::MembershipsPage => "`GET /organizations/{id}/memberships?limit=10`",
            OrgWorkload::MemberMemberships => "`GET /users/{id}/organization_memberships`",
        }
    }
}

/// One workload on one backend: both organizations' latencies.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgWorkloadResult {
    /// What was timed.
    pub workload: OrgWorkload,
    /// On the small organization.
    pub small: Stats,
    /// On the large organization.
    pub large: Stats,
}

impl OrgWorkloadResult {
    /// p50 of the large organization over p50 of the small one.
    pub fn ratio(&self) -> f64 {
        self.large.p50_ms / self.small.p50_ms.max(f64::EPSILON)
    }
}

/// One backend's results.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgBackendResult {
    /// Which backend.
    pub backend: Backend,
    /// How long seeding both organizations took.
    pub seed_seconds: f64,
    /// Each workload's latencies.
    pub workloads: Vec<OrgWorkloadResult>,
}

/// A whole run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgRun {
    /// The day it ran (UTC).
    pub date: String,
    /// The command that produced it.
    pub command: String,
    /// Members of the small organization.
    pub small: u64,
    /// Members of the large organization.
    pub large: u64,
    /// One result per backend.
    pub backends: Vec<OrgBackendResult>,
}

impl OrgRun {
    /// The table for BENCHMARKS.md.
    pub fn markdown(&self) -> String {
        let (small, large) = (tier_label(self.small), tier_label(self.large));
        let mut out = format!(
            "{} — `{}`\n\n| backend | request | p50 {small} members (ms) | p50 {large} members (ms) | ratio | p95 {small} / {large} (ms) |\n|---|---|---|---|---|---|\n",
            self.date, self.command
        );
        for backend in &self.backends {
            for w in &backend.workloads {
                out.push_str(&format!(
                    "| {} | {} | {:.2} | {:.2} | **{:.2}** | {:.2} / {:.2} |\n",
                    backend.backend.label(),
                    w.workload.describe(),
                    w.small.p50_ms,
                    w.large.p50_ms,
                    w.ratio(),
                    w.small.p95_ms,
                    w.large.p95_ms,
                ));
            }
        }
        out
    }

    /// The workloads whose ratio misses the target (under 2).
    pub fn misses(&self) -> Vec<String> {
        self.backends
            .iter()
            .flat_map(|b| {
                b.workloads
                    .iter()
                    .filter(|w| w.ratio() >= 2.0)
                    .map(move |w| {
                        format!(
                            "{} {}: ratio {:.2}",
                            b.backend.label(),
                            w.workload.describe(),
                            w.ratio()
                        )
                    })
            })
            .collect()
    }
}

/// Seeds, measures and reports every backend of `opts`.
pub async fn run_orgs(opts: &OrgOptions) -> Result<OrgRun, Error> {
    let mut backends = Vec::new();
    for &backend in &opts.backends {
        backends.push(run_backend(backend, opts).await?);
    }
    Ok(OrgRun {
        date: today(),
        command: opts.command.clone(),
        small: opts.small,
        large: opts.large,
        backends,
    })
}

/// An organization under test: its id and the ids of its members.
struct OrgUnderTest {
    id: String,
    members: Vec<String>,
}

async fn run_backend(backend: Backend, opts: &OrgOptions) -> Result<OrgBackendResult, Error> {
    let database = Database::create(backend, "orgs", &opts.work_dir, &opts.postgres_url).await?;
    let outcome = seed_and_measure(backend, &database, opts).await;
    database.remove().await?;
    outcome
}

async fn seed_and_measure(
    backend: Backend,
    database: &Database,
    opts: &OrgOptions,
) -> Result<OrgBackendResult, Error> {
    let started = Instant::now();
    let config = Config::new(database.url()).with_secret_key(SECRET_KEY);
    seed_users(&config, &SeedUsers::new(opts.large + opts.small)).await?;
    let large = seed_organization(&config, &SeedOrganization::new("Large", opts.large)).await?;
    let small = seed_organization(
        &config,
        &SeedOrganization::new("Small", opts.small).starting_at(opts.large),
    )
    .await?;
    let seed_seconds = started.elapsed().as_secs_f64();
    tracing::info!(backend = backend.label(), seed_seconds, "seeded");
    let server = ServerProcess::spawn(database.url(), SECRET_KEY).await?;
    let api = Api::new(server.base_url())?;
    let mut rng = Rng::new(opts.seed);
    let per = opts.warmup + opts.requests;
    let mut orgs = Vec::new();
    for seeded in [&small, &large] {
        // Members are picked by one-row pages at random offsets: also a check of deep pages.
        let picking = Instant::now();
        let members = api.member_ids(&seeded.id, per, &mut rng).await?;
        let deep_page_ms = picking.elapsed().as_secs_f64() * 1000.0 / per as f64;
        tracing::info!(backend = backend.label(), organization = %seeded.id, deep_page_ms, "picked members by random offsets");
        orgs.push(OrgUnderTest {
            id: seeded.id.clone(),
            members,
        });
    }
    let measured = measure(&api, &orgs, opts).await;
    server.stop().await?;
    Ok(OrgBackendResult {
        backend,
        seed_seconds,
        workloads: measured?,
    })
}

/// Times each workload on both organizations, alternating.
async fn measure(
    api: &Api,
    orgs: &[OrgUnderTest],
    opts: &OrgOptions,
) -> Result<Vec<OrgWorkloadResult>, Error> {
    let mut results = Vec::new();
    for workload in OrgWorkload::ALL {
        let mut timed = [Vec::new(), Vec::new()];
        for round in 0..opts.warmup + opts.requests {
            for (org, samples) in orgs.iter().zip(&mut timed) {
                let path = match workload {
                    OrgWorkload::MembershipsPage => {
                        format!("/organizations/{}/memberships?limit=10", org.id)
                    }
                    OrgWorkload::MemberMemberships => {
                        format!("/users/{}/organization_memberships", org.members[round])
                    }
                };
                let (elapsed, body) = api.get(&path).await?;
                check(workload, &body, org)?;
                if round >= opts.warmup {
                    samples.push(elapsed);
                }
            }
        }
        let [small, large] = timed;
        results.push(OrgWorkloadResult {
            workload,
            small: Stats::from_samples(small).ok_or("no samples")?,
            large: Stats::from_samples(large).ok_or("no samples")?,
        });
    }
    Ok(results)
}

/// A full page of the organization's members; one membership of the member.
fn check(workload: OrgWorkload, body: &Value, org: &OrgUnderTest) -> Result<(), Error> {
    let data = body["data"].as_array().ok_or("no data")?;
    let fine = match workload {
        OrgWorkload::MembershipsPage => data.len() == 10 && body["total_count"].as_u64() > Some(10),
        OrgWorkload::MemberMemberships => {
            data.len() == 1 && data[0]["organization"]["id"] == org.id.as_str()
        }
    };
    if fine {
        Ok(())
    } else {
        Err(format!("{}: unexpected answer {body}", workload.describe()).into())
    }
}

/// The server's API, one request at a time on a kept-alive connection.
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
            return Err(
                format!("GET {path}: {status}: {}", String::from_utf8_lossy(&bytes)).into(),
            );
        }
        Ok((elapsed, serde_json::from_slice(&bytes)?))
    }

    /// `count` members of the organization picked at random (untimed), by offset.
    async fn member_ids(
        &self,
        org: &str,
        count: usize,
        rng: &mut Rng,
    ) -> Result<Vec<String>, Error> {
        let (_, first) = self
            .get(&format!("/organizations/{org}/memberships?limit=1"))
            .await?;
        let total = first["total_count"].as_u64().ok_or("no total")?;
        let mut ids = Vec::with_capacity(count);
        for _ in 0..count {
            let offset = rng.below(total);
            let (_, page) = self
                .get(&format!(
                    "/organizations/{org}/memberships?limit=1&offset={offset}"
                ))
                .await?;
            let id = page["data"][0]["public_user_data"]["user_id"]
                .as_str()
                .ok_or("no member")?;
            ids.push(id.to_owned());
        }
        Ok(ids)
    }
}
