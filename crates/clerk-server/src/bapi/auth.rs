//! Authentication of `/v1` requests: `Authorization: Bearer <secret key>`, whose SHA-256
//! digest must be one of the accepted keys' digests (compared in constant time in memory; a
//! lookup in the database compares digests, which reveal nothing about a key); and the
//! request's API version.

use std::sync::Mutex;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::bapi::version::ApiVersion;
use crate::domain::m2m_tokens::Caller;
use crate::domain::machines;
use crate::store::Store;
use crate::store::instance::secret_key_hash;

/// The accepted secret keys (as digests) this process has seen. A key is never removed
/// from the database, so a known digest stays valid; an unknown one is looked up every time,
/// so a key another replica recorded a moment ago works here at once.
pub(crate) struct SecretKeys {
    known: Mutex<Vec<String>>,
}

impl SecretKeys {
    pub(crate) fn new() -> Self {
        Self {
            known: Mutex::new(Vec::new()),
        }
    }

    /// Whether `presented` is an accepted secret key.
    pub(crate) async fn accepts(&self, store: &Store, presented: &str) -> Result<bool, ApiError> {
        let digest = secret_key_hash(presented);
        if contains(&self.lock(), &digest) {
            return Ok(true);
        }
        // A primary-key lookup in a table of a few rows: cheap even for a flood of bad keys.
        if !store.has_secret_key_hash(&digest).await? {
            return Ok(false);
        }
        self.lock().push(digest);
        Ok(true)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.known.lock().unwrap_or_else(|e| e.into_inner())
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
    if !state.secret_keys().accepts(&state.store, key).await? {
        return Err(ApiError::key_invalid());
    }
    let version = ApiVersion::from_request(req.headers(), req.uri().query())?;
    req.extensions_mut().insert(version);
    Ok(next.run(req).await)
}

/// Middleware for the M2M endpoints (`/m2m_tokens…`, with and without `/v1`): the instance's
/// secret key, or a machine's secret key (`ak_…`, looked up by its SHA-256 digest, the
/// stored digest confirmed in constant time). The request carries a [`Caller`] saying
/// which. A machine's key authenticates these routes only: every other route goes through
/// [`authenticate`], which knows instance keys alone.
pub(crate) async fn authenticate_machine_or_instance(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let key = bearer_key(req.headers()).ok_or_else(ApiError::key_invalid)?;
    let caller = if key.starts_with(machines::SECRET_KEY_PREFIX) {
        let digest = secret_key_hash(key);
        let now = state.services().now_ms();
        match state.store.machine_for_secret_digest(&digest, now).await? {
            Some((machine_id, stored)) if contains(std::slice::from_ref(&stored), &digest) => {
                Caller::Machine(machine_id)
            }
            _ => return Err(ApiError::key_invalid()),
        }
    } else if state.secret_keys().accepts(&state.store, key).await? {
        Caller::Instance
    } else {
        return Err(ApiError::key_invalid());
    };
    let version = ApiVersion::from_request(req.headers(), req.uri().query())?;
    req.extensions_mut().insert(version);
    req.extensions_mut().insert(caller);
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
