//! The time source of a verifier: the system clock in production, a [`ManualClock`] in tests.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where a [`Verifier`](super::Verifier) reads the time: for `exp`/`nbf`/`iat` checks and for
/// the age of its cached keys.
///
/// The default is [`SystemClock`]. Tests inject a [`ManualClock`] to move time at will.
///
/// ```
/// use std::sync::Arc;
/// use clerk_sdk::verify::{Clock, ManualClock};
///
/// let clock = Arc::new(ManualClock::at_unix(1_700_000_000));
/// let shared: Arc<dyn Clock> = clock.clone();
/// assert_eq!(shared.now().as_secs(), 1_700_000_000);
/// ```
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// The current time as a duration since the Unix epoch.
    fn now(&self) -> Duration;
}

/// The operating system's wall clock.
///
/// ```
/// use clerk_sdk::verify::{Clock, SystemClock};
///
/// assert!(SystemClock.now().as_secs() > 1_700_000_000);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        // A clock before 1970 is a broken host; treating it as the epoch makes every token
        // "not yet valid" rather than panicking.
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO)
    }
}

/// A clock that only moves when told to, for tests of expiry and cache ages.
///
/// Share it with the verifier through an `Arc` and advance it from the test.
///
/// ```
/// use std::time::Duration;
/// use clerk_sdk::verify::{Clock, ManualClock};
///
/// let clock = ManualClock::at_unix(1_700_000_000);
/// clock.advance(Duration::from_secs(90));
/// assert_eq!(clock.now().as_secs(), 1_700_000_090);
/// ```
#[derive(Debug, Default)]
pub struct ManualClock {
    millis: AtomicU64,
}

impl ManualClock {
    /// A clock standing at `unix_seconds` after the epoch.
    ///
    /// ```
    /// use clerk_sdk::verify::{Clock, ManualClock};
    /// assert_eq!(ManualClock::at_unix(1_700_000_000).now().as_secs(), 1_700_000_000);
    /// ```
    #[must_use]
    pub fn at_unix(unix_seconds: u64) -> Self {
        ManualClock {
            millis: AtomicU64::new(unix_seconds.saturating_mul(1000)),
        }
    }

    /// A clock standing at the current system time.
    ///
    /// ```
    /// use clerk_sdk::verify::{Clock, ManualClock, SystemClock};
    /// let clock = ManualClock::starting_now();
    /// assert!(clock.now() <= SystemClock.now());
    /// ```
    #[must_use]
    pub fn starting_now() -> Self {
        let now = SystemClock.now();
        ManualClock {
            millis: AtomicU64::new(u64::try_from(now.as_millis()).unwrap_or(u64::MAX)),
        }
    }

    /// Moves the clock forward.
    ///
    /// ```
    /// use std::time::Duration;
    /// use clerk_sdk::verify::{Clock, ManualClock};
    /// let clock = ManualClock::at_unix(100);
    /// clock.advance(Duration::from_secs(60));
    /// assert_eq!(clock.now().as_secs(), 160);
    /// ```
    pub fn advance(&self, by: Duration) {
        let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        // fetch_update cannot fail with a closure that always returns Some.
        let _ = self
            .millis
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |m| {
                Some(m.saturating_add(by))
            });
    }

    /// Sets the clock to `unix_seconds` after the epoch (it may go backwards).
    ///
    /// ```
    /// use clerk_sdk::verify::{Clock, ManualClock};
    /// let clock = ManualClock::at_unix(100);
    /// clock.set_unix(50);
    /// assert_eq!(clock.now().as_secs(), 50);
    /// ```
    pub fn set_unix(&self, unix_seconds: u64) {
        self.millis
            .store(unix_seconds.saturating_mul(1000), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        Duration::from_millis(self.millis.load(Ordering::SeqCst))
    }
}
