//! Identifications: a user's email addresses, phone numbers and web3 wallets (`idn_` ids).
//! Each value is unique across the instance (a unique index on kind + normalised value).

use sqlx::AnyConnection;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::sql::{Sql, get_flag, unique_violation};
use super::users::{self, User};
use super::{Store, flag};
use crate::error::ApiError;
use crate::identifiers::IdentifierKind;
use crate::ids::{self, prefix};

/// A stored identification.
#[derive(Debug, Clone)]
pub(crate) struct Identification {
    pub id: String,
    pub user_id: String,
    pub kind: IdentifierKind,
    pub value: String,
    pub verified: bool,
    pub reserved: bool,
    pub reserved_for_second_factor: bool,
    pub default_second_factor: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A new identification for an existing user.
#[derive(Debug, Clone)]
pub(crate) struct NewIdentification {
    pub kind: IdentifierKind,
    /// Already validated and normalised.
    pub value: String,
    pub verified: bool,
    pub reserved: bool,
    pub primary: bool,
    pub reserved_for_second_factor: bool,
}

/// Changes to an identification (`None` leaves a field alone).
#[derive(Debug, Clone, Default)]
pub(crate) struct IdentificationChanges {
    pub verified: Option<bool>,
    pub primary: Option<bool>,
    pub reserved_for_second_factor: Option<bool>,
}

const COLUMNS: &str = "id, user_id, kind, value, verified, reserved, reserved_for_second_factor, \
                       default_second_factor, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<Identification, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    Ok(Identification {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        kind: IdentifierKind::parse(&kind).ok_or_else(|| {
            sqlx::Error::Decode(format!("unknown identification kind {kind}").into())
        })?,
        value: row.try_get("value")?,
        verified: get_flag(row, "verified")?,
        reserved: get_flag(row, "reserved")?,
        reserved_for_second_factor: get_flag(row, "reserved_for_second_factor")?,
        default_second_factor: get_flag(row, "default_second_factor")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// The identifications of the given users, oldest first.
pub(crate) async fn for_users(
    conn: &mut AnyConnection,
    user_ids: &[&str],
) -> Result<Vec<Identification>, sqlx::Error> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    select_for_users(user_ids)
        .query()
        .fetch_all(conn)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// `SELECT … FROM identifications WHERE user_id IN (…) ORDER BY seq`.
pub(crate) fn select_for_users(user_ids: &[&str]) -> Sql {
    let mut sql = Sql::new(&format!(
        "SELECT {COLUMNS} FROM identifications WHERE user_id IN "
    ));
    sql.bind_list(user_ids.iter().copied())
        .push(" ORDER BY seq");
    sql
}

/// Inserts an identification; a value another user (or this one) holds is 422
/// `form_identifier_exists`.
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    ident: &Identification,
) -> Result<(), ApiError> {
    match insert_many(conn, std::slice::from_ref(ident)).await {
        Ok(()) => Ok(()),
        Err(err) if unique_violation(&err).is_some() => {
            Err(ApiError::identifier_exists(ident.kind.as_str()))
        }
        Err(err) => Err(err.into()),
    }
}

/// Inserts identifications in one statement (their users must exist).
pub(crate) async fn insert_many(
    conn: &mut AnyConnection,
    idents: &[Identification],
) -> Result<(), sqlx::Error> {
    if idents.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(&format!("INSERT INTO identifications ({COLUMNS}) VALUES "));
    for (i, ident) in idents.iter().enumerate() {
        sql.push(if i == 0 { "(" } else { ", (" })
            .bind(&ident.id)
            .push(", ")
            .bind(&ident.user_id)
            .push(", ")
            .bind(ident.kind.as_str())
            .push(", ")
            .bind(&ident.value)
            .push(", ")
            .bind(ident.verified)
            .push(", ")
            .bind(ident.reserved)
            .push(", ")
            .bind(ident.reserved_for_second_factor)
            .push(", ")
            .bind(ident.default_second_factor)
            .push(", ")
            .bind(ident.created_at)
            .push(", ")
            .bind(ident.updated_at)
            .push(")");
    }
    sql.query().execute(conn).await?;
    Ok(())
}

impl Store {
    /// Adds an identification to a user (404 if the user does not exist).
    pub(crate) async fn create_identification(
        &self,
        user_id: &str,
        new: NewIdentification,
        now_ms: i64,
    ) -> Result<Identification, ApiError> {
        let mut tx = self.write().await?;
        let user = users::existing_user(&mut tx, user_id, self.dialect().for_update()).await?;
        let has_primary = user.record.primary_id(new.kind).is_some();
        if new.primary && has_primary && !new.verified {
            return Err(verification_needed(new.kind));
        }
        if new.reserved_for_second_factor && !new.verified {
            return Err(ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "identification_create_second_factor_unverified",
                "Create failed",
                "Unverified identifications cannot be a second factor",
            ));
        }
        let has_default_second_factor =
            user.identifications.iter().any(|i| i.default_second_factor);
        let ident = Identification {
            id: ids::new_id(prefix::IDENTIFICATION, now_ms),
            user_id: user_id.to_owned(),
            kind: new.kind,
            value: new.value,
            verified: new.verified,
            reserved: new.reserved,
            reserved_for_second_factor: new.reserved_for_second_factor,
            default_second_factor: new.reserved_for_second_factor && !has_default_second_factor,
            created_at: now_ms,
            updated_at: now_ms,
        };
        insert(&mut tx, &ident).await?;
        if new.primary || !has_primary {
            users::set_primary(&mut tx, user_id, new.kind, Some(&ident.id)).await?;
        }
        users::touch_and_refresh(&mut tx, user_id, now_ms).await?;
        tx.commit().await?;
        Ok(ident)
    }

    /// An identification of the given kind.
    pub(crate) async fn identification(
        &self,
        id: &str,
        kind: IdentifierKind,
    ) -> Result<Option<Identification>, ApiError> {
        let mut conn = self.read().await?;
        Ok(load(&mut conn, id, kind, "").await?)
    }

    /// Updates an identification (404 if there is none of this kind with this id).
    pub(crate) async fn update_identification(
        &self,
        id: &str,
        kind: IdentifierKind,
        changes: IdentificationChanges,
        now_ms: i64,
    ) -> Result<Identification, ApiError> {
        let mut tx = self.write().await?;
        let current = load(&mut tx, id, kind, self.dialect().for_update())
            .await?
            .ok_or_else(|| ApiError::not_found(kind.words(), id))?;
        let verified = changes.verified.unwrap_or(current.verified);
        if changes.primary == Some(true) && !verified {
            return Err(verification_needed(kind));
        }
        let reserved_for_second_factor = changes
            .reserved_for_second_factor
            .unwrap_or(current.reserved_for_second_factor);
        if reserved_for_second_factor && !verified {
            return Err(ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "identification_update_second_factor_unverified",
                "Update failed",
                "Cannot update second factor attributes for unverified identification",
            ));
        }
        let user: User = users::load_user(&mut tx, &current.user_id, "")
            .await?
            .ok_or_else(|| ApiError::not_found(kind.words(), id))?;
        let default_second_factor = if reserved_for_second_factor {
            current.default_second_factor
                || !user.identifications.iter().any(|i| i.default_second_factor)
        } else {
            false
        };
        sqlx::query(
            "UPDATE identifications SET verified = $1, reserved = $2, reserved_for_second_factor = $3, \
             default_second_factor = $4, updated_at = $5 WHERE id = $6",
        )
        .bind(flag(verified))
        .bind(flag(current.reserved && !verified))
        .bind(flag(reserved_for_second_factor))
        .bind(flag(default_second_factor))
        .bind(now_ms)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if current.default_second_factor && !default_second_factor {
            promote_default_second_factor(&mut tx, &current.user_id, id).await?;
        }
        if changes.primary == Some(true) {
            users::set_primary(&mut tx, &current.user_id, kind, Some(id)).await?;
        }
        users::touch_and_refresh(&mut tx, &current.user_id, now_ms).await?;
        let updated = load(&mut tx, id, kind, "")
            .await?
            .ok_or_else(|| ApiError::not_found(kind.words(), id))?;
        tx.commit().await?;
        Ok(updated)
    }

    /// Deletes an identification. If it was the user's primary of its kind, the oldest
    /// remaining verified one (if any) becomes primary.
    pub(crate) async fn delete_identification(
        &self,
        id: &str,
        kind: IdentifierKind,
        now_ms: i64,
    ) -> Result<(), ApiError> {
        let mut tx = self.write().await?;
        let current = load(&mut tx, id, kind, self.dialect().for_update())
            .await?
            .ok_or_else(|| ApiError::not_found(kind.words(), id))?;
        sqlx::query("DELETE FROM identifications WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let user = users::load_user(&mut tx, &current.user_id, "")
            .await?
            .ok_or_else(|| ApiError::not_found(kind.words(), id))?;
        if user.record.primary_id(kind) == Some(id) {
            let successor = user
                .identifications
                .iter()
                .find(|i| i.kind == kind && i.verified)
                .map(|i| i.id.clone());
            users::set_primary(&mut tx, &current.user_id, kind, successor.as_deref()).await?;
        }
        if current.default_second_factor {
            promote_default_second_factor(&mut tx, &current.user_id, id).await?;
        }
        users::touch_and_refresh(&mut tx, &current.user_id, now_ms).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn load(
    conn: &mut AnyConnection,
    id: &str,
    kind: IdentifierKind,
    lock: &str,
) -> Result<Option<Identification>, sqlx::Error> {
    let mut sql = Sql::new(&format!(
        "SELECT {COLUMNS} FROM identifications WHERE id = "
    ));
    sql.bind(id)
        .push(" AND kind = ")
        .bind(kind.as_str())
        .push(lock);
    sql.query()
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Makes the user's oldest other second-factor phone number the default one.
async fn promote_default_second_factor(
    conn: &mut AnyConnection,
    user_id: &str,
    except_id: &str,
) -> Result<(), sqlx::Error> {
    let next = sqlx::query(
        "SELECT id FROM identifications WHERE user_id = $1 AND id <> $2 \
         AND reserved_for_second_factor = 1 ORDER BY seq LIMIT 1",
    )
    .bind(user_id)
    .bind(except_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = next {
        let next_id: String = row.try_get(0)?;
        sqlx::query("UPDATE identifications SET default_second_factor = 1 WHERE id = $1")
            .bind(next_id)
            .execute(conn)
            .await?;
    }
    Ok(())
}

fn verification_needed(kind: IdentifierKind) -> ApiError {
    ApiError::form(
        "form_verification_needed",
        "primary",
        "is unverified",
        format!(
            "This {} needs to be verified before it can be the primary one.",
            kind.words()
        ),
    )
}
