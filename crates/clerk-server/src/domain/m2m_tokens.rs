//! M2M tokens: a machine mints them with its secret key (opaque `mt_…` tokens, stored by
//! digest, or JWTs signed with the instance's keys, stored nowhere); they are listed,
//! revoked and verified with that machine's key or the instance's.
//!
//! Who may do what (Clerk's rules, as its Backend API reference states them):
//!
//! - creating needs a machine secret key: the token's subject is that machine, its scopes
//!   are the machines it may call at that moment;
//! - with a machine secret key, a list shows only that machine's tokens, a revoke reaches
//!   only them, and a verify accepts a token only if it was issued to that machine or lets
//!   its subject call that machine (the verifying machine is in the token's scopes);
//! - with the instance secret key, every token of the instance.
//!
//! A verify refuses unknown, revoked and expired tokens with 404 (the status Clerk's
//! clients read as "invalid token"), and records `last_used_at` for an opaque token.

use crate::keys::sealed::SealedColumn;
use serde_json::{Map, Value, json};

use super::error::{Result, Rule, RuleKind};
use super::services::Services;
use crate::ids;
use crate::keys::{self, JwtError, M2M_CATEGORY};
use crate::secret::Secret;
use crate::store::instance::secret_key_hash;
use crate::store::m2m_tokens::{self, M2mTokenQuery, M2mTokenRecord};
use crate::store::{Page, StoreError, UnitOfWork};

/// What authenticated a request to the M2M endpoints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Caller {
    /// The instance's secret key: every token.
    Instance,
    /// A machine's secret key: that machine (its id).
    Machine(String),
}

/// The prefix of opaque tokens (and of every token's id).
pub(crate) const TOKEN_PREFIX: &str = "mt_";
/// Random base62 characters of an opaque token after its prefix (about 190 bits).
const TOKEN_CHARS: usize = 32;
/// The longest lifetime a token may ask for: ten years, as a machine's default TTL.
const MAX_LIFETIME_SECONDS: f64 = 315_360_000.0;
/// Claims a JWT-format token sets itself; the caller's claims cannot replace them.
const RESERVED_CLAIMS: &[&str] = &["iss", "sub", "iat", "nbf", "exp", "jti", "scopes"];

/// The format of a new token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenFormat {
    Opaque,
    Jwt,
}

/// What a create asks for.
#[derive(Debug)]
pub(crate) struct NewToken {
    pub format: TokenFormat,
    /// Seconds until it expires; the machine's `default_token_ttl` when `None`.
    pub seconds_until_expiration: Option<f64>,
    pub claims: Option<Value>,
    /// Reuse a live opaque token with the same claims and scopes that has at least this
    /// many seconds left.
    pub min_remaining_ttl_seconds: Option<i64>,
}

/// An M2M token as answered: a stored opaque token, or a JWT's claims.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct M2mToken {
    pub id: String,
    pub subject: String,
    pub claims: Option<Value>,
    pub scopes: Vec<String>,
    pub revoked: bool,
    pub revocation_reason: Option<String>,
    pub expiration: Option<i64>,
    pub last_used_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl M2mToken {
    /// The token a stored row describes.
    pub(crate) fn of(record: &M2mTokenRecord) -> Self {
        Self {
            id: record.id.clone(),
            subject: record.subject.clone(),
            claims: record
                .claims
                .as_deref()
                .and_then(|c| serde_json::from_str(c).ok()),
            scopes: serde_json::from_str(&record.scopes).unwrap_or_default(),
            revoked: record.revoked,
            revocation_reason: record.revocation_reason.clone(),
            expiration: record.expiration,
            last_used_at: record.last_used_at,
            created_at: record.created_at,
            updated_at: record.updated_at,
        }
    }

    /// Whether it has expired at `now_ms`.
    pub(crate) fn expired_at(&self, now_ms: i64) -> bool {
        self.expiration.is_some_and(|exp| exp <= now_ms)
    }
}

/// The vault context of an opaque token.
fn context(token_id: &str) -> String {
    SealedColumn::M2mToken.context(token_id)
}

/// A new token id: `mt_` and 32 hex characters, as the spec's pattern has it.
fn new_token_id() -> String {
    format!("{TOKEN_PREFIX}{}", ids::random_hex(16))
}

/// The token's lifetime in milliseconds.
fn lifetime_ms(requested: Option<f64>, default_ttl_s: i64) -> Result<i64> {
    let Some(seconds) = requested else {
        return Ok(default_ttl_s.saturating_mul(1000));
    };
    if !seconds.is_finite() || seconds <= 0.0 || seconds > MAX_LIFETIME_SECONDS {
        return Err(Rule::value_invalid(
            "seconds_until_expiration",
            format!(
                "seconds_until_expiration must be greater than 0 and at most {MAX_LIFETIME_SECONDS}."
            ),
        )
        .into());
    }
    // Bounded above, so the product fits.
    Ok(((seconds * 1000.0).round() as i64).max(1))
}

/// Mints a token for `machine_id` (the machine whose secret key authenticated the request).
pub(crate) async fn create(
    svc: &Services,
    machine_id: &str,
    input: NewToken,
) -> Result<(M2mToken, Secret)> {
    let machine = svc
        .store
        .machine(machine_id)
        .await?
        .ok_or_else(|| StoreError::not_found("machine", machine_id))?;
    let lifetime = lifetime_ms(input.seconds_until_expiration, machine.default_token_ttl)?;
    let claims = input.claims.filter(|c| !c.is_null());
    let mut scopes: Vec<String> = svc
        .store
        .scoped_machines(&[machine_id])
        .await?
        .into_iter()
        .map(|(_, m)| m.id)
        .collect();
    scopes.sort();
    let now = svc.now_ms();
    if input.format == TokenFormat::Jwt {
        return mint_jwt(svc, machine_id, claims, scopes, now, lifetime).await;
    }
    let mut work = UnitOfWork::begin(&svc.store).await?;
    if let Some(min) = input.min_remaining_ttl_seconds {
        if min < 0 || min.saturating_mul(1000) >= lifetime {
            return Err(Rule::value_invalid(
                "min_remaining_ttl_seconds",
                "min_remaining_ttl_seconds must be less than the token's lifetime.",
            )
            .with_kind(RuleKind::Refused)
            .into());
        }
        let live = m2m_tokens::live_of(work.tx(), machine_id, now + min * 1000 - 1).await?;
        for record in live {
            let candidate = M2mToken::of(&record);
            if candidate.claims == claims && candidate.scopes == scopes {
                let token = svc
                    .keys
                    .vault()
                    .open(&context(&record.id), record.token.expose())
                    .map_err(|e| {
                        super::error::Error::Internal(format!("M2M token {}: {e}", record.id))
                    })?;
                return Ok((candidate, token));
            }
        }
    }
    let id = new_token_id();
    let token = Secret::new(format!("{TOKEN_PREFIX}{}", ids::random_base62(TOKEN_CHARS)));
    let record = M2mTokenRecord {
        digest: secret_key_hash(token.expose()),
        token: Secret::new(
            svc.keys
                .vault()
                .seal(&context(&id), token.expose().as_bytes()),
        ),
        id,
        subject: machine_id.to_owned(),
        claims: claims.as_ref().map(Value::to_string),
        scopes: Value::from(scopes).to_string(),
        revoked: false,
        revocation_reason: None,
        expiration: Some(now + lifetime),
        last_used_at: None,
        created_at: now,
        updated_at: now,
    };
    m2m_tokens::insert(work.tx(), &record).await?;
    work.commit().await?;
    Ok((M2mToken::of(&record), token))
}

/// A JWT-format token: `sub` the machine, `scopes` the machines it may call (space
/// separated), `jti` its id, the caller's claims beside them; signed by the instance's
/// key with the M2M `cat` header. Nothing is stored.
async fn mint_jwt(
    svc: &Services,
    machine_id: &str,
    claims: Option<Value>,
    scopes: Vec<String>,
    now: i64,
    lifetime: i64,
) -> Result<(M2mToken, Secret)> {
    let mut payload = match &claims {
        None => Map::new(),
        Some(Value::Object(map)) => map
            .iter()
            .filter(|(k, _)| !RESERVED_CLAIMS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        Some(_) => {
            return Err(Rule::value_invalid(
                "claims",
                "claims of a JWT-format token must be an object.",
            )
            .into());
        }
    };
    let id = new_token_id();
    let iat = now.div_euclid(1000);
    let expiration = now + lifetime;
    payload.insert("iss".into(), json!(svc.issuer));
    payload.insert("sub".into(), json!(machine_id));
    payload.insert("iat".into(), json!(iat));
    payload.insert("nbf".into(), json!(iat));
    payload.insert("exp".into(), json!(expiration.div_euclid(1000)));
    payload.insert("jti".into(), json!(id));
    payload.insert("scopes".into(), json!(scopes.join(" ")));
    let key = svc.keys.signing_key(&svc.store).await?;
    let jwt = key.sign_with_category(&payload, M2M_CATEGORY);
    let token = M2mToken {
        id,
        subject: machine_id.to_owned(),
        claims,
        scopes,
        revoked: false,
        revocation_reason: None,
        expiration: Some(expiration),
        last_used_at: None,
        created_at: now,
        updated_at: now,
    };
    Ok((token, Secret::new(jwt)))
}

/// A page of tokens the caller may see: a machine sees its own only.
pub(crate) async fn list(
    svc: &Services,
    caller: &Caller,
    subject: Option<String>,
    include_revoked: bool,
    include_expired: bool,
    page: Page,
) -> Result<(Vec<M2mToken>, i64)> {
    let subject = match (caller, subject) {
        (Caller::Machine(own), None) => Some(own.clone()),
        (Caller::Machine(own), Some(subject)) if subject == *own => Some(subject),
        (Caller::Machine(_), Some(_)) => {
            return Err(Rule::refused(
                "authorization_invalid",
                "Unauthorized request",
                "A machine secret key can only list the tokens of its own machine.",
            )
            .with_kind(RuleKind::Forbidden)
            .into());
        }
        (Caller::Instance, Some(subject)) => {
            if svc.store.machine(&subject).await?.is_none() {
                return Err(StoreError::not_found("machine", &subject).into());
            }
            Some(subject)
        }
        (Caller::Instance, None) => None,
    };
    let query = M2mTokenQuery {
        subject,
        include_revoked,
        include_expired,
        now_ms: svc.now_ms(),
        page,
    };
    let (records, total) = svc.store.list_m2m_tokens(&query).await?;
    Ok((records.iter().map(M2mToken::of).collect(), total))
}

/// Revokes a stored token (a token already revoked keeps its first reason).
pub(crate) async fn revoke(
    svc: &Services,
    caller: &Caller,
    id: &str,
    reason: Option<String>,
) -> Result<M2mToken> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let lock = svc.store.dialect().for_update();
    let mut record = m2m_tokens::load(work.tx(), id, lock).await?;
    if matches!(caller, Caller::Machine(own) if record.subject != *own) {
        return Err(StoreError::not_found("M2M token", id).into());
    }
    if !record.revoked {
        record.revoked = true;
        record.revocation_reason = reason;
        record.updated_at = svc.now_ms().max(record.created_at);
        m2m_tokens::save_state(work.tx(), &record).await?;
        work.commit().await?;
    }
    Ok(M2mToken::of(&record))
}

/// 404: no token the caller may verify has this value.
fn invalid() -> Rule {
    Rule::refused(
        "resource_not_found",
        "not found",
        "The M2M token is invalid or was not found.",
    )
    .with_kind(RuleKind::NotFound)
}

fn revoked() -> Rule {
    Rule::refused(
        "token_revoked",
        "revoked",
        "The M2M token has been revoked.",
    )
    .with_kind(RuleKind::NotFound)
}

fn expired() -> Rule {
    Rule::refused("token_expired", "expired", "The M2M token has expired.")
        .with_kind(RuleKind::NotFound)
}

/// Whether `caller` may verify a token issued to `subject` with `scopes`.
fn may_verify(caller: &Caller, subject: &str, scopes: &[String]) -> bool {
    match caller {
        Caller::Instance => true,
        Caller::Machine(own) => subject == own || scopes.iter().any(|s| s == own),
    }
}

/// Verifies a token: an opaque one by its digest (recording `last_used_at`), a JWT-format
/// one by its signature, `cat` header and machine.
pub(crate) async fn verify(svc: &Services, caller: &Caller, token: &str) -> Result<M2mToken> {
    let now = svc.now_ms();
    if !token.starts_with(TOKEN_PREFIX) {
        return verify_jwt(svc, caller, token, now).await;
    }
    let Some(found) = svc
        .store
        .m2m_token_by_digest(&secret_key_hash(token))
        .await?
    else {
        return Err(invalid().into());
    };
    let scopes = M2mToken::of(&found).scopes;
    if !may_verify(caller, &found.subject, &scopes) {
        return Err(invalid().into());
    }
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let lock = svc.store.dialect().for_update();
    let mut record = m2m_tokens::load(work.tx(), &found.id, lock).await?;
    if record.revoked {
        return Err(revoked().into());
    }
    if record.expired_at(now) {
        return Err(expired().into());
    }
    record.last_used_at = Some(now);
    m2m_tokens::save_state(work.tx(), &record).await?;
    work.commit().await?;
    Ok(M2mToken::of(&record))
}

async fn verify_jwt(svc: &Services, caller: &Caller, token: &str, now: i64) -> Result<M2mToken> {
    let category = keys::unverified_header(token)
        .and_then(|h| h.get("cat").and_then(Value::as_str).map(str::to_owned));
    if category.as_deref() != Some(M2M_CATEGORY) {
        return Err(invalid().into());
    }
    let published = svc
        .keys
        .published(&svc.store, now, svc.settings.key_grace_ms)
        .await?;
    let claims = match keys::verify_jwt(token, &published, now.div_euclid(1000)) {
        Ok(claims) => claims,
        Err(JwtError::Expired) => return Err(expired().into()),
        Err(_) => return Err(invalid().into()),
    };
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
    let (Some(subject), Some(id)) = (text("sub"), text("jti")) else {
        return Err(invalid().into());
    };
    if !subject.starts_with("mch_") || svc.store.machine(&subject).await?.is_none() {
        return Err(invalid().into());
    }
    let scopes: Vec<String> = text("scopes")
        .map(|s| s.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    if !may_verify(caller, &subject, &scopes) {
        return Err(invalid().into());
    }
    let custom: Map<String, Value> = claims
        .iter()
        .filter(|(k, _)| !RESERVED_CLAIMS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let seconds = |name: &str| claims.get(name).and_then(Value::as_i64);
    let issued = seconds("iat").unwrap_or(0) * 1000;
    Ok(M2mToken {
        id,
        subject,
        claims: (!custom.is_empty()).then_some(Value::Object(custom)),
        scopes,
        revoked: false,
        revocation_reason: None,
        expiration: seconds("exp").map(|e| e * 1000),
        last_used_at: None,
        created_at: issued,
        updated_at: issued,
    })
}
