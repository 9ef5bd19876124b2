//! When and how long to wait before trying a request again.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, Method, StatusCode};

/// How the client retries failed requests.
///
/// The rules, which keep a request from ever being applied twice:
/// - **429 Too Many Requests** is retried for every method: the API refused
///   the request before doing anything. A `Retry-After` is honoured when it
///   is at most [`max_retry_after`](RetryPolicy::max_retry_after); a longer
///   one ends the retries and the error carries it
///   ([`Error::retry_after`](crate::Error::retry_after)).
/// - **502, 503, 504**, timeouts and connections that broke mid-request are
///   retried only for idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS).
///   A POST or PATCH that may have reached the server is never replayed.
/// - A connection that could not be established at all (refused, DNS, TLS)
///   is retried for every method: the request never left.
///
/// Waits grow exponentially from [`base_delay`](RetryPolicy::base_delay) up
/// to [`max_delay`](RetryPolicy::max_delay), with random jitter (each wait
/// lies between half and all of the exponential step).
///
/// ```
/// use std::time::Duration;
/// use clerk_sdk::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(5)
///     .base_delay(Duration::from_millis(100))
///     .max_delay(Duration::from_secs(2))
///     .max_retry_after(Duration::from_secs(10));
/// assert_eq!(patient.attempts(), 5);
/// assert_eq!(RetryPolicy::disabled().attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, waits from 250 ms up to 4 s, `Retry-After` honoured up to 30 s.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(4),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    ///
    /// ```
    /// let clerk = clerk_sdk::Clerk::builder()
    ///     .secret_key("sk_test_123")
    ///     .retry_policy(clerk_sdk::RetryPolicy::disabled())
    ///     .build()?;
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// How many times a request is sent at most, the first time included
    /// (values below 1 count as 1).
    ///
    /// ```
    /// assert_eq!(clerk_sdk::RetryPolicy::default().max_attempts(0).attempts(), 1);
    /// ```
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first wait; each later one doubles, up to [`max_delay`](RetryPolicy::max_delay).
    ///
    /// ```
    /// let policy = clerk_sdk::RetryPolicy::default().base_delay(std::time::Duration::from_millis(50));
    /// ```
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest wait between two attempts when the API gives no `Retry-After`.
    ///
    /// ```
    /// let policy = clerk_sdk::RetryPolicy::default().max_delay(std::time::Duration::from_secs(1));
    /// ```
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest `Retry-After` the client waits out; a longer one is
    /// returned to the caller as an error instead.
    ///
    /// ```
    /// let policy = clerk_sdk::RetryPolicy::default().max_retry_after(std::time::Duration::from_secs(5));
    /// ```
    pub fn max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// How many times a request is sent at most.
    ///
    /// ```
    /// assert_eq!(clerk_sdk::RetryPolicy::default().attempts(), 3);
    /// ```
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before attempt `attempt + 1`, after `attempt` failed
    /// (`attempt` counts from 1), or `None` to stop.
    pub(crate) fn delay_after(&self, attempt: u32, failure: &Failure) -> Option<Duration> {
        if attempt >= self.max_attempts || !failure.retryable {
            return None;
        }
        match failure.retry_after {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(attempt)),
        }
    }

    /// Exponential backoff with jitter: a random point in the upper half of
    /// `min(max_delay, base_delay * 2^(attempt-1))`.
    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let step = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let half = step / 2;
        let jitter = half.mul_f64(random_fraction());
        half + jitter
    }
}

/// What went wrong with one attempt, as far as retrying is concerned.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) retryable: bool,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) reason: &'static str,
}

/// Idempotent methods may be replayed safely.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

impl Failure {
    /// An answer with an error status.
    pub(crate) fn from_status(
        method: &Method,
        status: StatusCode,
        retry_after: Option<Duration>,
    ) -> Self {
        let (retryable, reason) = match status {
            StatusCode::TOO_MANY_REQUESTS => (true, "rate limited (429)"),
            StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT => {
                (is_idempotent(method), "server unavailable (502/503/504)")
            }
            _ => (false, "error status"),
        };
        Self {
            retryable,
            retry_after,
            reason,
        }
    }

    /// A request that failed in transit.
    pub(crate) fn from_transport(method: &Method, error: &reqwest::Error) -> Self {
        // A connect error means no byte of the request reached the server
        // (a connect timeout is one too), so even a POST is safe to resend.
        let (retryable, reason) = if error.is_connect() {
            (true, "connection failed")
        } else if error.is_timeout() {
            (is_idempotent(method), "timed out")
        } else {
            (is_idempotent(method), "connection broken")
        };
        Self {
            retryable,
            retry_after: None,
            reason,
        }
    }
}

/// Reads `Retry-After`: delay-seconds, or an HTTP date (RFC 9110 §10.2.3).
pub(crate) fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_http_date(value)?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Parses the preferred HTTP date format, IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
fn parse_http_date(text: &str) -> Option<SystemTime> {
    let fields: Vec<&str> = text.split_whitespace().collect();
    let [_weekday, day, month, year, clock, "GMT"] = fields.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m == month)? as u32 + 1;
    let day: u32 = day.parse().ok()?;
    let year: i64 = year.parse().ok()?;
    let mut clock = clock.split(':').map(|part| part.parse::<u64>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = u64::try_from(days).ok()? * 86_400 + hour * 3600 + minute * 60 + second;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A uniformly random number in `[0, 1)` from the system's CSPRNG (no `rand`
/// dependency; a failure to read randomness just means no jitter).
fn random_fraction() -> f64 {
    use aws_lc_rs::rand::{SecureRandom, SystemRandom};
    let mut bytes = [0u8; 8];
    if SystemRandom::new().fill(&mut bytes).is_err() {
        return 0.5;
    }
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(retryable: bool, retry_after: Option<Duration>) -> Failure {
        Failure {
            retryable,
            retry_after,
            reason: "test",
        }
    }

    #[test]
    fn status_rules() {
        let post = Method::POST;
        let get = Method::GET;
        assert!(Failure::from_status(&post, StatusCode::TOO_MANY_REQUESTS, None).retryable);
        assert!(!Failure::from_status(&post, StatusCode::SERVICE_UNAVAILABLE, None).retryable);
        assert!(!Failure::from_status(&Method::PATCH, StatusCode::BAD_GATEWAY, None).retryable);
        assert!(Failure::from_status(&get, StatusCode::SERVICE_UNAVAILABLE, None).retryable);
        assert!(Failure::from_status(&Method::DELETE, StatusCode::GATEWAY_TIMEOUT, None).retryable);
        assert!(Failure::from_status(&Method::PUT, StatusCode::BAD_GATEWAY, None).retryable);
        assert!(!Failure::from_status(&get, StatusCode::INTERNAL_SERVER_ERROR, None).retryable);
        assert!(!Failure::from_status(&get, StatusCode::NOT_FOUND, None).retryable);
    }

    #[test]
    fn delays_follow_the_policy() {
        let policy = RetryPolicy::default()
            .max_attempts(4)
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(300))
            .max_retry_after(Duration::from_secs(2));
        for (attempt, step) in [(1, 100), (2, 200), (3, 300)] {
            let wait = policy.delay_after(attempt, &failure(true, None)).unwrap();
            let step = Duration::from_millis(step);
            assert!(
                wait >= step / 2 && wait <= step,
                "attempt {attempt}: {wait:?}"
            );
        }
        assert_eq!(
            policy.delay_after(4, &failure(true, None)),
            None,
            "attempts exhausted"
        );
        assert_eq!(
            policy.delay_after(1, &failure(false, None)),
            None,
            "not retryable"
        );
        assert_eq!(
            policy.delay_after(1, &failure(true, Some(Duration::from_secs(1)))),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            policy.delay_after(1, &failure(true, Some(Duration::from_secs(3)))),
            None
        );
        assert_eq!(
            RetryPolicy::disabled().delay_after(1, &failure(true, None)),
            None
        );
    }

    #[test]
    fn backoff_never_overflows() {
        let policy = RetryPolicy::default().max_attempts(u32::MAX);
        assert!(policy.backoff(200) <= Duration::from_secs(4));
    }

    #[test]
    fn retry_after_formats() {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(parse_retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            http::header::RETRY_AFTER,
            "Sun, 06 Nov 1994 08:49:37 GMT".parse().unwrap(),
        );
        assert_eq!(
            parse_retry_after(&headers),
            Some(Duration::ZERO),
            "a past date means now"
        );
        headers.insert(http::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(parse_retry_after(&headers), None);
        assert_eq!(parse_retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn http_dates() {
        let at = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(
            at.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs(),
            784_111_777
        );
        let leap = parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT").unwrap();
        assert_eq!(
            leap.duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_secs(),
            1_709_164_800
        );
        assert!(parse_http_date("Sun, 06 Nov 1994 08:49:37 PST").is_none());
        assert!(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT").is_none());
        assert!(parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT").is_none());
    }

    #[test]
    fn random_fraction_is_in_range() {
        for _ in 0..100 {
            let x = random_fraction();
            assert!((0.0..1.0).contains(&x));
        }
    }
}
