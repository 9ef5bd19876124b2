//! Signing keys, the JWKS, and JWTs: session tokens (RS256, like Clerk's) and client tokens
//! (the local stand-in for Clerk's `__client` cookie).
//!
//! Keys are RSA-2048 with e = 65537, generated with aws-lc-rs and stored in the database as
//! PKCS#8 (so replicas and restarts share them), sealed by the [`vault`] (so the database
//! alone does not give them away). The newest unretired key signs. Rotating retires the
//! current key: it stays in the JWKS, and keeps verifying, for the configured grace period,
//! then leaves it.

mod jwt;
mod org_claims;
mod publishable;
pub(crate) mod sealed;
mod signing;
pub(crate) mod template_signing;
pub(crate) mod vault;

pub(crate) use jwt::{
    JwtError, M2M_CATEGORY, NBF_SKEW_SECONDS, SessionTokenFacts, client_claims, session_claims,
    unverified_header, verify_jwt, verify_jwt_signature,
};
pub(crate) use org_claims::OrganizationClaims;
pub(crate) use publishable::{cookie_suffix, publishable_key};
pub(crate) use signing::{Jwk, SigningKey};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::domain::error::{Error as DomainError, Result as DomainResult};
use crate::error::Error;
use crate::ids;
use crate::secret::Secret;
use crate::store::instance::{self, StoredKey};
use crate::store::{StartupLock, Store, UnitOfWork};
use vault::Vault;

/// Parsed keys by kid: parsing a PKCS#8 key costs far more than a database read, and a
/// stored key never changes, so each process parses each key once.
#[derive(Default)]
pub(crate) struct KeyCache {
    parsed: Mutex<HashMap<String, Arc<SigningKey>>>,
}

impl KeyCache {
    /// The parsed key for `stored`, opening and parsing it on first use.
    pub(crate) fn get(&self, stored: &StoredKey, vault: &Vault) -> Result<Arc<SigningKey>, Error> {
        if let Some(key) = self.lock().get(&stored.kid) {
            return Ok(key.clone());
        }
        let pkcs8 = open_stored(vault, stored)?;
        let key = Arc::new(SigningKey::from_stored(stored.kid.clone(), &pkcs8)?);
        self.lock().insert(stored.kid.clone(), key.clone());
        Ok(key)
    }

    /// Remembers a key this process generated.
    pub(crate) fn insert(&self, key: Arc<SigningKey>) {
        self.lock().insert(key.kid().to_owned(), key);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<SigningKey>>> {
        // A poisoned map of immutable parsed keys is still correct.
        self.parsed.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The instance's keys as the server uses them: read from the database (the source of
/// truth every replica shares), opened with the vault and parsed once per process.
pub(crate) struct KeyRing {
    cache: KeyCache,
    vault: Arc<Vault>,
}

/// The outcome of a rotation.
pub(crate) struct Rotation {
    pub key: Arc<SigningKey>,
    pub retired: Vec<String>,
}

impl KeyRing {
    /// A key ring opening stored keys with `vault`.
    pub(crate) fn new(vault: Arc<Vault>) -> Self {
        Self {
            cache: KeyCache::default(),
            vault,
        }
    }

    /// The vault that seals what the server must read back (template signing keys too).
    pub(crate) fn vault(&self) -> &Vault {
        &self.vault
    }

    /// The parsed form of a stored key.
    pub(crate) fn load(&self, stored: &StoredKey) -> DomainResult<Arc<SigningKey>> {
        self.cache
            .get(stored, &self.vault)
            .map_err(|err| DomainError::Internal(format!("cannot load a signing key: {err}")))
    }

    /// The key that signs now: the newest one not retired.
    pub(crate) async fn signing_key(&self, store: &Store) -> DomainResult<Arc<SigningKey>> {
        let keys = store.signing_keys().await?;
        let active = keys
            .iter()
            .find(|k| k.retired_at.is_none())
            .ok_or_else(|| {
                DomainError::Internal("the database holds no active signing key".into())
            })?;
        self.load(active)
    }

    /// The keys in the JWKS, newest first: the active key and keys retired less than
    /// `grace_ms` ago. These are also the keys the server accepts when it verifies a token.
    pub(crate) async fn published(
        &self,
        store: &Store,
        now_ms: i64,
        grace_ms: i64,
    ) -> DomainResult<Vec<Arc<SigningKey>>> {
        store
            .signing_keys()
            .await?
            .iter()
            .filter(|k| {
                k.retired_at
                    .is_none_or(|retired| now_ms < retired.saturating_add(grace_ms))
            })
            .map(|k| self.load(k))
            .collect()
    }

    /// Generates a key, makes it the signing key and retires the others.
    pub(crate) async fn rotate(&self, store: &Store, now_ms: i64) -> DomainResult<Rotation> {
        let kid = ids::new_id(ids::prefix::INSTANCE, now_ms);
        let (key, sealed) = generate_sealed(kid, &self.vault).await.map_err(|err| {
            DomainError::Internal(format!("signing key generation failed: {err}"))
        })?;
        let mut work = UnitOfWork::begin(store).await?;
        let retired =
            instance::rotate_signing_key(work.tx(), store.dialect(), key.kid(), &sealed, now_ms)
                .await?;
        work.commit().await?;
        let key = Arc::new(key);
        self.cache.insert(key.clone());
        Ok(Rotation { key, retired })
    }
}

/// Generates an RSA signing key on the blocking pool; returns it and its sealed form.
async fn generate_sealed(kid: String, vault: &Vault) -> Result<(SigningKey, Secret), Error> {
    let (key, pkcs8) = tokio::task::spawn_blocking(move || SigningKey::generate(kid))
        .await
        .map_err(|e| Error::Keys(e.to_string()))??;
    let sealed = Secret::new(vault.seal(key.kid(), pkcs8.expose().as_bytes()));
    Ok((key, sealed))
}

/// The PKCS#8 form of a stored key, opened with the vault.
fn open_stored(vault: &Vault, stored: &StoredKey) -> Result<Secret, Error> {
    vault
        .open(&stored.kid, stored.private_key.expose())
        .map_err(|err| {
            Error::Keys(format!(
                "the signing key {} cannot be read: {err}",
                stored.kid
            ))
        })
}

/// At start, under the startup lock: seals anew what is stored in plain text (databases
/// from before sealing) or under a source other than the vault's first, and creates a
/// signing key when none is active. Fails, naming what to give the server, when a key is
/// sealed under a key the vault lacks.
pub(crate) async fn bootstrap(
    lock: &mut StartupLock,
    vault: &Vault,
    now_ms: i64,
) -> Result<(), Error> {
    let mut tx = lock.begin().await?;
    let stored = instance::signing_keys_on(&mut tx).await?;
    for key in &stored {
        if !vault.needs_resealing(key.private_key.expose()) {
            continue;
        }
        let pkcs8 = open_stored(vault, key)?;
        let sealed = Secret::new(vault.seal(&key.kid, pkcs8.expose().as_bytes()));
        instance::replace_private_key(&mut tx, &key.kid, &sealed).await?;
        tracing::info!(kid = key.kid, source = ?vault.sealing_source(), "sealed a signing key anew");
    }
    let resealed = sealed::reseal_all(&mut tx, vault).await?;
    if resealed > 0 {
        tracing::info!(count = resealed, source = ?vault.sealing_source(), "sealed stored secrets anew");
    }
    if stored.iter().all(|key| key.retired_at.is_some()) {
        let kid = ids::new_id(ids::prefix::INSTANCE, now_ms);
        let (_, sealed) = generate_sealed(kid.clone(), vault).await?;
        instance::insert_signing_key(&mut tx, &kid, &sealed, now_ms).await?;
    }
    tx.commit().await?;
    Ok(())
}
