//! What storage reports, in its own words: a row that is not there, a unique value already
//! taken, a request the stored data cannot answer, or the database itself failing. The web
//! face turns these into Clerk's errors in one place.

use std::fmt;

use crate::domain::identifiers::IdentifierKind;

/// A storage failure.
#[derive(Debug)]
pub(crate) enum StoreError {
    /// No `what` (`"user"`, `"email address"`, …) has this id.
    NotFound { what: &'static str, id: String },
    /// A value that must be unique is already used.
    Taken(Unique),
    /// A list's cursor (`starting_after`) names no row.
    UnknownCursor { id: String },
    /// The database failed; `fault` says whether it is worth retrying.
    Database(sqlx::Error),
}

/// The unique values storage guards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unique {
    Username,
    ExternalId,
    /// An email address, phone number or web3 wallet another user has.
    Identifier(IdentifierKind),
    /// A provider's account (`provider` + `provider_user_id`) another user has.
    ExternalAccount,
    /// A WebAuthn credential already registered as a passkey.
    PasskeyCredential,
    /// An identifier already on the allowlist.
    AllowlistIdentifier,
    /// An identifier already on the block-list.
    BlocklistIdentifier,
    /// A redirect URL already listed.
    RedirectUrl,
    /// An organization's slug.
    OrganizationSlug,
    /// A user already a member of the organization.
    Membership,
    /// An organization permission's key.
    PermissionKey,
    /// An organization role's key.
    RoleKey,
    /// A role set's key.
    RoleSetKey,
    /// A domain another organization has.
    DomainName,
}

/// Storage results.
pub(crate) type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    /// A [`StoreError::NotFound`].
    pub(crate) fn not_found(what: &'static str, id: impl Into<String>) -> Self {
        Self::NotFound {
            what,
            id: id.into(),
        }
    }
}

impl StoreError {
    /// Whether a unique value was taken, as storage named it or as the database said it.
    pub(crate) fn is_taken(&self) -> bool {
        match self {
            Self::Taken(_) => true,
            Self::Database(err) => super::sql::unique_violation(err).is_some(),
            _ => false,
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        Self::Database(err)
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound { what, id } => write!(f, "no {what} with id {id}"),
            Self::Taken(unique) => write!(f, "{unique:?} is taken"),
            Self::UnknownCursor { id } => write!(f, "no row {id} to start after"),
            Self::Database(err) => write!(f, "database error: {err}"),
        }
    }
}

impl std::error::Error for StoreError {}
