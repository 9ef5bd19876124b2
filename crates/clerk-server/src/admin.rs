//! Administrative operations on a server's database, for tools such as `clerk keys rotate`.
//! They work on the database directly, so they need no running server (and are safe while
//! one runs: SQLite writers take turns, PostgreSQL locks).

use crate::config::Config;
use crate::error::Error;
use crate::keys::KeyRing;
use crate::server::open_store;

/// The result of a signing-key rotation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RotatedKey {
    /// The key id (`kid`) of the new signing key.
    pub kid: String,
    /// The keys it replaced. They stay in the JWKS for the grace period
    /// ([`Config::with_key_grace_period`]), then leave it.
    pub retired: Vec<String>,
}

/// Generates a new signing key for the database of `config` and makes it the one that signs
/// from now on. The database is created and migrated if needed.
///
/// ```no_run
/// # async fn run() -> Result<(), clerk_server::Error> {
/// let rotated = clerk_server::rotate_signing_key(&clerk_server::Config::default()).await?;
/// println!("now signing with {}; retired {:?}", rotated.kid, rotated.retired);
/// # Ok(())
/// # }
/// ```
pub async fn rotate_signing_key(config: &Config) -> Result<RotatedKey, Error> {
    let (store, _) = open_store(config, false).await?;
    let rotation = KeyRing::default()
        .rotate(&store, config.clock.now_ms())
        .await;
    store.close().await;
    let rotation = rotation?;
    Ok(RotatedKey {
        kid: rotation.key.kid().to_owned(),
        retired: rotation.retired,
    })
}
