//! API keys: created for a user (`user_…`) or an organization (`org_…`), with scopes,
//! claims and an optional lifetime; revoked, updated, deleted; and verified by their secret.
//!
//! The secret (`ak_` and 48 base62 characters, about 285 bits) is shown at creation and by
//! `GET /api_keys/{id}/secret`: it is stored sealed by the vault (bound to the key's id)
//! and as its SHA-256, which is what a verification looks up (a unique index) and then
//! compares in constant time. A secret is never logged and never in `Debug` ([`Secret`]).
//!
//! A verification refuses an unknown secret, a revoked key and an expired one with 404 (the
//! official clients count any 2xx as authenticated), and records `last_used_at` otherwise.
//! Clerk emits no webhook event for API keys.

use crate::keys::sealed::SealedColumn;
use clerk_core::Patch;
use serde_json::Value;

use super::error::{Error, Result, Rule, RuleKind};
use super::services::Services;
use crate::ids;
use crate::secret::Secret;
use crate::store::api_keys::{self as store, ApiKeyRecord, JsonList, JsonValue};
use crate::store::organizations::Extras;
use crate::store::{StoreError, UnitOfWork};

/// How every secret starts (what Clerk's clients recognize an API key by).
pub(crate) const SECRET_PREFIX: &str = "ak_";

/// The base62 characters after the prefix.
const SECRET_CHARS: usize = 48;

/// The `type` of the keys this server makes, and the default of a list.
pub(crate) const DEFAULT_TYPE: &str = "api_key";

/// The stored form of a secret or token: SHA-256, hex.
pub(crate) fn digest(secret: &str) -> String {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, secret.as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether two digests are equal, in constant time.
pub(crate) fn same_digest(a: &str, b: &str) -> bool {
    aws_lc_rs::constant_time::verify_slices_are_equal(a.as_bytes(), b.as_bytes()).is_ok()
}

/// What a new key is made of.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewApiKey {
    pub kind: Option<String>,
    pub name: String,
    pub subject: String,
    pub description: Option<String>,
    pub claims: Option<Value>,
    pub scopes: Vec<String>,
    pub created_by: Option<String>,
    pub seconds_until_expiration: Option<i64>,
}

/// What an update changes.
#[derive(Debug, Clone, Default)]
pub(crate) struct ApiKeyUpdate {
    pub subject: Option<String>,
    pub description: Patch<String>,
    pub claims: Patch<Value>,
    pub scopes: Option<Vec<String>>,
    pub seconds_until_expiration: Patch<i64>,
}

fn check_name(name: &str) -> Result<(), Rule> {
    if name.chars().count() < 3 {
        return Err(Rule::value_invalid(
            "name",
            "name must be at least 3 characters long.",
        ));
    }
    if name.trim() != name {
        return Err(Rule::format_invalid(
            "name",
            "name must not start or end with whitespace.",
        ));
    }
    Ok(())
}

fn check_description(description: &str) -> Result<(), Rule> {
    if description.chars().count() > 255 {
        return Err(Rule::value_invalid(
            "description",
            "description must be at most 255 characters long.",
        ));
    }
    Ok(())
}

fn check_kind(kind: &str) -> Result<(), Rule> {
    if !(3..=25).contains(&kind.chars().count()) {
        return Err(Rule::value_invalid(
            "type",
            "type must be between 3 and 25 characters long.",
        ));
    }
    Ok(())
}

fn check_lifetime(seconds: i64) -> Result<i64, Rule> {
    if seconds <= 0 {
        return Err(Rule::value_invalid(
            "seconds_until_expiration",
            "seconds_until_expiration must be greater than 0.",
        ));
    }
    Ok(seconds.saturating_mul(1000))
}

/// The subject must be an existing user or organization.
async fn check_subject(svc: &Services, subject: &str) -> Result<()> {
    let exists = if subject.starts_with("user_") {
        svc.store.user(subject).await?.is_some()
    } else if subject.starts_with("org_") {
        svc.store
            .organization(subject, Extras::default())
            .await?
            .is_some()
    } else {
        return Err(Rule::value_invalid(
            "subject",
            "subject must be the id of a user (user_…) or an organization (org_…).",
        )
        .into());
    };
    if !exists {
        return Err(Rule::value_invalid(
            "subject",
            format!("subject {subject} is not a user or organization of this instance."),
        )
        .into());
    }
    Ok(())
}

/// Makes a key; returns it and its secret.
pub(crate) async fn create(svc: &Services, new: NewApiKey) -> Result<(ApiKeyRecord, Secret)> {
    check_name(&new.name)?;
    if let Some(description) = &new.description {
        check_description(description)?;
    }
    let kind = new.kind.unwrap_or_else(|| DEFAULT_TYPE.to_owned());
    check_kind(&kind)?;
    if let Some(created_by) = &new.created_by {
        if !created_by.starts_with("user_") {
            return Err(Rule::format_invalid(
                "created_by",
                "created_by must be the id of a user (user_…).",
            )
            .into());
        }
    }
    let lifetime_ms = new
        .seconds_until_expiration
        .map(check_lifetime)
        .transpose()?;
    check_subject(svc, &new.subject).await?;
    let now = svc.now_ms();
    let id = format!("{SECRET_PREFIX}{}", ids::random_hex(16));
    let secret = Secret::new(format!(
        "{SECRET_PREFIX}{}",
        ids::random_base62(SECRET_CHARS)
    ));
    let record = ApiKeyRecord {
        kind,
        subject: new.subject,
        name: new.name,
        description: new.description,
        claims: JsonValue(new.claims.filter(|c| !c.is_null())),
        scopes: JsonList(new.scopes),
        secret_digest: digest(secret.expose()),
        secret_sealed: Some(Secret::new(svc.keys.vault().seal(
            &SealedColumn::ApiKeySecret.context(&id),
            secret.expose().as_bytes(),
        ))),
        revoked: false,
        revocation_reason: None,
        expiration: lifetime_ms.map(|ms| now.saturating_add(ms)),
        created_by: new.created_by,
        last_used_at: None,
        created_at: now,
        updated_at: now,
        id,
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    store::insert(work.tx(), &record).await?;
    work.commit().await?;
    Ok((record, secret))
}

/// Changes a key's subject, description, claims, scopes or expiry.
pub(crate) async fn update(svc: &Services, id: &str, update: ApiKeyUpdate) -> Result<ApiKeyRecord> {
    if let Patch::Set(description) = &update.description {
        check_description(description)?;
    }
    let lifetime_ms = match update.seconds_until_expiration {
        Patch::Set(seconds) => Patch::Set(check_lifetime(seconds)?),
        Patch::Null => Patch::Null,
        Patch::Unchanged => Patch::Unchanged,
    };
    if let Some(subject) = &update.subject {
        check_subject(svc, subject).await?;
    }
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut record = store::load(work.tx(), id, svc.store.dialect().for_update()).await?;
    if let Some(subject) = update.subject {
        record.subject = subject;
    }
    match update.description {
        Patch::Set(d) => record.description = Some(d),
        Patch::Null => record.description = None,
        Patch::Unchanged => {}
    }
    match update.claims {
        Patch::Set(c) => record.claims = JsonValue(Some(c)),
        Patch::Null => record.claims = JsonValue(None),
        Patch::Unchanged => {}
    }
    if let Some(scopes) = update.scopes {
        record.scopes = JsonList(scopes);
    }
    match lifetime_ms {
        Patch::Set(ms) => record.expiration = Some(now.saturating_add(ms)),
        Patch::Null => record.expiration = None,
        Patch::Unchanged => {}
    }
    record.updated_at = now;
    store::save(work.tx(), &record).await?;
    work.commit().await?;
    Ok(record)
}

/// Revokes a key (again: the reason is replaced); it no longer verifies.
pub(crate) async fn revoke(
    svc: &Services,
    id: &str,
    reason: Option<String>,
) -> Result<ApiKeyRecord> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut record = store::load(work.tx(), id, svc.store.dialect().for_update()).await?;
    record.revoked = true;
    record.revocation_reason = reason;
    record.updated_at = svc.now_ms();
    store::save(work.tx(), &record).await?;
    work.commit().await?;
    Ok(record)
}

/// Deletes a key; unknown is `resource_not_found`.
pub(crate) async fn delete(svc: &Services, id: &str) -> Result<()> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    if !store::delete(work.tx(), id).await? {
        return Err(StoreError::not_found("api key", id).into());
    }
    work.commit().await?;
    Ok(())
}

/// A key's secret, opened from the vault.
pub(crate) async fn secret(svc: &Services, id: &str) -> Result<Secret> {
    let record = svc.store.api_key(id).await?;
    let sealed = record
        .secret_sealed
        .as_ref()
        .ok_or_else(|| Error::Internal(format!("the API key {id} has no stored secret")))?;
    let context = SealedColumn::ApiKeySecret.context(id);
    svc.keys
        .vault()
        .open(&context, sealed.expose())
        .map_err(|e| {
            Error::Internal(format!(
                "the secret of the API key {id} cannot be opened: {e}"
            ))
        })
}

/// 404 for a secret that does not verify: `code` and why.
fn refused(code: &'static str, long_message: &str) -> Error {
    Rule::refused(code, "API key not valid", long_message)
        .with_kind(RuleKind::NotFound)
        .into()
}

/// Verifies a secret: the key, its use recorded; or 404 `api_key_not_found` (unknown,
/// truncated, another prefix), `api_key_revoked` or `api_key_expired`.
pub(crate) async fn verify(svc: &Services, secret: &Secret) -> Result<ApiKeyRecord> {
    let presented = secret.expose();
    if !presented.starts_with(SECRET_PREFIX) {
        return Err(refused(
            "api_key_not_found",
            "No API key was found with this secret.",
        ));
    }
    let presented_digest = digest(presented);
    let found = svc.store.api_key_by_digest(&presented_digest).await?;
    let Some(record) = found.filter(|r| same_digest(&r.secret_digest, &presented_digest)) else {
        return Err(refused(
            "api_key_not_found",
            "No API key was found with this secret.",
        ));
    };
    let now = svc.now_ms();
    if record.revoked {
        return Err(refused("api_key_revoked", "This API key has been revoked."));
    }
    if record.expired(now) {
        return Err(refused("api_key_expired", "This API key has expired."));
    }
    let mut work = UnitOfWork::begin(&svc.store).await?;
    store::touch(work.tx(), &record.id, now).await?;
    work.commit().await?;
    Ok(ApiKeyRecord {
        last_used_at: Some(now),
        ..record
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_lifetimes() {
        assert!(check_name("my key").is_ok());
        assert!(check_name("ab").is_err());
        assert!(check_name(" padded ").is_err());
        assert!(check_lifetime(0).is_err());
        assert_eq!(check_lifetime(60).unwrap(), 60_000);
        assert!(check_description(&"x".repeat(256)).is_err());
        assert!(check_kind("ak").is_err());
    }

    #[test]
    fn digests_compare_whole() {
        let a = digest("ak_abc");
        assert_eq!(a.len(), 64);
        assert!(same_digest(&a, &digest("ak_abc")));
        assert!(!same_digest(&a, &digest("ak_abd")));
        assert!(!same_digest(&a, &a[..63]));
    }
}
