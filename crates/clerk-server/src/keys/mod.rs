//! Signing keys, the JWKS, and JWTs: session tokens (RS256, like Clerk's) and client tokens
//! (the local stand-in for Clerk's `__client` cookie).
//!
//! Keys are RSA-2048 with e = 65537, generated with aws-lc-rs and stored in the database as
//! PKCS#8 (so replicas and restarts share them), sealed by the [`vault`] (so the database
//! alone does not give them away). The newest unretired key signs. Rotating retires the
//! current key: it stays in the JWKS, and keeps verifying, for the configured grace period,
//! then leaves it.

pub(crate) mod vault;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{self, KeyPair as _, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::error::{ApiError, Error};
use crate::ids;
use crate::secret::Secret;
use crate::store::instance::{self, StoredKey};
use crate::store::{StartupLock, Store};
use vault::Vault;

/// One RSA signing key with its key id.
pub(crate) struct SigningKey {
    kid: String,
    pair: KeyPair,
    jwk: Jwk,
}

/// A public key as published in the JWKS.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub(crate) struct Jwk {
    #[serde(rename = "use")]
    pub use_: &'static str,
    pub kty: &'static str,
    pub kid: String,
    pub alg: &'static str,
    pub n: String,
    pub e: String,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Generates a new RSA-2048 key. Returns the key and its PKCS#8 DER, base64-encoded for
    /// storage. Slow (tens to hundreds of milliseconds): call it off the async workers.
    pub(crate) fn generate(kid: String) -> Result<(Self, Secret), Error> {
        let pair = KeyPair::generate(KeySize::Rsa2048)
            .map_err(|_| Error::Keys("RSA key generation failed".into()))?;
        let der = pair
            .as_der()
            .map_err(|_| Error::Keys("RSA key serialisation failed".into()))?;
        let stored = Secret::new(STANDARD.encode(der.as_ref()));
        Ok((Self::from_pair(kid, pair), stored))
    }

    /// Loads a key from its stored form (base64 PKCS#8 DER).
    pub(crate) fn from_stored(kid: String, stored: &Secret) -> Result<Self, Error> {
        let der = STANDARD
            .decode(stored.expose())
            .map_err(|_| Error::Keys(format!("stored key {kid} is not base64")))?;
        let pair = KeyPair::from_pkcs8(&der)
            .map_err(|_| Error::Keys(format!("stored key {kid} is not an RSA PKCS#8 key")))?;
        Ok(Self::from_pair(kid, pair))
    }

    fn from_pair(kid: String, pair: KeyPair) -> Self {
        let public = pair.public_key();
        let jwk = Jwk {
            use_: "sig",
            kty: "RSA",
            kid: kid.clone(),
            alg: "RS256",
            n: URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
            e: URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
        };
        Self { kid, pair, jwk }
    }

    /// The key id (`kid`).
    pub(crate) fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key as a JWK.
    pub(crate) fn jwk(&self) -> &Jwk {
        &self.jwk
    }

    /// The public key as a PEM `PUBLIC KEY` (SubjectPublicKeyInfo), the form of Clerk's
    /// "JWT public key" (`CLERK_JWT_KEY`) for networkless verification.
    pub(crate) fn public_key_pem(&self) -> String {
        // Encoding a key this process holds cannot fail.
        let der = self
            .pair
            .public_key()
            .as_der()
            .expect("DER encoding of a loaded RSA public key");
        let body = STANDARD.encode(der.as_ref());
        let lines: Vec<&str> = body
            .as_bytes()
            .chunks(64)
            .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
            .collect();
        format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            lines.join("\n")
        )
    }

    /// Signs `claims` into a compact RS256 JWT with `{"alg":"RS256","kid":…,"typ":"JWT"}`.
    pub(crate) fn sign(&self, claims: &Map<String, Value>) -> String {
        let header = json!({"alg": "RS256", "kid": self.kid, "typ": "JWT"});
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(Value::Object(claims.clone()).to_string())
        );
        let mut sig = vec![0u8; self.pair.public_modulus_len()];
        let rng = aws_lc_rs::rand::SystemRandom::new();
        // Signing with a valid in-memory key into a buffer of the right size cannot fail.
        self.pair
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &rng,
                signing_input.as_bytes(),
                &mut sig,
            )
            .expect("RS256 signing with a loaded key");
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig))
    }

    fn verify_signature(&self, signing_input: &[u8], sig: &[u8]) -> bool {
        UnparsedPublicKey::new(
            &signature::RSA_PKCS1_2048_8192_SHA256,
            self.pair.public_key().as_ref(),
        )
        .verify(signing_input, sig)
        .is_ok()
    }
}

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
        self.lock().insert(key.kid.clone(), key);
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

    /// The parsed form of a stored key.
    pub(crate) fn load(&self, stored: &StoredKey) -> Result<Arc<SigningKey>, ApiError> {
        self.cache.get(stored, &self.vault).map_err(|err| {
            tracing::error!(error = %err, "cannot load a signing key");
            ApiError::internal()
        })
    }

    /// The key that signs now: the newest one not retired.
    pub(crate) async fn signing_key(&self, store: &Store) -> Result<Arc<SigningKey>, ApiError> {
        let keys = store.signing_keys().await?;
        let active = keys
            .iter()
            .find(|k| k.retired_at.is_none())
            .ok_or_else(|| {
                tracing::error!("the database holds no active signing key");
                ApiError::internal()
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
    ) -> Result<Vec<Arc<SigningKey>>, ApiError> {
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
    pub(crate) async fn rotate(&self, store: &Store, now_ms: i64) -> Result<Rotation, ApiError> {
        let kid = ids::new_id(ids::prefix::INSTANCE, now_ms);
        let (key, sealed) = generate_sealed(kid, &self.vault).await.map_err(|err| {
            tracing::error!(error = %err, "signing key generation failed");
            ApiError::internal()
        })?;
        let retired = store.rotate_signing_key(key.kid(), &sealed, now_ms).await?;
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
    if stored.iter().all(|key| key.retired_at.is_some()) {
        let kid = ids::new_id(ids::prefix::INSTANCE, now_ms);
        let (_, sealed) = generate_sealed(kid.clone(), vault).await?;
        instance::insert_signing_key(&mut tx, &kid, &sealed, now_ms).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Why a JWT was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JwtError {
    Malformed,
    UnsupportedAlgorithm,
    UnknownKey,
    BadSignature,
    Expired,
    NotYetValid,
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JwtError::Malformed => "the token is not a well-formed JWT",
            JwtError::UnsupportedAlgorithm => "the token is not signed with RS256",
            JwtError::UnknownKey => "the token was not signed by a key of this instance",
            JwtError::BadSignature => "the token signature is invalid",
            JwtError::Expired => "the token has expired",
            JwtError::NotYetValid => "the token is not valid yet",
        })
    }
}

/// Leeway for `exp`/`nbf` checks when this server verifies tokens.
const LEEWAY_SECONDS: i64 = 5;

/// Verifies an RS256 JWT against `keys` (matched by `kid`) and its `exp`/`nbf` against
/// `now_s`, returning the claims.
pub(crate) fn verify_jwt(
    token: &str,
    keys: &[Arc<SigningKey>],
    now_s: i64,
) -> Result<Map<String, Value>, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(c), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let decode_json = |part: &str| -> Result<Map<String, Value>, JwtError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| JwtError::Malformed)?;
        match serde_json::from_slice(&bytes) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(JwtError::Malformed),
        }
    };
    let header = decode_json(h)?;
    let claims = decode_json(c)?;
    let sig = URL_SAFE_NO_PAD.decode(s).map_err(|_| JwtError::Malformed)?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(JwtError::UnsupportedAlgorithm);
    }
    let kid = header.get("kid").and_then(Value::as_str);
    let key = keys
        .iter()
        .find(|k| Some(k.kid()) == kid)
        .ok_or(JwtError::UnknownKey)?;
    let signing_input = &token[..h.len() + 1 + c.len()];
    if !key.verify_signature(signing_input.as_bytes(), &sig) {
        return Err(JwtError::BadSignature);
    }
    if let Some(exp) = claims.get("exp") {
        let exp = exp.as_i64().ok_or(JwtError::Malformed)?;
        if now_s > exp + LEEWAY_SECONDS {
            return Err(JwtError::Expired);
        }
    }
    if let Some(nbf) = claims.get("nbf") {
        let nbf = nbf.as_i64().ok_or(JwtError::Malformed)?;
        if now_s + LEEWAY_SECONDS < nbf {
            return Err(JwtError::NotYetValid);
        }
    }
    Ok(claims)
}

/// What a session token says about its session.
pub(crate) struct SessionTokenFacts<'a> {
    pub session_id: &'a str,
    pub user_id: &'a str,
    pub session_created_at_ms: i64,
    pub organization_id: Option<&'a str>,
    pub issuer: &'a str,
    pub now_ms: i64,
    pub lifetime_seconds: i64,
    pub v2: bool,
}

/// How far before `iat` a token becomes valid (Clerk's tokens use 10 seconds).
pub(crate) const NBF_SKEW_SECONDS: i64 = 10;

/// The claims of a session token as Clerk's Backend API mints them. Backend API tokens carry
/// no `azp` (there is no browser origin). Version 1 tokens carry `sub`, `sid`, `iss`, `iat`,
/// `nbf`, `exp`, `fva` and, with an active organization, `org_id`; version 2 tokens
/// (API 2025-04-10 and later) add `v: 2`, `sts: "active"`, a random `jti`, and carry the
/// organization as `o: {"id": …}` instead.
pub(crate) fn session_claims(facts: &SessionTokenFacts<'_>) -> Map<String, Value> {
    let iat = facts.now_ms.div_euclid(1000);
    let first_factor_age_minutes = (facts.now_ms - facts.session_created_at_ms).max(0) / 60_000;
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(facts.user_id));
    claims.insert("sid".into(), json!(facts.session_id));
    claims.insert("iss".into(), json!(facts.issuer));
    claims.insert("iat".into(), json!(iat));
    claims.insert("nbf".into(), json!(iat - NBF_SKEW_SECONDS));
    claims.insert("exp".into(), json!(iat + facts.lifetime_seconds));
    claims.insert("fva".into(), json!([first_factor_age_minutes, -1]));
    if facts.v2 {
        claims.insert("v".into(), json!(2));
        claims.insert("sts".into(), json!("active"));
        claims.insert("jti".into(), json!(ids::random_hex(10)));
        if let Some(org) = facts.organization_id {
            claims.insert("o".into(), json!({ "id": org }));
        }
    } else if let Some(org) = facts.organization_id {
        claims.insert("org_id".into(), json!(org));
    }
    claims
}

/// The claims of a client token: the client id (`id`), a random `rotating_token` (as in
/// Clerk's `__client` cookie), `iss`, `iat` and `exp`.
pub(crate) fn client_claims(
    client_id: &str,
    issuer: &str,
    now_ms: i64,
    lifetime_seconds: i64,
) -> Map<String, Value> {
    let iat = now_ms.div_euclid(1000);
    let mut claims = Map::new();
    claims.insert("id".into(), json!(client_id));
    claims.insert("rotating_token".into(), json!(ids::random_hex(16)));
    claims.insert("iss".into(), json!(issuer));
    claims.insert("iat".into(), json!(iat));
    claims.insert("exp".into(), json!(iat + lifetime_seconds));
    claims
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kid: &str) -> Arc<SigningKey> {
        Arc::new(SigningKey::generate(kid.to_owned()).unwrap().0)
    }

    #[test]
    fn jwk_is_rsa_2048_with_e_65537() {
        let k = key("ins_test");
        let jwk = k.jwk();
        assert_eq!(jwk.e, "AQAB");
        assert_eq!(URL_SAFE_NO_PAD.decode(&jwk.n).unwrap().len(), 256);
        assert_eq!((jwk.use_, jwk.kty, jwk.alg), ("sig", "RSA", "RS256"));
    }

    #[test]
    fn public_key_pem_is_the_rsa_2048_spki() {
        let pem = key("ins_pem").public_key_pem();
        assert!(pem.starts_with(
            "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
        ));
        assert!(pem.ends_with("IDAQAB\n-----END PUBLIC KEY-----\n"));
        assert!(pem.lines().all(|l| l.len() <= 64));
    }

    #[test]
    fn stored_form_round_trips() {
        let (k, stored) = SigningKey::generate("ins_a".into()).unwrap();
        let loaded = SigningKey::from_stored("ins_a".into(), &stored).unwrap();
        assert_eq!(k.jwk(), loaded.jwk());
        assert!(SigningKey::from_stored("x".into(), &Secret::new("bm90IGEga2V5")).is_err());
    }

    #[test]
    fn sign_and_verify() {
        let k = key("ins_a");
        let other = key("ins_b");
        let mut claims = Map::new();
        claims.insert("sub".into(), json!("user_1"));
        claims.insert("exp".into(), json!(1000));
        claims.insert("nbf".into(), json!(900));
        let token = k.sign(&claims);

        let header: Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(token.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(header, json!({"alg":"RS256","kid":"ins_a","typ":"JWT"}));

        let keys = vec![k.clone(), other.clone()];
        assert_eq!(verify_jwt(&token, &keys, 950).unwrap()["sub"], "user_1");
        assert_eq!(verify_jwt(&token, &keys, 1006), Err(JwtError::Expired));
        assert_eq!(verify_jwt(&token, &keys, 890), Err(JwtError::NotYetValid));
        assert_eq!(
            verify_jwt(&token, std::slice::from_ref(&other), 950),
            Err(JwtError::UnknownKey)
        );
        assert_eq!(verify_jwt("a.b", &keys, 950), Err(JwtError::Malformed));

        // A token signed by another key but claiming this kid fails the signature check.
        let forged = other.sign(&claims);
        let (_, rest) = forged.split_once('.').unwrap();
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"ins_a","typ":"JWT"}"#);
        assert_eq!(
            verify_jwt(&format!("{header}.{rest}"), &keys, 950),
            Err(JwtError::BadSignature)
        );
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            rest.split('.').next().unwrap()
        );
        assert_eq!(
            verify_jwt(&none, &keys, 950),
            Err(JwtError::UnsupportedAlgorithm)
        );
    }

    #[test]
    fn claims_follow_the_version() {
        let facts = |v2| SessionTokenFacts {
            session_id: "sess_1",
            user_id: "user_1",
            session_created_at_ms: 1_000_000,
            organization_id: Some("org_1"),
            issuer: "http://127.0.0.1:8080",
            now_ms: 1_000_000 + 5 * 60_000,
            lifetime_seconds: 60,
            v2,
        };
        let v1 = session_claims(&facts(false));
        assert_eq!(
            v1["nbf"].as_i64().unwrap(),
            v1["iat"].as_i64().unwrap() - 10
        );
        assert_eq!(
            v1["exp"].as_i64().unwrap(),
            v1["iat"].as_i64().unwrap() + 60
        );
        assert_eq!(v1["fva"], json!([5, -1]));
        assert_eq!(v1["org_id"], "org_1");
        assert!(!v1.contains_key("v") && !v1.contains_key("azp") && !v1.contains_key("jti"));
        let v2 = session_claims(&facts(true));
        assert_eq!(v2["v"], 2);
        assert_eq!(v2["sts"], "active");
        assert_eq!(v2["o"], json!({"id": "org_1"}));
        assert!(v2["jti"].is_string() && !v2.contains_key("org_id") && !v2.contains_key("azp"));
    }
}
