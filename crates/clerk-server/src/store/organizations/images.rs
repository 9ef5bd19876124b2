//! Uploaded images (organization logos), kept in the database so that replicas serve the
//! same bytes. Stored base64-encoded: both backends read text through sqlx's `Any` driver.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sqlx::Row;

use crate::store::{Result, Store, StoreError, Tx};

/// An image to store or serve.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Image {
    pub id: String,
    pub organization_id: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub uploader_user_id: Option<String>,
    pub created_at: i64,
}

impl std::fmt::Debug for Image {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Image")
            .field("id", &self.id)
            .field("content_type", &self.content_type)
            .field("bytes", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// Stores an image.
pub(crate) async fn insert(tx: &mut Tx, image: &Image) -> Result<()> {
    sqlx::query(
        "INSERT INTO organization_images (id, organization_id, content_type, data, \
         uploader_user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&image.id)
    .bind(&image.organization_id)
    .bind(&image.content_type)
    .bind(STANDARD.encode(&image.bytes))
    .bind(image.uploader_user_id.clone())
    .bind(image.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes an image (a logo that was replaced or removed).
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM organization_images WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// An image by id.
    pub(crate) async fn image(&self, id: &str) -> Result<Option<Image>> {
        let mut conn = self.read().await?;
        let row = sqlx::query(
            "SELECT id, organization_id, content_type, data, uploader_user_id, created_at \
             FROM organization_images WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let data: String = row.try_get("data")?;
        let bytes = STANDARD.decode(data).map_err(|e| {
            StoreError::Database(sqlx::Error::Decode(format!("image {id}: {e}").into()))
        })?;
        Ok(Some(Image {
            id: row.try_get("id")?,
            organization_id: row.try_get("organization_id")?,
            content_type: row.try_get("content_type")?,
            bytes,
            uploader_user_id: row.try_get("uploader_user_id")?,
            created_at: row.try_get("created_at")?,
        }))
    }
}
