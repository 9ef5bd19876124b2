//! Time: the server's clock (injectable, so tests can make sessions expire) and the
//! conversions between RFC 3339 request fields and the unix-millisecond integers of the wire.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The source of "now" for everything the server does: timestamps, session expiry, token
/// `iat`/`nbf`/`exp`, signing-key grace periods.
///
/// - [`Clock::system`] follows the wall clock and cannot be moved.
/// - [`Clock::offset`] follows the wall clock shifted by however far it has been advanced:
///   time flows normally, and a test can jump ahead (what [`crate::TestServer`] uses).
/// - [`Clock::manual`] stands still until moved.
///
/// Clones share the same time.
///
/// ```
/// use std::time::Duration;
/// use clerk_server::Clock;
///
/// let clock = Clock::manual(1_700_000_000_000);
/// let same = clock.clone();
/// clock.advance(Duration::from_secs(60));
/// assert_eq!(same.now_ms(), 1_700_000_060_000);
///
/// let shifted = Clock::offset();
/// let before = shifted.now_ms();
/// shifted.advance(Duration::from_secs(3600));
/// assert!(shifted.now_ms() >= before + 3_600_000);
/// ```
#[derive(Clone, Default)]
pub struct Clock {
    mode: Mode,
}

#[derive(Clone, Default)]
enum Mode {
    #[default]
    System,
    /// Wall clock plus this many milliseconds.
    Offset(Arc<AtomicI64>),
    /// Exactly this many milliseconds.
    Manual(Arc<AtomicI64>),
}

impl Clock {
    /// A clock that follows the system's wall clock.
    ///
    /// ```
    /// use clerk_server::Clock;
    ///
    /// let clock = Clock::system();
    /// assert!(!clock.is_adjustable());
    /// assert!(clock.now_ms() > 1_700_000_000_000);
    /// ```
    pub fn system() -> Self {
        Self { mode: Mode::System }
    }

    /// A clock that follows the wall clock, shifted forward by every [`Clock::advance`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use clerk_server::Clock;
    ///
    /// let clock = Clock::offset();
    /// clock.advance(Duration::from_secs(7 * 86_400)); // a week later, and still ticking
    /// assert!(clock.now_ms() >= Clock::system().now_ms() + 7 * 86_400_000);
    /// ```
    pub fn offset() -> Self {
        Self {
            mode: Mode::Offset(Arc::new(AtomicI64::new(0))),
        }
    }

    /// A clock frozen at `now_ms` (unix milliseconds) until it is moved.
    ///
    /// ```
    /// use clerk_server::Clock;
    ///
    /// let clock = Clock::manual(1_700_000_000_000);
    /// assert_eq!(clock.now_ms(), 1_700_000_000_000); // and still, later
    /// ```
    pub fn manual(now_ms: i64) -> Self {
        Self {
            mode: Mode::Manual(Arc::new(AtomicI64::new(now_ms))),
        }
    }

    /// Whether this clock can be moved.
    ///
    /// ```
    /// use clerk_server::Clock;
    ///
    /// assert!(Clock::manual(0).is_adjustable());
    /// assert!(Clock::offset().is_adjustable());
    /// assert!(!Clock::system().is_adjustable());
    /// ```
    pub fn is_adjustable(&self) -> bool {
        !matches!(self.mode, Mode::System)
    }

    /// The current time in unix milliseconds.
    ///
    /// ```
    /// use clerk_server::Clock;
    ///
    /// // 2023-11-14T22:13:20Z
    /// assert_eq!(Clock::manual(1_700_000_000_000).now_ms(), 1_700_000_000_000);
    /// ```
    pub fn now_ms(&self) -> i64 {
        match &self.mode {
            Mode::System => system_now_ms(),
            Mode::Offset(offset) => system_now_ms().saturating_add(offset.load(Ordering::SeqCst)),
            Mode::Manual(ms) => ms.load(Ordering::SeqCst),
        }
    }

    /// Moves the clock forward by `by`. The system clock cannot be moved: the call is
    /// ignored and a warning is logged.
    ///
    /// ```
    /// use std::time::Duration;
    /// use clerk_server::Clock;
    ///
    /// let clock = Clock::manual(0);
    /// clock.advance(Duration::from_millis(1500));
    /// assert_eq!(clock.now_ms(), 1500);
    /// ```
    pub fn advance(&self, by: Duration) {
        match &self.mode {
            Mode::Offset(ms) | Mode::Manual(ms) => {
                ms.fetch_add(duration_ms(by), Ordering::SeqCst);
            }
            Mode::System => tracing::warn!("Clock::advance called on the system clock; ignored"),
        }
    }

    /// Sets the clock to `now_ms` (unix milliseconds). Ignored, with a warning, on the
    /// system clock.
    ///
    /// ```
    /// use clerk_server::Clock;
    ///
    /// let clock = Clock::manual(0);
    /// clock.set_ms(1_700_000_000_000);
    /// assert_eq!(clock.now_ms(), 1_700_000_000_000);
    /// ```
    pub fn set_ms(&self, now_ms: i64) {
        match &self.mode {
            Mode::Manual(ms) => ms.store(now_ms, Ordering::SeqCst),
            Mode::Offset(offset) => offset.store(now_ms - system_now_ms(), Ordering::SeqCst),
            Mode::System => tracing::warn!("Clock::set_ms called on the system clock; ignored"),
        }
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.mode {
            Mode::System => f.write_str("Clock::system"),
            Mode::Offset(ms) => write!(f, "Clock::offset({} ms)", ms.load(Ordering::SeqCst)),
            Mode::Manual(ms) => write!(f, "Clock::manual({})", ms.load(Ordering::SeqCst)),
        }
    }
}

fn system_now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(duration_ms)
        .unwrap_or(0)
}

/// A duration in whole milliseconds, saturating at `i64::MAX`.
pub(crate) fn duration_ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

const MS_PER_DAY: i64 = 86_400_000;

/// The start (00:00 UTC) of the day containing `ms`. Clerk reports `last_active_at` with day
/// precision.
pub(crate) fn start_of_day_ms(ms: i64) -> i64 {
    ms.div_euclid(MS_PER_DAY) * MS_PER_DAY
}

/// Parses an RFC 3339 date-time (`2012-10-20T07:15:20.902Z`, `2012-10-20T09:15:20+02:00`)
/// into unix milliseconds. Fractions beyond milliseconds are truncated.
pub(crate) fn parse_rfc3339_ms(input: &str) -> Option<i64> {
    let b = input.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = input.get(range)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    // 60 allows a leap second, which folds into the next minute.
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &input[19..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        for (i, c) in fraction[..digits].bytes().take(3).enumerate() {
            millis += i64::from(c - b'0') * 10_i64.pow(2 - i as u32);
        }
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ => {
            let rb = rest.as_bytes();
            if rb.len() != 6 || rb[3] != b':' || !matches!(rb[0], b'+' | b'-') {
                return None;
            }
            let hh: i64 = rest[1..3].parse().ok()?;
            let mm: i64 = rest[4..6].parse().ok()?;
            if hh > 23 || mm > 59 {
                return None;
            }
            let sign = if rb[0] == b'-' { -1 } else { 1 };
            sign * (hh * 60 + mm)
        }
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1000 + millis)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339_variants() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339_ms("2012-10-20T07:15:20.902Z"),
            Some(1_350_717_320_902)
        );
        assert_eq!(
            parse_rfc3339_ms("2012-10-20T09:15:20.902+02:00"),
            Some(1_350_717_320_902)
        );
        assert_eq!(
            parse_rfc3339_ms("2024-02-29T00:00:00.5Z"),
            Some(1_709_164_800_500)
        );
        assert_eq!(parse_rfc3339_ms("2023-02-29T00:00:00Z"), None);
        assert_eq!(parse_rfc3339_ms("2012-10-20"), None);
        assert_eq!(parse_rfc3339_ms("2012-13-20T07:15:20Z"), None);
        assert_eq!(parse_rfc3339_ms("2012-10-20T07:15:20"), None);
        assert_eq!(parse_rfc3339_ms("2012-10-20T07:15:20.Z"), None);
        assert_eq!(parse_rfc3339_ms("not a date at all!!"), None);
    }

    #[test]
    fn day_precision_truncates_to_midnight_utc() {
        assert_eq!(start_of_day_ms(1_700_690_400_123), 1_700_611_200_000);
        assert_eq!(start_of_day_ms(0), 0);
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = Clock::manual(1000);
        assert_eq!(clock.now_ms(), 1000);
        clock.advance(Duration::from_millis(500));
        assert_eq!(clock.now_ms(), 1500);
        clock.set_ms(42);
        assert_eq!(clock.clone().now_ms(), 42);
        assert!(clock.is_adjustable());
        assert!(!Clock::system().is_adjustable());
    }

    #[test]
    fn offset_clock_follows_the_wall_clock_shifted() {
        let clock = Clock::offset();
        let wall = system_now_ms();
        clock.advance(Duration::from_secs(10));
        let shifted = clock.now_ms();
        assert!(shifted >= wall + 10_000 && shifted < wall + 20_000);
        clock.set_ms(wall - 1_000_000);
        assert!(clock.now_ms() < wall);
    }
}
