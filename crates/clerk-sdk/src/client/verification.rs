//! Session-token verification through a [`Clerk`] client: one verifier per client, with
//! keys from `CLERK_JWT_KEY` (networkless) or else from the Backend API's `GET /v1/jwks`
//! (with the client's secret key, API version and HTTP connection pool). The checks
//! themselves live in [`crate::verify`].

use http::HeaderMap;
use http::header::{AUTHORIZATION, HeaderValue, USER_AGENT};
use url::Url;

use super::Clerk;
use super::transport::API_VERSION_HEADER;
use crate::error::{Error, Result};
use crate::verify::{Claims, KeySource, Verifier};

/// What a [`Clerk`] client knows that its verifier needs.
pub(super) struct ClientKeys<'a> {
    pub jwt_key: Option<&'a str>,
    /// The Backend API's JWKS, when the client has a secret key ([`backend_api_jwks`]).
    pub backend_api_jwks: Option<KeySource>,
    pub http: &'a reqwest::Client,
    pub authorized_parties: Vec<String>,
}

/// The verifier of a new [`Clerk`] client, or `None` when it has neither a JWT key nor a
/// secret key. Builds no connection: the JWKS is fetched on first use.
pub(super) fn client_verifier(keys: ClientKeys<'_>) -> Result<Option<Verifier>> {
    let builder = if let Some(pem) = keys.jwt_key {
        Verifier::builder_pem(pem)
    } else if let Some(source) = keys.backend_api_jwks {
        Verifier::builder(source)
            .http_client(keys.http.clone())
            // The secret key already goes to this host over this scheme for every API call;
            // the base URL's scheme is the caller's choice (a local clerk-server speaks http).
            .allow_plain_http(true)
    } else {
        return Ok(None);
    };
    builder
        .authorized_parties(keys.authorized_parties)
        .build()
        .map(Some)
        .map_err(|e| Error::Config(format!("session-token verification: {e}")))
}

/// `GET /v1/jwks` of the Backend API at `base_url`, with the headers every API call sends:
/// `Authorization` (the secret key, marked sensitive), `Clerk-API-Version`, `User-Agent`.
pub(super) fn backend_api_jwks(
    base_url: &Url,
    authorization: &HeaderValue,
    api_version: &HeaderValue,
    user_agent: &HeaderValue,
) -> Result<KeySource> {
    let mut url = base_url.clone();
    url.path_segments_mut()
        .map_err(|()| Error::Config("the base URL cannot have a path".into()))?
        .pop_if_empty()
        .push("jwks");
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, authorization.clone());
    headers.insert(API_VERSION_HEADER, api_version.clone());
    headers.insert(USER_AGENT, user_agent.clone());
    Ok(KeySource::JwksUrl { url, headers })
}

impl Clerk {
    /// Verifies a session token locally and returns its claims (see [`crate::verify`] for
    /// every check).
    ///
    /// Keys come from the JWT key (`CLERK_JWT_KEY`, [`ClerkBuilder::jwt_key`]) without any
    /// network call, or else from the Backend API's `GET /v1/jwks`, fetched once and cached
    /// in this client (clones share the cache; other clients never do). A token whose key
    /// is cached is verified without I/O.
    ///
    /// Networkless verification cannot see a session revoked after the token was issued:
    /// the token stays valid until it expires (60 s by default). Use
    /// [`Sessions::verify_token_online`](crate::Sessions::verify_token_online) where that
    /// matters.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk, token: &str) -> Result<(), clerk_sdk::Error> {
    /// match clerk.verify_token(token).await {
    ///     Ok(claims) => println!("user {}", claims.sub),
    ///     Err(e) => match e.verify_error() {
    ///         Some(why) => println!("signed out: {}", why.reason()),
    ///         None => return Err(e),
    ///     },
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// [`ClerkBuilder::jwt_key`]: crate::ClerkBuilder::jwt_key
    ///
    /// # Errors
    /// [`Error::Verify`] for a rejected token; [`Error::MissingSecretKey`] when the client
    /// has neither a JWT key nor a secret key.
    pub async fn verify_token(&self, token: &str) -> Result<Claims> {
        Ok(self.verifier()?.verify_token(token).await?)
    }

    /// The client's session-token verifier, for example to hand to the axum
    /// `middleware::ClerkLayer` so that requests and [`Clerk::verify_token`] share one key
    /// cache.
    ///
    /// ```
    /// let clerk = clerk_sdk::Clerk::builder().secret_key("sk_test_123").build()?;
    /// let verifier = clerk.verifier()?.clone();
    /// # Ok::<(), clerk_sdk::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::MissingSecretKey`] when the client has neither a JWT key nor a secret key.
    pub fn verifier(&self) -> Result<&Verifier> {
        self.inner.verifier.as_ref().ok_or(Error::MissingSecretKey)
    }

    /// Where this client gets session-token keys when it has no JWT key: the Backend API's
    /// `GET /v1/jwks`, with this client's secret key, API version and user agent. For a
    /// verifier with checks of your own (issuer, leeway, ...) on the same keys.
    ///
    /// ```
    /// use clerk_sdk::verify::Verifier;
    /// let clerk = clerk_sdk::Clerk::new("sk_test_123")?;
    /// let verifier = Verifier::builder(clerk.backend_api_jwks()?)
    ///     .issuer("https://clerk.example.com")
    ///     .build()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::MissingSecretKey`] when the client has no secret key.
    pub fn backend_api_jwks(&self) -> Result<KeySource> {
        self.inner
            .backend_api_jwks
            .clone()
            .ok_or(Error::MissingSecretKey)
    }
}
