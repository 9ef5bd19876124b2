//! OAuth applications (`oa_…`) and the access tokens they hold for users (`oat_…`). An
//! application's client secret and every access token are kept only as their SHA-256.

use sqlx::Row;

use super::api_keys::JsonList;
use super::record::{column_list, record};
use super::sql::Sql;
use super::{Page, Result, Store, StoreError, Tx};

record! {
    /// A stored OAuth application.
    #[derive(Debug, Clone)]
    pub(crate) struct OAuthApplicationRecord {
        id: String,
        name: String,
        client_id: String,
        /// SHA-256 of the client secret, hex (none for a public application until one is
        /// rotated in).
        client_secret_digest: Option<String>,
        client_uri: Option<String>,
        /// The uploaded logo (`images`).
        image_id: Option<String>,
        dynamically_registered: bool,
        consent_screen_enabled: bool,
        pkce_required: bool,
        public: bool,
        /// Space-separated, as Clerk answers it.
        scopes: String,
        redirect_uris: JsonList,
        callback_url: String,
        created_at: i64,
        updated_at: i64,
    }
}

record! {
    /// A stored OAuth access token (its digest, never the token).
    #[derive(Debug, Clone)]
    pub(crate) struct OAuthAccessTokenRecord {
        /// `oat_…`; a JWT's `jti`.
        id: String,
        application_id: String,
        client_id: String,
        /// The user it acts for.
        subject: String,
        scopes: JsonList,
        /// `opaque` or `jwt`.
        format: String,
        /// SHA-256 of the token, hex.
        token_digest: String,
        revoked: bool,
        revocation_reason: Option<String>,
        /// When it expires, unix milliseconds.
        expiration: Option<i64>,
        created_at: i64,
        updated_at: i64,
    }
}

impl OAuthAccessTokenRecord {
    /// Whether the token has expired at `now` (milliseconds).
    pub(crate) fn expired(&self, now: i64) -> bool {
        self.expiration.is_some_and(|at| at <= now)
    }
}

fn select_application(condition: &str) -> Sql {
    Sql::new(&format!(
        "SELECT {} FROM oauth_applications WHERE {condition}",
        column_list(OAuthApplicationRecord::COLUMNS)
    ))
}

fn select_token(condition: &str) -> Sql {
    Sql::new(&format!(
        "SELECT {} FROM oauth_access_tokens WHERE {condition}",
        column_list(OAuthAccessTokenRecord::COLUMNS)
    ))
}

/// Adds an application; a taken client id is an error whose [`StoreError::is_taken`] holds.
pub(crate) async fn insert(tx: &mut Tx, record: &OAuthApplicationRecord) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO oauth_applications ({}) VALUES (",
        column_list(OAuthApplicationRecord::COLUMNS)
    ));
    sql.bind_separated(record.args()).push(")");
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// Writes an application back whole.
pub(crate) async fn save(tx: &mut Tx, record: &OAuthApplicationRecord) -> Result<()> {
    let mut sql = Sql::new("UPDATE oauth_applications SET ");
    for (i, (column, value)) in OAuthApplicationRecord::COLUMNS
        .iter()
        .zip(record.args())
        .enumerate()
    {
        if i > 0 {
            sql.push(", ");
        }
        sql.push(column).push(" = ").bind(value);
    }
    sql.push(" WHERE id = ").bind(&record.id);
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// The application `id`, locked for the rest of the transaction (`lock` is the dialect's
/// `FOR UPDATE`); unknown is `StoreError::NotFound`.
pub(crate) async fn load(tx: &mut Tx, id: &str, lock: &str) -> Result<OAuthApplicationRecord> {
    let mut sql = select_application("id = ");
    sql.bind(id).push(lock);
    let row = sql
        .query()
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found("oauth application", id))?;
    Ok(OAuthApplicationRecord::from_row(&row)?)
}

/// Deletes an application (its tokens go with it); false if there was none.
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<bool> {
    // Explicitly, as SQLite enforces the foreign key only where it is switched on.
    sqlx::query("DELETE FROM oauth_access_tokens WHERE application_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let deleted = sqlx::query("DELETE FROM oauth_applications WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

/// Adds an access token.
pub(crate) async fn insert_token(tx: &mut Tx, record: &OAuthAccessTokenRecord) -> Result<()> {
    let mut sql = Sql::new(&format!(
        "INSERT INTO oauth_access_tokens ({}) VALUES (",
        column_list(OAuthAccessTokenRecord::COLUMNS)
    ));
    sql.bind_separated(record.args()).push(")");
    sql.query().execute(&mut **tx).await?;
    Ok(())
}

/// Revokes the application's token with this digest; false if it has none (or it was
/// revoked already).
pub(crate) async fn revoke_token(
    tx: &mut Tx,
    application_id: &str,
    digest: &str,
    reason: Option<&str>,
    now: i64,
) -> Result<bool> {
    let revoked = sqlx::query(
        "UPDATE oauth_access_tokens SET revoked = 1, revocation_reason = $1, updated_at = $2 \
         WHERE application_id = $3 AND token_digest = $4 AND revoked = 0",
    )
    .bind(reason.map(str::to_owned))
    .bind(now)
    .bind(application_id)
    .bind(digest)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(revoked > 0)
}

impl Store {
    /// An application by id.
    pub(crate) async fn oauth_application(&self, id: &str) -> Result<OAuthApplicationRecord> {
        let mut conn = self.read().await?;
        let mut sql = select_application("id = ");
        sql.bind(id);
        let row = sql
            .query()
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::not_found("oauth application", id))?;
        Ok(OAuthApplicationRecord::from_row(&row)?)
    }

    /// A page of applications (names containing `name_query`, case-insensitive), in
    /// creation order (`descending` for newest first), and the total.
    pub(crate) async fn list_oauth_applications(
        &self,
        name_query: Option<&str>,
        descending: bool,
        page: Page,
    ) -> Result<(Vec<OAuthApplicationRecord>, i64)> {
        let mut conn = self.read().await?;
        let filter = |sql: &mut Sql| {
            if let Some(needle) = name_query {
                super::sql::push_contains(sql, "LOWER(name)", &needle.to_lowercase());
            }
        };
        let mut count = Sql::new("SELECT COUNT(*) FROM oauth_applications WHERE 1 = 1");
        filter(&mut count);
        let total: i64 = count.query().fetch_one(&mut *conn).await?.try_get(0)?;
        let mut sql = select_application("1 = 1");
        filter(&mut sql);
        sql.push(if descending {
            " ORDER BY created_at DESC, seq DESC"
        } else {
            " ORDER BY created_at ASC, seq ASC"
        })
        .push_page(page);
        let rows = sql.query().fetch_all(&mut *conn).await?;
        let items = rows
            .iter()
            .map(OAuthApplicationRecord::from_row)
            .collect::<Result<_, sqlx::Error>>()?;
        Ok((items, total))
    }

    /// The access token with this digest, if any (a lookup on the unique index).
    pub(crate) async fn oauth_access_token_by_digest(
        &self,
        digest: &str,
    ) -> Result<Option<OAuthAccessTokenRecord>> {
        let mut conn = self.read().await?;
        let mut sql = select_token("token_digest = ");
        sql.bind(digest);
        let row = sql.query().fetch_optional(&mut *conn).await?;
        Ok(row
            .as_ref()
            .map(OAuthAccessTokenRecord::from_row)
            .transpose()?)
    }
}
