//! The Svix app of an instance.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A URL to manage the instance's webhooks (`SvixURL`): what `POST /webhooks/svix` and
/// `POST /webhooks/svix_url` answer. On clerk.com it opens Svix's dashboard for a while; a
/// local clerk-server answers its own `/_local/webhooks/endpoints`.
///
/// ```
/// let url: clerk_sdk::SvixUrl =
///     serde_json::from_str(r#"{"svix_url":"https://app.svix.com/login#key=abc"}"#)?;
/// assert_eq!(url.svix_url, "https://app.svix.com/login#key=abc");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SvixUrl {
    /// The URL.
    pub svix_url: String,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
