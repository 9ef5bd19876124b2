//! Bulk seeding of an organization with many members, for load tests and the scale
//! benchmark. See [`crate::seed_organization`]. Seeding writes the database directly, as a
//! data tool, and emits no webhook events.

use std::time::{Duration, Instant};

use serde_json::Map;

use crate::error::Error;
use crate::ids::{self, prefix};
use crate::store::organizations::memberships::{self, MembershipRecord};
use crate::store::organizations::{self as store, OrganizationRecord};
use crate::store::{Store, UnitOfWork};

use super::catalog::{ADMIN, DEFAULT_ROLE_SET, MEMBER};

/// How many memberships one transaction writes.
const MEMBERSHIPS_PER_TRANSACTION: usize = 5000;

/// An organization to seed: a name and how many of the database's users join it. Build it
/// with [`SeedOrganization::new`], then pass it to [`crate::seed_organization`].
///
/// ```
/// use clerk_server::SeedOrganization;
///
/// // The 100,000 users created first (the first of them its admin).
/// let seed = SeedOrganization::new("Big Co", 100_000);
/// assert_eq!(seed.members(), 100_000);
/// // Users 1,000 to 1,999 in creation order.
/// let small = SeedOrganization::new("Small Co", 1_000).starting_at(1_000);
/// assert_eq!(small.first_member(), 1_000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedOrganization {
    name: String,
    members: u64,
    first_member: u64,
}

impl SeedOrganization {
    /// An organization named `name` whose members are the `members` users created first.
    pub fn new(name: impl Into<String>, members: u64) -> Self {
        Self {
            name: name.into(),
            members,
            first_member: 0,
        }
    }

    /// Skips the `index` users created first: members are the users from there on, in
    /// creation order.
    pub fn starting_at(mut self, index: u64) -> Self {
        self.first_member = index;
        self
    }

    /// How many members it gets.
    pub fn members(&self) -> u64 {
        self.members
    }

    /// The position (in creation order) of its first member.
    pub fn first_member(&self) -> u64 {
        self.first_member
    }
}

/// What [`crate::seed_organization`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SeededOrganization {
    /// The organization id (`org_…`).
    pub id: String,
    /// Its slug.
    pub slug: String,
    /// How many members it got (fewer than asked when the database has fewer users).
    pub members: u64,
    /// The id of its first member, who is its admin (`None` without members).
    pub admin_id: Option<String>,
    /// How long it took.
    pub elapsed: Duration,
}

/// Creates the organization and its memberships: the first member `org:admin`, the others
/// `org:member`, written many rows per statement and thousands per transaction.
pub(crate) async fn seed_organization(
    store: &Store,
    seed: &SeedOrganization,
    now_ms: i64,
) -> Result<SeededOrganization, Error> {
    let started = Instant::now();
    let user_ids = memberships::user_ids_in_creation_order(store, seed.first_member, seed.members)
        .await
        .map_err(|e| Error::Database(Box::new(e)))?;
    let organization = OrganizationRecord {
        id: ids::new_id(prefix::ORGANIZATION, now_ms),
        name: seed.name.clone(),
        slug: format!(
            "{}-{}",
            super::slug_of(&seed.name),
            ids::random_base62(6).to_lowercase()
        ),
        image_id: None,
        max_allowed_memberships: 0,
        admin_delete_enabled: true,
        public_metadata: Map::new(),
        private_metadata: Map::new(),
        created_by: user_ids.first().cloned(),
        role_set_key: Some(DEFAULT_ROLE_SET.to_owned()),
        created_at: now_ms,
        updated_at: now_ms,
    };
    let db = |e| Error::Database(Box::new(e));
    let mut work = UnitOfWork::begin(store).await.map_err(db)?;
    store::insert(work.tx(), &organization).await.map_err(db)?;
    work.commit().await.map_err(db)?;
    for (chunk_index, chunk) in user_ids.chunks(MEMBERSHIPS_PER_TRANSACTION).enumerate() {
        let records: Vec<MembershipRecord> = chunk
            .iter()
            .enumerate()
            .map(|(i, user_id)| {
                let first = chunk_index == 0 && i == 0;
                MembershipRecord {
                    id: ids::new_id(prefix::ORGANIZATION_MEMBERSHIP, now_ms),
                    organization_id: organization.id.clone(),
                    user_id: user_id.clone(),
                    role: if first { ADMIN } else { MEMBER }.to_owned(),
                    public_metadata: Map::new(),
                    private_metadata: Map::new(),
                    created_at: now_ms,
                    updated_at: now_ms,
                }
            })
            .collect();
        let mut work = UnitOfWork::begin(store).await.map_err(db)?;
        memberships::insert_many(work.tx(), store.dialect(), &records)
            .await
            .map_err(db)?;
        work.commit().await.map_err(db)?;
    }
    store
        .analyze_memberships()
        .await
        .map_err(|e| Error::Database(Box::new(e)))?;
    Ok(SeededOrganization {
        id: organization.id,
        slug: organization.slug,
        members: user_ids.len() as u64,
        admin_id: user_ids.first().cloned(),
        elapsed: started.elapsed(),
    })
}
