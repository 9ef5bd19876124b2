//! A string that must never reach a log line or `Debug` output.

use std::fmt;

/// A secret string: a secret key, a password, a password digest or a private key.
///
/// `Debug` and `Display` print `[redacted]`; the value is only reachable through
/// [`Secret::expose`], so a secret cannot leak through `{:?}` or a tracing field by accident.
///
/// ```
/// use clerk_server::Secret;
///
/// let key = Secret::new("sk_test_abc");
/// assert_eq!(format!("{key:?}"), "Secret([redacted])");
/// assert_eq!(key.expose(), "sk_test_abc");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    ///
    /// ```
    /// use clerk_server::Secret;
    ///
    /// let password = Secret::new(String::from("correct horse battery staple"));
    /// assert_eq!(password.to_string(), "[redacted]");
    /// ```
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself. Call this only where the value is really needed.
    ///
    /// ```
    /// use clerk_server::Secret;
    ///
    /// let key = Secret::from("sk_test_abc");
    /// let header = format!("Bearer {}", key.expose());
    /// assert_eq!(header, "Bearer sk_test_abc");
    /// ```
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}
