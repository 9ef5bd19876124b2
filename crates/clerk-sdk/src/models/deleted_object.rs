//! The answer to a delete.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What a delete answers: `{"object": "user", "id": "user_...", "deleted": true}`.
/// `object` is the type of the deleted resource, not `"deleted_object"`.
///
/// ```
/// let deleted: clerk_sdk::DeletedObject =
///     serde_json::from_str(r#"{"object":"email_address","id":"idn_1","deleted":true}"#)?;
/// assert_eq!(deleted.object, "email_address");
/// assert!(deleted.deleted);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeletedObject {
    /// The deleted resource's type (`"user"`, `"email_address"`, ...).
    pub object: String,
    /// Its ID.
    pub id: Option<String>,
    /// Its slug, for resources that have one.
    pub slug: Option<String>,
    /// Always `true`.
    pub deleted: bool,
    /// Its external ID, when it had one.
    pub external_id: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
