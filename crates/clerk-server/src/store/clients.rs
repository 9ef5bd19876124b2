//! Clients: what Clerk calls a device. The Backend API makes one per session it creates; a
//! browser keeps one across sign-ins (the Frontend API), with its current sign-in and
//! sign-up. A client the browser destroyed keeps its row (`ended_at`), so its sessions stay
//! readable through the Backend API.

use sqlx::AnyConnection;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::sessions::{self, SessionRecord};
use super::sql::{Sql, page_of};
use super::{Dialect, Page, Result, Store, StoreError, Tx};

/// A stored client with its sessions (oldest first).
#[derive(Debug, Clone)]
pub(crate) struct Client {
    pub id: String,
    pub last_active_session_id: Option<String>,
    pub sign_in_id: Option<String>,
    pub sign_up_id: Option<String>,
    pub last_authentication_strategy: Option<String>,
    /// When the browser destroyed it; its cookie is refused from then on.
    pub ended_at: Option<i64>,
    pub sessions: Vec<SessionRecord>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, last_active_session_id, sign_in_id, sign_up_id, \
                       last_authentication_strategy, ended_at, created_at, updated_at";

/// Inserts an empty client.
pub(crate) async fn insert(tx: &mut Tx, id: &str, now_ms: i64) -> Result<()> {
    sqlx::query("INSERT INTO clients (id, created_at, updated_at) VALUES ($1, $2, $2)")
        .bind(id)
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Loads a client with its sessions; `lock` is [`Dialect::for_update`] in read-modify-write
/// transactions.
pub(crate) async fn load(conn: &mut AnyConnection, id: &str, lock: &str) -> Result<Option<Client>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM clients WHERE id = $1{lock}"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut clients = with_sessions(conn, vec![row]).await?;
    Ok(clients.pop())
}

/// Loads a client that must exist, locking its row: every change a browser makes to its
/// client (a sign-in completing, a session ending) takes this first, so they apply one at a
/// time.
pub(crate) async fn lock(tx: &mut Tx, dialect: Dialect, id: &str) -> Result<Client> {
    load(tx, id, dialect.for_update())
        .await?
        .ok_or_else(|| StoreError::not_found("client", id))
}

/// Sets the client's last active session (`None` when the browser signed out).
pub(crate) async fn set_last_active_session(
    tx: &mut Tx,
    id: &str,
    session_id: Option<&str>,
    now_ms: i64,
) -> Result<()> {
    sqlx::query("UPDATE clients SET last_active_session_id = $1, updated_at = $2 WHERE id = $3")
        .bind(session_id)
        .bind(now_ms)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes back what a browser changes on its client: the current sign-in and sign-up, the
/// last authentication strategy and `ended_at`.
pub(crate) async fn save(tx: &mut Tx, client: &Client, now_ms: i64) -> Result<()> {
    sqlx::query(
        "UPDATE clients SET last_active_session_id = $1, sign_in_id = $2, sign_up_id = $3, \
         last_authentication_strategy = $4, ended_at = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(client.last_active_session_id.as_deref())
    .bind(client.sign_in_id.as_deref())
    .bind(client.sign_up_id.as_deref())
    .bind(client.last_authentication_strategy.as_deref())
    .bind(client.ended_at)
    .bind(now_ms)
    .bind(&client.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// A client with its sessions.
    pub(crate) async fn client(&self, id: &str) -> Result<Option<Client>> {
        let mut conn = self.read().await?;
        load(&mut conn, id, "").await
    }

    /// A page of clients, newest first, and the total.
    pub(crate) async fn list_clients(&self, page: Page) -> Result<(Vec<Client>, i64)> {
        let mut conn = self.read().await?;
        let (rows, total) = page_of(&mut conn, "clients", COLUMNS, &|_| {}, page).await?;
        Ok((with_sessions(&mut conn, rows).await?, total))
    }
}

async fn with_sessions(
    conn: &mut AnyConnection,
    rows: Vec<AnyRow>,
) -> std::result::Result<Vec<Client>, sqlx::Error> {
    let mut clients = rows
        .iter()
        .map(|row| {
            Ok(Client {
                id: row.try_get("id")?,
                last_active_session_id: row.try_get("last_active_session_id")?,
                sign_in_id: row.try_get("sign_in_id")?,
                sign_up_id: row.try_get("sign_up_id")?,
                last_authentication_strategy: row.try_get("last_authentication_strategy")?,
                ended_at: row.try_get("ended_at")?,
                sessions: Vec::new(),
                created_at: row.try_get("created_at")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
    if clients.is_empty() {
        return Ok(clients);
    }
    let mut sql = Sql::new(&format!(
        "SELECT {} FROM sessions WHERE client_id IN ",
        sessions::COLUMNS
    ));
    sql.bind_list(clients.iter().map(|c| c.id.as_str()))
        .push(" ORDER BY seq");
    for row in sql.query().fetch_all(conn).await? {
        let session = sessions::from_row(&row)?;
        if let Some(client) = clients.iter_mut().find(|c| c.id == session.client_id) {
            client.sessions.push(session);
        }
    }
    Ok(clients)
}
