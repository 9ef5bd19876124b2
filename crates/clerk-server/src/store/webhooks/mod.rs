//! Webhooks: endpoints (here), the messages events become and their deliveries
//! (`messages`), and the attempts made to deliver them (`attempts`).

pub(crate) mod attempts;
pub(crate) mod messages;

use sqlx::Row;
use sqlx::any::AnyRow;

use super::sql::{Sql, page_of};
use super::{Page, Result, Store, StoreError, Tx};

/// Where events are delivered.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub id: String,
    pub url: String,
    pub description: Option<String>,
    /// The event types delivered; `None` for every type.
    pub filter_types: Option<Vec<String>>,
    /// `whsec_…`; the HMAC key is its decoded base64.
    pub secret: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Endpoint {
    /// Whether events of `event_type` go to this endpoint.
    pub(crate) fn wants(&self, event_type: &str) -> bool {
        self.filter_types
            .as_ref()
            .is_none_or(|types| types.iter().any(|t| t == event_type))
    }
}

const COLUMNS: &str = "id, url, description, filter_types, secret, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<Endpoint, sqlx::Error> {
    let filter_types: Option<String> = row.try_get("filter_types")?;
    let filter_types = filter_types
        .map(|text| serde_json::from_str(&text))
        .transpose()
        .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(Endpoint {
        id: row.try_get("id")?,
        url: row.try_get("url")?,
        description: row.try_get("description")?,
        filter_types,
        secret: row.try_get("secret")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Stores a new endpoint, in the caller's transaction.
pub(crate) async fn insert(tx: &mut Tx, endpoint: &Endpoint) -> Result<()> {
    let filter_types = endpoint
        .filter_types
        .as_ref()
        .map(|types| serde_json::Value::from(types.clone()).to_string());
    sqlx::query(
        "INSERT INTO webhook_endpoints \
         (id, url, description, filter_types, secret, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&endpoint.id)
    .bind(&endpoint.url)
    .bind(endpoint.description.clone())
    .bind(filter_types)
    .bind(&endpoint.secret)
    .bind(endpoint.created_at)
    .bind(endpoint.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes an endpoint and what was still to be delivered to it; its attempts stay
/// listable.
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<()> {
    let deleted = sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if deleted == 0 {
        return Err(StoreError::not_found("webhook endpoint", id));
    }
    sqlx::query("DELETE FROM webhook_deliveries WHERE endpoint_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Every endpoint, oldest first, in the caller's transaction: the ones a new message fans
/// out to are those that exist when it commits.
pub(crate) async fn all_in(tx: &mut Tx) -> Result<Vec<Endpoint>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM webhook_endpoints ORDER BY seq"
    )))
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

impl Store {
    /// A page of endpoints, newest first, and how many there are.
    pub(crate) async fn list_webhook_endpoints(&self, page: Page) -> Result<(Vec<Endpoint>, i64)> {
        let mut conn = self.read().await?;
        let (rows, total) = page_of(
            &mut conn,
            "webhook_endpoints",
            COLUMNS,
            &|_: &mut Sql| {},
            page,
        )
        .await?;
        Ok((rows.iter().map(from_row).collect::<Result<_, _>>()?, total))
    }

    /// One endpoint.
    pub(crate) async fn webhook_endpoint(&self, id: &str) -> Result<Endpoint> {
        let mut conn = self.read().await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM webhook_endpoints WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("webhook endpoint", id))?;
        Ok(from_row(&row)?)
    }

    /// The endpoints registered for `url`, oldest first.
    pub(crate) async fn webhook_endpoints_for_url(&self, url: &str) -> Result<Vec<Endpoint>> {
        let mut conn = self.read().await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM webhook_endpoints WHERE url = $1 ORDER BY seq"
        )))
        .bind(url)
        .fetch_all(&mut *conn)
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }
}
