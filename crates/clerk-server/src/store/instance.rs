//! Instance state shared by every replica: the instance row and its settings, the accepted
//! secret keys (as SHA-256 digests) and the signing keys.

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use sqlx::Row;

use super::{Dialect, Result, StartupLock, Store, StoreError, Tx};
use crate::error::Error;
use crate::ids::{self, prefix};
use crate::secret::Secret;

/// Every instance setting the Backend API can read or write. Stored as one JSON document.
///
/// The allowlist flag is one value however it is set: `restricted_to_allowlist` of
/// `PATCH /v1/beta_features/instance_settings` and of the older
/// `PATCH /v1/beta_features/allowlist`, and `allowlist` of `PATCH /v1/instance/restrictions`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub(crate) struct InstanceSettings {
    pub restricted_to_allowlist: bool,
    pub blocklist: bool,
    pub allowlist_blocklist_disabled_on_sign_in: bool,
    pub block_email_subaddresses: bool,
    pub block_disposable_email_domains: bool,
    pub from_email_address: String,
    pub progressive_sign_up: bool,
    pub enhanced_email_deliverability: bool,
    pub test_mode: bool,
    pub hibp: bool,
    pub support_email: Option<String>,
    pub clerk_js_version: Option<String>,
    pub development_origin: Option<String>,
    pub allowed_origins: Option<Vec<String>>,
    pub cookieless_dev: bool,
    pub url_based_session_syncing: bool,
    pub preferred_sign_in_strategy_when_password_required: Option<String>,
    pub organizations: OrganizationSettings,
    /// `GET`/`PATCH /v1/instance/protect`.
    pub protect: ProtectSettings,
    /// `GET`/`PATCH /v1/instance/communication`: ISO 3166-1 alpha-2 codes, sorted.
    pub blocked_country_codes: Vec<String>,
    /// `GET`/`PATCH /v1/instance/oauth_application_settings`.
    pub oauth_applications: OAuthApplicationSettings,
}

/// Clerk Protect's switches (stored; nothing local acts on them).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub(crate) struct ProtectSettings {
    pub rules_enabled: bool,
    pub specter_enabled: bool,
}

/// The instance's OAuth application settings (stored; answered as set).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub(crate) struct OAuthApplicationSettings {
    pub dynamic_oauth_client_registration: bool,
    /// `None`: Clerk's defaults.
    pub default_scopes: Option<Vec<String>>,
    pub oauth_jwt_access_tokens: bool,
    pub client_id_metadata_documents_advertised: bool,
    pub client_id_metadata_documents_only_allow_pre_registered_clients: bool,
    pub client_id_metadata_documents_block_implicitly_allowed_clients: bool,
}

/// The instance's organization settings (the creator role and the initial role set are the
/// initial role set's, in the roles catalog, so they are not repeated here).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub(crate) struct OrganizationSettings {
    /// Organizations are on by default here, unlike on a new clerk.com instance: a local
    /// server is for trying everything.
    pub enabled: bool,
    /// The limit new organizations get; 0: none.
    pub max_allowed_memberships: i64,
    pub max_allowed_roles: i64,
    pub max_allowed_permissions: i64,
    pub max_role_sets_allowed: i64,
    pub max_allowed_domains: i64,
    pub admin_delete_enabled: bool,
    pub domains_enabled: bool,
    pub domains_enrollment_modes: Vec<String>,
    pub domains_default_role: String,
    pub slug_disabled: bool,
}

impl Default for OrganizationSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            max_allowed_memberships: 0,
            max_allowed_roles: 10,
            max_allowed_permissions: 50,
            max_role_sets_allowed: 10,
            max_allowed_domains: 10,
            admin_delete_enabled: true,
            domains_enabled: true,
            domains_enrollment_modes: vec![
                "manual_invitation".to_owned(),
                "automatic_invitation".to_owned(),
                "automatic_suggestion".to_owned(),
            ],
            domains_default_role: "org:member".to_owned(),
            slug_disabled: false,
        }
    }
}

impl Default for InstanceSettings {
    fn default() -> Self {
        Self {
            restricted_to_allowlist: false,
            blocklist: false,
            allowlist_blocklist_disabled_on_sign_in: false,
            block_email_subaddresses: false,
            block_disposable_email_domains: false,
            from_email_address: "notifications".to_owned(),
            progressive_sign_up: true,
            enhanced_email_deliverability: false,
            test_mode: true,
            hibp: false,
            support_email: None,
            clerk_js_version: None,
            development_origin: None,
            allowed_origins: None,
            cookieless_dev: false,
            url_based_session_syncing: false,
            preferred_sign_in_strategy_when_password_required: None,
            organizations: OrganizationSettings::default(),
            protect: ProtectSettings::default(),
            blocked_country_codes: Vec::new(),
            oauth_applications: OAuthApplicationSettings::default(),
        }
    }
}

/// The instance: its id and settings.
#[derive(Debug, Clone)]
pub(crate) struct Instance {
    pub id: String,
    pub settings: InstanceSettings,
}

/// A signing key as stored: its private key sealed (`crate::keys::vault`), or in plain
/// text in databases from before sealing, until the next start seals it.
#[derive(Debug, Clone)]
pub(crate) struct StoredKey {
    pub kid: String,
    pub private_key: Secret,
    pub created_at: i64,
    pub retired_at: Option<i64>,
}

/// What startup found or created.
#[derive(Debug)]
pub(crate) struct Bootstrap {
    /// The secret key generated on this start, when none existed and none was given.
    pub generated_secret_key: Option<Secret>,
}

/// The stored form of a secret key: its SHA-256 digest, hex-encoded.
pub(crate) fn secret_key_hash(key: &str) -> String {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, key.as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new secret key in Clerk's format.
pub(crate) fn generate_secret_key() -> Secret {
    Secret::new(format!("sk_test_{}", ids::random_base62(40)))
}

/// Creates what a fresh database lacks: the instance row and a secret key (the given one is
/// recorded; without one and with none stored, one is generated if
/// `may_generate_secret_key`). Runs under the startup lock, so concurrent replicas do this
/// once. Signing keys come after, sealed (`crate::keys::bootstrap`).
pub(crate) async fn bootstrap(
    lock: &mut StartupLock,
    now_ms: i64,
    given_secret_key: Option<&Secret>,
    may_generate_secret_key: bool,
) -> std::result::Result<Bootstrap, Error> {
    let mut tx = lock.begin().await?;
    let has_instance = sqlx::query("SELECT id FROM instance")
        .fetch_optional(&mut *tx)
        .await?
        .is_some();
    if !has_instance {
        let settings = serde_json::to_string(&InstanceSettings::default())
            .map_err(|e| Error::InvalidConfig(e.to_string()))?;
        sqlx::query(
            "INSERT INTO instance (id, settings, created_at, updated_at) VALUES ($1, $2, $3, $3)",
        )
        .bind(ids::new_id(prefix::INSTANCE, now_ms))
        .bind(settings)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
    }
    let generated_secret_key = match given_secret_key {
        Some(key) => {
            insert_secret_key(&mut tx, key, now_ms).await?;
            None
        }
        None => {
            let any = sqlx::query("SELECT key_hash FROM secret_keys")
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
            if any || !may_generate_secret_key {
                None
            } else {
                let key = generate_secret_key();
                insert_secret_key(&mut tx, &key, now_ms).await?;
                Some(key)
            }
        }
    };
    tx.commit().await?;
    Ok(Bootstrap {
        generated_secret_key,
    })
}

/// Every signing key, newest first, read on `conn` (the startup lock's).
pub(crate) async fn signing_keys_on(
    conn: &mut AnyConnection,
) -> Result<Vec<StoredKey>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT kid, private_key, created_at, retired_at FROM signing_keys ORDER BY seq DESC",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(StoredKey {
                kid: row.try_get("kid")?,
                private_key: Secret::new(row.try_get::<String, _>("private_key")?),
                created_at: row.try_get("created_at")?,
                retired_at: row.try_get("retired_at")?,
            })
        })
        .collect()
}

/// Replaces the stored form of a signing key (sealing it anew), on `conn`.
pub(crate) async fn replace_private_key(
    conn: &mut AnyConnection,
    kid: &str,
    private_key: &Secret,
) -> std::result::Result<(), sqlx::Error> {
    sqlx::query("UPDATE signing_keys SET private_key = $1 WHERE kid = $2")
        .bind(private_key.expose())
        .bind(kid)
        .execute(conn)
        .await?;
    Ok(())
}

/// Adds a signing key in its stored form, on `conn`.
pub(crate) async fn insert_signing_key(
    conn: &mut AnyConnection,
    kid: &str,
    private_key: &Secret,
    now_ms: i64,
) -> std::result::Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO signing_keys (kid, private_key, created_at) VALUES ($1, $2, $3)")
        .bind(kid)
        .bind(private_key.expose())
        .bind(now_ms)
        .execute(conn)
        .await?;
    Ok(())
}

async fn insert_secret_key(
    conn: &mut AnyConnection,
    key: &Secret,
    now_ms: i64,
) -> std::result::Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO secret_keys (key_hash, created_at) VALUES ($1, $2) ON CONFLICT (key_hash) DO NOTHING")
        .bind(secret_key_hash(key.expose()))
        .bind(now_ms)
        .execute(conn)
        .await?;
    Ok(())
}

/// Changes instance settings atomically (the instance row locked) and returns the result.
pub(crate) async fn update_settings(
    tx: &mut Tx,
    dialect: Dialect,
    now_ms: i64,
    change: impl FnOnce(&mut InstanceSettings),
) -> Result<Instance> {
    let mut instance = load(tx, dialect.for_update()).await?;
    change(&mut instance.settings);
    let settings = serde_json::to_string(&instance.settings)
        .map_err(|e| StoreError::Database(sqlx::Error::Encode(e.into())))?;
    sqlx::query("UPDATE instance SET settings = $1, updated_at = $2 WHERE id = $3")
        .bind(settings)
        .bind(now_ms)
        .bind(&instance.id)
        .execute(&mut **tx)
        .await?;
    Ok(instance)
}

/// Makes `kid` the signing key and retires every other active key at `now_ms`. Returns
/// the kids it retired. Concurrent rotations (replicas) take turns on the instance row.
pub(crate) async fn rotate_signing_key(
    tx: &mut Tx,
    dialect: Dialect,
    kid: &str,
    private_key: &Secret,
    now_ms: i64,
) -> Result<Vec<String>> {
    load(tx, dialect.for_update()).await?;
    let retired: Vec<String> = sqlx::query("SELECT kid FROM signing_keys WHERE retired_at IS NULL")
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<std::result::Result<_, _>>()?;
    sqlx::query("UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL")
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
    insert_signing_key(tx, kid, private_key, now_ms).await?;
    Ok(retired)
}

impl Store {
    /// Whether `digest` is the digest of an accepted secret key.
    pub(crate) async fn has_secret_key_hash(&self, digest: &str) -> Result<bool> {
        let mut conn = self.read().await?;
        let row = sqlx::query("SELECT 1 FROM secret_keys WHERE key_hash = $1")
            .bind(digest)
            .fetch_optional(&mut *conn)
            .await?;
        Ok(row.is_some())
    }

    /// The instance and its settings.
    pub(crate) async fn instance(&self) -> Result<Instance> {
        let mut conn = self.read().await?;
        load(&mut conn, "").await
    }

    /// Every signing key, newest first.
    pub(crate) async fn signing_keys(&self) -> Result<Vec<StoredKey>> {
        let mut conn = self.read().await?;
        Ok(signing_keys_on(&mut conn).await?)
    }
}

/// The instance, read on `conn`; `lock` is [`Dialect::for_update`] to lock its row.
pub(crate) async fn load(conn: &mut AnyConnection, lock: &str) -> Result<Instance> {
    let sql = format!("SELECT id, settings FROM instance{lock}");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_one(conn)
        .await?;
    let settings: String = row.try_get("settings")?;
    Ok(Instance {
        id: row.try_get("id")?,
        settings: serde_json::from_str(&settings)
            .map_err(|e| StoreError::Database(sqlx::Error::Decode(e.into())))?,
    })
}
