//! The JWKS cache of one verifier: fetched keys by `kid`, a TTL counted from the fetch (never
//! sliding), stale-while-revalidate up to a maximum age, single-flight and rate-limited
//! refreshes.
//!
//! Reads never wait: the current key set sits behind a `std::sync::RwLock` holding an `Arc`
//! that a refresh swaps in whole. Only a verification whose `kid` is not cached (or whose keys
//! are older than the maximum age) waits, on the one refresh in flight.

use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use http::HeaderMap;
use http::header::ACCEPT;
use url::Url;

use super::clock::Clock;
use super::error::{Reason, VerifyError, quote_untrusted};
use super::key::{VerifyingKey, parse_jwks};

/// A JWKS larger than this is refused (a real one is a few KiB).
const MAX_JWKS_BYTES: usize = 256 * 1024;

/// How long fetched keys are trusted, and how hard the endpoint may be asked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CacheSettings {
    /// Keys younger than this are used without question.
    pub ttl: Duration,
    /// Keys older than the TTL are still used while a refresh runs or fails, up to this age.
    pub max_stale: Duration,
    /// At most one fetch per this interval for unknown `kid`s and after failures.
    pub min_refresh_interval: Duration,
    /// Timeout of one JWKS request, body included.
    pub fetch_timeout: Duration,
}

impl Default for CacheSettings {
    fn default() -> Self {
        CacheSettings {
            ttl: Duration::from_secs(3600),
            max_stale: Duration::from_secs(24 * 3600),
            min_refresh_interval: Duration::from_secs(5),
            fetch_timeout: Duration::from_secs(5),
        }
    }
}

/// The keys of one successful fetch.
struct KeySet {
    keys: Vec<Arc<VerifyingKey>>,
    fetched_at: Duration,
}

/// What the refresh lock protects: when the endpoint was last asked and how that went.
#[derive(Default)]
struct RefreshLog {
    last_attempt: Option<Duration>,
    last_error: Option<String>,
}

enum Lookup {
    /// Younger than the TTL.
    Fresh(Arc<VerifyingKey>),
    /// Past the TTL but within the maximum age: usable while a refresh runs.
    Stale(Arc<VerifyingKey>),
    /// Not cached, or cached keys too old to use.
    Miss,
}

pub(crate) struct JwksCache {
    url: Url,
    headers: HeaderMap,
    http: reqwest::Client,
    settings: CacheSettings,
    clock: Arc<dyn Clock>,
    current: RwLock<Option<Arc<KeySet>>>,
    refresh: Arc<tokio::sync::Mutex<RefreshLog>>,
}

impl JwksCache {
    pub(crate) fn new(
        url: Url,
        headers: HeaderMap,
        http: reqwest::Client,
        settings: CacheSettings,
        clock: Arc<dyn Clock>,
    ) -> Self {
        JwksCache {
            url,
            headers,
            http,
            settings,
            clock,
            current: RwLock::new(None),
            refresh: Arc::new(tokio::sync::Mutex::new(RefreshLog::default())),
        }
    }

    pub(crate) fn url(&self) -> &Url {
        &self.url
    }

    /// The key for `kid`, fetching the JWKS only when it is not cached (or too old).
    pub(crate) async fn key_for(
        self: &Arc<Self>,
        kid: &str,
    ) -> Result<Arc<VerifyingKey>, VerifyError> {
        match self.usable_key(kid) {
            Some(key) => Ok(key),
            None => self.refresh_for(kid).await,
        }
    }

    /// The key for `kid` from the cache as it is; never fetches in the caller's path.
    pub(crate) fn cached_key(
        self: &Arc<Self>,
        kid: &str,
    ) -> Result<Arc<VerifyingKey>, VerifyError> {
        self.usable_key(kid)
            .ok_or_else(|| self.miss_error(kid, None))
    }

    /// The key `kid` names now, if it may be used (the verified-token cache checks that a
    /// remembered token's key is still this one). A stale one starts a background refresh.
    pub(crate) fn current_key(self: &Arc<Self>, kid: &str) -> Option<Arc<VerifyingKey>> {
        self.usable_key(kid)
    }

    /// The cached key for `kid` if it may be used now; a stale one also starts a
    /// background refresh. `None` when it is not cached or too old.
    fn usable_key(self: &Arc<Self>, kid: &str) -> Option<Arc<VerifyingKey>> {
        match self.lookup(kid, self.clock.now()) {
            Lookup::Fresh(key) => Some(key),
            Lookup::Stale(key) => {
                self.refresh_in_background();
                Some(key)
            }
            Lookup::Miss => None,
        }
    }

    /// Fetches the JWKS now (waiting for a refresh already in flight), ignoring the rate limit.
    pub(crate) async fn refresh_now(&self) -> Result<(), VerifyError> {
        let mut log = self.refresh.lock().await;
        self.fetch_and_store(&mut log).await;
        match &log.last_error {
            None => Ok(()),
            Some(e) => Err(VerifyError::with_detail(Reason::KeysUnavailable, e.clone())),
        }
    }

    fn lookup(&self, kid: &str, now: Duration) -> Lookup {
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        let Some(set) = current.as_ref() else {
            return Lookup::Miss;
        };
        let Some(key) = set.keys.iter().find(|k| k.kid() == Some(kid)) else {
            return Lookup::Miss;
        };
        match now.checked_sub(set.fetched_at) {
            Some(age) if age < self.settings.ttl => Lookup::Fresh(Arc::clone(key)),
            Some(age) if age < self.settings.max_stale => Lookup::Stale(Arc::clone(key)),
            // The clock went backwards: the keys' age is unknown, so use them but refresh.
            None => Lookup::Stale(Arc::clone(key)),
            Some(_) => Lookup::Miss,
        }
    }

    fn has_usable_keys(&self, now: Duration) -> bool {
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        current.as_ref().is_some_and(|set| {
            now.checked_sub(set.fetched_at)
                .is_none_or(|age| age < self.settings.max_stale)
        })
    }

    fn is_fresh(&self, now: Duration) -> bool {
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        current.as_ref().is_some_and(|set| {
            now.checked_sub(set.fetched_at)
                .is_some_and(|age| age < self.settings.ttl)
        })
    }

    /// Whether the rate limit lets this cache ask the endpoint again.
    fn may_fetch(&self, log: &RefreshLog, now: Duration) -> bool {
        log.last_attempt.is_none_or(|last| {
            now.checked_sub(last)
                .is_none_or(|since| since >= self.settings.min_refresh_interval)
        })
    }

    /// Single-flight refresh for a `kid` that is not cached: the first caller fetches, the
    /// others wait for it and then look again; within the rate limit nobody fetches twice.
    async fn refresh_for(&self, kid: &str) -> Result<Arc<VerifyingKey>, VerifyError> {
        let mut log = self.refresh.lock().await;
        let now = self.clock.now();
        if let Lookup::Fresh(key) | Lookup::Stale(key) = self.lookup(kid, now) {
            return Ok(key);
        }
        if self.may_fetch(&log, now) {
            self.fetch_and_store(&mut log).await;
        }
        match self.lookup(kid, self.clock.now()) {
            Lookup::Fresh(key) | Lookup::Stale(key) => Ok(key),
            Lookup::Miss => Err(self.miss_error(kid, log.last_error.as_deref())),
        }
    }

    fn miss_error(&self, kid: &str, last_error: Option<&str>) -> VerifyError {
        if self.has_usable_keys(self.clock.now()) {
            let detail = match last_error {
                Some(e) => format!(
                    "kid {} (the last JWKS fetch failed: {e})",
                    quote_untrusted(kid)
                ),
                None => format!("kid {}", quote_untrusted(kid)),
            };
            VerifyError::with_detail(Reason::UnknownKey, detail)
        } else {
            match last_error {
                Some(e) => VerifyError::with_detail(Reason::KeysUnavailable, e.to_owned()),
                None => VerifyError::with_detail(Reason::KeysUnavailable, "no keys fetched yet"),
            }
        }
    }

    /// Starts a refresh in the background so that verifications keep using the stale keys
    /// instead of waiting. Nothing happens while another refresh is in flight, within the rate
    /// limit, or outside a Tokio runtime (the next verification inside one will do it).
    fn refresh_in_background(self: &Arc<Self>) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let Ok(mut log) = Arc::clone(&self.refresh).try_lock_owned() else {
            return;
        };
        let now = self.clock.now();
        if self.is_fresh(now) || !self.may_fetch(&log, now) {
            return;
        }
        let cache = Arc::clone(self);
        // The task owns the lock guard: if the runtime drops it mid-fetch, the lock is freed.
        runtime.spawn(async move { cache.fetch_and_store(&mut log).await });
    }

    async fn fetch_and_store(&self, log: &mut RefreshLog) {
        let started = self.clock.now();
        log.last_attempt = Some(started);
        match self.fetch().await {
            Ok(keys) => {
                tracing::debug!(url = %self.url, keys = keys.len(), "fetched JWKS");
                let set = KeySet {
                    keys: keys.into_iter().map(Arc::new).collect(),
                    fetched_at: started,
                };
                *self.current.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(set));
                log.last_error = None;
            }
            Err(problem) => {
                tracing::warn!(url = %self.url, %problem, "JWKS fetch failed; keeping cached keys");
                log.last_error = Some(problem);
            }
        }
    }

    async fn fetch(&self) -> Result<Vec<VerifyingKey>, String> {
        let mut response = self
            .http
            .get(self.url.clone())
            .headers(self.headers.clone())
            .header(ACCEPT, "application/json")
            .timeout(self.settings.fetch_timeout)
            .send()
            .await
            .map_err(|e| format!("JWKS request failed: {e}"))?;
        let status = response.status();
        if response
            .content_length()
            .is_some_and(|len| len > MAX_JWKS_BYTES as u64)
        {
            return Err(format!(
                "JWKS response is larger than {MAX_JWKS_BYTES} bytes"
            ));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| format!("JWKS response failed: {e}"))?
        {
            if body.len() + chunk.len() > MAX_JWKS_BYTES {
                return Err(format!(
                    "JWKS response is larger than {MAX_JWKS_BYTES} bytes"
                ));
            }
            body.extend_from_slice(&chunk);
        }
        if !status.is_success() {
            return Err(describe_failure(status, &body));
        }
        parse_jwks(&body)
    }
}

/// `HTTP 401 (clerk_key_invalid)`: the status plus Clerk's error code when the body has one.
fn describe_failure(status: http::StatusCode, body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct ClerkErrors {
        errors: Vec<ClerkError>,
    }
    #[derive(serde::Deserialize)]
    struct ClerkError {
        code: String,
    }
    match serde_json::from_slice::<ClerkErrors>(body) {
        Ok(errors) if !errors.errors.is_empty() => {
            let codes: Vec<_> = errors.errors.iter().map(|e| e.code.as_str()).collect();
            format!(
                "JWKS endpoint answered HTTP {status} ({})",
                codes.join(", ")
            )
        }
        _ => format!("JWKS endpoint answered HTTP {status}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_descriptions_name_clerk_codes() {
        let body = br#"{"errors":[{"code":"clerk_key_invalid","message":"m"}]}"#;
        assert_eq!(
            describe_failure(http::StatusCode::UNAUTHORIZED, body),
            "JWKS endpoint answered HTTP 401 Unauthorized (clerk_key_invalid)"
        );
        assert_eq!(
            describe_failure(http::StatusCode::BAD_GATEWAY, b"<html>"),
            "JWKS endpoint answered HTTP 502 Bad Gateway"
        );
    }
}
