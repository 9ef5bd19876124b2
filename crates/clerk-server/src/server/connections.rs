//! The guard rails of the accept loop: every open connection is known, none stays open
//! without sending requests, and their number is bounded.
//!
//! hyper only starts its header timer once it has chosen HTTP/1, and HTTP/2 has no idle
//! timeout at all, so a connection that sends nothing, a few bytes, or an HTTP/2 preface
//! and no request would otherwise stay open for ever. Here each connection carries a
//! [`Tracker`]: a connection with no request in flight is closed once it has been idle
//! for the header timeout (since it was accepted, or since its last answer), whatever
//! protocol it speaks. The [`Registry`] bounds how many are open: a new connection at the
//! bound closes the longest-idle one, or is refused when all of them are busy, so that
//! new clients keep being answered while idle ones are shed.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use tokio::sync::Notify;

/// At most one "shedding connections" warning per this interval.
const SHED_LOG_INTERVAL: Duration = Duration::from_secs(10);

/// File descriptors kept back from the default connection bound for the database, the
/// listener, logs and the files a request may open.
const RESERVED_FDS: u64 = 128;

/// The default bound never exceeds this: each open connection costs memory too.
const MAX_DEFAULT_OPEN_CONNECTIONS: u64 = 16_384;

/// The default bound on open client connections: three quarters of what the process's
/// file-descriptor limit (`ulimit -n`) leaves after `RESERVED_FDS` (128), at least 16 and at
/// most 16,384. Raise the limit (`ulimit -n`) to serve more connections at once.
///
/// ```
/// let bound = clerk_server::default_max_open_connections();
/// assert!((16..=16_384).contains(&bound));
/// ```
pub fn default_max_open_connections() -> usize {
    let fds = fd_limit().unwrap_or(1024);
    let bound = fds.saturating_sub(RESERVED_FDS) / 4 * 3;
    usize::try_from(bound.clamp(16, MAX_DEFAULT_OPEN_CONNECTIONS)).unwrap_or(16)
}

/// The soft limit on open file descriptors, where the platform tells it.
#[cfg(unix)]
fn fd_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::Nofile).current
}

#[cfg(not(unix))]
fn fd_limit() -> Option<u64> {
    None
}

/// The state of one connection, shared by its task, its requests and the registry.
#[derive(Debug)]
pub(crate) struct Tracker {
    /// Requests started and not yet answered (HTTP/2 runs several at once).
    in_flight: AtomicUsize,
    /// Whether any request started: its idle timeout is then the keep-alive one.
    served: AtomicBool,
    /// When it last became idle, in milliseconds since the registry's epoch.
    idle_since_ms: AtomicU64,
    /// Woken to make the connection's task drop it at once (shedding).
    close: Notify,
    epoch: Instant,
}

impl Tracker {
    fn new(epoch: Instant) -> Self {
        Self {
            in_flight: AtomicUsize::new(0),
            served: AtomicBool::new(false),
            idle_since_ms: AtomicU64::new(elapsed_ms(epoch)),
            close: Notify::new(),
            epoch,
        }
    }

    fn request_started(&self) {
        self.served.store(true, Ordering::Relaxed);
        self.in_flight.fetch_add(1, Ordering::AcqRel);
    }

    fn request_ended(&self) {
        self.idle_since_ms
            .store(elapsed_ms(self.epoch), Ordering::Release);
        self.in_flight.fetch_sub(1, Ordering::AcqRel);
    }

    /// Whether any request has started on this connection.
    pub(crate) fn has_served(&self) -> bool {
        self.served.load(Ordering::Relaxed)
    }

    /// How long the connection has had no request in flight; `None` while one is.
    pub(crate) fn idle_for(&self) -> Option<Duration> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return None;
        }
        let since = self.idle_since_ms.load(Ordering::Acquire);
        Some(Duration::from_millis(
            elapsed_ms(self.epoch).saturating_sub(since),
        ))
    }

    /// Completes when the registry sheds this connection.
    pub(crate) async fn shed(&self) {
        self.close.notified().await;
    }
}

fn elapsed_ms(epoch: Instant) -> u64 {
    u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Every open connection, and the bound on how many may be open.
#[derive(Debug)]
pub(crate) struct Registry {
    max_open: usize,
    epoch: Instant,
    next_id: AtomicU64,
    open: Mutex<Open>,
    shed_log: Mutex<ShedLog>,
}

#[derive(Debug, Default)]
struct Open {
    /// Connections not yet told to close.
    live: HashMap<u64, Arc<Tracker>>,
}

/// Counts of shed and refused connections since the last warning.
#[derive(Debug)]
struct ShedLog {
    last: Option<Instant>,
    shed: u64,
    refused: u64,
}

/// A connection's place in the registry; leaving it frees the place.
#[derive(Debug)]
pub(crate) struct Admission {
    id: u64,
    tracker: Arc<Tracker>,
    registry: Arc<Registry>,
}

impl Admission {
    /// The connection's tracker.
    pub(crate) fn tracker(&self) -> &Arc<Tracker> {
        &self.tracker
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        let mut open = self.registry.lock_open();
        open.live.remove(&self.id);
    }
}

impl Registry {
    /// A registry admitting at most `max_open` connections at once.
    pub(crate) fn new(max_open: usize) -> Arc<Self> {
        Arc::new(Self {
            max_open: max_open.max(1),
            epoch: Instant::now(),
            next_id: AtomicU64::new(0),
            open: Mutex::new(Open::default()),
            shed_log: Mutex::new(ShedLog {
                last: None,
                shed: 0,
                refused: 0,
            }),
        })
    }

    fn lock_open(&self) -> std::sync::MutexGuard<'_, Open> {
        // A panic while holding this lock leaves the map consistent (single operations).
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Admits a new connection, closing the longest-idle one first when at the bound.
    /// `None` when every open connection is busy: the caller closes the new one.
    pub(crate) fn admit(self: &Arc<Self>) -> Option<Admission> {
        let mut open = self.lock_open();
        if open.live.len() >= self.max_open {
            let Some(victim) = longest_idle(&open.live) else {
                drop(open);
                self.note_shedding(false);
                return None;
            };
            if let Some(tracker) = open.live.remove(&victim) {
                tracker.close.notify_one();
            }
            drop(open);
            self.note_shedding(true);
            open = self.lock_open();
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let tracker = Arc::new(Tracker::new(self.epoch));
        open.live.insert(id, Arc::clone(&tracker));
        Some(Admission {
            id,
            tracker,
            registry: Arc::clone(self),
        })
    }

    /// How many connections are open and not told to close.
    #[cfg(test)]
    pub(crate) fn open_count(&self) -> usize {
        self.lock_open().live.len()
    }

    /// Counts a shed (or refused) connection and warns, at most every
    /// [`SHED_LOG_INTERVAL`], with the counts since the last warning.
    fn note_shedding(&self, shed: bool) {
        let mut log = self
            .shed_log
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if shed {
            log.shed += 1;
        } else {
            log.refused += 1;
        }
        let due = log
            .last
            .is_none_or(|last| last.elapsed() >= SHED_LOG_INTERVAL);
        if due {
            tracing::warn!(
                max_open_connections = self.max_open,
                idle_closed = log.shed,
                refused = log.refused,
                "connection limit reached: closing idle connections to admit new ones"
            );
            log.last = Some(Instant::now());
            log.shed = 0;
            log.refused = 0;
        }
    }
}

/// The id of the connection idle the longest, if any is idle.
fn longest_idle(live: &HashMap<u64, Arc<Tracker>>) -> Option<u64> {
    live.iter()
        .filter_map(|(id, tracker)| tracker.idle_for().map(|idle| (idle, *id)))
        .max()
        .map(|(_, id)| id)
}

/// A service that tells a connection's [`Tracker`] when each request starts and ends, and
/// gives each request the client's address (`ConnectInfo`).
#[derive(Clone, Debug)]
pub(crate) struct Tracked<S> {
    inner: S,
    tracker: Arc<Tracker>,
    peer: SocketAddr,
}

impl<S> Tracked<S> {
    pub(crate) fn new(inner: S, tracker: Arc<Tracker>, peer: SocketAddr) -> Self {
        Self {
            inner,
            tracker,
            peer,
        }
    }
}

/// Ends the request in the tracker however its future ends (answered or dropped).
struct InFlight(Arc<Tracker>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.request_ended();
    }
}

impl<S, B> tower::Service<http::Request<B>> for Tracked<S>
where
    S: tower::Service<http::Request<B>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        request.extensions_mut().insert(ConnectInfo(self.peer));
        self.tracker.request_started();
        let in_flight = InFlight(Arc::clone(&self.tracker));
        let future = self.inner.call(request);
        Box::pin(async move {
            let response = future.await;
            drop(in_flight);
            response
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_up_to_the_bound_then_sheds_the_longest_idle() {
        let registry = Registry::new(2);
        let first = registry.admit().unwrap();
        std::thread::sleep(Duration::from_millis(5));
        let second = registry.admit().unwrap();
        second.tracker().request_started();
        // At the bound: the idle first connection is told to close.
        let third = registry.admit().unwrap();
        assert_eq!(registry.open_count(), 2);
        let shed = first.tracker().close.notified();
        futures_util::FutureExt::now_or_never(shed).expect("the idle connection was shed");
        // Every open connection busy: the next one is refused.
        third.tracker().request_started();
        assert!(registry.admit().is_none());
        // A connection that ends frees its place.
        drop(second);
        assert!(registry.admit().is_some());
    }

    #[test]
    fn idle_time_counts_from_the_last_answer() {
        let tracker = Tracker::new(Instant::now());
        assert!(!tracker.has_served());
        tracker.request_started();
        assert_eq!(tracker.idle_for(), None);
        tracker.request_ended();
        assert!(tracker.has_served());
        assert!(tracker.idle_for().unwrap() < Duration::from_secs(1));
    }

    #[test]
    fn the_default_bound_follows_the_fd_limit() {
        let bound = default_max_open_connections();
        assert!((16..=16_384).contains(&bound));
        if let Some(fds) = fd_limit() {
            assert!(
                (bound as u64) < fds.max(17),
                "{bound} connections, {fds} fds"
            );
        }
    }
}
