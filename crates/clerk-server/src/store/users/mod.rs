//! Users: their rows, declared once ([`UserRecord`]), read with their identifications, and
//! written whole.
//!
//! A write loads the user locked ([`lock`]), the domain changes the record in Rust, and
//! [`save`] writes every column back together with the derived columns ([`derived`]): sort
//! keys for `order_by` and lowercase haystacks for the `query` filters. So every way a user
//! changes goes through one statement, and the derived columns cannot go stale. The
//! filtered and ordered list is in [`list`].

mod derived;
pub(crate) mod list;

use serde_json::{Map, Value};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::external_accounts::{self, ExternalAccount};
use super::identifications::{self, Identification};
use super::passkeys::{self, Passkey};
use super::record::{column_list, record};
use super::sql::{Sql, unique_violation};
use super::{Dialect, Result, Store, StoreError, Tx, Unique};
use crate::domain::identifiers::IdentifierKind;
use crate::domain::password::PasswordDigest;
use crate::secret::Secret;

pub(crate) use derived::DerivedColumns;

record! {
    /// A user's own columns.
    #[derive(Debug, Clone)]
    pub(crate) struct UserRecord {
        id: String,
        external_id: Option<String>,
        username: Option<String>,
        first_name: Option<String>,
        last_name: Option<String>,
        locale: Option<String>,
        password_digest: Option<Secret>,
        password_hasher: Option<String>,
        password_last_updated_at: Option<i64>,
        primary_email_address_id: Option<String>,
        primary_phone_number_id: Option<String>,
        primary_web3_wallet_id: Option<String>,
        public_metadata: Map<String, Value>,
        private_metadata: Map<String, Value>,
        unsafe_metadata: Map<String, Value>,
        totp_enabled: bool,
        backup_code_enabled: bool,
        mfa_enabled_at: Option<i64>,
        mfa_disabled_at: Option<i64>,
        banned: bool,
        locked_at: Option<i64>,
        /// Failed password checks since the last success or unlock (the lockout counter).
        failed_verification_attempts: i64,
        delete_self_enabled: bool,
        create_organization_enabled: bool,
        create_organizations_limit: Option<i64>,
        bypass_client_trust: bool,
        /// The uploaded profile image (`images`), if any.
        image_id: Option<String>,
        /// When the password was set as compromised; `None` when it is not.
        password_compromised_at: Option<i64>,
        /// The TOTP secret (base32), sealed with the vault.
        totp_secret: Option<Secret>,
        /// The SHA-256 (hex) of each unused backup code, space-separated.
        backup_code_digests: Option<String>,
        legal_accepted_at: Option<i64>,
        last_sign_in_at: Option<i64>,
        last_active_at: Option<i64>,
        created_at: i64,
        updated_at: i64,
    }
}

impl UserRecord {
    /// The stored password, if the user has one.
    pub(crate) fn password(&self) -> Option<PasswordDigest> {
        let digest = self.password_digest.clone()?;
        let hasher = self.password_hasher.clone()?;
        Some(PasswordDigest { digest, hasher })
    }

    /// Sets (or with `None` removes) the password; a new (or no) password is not compromised.
    pub(crate) fn set_password(&mut self, password: Option<PasswordDigest>, now_ms: i64) {
        self.password_compromised_at = None;
        self.password_last_updated_at = password.as_ref().map(|_| now_ms);
        self.password_hasher = password.as_ref().map(|p| p.hasher.clone());
        self.password_digest = password.map(|p| p.digest);
    }

    /// Whether the user is locked at `now_ms` given the lockout duration (`None`: locks last
    /// until unlocked), and the seconds left when the lock expires.
    pub(crate) fn lock_state(&self, now_ms: i64, lockout_ms: Option<i64>) -> (bool, Option<i64>) {
        match (self.locked_at, lockout_ms) {
            (None, _) => (false, None),
            (Some(_), None) => (true, None),
            (Some(locked_at), Some(lockout)) => {
                let remaining_ms = locked_at.saturating_add(lockout) - now_ms;
                if remaining_ms > 0 {
                    (true, Some((remaining_ms + 999) / 1000))
                } else {
                    (false, None)
                }
            }
        }
    }

    /// The id of the primary identification of `kind`.
    pub(crate) fn primary_id(&self, kind: IdentifierKind) -> Option<&str> {
        match kind {
            IdentifierKind::EmailAddress => self.primary_email_address_id.as_deref(),
            IdentifierKind::PhoneNumber => self.primary_phone_number_id.as_deref(),
            IdentifierKind::Web3Wallet => self.primary_web3_wallet_id.as_deref(),
        }
    }

    /// Sets (or clears) the primary identification of `kind`.
    pub(crate) fn set_primary(&mut self, kind: IdentifierKind, id: Option<String>) {
        match kind {
            IdentifierKind::EmailAddress => self.primary_email_address_id = id,
            IdentifierKind::PhoneNumber => self.primary_phone_number_id = id,
            IdentifierKind::Web3Wallet => self.primary_web3_wallet_id = id,
        }
    }
}

/// A user with its identifications, passkeys and external accounts (each oldest first).
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub record: UserRecord,
    pub identifications: Vec<Identification>,
    pub passkeys: Vec<Passkey>,
    pub external_accounts: Vec<ExternalAccount>,
}

impl User {
    /// The identifications of one kind.
    pub(crate) fn of_kind(&self, kind: IdentifierKind) -> impl Iterator<Item = &Identification> {
        self.identifications.iter().filter(move |i| i.kind == kind)
    }

    /// The primary identification of `kind`.
    pub(crate) fn primary(&self, kind: IdentifierKind) -> Option<&Identification> {
        let id = self.record.primary_id(kind)?;
        self.identifications.iter().find(|i| i.id == id)
    }
}

/// Maps a unique violation on the users table to the value that was taken.
fn user_conflict(err: sqlx::Error) -> StoreError {
    match unique_violation(&err) {
        Some(what) if what.contains("username") => StoreError::Taken(Unique::Username),
        Some(what) if what.contains("external_id") => StoreError::Taken(Unique::ExternalId),
        _ => err.into(),
    }
}

/// `SELECT <user columns>, <its identifications>, <its passkeys>, <its external accounts>
/// FROM users`: a user with everything it is shown with, in one row.
pub(super) fn select_users(dialect: Dialect) -> String {
    let text = |expression: String, name: &str| match dialect {
        Dialect::Sqlite => format!("{expression} AS {name}"),
        Dialect::Postgres => format!("{expression}::text AS {name}"),
    };
    format!(
        "SELECT {}, {}, {}, {} FROM users",
        column_list(UserRecord::COLUMNS),
        identifications::aggregate_column(dialect),
        text(
            passkeys::aggregate_expression(dialect, "users.id"),
            "passkeys_json"
        ),
        text(
            external_accounts::aggregate_expression(dialect, "users.id"),
            "external_accounts_json"
        ),
    )
}

/// A user and its identifications, passkeys and external accounts from a row of
/// [`select_users`].
pub(super) fn user_from_row(row: &AnyRow) -> Result<User> {
    let record = UserRecord::from_row(row)?;
    let json: String = row.try_get("identifications_json")?;
    let identifications = identifications::from_aggregate(&record.id, &json)?;
    let parse = |column: &str| -> Result<Value> {
        let text: String = row.try_get(column)?;
        serde_json::from_str(&text).map_err(|e| decode(format!("{column}: {e}")))
    };
    let passkeys = linked_rows(parse("passkeys_json")?, Passkey::from_json)?;
    let external_accounts =
        linked_rows(parse("external_accounts_json")?, ExternalAccount::from_json)?;
    Ok(User {
        record,
        identifications,
        passkeys,
        external_accounts,
    })
}

/// A correlated subquery giving the rows of `table` whose `user_id` is the SQL expression
/// `user_id`, as a JSON array of arrays of `columns`, in insertion order (`seq`); `[]` when
/// there are none.
pub(crate) fn rows_json(dialect: Dialect, table: &str, columns: &[&str], user_id: &str) -> String {
    let columns: Vec<String> = columns.iter().map(|c| format!("t.{c}")).collect();
    let columns = columns.join(", ");
    match dialect {
        Dialect::Sqlite => format!(
            "(SELECT json_group_array(json_array({columns}) ORDER BY t.seq) FROM {table} t \
             WHERE t.user_id = {user_id})"
        ),
        Dialect::Postgres => format!(
            "(SELECT COALESCE(json_agg(json_build_array({columns}) ORDER BY t.seq), '[]') \
             FROM {table} t WHERE t.user_id = {user_id})"
        ),
    }
}

/// The records of a [`rows_json`] array, each read with `read` (a record's `from_json`).
pub(super) fn linked_rows<T>(
    json: Value,
    read: impl Fn(Vec<Value>) -> std::result::Result<T, sqlx::Error>,
) -> Result<Vec<T>> {
    let Value::Array(items) = json else {
        return Err(decode("linked rows are not a JSON array".into()));
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::Array(values) => Ok(read(values)?),
            _ => Err(decode("a linked row is not a JSON array".into())),
        })
        .collect()
}

fn decode(detail: String) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(detail.into()))
}

/// `SELECT … FROM users WHERE id = $1`.
pub(super) fn select_by_id(dialect: Dialect, id: &str) -> Sql {
    let mut sql = Sql::new(&format!("{} WHERE id = ", select_users(dialect)));
    sql.bind(id);
    sql
}

/// Loads a user with its identifications; `lock` is [`Dialect::for_update`] in
/// read-modify-write transactions.
pub(crate) async fn load(
    conn: &mut AnyConnection,
    dialect: Dialect,
    id: &str,
    lock: &str,
) -> Result<Option<User>> {
    let mut sql = select_by_id(dialect, id);
    sql.push(lock);
    let row = sql.query().fetch_optional(&mut *conn).await?;
    row.as_ref().map(user_from_row).transpose()
}

/// Loads a user that must exist, locking its row for the rest of the transaction (the
/// first step of every change to a user): [`StoreError::NotFound`] if there is none.
pub(crate) async fn lock(tx: &mut Tx, dialect: Dialect, id: &str) -> Result<User> {
    load(tx, dialect, id, dialect.for_update())
        .await?
        .ok_or_else(|| StoreError::not_found("user", id))
}

/// Inserts complete users (their own columns and the derived ones) in one statement, and
/// then their identifications. A taken username or external id is [`StoreError::Taken`];
/// so is a taken identifier, named by its kind (identifications are inserted one by one
/// for that).
pub(crate) async fn insert(tx: &mut Tx, users: &[User]) -> Result<()> {
    insert_rows(tx, users).await
}

/// [`insert`]: the users' rows in one statement, then their identifications.
async fn insert_rows(tx: &mut Tx, users: &[User]) -> Result<()> {
    if users.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(&format!(
        "INSERT INTO users ({}, {}) VALUES ",
        column_list(UserRecord::COLUMNS),
        DerivedColumns::NAMES
    ));
    for (i, user) in users.iter().enumerate() {
        sql.push(if i == 0 { "(" } else { ", (" });
        sql.bind_separated(user.record.args());
        sql.push(", ");
        sql.bind_separated(DerivedColumns::of(user).args());
        sql.push(")");
    }
    sql.query()
        .execute(&mut **tx)
        .await
        .map_err(user_conflict)?;
    if users.len() == 1 {
        for ident in &users[0].identifications {
            identifications::insert(tx, ident).await?;
        }
    } else {
        let all: Vec<Identification> = users
            .iter()
            .flat_map(|u| u.identifications.iter().cloned())
            .collect();
        identifications::insert_many(tx, &all).await?;
    }
    Ok(())
}

/// Writes a user's record back whole, with its derived columns recomputed from `user` as
/// it is (identifications included). The user must have been [`lock`]ed in `tx`.
pub(crate) async fn save(tx: &mut Tx, user: &User) -> Result<()> {
    let mut sql = Sql::new("UPDATE users SET ");
    let columns = UserRecord::COLUMNS.iter().chain(DerivedColumns::COLUMNS);
    let values = user
        .record
        .args()
        .into_iter()
        .chain(DerivedColumns::of(user).args());
    for (i, (column, value)) in columns.zip(values).enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push(column).push(" = ").bind(value);
    }
    sql.push(" WHERE id = ").bind(&user.record.id);
    sql.query()
        .execute(&mut **tx)
        .await
        .map_err(user_conflict)?;
    Ok(())
}

/// Deletes a user; its identifications, sessions and organization memberships go with it
/// (and the member counts of its organizations go down). False if there was none.
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<bool> {
    super::images::delete_of_owner(tx, id).await?;
    sqlx::query(
        "UPDATE organizations SET members_count = members_count - 1 WHERE id IN \
         (SELECT organization_id FROM organization_memberships WHERE user_id = $1)",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let deleted = sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

impl Store {
    /// Writes complete users in one transaction, many rows per statement: the bulk path of
    /// seeding. PostgreSQL gains from large statements (fewer round trips; it allows 65,535
    /// values). SQLite has no round trips, and sqlx looks up each `$n` parameter's name by
    /// walking SQLite's list of names, which makes binding quadratic in the number of
    /// parameters: there, small statements are faster.
    pub(crate) async fn insert_users_in_bulk(&self, users: &[User]) -> Result<()> {
        let rows_per_statement = match self.dialect() {
            Dialect::Sqlite => 8,
            Dialect::Postgres => 500,
        };
        let mut work = super::UnitOfWork::begin(self).await?;
        for chunk in users.chunks(rows_per_statement) {
            insert_rows(work.tx(), chunk).await?;
        }
        work.commit().await
    }

    /// A user by id.
    pub(crate) async fn user(&self, id: &str) -> Result<Option<User>> {
        let mut conn = self.read().await?;
        load(&mut conn, self.dialect(), id, "").await
    }
}
