//! Uploaded images (organization logos and users' profile images), kept in the database so
//! that replicas serve the same bytes. Each names its owner (an organization or a user),
//! which deletes its images when it goes. Stored base64-encoded: both backends read text
//! through sqlx's `Any` driver.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sqlx::Row;

use crate::store::{Result, Store, StoreError, Tx};

/// An image to store or serve.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Image {
    pub id: String,
    /// The organization or user the image is for.
    pub owner_id: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub uploader_user_id: Option<String>,
    pub created_at: i64,
}

impl std::fmt::Debug for Image {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Image")
            .field("id", &self.id)
            .field("owner_id", &self.owner_id)
            .field("content_type", &self.content_type)
            .field("bytes", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// Stores an image.
pub(crate) async fn insert(tx: &mut Tx, image: &Image) -> Result<()> {
    sqlx::query(
        "INSERT INTO images (id, owner_id, content_type, data, uploader_user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&image.id)
    .bind(&image.owner_id)
    .bind(&image.content_type)
    .bind(STANDARD.encode(&image.bytes))
    .bind(image.uploader_user_id.clone())
    .bind(image.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes an image (one that was replaced or removed).
pub(crate) async fn delete(tx: &mut Tx, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM images WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Deletes every image of an owner (an organization or a user being deleted).
pub(crate) async fn delete_of_owner(tx: &mut Tx, owner_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM images WHERE owner_id = $1")
        .bind(owner_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// An image by id.
    pub(crate) async fn image(&self, id: &str) -> Result<Option<Image>> {
        let mut conn = self.read().await?;
        let row = sqlx::query(
            "SELECT id, owner_id, content_type, data, uploader_user_id, created_at \
             FROM images WHERE id = $1",
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
            owner_id: row.try_get("owner_id")?,
            content_type: row.try_get("content_type")?,
            bytes,
            uploader_user_id: row.try_get("uploader_user_id")?,
            created_at: row.try_get("created_at")?,
        }))
    }
}
