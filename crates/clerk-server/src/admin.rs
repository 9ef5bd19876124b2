//! Administrative operations on a server's database, for tools such as `clerk keys rotate`.
//! They work on the database directly, so they need no running server (and are safe while
//! one runs: SQLite writers take turns, PostgreSQL locks).

use std::time::Instant;

use crate::config::Config;
use crate::domain::organizations::{
    self,
    seed::{SeedOrganization, SeededOrganization},
};
use crate::domain::seed::{self, SeedReport, SeedUsers};
use crate::error::Error;
use crate::keys::KeyRing;
use crate::server::{Opener, open_store};

/// The result of a signing-key rotation.
///
/// ```no_run
/// # async fn run() -> Result<(), clerk_server::Error> {
/// use clerk_server::{Config, RotatedKey, rotate_signing_key};
///
/// let config = Config::new("sqlite://clerk-local.db");
/// let RotatedKey { kid, retired, .. } = rotate_signing_key(&config).await?;
/// assert!(!retired.contains(&kid));
/// println!("signing with {kid}; {} key(s) leave the JWKS after the grace period", retired.len());
/// # Ok(())
/// # }
/// ```
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
/// from now on. The database is created and migrated if needed. `config` must carry what the
/// signing keys are sealed with: the master key, or on PostgreSQL without one the secret key
/// (a SQLite database's key file is found beside it); see [`Config::with_master_key`].
///
/// ```no_run
/// # async fn run() -> Result<(), clerk_server::Error> {
/// let rotated = clerk_server::rotate_signing_key(&clerk_server::Config::default()).await?;
/// println!("now signing with {}; retired {:?}", rotated.kid, rotated.retired);
/// # Ok(())
/// # }
/// ```
pub async fn rotate_signing_key(config: &Config) -> Result<RotatedKey, Error> {
    let (store, _, vault) = open_store(config, Opener::KeyTool).await?;
    let vault = vault.ok_or_else(|| Error::Keys("the vault was not opened".into()))?;
    let rotation = KeyRing::new(vault)
        .rotate(&store, config.clock.now_ms())
        .await;
    store.close().await;
    let rotation = rotation.map_err(|err| Error::Keys(err.to_string()))?;
    Ok(RotatedKey {
        kid: rotation.key.kid().to_owned(),
        retired: rotation.retired,
    })
}

/// Writes many synthetic users straight into the database of `config` (created and
/// migrated if needed), for load tests and benchmarks: a million users take minutes, not
/// hours. Safe while servers run on the database.
///
/// Seeded user number *i* is [`crate::SeededUser::at`]`(i)`: a first and last name, a
/// username and one verified primary email address that contain a tag unique to the user,
/// no phone number, empty metadata; user *i* + 1 is created one second after user *i*, the
/// last one now. Everything else is what `POST /v1/users` would store for the same fields,
/// indexes and search columns included, so every filter finds seeded users.
///
/// It touches neither secret keys nor signing keys (the next server start prepares those), so
/// `config` needs no master or secret key.
///
/// It skips what makes `POST /v1/users` slow in bulk: request parsing, a statement per row,
/// and per-user password hashing. With [`SeedUsers::with_password`], the password is
/// hashed once and every user gets that digest. On PostgreSQL it ends with
/// `VACUUM ANALYZE`, as autovacuum would a little later, so that plans and the trigram
/// indexes are in their steady state at once.
///
/// Users are committed 2,000 at a time. Seeding indexes that were seeded before fails
/// (their emails exist) without writing the clashing batch: use [`SeedUsers::starting_at`]
/// to add more. A seed that fails part-way keeps the batches before the failure, and its
/// error says which index to resume from.
///
/// ```no_run
/// # async fn run() -> Result<(), clerk_server::Error> {
/// use clerk_server::{Config, SeedUsers, SeededUser, seed_users};
///
/// let config = Config::new("sqlite://load-test.db");
/// let report = seed_users(&config, &SeedUsers::new(100_000).with_password("hunter2hunter2")).await?;
/// println!("{} users in {:?}", report.users, report.elapsed);
/// println!("one of them: {}", SeededUser::at(4242).email_address);
/// # Ok(())
/// # }
/// ```
pub async fn seed_users(config: &Config, seed: &SeedUsers) -> Result<SeedReport, Error> {
    let started = Instant::now();
    let (store, _, _) = open_store(config, Opener::DataTool).await?;
    let written = seed::seed_users(&store, seed, config.clock.now_ms()).await;
    store.close().await;
    Ok(SeedReport {
        users: written?,
        elapsed: started.elapsed(),
    })
}

/// Creates an organization whose members are many of the database's users at once (see
/// [`seed_users`] for seeding the users), for load tests and benchmarks: the first member is
/// its `org:admin`, the others `org:member`. Members are the users in creation order,
/// from [`SeedOrganization::starting_at`]; a database with fewer users gives fewer members
/// (the report says how many).
///
/// ```no_run
/// # async fn run() -> Result<(), clerk_server::Error> {
/// use clerk_server::{Config, SeedOrganization, SeedUsers, seed_organization, seed_users};
///
/// let config = Config::new("sqlite://load-test.db");
/// seed_users(&config, &SeedUsers::new(100_000)).await?;
/// let big = seed_organization(&config, &SeedOrganization::new("Big Co", 100_000)).await?;
/// println!("{} has {} members", big.id, big.members);
/// # Ok(())
/// # }
/// ```
pub async fn seed_organization(
    config: &Config,
    seed: &SeedOrganization,
) -> Result<SeededOrganization, Error> {
    let (store, _, _) = open_store(config, Opener::DataTool).await?;
    let seeded = organizations::seed::seed_organization(&store, seed, config.clock.now_ms()).await;
    store.close().await;
    seeded
}
