//! The timed requests: what each [`Workload`] asks, how its answer is checked, and the
//! latency statistics.

use std::time::Duration;

use clerk_server::SeededUser;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::plans::Walk;

/// The offset of the [`Workload::OrderedOffset`] page: small and fixed, as a UI's page 11.
pub const FIXED_OFFSET: u64 = 100;
/// The page size of the list workloads.
pub const PAGE_SIZE: u64 = 10;

/// One kind of request the benchmark times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Workload {
    /// `GET /v1/users/{id}`.
    GetById,
    /// `GET /v1/users?email_address=<one address>`.
    EmailFilter,
    /// `GET /v1/users?query=<a user's tag>`: a selective search through the trigram index.
    Query,
    /// `GET /v1/users?order_by=-created_at&limit=10&offset=100`.
    OrderedOffset,
    /// `GET /v1/users?order_by=-created_at&limit=10&starting_after=<id>`.
    OrderedCursor,
    /// `GET /v1/users/count`: every user, which no index can answer without visiting each
    /// entry, so it is reported apart from the others.
    Count,
}

/// The user a request is about: a seeded user and the id the server gave it.
#[derive(Debug, Clone)]
pub struct Target {
    /// The seeded user.
    pub user: SeededUser,
    /// Its `user_…` id (empty when the workload does not need it: the filters find the
    /// user by email or tag, and are checked by username).
    pub id: String,
}

impl Workload {
    /// Every workload, in the order of the tables.
    pub const ALL: [Workload; 6] = [
        Workload::GetById,
        Workload::EmailFilter,
        Workload::Query,
        Workload::OrderedOffset,
        Workload::OrderedCursor,
        Workload::Count,
    ];

    /// The request, as the tables show it.
    pub fn describe(self) -> &'static str {
        match self {
            Workload::GetById => "`GET /users/{id}`",
            Workload::EmailFilter => "`GET /users?email_address=…` (1 match)",
            Workload::Query => "`GET /users?query=…` (selective, 1 match)",
            Workload::OrderedOffset => "`GET /users?order_by=-created_at&offset=100&limit=10`",
            Workload::OrderedCursor => {
                "`GET /users?order_by=-created_at&starting_after=…&limit=10`"
            }
            Workload::Count => "`GET /users/count` (all users)",
        }
    }

    /// The whole-index walks its plan may make: the offset page walks the `created_at`
    /// index by design, and an unfiltered count visits every user.
    pub fn walk(self) -> Walk {
        match self {
            Workload::OrderedOffset => Walk::Indexes(&["users_created_at"]),
            Workload::Count => Walk::Anything,
            _ => Walk::Never,
        }
    }

    /// Whether the target of "p50 grows less than 2x from 10k to 1M users" applies.
    pub fn has_growth_target(self) -> bool {
        matches!(
            self,
            Workload::GetById | Workload::EmailFilter | Workload::Query
        )
    }

    /// The path and query of the request, after `/v1`.
    pub fn path(self, target: &Target) -> String {
        match self {
            Workload::GetById => format!("/users/{}", target.id),
            Workload::EmailFilter => {
                format!(
                    "/users?email_address={}",
                    encode(&target.user.email_address)
                )
            }
            Workload::Query => format!("/users?query={}", encode(&target.user.tag)),
            Workload::OrderedOffset => {
                format!("/users?order_by=-created_at&limit={PAGE_SIZE}&offset={FIXED_OFFSET}")
            }
            Workload::OrderedCursor => format!(
                "/users?order_by=-created_at&limit={PAGE_SIZE}&starting_after={}",
                target.id
            ),
            Workload::Count => "/users/count".to_owned(),
        }
    }

    /// The path of `GET /v1/_local/explain/…` for the same request.
    pub fn explain_path(self, target: &Target) -> String {
        format!("/_local/explain{}", self.path(target))
    }

    /// Checks the answer: the right user, a full page, the right total.
    pub fn check(self, body: &Value, target: &Target, users: u64) -> Result<(), String> {
        let page = || {
            body.as_array()
                .ok_or_else(|| format!("expected a list of users, got {body}"))
        };
        let only_target = |list: &Vec<Value>| match list.as_slice() {
            [one] if one["username"] == target.user.username.as_str() => Ok(()),
            _ => Err(format!(
                "expected exactly user {}, got {} users",
                target.user.username,
                list.len()
            )),
        };
        match self {
            Workload::GetById => {
                let email = &body["email_addresses"][0]["email_address"];
                if body["id"] == target.id.as_str() && email == target.user.email_address.as_str() {
                    Ok(())
                } else {
                    Err(format!("expected user {}, got {body}", target.id))
                }
            }
            Workload::EmailFilter | Workload::Query => only_target(page()?),
            Workload::OrderedOffset => {
                let expected = PAGE_SIZE.min(users.saturating_sub(FIXED_OFFSET));
                expect_len(page()?, expected)
            }
            Workload::OrderedCursor => {
                // Seeded users are created in index order, one second apart; the page holds
                // the ones just older than the target.
                let expected = PAGE_SIZE.min(target.user.index);
                let list = page()?;
                expect_len(list, expected)?;
                let first = SeededUser::at(target.user.index.saturating_sub(1));
                match list.first() {
                    Some(user) if user["username"] != first.username.as_str() => Err(format!(
                        "expected the page to start at {}, got {}",
                        first.username, user["username"]
                    )),
                    _ => Ok(()),
                }
            }
            Workload::Count => match body["total_count"].as_u64() {
                Some(n) if n == users => Ok(()),
                _ => Err(format!("expected total_count {users}, got {body}")),
            },
        }
    }
}

fn expect_len(list: &[Value], expected: u64) -> Result<(), String> {
    if list.len() as u64 == expected {
        Ok(())
    } else {
        Err(format!("expected {expected} users, got {}", list.len()))
    }
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Latency statistics of one workload, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// How many requests were timed.
    pub requests: usize,
    /// The median.
    pub p50_ms: f64,
    /// The 95th percentile.
    pub p95_ms: f64,
    /// The 99th percentile.
    pub p99_ms: f64,
    /// The mean.
    pub mean_ms: f64,
}

impl Stats {
    /// Statistics of the given latencies (nearest-rank percentiles).
    ///
    /// ```
    /// use std::time::Duration;
    /// use clerk_scale_bench::measure::Stats;
    ///
    /// let samples = (1..=100).map(Duration::from_millis).collect();
    /// let stats = Stats::from_samples(samples).unwrap();
    /// assert_eq!((stats.p50_ms, stats.p95_ms, stats.p99_ms), (50.0, 95.0, 99.0));
    /// assert_eq!(stats.mean_ms, 50.5);
    /// ```
    pub fn from_samples(mut samples: Vec<Duration>) -> Option<Self> {
        if samples.is_empty() {
            return None;
        }
        samples.sort_unstable();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let rank = |p: f64| {
            let index = (p * samples.len() as f64).ceil() as usize;
            ms(samples[index.clamp(1, samples.len()) - 1])
        };
        let total: f64 = samples.iter().copied().map(ms).sum();
        Some(Self {
            requests: samples.len(),
            p50_ms: rank(0.50),
            p95_ms: rank(0.95),
            p99_ms: rank(0.99),
            mean_ms: total / samples.len() as f64,
        })
    }
}

/// A small deterministic random generator (xorshift64*), so runs pick the same users.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (any value).
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % bound
    }
}
