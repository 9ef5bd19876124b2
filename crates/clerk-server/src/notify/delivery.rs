//! The delivery worker: sends due deliveries to their endpoints, signed, and records each
//! attempt. Woken by every commit that made a delivery, and otherwise when the next one
//! falls due (or every [`POLL`], to see what other replicas committed).
//!
//! Deliveries are taken with a lease (`messages::claim_due`): a replica that dies while
//! sending lets them go when the lease ends, so delivery is at least once and survives
//! restarts. Each endpoint's deliveries are sent one after another in creation order; a
//! failed one waits for its retry without holding back the next.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::signing;
use crate::clock::Clock;
use crate::ids;
use crate::store::webhooks::attempts::{self, Attempt};
use crate::store::webhooks::messages::{self, Claimed, Outcome};
use crate::store::{Store, UnitOfWork};

/// Svix's retry schedule: the waits after the 1st, 2nd, … failed attempt.
pub(crate) const SVIX_SCHEDULE: [Duration; 7] = [
    Duration::from_secs(5),
    Duration::from_secs(5 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(5 * 3600),
    Duration::from_secs(10 * 3600),
    Duration::from_secs(10 * 3600),
];

/// How long an endpoint has to answer (Svix's).
pub(crate) const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(15);

/// How often an idle worker looks for what other replicas committed.
const POLL: Duration = Duration::from_secs(1);

/// How long a lease lasts beyond one attempt's timeout: attempts of a batch start within
/// this time of taking it, so each ends before the lease does.
const LEASE_MARGIN: Duration = Duration::from_secs(5);

/// Deliveries taken at once.
const BATCH: i64 = 64;

/// How much of an answer's body an attempt keeps.
const RESPONSE_KEPT: usize = 1024;

/// How the worker delivers.
#[derive(Debug, Clone)]
pub(crate) struct DeliverySettings {
    /// Waits after each failed attempt; once used up, the delivery has failed.
    pub schedule: Vec<Duration>,
    /// How long an endpoint has to answer.
    pub timeout: Duration,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        Self {
            schedule: SVIX_SCHEDULE.to_vec(),
            timeout: ATTEMPT_TIMEOUT,
        }
    }
}

/// The running worker; dropping it stops it.
#[derive(Debug)]
pub(crate) struct Worker(JoinHandle<()>);

impl Drop for Worker {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts the worker.
pub(crate) fn start(
    store: Store,
    clock: Clock,
    wake: Arc<Notify>,
    settings: DeliverySettings,
) -> Result<Worker, reqwest::Error> {
    let http = reqwest::Client::builder()
        .timeout(settings.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!(
            "clerk-server/",
            env!("CARGO_PKG_VERSION"),
            " (Svix-compatible webhooks)"
        ))
        .build()?;
    let worker = Deliverer {
        store,
        clock,
        wake,
        settings: Arc::new(settings),
        http,
        busy: Arc::new(Mutex::new(HashSet::new())),
    };
    Ok(Worker(tokio::spawn(worker.run())))
}

#[derive(Clone)]
struct Deliverer {
    store: Store,
    clock: Clock,
    wake: Arc<Notify>,
    settings: Arc<DeliverySettings>,
    http: reqwest::Client,
    /// Endpoints this process is sending to right now.
    busy: Arc<Mutex<HashSet<String>>>,
}

impl Deliverer {
    async fn run(self) {
        loop {
            let claimed = match self.claim().await {
                Ok(claimed) => claimed,
                Err(err) => {
                    tracing::warn!(error = %err, "could not take webhook deliveries");
                    Vec::new()
                }
            };
            if !claimed.is_empty() {
                // An attempt may start while the rest of the lease still covers its timeout.
                let last_start = Instant::now() + LEASE_MARGIN;
                self.send_by_endpoint(claimed, last_start);
                continue;
            }
            let wait = match self.store.next_webhook_due().await {
                Ok(Some(due)) => Duration::from_millis((due - self.clock.now_ms()).max(0) as u64),
                _ => POLL,
            };
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(wait.clamp(Duration::from_millis(5), POLL)) => {}
            }
        }
    }

    async fn claim(&self) -> crate::store::Result<Vec<Claimed>> {
        let busy: Vec<String> = self
            .busy
            .lock()
            .map(|b| b.iter().cloned().collect())
            .unwrap_or_default();
        let now = self.clock.now_ms();
        let lease = now + (self.settings.timeout + LEASE_MARGIN).as_millis() as i64;
        let mut work = UnitOfWork::begin(&self.store).await?;
        let dialect = self.store.dialect();
        let claimed = messages::claim_due(work.tx(), dialect, now, lease, &busy, BATCH).await?;
        work.commit().await?;
        Ok(claimed)
    }

    /// Sends each endpoint's deliveries in order, endpoints side by side.
    fn send_by_endpoint(&self, claimed: Vec<Claimed>, last_start: Instant) {
        let mut groups: Vec<(String, Vec<Claimed>)> = Vec::new();
        for delivery in claimed {
            match groups
                .iter_mut()
                .find(|(id, _)| *id == delivery.endpoint_id)
            {
                Some((_, group)) => group.push(delivery),
                None => groups.push((delivery.endpoint_id.clone(), vec![delivery])),
            }
        }
        for (endpoint_id, group) in groups {
            if let Ok(mut busy) = self.busy.lock() {
                busy.insert(endpoint_id.clone());
            }
            let this = self.clone();
            tokio::spawn(async move {
                let (mut made, mut released) = (Vec::with_capacity(group.len()), Vec::new());
                for delivery in group {
                    if Instant::now() < last_start {
                        made.push(this.attempt(delivery).await);
                    } else {
                        released.push(delivery.seq); // a slow endpoint: the next pass sends it
                    }
                }
                this.record(made, released).await;
                if let Ok(mut busy) = this.busy.lock() {
                    busy.remove(&endpoint_id);
                }
                this.wake.notify_one();
            });
        }
    }

    /// One attempt: POST, and what it was and what comes next, to record.
    async fn attempt(&self, delivery: Claimed) -> (Attempt, i64, Outcome) {
        let started = Instant::now();
        let attempted_at = self.clock.now_ms();
        let timestamp = attempted_at.div_euclid(1000);
        let result = match signing::sign(
            &delivery.secret,
            &delivery.message_id,
            timestamp,
            &delivery.payload,
        ) {
            Some(signature) => self.post(&delivery, timestamp, &signature).await,
            None => Err("the endpoint's secret is not a whsec_ secret".to_owned()),
        };
        let duration_ms = started.elapsed().as_millis() as i64;
        let (status_code, response, succeeded) = match result {
            Ok((code, body)) => (Some(i64::from(code)), body, (200..300).contains(&code)),
            Err(why) => (None, why, false),
        };
        let outcome = if succeeded {
            Outcome::Succeeded
        } else if delivery.trigger_type == "manual" {
            Outcome::GaveUp
        } else {
            match self.settings.schedule.get(delivery.attempts as usize) {
                Some(wait) => Outcome::RetryAt(self.clock.now_ms() + wait.as_millis() as i64),
                None => Outcome::GaveUp,
            }
        };
        let attempt = Attempt {
            id: ids::new_id("atmpt", attempted_at),
            message_id: delivery.message_id.clone(),
            endpoint_id: delivery.endpoint_id.clone(),
            url: delivery.url.clone(),
            status: if succeeded { "succeeded" } else { "failed" }.to_owned(),
            response_status_code: status_code,
            response,
            duration_ms,
            trigger_type: delivery.trigger_type.clone(),
            created_at: attempted_at,
        };
        if !succeeded {
            tracing::info!(
                message_id = %delivery.message_id,
                endpoint_id = %delivery.endpoint_id,
                status = ?status_code,
                "webhook delivery attempt failed"
            );
        }
        (attempt, delivery.seq, outcome)
    }

    /// Records a batch of attempts in one transaction (one commit per batch, not per
    /// attempt). If that fails, the leases run out and the deliveries are sent again: at
    /// least once.
    async fn record(&self, made: Vec<(Attempt, i64, Outcome)>, released: Vec<i64>) {
        let recorded = async {
            let mut work = UnitOfWork::begin(&self.store).await?;
            messages::release(work.tx(), &released).await?;
            for (attempt, seq, outcome) in &made {
                attempts::insert(work.tx(), attempt).await?;
                messages::finish(work.tx(), *seq, *outcome).await?;
            }
            work.commit().await
        };
        if let Err(err) = recorded.await {
            tracing::warn!(attempts = made.len(), error = %err, "could not record webhook attempts");
        }
    }

    /// POSTs the payload; the answer's status and the start of its body, or why none came.
    async fn post(
        &self,
        delivery: &Claimed,
        timestamp: i64,
        signature: &str,
    ) -> Result<(u16, String), String> {
        let response = self
            .http
            .post(&delivery.url)
            .header("content-type", "application/json")
            .header("svix-id", &delivery.message_id)
            .header("svix-timestamp", timestamp.to_string())
            .header("svix-signature", signature)
            .body(delivery.payload.clone())
            .send()
            .await
            .map_err(describe)?;
        let status = response.status().as_u16();
        let mut kept = Vec::new();
        let mut response = response;
        while kept.len() < RESPONSE_KEPT {
            match response.chunk().await {
                Ok(Some(chunk)) => kept.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(e) => return Ok((status, describe(e))),
            }
        }
        kept.truncate(RESPONSE_KEPT);
        Ok((status, String::from_utf8_lossy(&kept).into_owned()))
    }
}

/// Why a request got no answer, without the URL (it may hold credentials).
fn describe(err: reqwest::Error) -> String {
    if err.is_timeout() {
        "timed out".to_owned()
    } else if err.is_connect() {
        "could not connect".to_owned()
    } else {
        err.without_url().to_string()
    }
}
