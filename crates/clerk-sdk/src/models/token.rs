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

/// The answer of [`Sessions::refresh`](crate::Sessions::refresh): a token
/// (`{"object": "token", "jwt"}`) or, with the cookie format, the cookies to set
/// (`{"object": "cookies", "cookies": ["__session=…; Path=/"]}`). `Debug` prints
/// neither the JWT nor the cookies.
///
/// ```
/// let answer: clerk_sdk::SessionRefresh = serde_json::from_str(
///     r#"{"object":"cookies","cookies":["__session=eyJ.x.y; Path=/"]}"#,
/// )?;
/// assert_eq!(answer.session_token(), Some("eyJ.x.y"));
/// assert!(!format!("{answer:?}").contains("eyJ"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SessionRefresh {
    /// `"token"` or `"cookies"`.
    pub object: Option<String>,
    /// The new session token (the token format).
    pub jwt: Option<String>,
    /// `Set-Cookie` directives (the cookie format).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cookies: Vec<String>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SessionRefresh {
    /// The new session token: `jwt`, else the value of the `__session` cookie (or of a
    /// suffixed `__session_…` one).
    ///
    /// ```
    /// let answer: clerk_sdk::SessionRefresh =
    ///     serde_json::from_str(r#"{"object":"token","jwt":"eyJ.a.b"}"#)?;
    /// assert_eq!(answer.session_token(), Some("eyJ.a.b"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn session_token(&self) -> Option<&str> {
        if let Some(jwt) = &self.jwt {
            return Some(jwt);
        }
        self.cookies.iter().find_map(|cookie| {
            let pair = cookie.split(';').next()?.trim();
            let (name, value) = pair.split_once('=')?;
            (name == "__session" || name.starts_with("__session_")).then_some(value)
        })
    }
}

impl fmt::Debug for SessionRefresh {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionRefresh")
            .field("object", &self.object)
            .field("jwt", &self.jwt.as_ref().map(|_| "(redacted)"))
            .field("cookies", &self.cookies.len())
            .field("extra", &self.extra)
            .finish()
    }
}
