//! JWT templates: `clerk.jwt_templates()`. Mint a token from one with
//! [`Sessions::create_token`](crate::Sessions::create_token) and
//! [`CreateSessionToken::template`](crate::CreateSessionToken::template), or
//! [`Sessions::create_token_from_template`](crate::Sessions::create_token_from_template).

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{DeletedObject, JwtTemplate};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::paging_setters;

impl Clerk {
    /// JWT templates: list, get, create, update, delete.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let page = clerk.jwt_templates().list(Default::default()).await?;
    /// # Ok(()) }
    /// ```
    pub fn jwt_templates(&self) -> JwtTemplates<'_> {
        JwtTemplates { clerk: self }
    }
}

/// The JWT templates handler, from [`Clerk::jwt_templates`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let templates = clerk.jwt_templates();
/// let page = templates.list(clerk_sdk::ListJwtTemplates::new()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct JwtTemplates<'a> {
    clerk: &'a Clerk,
}

impl JwtTemplates<'_> {
    /// One page of templates with the total (`GET /jwt_templates?paginated=true`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let page = clerk.jwt_templates().list(clerk_sdk::ListJwtTemplates::new().limit(50)).await?;
    /// for template in &page {
    ///     println!("{}", template.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, params: ListJwtTemplates) -> Result<Page<JwtTemplate>> {
        self.clerk.list_paginated(&["jwt_templates"], params).await
    }

    /// Every template, page after page. See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk.jwt_templates().stream(Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(&self, params: ListJwtTemplates) -> ItemStream<JwtTemplate> {
        self.clerk.stream_paginated(&["jwt_templates"], params)
    }

    /// One template (`GET /jwt_templates/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let template = clerk.jwt_templates().get("jtmp_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, template_id: &str) -> Result<JwtTemplate> {
        self.clerk
            .send(ApiRequest::get(&["jwt_templates", template_id])?)
            .await
    }

    /// Creates a template (`POST /jwt_templates`). A reserved claim (`azp`, `exp`, `iat`,
    /// `iss`, `jti`, `nbf`, `sub`) is refused with `jwt_template_reserved_claim`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateJwtTemplate;
    /// let claims = serde_json::json!({"email": "{{user.primary_email_address}}"});
    /// let template = clerk
    ///     .jwt_templates()
    ///     .create(CreateJwtTemplate::new("supabase", claims.as_object().unwrap().clone()).lifetime(3600))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateJwtTemplate) -> Result<JwtTemplate> {
        self.clerk
            .send(ApiRequest::post(&["jwt_templates"])?.json(&params)?)
            .await
    }

    /// Replaces a template's name and claims, and what else the builder sets
    /// (`PATCH /jwt_templates/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdateJwtTemplate;
    /// let template = clerk
    ///     .jwt_templates()
    ///     .update("jtmp_2x", UpdateJwtTemplate::new("supabase", Default::default()).lifetime(600))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(
        &self,
        template_id: &str,
        params: UpdateJwtTemplate,
    ) -> Result<JwtTemplate> {
        self.clerk
            .send(ApiRequest::patch(&["jwt_templates", template_id])?.json(&params.0)?)
            .await
    }

    /// Deletes a template (`DELETE /jwt_templates/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let deleted = clerk.jwt_templates().delete("jtmp_2x").await?;
    /// assert!(deleted.deleted);
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, template_id: &str) -> Result<DeletedObject> {
        self.clerk
            .send(ApiRequest::delete(&["jwt_templates", template_id])?)
            .await
    }
}

/// Paging for [`JwtTemplates::list`] and [`JwtTemplates::stream`].
///
/// ```
/// let params = clerk_sdk::ListJwtTemplates::new().limit(20);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListJwtTemplates {
    paging: Paging,
}

impl ListJwtTemplates {
    /// API default paging (10 per page).
    ///
    /// ```
    /// let params = clerk_sdk::ListJwtTemplates::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    paging_setters!(ListJwtTemplates, "templates");

    /// The query parameters [`JwtTemplates::list`] sends, in order: for a caller that
    /// sends the request itself.
    ///
    /// ```
    /// let pairs = clerk_sdk::ListJwtTemplates::new().limit(5).to_query_pairs();
    /// assert_eq!(pairs, [("paginated".into(), "true".into()), ("limit".into(), "5".into())]);
    /// ```
    pub fn to_query_pairs(&self) -> Vec<(String, String)> {
        self.to_query().into_pairs()
    }
}

impl PaginatedList for ListJwtTemplates {
    type Item = JwtTemplate;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }
}

/// The body of [`JwtTemplates::create`]. Its `Debug` never shows the signing key.
///
/// ```
/// let params = clerk_sdk::CreateJwtTemplate::new("hasura", Default::default())
///     .allowed_clock_skew(10)
///     .custom_signing_key("HS256", "a-shared-secret");
/// assert!(!format!("{params:?}").contains("a-shared-secret"));
/// ```
#[derive(Clone, PartialEq, Serialize)]
#[must_use]
pub struct CreateJwtTemplate {
    name: String,
    claims: Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lifetime: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed_clock_skew: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_signing_key: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signing_algorithm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signing_key: Option<String>,
}

impl fmt::Debug for CreateJwtTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateJwtTemplate")
            .field("name", &self.name)
            .field("claims", &self.claims)
            .field("lifetime", &self.lifetime)
            .field("allowed_clock_skew", &self.allowed_clock_skew)
            .field("custom_signing_key", &self.custom_signing_key)
            .field("signing_algorithm", &self.signing_algorithm)
            .field(
                "signing_key",
                &self.signing_key.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

impl CreateJwtTemplate {
    /// A template named `name` with `claims` (static values and `{{...}}` shortcodes).
    ///
    /// ```
    /// let claims = serde_json::json!({"name": "{{user.full_name}}"});
    /// let params = clerk_sdk::CreateJwtTemplate::new("convex", claims.as_object().unwrap().clone());
    /// ```
    pub fn new(name: impl Into<String>, claims: Map<String, Value>) -> Self {
        Self {
            name: name.into(),
            claims,
            lifetime: None,
            allowed_clock_skew: None,
            custom_signing_key: None,
            signing_algorithm: None,
            signing_key: None,
        }
    }

    /// Token lifetime in seconds (30 to 315360000; default 60).
    ///
    /// ```
    /// let params = clerk_sdk::CreateJwtTemplate::new("t", Default::default()).lifetime(3600);
    /// ```
    pub fn lifetime(mut self, seconds: i64) -> Self {
        self.lifetime = Some(seconds);
        self
    }

    /// Seconds `nbf` lies before `iat` (0 to 300; default 5).
    ///
    /// ```
    /// let params = clerk_sdk::CreateJwtTemplate::new("t", Default::default()).allowed_clock_skew(0);
    /// ```
    pub fn allowed_clock_skew(mut self, seconds: i64) -> Self {
        self.allowed_clock_skew = Some(seconds);
        self
    }

    /// Signs with the template's own key: `algorithm` is `HS256`/`HS384`/`HS512` (`key` a
    /// shared secret), `RS256`/`RS384`/`RS512` or `ES256`/`ES384`/`ES512` (`key` a PEM
    /// private key).
    ///
    /// ```
    /// let params = clerk_sdk::CreateJwtTemplate::new("t", Default::default())
    ///     .custom_signing_key("HS512", "secret");
    /// ```
    pub fn custom_signing_key(
        mut self,
        algorithm: impl Into<String>,
        key: impl Into<String>,
    ) -> Self {
        self.custom_signing_key = Some(true);
        self.signing_algorithm = Some(algorithm.into());
        self.signing_key = Some(key.into());
        self
    }

    /// Signs with the instance's keys (RS256), dropping a custom key.
    ///
    /// ```
    /// let params = clerk_sdk::CreateJwtTemplate::new("t", Default::default()).instance_signing_key();
    /// ```
    pub fn instance_signing_key(mut self) -> Self {
        self.custom_signing_key = Some(false);
        self.signing_algorithm = None;
        self.signing_key = None;
        self
    }
}

/// The body of [`JwtTemplates::update`]: the same fields as a create; `name` and `claims`
/// replace the template's, the rest change only when set (a custom key is kept while its
/// algorithm is).
///
/// ```
/// let params = clerk_sdk::UpdateJwtTemplate::new("hasura", Default::default()).lifetime(120);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct UpdateJwtTemplate(CreateJwtTemplate);

impl UpdateJwtTemplate {
    /// Sets the name and the claims.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateJwtTemplate::new("hasura", Default::default());
    /// ```
    pub fn new(name: impl Into<String>, claims: Map<String, Value>) -> Self {
        Self(CreateJwtTemplate::new(name, claims))
    }

    /// See [`CreateJwtTemplate::lifetime`].
    ///
    /// ```
    /// let params = clerk_sdk::UpdateJwtTemplate::new("t", Default::default()).lifetime(90);
    /// ```
    pub fn lifetime(self, seconds: i64) -> Self {
        Self(self.0.lifetime(seconds))
    }

    /// See [`CreateJwtTemplate::allowed_clock_skew`].
    ///
    /// ```
    /// let params = clerk_sdk::UpdateJwtTemplate::new("t", Default::default()).allowed_clock_skew(30);
    /// ```
    pub fn allowed_clock_skew(self, seconds: i64) -> Self {
        Self(self.0.allowed_clock_skew(seconds))
    }

    /// See [`CreateJwtTemplate::custom_signing_key`].
    ///
    /// ```
    /// let params = clerk_sdk::UpdateJwtTemplate::new("t", Default::default())
    ///     .custom_signing_key("HS256", "secret");
    /// ```
    pub fn custom_signing_key(self, algorithm: impl Into<String>, key: impl Into<String>) -> Self {
        Self(self.0.custom_signing_key(algorithm, key))
    }

    /// See [`CreateJwtTemplate::instance_signing_key`].
    ///
    /// ```
    /// let params = clerk_sdk::UpdateJwtTemplate::new("t", Default::default()).instance_signing_key();
    /// ```
    pub fn instance_signing_key(self) -> Self {
        Self(self.0.instance_signing_key())
    }
}
