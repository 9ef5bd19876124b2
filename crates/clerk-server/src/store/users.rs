//! Users: creation, lookup, the filtered and ordered list, updates, metadata, ban and lock.
//!
//! Besides its own columns a user row keeps derived columns the store recomputes after
//! every change (in [`touch_and_refresh`]): sort keys for `order_by` (the primary email,
//! phone and wallet) and lowercase haystacks for the `query` filters.

use serde_json::{Map, Value};
use sqlx::AnyConnection;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::identifications::{self, Identification};
use super::sessions;
use super::sql::{Arg, QueryPlan, Sql, explain, get_flag, get_json_object, unique_violation};
use super::{Dialect, Store, flag};
use crate::body::Patch;
use crate::clock::start_of_day_ms;
use crate::error::ApiError;
use crate::identifiers::IdentifierKind;
use crate::ids::{self, prefix};
use crate::metadata::{check_size, deep_merge};
use crate::password::PasswordDigest;
use crate::query::Page;
use crate::secret::Secret;

/// A user's own columns.
#[derive(Debug, Clone)]
pub(crate) struct UserRecord {
    pub id: String,
    pub external_id: Option<String>,
    pub username: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub locale: Option<String>,
    pub password: Option<PasswordDigest>,
    pub password_last_updated_at: Option<i64>,
    pub primary_email_address_id: Option<String>,
    pub primary_phone_number_id: Option<String>,
    pub primary_web3_wallet_id: Option<String>,
    pub public_metadata: Map<String, Value>,
    pub private_metadata: Map<String, Value>,
    pub unsafe_metadata: Map<String, Value>,
    pub totp_enabled: bool,
    pub backup_code_enabled: bool,
    pub mfa_enabled_at: Option<i64>,
    pub mfa_disabled_at: Option<i64>,
    pub banned: bool,
    pub locked_at: Option<i64>,
    /// Failed password checks since the last success or unlock (the lockout counter).
    pub failed_verification_attempts: i64,
    pub delete_self_enabled: bool,
    pub create_organization_enabled: bool,
    pub create_organizations_limit: Option<i64>,
    pub bypass_client_trust: bool,
    pub legal_accepted_at: Option<i64>,
    pub last_sign_in_at: Option<i64>,
    pub last_active_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl UserRecord {
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
}

/// A user with its identifications (oldest first).
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub record: UserRecord,
    pub identifications: Vec<Identification>,
}

impl User {
    /// The identifications of one kind.
    pub(crate) fn of_kind(&self, kind: IdentifierKind) -> impl Iterator<Item = &Identification> {
        self.identifications.iter().filter(move |i| i.kind == kind)
    }

    /// The value of the primary identification of `kind`.
    fn primary_value(&self, kind: IdentifierKind) -> Option<String> {
        let id = self.record.primary_id(kind)?;
        self.identifications
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.value.clone())
    }
}

/// An identifier of a new user: already validated and normalised.
#[derive(Debug, Clone)]
pub(crate) struct NewIdentifier {
    pub value: String,
    pub verified: bool,
    pub reserved: bool,
}

/// A user to create (validated by the route).
#[derive(Debug, Clone, Default)]
pub(crate) struct NewUser {
    pub external_id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub locale: Option<String>,
    pub username: Option<String>,
    pub email_addresses: Vec<NewIdentifier>,
    pub phone_numbers: Vec<NewIdentifier>,
    pub web3_wallets: Vec<NewIdentifier>,
    pub password: Option<PasswordDigest>,
    pub public_metadata: Map<String, Value>,
    pub private_metadata: Map<String, Value>,
    pub unsafe_metadata: Map<String, Value>,
    pub totp_enabled: bool,
    pub backup_code_enabled: bool,
    pub delete_self_enabled: bool,
    pub create_organization_enabled: bool,
    pub create_organizations_limit: Option<i64>,
    pub legal_accepted_at: Option<i64>,
    pub created_at: Option<i64>,
    pub bypass_client_trust: bool,
    pub banned: bool,
    pub locked: bool,
}

impl NewUser {
    /// The user this creates at `now_ms`, with fresh ids; the first identification of each
    /// kind is the primary one.
    pub(crate) fn into_user(self, now_ms: i64) -> User {
        let id = ids::new_id(prefix::USER, now_ms);
        let mut identifications = Vec::new();
        let mut primaries = [None, None, None];
        let kinds = [
            (IdentifierKind::EmailAddress, self.email_addresses),
            (IdentifierKind::PhoneNumber, self.phone_numbers),
            (IdentifierKind::Web3Wallet, self.web3_wallets),
        ];
        for (slot, (kind, values)) in primaries.iter_mut().zip(kinds) {
            for value in values {
                let ident = Identification {
                    id: ids::new_id(prefix::IDENTIFICATION, now_ms),
                    user_id: id.clone(),
                    kind,
                    value: value.value,
                    verified: value.verified,
                    reserved: value.reserved,
                    reserved_for_second_factor: false,
                    default_second_factor: false,
                    created_at: now_ms,
                    updated_at: now_ms,
                };
                slot.get_or_insert_with(|| ident.id.clone());
                identifications.push(ident);
            }
        }
        let [primary_email, primary_phone, primary_web3] = primaries;
        let record = UserRecord {
            id,
            external_id: self.external_id,
            username: self.username,
            first_name: self.first_name,
            last_name: self.last_name,
            locale: self.locale,
            password_last_updated_at: self.password.as_ref().map(|_| now_ms),
            password: self.password,
            primary_email_address_id: primary_email,
            primary_phone_number_id: primary_phone,
            primary_web3_wallet_id: primary_web3,
            public_metadata: self.public_metadata,
            private_metadata: self.private_metadata,
            unsafe_metadata: self.unsafe_metadata,
            totp_enabled: self.totp_enabled,
            backup_code_enabled: self.backup_code_enabled,
            mfa_enabled_at: self.totp_enabled.then_some(now_ms),
            mfa_disabled_at: None,
            banned: self.banned,
            locked_at: self.locked.then_some(now_ms),
            failed_verification_attempts: 0,
            delete_self_enabled: self.delete_self_enabled,
            create_organization_enabled: self.create_organization_enabled,
            create_organizations_limit: self.create_organizations_limit,
            bypass_client_trust: self.bypass_client_trust,
            legal_accepted_at: self.legal_accepted_at,
            last_sign_in_at: None,
            last_active_at: None,
            created_at: self.created_at.unwrap_or(now_ms),
            updated_at: now_ms,
        };
        User {
            record,
            identifications,
        }
    }
}

/// Changes of `PATCH /v1/users/{id}` (validated by the route).
#[derive(Debug, Clone)]
pub(crate) struct UserChanges {
    pub external_id: Patch<String>,
    pub first_name: Patch<String>,
    pub last_name: Patch<String>,
    pub locale: Patch<String>,
    pub username: Patch<String>,
    pub primary_email_address_id: Option<String>,
    pub primary_phone_number_id: Option<String>,
    pub primary_web3_wallet_id: Option<String>,
    pub password: Option<PasswordDigest>,
    pub sign_out_of_other_sessions: bool,
    pub totp_enabled: Option<bool>,
    pub backup_code_enabled: Option<bool>,
    pub public_metadata: Option<Map<String, Value>>,
    pub private_metadata: Option<Map<String, Value>>,
    pub unsafe_metadata: Option<Map<String, Value>>,
    pub delete_self_enabled: Option<bool>,
    pub create_organization_enabled: Option<bool>,
    pub create_organizations_limit: Patch<i64>,
    pub legal_accepted_at: Patch<i64>,
    pub created_at: Option<i64>,
    pub bypass_client_trust: Option<bool>,
}

/// How `/metadata` applies its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetadataMode {
    /// `PATCH`: deep merge, `null` deletes.
    Merge,
    /// `PUT`: each given field replaces the old value.
    Replace,
}

/// The three metadata fields of a `/metadata` request.
#[derive(Debug, Clone)]
pub(crate) struct MetadataChange {
    pub public: Patch<Map<String, Value>>,
    pub private: Patch<Map<String, Value>>,
    pub unsafe_: Patch<Map<String, Value>>,
}

/// An id filter with `+`/`-` prefixes: include these, exclude those.
#[derive(Debug, Clone, Default)]
pub(crate) struct IncludeExclude {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

/// Filters of `GET /v1/users` and `GET /v1/users/count` (validated by the route).
#[derive(Debug, Clone, Default)]
pub(crate) struct UserFilters {
    pub email_addresses: Vec<String>,
    pub phone_numbers: Vec<String>,
    pub usernames: Vec<String>,
    pub web3_wallets: Vec<String>,
    pub external_ids: IncludeExclude,
    pub user_ids: IncludeExclude,
    /// This server holds no organizations: an include list matches nobody; excludes only
    /// exclude nobody.
    pub organization_ids: IncludeExclude,
    /// This server holds no external accounts: a provider filter matches nobody.
    pub provider_user_ids: Vec<String>,
    pub query: Option<String>,
    pub email_address_query: Option<String>,
    pub phone_number_query: Option<String>,
    pub username_query: Option<String>,
    pub name_query: Option<String>,
    pub banned: Option<bool>,
    pub last_active_at_before: Option<i64>,
    pub last_active_at_after: Option<i64>,
    pub last_active_at_since: Option<i64>,
    pub created_at_before: Option<i64>,
    pub created_at_after: Option<i64>,
    pub last_sign_in_at_before: Option<i64>,
    pub last_sign_in_at_after: Option<i64>,
}

impl UserFilters {
    /// Whether the filters match nobody whatever the data: this server holds no
    /// organizations and no external accounts, so including an organization or asking for a
    /// provider's user finds no one, without asking the database.
    pub(crate) fn match_nobody(&self) -> bool {
        !self.organization_ids.include.is_empty() || !self.provider_user_ids.is_empty()
    }
}

/// What `order_by` can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UserOrderField {
    CreatedAt,
    UpdatedAt,
    EmailAddress,
    Web3Wallet,
    FirstName,
    LastName,
    PhoneNumber,
    Username,
    LastActiveAt,
    LastSignInAt,
}

impl UserOrderField {
    /// Every `order_by` name Clerk accepts.
    pub(crate) const NAMES: [&'static str; 10] = [
        "created_at",
        "updated_at",
        "email_address",
        "web3wallet",
        "first_name",
        "last_name",
        "phone_number",
        "username",
        "last_active_at",
        "last_sign_in_at",
    ];

    pub(crate) fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "created_at" => Self::CreatedAt,
            "updated_at" => Self::UpdatedAt,
            "email_address" => Self::EmailAddress,
            "web3wallet" => Self::Web3Wallet,
            "first_name" => Self::FirstName,
            "last_name" => Self::LastName,
            "phone_number" => Self::PhoneNumber,
            "username" => Self::Username,
            "last_active_at" => Self::LastActiveAt,
            "last_sign_in_at" => Self::LastSignInAt,
            _ => return None,
        })
    }

    /// The column and whether it can be null (nulls sort last in both directions).
    fn column(self) -> (&'static str, bool) {
        match self {
            Self::CreatedAt => ("created_at", false),
            Self::UpdatedAt => ("updated_at", false),
            Self::EmailAddress => ("sort_email", true),
            Self::Web3Wallet => ("sort_web3", true),
            Self::FirstName => ("first_name", true),
            Self::LastName => ("last_name", true),
            Self::PhoneNumber => ("sort_phone", true),
            Self::Username => ("username", true),
            Self::LastActiveAt => ("last_active_at", true),
            Self::LastSignInAt => ("last_sign_in_at", true),
        }
    }
}

/// An `order_by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UserOrder {
    pub field: UserOrderField,
    pub descending: bool,
}

impl Default for UserOrder {
    fn default() -> Self {
        Self {
            field: UserOrderField::CreatedAt,
            descending: true,
        }
    }
}

/// A page of `GET /v1/users`.
#[derive(Debug, Clone)]
pub(crate) struct UserListQuery {
    pub filters: UserFilters,
    pub order: UserOrder,
    pub page: Page,
    /// Cursor: the id of the last user of the previous page (created_at ordering only).
    pub starting_after: Option<String>,
}

const COLUMNS: &str = "id, external_id, username, first_name, last_name, locale, password_digest, \
    password_hasher, password_last_updated_at, primary_email_address_id, primary_phone_number_id, \
    primary_web3_wallet_id, public_metadata, private_metadata, unsafe_metadata, totp_enabled, \
    backup_code_enabled, mfa_enabled_at, mfa_disabled_at, banned, locked_at, \
    failed_verification_attempts, delete_self_enabled, \
    create_organization_enabled, create_organizations_limit, bypass_client_trust, legal_accepted_at, \
    last_sign_in_at, last_active_at, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<UserRecord, sqlx::Error> {
    let digest: Option<String> = row.try_get("password_digest")?;
    let hasher: Option<String> = row.try_get("password_hasher")?;
    Ok(UserRecord {
        id: row.try_get("id")?,
        external_id: row.try_get("external_id")?,
        username: row.try_get("username")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        locale: row.try_get("locale")?,
        password: digest.zip(hasher).map(|(digest, hasher)| PasswordDigest {
            digest: Secret::new(digest),
            hasher,
        }),
        password_last_updated_at: row.try_get("password_last_updated_at")?,
        primary_email_address_id: row.try_get("primary_email_address_id")?,
        primary_phone_number_id: row.try_get("primary_phone_number_id")?,
        primary_web3_wallet_id: row.try_get("primary_web3_wallet_id")?,
        public_metadata: get_json_object(row, "public_metadata")?,
        private_metadata: get_json_object(row, "private_metadata")?,
        unsafe_metadata: get_json_object(row, "unsafe_metadata")?,
        totp_enabled: get_flag(row, "totp_enabled")?,
        backup_code_enabled: get_flag(row, "backup_code_enabled")?,
        mfa_enabled_at: row.try_get("mfa_enabled_at")?,
        mfa_disabled_at: row.try_get("mfa_disabled_at")?,
        banned: get_flag(row, "banned")?,
        locked_at: row.try_get("locked_at")?,
        failed_verification_attempts: row.try_get("failed_verification_attempts")?,
        delete_self_enabled: get_flag(row, "delete_self_enabled")?,
        create_organization_enabled: get_flag(row, "create_organization_enabled")?,
        create_organizations_limit: row.try_get("create_organizations_limit")?,
        bypass_client_trust: get_flag(row, "bypass_client_trust")?,
        legal_accepted_at: row.try_get("legal_accepted_at")?,
        last_sign_in_at: row.try_get("last_sign_in_at")?,
        last_active_at: row.try_get("last_active_at")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn json_text(map: &Map<String, Value>) -> String {
    Value::Object(map.clone()).to_string()
}

/// Maps a unique violation on the users table to the parameter Clerk names.
fn user_conflict(err: sqlx::Error) -> ApiError {
    match unique_violation(&err) {
        Some(what) if what.contains("username") => ApiError::identifier_exists("username"),
        Some(what) if what.contains("external_id") => ApiError::identifier_exists("external_id"),
        _ => err.into(),
    }
}

/// Bans (revoking the user's active sessions) or unbans user `id` inside the caller's
/// transaction; false if there is no such user.
pub(crate) async fn ban_in(
    conn: &mut AnyConnection,
    id: &str,
    banned: bool,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query("UPDATE users SET banned = $1, updated_at = $2 WHERE id = $3")
        .bind(flag(banned))
        .bind(now_ms)
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if updated > 0 && banned {
        sessions::revoke_user_sessions(conn, id, now_ms).await?;
    }
    Ok(updated > 0)
}

/// [`load_user`] for an operation on a user that must exist: 404 `resource_not_found` if
/// it does not.
pub(crate) async fn existing_user(
    conn: &mut AnyConnection,
    id: &str,
    lock: &str,
) -> Result<User, ApiError> {
    load_user(conn, id, lock)
        .await?
        .ok_or_else(|| ApiError::not_found("user", id))
}

/// Loads a user with its identifications; `lock` is [`Dialect::for_update`] in
/// read-modify-write transactions.
pub(crate) async fn load_user(
    conn: &mut AnyConnection,
    id: &str,
    lock: &str,
) -> Result<Option<User>, sqlx::Error> {
    let mut sql = select_by_id(id);
    sql.push(lock);
    let Some(row) = sql.query().fetch_optional(&mut *conn).await? else {
        return Ok(None);
    };
    let record = from_row(&row)?;
    let identifications = identifications::for_users(conn, &[id]).await?;
    Ok(Some(User {
        record,
        identifications,
    }))
}

/// Sets (or clears) the primary identification of `kind`.
pub(crate) async fn set_primary(
    conn: &mut AnyConnection,
    user_id: &str,
    kind: IdentifierKind,
    identification_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    let sql = match kind {
        IdentifierKind::EmailAddress => {
            "UPDATE users SET primary_email_address_id = $1 WHERE id = $2"
        }
        IdentifierKind::PhoneNumber => {
            "UPDATE users SET primary_phone_number_id = $1 WHERE id = $2"
        }
        IdentifierKind::Web3Wallet => "UPDATE users SET primary_web3_wallet_id = $1 WHERE id = $2",
    };
    sqlx::query(sql)
        .bind(identification_id.map(str::to_owned))
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets `updated_at` and recomputes the derived columns; returns the fresh user.
pub(crate) async fn touch_and_refresh(
    conn: &mut AnyConnection,
    user_id: &str,
    now_ms: i64,
) -> Result<User, ApiError> {
    sqlx::query("UPDATE users SET updated_at = $1 WHERE id = $2")
        .bind(now_ms)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    refresh_derived(conn, user_id).await
}

/// The columns of a user row that are derived from the rest of the user: the sort keys of
/// `order_by` (the primary email, phone and wallet) and the lowercase haystacks of the
/// `query`/`*_query` filters. One function computes them for every way a row is written
/// (create, update, bulk seeding), so the filters see the same thing whichever way a user
/// came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DerivedColumns {
    sort_email: Option<String>,
    sort_phone: Option<String>,
    sort_web3: Option<String>,
    search_all: String,
    search_email: String,
    search_phone: String,
    search_username: String,
    search_name: String,
}

impl DerivedColumns {
    /// The column names, in the order [`DerivedColumns::bind`] binds them.
    const NAMES: &'static str = "sort_email, sort_phone, sort_web3, search_all, search_email, \
        search_phone, search_username, search_name";

    /// The derived columns of `user` as it is now.
    pub(crate) fn of(user: &User) -> Self {
        let joined = |kind| {
            user.of_kind(kind)
                .map(|i| i.value.to_lowercase())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let r = &user.record;
        let name = [r.first_name.as_deref(), r.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let username = r.username.clone().unwrap_or_default().to_lowercase();
        let (email, phone, web3) = (
            joined(IdentifierKind::EmailAddress),
            joined(IdentifierKind::PhoneNumber),
            joined(IdentifierKind::Web3Wallet),
        );
        let all = [
            r.id.to_lowercase(),
            username.clone(),
            name.clone(),
            email.clone(),
            phone.clone(),
            web3,
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
        Self {
            sort_email: user.primary_value(IdentifierKind::EmailAddress),
            sort_phone: user.primary_value(IdentifierKind::PhoneNumber),
            sort_web3: user.primary_value(IdentifierKind::Web3Wallet),
            search_all: all,
            search_email: email,
            search_phone: phone,
            search_username: username,
            search_name: name,
        }
    }

    /// Binds the values as a comma-separated list, in the order of [`DerivedColumns::NAMES`].
    fn bind(&self, sql: &mut Sql) {
        sql.bind(self.sort_email.clone())
            .push(", ")
            .bind(self.sort_phone.clone())
            .push(", ")
            .bind(self.sort_web3.clone())
            .push(", ")
            .bind(&self.search_all)
            .push(", ")
            .bind(&self.search_email)
            .push(", ")
            .bind(&self.search_phone)
            .push(", ")
            .bind(&self.search_username)
            .push(", ")
            .bind(&self.search_name);
    }
}

/// Recomputes the derived columns from the user's current state; returns the fresh user.
async fn refresh_derived(conn: &mut AnyConnection, user_id: &str) -> Result<User, ApiError> {
    let user = load_user(conn, user_id, "")
        .await?
        .ok_or_else(|| ApiError::not_found("user", user_id))?;
    let mut sql = Sql::new(&format!("UPDATE users SET ({}) = (", DerivedColumns::NAMES));
    DerivedColumns::of(&user).bind(&mut sql);
    sql.push(") WHERE id = ").bind(user_id);
    sql.query().execute(&mut *conn).await?;
    Ok(user)
}

/// Inserts complete user rows (their own columns and the derived ones) in one statement.
/// Identifications are inserted separately, after their users.
pub(crate) async fn insert_users(
    conn: &mut AnyConnection,
    users: &[User],
) -> Result<(), sqlx::Error> {
    if users.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(&format!(
        "INSERT INTO users ({COLUMNS}, {}) VALUES ",
        DerivedColumns::NAMES
    ));
    for (i, user) in users.iter().enumerate() {
        sql.push(if i == 0 { "(" } else { ", (" });
        bind_record(&mut sql, &user.record);
        sql.push(", ");
        DerivedColumns::of(user).bind(&mut sql);
        sql.push(")");
    }
    sql.query().execute(conn).await?;
    Ok(())
}

/// Binds a record's own columns as a comma-separated list, in the order of [`COLUMNS`].
fn bind_record(sql: &mut Sql, r: &UserRecord) {
    let (digest, hasher) = match &r.password {
        Some(p) => (Some(p.digest.expose().to_owned()), Some(p.hasher.clone())),
        None => (None, None),
    };
    let values: [Arg; 31] = [
        r.id.clone().into(),
        r.external_id.clone().into(),
        r.username.clone().into(),
        r.first_name.clone().into(),
        r.last_name.clone().into(),
        r.locale.clone().into(),
        digest.into(),
        hasher.into(),
        r.password_last_updated_at.into(),
        r.primary_email_address_id.clone().into(),
        r.primary_phone_number_id.clone().into(),
        r.primary_web3_wallet_id.clone().into(),
        json_text(&r.public_metadata).into(),
        json_text(&r.private_metadata).into(),
        json_text(&r.unsafe_metadata).into(),
        r.totp_enabled.into(),
        r.backup_code_enabled.into(),
        r.mfa_enabled_at.into(),
        r.mfa_disabled_at.into(),
        r.banned.into(),
        r.locked_at.into(),
        r.failed_verification_attempts.into(),
        r.delete_self_enabled.into(),
        r.create_organization_enabled.into(),
        r.create_organizations_limit.into(),
        r.bypass_client_trust.into(),
        r.legal_accepted_at.into(),
        r.last_sign_in_at.into(),
        r.last_active_at.into(),
        r.created_at.into(),
        r.updated_at.into(),
    ];
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(value);
    }
}

/// Appends `AND <column contains needle>`, case-insensitively (the needle is lowercase and
/// the haystacks are stored lowercase). PostgreSQL uses `LIKE` over a pg_trgm index;
/// SQLite uses its FTS5 trigram index for needles of 3 characters or more and a scan for
/// shorter ones (a trigram index cannot answer those).
fn push_contains(sql: &mut Sql, dialect: Dialect, column: &str, fts_column: &str, needle: &str) {
    match dialect {
        Dialect::Postgres => {
            let escaped = needle
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            sql.push(&format!(" AND {column} LIKE "))
                .bind(format!("%{escaped}%"))
                .push(" ESCAPE '\\'");
        }
        Dialect::Sqlite if needle.chars().count() >= 3 => {
            let phrase = needle.replace('"', "\"\"");
            sql.push(" AND seq IN (SELECT rowid FROM users_fts WHERE users_fts MATCH ")
                .bind(format!("{fts_column} : \"{phrase}\""))
                .push(")");
        }
        Dialect::Sqlite => {
            sql.push(&format!(" AND instr({column}, "))
                .bind(needle)
                .push(") > 0");
        }
    }
}

fn push_identification_filter(sql: &mut Sql, kind: IdentifierKind, values: &[String]) {
    if values.is_empty() {
        return;
    }
    sql.push(" AND id IN (SELECT user_id FROM identifications WHERE kind = ")
        .bind(kind.as_str())
        .push(" AND value IN ")
        .bind_list(values.iter())
        .push(")");
}

fn push_include_exclude(sql: &mut Sql, column: &str, ids: &IncludeExclude) {
    if !ids.include.is_empty() {
        sql.push(&format!(" AND {column} IN "))
            .bind_list(ids.include.iter());
    }
    if !ids.exclude.is_empty() {
        // `IS NULL OR` keeps users without an external id when excluding external ids.
        sql.push(&format!(" AND ({column} IS NULL OR {column} NOT IN "))
            .bind_list(ids.exclude.iter())
            .push(")");
    }
}

fn push_range(sql: &mut Sql, column: &str, op: &str, value: Option<i64>) {
    if let Some(v) = value {
        sql.push(&format!(" AND {column} {op} ")).bind(v);
    }
}

/// `SELECT <user columns> FROM users WHERE id = $1`.
fn select_by_id(id: &str) -> Sql {
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM users WHERE id = "));
    sql.bind(id);
    sql
}

/// The position of the `starting_after` user in the created_at order.
fn select_cursor(id: &str) -> Sql {
    let mut sql = Sql::new("SELECT created_at, seq FROM users WHERE id = ");
    sql.bind(id);
    sql
}

/// The `(created_at, seq)` of the `starting_after` user; 422 if there is none.
async fn cursor_position(conn: &mut AnyConnection, id: &str) -> Result<(i64, i64), ApiError> {
    let row = select_cursor(id)
        .query()
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| {
            ApiError::param_value_invalid(
                "starting_after",
                format!("starting_after must be the id of an existing user; no user has id {id}."),
            )
        })?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}

/// One page of `GET /v1/users`; `cursor` is the position of the `starting_after` user.
fn select_page(dialect: Dialect, q: &UserListQuery, cursor: Option<(i64, i64)>) -> Sql {
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM users WHERE 1 = 1"));
    push_filters(&mut sql, dialect, &q.filters);
    let direction = if q.order.descending { "DESC" } else { "ASC" };
    if let Some((created_at, seq)) = cursor {
        // A row-value comparison, which both databases answer from the (created_at, seq)
        // index; the equivalent `a < x OR (a = x AND b < y)` makes SQLite scan.
        let op = if q.order.descending { "<" } else { ">" };
        sql.push(&format!(" AND (created_at, seq) {op} ("))
            .bind(created_at)
            .push(", ")
            .bind(seq)
            .push(")");
    }
    let (column, nullable) = q.order.field.column();
    let nulls = if nullable { " NULLS LAST" } else { "" };
    sql.push(&format!(
        " ORDER BY {column} {direction}{nulls}, seq {direction} LIMIT "
    ))
    .bind(q.page.limit)
    .push(" OFFSET ")
    .bind(q.page.offset);
    sql
}

/// `GET /v1/users/count`.
fn select_count(dialect: Dialect, filters: &UserFilters) -> Sql {
    let mut sql = Sql::new("SELECT COUNT(*) FROM users WHERE 1 = 1");
    push_filters(&mut sql, dialect, filters);
    sql
}

/// Appends the WHERE conditions (after a `WHERE 1 = 1`).
fn push_filters(sql: &mut Sql, dialect: Dialect, f: &UserFilters) {
    push_identification_filter(sql, IdentifierKind::EmailAddress, &f.email_addresses);
    push_identification_filter(sql, IdentifierKind::PhoneNumber, &f.phone_numbers);
    push_identification_filter(sql, IdentifierKind::Web3Wallet, &f.web3_wallets);
    if !f.usernames.is_empty() {
        sql.push(" AND username IN ").bind_list(f.usernames.iter());
    }
    push_include_exclude(sql, "external_id", &f.external_ids);
    push_include_exclude(sql, "id", &f.user_ids);
    let contains = [
        (&f.query, "search_all", "all_text"),
        (&f.email_address_query, "search_email", "email"),
        (&f.phone_number_query, "search_phone", "phone"),
        (&f.username_query, "search_username", "username"),
        (&f.name_query, "search_name", "name"),
    ];
    for (needle, column, fts_column) in contains {
        if let Some(needle) = needle {
            push_contains(sql, dialect, column, fts_column, &needle.to_lowercase());
        }
    }
    match f.banned {
        Some(true) => {
            sql.push(" AND banned = 1");
        }
        // Nearly every user matches: the unary `+` keeps SQLite, which plans without
        // statistics, from reading every unbanned user through the `banned` index and sorting
        // them all, instead of walking the order's index and skipping the few banned users.
        Some(false) => {
            sql.push(" AND +banned = 0");
        }
        None => {}
    }
    push_range(sql, "last_active_at", "<", f.last_active_at_before);
    push_range(sql, "last_active_at", ">", f.last_active_at_after);
    push_range(sql, "last_active_at", ">=", f.last_active_at_since);
    push_range(sql, "created_at", "<", f.created_at_before);
    push_range(sql, "created_at", ">", f.created_at_after);
    push_range(sql, "last_sign_in_at", "<", f.last_sign_in_at_before);
    push_range(sql, "last_sign_in_at", ">", f.last_sign_in_at_after);
}

impl Store {
    /// Creates a user with its identifications; the first of each kind becomes primary.
    pub(crate) async fn create_user(&self, new: NewUser, now_ms: i64) -> Result<User, ApiError> {
        let user = new.into_user(now_ms);
        let mut tx = self.write().await?;
        insert_users(&mut tx, std::slice::from_ref(&user))
            .await
            .map_err(user_conflict)?;
        // One at a time, so that a duplicate names the kind of identifier that clashed.
        for ident in &user.identifications {
            identifications::insert(&mut tx, ident).await?;
        }
        tx.commit().await?;
        Ok(user)
    }

    /// A user by id.
    pub(crate) async fn user(&self, id: &str) -> Result<Option<User>, ApiError> {
        let mut conn = self.read().await?;
        Ok(load_user(&mut conn, id, "").await?)
    }

    /// A page of users.
    pub(crate) async fn list_users(&self, q: &UserListQuery) -> Result<Vec<User>, ApiError> {
        let mut conn = self.read().await?;
        if q.filters.match_nobody() {
            // The cursor is still checked: an unknown user is an error in any case.
            if let Some(id) = &q.starting_after {
                cursor_position(&mut conn, id).await?;
            }
            return Ok(Vec::new());
        }
        let cursor = match &q.starting_after {
            Some(id) => Some(cursor_position(&mut conn, id).await?),
            None => None,
        };
        let records = select_page(self.dialect(), q, cursor)
            .query()
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
        let mut idents = identifications::for_users(&mut conn, &ids).await?;
        Ok(records
            .into_iter()
            .map(|record| {
                let (mine, rest): (Vec<_>, Vec<_>) =
                    idents.drain(..).partition(|i| i.user_id == record.id);
                idents = rest;
                User {
                    record,
                    identifications: mine,
                }
            })
            .collect())
    }

    /// How many users match `filters`.
    pub(crate) async fn count_users(&self, filters: &UserFilters) -> Result<i64, ApiError> {
        if filters.match_nobody() {
            return Ok(0);
        }
        let mut conn = self.read().await?;
        let row = select_count(self.dialect(), filters)
            .query()
            .fetch_one(&mut *conn)
            .await?;
        Ok(row.try_get::<i64, _>(0)?)
    }

    /// The plans of the statements [`Store::list_users`] runs for `q`: the cursor lookup
    /// (with `starting_after`), the page, and its identifications.
    pub(crate) async fn explain_list_users(
        &self,
        q: &UserListQuery,
    ) -> Result<Vec<QueryPlan>, ApiError> {
        if q.filters.match_nobody() {
            return Ok(Vec::new());
        }
        let dialect = self.dialect();
        let mut conn = self.read().await?;
        let mut plans = Vec::new();
        let mut cursor = None;
        if let Some(id) = &q.starting_after {
            plans.push(explain(&mut conn, dialect, "cursor", &select_cursor(id)).await?);
            cursor = Some(cursor_position(&mut conn, id).await?);
        }
        plans.push(explain(&mut conn, dialect, "page", &select_page(dialect, q, cursor)).await?);
        drop(conn);
        let page = self.list_users(q).await?;
        let mut ids: Vec<&str> = page.iter().map(|u| u.record.id.as_str()).collect();
        if ids.is_empty() {
            ids.push("user_none");
        }
        let mut conn = self.read().await?;
        let idents = identifications::select_for_users(&ids);
        plans.push(explain(&mut conn, dialect, "identifications", &idents).await?);
        Ok(plans)
    }

    /// The plan of the statement [`Store::count_users`] runs for `filters`.
    pub(crate) async fn explain_count_users(
        &self,
        filters: &UserFilters,
    ) -> Result<Vec<QueryPlan>, ApiError> {
        if filters.match_nobody() {
            return Ok(Vec::new());
        }
        let dialect = self.dialect();
        let mut conn = self.read().await?;
        let sql = select_count(dialect, filters);
        Ok(vec![explain(&mut conn, dialect, "count", &sql).await?])
    }

    /// The plans of the statements [`Store::user`] runs: the user, then its identifications.
    pub(crate) async fn explain_user(&self, id: &str) -> Result<Vec<QueryPlan>, ApiError> {
        let dialect = self.dialect();
        let mut conn = self.read().await?;
        Ok(vec![
            explain(&mut conn, dialect, "user", &select_by_id(id)).await?,
            explain(
                &mut conn,
                dialect,
                "identifications",
                &identifications::select_for_users(&[id]),
            )
            .await?,
        ])
    }

    /// Applies `PATCH /v1/users/{id}`.
    pub(crate) async fn update_user(
        &self,
        id: &str,
        changes: UserChanges,
        now_ms: i64,
    ) -> Result<User, ApiError> {
        let mut tx = self.write().await?;
        let user = existing_user(&mut tx, id, self.dialect().for_update()).await?;
        let primaries = [
            (
                IdentifierKind::EmailAddress,
                "primary_email_address_id",
                &changes.primary_email_address_id,
            ),
            (
                IdentifierKind::PhoneNumber,
                "primary_phone_number_id",
                &changes.primary_phone_number_id,
            ),
            (
                IdentifierKind::Web3Wallet,
                "primary_web3_wallet_id",
                &changes.primary_web3_wallet_id,
            ),
        ];
        for (kind, param, wanted) in primaries {
            let Some(wanted) = wanted else { continue };
            let ident = user
                .of_kind(kind)
                .find(|i| &i.id == wanted)
                .ok_or_else(|| {
                    ApiError::form(
                        "form_identifier_not_found",
                        param,
                        "not found",
                        format!("No {} with id {wanted} belongs to this user.", kind.words()),
                    )
                })?;
            if !ident.verified {
                return Err(ApiError::form(
                    "form_verification_needed",
                    param,
                    "is unverified",
                    format!(
                        "The {} must be verified before it can be the primary one.",
                        kind.words()
                    ),
                ));
            }
            set_primary(&mut tx, id, kind, Some(wanted)).await?;
        }

        let mut sql = Sql::new("UPDATE users SET updated_at = ");
        sql.bind(now_ms);
        let text_fields = [
            ("external_id", &changes.external_id),
            ("first_name", &changes.first_name),
            ("last_name", &changes.last_name),
            ("locale", &changes.locale),
            ("username", &changes.username),
        ];
        for (column, patch) in text_fields {
            match patch {
                Patch::Keep => {}
                Patch::Clear => {
                    sql.push(&format!(", {column} = NULL"));
                }
                Patch::Set(v) => {
                    sql.push(&format!(", {column} = ")).bind(v);
                }
            }
        }
        if let Some(password) = &changes.password {
            sql.push(", password_digest = ")
                .bind(password.digest.expose())
                .push(", password_hasher = ")
                .bind(&password.hasher)
                .push(", password_last_updated_at = ")
                .bind(now_ms);
        }
        if let Some(enabled) = changes.totp_enabled {
            sql.push(", totp_enabled = ").bind(enabled);
            if enabled && !user.record.totp_enabled {
                sql.push(", mfa_enabled_at = ").bind(now_ms);
            }
        }
        if let Some(enabled) = changes.backup_code_enabled {
            sql.push(", backup_code_enabled = ").bind(enabled);
        }
        let metadata = [
            ("public_metadata", &changes.public_metadata),
            ("private_metadata", &changes.private_metadata),
            ("unsafe_metadata", &changes.unsafe_metadata),
        ];
        for (column, value) in metadata {
            if let Some(map) = value {
                sql.push(&format!(", {column} = ")).bind(json_text(map));
            }
        }
        let flags = [
            ("delete_self_enabled", changes.delete_self_enabled),
            (
                "create_organization_enabled",
                changes.create_organization_enabled,
            ),
            ("bypass_client_trust", changes.bypass_client_trust),
        ];
        for (column, value) in flags {
            if let Some(v) = value {
                sql.push(&format!(", {column} = ")).bind(v);
            }
        }
        let int_fields = [
            (
                "create_organizations_limit",
                &changes.create_organizations_limit,
            ),
            ("legal_accepted_at", &changes.legal_accepted_at),
        ];
        for (column, patch) in int_fields {
            match patch {
                Patch::Keep => {}
                Patch::Clear => {
                    sql.push(&format!(", {column} = NULL"));
                }
                Patch::Set(v) => {
                    sql.push(&format!(", {column} = ")).bind(*v);
                }
            }
        }
        if let Some(created_at) = changes.created_at {
            sql.push(", created_at = ").bind(created_at);
        }
        sql.push(" WHERE id = ").bind(id);
        sql.query().execute(&mut *tx).await.map_err(user_conflict)?;
        if changes.password.is_some() && changes.sign_out_of_other_sessions {
            sessions::revoke_user_sessions(&mut tx, id, now_ms).await?;
        }
        let user = refresh_derived(&mut tx, id).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Applies `PATCH`/`PUT /v1/users/{id}/metadata`.
    pub(crate) async fn update_user_metadata(
        &self,
        id: &str,
        change: &MetadataChange,
        mode: MetadataMode,
        now_ms: i64,
    ) -> Result<User, ApiError> {
        let mut tx = self.write().await?;
        let user = existing_user(&mut tx, id, self.dialect().for_update()).await?;
        let apply = |current: &Map<String, Value>, patch: &Patch<Map<String, Value>>| match patch {
            Patch::Keep => current.clone(),
            // A top-level null obeys "null deletes": the whole field is emptied.
            Patch::Clear => Map::new(),
            Patch::Set(new) => match mode {
                MetadataMode::Replace => new.clone(),
                MetadataMode::Merge => {
                    let mut merged = current.clone();
                    deep_merge(&mut merged, new);
                    merged
                }
            },
        };
        let r = &user.record;
        let public = apply(&r.public_metadata, &change.public);
        let private = apply(&r.private_metadata, &change.private);
        let unsafe_ = apply(&r.unsafe_metadata, &change.unsafe_);
        check_size("public_metadata", &public)?;
        check_size("private_metadata", &private)?;
        check_size("unsafe_metadata", &unsafe_)?;
        sqlx::query(
            "UPDATE users SET public_metadata = $1, private_metadata = $2, unsafe_metadata = $3, \
             updated_at = $4 WHERE id = $5",
        )
        .bind(json_text(&public))
        .bind(json_text(&private))
        .bind(json_text(&unsafe_))
        .bind(now_ms)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let user = existing_user(&mut tx, id, "").await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Deletes a user with its identifications and sessions. False if there was none.
    pub(crate) async fn delete_user(&self, id: &str) -> Result<bool, ApiError> {
        let mut tx = self.write().await?;
        let deleted = sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        tx.commit().await?;
        Ok(deleted)
    }

    /// Bans (revoking every active session) or unbans a user.
    pub(crate) async fn set_banned(
        &self,
        id: &str,
        banned: bool,
        now_ms: i64,
    ) -> Result<User, ApiError> {
        let mut tx = self.write().await?;
        if !ban_in(&mut tx, id, banned, now_ms).await? {
            return Err(ApiError::not_found("user", id));
        }
        let user = existing_user(&mut tx, id, "").await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Locks (from now) or unlocks a user.
    pub(crate) async fn set_locked(
        &self,
        id: &str,
        locked: bool,
        now_ms: i64,
    ) -> Result<User, ApiError> {
        let mut tx = self.write().await?;
        // Unlocking also clears the lockout counter, as Clerk's unlock does.
        let updated = sqlx::query(
            "UPDATE users SET locked_at = $1, updated_at = $2, \
             failed_verification_attempts = CASE WHEN $4 = 1 THEN failed_verification_attempts ELSE 0 END \
             WHERE id = $3",
        )
        .bind(locked.then_some(now_ms))
        .bind(now_ms)
        .bind(id)
        .bind(i64::from(locked))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if updated == 0 {
            return Err(ApiError::not_found("user", id));
        }
        let user = existing_user(&mut tx, id, "").await?;
        tx.commit().await?;
        Ok(user)
    }
}

/// Records a sign-in: `last_sign_in_at` exactly, `last_active_at` with day precision.
pub(crate) async fn record_sign_in(
    conn: &mut AnyConnection,
    user_id: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_sign_in_at = $1, last_active_at = $2 WHERE id = $3")
        .bind(now_ms)
        .bind(start_of_day_ms(now_ms))
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}
