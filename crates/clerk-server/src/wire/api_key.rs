//! `api_key`, `oauth_application` and `clerk_idp_oauth_access_token` objects.

use serde::Serialize;
use serde_json::Value;

use super::organization::image_url;
use crate::store::api_keys::ApiKeyRecord;
use crate::store::oauth_applications::{OAuthAccessTokenRecord, OAuthApplicationRecord};

/// An `api_key` object; `secret` only where the operation shows it (creation).
#[derive(Serialize)]
pub(crate) struct ApiKeyJson {
    object: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: String,
    subject: String,
    name: String,
    description: Option<String>,
    claims: Option<Value>,
    scopes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
    revoked: bool,
    revocation_reason: Option<String>,
    expired: bool,
    expiration: Option<i64>,
    created_by: Option<String>,
    last_used_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl ApiKeyJson {
    /// The key as it is at `now` (milliseconds: `expired`).
    pub(crate) fn new(record: &ApiKeyRecord, now: i64) -> Self {
        Self {
            object: "api_key",
            id: record.id.clone(),
            kind: record.kind.clone(),
            subject: record.subject.clone(),
            name: record.name.clone(),
            description: record.description.clone(),
            claims: record.claims.0.clone(),
            scopes: record.scopes.0.clone(),
            secret: None,
            revoked: record.revoked,
            revocation_reason: record.revocation_reason.clone(),
            expired: record.expired(now),
            expiration: record.expiration,
            created_by: record.created_by.clone(),
            last_used_at: record.last_used_at,
            created_at: record.created_at,
            updated_at: record.updated_at,
        }
    }

    /// With the secret (the answer to a creation).
    pub(crate) fn with_secret(mut self, secret: &str) -> Self {
        self.secret = Some(secret.to_owned());
        self
    }
}

/// An `oauth_application` object; `client_secret` only at creation and rotation. Its URLs
/// are under `base`, the server's issuer.
#[derive(Serialize)]
pub(crate) struct OAuthApplicationJson {
    object: &'static str,
    id: String,
    instance_id: String,
    name: String,
    client_id: String,
    client_uri: Option<String>,
    client_image_url: Option<String>,
    dynamically_registered: bool,
    consent_screen_enabled: bool,
    pkce_required: bool,
    public: bool,
    scopes: String,
    redirect_uris: Vec<String>,
    callback_url: String,
    authorize_url: String,
    token_fetch_url: String,
    user_info_url: String,
    discovery_url: String,
    token_introspection_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl OAuthApplicationJson {
    pub(crate) fn new(record: &OAuthApplicationRecord, instance_id: &str, base: &str) -> Self {
        let base = base.trim_end_matches('/');
        Self {
            object: "oauth_application",
            id: record.id.clone(),
            instance_id: instance_id.to_owned(),
            name: record.name.clone(),
            client_id: record.client_id.clone(),
            client_uri: record.client_uri.clone(),
            client_image_url: record
                .image_id
                .as_deref()
                .map(|image| image_url(base, Some(image))),
            dynamically_registered: record.dynamically_registered,
            consent_screen_enabled: record.consent_screen_enabled,
            pkce_required: record.pkce_required,
            public: record.public,
            scopes: record.scopes.clone(),
            redirect_uris: record.redirect_uris.0.clone(),
            callback_url: record.callback_url.clone(),
            authorize_url: format!("{base}/oauth/authorize"),
            token_fetch_url: format!("{base}/oauth/token"),
            user_info_url: format!("{base}/oauth/userinfo"),
            discovery_url: format!("{base}/.well-known/oauth-authorization-server"),
            token_introspection_url: format!("{base}/oauth/token_info"),
            client_secret: None,
            created_at: record.created_at,
            updated_at: record.updated_at,
        }
    }

    /// With the client secret (creation, rotation).
    pub(crate) fn with_secret(mut self, secret: Option<&str>) -> Self {
        self.client_secret = secret.map(str::to_owned);
        self
    }
}

/// A `clerk_idp_oauth_access_token` object: what verifying an access token answers.
#[derive(Serialize)]
pub(crate) struct OAuthAccessTokenJson {
    object: &'static str,
    id: String,
    client_id: String,
    subject: String,
    scopes: Vec<String>,
    revoked: bool,
    revocation_reason: Option<String>,
    expired: bool,
    expiration: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl OAuthAccessTokenJson {
    pub(crate) fn new(record: &OAuthAccessTokenRecord, now: i64) -> Self {
        Self {
            object: "clerk_idp_oauth_access_token",
            id: record.id.clone(),
            client_id: record.client_id.clone(),
            subject: record.subject.clone(),
            scopes: record.scopes.0.clone(),
            revoked: record.revoked,
            revocation_reason: record.revocation_reason.clone(),
            expired: record.expired(now),
            expiration: record.expiration,
            created_at: record.created_at,
            updated_at: record.updated_at,
        }
    }
}
