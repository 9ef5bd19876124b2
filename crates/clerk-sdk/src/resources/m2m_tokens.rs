//! M2M tokens: `clerk.m2m_tokens()`. A machine mints them with its secret key; the
//! machines it may call verify them. Requests go to `/m2m_tokens…` with the machine secret
//! key of [`M2mTokens::with_machine_secret_key`], else the client's
//! [`ClerkBuilder::machine_secret_key`](crate::ClerkBuilder::machine_secret_key), else the
//! client's secret key (the order of Clerk's JS client).

use http::HeaderValue;
use serde::Serialize;
use serde_json::Value;

use crate::client::{ApiRequest, Clerk, SecretKey};
use crate::error::Result;
use crate::models::{M2mToken, M2mTokenList};
use crate::query::Query;

impl Clerk {
    /// M2M tokens: create, list, revoke, verify.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let token = clerk
    ///     .m2m_tokens()
    ///     .with_machine_secret_key("ak_…")?
    ///     .create(Default::default())
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn m2m_tokens(&self) -> M2mTokens<'_> {
        M2mTokens {
            clerk: self,
            authorization: self.machine_authorization(),
        }
    }
}

/// The M2M tokens handler, from [`Clerk::m2m_tokens`]. Its `Debug` never shows a key.
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let verified = clerk.m2m_tokens().verify("mt_…").await?;
/// println!("called by {}", verified.subject);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct M2mTokens<'a> {
    clerk: &'a Clerk,
    /// `Bearer <machine secret key>`, or `None` for the client's secret key.
    authorization: Option<HeaderValue>,
}

impl std::fmt::Debug for M2mTokens<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("M2mTokens")
            .field("machine_secret_key", &self.authorization.is_some())
            .finish_non_exhaustive()
    }
}

impl M2mTokens<'_> {
    /// The same handler, authenticating with a machine's secret key (`ak_...`) instead.
    ///
    /// ```
    /// let clerk = clerk_sdk::Clerk::builder().secret_key("sk_test_1").build()?;
    /// let tokens = clerk.m2m_tokens().with_machine_secret_key("ak_abc")?;
    /// assert!(!format!("{tokens:?}").contains("ak_abc"));
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    pub fn with_machine_secret_key(mut self, key: impl Into<SecretKey>) -> Result<Self> {
        self.authorization = Some(Clerk::authorization_for(&key.into())?);
        Ok(self)
    }

    fn request(&self, request: ApiRequest) -> ApiRequest {
        request.authorization(self.authorization.clone())
    }

    /// Mints a token for the machine whose secret key authenticates the call
    /// (`POST /m2m_tokens`); the answer's `token` is the only copy of its value.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateM2mToken;
    /// let created = clerk
    ///     .m2m_tokens()
    ///     .with_machine_secret_key("ak_…")?
    ///     .create(CreateM2mToken::new().seconds_until_expiration(600).jwt())
    ///     .await?;
    /// let bearer = created.token.expect("the create answer has it");
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateM2mToken) -> Result<M2mToken> {
        self.clerk
            .send(self.request(ApiRequest::post(&["m2m_tokens"])?.json(&params)?))
            .await
    }

    /// One page of tokens (`GET /m2m_tokens`): with a machine key, that machine's; with
    /// the secret key, any machine's (`subject`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ListM2mTokens;
    /// let page = clerk.m2m_tokens().list(ListM2mTokens::new().subject("mch_2x").revoked(true)).await?;
    /// println!("{} tokens", page.total_count);
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, params: ListM2mTokens) -> Result<M2mTokenList> {
        self.clerk
            .send(self.request(ApiRequest::get(&["m2m_tokens"])?.query(params.to_query())))
            .await
    }

    /// Revokes an opaque token (`POST /m2m_tokens/{id}/revoke`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let token = clerk.m2m_tokens().revoke("mt_0123", Some("leaked")).await?;
    /// assert!(token.revoked);
    /// # Ok(()) }
    /// ```
    pub async fn revoke(&self, token_id: &str, reason: Option<&str>) -> Result<M2mToken> {
        let body = serde_json::json!({ "revocation_reason": reason });
        self.clerk
            .send(self.request(ApiRequest::post(&["m2m_tokens", token_id, "revoke"])?.json(&body)?))
            .await
    }

    /// Verifies a token (`POST /m2m_tokens/verify`): with a machine key, only a token that
    /// machine may accept. Unknown, revoked and expired tokens are an
    /// [`Error::Api`](crate::Error::Api) with status 404.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let token = clerk.m2m_tokens().verify("mt_…").await?;
    /// println!("{} may call {:?}", token.subject, token.scopes);
    /// # Ok(()) }
    /// ```
    pub async fn verify(&self, token: &str) -> Result<M2mToken> {
        let body = serde_json::json!({ "token": token });
        self.clerk
            .send(self.request(ApiRequest::post(&["m2m_tokens", "verify"])?.json(&body)?))
            .await
    }
}

/// The body of [`M2mTokens::create`]. Only what is set is sent.
///
/// ```
/// let params = clerk_sdk::CreateM2mToken::new()
///     .seconds_until_expiration(300)
///     .claims(serde_json::json!({"job": "sync"}))
///     .min_remaining_ttl_seconds(60);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[must_use]
pub struct CreateM2mToken {
    #[serde(skip_serializing_if = "Option::is_none")]
    token_format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seconds_until_expiration: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    claims: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min_remaining_ttl_seconds: Option<u64>,
}

impl CreateM2mToken {
    /// An opaque token living the machine's `default_token_ttl`.
    ///
    /// ```
    /// let params = clerk_sdk::CreateM2mToken::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// A JWT-format token (verifiable without a request; never stored, listed or revoked).
    ///
    /// ```
    /// let params = clerk_sdk::CreateM2mToken::new().jwt();
    /// ```
    pub fn jwt(mut self) -> Self {
        self.token_format = Some("jwt");
        self
    }

    /// Seconds until it expires.
    ///
    /// ```
    /// let params = clerk_sdk::CreateM2mToken::new().seconds_until_expiration(60);
    /// ```
    pub fn seconds_until_expiration(mut self, seconds: u64) -> Self {
        self.seconds_until_expiration = Some(seconds);
        self
    }

    /// Claims carried by the token (any JSON; an object for a JWT).
    ///
    /// ```
    /// let params = clerk_sdk::CreateM2mToken::new().claims(serde_json::json!({"tier": 1}));
    /// ```
    pub fn claims(mut self, claims: Value) -> Self {
        self.claims = Some(claims);
        self
    }

    /// Reuse a live opaque token with the same claims and scopes that has at least this
    /// many seconds left (must be less than the lifetime).
    ///
    /// ```
    /// let params = clerk_sdk::CreateM2mToken::new().min_remaining_ttl_seconds(120);
    /// ```
    pub fn min_remaining_ttl_seconds(mut self, seconds: u64) -> Self {
        self.min_remaining_ttl_seconds = Some(seconds);
        self
    }
}

/// Filters and paging for [`M2mTokens::list`].
///
/// ```
/// let params = clerk_sdk::ListM2mTokens::new().subject("mch_1").expired(true).limit(20);
/// assert_eq!(params.to_query_pairs()[0], ("subject".into(), "mch_1".into()));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListM2mTokens {
    subject: Option<String>,
    revoked: Option<bool>,
    expired: Option<bool>,
    limit: Option<u32>,
    offset: Option<u64>,
}

impl ListM2mTokens {
    /// Every token the key may see, API default paging.
    ///
    /// ```
    /// let params = clerk_sdk::ListM2mTokens::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Only this machine's tokens (`mch_...`).
    ///
    /// ```
    /// let params = clerk_sdk::ListM2mTokens::new().subject("mch_1");
    /// ```
    pub fn subject(mut self, machine_id: impl Into<String>) -> Self {
        self.subject = Some(machine_id.into());
        self
    }

    /// Include revoked tokens.
    ///
    /// ```
    /// let params = clerk_sdk::ListM2mTokens::new().revoked(true);
    /// ```
    pub fn revoked(mut self, include: bool) -> Self {
        self.revoked = Some(include);
        self
    }

    /// Include expired tokens.
    ///
    /// ```
    /// let params = clerk_sdk::ListM2mTokens::new().expired(true);
    /// ```
    pub fn expired(mut self, include: bool) -> Self {
        self.expired = Some(include);
        self
    }

    /// Page size, 1 to 100 (API default 10).
    ///
    /// ```
    /// let params = clerk_sdk::ListM2mTokens::new().limit(100);
    /// ```
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// How many tokens to skip.
    ///
    /// ```
    /// let params = clerk_sdk::ListM2mTokens::new().offset(10);
    /// ```
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    fn to_query(&self) -> Query {
        let mut query = Query::new();
        query
            .push_opt("subject", self.subject.as_ref())
            .push_opt("revoked", self.revoked)
            .push_opt("expired", self.expired)
            .push_opt("limit", self.limit)
            .push_opt("offset", self.offset);
        query
    }

    /// The query parameters [`M2mTokens::list`] sends, in order (for a caller that sends
    /// the request itself).
    ///
    /// ```
    /// let pairs = clerk_sdk::ListM2mTokens::new().limit(5).to_query_pairs();
    /// assert_eq!(pairs, [("limit".into(), "5".into())]);
    /// ```
    pub fn to_query_pairs(&self) -> Vec<(String, String)> {
        self.to_query().into_pairs()
    }
}
