//! The shared pause after a rate limit: one 429 holds back every worker for its
//! `Retry-After`, so the import slows down as one instead of each worker retrying on its own.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Holds every worker back after a 429 until its `Retry-After` has passed.
#[derive(Default)]
pub(super) struct RateGate {
    until: Mutex<Option<Instant>>,
}

impl RateGate {
    /// Returns once no pause is in force (at once when there is none).
    pub(super) async fn wait(&self) {
        loop {
            let until = *self.until.lock().unwrap_or_else(|p| p.into_inner());
            match until {
                // Loop: another 429 may have pushed the end further while this one slept.
                Some(until) if until > Instant::now() => {
                    tokio::time::sleep_until(until.into()).await;
                }
                _ => return,
            }
        }
    }

    /// Pauses every worker for `wait` from now, unless a longer pause is already in force.
    pub(super) fn pause(&self, wait: Duration) {
        let mut until = self.until.lock().unwrap_or_else(|p| p.into_inner());
        let end = Instant::now() + wait;
        if until.is_none_or(|current| current < end) {
            tracing::warn!(
                wait_ms = wait.as_millis() as u64,
                "rate limited: pausing every worker"
            );
            *until = Some(end);
        }
    }
}
