//! A user's passkeys: WebAuthn credentials, each with Clerk's identification id (`idn_`).
//! A user is read with its passkeys ([`super::users`]); this module writes and deletes them.

use sqlx::AnyConnection;

use super::record::{column_list, record};
use super::sql::{Sql, unique_violation};
use super::{Dialect, Result, StoreError, Tx, Unique};

record! {
    /// A stored passkey.
    #[derive(Debug, Clone)]
    pub(crate) struct Passkey {
        id: String,
        user_id: String,
        name: String,
        /// The WebAuthn credential id (base64url), unique across the instance.
        credential_id: String,
        last_used_at: i64,
        created_at: i64,
        updated_at: i64,
    }
}

/// What a user with passkeys is shown with: a correlated subquery giving the passkeys of the
/// user `user_id` (an SQL expression) as a JSON array of rows, oldest first.
pub(crate) fn aggregate_expression(dialect: Dialect, user_id: &str) -> String {
    super::users::rows_json(dialect, "passkeys", Passkey::COLUMNS, user_id)
}

/// Inserts a passkey; a credential id already registered is [`Unique::PasskeyCredential`].
pub(crate) async fn insert(tx: &mut Tx, passkey: &Passkey) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO passkeys ({}) VALUES (",
        column_list(Passkey::COLUMNS)
    ));
    sql.bind_separated(passkey.args()).push(")");
    match sql.query().execute(&mut **tx).await {
        Ok(_) => Ok(()),
        Err(err) if unique_violation(&err).is_some() => {
            Err(StoreError::Taken(Unique::PasskeyCredential))
        }
        Err(err) => Err(err.into()),
    }
}

/// The passkey `id` of user `user_id`, its row locked: [`StoreError::NotFound`] ("passkey")
/// if that user has none with that id (a passkey of another user is as unknown).
pub(crate) async fn lock(
    tx: &mut Tx,
    dialect: Dialect,
    user_id: &str,
    id: &str,
) -> Result<Passkey> {
    load(tx, user_id, id, dialect.for_update())
        .await?
        .ok_or_else(|| StoreError::not_found("passkey", id))
}

async fn load(
    conn: &mut AnyConnection,
    user_id: &str,
    id: &str,
    lock: &str,
) -> Result<Option<Passkey>> {
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM passkeys WHERE id = ",
        column_list(Passkey::COLUMNS)
    ));
    sql.bind(id)
        .push(" AND user_id = ")
        .bind(user_id)
        .push(lock);
    let row = sql.query().fetch_optional(conn).await?;
    Ok(row.as_ref().map(Passkey::from_row).transpose()?)
}

/// Deletes a passkey.
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM passkeys WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
