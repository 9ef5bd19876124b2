//! Bulk seeding: many synthetic users written straight into the database, for load tests
//! and the scale benchmark. See [`crate::seed_users`] for what the users look like.
//!
//! Rows are built in memory exactly as `POST /v1/users` builds them (the same
//! [`NewUser::into_user`] and the same derived columns), then written with multi-row
//! `INSERT`s, a few thousand users per transaction, with the indexes in place. What makes it
//! fast is what it skips: request parsing, per-row statements and, above all, per-user
//! password hashing (one digest is computed and shared by every seeded user).

use std::time::Duration;

use super::password::{self, PasswordDigest};
use super::users::{NewIdentifier, NewUser};
use crate::error::Error;
use crate::secret::Secret;
use crate::store::users::User;
use crate::store::{Store, StoreError};

/// How many users one transaction writes: a commit (an fsync on SQLite) per 2,000 users.
const USERS_PER_TRANSACTION: usize = 2000;
/// Seeded users are created this far apart, the last one "now".
const CREATED_EVERY_MS: i64 = 1000;
/// Progress is logged every this many users.
const LOG_EVERY: u64 = 100_000;

/// How many users to seed, and how. Build it with [`SeedUsers::new`] and the `with_*`
/// methods, then pass it to [`crate::seed_users`].
///
/// ```
/// use clerk_server::SeedUsers;
///
/// // Users #1000 to #1999, all with the password "correct horse battery".
/// let seed = SeedUsers::new(1000)
///     .starting_at(1000)
///     .with_password("correct horse battery");
/// assert_eq!(seed.count(), 1000);
/// // Debug output never shows the password.
/// assert!(!format!("{seed:?}").contains("horse"));
/// ```
#[derive(Debug, Clone)]
pub struct SeedUsers {
    count: u64,
    first_index: u64,
    password: Option<Secret>,
}

impl SeedUsers {
    /// `count` users, numbered from 0.
    ///
    /// ```
    /// use clerk_server::SeedUsers;
    ///
    /// let seed = SeedUsers::new(10_000);
    /// assert_eq!(seed.indexes(), 0..10_000);
    /// ```
    pub fn new(count: u64) -> Self {
        Self {
            count,
            first_index: 0,
            password: None,
        }
    }

    /// Numbers the users from `index` (default 0), to add users to a database seeded
    /// before: indexes must not repeat, since each index has its own email and username.
    ///
    /// ```
    /// use clerk_server::SeedUsers;
    ///
    /// // A database seeded with users 0..10_000 grows by 5_000 more.
    /// let more = SeedUsers::new(5_000).starting_at(10_000);
    /// assert_eq!(more.indexes(), 10_000..15_000);
    /// ```
    pub fn starting_at(mut self, index: u64) -> Self {
        self.first_index = index;
        self
    }

    /// Gives every user this password (hashed once, with argon2id, and the digest shared).
    /// Without one, the users have no password.
    ///
    /// ```
    /// use clerk_server::SeedUsers;
    ///
    /// let seed = SeedUsers::new(100).with_password("load-test-password");
    /// assert!(format!("{seed:?}").contains("Secret([redacted])"));
    /// ```
    pub fn with_password(mut self, password: impl Into<Secret>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// How many users this seeds.
    ///
    /// ```
    /// assert_eq!(clerk_server::SeedUsers::new(250).starting_at(1000).count(), 250);
    /// ```
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The indexes of the users this seeds.
    ///
    /// ```
    /// use clerk_server::{SeedUsers, SeededUser};
    ///
    /// // The emails a load test can sign in with, without asking the server.
    /// let emails: Vec<String> = SeedUsers::new(3)
    ///     .starting_at(7)
    ///     .indexes()
    ///     .map(|i| SeededUser::at(i).email_address)
    ///     .collect();
    /// assert_eq!(emails.len(), 3);
    /// assert_eq!(emails[0], SeededUser::at(7).email_address);
    /// ```
    pub fn indexes(&self) -> std::ops::Range<u64> {
        self.first_index..self.first_index.saturating_add(self.count)
    }
}

/// What [`crate::seed_users`] did.
///
/// ```no_run
/// # async fn run() -> Result<(), clerk_server::Error> {
/// use clerk_server::{Config, SeedUsers, seed_users};
///
/// let report = seed_users(&Config::new("sqlite://bench.db"), &SeedUsers::new(50_000)).await?;
/// let per_second = report.users as f64 / report.elapsed.as_secs_f64();
/// println!("{} users, {per_second:.0} per second", report.users);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SeedReport {
    /// How many users were written.
    pub users: u64,
    /// How long it took, hashing and statistics included.
    pub elapsed: Duration,
}

/// The identity of seeded user number `index`: deterministic, so a load test knows who
/// exists without asking the server.
///
/// Each user has a `tag` of 7 lowercase base-36 characters that no other seeded user has
/// (a bijection of the index); it appears in the email address and the username, so
/// `query=<tag>` finds exactly that user, and the trigrams of tags spread evenly, as the
/// local parts of real addresses do. Names come from small lists, so `name_query` matches
/// many users.
///
/// ```
/// use clerk_server::SeededUser;
///
/// let user = SeededUser::at(42);
/// assert_eq!(user.tag.len(), 7);
/// assert!(user.email_address.contains(&user.tag));
/// assert!(user.username.ends_with(&user.tag));
/// assert_ne!(SeededUser::at(43).tag, user.tag);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SeededUser {
    /// The index the user was seeded with.
    pub index: u64,
    /// 7 base-36 characters unique to this user.
    pub tag: String,
    /// Capitalised, e.g. `Maria`.
    pub first_name: String,
    /// Capitalised, e.g. `Garcia`.
    pub last_name: String,
    /// `<first>.<last>.<tag>@example.<com|org|net>`, lowercase; verified and primary.
    pub email_address: String,
    /// `<first>_<tag>`, lowercase.
    pub username: String,
}

const FIRST_NAMES: [&str; 32] = [
    "Ada", "Alan", "Amara", "Ana", "Aziz", "Bea", "Carlos", "Chen", "Dara", "Elif", "Emeka",
    "Farah", "Grace", "Hana", "Ines", "Ivan", "Jonas", "Kai", "Lena", "Liam", "Maria", "Mateo",
    "Nadia", "Noah", "Olga", "Priya", "Ravi", "Sara", "Tomas", "Uma", "Yara", "Zoe",
];
const LAST_NAMES: [&str; 32] = [
    "Abe", "Adeyemi", "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad",
    "Ivanova", "Jensen", "Kim", "Kowalski", "Lopez", "Moreau", "Nakamura", "Novak", "Okafor",
    "Olsen", "Patel", "Quinn", "Rossi", "Sato", "Schmidt", "Silva", "Tanaka", "Torres", "Usman",
    "Virtanen", "Wong", "Yilmaz", "Zhang",
];
const DOMAINS: [&str; 3] = ["example.com", "example.org", "example.net"];

/// The largest index plus one: tags are a bijection of 32-bit indexes.
const MAX_INDEX: u64 = 1 << 32;

impl SeededUser {
    /// Seeded user number `index` (indexes are below 2³²).
    ///
    /// ```
    /// use clerk_server::SeededUser;
    ///
    /// let user = SeededUser::at(0);
    /// assert_eq!(user, SeededUser::at(0)); // deterministic
    /// assert_eq!(user.index, 0);
    /// assert_eq!(user.username, format!("{}_{}", user.first_name.to_lowercase(), user.tag));
    /// ```
    pub fn at(index: u64) -> Self {
        let tag = tag(index);
        let h = mix64(index);
        let first_name = FIRST_NAMES[(h % 32) as usize];
        let last_name = LAST_NAMES[((h >> 8) % 32) as usize];
        let domain = DOMAINS[((h >> 16) % 3) as usize];
        let first = first_name.to_lowercase();
        Self {
            index,
            email_address: format!("{first}.{}.{tag}@{domain}", last_name.to_lowercase()),
            username: format!("{first}_{tag}"),
            first_name: first_name.to_owned(),
            last_name: last_name.to_owned(),
            tag,
        }
    }

    /// The user as `POST /v1/users` would create it, created at `created_at_ms`.
    fn into_user(self, password: Option<PasswordDigest>, created_at_ms: i64) -> User {
        NewUser {
            first_name: Some(self.first_name),
            last_name: Some(self.last_name),
            username: Some(self.username),
            email_addresses: vec![NewIdentifier {
                value: self.email_address,
                verified: true,
                reserved: false,
            }],
            password,
            delete_self_enabled: true,
            create_organization_enabled: true,
            ..NewUser::default()
        }
        .into_user(created_at_ms)
    }
}

/// 7 base-36 digits of a bijection of the low 32 bits of `index`.
fn tag(index: u64) -> String {
    // Each step (xor with a shifted copy, multiplication by an odd constant) is a bijection
    // of u32, so distinct indexes get distinct tags. Truncation to u32 is intended: indexes
    // are checked to be below 2^32.
    let mut x = (index as u32) ^ 0x5bd1_e995;
    x ^= x >> 16;
    x = x.wrapping_mul(0x7feb_352d);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846c_a68b);
    x ^= x >> 16;
    let mut digits = [b'0'; 7];
    for digit in digits.iter_mut().rev() {
        *digit = b"0123456789abcdefghijklmnopqrstuvwxyz"[(x % 36) as usize];
        x /= 36;
    }
    String::from_utf8_lossy(&digits).into_owned()
}

/// A 64-bit mix (splitmix64's finaliser) to pick names independently of the tag.
fn mix64(index: u64) -> u64 {
    let mut z = index.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Writes the users of `seed` into `store`, created one second apart, the last at `now_ms`.
pub(crate) async fn seed_users(store: &Store, seed: &SeedUsers, now_ms: i64) -> Result<u64, Error> {
    let indexes = seed.indexes();
    if indexes.end > MAX_INDEX || indexes.end - indexes.start < seed.count {
        return Err(Error::InvalidConfig(format!(
            "seeded user indexes must stay below {MAX_INDEX}"
        )));
    }
    let password = seed_password(seed).await?;
    let first_created_at = now_ms - (seed.count.saturating_sub(1) as i64) * CREATED_EVERY_MS;
    let per_transaction = USERS_PER_TRANSACTION as u64;
    let mut written = 0;
    let mut next = indexes.start;
    while next < indexes.end {
        let end = (next + per_transaction).min(indexes.end);
        let batch: Vec<User> = (next..end)
            .map(|index| {
                let created_at =
                    first_created_at + (index - indexes.start) as i64 * CREATED_EVERY_MS;
                SeededUser::at(index).into_user(password.clone(), created_at)
            })
            .collect();
        store
            .insert_users_in_bulk(&batch)
            .await
            .map_err(|err| seeding_failed(err, next, end, written))?;
        written += batch.len() as u64;
        if written % LOG_EVERY < per_transaction || end == indexes.end {
            tracing::info!(written, total = seed.count, "seeding users");
        }
        next = end;
    }
    store
        .analyze_users()
        .await
        .map_err(|err| Error::Database(Box::new(err)))?;
    Ok(written)
}

/// The digest every seeded user shares, hashed once.
async fn seed_password(seed: &SeedUsers) -> Result<Option<PasswordDigest>, Error> {
    let Some(plain) = seed.password.clone() else {
        return Ok(None);
    };
    let hashed = tokio::task::spawn_blocking(move || password::hash_now(&plain))
        .await
        .map_err(|e| Error::InvalidConfig(e.to_string()))?;
    hashed
        .map(Some)
        .map_err(|e| Error::InvalidConfig(format!("hashing the seed password: {e}")))
}

/// What to say when the batch of users `next..end` could not be written.
fn seeding_failed(err: StoreError, next: u64, end: u64, written: u64) -> Error {
    if err.is_taken() {
        return Error::InvalidConfig(format!(
            "seeded users {next}..{end} clash with users already in the database; \
             seed from an index past the ones seeded before (SeedUsers::starting_at)"
        ));
    }
    // Earlier batches are committed: say where to resume.
    Error::Database(
        format!(
            "seeding stopped at user {next} ({written} users written before, \
             resume with SeedUsers::starting_at({next})): {err}"
        )
        .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_distinct_and_seven_base36_digits() {
        let mut seen = std::collections::HashSet::new();
        for index in (0..200_000).chain([MAX_INDEX - 1]) {
            let tag = tag(index);
            assert_eq!(tag.len(), 7);
            assert!(
                tag.bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
            );
            assert!(seen.insert(tag), "index {index} repeats a tag");
        }
    }

    #[test]
    fn seeded_users_are_valid_identifiers() {
        for index in [0, 1, 77, 999_999] {
            let user = SeededUser::at(index);
            crate::domain::identifiers::normalize_email("email_address", &user.email_address)
                .unwrap();
            assert_eq!(
                crate::domain::identifiers::normalize_username("username", &user.username).unwrap(),
                user.username
            );
        }
    }
}
