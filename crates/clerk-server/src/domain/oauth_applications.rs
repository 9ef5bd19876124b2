//! OAuth applications (this instance as an OAuth identity provider) and their access tokens.
//!
//! An application has a `client_id` (16 base62 characters) and, unless it is public, a
//! client secret (32 base62 characters) shown once, at creation and at each rotation, and
//! kept only as its SHA-256. Its `scopes` are a space-separated string (`profile email` by
//! default, as Clerk's).
//!
//! The authorization flow itself is not served; access tokens are issued by
//! `POST /v1/_local/oauth_applications/{id}/access_tokens` ([`issue_access_token`]), opaque
//! (`oat_` and 48 base62 characters) or JWTs (header `typ: at+jwt`, RFC 9068, signed with
//! the instance's keys, `jti` = the token's `oat_` id). Either is kept as its SHA-256,
//! revoked by `revoke_token`, and deleted with its application. Clerk emits no webhook
//! event for OAuth applications.

use serde_json::{Map, Value, json};

use super::api_keys::{digest, same_digest};
use super::error::{Error, Result, Rule, RuleKind};
use super::images::Upload;
use super::redirect_urls::check_url;
use super::services::Services;
use crate::ids::{self, prefix};
use crate::keys;
use crate::secret::Secret;
use crate::store::api_keys::JsonList;
use crate::store::images;
use crate::store::oauth_applications::{
    self as store, OAuthAccessTokenRecord, OAuthApplicationRecord,
};
use crate::store::{StoreError, UnitOfWork};

/// The scopes of an application created without any (Clerk's default).
pub(crate) const DEFAULT_SCOPES: &str = "profile email";

/// How an opaque access token starts.
pub(crate) const ACCESS_TOKEN_PREFIX: &str = "oat_";

/// How long an access token lasts unless asked otherwise: a day.
pub(crate) const DEFAULT_TOKEN_LIFETIME_S: i64 = 86_400;

/// The `typ` header of a JWT access token.
pub(crate) const JWT_TYPE: &str = "at+jwt";

/// What a new application is made of.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewOAuthApplication {
    pub name: String,
    pub redirect_uris: Option<Vec<String>>,
    pub callback_url: Option<String>,
    pub scopes: Option<String>,
    pub consent_screen_enabled: Option<bool>,
    pub pkce_required: Option<bool>,
    pub public: Option<bool>,
}

/// What an update changes (`None`: unchanged).
#[derive(Debug, Clone, Default)]
pub(crate) struct OAuthApplicationUpdate {
    pub name: Option<String>,
    pub redirect_uris: Option<Vec<String>>,
    pub callback_url: Option<String>,
    pub scopes: Option<String>,
    pub consent_screen_enabled: Option<bool>,
    pub pkce_required: Option<bool>,
    pub public: Option<bool>,
}

/// An access token to issue.
#[derive(Debug, Clone)]
pub(crate) struct NewAccessToken {
    pub user_id: String,
    /// A subset of the application's scopes; all of them when `None`.
    pub scopes: Option<Vec<String>>,
    pub expires_in_seconds: Option<i64>,
    /// A JWT rather than an opaque token.
    pub jwt: bool,
}

/// What a verification found.
#[derive(Debug)]
pub(crate) enum Verified {
    /// A valid token.
    Active(Box<OAuthAccessTokenRecord>),
    /// A JWT of this instance that expired or was revoked (`{"active": false}`).
    Inactive,
}

fn check_name(name: &str) -> Result<String, Rule> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Rule::value_invalid("name", "name must not be blank."));
    }
    Ok(name.to_owned())
}

/// Scopes as Clerk answers them: single-space separated.
fn normalize_scopes(scopes: &str) -> String {
    scopes.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check_redirect_uris(uris: Vec<String>) -> Result<Vec<String>, Rule> {
    uris.iter()
        .map(|uri| {
            check_url(uri).map_err(|_| {
                Rule::format_invalid(
                    "redirect_uris",
                    format!("{uri} is not a valid redirect URI."),
                )
            })
        })
        .collect()
}

fn new_client_secret() -> Secret {
    Secret::new(ids::random_base62(32))
}

/// Makes an application; returns it and its client secret (none for a public one).
pub(crate) async fn create(
    svc: &Services,
    new: NewOAuthApplication,
) -> Result<(OAuthApplicationRecord, Option<Secret>)> {
    let name = check_name(&new.name)?;
    let mut redirect_uris = check_redirect_uris(new.redirect_uris.unwrap_or_default())?;
    if let Some(callback) = new.callback_url.filter(|c| !c.is_empty()) {
        let callback = check_redirect_uris(vec![callback])?.remove(0);
        if !redirect_uris.contains(&callback) {
            redirect_uris.insert(0, callback);
        }
    }
    let public = new.public.unwrap_or(false);
    let secret = (!public).then(new_client_secret);
    let now = svc.now_ms();
    let record = OAuthApplicationRecord {
        id: ids::new_id(prefix::OAUTH_APPLICATION, now),
        name,
        client_id: ids::random_base62(16),
        client_secret_digest: secret.as_ref().map(|s| digest(s.expose())),
        client_uri: None,
        image_id: None,
        dynamically_registered: false,
        consent_screen_enabled: new.consent_screen_enabled.unwrap_or(true),
        pkce_required: new.pkce_required.unwrap_or(false),
        public,
        scopes: normalize_scopes(new.scopes.as_deref().unwrap_or(DEFAULT_SCOPES)),
        callback_url: redirect_uris.first().cloned().unwrap_or_default(),
        redirect_uris: JsonList(redirect_uris),
        created_at: now,
        updated_at: now,
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    store::insert(work.tx(), &record).await?;
    work.commit().await?;
    Ok((record, secret))
}

/// Changes an application.
pub(crate) async fn update(
    svc: &Services,
    id: &str,
    update: OAuthApplicationUpdate,
) -> Result<OAuthApplicationRecord> {
    let name = update.name.as_deref().map(check_name).transpose()?;
    let redirect_uris = update.redirect_uris.map(check_redirect_uris).transpose()?;
    let callback = update
        .callback_url
        .filter(|c| !c.is_empty())
        .map(|c| check_redirect_uris(vec![c]).map(|mut v| v.remove(0)))
        .transpose()?;
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut record = store::load(work.tx(), id, svc.store.dialect().for_update()).await?;
    if let Some(name) = name {
        record.name = name;
    }
    if let Some(uris) = redirect_uris {
        record.redirect_uris = JsonList(uris);
    }
    if let Some(callback) = callback {
        if !record.redirect_uris.0.contains(&callback) {
            record.redirect_uris.0.insert(0, callback);
        }
    }
    record.callback_url = record.redirect_uris.0.first().cloned().unwrap_or_default();
    if let Some(scopes) = update.scopes {
        record.scopes = normalize_scopes(&scopes);
    }
    if let Some(v) = update.consent_screen_enabled {
        record.consent_screen_enabled = v;
    }
    if let Some(v) = update.pkce_required {
        record.pkce_required = v;
    }
    if let Some(v) = update.public {
        record.public = v;
    }
    record.updated_at = svc.now_ms();
    store::save(work.tx(), &record).await?;
    work.commit().await?;
    Ok(record)
}

/// Deletes an application, its logo and its tokens; unknown is `resource_not_found`.
pub(crate) async fn delete(svc: &Services, id: &str) -> Result<()> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let record = store::load(work.tx(), id, svc.store.dialect().for_update()).await?;
    if let Some(image) = &record.image_id {
        images::delete(work.tx(), image).await?;
    }
    if !store::delete(work.tx(), id).await? {
        return Err(StoreError::not_found("oauth application", id).into());
    }
    work.commit().await?;
    Ok(())
}

/// Replaces the client secret; returns the application and the new secret.
pub(crate) async fn rotate_secret(
    svc: &Services,
    id: &str,
) -> Result<(OAuthApplicationRecord, Secret)> {
    let secret = new_client_secret();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut record = store::load(work.tx(), id, svc.store.dialect().for_update()).await?;
    record.client_secret_digest = Some(digest(secret.expose()));
    record.updated_at = svc.now_ms();
    store::save(work.tx(), &record).await?;
    work.commit().await?;
    Ok((record, secret))
}

/// Sets (or replaces) the logo; returns the application as it now is.
pub(crate) async fn upload_logo(
    svc: &Services,
    id: &str,
    upload: Upload,
) -> Result<OAuthApplicationRecord> {
    let now = svc.now_ms();
    let image = upload.into_image(id, now, RuleKind::TooLarge)?;
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let mut record = store::load(work.tx(), id, svc.store.dialect().for_update()).await?;
    images::insert(work.tx(), &image).await?;
    if let Some(old) = record.image_id.replace(image.id) {
        images::delete(work.tx(), &old).await?;
    }
    record.updated_at = now;
    store::save(work.tx(), &record).await?;
    work.commit().await?;
    Ok(record)
}

/// Revokes one of the application's access tokens (opaque or JWT). As RFC 7009 asks, a
/// token the application does not hold (or no longer) is no error; an unknown application
/// is `resource_not_found`.
pub(crate) async fn revoke_token(svc: &Services, id: &str, token: &Secret) -> Result<()> {
    if token.expose().is_empty() {
        return Err(Rule::value_invalid("token", "token must not be blank.").into());
    }
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let record = store::load(work.tx(), id, svc.store.dialect().for_share()).await?;
    let now = svc.now_ms();
    store::revoke_token(
        work.tx(),
        &record.id,
        &digest(token.expose()),
        Some("revoked by the application"),
        now,
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// Issues an access token of the application for a user: the token and its record.
pub(crate) async fn issue_access_token(
    svc: &Services,
    id: &str,
    new: NewAccessToken,
) -> Result<(OAuthAccessTokenRecord, Secret)> {
    let application = svc.store.oauth_application(id).await?;
    if svc.store.user(&new.user_id).await?.is_none() {
        return Err(StoreError::not_found("user", new.user_id).into());
    }
    let allowed: Vec<&str> = application.scopes.split_whitespace().collect();
    let scopes = match new.scopes {
        None => allowed.iter().map(|s| (*s).to_owned()).collect(),
        Some(asked) => {
            if let Some(other) = asked.iter().find(|s| !allowed.contains(&s.as_str())) {
                return Err(Rule::value_invalid(
                    "scopes",
                    format!(
                        "{other} is not one of the application's scopes ({}).",
                        application.scopes
                    ),
                )
                .into());
            }
            asked
        }
    };
    let lifetime = new.expires_in_seconds.unwrap_or(DEFAULT_TOKEN_LIFETIME_S);
    if lifetime <= 0 {
        return Err(Rule::value_invalid(
            "expires_in_seconds",
            "expires_in_seconds must be greater than 0.",
        )
        .into());
    }
    let now = svc.now_ms();
    let token_id = format!("{ACCESS_TOKEN_PREFIX}{}", ids::random_hex(16));
    let expiration = now.saturating_add(lifetime.saturating_mul(1000));
    let token = if new.jwt {
        let iat = now.div_euclid(1000);
        let claims = json!({
            "iss": svc.issuer,
            "sub": new.user_id,
            "client_id": application.client_id,
            "scope": scopes.join(" "),
            "jti": token_id,
            "iat": iat,
            "nbf": iat - keys::NBF_SKEW_SECONDS,
            "exp": expiration.div_euclid(1000),
        });
        let Value::Object(claims) = claims else {
            unreachable!("a JSON object literal")
        };
        let key = svc.keys.signing_key(&svc.store).await?;
        Secret::new(key.sign_typed(JWT_TYPE, &claims))
    } else {
        Secret::new(format!("{ACCESS_TOKEN_PREFIX}{}", ids::random_base62(48)))
    };
    let record = OAuthAccessTokenRecord {
        id: token_id,
        application_id: application.id,
        client_id: application.client_id,
        subject: new.user_id,
        scopes: JsonList(scopes),
        format: if new.jwt { "jwt" } else { "opaque" }.to_owned(),
        token_digest: digest(token.expose()),
        revoked: false,
        revocation_reason: None,
        expiration: Some(expiration),
        created_at: now,
        updated_at: now,
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    store::insert_token(work.tx(), &record).await?;
    work.commit().await?;
    Ok((record, token))
}

/// 404 for a token that does not verify.
fn refused(code: &'static str, long_message: &str) -> Error {
    Rule::refused(code, "OAuth access token not valid", long_message)
        .with_kind(RuleKind::NotFound)
        .into()
}

/// The header of a compact JWT, if `token` is one.
fn jwt_header(token: &str) -> Option<Map<String, Value>> {
    use base64::Engine;
    let mut parts = token.split('.');
    let (Some(header), Some(_), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// Verifies an access token. Opaque: the token, or 404 (unknown, truncated, revoked,
/// expired). JWT (`typ: at+jwt`, signed by this instance): the token, or
/// [`Verified::Inactive`] when it expired or was revoked; 404 for any other JWT.
pub(crate) async fn verify_access_token(svc: &Services, token: &Secret) -> Result<Verified> {
    let presented = token.expose();
    let now = svc.now_ms();
    let presented_digest = digest(presented);
    if let Some(header) = jwt_header(presented) {
        let typ = header.get("typ").and_then(Value::as_str).unwrap_or("");
        if !matches!(typ, "at+jwt" | "application/at+jwt") {
            return Err(refused(
                "oauth_access_token_not_found",
                "The token is not an OAuth access token.",
            ));
        }
        let published = svc
            .keys
            .published(&svc.store, now, svc.settings.key_grace_ms)
            .await?;
        if keys::verify_jwt_signature(presented, &published).is_err() {
            return Err(refused(
                "oauth_access_token_not_found",
                "The token was not issued by this instance.",
            ));
        }
        let found = svc
            .store
            .oauth_access_token_by_digest(&presented_digest)
            .await?;
        return match found.filter(|r| same_digest(&r.token_digest, &presented_digest)) {
            None => Err(refused(
                "oauth_access_token_not_found",
                "No OAuth access token was found for this token.",
            )),
            Some(record) if record.revoked || record.expired(now) => Ok(Verified::Inactive),
            Some(record) => Ok(Verified::Active(Box::new(record))),
        };
    }
    if !presented.starts_with(ACCESS_TOKEN_PREFIX) {
        return Err(refused(
            "oauth_access_token_not_found",
            "No OAuth access token was found for this token.",
        ));
    }
    let found = svc
        .store
        .oauth_access_token_by_digest(&presented_digest)
        .await?;
    let Some(record) = found.filter(|r| same_digest(&r.token_digest, &presented_digest)) else {
        return Err(refused(
            "oauth_access_token_not_found",
            "No OAuth access token was found for this token.",
        ));
    };
    if record.revoked {
        return Err(refused(
            "oauth_access_token_revoked",
            "This OAuth access token has been revoked.",
        ));
    }
    if record.expired(now) {
        return Err(refused(
            "oauth_access_token_expired",
            "This OAuth access token has expired.",
        ));
    }
    Ok(Verified::Active(Box::new(record)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_single_spaced() {
        assert_eq!(normalize_scopes("  profile   email "), "profile email");
        assert_eq!(normalize_scopes(""), "");
    }

    #[test]
    fn jwt_headers_are_read_only_from_three_parts() {
        assert!(jwt_header("oat_abc").is_none());
        assert!(jwt_header("a.b").is_none());
        let header = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            br#"{"typ":"at+jwt"}"#,
        );
        assert_eq!(
            jwt_header(&format!("{header}.x.y")).unwrap()["typ"],
            "at+jwt"
        );
    }
}
