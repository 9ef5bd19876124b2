//! Session tokens minted by the Backend API.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A session token: `{"object": "token", "jwt": "eyJ..."}`. Both fields are
/// optional in the spec's answer schema. `Debug` does not print the JWT.
///
/// ```
/// let token: clerk_sdk::Token = serde_json::from_str(r#"{"object":"token","jwt":"eyJhbGciOi.x.y"}"#)?;
/// assert_eq!(token.jwt.as_deref(), Some("eyJhbGciOi.x.y"));
/// assert!(!format!("{token:?}").contains("eyJ"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Token {
    /// `"token"`.
    pub object: Option<String>,
    /// The signed JWT.
    pub jwt: Option<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("object", &self.object)
            .field("jwt", &self.jwt.as_ref().map(|_| "(redacted)"))
            .field("extra", &self.extra)
            .finish()
    }
}
