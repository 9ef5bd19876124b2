//! A user's external accounts (`eac_`): the accounts of OAuth providers linked to the user.
//! A user is read with its external accounts ([`super::users`]); this module writes and
//! deletes them. One provider account (`provider` + `provider_user_id`) belongs to one user.

use serde_json::{Map, Value};
use sqlx::AnyConnection;

use super::record::{column_list, record};
use super::sql::{Sql, unique_violation};
use super::{Dialect, Result, StoreError, Tx, Unique};

record! {
    /// A stored external account.
    #[derive(Debug, Clone)]
    pub(crate) struct ExternalAccount {
        id: String,
        user_id: String,
        /// The `idn_` id of the account's OAuth identification (Clerk's `identification_id`).
        identification_id: String,
        /// `oauth_google`, `oauth_github`, …
        provider: String,
        provider_user_id: String,
        approved_scopes: String,
        email_address: String,
        /// Whether the provider said the address was verified: `None` unknown, else 0 or 1.
        email_address_verified: Option<i64>,
        first_name: String,
        last_name: String,
        image_url: Option<String>,
        username: Option<String>,
        phone_number: Option<String>,
        public_metadata: Map<String, Value>,
        label: Option<String>,
        /// Whether the OAuth verification completed (`verified`, else `unverified`).
        verified: bool,
        created_at: i64,
        updated_at: i64,
    }
}

/// A correlated subquery giving the external accounts of the user `user_id` (an SQL
/// expression) as a JSON array of rows, oldest first.
pub(crate) fn aggregate_expression(dialect: Dialect, user_id: &str) -> String {
    super::users::rows_json(
        dialect,
        "external_accounts",
        ExternalAccount::COLUMNS,
        user_id,
    )
}

/// Inserts an external account; an account of the provider another user (or this one)
/// already has is [`Unique::ExternalAccount`].
pub(crate) async fn insert(tx: &mut Tx, account: &ExternalAccount) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO external_accounts ({}) VALUES (",
        column_list(ExternalAccount::COLUMNS)
    ));
    sql.bind_separated(account.args()).push(")");
    match sql.query().execute(&mut **tx).await {
        Ok(_) => Ok(()),
        Err(err) if unique_violation(&err).is_some() => {
            Err(StoreError::Taken(Unique::ExternalAccount))
        }
        Err(err) => Err(err.into()),
    }
}

/// The external account `id` of user `user_id`, its row locked: [`StoreError::NotFound`]
/// ("external account") if that user has none with that id.
pub(crate) async fn lock(
    tx: &mut Tx,
    dialect: Dialect,
    user_id: &str,
    id: &str,
) -> Result<ExternalAccount> {
    load(tx, user_id, id, dialect.for_update())
        .await?
        .ok_or_else(|| StoreError::not_found("external account", id))
}

async fn load(
    conn: &mut AnyConnection,
    user_id: &str,
    id: &str,
    lock: &str,
) -> Result<Option<ExternalAccount>> {
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM external_accounts WHERE id = ",
        column_list(ExternalAccount::COLUMNS)
    ));
    sql.bind(id)
        .push(" AND user_id = ")
        .bind(user_id)
        .push(lock);
    let row = sql.query().fetch_optional(conn).await?;
    Ok(row.as_ref().map(ExternalAccount::from_row).transpose()?)
}

/// Deletes an external account.
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM external_accounts WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
