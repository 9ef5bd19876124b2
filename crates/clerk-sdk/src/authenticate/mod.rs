//! One call that authenticates a request carrying any token Clerk issues: a session token
//! (header or `__session` cookie), an M2M token, an API key or an OAuth access token, as
//! `@clerk/backend`'s `authenticateRequest({ acceptsToken })` does.
//!
//! ```no_run
//! # async fn run(clerk: clerk_sdk::Clerk, parts: http::request::Parts) -> Result<(), Box<dyn std::error::Error>> {
//! use clerk_sdk::authenticate::{Authenticated, Authenticator, TokenType};
//!
//! let verifier = clerk_sdk::Verifier::builder(clerk.backend_api_jwks()?).build()?;
//! let auth = Authenticator::builder(clerk, verifier)
//!     .accepts([TokenType::SessionToken, TokenType::ApiKey, TokenType::M2mToken])
//!     .build();
//! match auth.authenticate_request(&parts).await {
//!     Ok(Authenticated::Session(claims)) => println!("user {}", claims.sub),
//!     Ok(Authenticated::ApiKey(key)) => println!("API key of {}", key.subject),
//!     Ok(Authenticated::Machine(machine)) => println!("machine {}", machine.machine_id),
//!     Ok(other) => println!("{:?}", other.token_type()),
//!     Err(refusal) => println!("refused: {refusal}"),
//! }
//! # Ok(()) }
//! ```
//!
//! # What each kind costs
//!
//! | token | how it is checked |
//! |---|---|
//! | session token (a JWT) | networkless, by the [`Verifier`] (its key and verified-token caches) |
//! | JWT-format M2M token (`cat` = M2M, `sub` = `mch_…`) | networkless, with the same verifier's keys |
//! | JWT OAuth access token (`typ: at+jwt`) | networkless, with the same verifier's keys |
//! | `mt_…` M2M token | `POST /m2m_tokens/verify` |
//! | `ak_…` API key | `POST /api_keys/verify` |
//! | `oat_…` OAuth access token | `POST /oauth_applications/access_tokens/verify` |
//!
//! # The answer cache (opaque tokens)
//!
//! A positive answer of the Backend API is kept for a short time (default
//! [`DEFAULT_ANSWER_TTL`], at most [`DEFAULT_ANSWER_CAPACITY`] tokens, never past the
//! token's own expiry), keyed by the SHA-256 digest of the token, so the token itself is not
//! held in memory. **Staleness**: a token revoked on the server keeps authenticating in this
//! process for up to the TTL. Refusals are never cached. Set
//! [`AuthenticatorBuilder::answer_cache`] to `Duration::ZERO` to ask every time.

mod answers;
mod kinds;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::verify::{Claims, MachineJwt, VerifyError, session_token_from_headers};
use crate::{Clerk, Error, Verifier};

pub use kinds::{ApiKeyAuth, Authenticated, MachineAuth, OAuthAuth, TokenType};

use answers::Answers;

/// How long a positive answer for an opaque token is kept by default.
pub const DEFAULT_ANSWER_TTL: Duration = Duration::from_secs(10);
/// How many opaque tokens' answers are kept at most by default.
pub const DEFAULT_ANSWER_CAPACITY: usize = 1024;

/// Authenticates requests carrying any of the token types it accepts (see the
/// [module docs](self)). Cheap to clone; build one at startup.
#[derive(Clone)]
pub struct Authenticator {
    inner: Arc<Inner>,
}

struct Inner {
    clerk: Clerk,
    verifier: Verifier,
    accepts: Vec<TokenType>,
    answers: Option<Answers>,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator")
            .field("accepts", &self.inner.accepts)
            .finish_non_exhaustive()
    }
}

/// Builds an [`Authenticator`].
#[must_use = "a builder does nothing until `build` is called"]
pub struct AuthenticatorBuilder {
    clerk: Clerk,
    verifier: Verifier,
    accepts: Vec<TokenType>,
    answer_ttl: Duration,
    answer_capacity: usize,
}

impl fmt::Debug for AuthenticatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthenticatorBuilder")
            .field("accepts", &self.accepts)
            .field("answer_ttl", &self.answer_ttl)
            .finish_non_exhaustive()
    }
}

impl AuthenticatorBuilder {
    /// The token types to accept (session tokens only by default, as `@clerk/backend`).
    ///
    /// ```
    /// # fn run(clerk: clerk_sdk::Clerk, verifier: clerk_sdk::Verifier) {
    /// use clerk_sdk::authenticate::{Authenticator, TokenType};
    /// let machines_only = Authenticator::builder(clerk, verifier).accepts([TokenType::M2mToken]).build();
    /// # }
    /// ```
    pub fn accepts(mut self, types: impl IntoIterator<Item = TokenType>) -> Self {
        self.accepts = types.into_iter().collect();
        self
    }

    /// Accept every token type.
    ///
    /// ```
    /// # fn run(clerk: clerk_sdk::Clerk, verifier: clerk_sdk::Verifier) {
    /// let any = clerk_sdk::authenticate::Authenticator::builder(clerk, verifier).accepts_any().build();
    /// # }
    /// ```
    pub fn accepts_any(self) -> Self {
        self.accepts(TokenType::ALL)
    }

    /// How long, and for how many tokens, positive Backend API answers for opaque tokens are
    /// kept ([`DEFAULT_ANSWER_TTL`], [`DEFAULT_ANSWER_CAPACITY`]); a zero TTL or capacity
    /// asks the API every time.
    ///
    /// ```
    /// # fn run(clerk: clerk_sdk::Clerk, verifier: clerk_sdk::Verifier) {
    /// use std::time::Duration;
    /// let always_ask = clerk_sdk::authenticate::Authenticator::builder(clerk, verifier)
    ///     .answer_cache(Duration::ZERO, 0)
    ///     .build();
    /// # }
    /// ```
    pub fn answer_cache(mut self, ttl: Duration, capacity: usize) -> Self {
        self.answer_ttl = ttl;
        self.answer_capacity = capacity;
        self
    }

    /// Builds the authenticator.
    ///
    /// ```
    /// # fn run(clerk: clerk_sdk::Clerk, verifier: clerk_sdk::Verifier) {
    /// let auth = clerk_sdk::authenticate::Authenticator::builder(clerk, verifier).build();
    /// # }
    /// ```
    pub fn build(self) -> Authenticator {
        Authenticator {
            inner: Arc::new(Inner {
                clerk: self.clerk,
                verifier: self.verifier,
                accepts: self.accepts,
                answers: Answers::new(self.answer_ttl, self.answer_capacity),
            }),
        }
    }
}

/// Why a request or token was not authenticated.
#[derive(Debug)]
#[non_exhaustive]
pub enum Refusal {
    /// The request carries no token.
    TokenMissing,
    /// The token is of a type this authenticator does not accept.
    NotAccepted(TokenType),
    /// A JWT (session token, JWT-format M2M or OAuth token) that failed verification.
    Invalid {
        /// What the token looked like.
        token_type: TokenType,
        /// Why it was refused.
        error: VerifyError,
    },
    /// The Backend API refused the token (unknown, revoked, expired: its error says which).
    Rejected {
        /// What the token looked like.
        token_type: TokenType,
        /// The API's answer.
        error: Error,
    },
    /// The Backend API answered that the token is no longer active (revoked or expired).
    Inactive(TokenType),
    /// The Backend API could not be asked (network, timeout, 5xx, 429).
    Unavailable {
        /// What the token looked like.
        token_type: TokenType,
        /// What went wrong.
        error: Error,
    },
}

impl Refusal {
    /// The type of the refused token, when there was one.
    ///
    /// ```
    /// use clerk_sdk::authenticate::{Refusal, TokenType};
    /// assert_eq!(Refusal::NotAccepted(TokenType::ApiKey).token_type(), Some(TokenType::ApiKey));
    /// assert_eq!(Refusal::TokenMissing.token_type(), None);
    /// ```
    #[must_use]
    pub fn token_type(&self) -> Option<TokenType> {
        match self {
            Refusal::TokenMissing => None,
            Refusal::NotAccepted(t) | Refusal::Inactive(t) => Some(*t),
            Refusal::Invalid { token_type, .. }
            | Refusal::Rejected { token_type, .. }
            | Refusal::Unavailable { token_type, .. } => Some(*token_type),
        }
    }

    /// Whether retrying later may succeed (the API could not be asked): answer 503, not 401.
    ///
    /// ```
    /// assert!(!clerk_sdk::authenticate::Refusal::TokenMissing.is_unavailable());
    /// ```
    #[must_use]
    pub fn is_unavailable(&self) -> bool {
        match self {
            Refusal::Unavailable { .. } => true,
            Refusal::Invalid { error, .. } => {
                error.reason() == crate::verify::Reason::KeysUnavailable
            }
            _ => false,
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::TokenMissing => f.write_str("no token in the request"),
            Refusal::NotAccepted(t) => write!(f, "a {t} is not accepted here"),
            Refusal::Invalid { token_type, error } => write!(f, "invalid {token_type}: {error}"),
            Refusal::Rejected { token_type, error } => {
                write!(f, "the Backend API refused the {token_type}: {error}")
            }
            Refusal::Inactive(t) => write!(f, "the {t} is no longer active"),
            Refusal::Unavailable { token_type, error } => {
                write!(f, "could not verify the {token_type}: {error}")
            }
        }
    }
}

impl std::error::Error for Refusal {}

impl Authenticator {
    /// A builder over a Backend API client (for opaque tokens) and a session-token
    /// verifier (for JWTs, whose keys also check JWT-format machine tokens).
    ///
    /// ```
    /// # fn run(clerk: clerk_sdk::Clerk) -> Result<(), Box<dyn std::error::Error>> {
    /// let verifier = clerk_sdk::Verifier::builder(clerk.backend_api_jwks()?).build()?;
    /// let auth = clerk_sdk::authenticate::Authenticator::builder(clerk, verifier).accepts_any().build();
    /// # Ok(()) }
    /// ```
    pub fn builder(clerk: Clerk, verifier: Verifier) -> AuthenticatorBuilder {
        AuthenticatorBuilder {
            clerk,
            verifier,
            accepts: vec![TokenType::SessionToken],
            answer_ttl: DEFAULT_ANSWER_TTL,
            answer_capacity: DEFAULT_ANSWER_CAPACITY,
        }
    }

    /// The token types this authenticator accepts.
    ///
    /// ```
    /// # fn run(auth: clerk_sdk::authenticate::Authenticator) {
    /// assert!(!auth.accepts().is_empty());
    /// # }
    /// ```
    #[must_use]
    pub fn accepts(&self) -> &[TokenType] {
        &self.inner.accepts
    }

    /// Authenticates a request: the `Authorization: Bearer` token, else the `__session`
    /// cookie.
    ///
    /// ```no_run
    /// # async fn run(auth: clerk_sdk::authenticate::Authenticator, parts: http::request::Parts) {
    /// if let Ok(who) = auth.authenticate_request(&parts).await {
    ///     println!("{:?}", who.token_type());
    /// }
    /// # }
    /// ```
    ///
    /// # Errors
    /// A [`Refusal`] saying why.
    pub async fn authenticate_request(
        &self,
        parts: &http::request::Parts,
    ) -> Result<Authenticated, Refusal> {
        self.authenticate_request_as(parts, &self.inner.accepts)
            .await
    }

    /// As [`authenticate_request`](Self::authenticate_request), accepting only `types`
    /// (which must also be among the authenticator's own; the axum extractors use this).
    ///
    /// # Errors
    /// A [`Refusal`] saying why.
    pub(crate) async fn authenticate_request_as(
        &self,
        parts: &http::request::Parts,
        types: &[TokenType],
    ) -> Result<Authenticated, Refusal> {
        let token = session_token_from_headers(&parts.headers).ok_or(Refusal::TokenMissing)?;
        self.authenticate_as(token, types).await
    }

    /// Authenticates a token on its own (from wherever the application found it).
    ///
    /// ```no_run
    /// # async fn run(auth: clerk_sdk::authenticate::Authenticator) {
    /// use clerk_sdk::authenticate::Authenticated;
    /// match auth.authenticate_token("ak_...").await {
    ///     Ok(Authenticated::ApiKey(key)) => println!("scopes {:?}", key.scopes),
    ///     Ok(_) => {}
    ///     Err(refusal) => eprintln!("{refusal}"),
    /// }
    /// # }
    /// ```
    ///
    /// # Errors
    /// A [`Refusal`] saying why.
    pub async fn authenticate_token(&self, token: &str) -> Result<Authenticated, Refusal> {
        self.authenticate_as(token, &self.inner.accepts).await
    }

    async fn authenticate_as(
        &self,
        token: &str,
        types: &[TokenType],
    ) -> Result<Authenticated, Refusal> {
        let token_type = TokenType::of(token);
        if !types.contains(&token_type) || !self.inner.accepts.contains(&token_type) {
            return Err(Refusal::NotAccepted(token_type));
        }
        let invalid = |error| Refusal::Invalid { token_type, error };
        let verifier = &self.inner.verifier;
        match token_type {
            TokenType::SessionToken => verifier
                .verify_token(token)
                .await
                .map(|claims| Authenticated::Session(Box::new(claims)))
                .map_err(invalid),
            TokenType::M2mToken if kinds::is_jwt(token) => verifier
                .verify_machine_jwt(token, MachineJwt::M2m)
                .await
                .map(|claims| Authenticated::Machine(MachineAuth::from_jwt(claims)))
                .map_err(invalid),
            TokenType::OAuthToken if kinds::is_jwt(token) => verifier
                .verify_machine_jwt(token, MachineJwt::OAuth)
                .await
                .map(|claims| Authenticated::OAuth(OAuthAuth::from_jwt(claims)))
                .map_err(invalid),
            _ => self.ask(token, token_type).await,
        }
    }

    /// An opaque token: the answer cache, else one Backend API call.
    async fn ask(&self, token: &str, token_type: TokenType) -> Result<Authenticated, Refusal> {
        let inner = &*self.inner;
        let digest = answers::digest(token);
        if let Some(answers) = &inner.answers
            && let Some(known) = answers.get(&digest)
        {
            return Ok(known);
        }
        let refused = |error: Error| classify(token_type, error);
        let (authenticated, expires_ms) = match token_type {
            TokenType::M2mToken => {
                let answer = inner
                    .clerk
                    .m2m_tokens()
                    .verify(token)
                    .await
                    .map_err(refused)?;
                if answer.revoked || answer.expired {
                    return Err(Refusal::Inactive(token_type));
                }
                let expires = answer.expiration_ms();
                (
                    Authenticated::Machine(MachineAuth::from_answer(answer)),
                    expires,
                )
            }
            TokenType::ApiKey => {
                let answer = inner
                    .clerk
                    .api_keys()
                    .verify(token)
                    .await
                    .map_err(refused)?;
                if answer.revoked || answer.expired {
                    return Err(Refusal::Inactive(token_type));
                }
                let expires = answer.expiration;
                (
                    Authenticated::ApiKey(ApiKeyAuth::from_answer(answer)),
                    expires,
                )
            }
            TokenType::OAuthToken => {
                let answer = inner
                    .clerk
                    .oauth_applications()
                    .verify_access_token(token)
                    .await
                    .map_err(refused)?;
                let crate::OAuthTokenVerification::Active(answer) = answer else {
                    return Err(Refusal::Inactive(token_type));
                };
                if answer.revoked || answer.expired {
                    return Err(Refusal::Inactive(token_type));
                }
                let expires = answer.expiration;
                (
                    Authenticated::OAuth(OAuthAuth::from_answer(*answer)),
                    expires,
                )
            }
            TokenType::SessionToken => unreachable!("session tokens are JWTs, checked locally"),
        };
        if let Some(answers) = &inner.answers {
            answers.put(digest, &authenticated, expires_ms);
        }
        Ok(authenticated)
    }
}

/// A 4xx is the API's verdict on the token; anything else (network, 5xx, 429) says nothing
/// about it.
fn classify(token_type: TokenType, error: Error) -> Refusal {
    match error.status() {
        Some(status) if status.is_client_error() && status.as_u16() != 429 => {
            Refusal::Rejected { token_type, error }
        }
        _ => Refusal::Unavailable { token_type, error },
    }
}

/// The scopes of a JWT machine token: a space-separated string (`scopes` of M2M tokens,
/// `scope` of OAuth tokens) or an array.
fn scopes_claim(claims: &Claims, names: &[&str]) -> Vec<String> {
    for name in names {
        match claims.extra.get(*name) {
            Some(Value::String(s)) => return s.split_whitespace().map(str::to_owned).collect(),
            Some(Value::Array(items)) => {
                return items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
            }
            _ => {}
        }
    }
    Vec::new()
}
