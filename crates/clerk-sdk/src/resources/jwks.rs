//! The instance's JSON Web Key Set: `clerk.jwks()`.

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::Jwks;

impl Clerk {
    /// The public keys that sign the instance's session tokens.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let jwks = clerk.jwks().get().await?;
    /// # Ok(()) }
    /// ```
    pub fn jwks(&self) -> JwksApi<'_> {
        JwksApi { clerk: self }
    }
}

/// The JWKS handler, from [`Clerk::jwks`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let jwks = clerk.jwks().get().await?;
/// println!("{} key(s)", jwks.keys.len());
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct JwksApi<'a> {
    clerk: &'a Clerk,
}

impl JwksApi<'_> {
    /// Fetches the JWKS (`GET /jwks`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let jwks = clerk.jwks().get().await?;
    /// for key in &jwks.keys {
    ///     println!("{} {}", key.kid, key.alg);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get(&self) -> Result<Jwks> {
        self.clerk.send(ApiRequest::get(&["jwks"])?).await
    }
}
