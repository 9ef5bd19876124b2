//! Authentication of `/v1` requests: `Authorization: Bearer <secret key>`, compared in
//! constant time against the digests of the accepted keys; and the request's API version.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::app::AppState;
use crate::error::ApiError;
use crate::store::Store;
use crate::store::instance::secret_key_hash;
use crate::version::ApiVersion;

/// How often an unknown key may trigger a reload of the accepted keys (another replica may
/// have added one at its start).
const RELOAD_INTERVAL: Duration = Duration::from_secs(1);

/// The accepted secret keys (as digests), cached from the database.
pub(crate) struct SecretKeys {
    cache: Mutex<(Vec<String>, Option<Instant>)>,
}

impl SecretKeys {
    pub(crate) fn new() -> Self {
        Self {
            cache: Mutex::new((Vec::new(), None)),
        }
    }

    /// Whether `presented` is an accepted secret key.
    pub(crate) async fn accepts(&self, store: &Store, presented: &str) -> Result<bool, ApiError> {
        let digest = secret_key_hash(presented);
        let (matched, stale) = {
            let cache = self.lock();
            let stale = cache.1.is_none_or(|at| at.elapsed() >= RELOAD_INTERVAL);
            (contains(&cache.0, &digest), stale)
        };
        if matched || !stale {
            return Ok(matched);
        }
        let fresh = store.secret_key_hashes().await?;
        let matched = contains(&fresh, &digest);
        *self.lock() = (fresh, Some(Instant::now()));
        Ok(matched)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (Vec<String>, Option<Instant>)> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn contains(digests: &[String], digest: &str) -> bool {
    digests.iter().any(|known| {
        aws_lc_rs::constant_time::verify_slices_are_equal(known.as_bytes(), digest.as_bytes())
            .is_ok()
    })
}

/// The key of an `Authorization: Bearer <key>` header (scheme case-insensitive).
fn bearer_key(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, key) = value.split_once(' ')?;
    let key = key.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !key.is_empty()).then_some(key)
}

/// Middleware for every `/v1` route: checks the secret key (401 `clerk_key_invalid`), then
/// resolves the API version (400 `api_version_invalid`) into the request's extensions.
pub(crate) async fn authenticate(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let key = bearer_key(req.headers()).ok_or_else(ApiError::key_invalid)?;
    if !state.secret_keys.accepts(&state.store, key).await? {
        return Err(ApiError::key_invalid());
    }
    let version = ApiVersion::from_request(req.headers(), req.uri().query())?;
    req.extensions_mut().insert(version);
    Ok(next.run(req).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bearer_headers() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer_key(&h), None);
        h.insert(header::AUTHORIZATION, "Bearer sk_test_1".parse().unwrap());
        assert_eq!(bearer_key(&h), Some("sk_test_1"));
        h.insert(
            header::AUTHORIZATION,
            "bearer   sk_test_1 ".parse().unwrap(),
        );
        assert_eq!(bearer_key(&h), Some("sk_test_1"));
        h.insert(header::AUTHORIZATION, "Basic sk_test_1".parse().unwrap());
        assert_eq!(bearer_key(&h), None);
        h.insert(header::AUTHORIZATION, "Bearer".parse().unwrap());
        assert_eq!(bearer_key(&h), None);
    }

    #[test]
    fn digest_comparison() {
        let digests = vec![secret_key_hash("sk_test_a"), secret_key_hash("sk_test_b")];
        assert!(contains(&digests, &secret_key_hash("sk_test_b")));
        assert!(!contains(&digests, &secret_key_hash("sk_test_c")));
    }
}
