//! The verified-token cache: tokens this verifier has already verified, so that the
//! minute's worth of requests carrying the same session token pays for one RSA check.
//!
//! Why a hit is as safe as a full verification (the security argument, also in the module
//! docs of [`verify`](super)):
//!
//! - **Only successes are kept**, each under the *whole* token. The hash only picks the
//!   slot; a hit needs the stored token and the presented one to be equal byte for byte,
//!   compared in constant time. A token differing anywhere, even in one signature bit,
//!   misses and gets the full check.
//! - **The slot comes from the signature's end**, hashed with a per-verifier key
//!   (`RandomState`): nobody can choose tokens that collide, and a collision merely replaces
//!   an entry.
//! - **Time is re-checked on every hit**: the policy (`exp`, `nbf`, `iat` with the leeway,
//!   and the rest of the verifier's options, which cannot change after `build()`) runs
//!   against the clock of the moment, so an expired token is refused as it would be without
//!   the cache.
//! - **Key rotation invalidates**: an entry remembers the key object that verified it; a
//!   hit needs the JWKS cache to still hold that very key for the token's `kid`. A refreshed
//!   key set, a key withdrawn from the JWKS or a refetch all turn the entry into a miss.
//! - **Bounded**: at most `capacity` entries, the oldest evicted first; a session token
//!   lives about a minute, so a modest size covers every active session of a busy process.
//!
//! What it does not change: a networkless verifier cannot see a session revoked after its
//! token was issued, with or without the cache.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, MutexGuard};

use super::key::VerifyingKey;

/// How many verified tokens a verifier keeps by default.
pub(crate) const DEFAULT_CAPACITY: usize = 1024;

/// How much of a token's end picks its slot (hashing all of a 1 KB token would cost a
/// third of what the cache saves on a first-seen token).
const SLOT_BYTES: usize = 32;

pub(crate) struct VerifiedTokens {
    capacity: usize,
    hasher: RandomState,
    table: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    entries: HashMap<u64, Entry>,
    /// Slots in insertion order, for eviction (a replaced slot may appear twice; eviction
    /// skips what is gone).
    order: VecDeque<u64>,
}

/// The token itself, not its claims: a hit decodes the payload again (a few thousand
/// instructions), so that remembering a first-seen token costs one copy, not a deep clone.
struct Entry {
    token: Box<[u8]>,
    /// The key that checked the signature, and the `kid` it was found under (JWKS only).
    key: Arc<VerifyingKey>,
    kid: Option<Box<str>>,
}

impl VerifiedTokens {
    /// A cache of at most `capacity` tokens; `None` when `capacity` is 0 (off).
    pub(crate) fn new(capacity: usize) -> Option<Self> {
        (capacity > 0).then(|| VerifiedTokens {
            capacity,
            hasher: RandomState::new(),
            table: Mutex::new(Table::default()),
        })
    }

    /// The slot of `token`: a per-verifier keyed hash of its length and its last
    /// [`SLOT_BYTES`] bytes, the end of the RSA signature, which nobody without the signing
    /// key can choose for a token that verifies. Only verified tokens are kept, so a
    /// colliding slot can at worst replace an entry (a miss later); the whole token is still
    /// compared before any hit.
    pub(crate) fn slot(&self, token: &str) -> u64 {
        let bytes = token.as_bytes();
        let tail = &bytes[bytes.len().saturating_sub(SLOT_BYTES)..];
        self.hasher.hash_one((bytes.len(), tail))
    }

    /// Whether exactly `token` (constant-time equality of the whole token) was verified and
    /// `still_valid` accepts the key that verified it and its `kid`.
    pub(crate) fn recall(
        &self,
        slot: u64,
        token: &str,
        still_valid: impl FnOnce(&Arc<VerifyingKey>, Option<&str>) -> bool,
    ) -> bool {
        let table = self.lock();
        let Some(entry) = table.entries.get(&slot) else {
            return false;
        };
        entry.token.len() == token.len()
            && aws_lc_rs::constant_time::verify_slices_are_equal(&entry.token, token.as_bytes())
                .is_ok()
            && still_valid(&entry.key, entry.kid.as_deref())
    }

    /// Drops the entry in `slot` (a recalled token that no longer passes).
    pub(crate) fn forget(&self, slot: u64) {
        self.lock().entries.remove(&slot);
    }

    /// Keeps `token`, just verified with `key`, evicting the oldest entries beyond capacity.
    pub(crate) fn remember(
        &self,
        slot: u64,
        token: &str,
        key: &Arc<VerifyingKey>,
        kid: Option<&str>,
    ) {
        let entry = Entry {
            token: token.as_bytes().into(),
            key: Arc::clone(key),
            kid: kid.map(Into::into),
        };
        let mut table = self.lock();
        if table.entries.insert(slot, entry).is_none() {
            table.order.push_back(slot);
        }
        while table.entries.len() > self.capacity {
            let Some(oldest) = table.order.pop_front() else {
                break;
            };
            table.entries.remove(&oldest);
        }
        // Replaced slots leave stale positions behind; keep the queue bounded too.
        if table.order.len() > 2 * self.capacity {
            let Table { entries, order } = &mut *table;
            order.retain(|slot| entries.contains_key(slot));
        }
    }

    /// How many tokens are kept now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().entries.len()
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        // The table holds no invariant a panic elsewhere could break half-way.
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    use aws_lc_rs::signature::KeyPair as _;
    use base64::Engine as _;

    use super::*;

    fn key() -> Arc<VerifyingKey> {
        let pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
        let spki = pair.public_key().as_der().unwrap();
        let body = base64::engine::general_purpose::STANDARD.encode(spki.as_ref());
        let pem = format!("-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----");
        Arc::new(VerifyingKey::from_pem(&pem).unwrap())
    }

    fn recall(cache: &VerifiedTokens, token: &str) -> bool {
        cache.recall(cache.slot(token), token, |_, _| true)
    }

    #[test]
    fn a_capacity_of_zero_is_no_cache() {
        assert!(VerifiedTokens::new(0).is_none());
    }

    #[test]
    fn only_the_exact_token_is_recalled() {
        let cache = VerifiedTokens::new(8).unwrap();
        let key = key();
        cache.remember(cache.slot("a.b.c"), "a.b.c", &key, Some("k"));
        assert!(recall(&cache, "a.b.c"));
        for other in ["a.b.C", "a.b.c ", "a.b.", "", "a.b.cc"] {
            assert!(!recall(&cache, other), "{other:?} recalled");
        }
        // A colliding slot still needs the whole token to match.
        assert!(!cache.recall(cache.slot("a.b.c"), "a.b.d", |_, _| true));
    }

    #[test]
    fn the_caller_judges_the_key_and_can_forget_the_entry() {
        let cache = VerifiedTokens::new(8).unwrap();
        let key = key();
        let slot = cache.slot("t");
        cache.remember(slot, "t", &key, Some("kid_1"));
        let mut seen = None;
        let refused = cache.recall(slot, "t", |kept, kid| {
            seen = Some((Arc::ptr_eq(kept, &key), kid.map(str::to_owned)));
            false
        });
        assert!(!refused);
        assert_eq!(seen, Some((true, Some("kid_1".to_owned()))));
        cache.forget(slot);
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn the_oldest_entries_are_evicted_beyond_capacity() {
        let cache = VerifiedTokens::new(3).unwrap();
        let key = key();
        for i in 0..10 {
            let token = format!("token-{i}");
            cache.remember(cache.slot(&token), &token, &key, None);
            // Re-remembering a kept token does not grow the table.
            cache.remember(cache.slot(&token), &token, &key, None);
            assert!(cache.len() <= 3);
        }
        assert!(!recall(&cache, "token-6"));
        for i in 7..10 {
            assert!(recall(&cache, &format!("token-{i}")));
        }
        assert!(cache.lock().order.len() <= 6);
    }
}
