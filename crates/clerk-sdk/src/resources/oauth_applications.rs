//! OAuth applications: `clerk.oauth_applications()`, and OAuth access token verification.

use serde::Serialize;

use super::OrganizationLogo;
use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{
    DeletedObject, IssuedOAuthAccessToken, OAuthApplication, OAuthTokenVerification,
};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::{option_setters, paging_setters};
use crate::query::Query;

impl Clerk {
    /// OAuth applications (the instance as an OAuth identity provider): list, create, get,
    /// update, delete, logo, rotate the secret, revoke a token; and access token
    /// verification.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let page = clerk.oauth_applications().list(Default::default()).await?;
    /// # Ok(()) }
    /// ```
    pub fn oauth_applications(&self) -> OAuthApplications<'_> {
        OAuthApplications { clerk: self }
    }
}

/// The OAuth applications handler, from [`Clerk::oauth_applications`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// use clerk_sdk::CreateOAuthApplication;
/// let app = clerk.oauth_applications().create(CreateOAuthApplication::new("Zapier")).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct OAuthApplications<'a> {
    clerk: &'a Clerk,
}

impl OAuthApplications<'_> {
    /// One page of applications with the total (`GET /oauth_applications`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ListOAuthApplications;
    /// let page = clerk.oauth_applications().list(ListOAuthApplications::new().name_query("zap")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, params: ListOAuthApplications) -> Result<Page<OAuthApplication>> {
        self.clerk
            .list_paginated(&["oauth_applications"], params)
            .await
    }

    /// Every application, page after page. See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk.oauth_applications().stream(Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(&self, params: ListOAuthApplications) -> ItemStream<OAuthApplication> {
        self.clerk.stream_paginated(&["oauth_applications"], params)
    }

    /// Creates an application (`POST /oauth_applications`); the answer carries its
    /// `client_secret` (none for a public client), as only here and after a rotation.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateOAuthApplication;
    /// let app = clerk
    ///     .oauth_applications()
    ///     .create(CreateOAuthApplication::new("Zapier").redirect_uris(["https://zapier.com/cb"]))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateOAuthApplication) -> Result<OAuthApplication> {
        self.clerk
            .send(ApiRequest::post(&["oauth_applications"])?.json(&params)?)
            .await
    }

    /// One application (`GET /oauth_applications/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let app = clerk.oauth_applications().get("oa_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, application_id: &str) -> Result<OAuthApplication> {
        self.clerk
            .send(ApiRequest::get(&["oauth_applications", application_id])?)
            .await
    }

    /// Changes what the builder sets (`PATCH /oauth_applications/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdateOAuthApplication;
    /// let app = clerk
    ///     .oauth_applications()
    ///     .update("oa_2x", UpdateOAuthApplication::new().scopes("profile email openid"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(
        &self,
        application_id: &str,
        params: UpdateOAuthApplication,
    ) -> Result<OAuthApplication> {
        self.clerk
            .send(ApiRequest::patch(&["oauth_applications", application_id])?.json(&params)?)
            .await
    }

    /// Deletes an application and its tokens (`DELETE /oauth_applications/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let deleted = clerk.oauth_applications().delete("oa_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, application_id: &str) -> Result<DeletedObject> {
        self.clerk
            .send(ApiRequest::delete(&["oauth_applications", application_id])?)
            .await
    }

    /// Sets the application's logo (`PUT /oauth_applications/{id}/logo`, multipart).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::OrganizationLogo;
    /// let png = std::fs::read("logo.png").unwrap();
    /// let app = clerk.oauth_applications().upload_logo("oa_2x", OrganizationLogo::new(png)).await?;
    /// println!("{:?}", app.client_image_url);
    /// # Ok(()) }
    /// ```
    pub async fn upload_logo(
        &self,
        application_id: &str,
        logo: OrganizationLogo,
    ) -> Result<OAuthApplication> {
        let path = ["oauth_applications", application_id, "logo"];
        self.clerk
            .send(ApiRequest::put(&path)?.multipart(&logo.form())?)
            .await
    }

    /// Replaces the client secret; the answer carries the new one
    /// (`POST /oauth_applications/{id}/rotate_secret`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let app = clerk.oauth_applications().rotate_secret("oa_2x").await?;
    /// let secret = app.client_secret.expect("shown after a rotation");
    /// # Ok(()) }
    /// ```
    pub async fn rotate_secret(&self, application_id: &str) -> Result<OAuthApplication> {
        let path = ["oauth_applications", application_id, "rotate_secret"];
        self.clerk.send(ApiRequest::post(&path)?).await
    }

    /// Revokes one of the application's access tokens
    /// (`POST /oauth_applications/{id}/revoke_token`, answered 204).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// clerk.oauth_applications().revoke_token("oa_2x", "oat_...").await?;
    /// # Ok(()) }
    /// ```
    pub async fn revoke_token(&self, application_id: &str, token: &str) -> Result<()> {
        #[derive(Serialize)]
        struct Body<'a> {
            token: &'a str,
        }
        let path = ["oauth_applications", application_id, "revoke_token"];
        self.clerk
            .send_text(ApiRequest::post(&path)?.json(&Body { token })?)
            .await?;
        Ok(())
    }

    /// Verifies an access token (`POST /oauth_applications/access_tokens/verify`): the
    /// token, [`OAuthTokenVerification::Inactive`] for a JWT access token that expired or
    /// was revoked, or a 404 error.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::OAuthTokenVerification;
    /// match clerk.oauth_applications().verify_access_token("oat_...").await? {
    ///     OAuthTokenVerification::Active(token) => println!("for {}", token.subject),
    ///     _ => println!("no longer active"),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn verify_access_token(&self, access_token: &str) -> Result<OAuthTokenVerification> {
        #[derive(Serialize)]
        struct Body<'a> {
            access_token: &'a str,
        }
        let path = ["oauth_applications", "access_tokens", "verify"];
        self.clerk
            .send(ApiRequest::post(&path)?.json(&Body { access_token })?)
            .await
    }

    /// Issues an access token of the application for a user, as the OAuth flow would
    /// (`POST /v1/_local/oauth_applications/{id}/access_tokens`: `clerk serve` only).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::IssueOAuthAccessToken;
    /// let issued = clerk
    ///     .oauth_applications()
    ///     .issue_access_token("oa_2x", IssueOAuthAccessToken::new("user_2x").jwt(true))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn issue_access_token(
        &self,
        application_id: &str,
        params: IssueOAuthAccessToken,
    ) -> Result<IssuedOAuthAccessToken> {
        let path = [
            "_local",
            "oauth_applications",
            application_id,
            "access_tokens",
        ];
        self.clerk
            .send(ApiRequest::post(&path)?.json(&params)?)
            .await
    }
}

/// Paging and filters for [`OAuthApplications::list`] and [`OAuthApplications::stream`].
///
/// ```
/// let params = clerk_sdk::ListOAuthApplications::new().name_query("zap").order_by("-created_at");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListOAuthApplications {
    name_query: Option<String>,
    order_by: Option<String>,
    paging: Paging,
}

impl ListOAuthApplications {
    /// Every application, oldest first (the API's default order).
    ///
    /// ```
    /// let params = clerk_sdk::ListOAuthApplications::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters!("ListOAuthApplications::new()";
        /// Applications whose name contains this text.
        name_query: String,
        /// `+created_at` (default) or `-created_at`.
        order_by: String,
    );

    paging_setters!(ListOAuthApplications, "applications");

    /// The query parameters [`OAuthApplications::list`] sends, in order.
    ///
    /// ```
    /// let pairs = clerk_sdk::ListOAuthApplications::new().limit(5).to_query_pairs();
    /// assert_eq!(pairs, [("limit".into(), "5".into())]);
    /// ```
    pub fn to_query_pairs(&self) -> Vec<(String, String)> {
        self.to_query().into_pairs()
    }
}

impl PaginatedList for ListOAuthApplications {
    type Item = OAuthApplication;
    const ASK_FOR_TOTAL: bool = false;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }

    fn push_filters(&self, query: &mut Query) {
        query.push_opt("name_query", self.name_query.as_ref());
        query.push_opt("order_by", self.order_by.as_ref());
    }
}

/// The body of [`OAuthApplications::create`].
///
/// ```
/// let params = clerk_sdk::CreateOAuthApplication::new("Zapier")
///     .redirect_uris(["https://zapier.com/cb"])
///     .scopes("profile email")
///     .public(false)
///     .pkce_required(true)
///     .consent_screen_enabled(true);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[must_use]
pub struct CreateOAuthApplication {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_uris: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scopes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    consent_screen_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pkce_required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public: Option<bool>,
}

impl CreateOAuthApplication {
    /// An application named `name`.
    ///
    /// ```
    /// let params = clerk_sdk::CreateOAuthApplication::new("Zapier");
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            redirect_uris: None,
            scopes: None,
            consent_screen_enabled: None,
            pkce_required: None,
            public: None,
        }
    }

    /// Where users may be sent back after authorizing.
    ///
    /// ```
    /// let params = clerk_sdk::CreateOAuthApplication::new("Z").redirect_uris(["https://z.example/cb"]);
    /// ```
    pub fn redirect_uris<I, S>(mut self, uris: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.redirect_uris = Some(uris.into_iter().map(Into::into).collect());
        self
    }

    option_setters!("CreateOAuthApplication::new(\"Z\")";
        /// Space-separated scopes (default `profile email`).
        scopes: String,
        /// Whether users see a consent screen (default true).
        consent_screen_enabled: bool,
        /// Whether PKCE is required (default false).
        pkce_required: bool,
        /// A public client, without a secret (default false).
        public: bool,
    );
}

/// The body of [`OAuthApplications::update`]: only what is set is sent.
///
/// ```
/// let params = clerk_sdk::UpdateOAuthApplication::new().name("Zapier 2").pkce_required(true);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[must_use]
pub struct UpdateOAuthApplication {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_uris: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scopes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    consent_screen_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pkce_required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public: Option<bool>,
}

impl UpdateOAuthApplication {
    /// Changes nothing until a setter says otherwise.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateOAuthApplication::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the redirect URIs.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateOAuthApplication::new().redirect_uris(["https://z.example/cb"]);
    /// ```
    pub fn redirect_uris<I, S>(mut self, uris: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.redirect_uris = Some(uris.into_iter().map(Into::into).collect());
        self
    }

    option_setters!("UpdateOAuthApplication::new()";
        /// A new name.
        name: String,
        /// Space-separated scopes.
        scopes: String,
        /// Whether users see a consent screen.
        consent_screen_enabled: bool,
        /// Whether PKCE is required.
        pkce_required: bool,
        /// Whether it is a public client.
        public: bool,
    );
}

/// The body of [`OAuthApplications::issue_access_token`].
///
/// ```
/// let params = clerk_sdk::IssueOAuthAccessToken::new("user_2x")
///     .scopes(["email"])
///     .expires_in_seconds(600)
///     .jwt(true);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[must_use]
pub struct IssueOAuthAccessToken {
    user_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    scopes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in_seconds: Option<i64>,
    format: &'static str,
}

impl IssueOAuthAccessToken {
    /// An opaque token for `user_id` with every scope of the application, lasting a day.
    ///
    /// ```
    /// let params = clerk_sdk::IssueOAuthAccessToken::new("user_2x");
    /// ```
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            scopes: None,
            expires_in_seconds: None,
            format: "opaque",
        }
    }

    /// Some of the application's scopes.
    ///
    /// ```
    /// let params = clerk_sdk::IssueOAuthAccessToken::new("user_2x").scopes(["profile"]);
    /// ```
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// How long the token lasts, in seconds.
    ///
    /// ```
    /// let params = clerk_sdk::IssueOAuthAccessToken::new("user_2x").expires_in_seconds(60);
    /// ```
    pub fn expires_in_seconds(mut self, seconds: i64) -> Self {
        self.expires_in_seconds = Some(seconds);
        self
    }

    /// A JWT (`typ: at+jwt`) rather than an opaque `oat_` token.
    ///
    /// ```
    /// let params = clerk_sdk::IssueOAuthAccessToken::new("user_2x").jwt(true);
    /// ```
    pub fn jwt(mut self, jwt: bool) -> Self {
        self.format = if jwt { "jwt" } else { "opaque" };
        self
    }
}
