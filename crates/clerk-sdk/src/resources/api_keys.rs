//! API keys: `clerk.api_keys()`.

use serde::Serialize;
use serde_json::Value;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{ApiKey, ApiKeySecret, DeletedObject};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::patch_setters;
use crate::patch::Patch;
use crate::query::Query;

impl Clerk {
    /// API keys of users and organizations: create, list, get, update, reveal the secret,
    /// revoke, delete, verify.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let key = clerk.api_keys().verify("ak_...").await?;
    /// println!("{} acts for {}", key.id, key.subject);
    /// # Ok(()) }
    /// ```
    pub fn api_keys(&self) -> ApiKeys<'_> {
        ApiKeys { clerk: self }
    }
}

/// The API keys handler, from [`Clerk::api_keys`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// use clerk_sdk::CreateApiKey;
/// let key = clerk.api_keys().create(CreateApiKey::new("ci", "user_2x")).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ApiKeys<'a> {
    clerk: &'a Clerk,
}

/// The largest page of API keys.
const MAX_PAGE: u32 = 100;

impl ApiKeys<'_> {
    /// Creates a key for a user or an organization (`POST /api_keys`); the answer carries
    /// the `secret`, as only here.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateApiKey;
    /// let key = clerk
    ///     .api_keys()
    ///     .create(CreateApiKey::new("ci", "user_2x").scopes(["read"]).seconds_until_expiration(3600))
    ///     .await?;
    /// let secret = key.secret.expect("shown at creation");
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateApiKey) -> Result<ApiKey> {
        self.clerk
            .send(ApiRequest::post(&["api_keys"])?.json(&params)?)
            .await
    }

    /// One page of a subject's keys, newest first, with the total (`GET /api_keys`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ListApiKeys;
    /// let page = clerk.api_keys().list(ListApiKeys::new("user_2x").include_invalid(true)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, params: ListApiKeys) -> Result<Page<ApiKey>> {
        self.clerk.list_paginated(&["api_keys"], params).await
    }

    /// Every key of a subject, page after page (100 per page unless `limit` says less).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// use clerk_sdk::ListApiKeys;
    /// let all: Vec<_> = clerk.api_keys().stream(ListApiKeys::new("org_2x")).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(&self, mut params: ListApiKeys) -> ItemStream<ApiKey> {
        let limit = params.paging.limit.unwrap_or(MAX_PAGE).min(MAX_PAGE);
        params.paging.limit = Some(limit);
        self.clerk.stream_paginated(&["api_keys"], params)
    }

    /// One key (`GET /api_keys/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let key = clerk.api_keys().get("ak_3beecc9c60adb5f9b850e91a8ee1e992").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, api_key_id: &str) -> Result<ApiKey> {
        self.clerk
            .send(ApiRequest::get(&["api_keys", api_key_id])?)
            .await
    }

    /// Changes a key's subject, description, claims, scopes or expiry
    /// (`PATCH /api_keys/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::{Patch, UpdateApiKey};
    /// let key = clerk
    ///     .api_keys()
    ///     .update("ak_3beecc9c60adb5f9b850e91a8ee1e992", UpdateApiKey::new().scopes(["read"]).seconds_until_expiration(Patch::Null))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(&self, api_key_id: &str, params: UpdateApiKey) -> Result<ApiKey> {
        self.clerk
            .send(ApiRequest::patch(&["api_keys", api_key_id])?.json(&params)?)
            .await
    }

    /// A key's secret (`GET /api_keys/{id}/secret`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let secret = clerk.api_keys().secret("ak_3beecc9c60adb5f9b850e91a8ee1e992").await?;
    /// # Ok(()) }
    /// ```
    pub async fn secret(&self, api_key_id: &str) -> Result<ApiKeySecret> {
        self.clerk
            .send(ApiRequest::get(&["api_keys", api_key_id, "secret"])?)
            .await
    }

    /// Revokes a key, with an optional reason (`POST /api_keys/{id}/revoke`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let key = clerk.api_keys().revoke("ak_3beecc9c60adb5f9b850e91a8ee1e992", Some("leaked")).await?;
    /// assert!(key.revoked);
    /// # Ok(()) }
    /// ```
    pub async fn revoke(&self, api_key_id: &str, reason: Option<&str>) -> Result<ApiKey> {
        #[derive(Serialize)]
        struct Body<'a> {
            revocation_reason: Option<&'a str>,
        }
        self.clerk
            .send(
                ApiRequest::post(&["api_keys", api_key_id, "revoke"])?.json(&Body {
                    revocation_reason: reason,
                })?,
            )
            .await
    }

    /// Deletes a key (`DELETE /api_keys/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let deleted = clerk.api_keys().delete("ak_3beecc9c60adb5f9b850e91a8ee1e992").await?;
    /// assert!(deleted.deleted);
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, api_key_id: &str) -> Result<DeletedObject> {
        self.clerk
            .send(ApiRequest::delete(&["api_keys", api_key_id])?)
            .await
    }

    /// Verifies a secret (`POST /api_keys/verify`): the key, or a 404 error
    /// (`api_key_not_found`, `api_key_revoked`, `api_key_expired` from `clerk serve`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let key = clerk.api_keys().verify("ak_...").await?;
    /// # Ok(()) }
    /// ```
    pub async fn verify(&self, secret: &str) -> Result<ApiKey> {
        #[derive(Serialize)]
        struct Body<'a> {
            secret: &'a str,
        }
        self.clerk
            .send(ApiRequest::post(&["api_keys", "verify"])?.json(&Body { secret })?)
            .await
    }
}

/// The body of [`ApiKeys::create`].
///
/// ```
/// let params = clerk_sdk::CreateApiKey::new("ci", "user_2x")
///     .description("for CI")
///     .claims(serde_json::json!({"tier": "gold"}))
///     .scopes(["read", "write"])
///     .created_by("user_2x")
///     .seconds_until_expiration(86_400);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[must_use]
pub struct CreateApiKey {
    name: String,
    subject: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    claims: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    scopes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seconds_until_expiration: Option<i64>,
}

impl CreateApiKey {
    /// A key named `name` (3 characters or more) for `subject` (`user_...` or `org_...`).
    ///
    /// ```
    /// let params = clerk_sdk::CreateApiKey::new("ci", "org_2x");
    /// ```
    pub fn new(name: impl Into<String>, subject: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            subject: subject.into(),
            description: None,
            claims: None,
            scopes: Vec::new(),
            created_by: None,
            seconds_until_expiration: None,
        }
    }

    /// What the key is for (at most 255 characters).
    ///
    /// ```
    /// let params = clerk_sdk::CreateApiKey::new("ci", "user_2x").description("for CI");
    /// ```
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Custom claims, any JSON.
    ///
    /// ```
    /// let params = clerk_sdk::CreateApiKey::new("ci", "user_2x").claims(serde_json::json!({"a": 1}));
    /// ```
    pub fn claims(mut self, claims: Value) -> Self {
        self.claims = Some(claims);
        self
    }

    /// The scopes the key grants.
    ///
    /// ```
    /// let params = clerk_sdk::CreateApiKey::new("ci", "user_2x").scopes(["read"]);
    /// ```
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// The user creating it.
    ///
    /// ```
    /// let params = clerk_sdk::CreateApiKey::new("ci", "org_2x").created_by("user_2x");
    /// ```
    pub fn created_by(mut self, user_id: impl Into<String>) -> Self {
        self.created_by = Some(user_id.into());
        self
    }

    /// Seconds until the key expires (none by default: it lasts until revoked).
    ///
    /// ```
    /// let params = clerk_sdk::CreateApiKey::new("ci", "user_2x").seconds_until_expiration(60);
    /// ```
    pub fn seconds_until_expiration(mut self, seconds: i64) -> Self {
        self.seconds_until_expiration = Some(seconds);
        self
    }
}

/// The body of [`ApiKeys::update`]: only what is set is sent; `Patch::Null` clears.
///
/// ```
/// use clerk_sdk::Patch;
/// let params = clerk_sdk::UpdateApiKey::new().description(Patch::Null).scopes(["read"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[must_use]
pub struct UpdateApiKey {
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    description: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    claims: Patch<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scopes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    seconds_until_expiration: Patch<i64>,
}

impl UpdateApiKey {
    /// Changes nothing until a setter says otherwise.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateApiKey::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the key to another user or organization.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateApiKey::new().subject("org_2x");
    /// ```
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Replaces the scopes.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateApiKey::new().scopes(["read", "write"]);
    /// ```
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    patch_setters!("UpdateApiKey::new()";
        /// Sets or clears the description.
        description: String,
        /// Sets or clears the claims.
        claims: Value,
        /// Sets the expiry from now, in seconds, or removes it.
        seconds_until_expiration: i64,
    );
}

/// The filters and paging of [`ApiKeys::list`] and [`ApiKeys::stream`].
///
/// ```
/// let params = clerk_sdk::ListApiKeys::new("user_2x").include_invalid(true).query("ci").limit(20);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct ListApiKeys {
    subject: String,
    key_type: Option<String>,
    include_invalid: bool,
    query: Option<String>,
    paging: Paging,
}

impl ListApiKeys {
    /// The keys of `subject` (`user_...` or `org_...`).
    ///
    /// ```
    /// let params = clerk_sdk::ListApiKeys::new("org_2x");
    /// ```
    pub fn new(subject: impl Into<String>) -> Self {
        Self {
            subject: subject.into(),
            key_type: None,
            include_invalid: false,
            query: None,
            paging: Paging::default(),
        }
    }

    /// Keys of another type than `api_key`.
    ///
    /// ```
    /// let params = clerk_sdk::ListApiKeys::new("user_2x").key_type("api_key");
    /// ```
    pub fn key_type(mut self, key_type: impl Into<String>) -> Self {
        self.key_type = Some(key_type.into());
        self
    }

    /// Also revoked and expired keys.
    ///
    /// ```
    /// let params = clerk_sdk::ListApiKeys::new("user_2x").include_invalid(true);
    /// ```
    pub fn include_invalid(mut self, include: bool) -> Self {
        self.include_invalid = include;
        self
    }

    /// Keys whose name contains this text.
    ///
    /// ```
    /// let params = clerk_sdk::ListApiKeys::new("user_2x").query("ci");
    /// ```
    pub fn query(mut self, text: impl Into<String>) -> Self {
        self.query = Some(text.into());
        self
    }

    /// Page size, 1 to 100 (API default 10).
    ///
    /// ```
    /// let params = clerk_sdk::ListApiKeys::new("user_2x").limit(100);
    /// ```
    pub fn limit(mut self, limit: u32) -> Self {
        self.paging.limit = Some(limit);
        self
    }

    /// How many keys to skip.
    ///
    /// ```
    /// let params = clerk_sdk::ListApiKeys::new("user_2x").limit(10).offset(20);
    /// ```
    pub fn offset(mut self, offset: u64) -> Self {
        self.paging.offset = Some(offset);
        self
    }

    /// The query parameters [`ApiKeys::list`] sends, in order.
    ///
    /// ```
    /// let pairs = clerk_sdk::ListApiKeys::new("user_2x").to_query_pairs();
    /// assert_eq!(pairs, [("subject".into(), "user_2x".into())]);
    /// ```
    pub fn to_query_pairs(&self) -> Vec<(String, String)> {
        self.to_query().into_pairs()
    }
}

impl PaginatedList for ListApiKeys {
    type Item = ApiKey;
    const ASK_FOR_TOTAL: bool = false;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }

    fn push_filters(&self, query: &mut Query) {
        query.push("subject", &self.subject);
        query.push_opt("type", self.key_type.as_ref());
        if self.include_invalid {
            query.push("include_invalid", true);
        }
        query.push_opt("query", self.query.as_ref());
    }
}
