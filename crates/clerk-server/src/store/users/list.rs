//! The filtered and ordered list of users (`GET /v1/users`, `/v1/users/count`), and the
//! plans of its statements (`GET /v1/_local/explain/users…`).

use sqlx::AnyConnection;
use sqlx::Row;

use serde_json::Value;

use super::{User, UserRecord, linked_rows, select_by_id};
use crate::domain::identifiers::IdentifierKind;
use crate::store::external_accounts::{self, ExternalAccount};
use crate::store::identifications;
use crate::store::passkeys::{self, Passkey};
use crate::store::record::column_list;
use crate::store::sql::{QueryPlan, Sql, explain};
use crate::store::{Dialect, Page, Result, Store, StoreError};

/// An id filter with `+`/`-` prefixes: include these, exclude those.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct IncludeExclude {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

/// Filters of the users list and count (checked before they get here); the organization
/// memberships lists filter their members with them too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct UserFilters {
    pub email_addresses: Vec<String>,
    pub phone_numbers: Vec<String>,
    pub usernames: Vec<String>,
    pub web3_wallets: Vec<String>,
    pub external_ids: IncludeExclude,
    pub user_ids: IncludeExclude,
    /// Members of these organizations (include), or not of these (exclude).
    pub organization_ids: IncludeExclude,
    /// Users with an external account of `provider` whose provider user id is one of
    /// `provider_user_ids` (the two are given together).
    pub provider: Option<String>,
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
    /// Whether no filter is set.
    pub(crate) fn is_empty(&self) -> bool {
        *self == Self::default()
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

/// Members of the included organizations; not members of the excluded ones.
fn push_organization_filter(sql: &mut Sql, ids: &IncludeExclude) {
    if !ids.include.is_empty() {
        sql.push(
            " AND id IN (SELECT user_id FROM organization_memberships WHERE organization_id IN ",
        )
        .bind_list(ids.include.iter())
        .push(")");
    }
    if !ids.exclude.is_empty() {
        sql.push(
            " AND id NOT IN (SELECT user_id FROM organization_memberships \
             WHERE organization_id IN ",
        )
        .bind_list(ids.exclude.iter())
        .push(")");
    }
}

fn push_range(sql: &mut Sql, column: &str, op: &str, value: Option<i64>) {
    if let Some(v) = value {
        sql.push(&format!(" AND {column} {op} ")).bind(v);
    }
}

/// The position of the `starting_after` user in the created_at order.
fn select_cursor(id: &str) -> Sql {
    let mut sql = Sql::new("SELECT created_at, seq FROM users WHERE id = ");
    sql.bind(id);
    sql
}

/// The `(created_at, seq)` of the cursor user; [`StoreError::UnknownCursor`] if there is none.
async fn cursor_position(conn: &mut AnyConnection, id: &str) -> Result<(i64, i64)> {
    let row = select_cursor(id)
        .query()
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::UnknownCursor { id: id.to_owned() })?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}

/// One page of `GET /v1/users` as a single row: a JSON array with one element per user,
/// `[<the user's columns…>, <its identifications>]`, in the page's order. One row instead
/// of one per user: on SQLite every row crosses from sqlx's worker thread to the server's
/// with a wake-up each way, which made a page of 10 cost several times one user. `cursor`
/// is the position of the `starting_after` user.
fn select_page(dialect: Dialect, q: &UserListQuery, cursor: Option<(i64, i64)>) -> Sql {
    let direction = if q.order.descending { "DESC" } else { "ASC" };
    let (column, nullable) = q.order.field.column();
    let nulls = if nullable { " NULLS LAST" } else { "" };
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM (SELECT {}, {} AS page_key, seq AS page_seq FROM users WHERE 1 = 1",
        page_aggregate(
            dialect,
            &format!("page_key {direction}{nulls}, page_seq {direction}")
        ),
        column_list(UserRecord::COLUMNS),
        column,
    ));
    push_filters(&mut sql, dialect, &q.filters);
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
    sql.push(&format!(
        " ORDER BY {column} {direction}{nulls}, seq {direction}"
    ))
    .push_page(q.page)
    .push(") AS page");
    sql
}

/// The aggregate that turns the rows of the page (alias `users`, for the identifications'
/// correlated subquery) into one JSON array, ordered by `order`.
fn page_aggregate(dialect: Dialect, order: &str) -> String {
    // JSON text columns (metadata) are embedded as JSON, not as strings to parse again.
    let columns: Vec<String> = UserRecord::COLUMNS
        .iter()
        .zip(UserRecord::HOLDS_JSON)
        .map(|(column, json)| match (json, dialect) {
            (false, _) => (*column).to_owned(),
            (true, Dialect::Sqlite) => format!("json({column})"),
            (true, Dialect::Postgres) => format!("{column}::json"),
        })
        .collect();
    let columns = columns.join(", ");
    match dialect {
        Dialect::Sqlite => format!(
            "json_group_array(json_array({columns}, json({ident}), json({passkeys}), \
             json({accounts})) ORDER BY {order})",
            ident = identifications::aggregate_expression(dialect, "page.id"),
            passkeys = passkeys::aggregate_expression(dialect, "page.id"),
            accounts = external_accounts::aggregate_expression(dialect, "page.id"),
        ),
        Dialect::Postgres => format!(
            "COALESCE(json_agg(json_build_array({columns}, {ident}, {passkeys}, {accounts}) \
             ORDER BY {order}), '[]')::text",
            ident = identifications::aggregate_expression(dialect, "page.id"),
            passkeys = passkeys::aggregate_expression(dialect, "page.id"),
            accounts = external_accounts::aggregate_expression(dialect, "page.id"),
        ),
    }
}

/// The users of a page read by [`select_page`].
fn page_from_json(json: &str) -> Result<Vec<User>> {
    let decode = |detail: String| StoreError::Database(sqlx::Error::Decode(detail.into()));
    let rows: Vec<Vec<Value>> =
        serde_json::from_str(json).map_err(|e| decode(format!("a page of users: {e}")))?;
    rows.into_iter()
        .map(|mut row| {
            let accounts = row.pop().unwrap_or_default();
            let keys = row.pop().unwrap_or_default();
            let idents = row.pop().unwrap_or_default();
            let record = UserRecord::from_json(row)?;
            let identifications = identifications::from_json(&record.id, idents)?;
            Ok(User {
                record,
                identifications,
                passkeys: linked_rows(keys, Passkey::from_json)?,
                external_accounts: linked_rows(accounts, ExternalAccount::from_json)?,
            })
        })
        .collect()
}

/// `GET /v1/users/count`.
fn select_count(dialect: Dialect, filters: &UserFilters) -> Sql {
    let mut sql = Sql::new("SELECT COUNT(*) FROM users WHERE 1 = 1");
    push_filters(&mut sql, dialect, filters);
    sql
}

/// Appends the WHERE conditions on `users` (after a `WHERE 1 = 1`; column names are not
/// qualified, so a subquery over `users` can use them too).
pub(crate) fn push_filters(sql: &mut Sql, dialect: Dialect, f: &UserFilters) {
    push_identification_filter(sql, IdentifierKind::EmailAddress, &f.email_addresses);
    push_identification_filter(sql, IdentifierKind::PhoneNumber, &f.phone_numbers);
    push_identification_filter(sql, IdentifierKind::Web3Wallet, &f.web3_wallets);
    if !f.usernames.is_empty() {
        sql.push(" AND username IN ").bind_list(f.usernames.iter());
    }
    push_include_exclude(sql, "external_id", &f.external_ids);
    push_include_exclude(sql, "id", &f.user_ids);
    push_organization_filter(sql, &f.organization_ids);
    if let Some(provider) = &f.provider {
        // On the unique index (provider, provider_user_id).
        sql.push(" AND id IN (SELECT user_id FROM external_accounts WHERE provider = ")
            .bind(provider.as_str())
            .push(" AND provider_user_id IN ")
            .bind_list(f.provider_user_ids.iter())
            .push(")");
    }
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
    /// A page of users.
    pub(crate) async fn list_users(&self, q: &UserListQuery) -> Result<Vec<User>> {
        let mut conn = self.read().await?;
        let cursor = match &q.starting_after {
            Some(id) => Some(cursor_position(&mut conn, id).await?),
            None => None,
        };
        // One row, read as the only one: the worker stops at it, sending no end-of-rows
        // message after it.
        let row = select_page(self.dialect(), q, cursor)
            .query()
            .fetch_optional(&mut *conn)
            .await?;
        match row {
            Some(row) => page_from_json(&row.try_get::<String, _>(0)?),
            None => Ok(Vec::new()),
        }
    }

    /// How many users match `filters`.
    pub(crate) async fn count_users(&self, filters: &UserFilters) -> Result<i64> {
        let mut conn = self.read().await?;
        let row = select_count(self.dialect(), filters)
            .query()
            .fetch_one(&mut *conn)
            .await?;
        Ok(row.try_get::<i64, _>(0)?)
    }

    /// The plans of the statements [`Store::list_users`] runs for `q`: the cursor lookup
    /// (with `starting_after`) and the page (whose users' identifications are a correlated
    /// subquery of it).
    pub(crate) async fn explain_list_users(&self, q: &UserListQuery) -> Result<Vec<QueryPlan>> {
        let dialect = self.dialect();
        let mut conn = self.read().await?;
        let mut plans = Vec::new();
        let mut cursor = None;
        if let Some(id) = &q.starting_after {
            plans.push(explain(&mut conn, dialect, "cursor", &select_cursor(id)).await?);
            cursor = Some(cursor_position(&mut conn, id).await?);
        }
        plans.push(explain(&mut conn, dialect, "page", &select_page(dialect, q, cursor)).await?);
        Ok(plans)
    }

    /// The plan of the statement [`Store::count_users`] runs for `filters`.
    pub(crate) async fn explain_count_users(
        &self,
        filters: &UserFilters,
    ) -> Result<Vec<QueryPlan>> {
        let dialect = self.dialect();
        let mut conn = self.read().await?;
        let sql = select_count(dialect, filters);
        Ok(vec![explain(&mut conn, dialect, "count", &sql).await?])
    }

    /// The plan of the statement [`Store::user`] runs: the user with its identifications.
    pub(crate) async fn explain_user(&self, id: &str) -> Result<Vec<QueryPlan>> {
        let dialect = self.dialect();
        let mut conn = self.read().await?;
        let sql = select_by_id(dialect, id);
        Ok(vec![explain(&mut conn, dialect, "user", &sql).await?])
    }
}
