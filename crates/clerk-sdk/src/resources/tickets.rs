//! Sign-in tokens (`clerk.sign_in_tokens()`), actor tokens (`clerk.actor_tokens()`) and
//! testing tokens (`clerk.testing_tokens()`).

use serde::Serialize;
use serde_json::{Map, Value};

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{ActorToken, SignInToken, TestingToken};

impl Clerk {
    /// Sign-in tokens: single-use tickets that sign a user in without credentials.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateSignInToken;
    /// let token = clerk.sign_in_tokens().create(CreateSignInToken::new("user_1")).await?;
    /// # Ok(()) }
    /// ```
    pub fn sign_in_tokens(&self) -> SignInTokens<'_> {
        SignInTokens { clerk: self }
    }

    /// Actor tokens: single-use tickets whose session impersonates a user.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateActorToken;
    /// let token = clerk.actor_tokens().create(CreateActorToken::new("user_1", "user_admin")).await?;
    /// # Ok(()) }
    /// ```
    pub fn actor_tokens(&self) -> ActorTokens<'_> {
        ActorTokens { clerk: self }
    }

    /// Testing tokens, for the Frontend API's `__clerk_testing_token`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let token = clerk.testing_tokens().create().await?;
    /// # Ok(()) }
    /// ```
    pub fn testing_tokens(&self) -> TestingTokens<'_> {
        TestingTokens { clerk: self }
    }
}

/// The sign-in tokens handler, from [`Clerk::sign_in_tokens`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let revoked = clerk.sign_in_tokens().revoke("sit_1").await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct SignInTokens<'a> {
    clerk: &'a Clerk,
}

impl SignInTokens<'_> {
    /// Creates a sign-in token (`POST /sign_in_tokens`); its `url` redeems it.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateSignInToken;
    /// let token = clerk
    ///     .sign_in_tokens()
    ///     .create(CreateSignInToken::new("user_1").expires_in_seconds(600))
    ///     .await?;
    /// println!("{:?}", token.url);
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateSignInToken) -> Result<SignInToken> {
        self.clerk
            .send(ApiRequest::post(&["sign_in_tokens"])?.json(&params)?)
            .await
    }

    /// Revokes a pending sign-in token (`POST /sign_in_tokens/{id}/revoke`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let token = clerk.sign_in_tokens().revoke("sit_1").await?;
    /// # Ok(()) }
    /// ```
    pub async fn revoke(&self, sign_in_token_id: &str) -> Result<SignInToken> {
        self.clerk
            .send(ApiRequest::post(&[
                "sign_in_tokens",
                sign_in_token_id,
                "revoke",
            ])?)
            .await
    }
}

/// The body of [`SignInTokens::create`].
///
/// ```
/// let params = clerk_sdk::CreateSignInToken::new("user_1").org_id("org_1");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateSignInToken {
    user_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    org_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in_seconds: Option<i64>,
}

impl CreateSignInToken {
    /// A token for `user_id`, lasting 30 days (Clerk's default).
    ///
    /// ```
    /// let params = clerk_sdk::CreateSignInToken::new("user_1");
    /// ```
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            org_id: None,
            expires_in_seconds: None,
        }
    }

    /// How long the token can be used, in seconds.
    ///
    /// ```
    /// let params = clerk_sdk::CreateSignInToken::new("user_1").expires_in_seconds(3600);
    /// ```
    pub fn expires_in_seconds(mut self, seconds: i64) -> Self {
        self.expires_in_seconds = Some(seconds);
        self
    }

    /// The organization to make active when the user signs in (a membership of theirs).
    ///
    /// ```
    /// let params = clerk_sdk::CreateSignInToken::new("user_1").org_id("org_1");
    /// ```
    pub fn org_id(mut self, org_id: impl Into<String>) -> Self {
        self.org_id = Some(org_id.into());
        self
    }
}

/// The actor tokens handler, from [`Clerk::actor_tokens`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let revoked = clerk.actor_tokens().revoke("act_1").await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ActorTokens<'a> {
    clerk: &'a Clerk,
}

impl ActorTokens<'_> {
    /// Creates an actor token (`POST /actor_tokens`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateActorToken;
    /// let token = clerk
    ///     .actor_tokens()
    ///     .create(CreateActorToken::new("user_1", "user_admin").session_max_duration_in_seconds(600))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateActorToken) -> Result<ActorToken> {
        self.clerk
            .send(ApiRequest::post(&["actor_tokens"])?.json(&params)?)
            .await
    }

    /// Revokes a pending actor token (`POST /actor_tokens/{id}/revoke`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let token = clerk.actor_tokens().revoke("act_1").await?;
    /// # Ok(()) }
    /// ```
    pub async fn revoke(&self, actor_token_id: &str) -> Result<ActorToken> {
        self.clerk
            .send(ApiRequest::post(&[
                "actor_tokens",
                actor_token_id,
                "revoke",
            ])?)
            .await
    }
}

/// The body of [`ActorTokens::create`].
///
/// ```
/// let params = clerk_sdk::CreateActorToken::new("user_1", "user_admin")
///     .actor_claim("iss", "support-console")
///     .expires_in_seconds(600);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[must_use]
pub struct CreateActorToken {
    user_id: String,
    actor: Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in_seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_max_duration_in_seconds: Option<i64>,
}

impl CreateActorToken {
    /// `actor_sub` (the ID of who impersonates) impersonates `user_id`.
    ///
    /// ```
    /// let params = clerk_sdk::CreateActorToken::new("user_1", "user_admin");
    /// ```
    pub fn new(user_id: impl Into<String>, actor_sub: impl Into<String>) -> Self {
        let mut actor = Map::new();
        actor.insert("sub".into(), Value::String(actor_sub.into()));
        Self {
            user_id: user_id.into(),
            actor,
            expires_in_seconds: None,
            session_max_duration_in_seconds: None,
        }
    }

    /// Another claim of the actor object (it goes into the session's tokens' `act`).
    ///
    /// ```
    /// let params = clerk_sdk::CreateActorToken::new("user_1", "user_admin").actor_claim("iss", "support");
    /// ```
    pub fn actor_claim(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.actor.insert(name.into(), value.into());
        self
    }

    /// How long the token can be used, in seconds (default 1 hour).
    ///
    /// ```
    /// let params = clerk_sdk::CreateActorToken::new("user_1", "user_admin").expires_in_seconds(60);
    /// ```
    pub fn expires_in_seconds(mut self, seconds: i64) -> Self {
        self.expires_in_seconds = Some(seconds);
        self
    }

    /// How long the impersonation session lasts, in seconds (default 30 minutes).
    ///
    /// ```
    /// let params = clerk_sdk::CreateActorToken::new("user_1", "user_admin")
    ///     .session_max_duration_in_seconds(600);
    /// ```
    pub fn session_max_duration_in_seconds(mut self, seconds: i64) -> Self {
        self.session_max_duration_in_seconds = Some(seconds);
        self
    }
}

/// The testing tokens handler, from [`Clerk::testing_tokens`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let token = clerk.testing_tokens().create().await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct TestingTokens<'a> {
    clerk: &'a Clerk,
}

impl TestingTokens<'_> {
    /// Creates a testing token (`POST /testing_tokens`, no body).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let token = clerk.testing_tokens().create().await?;
    /// println!("expires at {}", token.expires_at);
    /// # Ok(()) }
    /// ```
    pub async fn create(&self) -> Result<TestingToken> {
        self.clerk
            .send(ApiRequest::post(&["testing_tokens"])?)
            .await
    }
}
