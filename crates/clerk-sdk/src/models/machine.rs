//! Machines (services that call each other), their secret keys and scopes, and the M2M
//! tokens they mint. Secrets (a machine's key, a token) never show in `Debug`.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

/// A machine as [`Machine::scoped_machines`] lists it: without its own scopes.
///
/// ```
/// let m: clerk_sdk::ScopedMachine = serde_json::from_str(r#"{
///     "object": "machine", "id": "mch_1", "name": "billing", "instance_id": "ins_1",
///     "default_token_ttl": 3600, "created_at": 1, "updated_at": 2
/// }"#)?;
/// assert_eq!(m.name, "billing");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScopedMachine {
    /// `"machine"`.
    pub object: String,
    /// The ID (`mch_...`).
    pub id: String,
    /// The name.
    pub name: String,
    /// The instance it belongs to.
    pub instance_id: String,
    /// Seconds its tokens live unless asked otherwise.
    #[serde(default)]
    pub default_token_ttl: Option<i64>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A machine (`object: "machine"`, ID prefix `mch_`). `secret_key` is only in the answer
/// of [`Machines::create`](crate::Machines::create); `Debug` never shows it.
///
/// ```
/// let m: clerk_sdk::Machine = serde_json::from_str(r#"{
///     "object": "machine", "id": "mch_1", "name": "api", "instance_id": "ins_1",
///     "default_token_ttl": 3600, "created_at": 1, "updated_at": 2,
///     "scoped_machines": [], "secret_key": "ak_secret"
/// }"#)?;
/// assert_eq!(m.secret_key.as_deref(), Some("ak_secret"));
/// assert!(!format!("{m:?}").contains("ak_secret"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Machine {
    /// `"machine"`.
    pub object: String,
    /// The ID (`mch_...`).
    pub id: String,
    /// The name.
    pub name: String,
    /// The instance it belongs to.
    pub instance_id: String,
    /// Seconds its tokens live unless asked otherwise.
    #[serde(default)]
    pub default_token_ttl: Option<i64>,
    /// The machines this one may call.
    #[serde(default)]
    pub scoped_machines: Vec<ScopedMachine>,
    /// The secret key (`ak_...`), in the create answer only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_key: Option<String>,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for Machine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Machine")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("instance_id", &self.instance_id)
            .field("default_token_ttl", &self.default_token_ttl)
            .field("scoped_machines", &self.scoped_machines)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "[redacted]"),
            )
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish_non_exhaustive()
    }
}

/// A machine's secret key (`object: "machine_secret_key"`); `Debug` never shows it.
///
/// ```
/// let key: clerk_sdk::MachineSecretKey =
///     serde_json::from_str(r#"{"object": "machine_secret_key", "secret": "ak_x"}"#)?;
/// assert_eq!(key.secret, "ak_x");
/// assert!(!format!("{key:?}").contains("ak_x"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MachineSecretKey {
    /// `"machine_secret_key"`.
    pub object: String,
    /// The key (`ak_...`).
    pub secret: String,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for MachineSecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MachineSecretKey")
            .field("secret", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// A scope: `from_machine_id` may call `to_machine_id` (`object: "machine_scope"`). A
/// removal answers it with `deleted: true` and no `created_at`.
///
/// ```
/// let scope: clerk_sdk::MachineScope = serde_json::from_str(r#"{
///     "object": "machine_scope", "from_machine_id": "mch_1", "to_machine_id": "mch_2",
///     "created_at": 5
/// }"#)?;
/// assert!(!scope.deleted);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MachineScope {
    /// `"machine_scope"`.
    pub object: String,
    /// The machine that may call.
    pub from_machine_id: String,
    /// The machine it may call.
    pub to_machine_id: String,
    /// Creation time (Unix ms); absent in a removal's answer.
    #[serde(default)]
    pub created_at: Option<i64>,
    /// Whether this answers a removal.
    #[serde(default)]
    pub deleted: bool,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An M2M token (`object: "machine_to_machine_token"`, ID prefix `mt_`). `token` is only in
/// the answer of [`M2mTokens::create`](crate::M2mTokens::create); `Debug` never shows it.
///
/// ```
/// let t: clerk_sdk::M2mToken = serde_json::from_str(r#"{
///     "object": "machine_to_machine_token", "id": "mt_1", "subject": "mch_1",
///     "claims": {"job": "sync"}, "scopes": ["mch_2"], "token": "mt_secret",
///     "revoked": false, "revocation_reason": null, "expired": false,
///     "expiration": 9, "last_used_at": null, "created_at": 1, "updated_at": 1
/// }"#)?;
/// assert_eq!(t.scopes, ["mch_2"]);
/// assert!(!format!("{t:?}").contains("mt_secret"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct M2mToken {
    /// `"machine_to_machine_token"`.
    pub object: String,
    /// The ID (`mt_...`; for a JWT-format token, its `jti`).
    pub id: String,
    /// The machine it was issued to (`mch_...`).
    pub subject: String,
    /// The claims it was minted with.
    #[serde(default)]
    pub claims: Option<Value>,
    /// The machines it may call.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The token itself (`mt_...` or a JWT), in the create answer only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Whether it was revoked.
    pub revoked: bool,
    /// Why it was revoked.
    #[serde(default)]
    pub revocation_reason: Option<String>,
    /// Whether it has expired.
    pub expired: bool,
    /// When it expires (Unix ms). The spec types these times as JSON numbers, so they
    /// are kept as sent; [`M2mToken::expiration_ms`] reads one as an integer.
    #[serde(default)]
    pub expiration: Option<Number>,
    /// When it was last verified (Unix ms).
    #[serde(default)]
    pub last_used_at: Option<Number>,
    /// Creation time (Unix ms).
    pub created_at: Number,
    /// Last update (Unix ms).
    pub updated_at: Number,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for M2mToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("M2mToken")
            .field("id", &self.id)
            .field("subject", &self.subject)
            .field("claims", &self.claims)
            .field("scopes", &self.scopes)
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("revoked", &self.revoked)
            .field("revocation_reason", &self.revocation_reason)
            .field("expired", &self.expired)
            .field("expiration", &self.expiration)
            .field("last_used_at", &self.last_used_at)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish_non_exhaustive()
    }
}

impl M2mToken {
    /// [`M2mToken::expiration`] in whole Unix milliseconds.
    ///
    /// ```
    /// let t: clerk_sdk::M2mToken = serde_json::from_str(r#"{
    ///     "object": "machine_to_machine_token", "id": "mt_1", "subject": "mch_1",
    ///     "revoked": false, "expired": false, "expiration": 9000,
    ///     "created_at": 1, "updated_at": 1
    /// }"#)?;
    /// assert_eq!(t.expiration_ms(), Some(9000));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn expiration_ms(&self) -> Option<i64> {
        self.expiration.as_ref().and_then(as_ms)
    }

    /// [`M2mToken::last_used_at`] in whole Unix milliseconds.
    ///
    /// ```
    /// let t: clerk_sdk::M2mToken = serde_json::from_str(r#"{
    ///     "object": "machine_to_machine_token", "id": "mt_1", "subject": "mch_1",
    ///     "revoked": false, "expired": false, "last_used_at": 7.0,
    ///     "created_at": 1, "updated_at": 1
    /// }"#)?;
    /// assert_eq!(t.last_used_at_ms(), Some(7));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn last_used_at_ms(&self) -> Option<i64> {
        self.last_used_at.as_ref().and_then(as_ms)
    }
}

/// A JSON number as whole milliseconds (a float is truncated).
fn as_ms(n: &Number) -> Option<i64> {
    n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))
}

/// A page of M2M tokens: `{"m2m_tokens": […], "total_count": N}`.
///
/// ```
/// let list: clerk_sdk::M2mTokenList =
///     serde_json::from_str(r#"{"m2m_tokens": [], "total_count": 0}"#)?;
/// assert_eq!(list.total_count.as_i64(), Some(0));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct M2mTokenList {
    /// The tokens of the page, newest first.
    pub m2m_tokens: Vec<M2mToken>,
    /// How many match in all (a JSON number, as the spec types it).
    pub total_count: Number,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
