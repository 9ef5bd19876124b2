//! Counts.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A count: `{"object": "total_count", "total_count": 42}`.
///
/// ```
/// let count: clerk_sdk::TotalCount = serde_json::from_str(r#"{"object":"total_count","total_count":42}"#)?;
/// assert_eq!(count.total_count, 42);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TotalCount {
    /// `"total_count"`.
    pub object: String,
    /// The count.
    pub total_count: i64,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
