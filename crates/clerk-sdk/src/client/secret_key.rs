//! [`SecretKey`]: the secret key, kept out of `Debug` output and logs.

use std::fmt;

/// A Clerk secret key (`sk_live_...`, `sk_test_...`).
///
/// Its `Debug` output shows only the environment prefix, never the key, and
/// it has no `Display`, so it cannot end up in logs by accident.
///
/// ```
/// let key = clerk_sdk::SecretKey::new("sk_test_abcdefghijklmnop");
/// assert_eq!(format!("{key:?}"), "SecretKey(sk_test_…(redacted))");
/// assert_eq!(key.expose(), "sk_test_abcdefghijklmnop");
/// ```
#[derive(Clone)]
pub struct SecretKey(String);

impl SecretKey {
    /// Wraps a key (surrounding whitespace, such as a newline from a `.env`
    /// file, is trimmed).
    ///
    /// ```
    /// let key = clerk_sdk::SecretKey::new(" sk_test_123\n");
    /// assert_eq!(key.expose(), "sk_test_123");
    /// ```
    pub fn new(key: impl Into<String>) -> Self {
        let key = key.into();
        let trimmed = key.trim();
        Self(if trimmed.len() == key.len() {
            key
        } else {
            trimmed.to_owned()
        })
    }

    /// The key itself. Handle with care.
    ///
    /// ```
    /// let key = clerk_sdk::SecretKey::new("sk_test_123");
    /// assert!(key.expose().starts_with("sk_test_"));
    /// ```
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `sk_test_` / `sk_live_` when the key has that shape; nothing otherwise.
    fn public_prefix(&self) -> &str {
        let mut parts = self.0.splitn(3, '_');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("sk"), Some(env), Some(_)) if env.chars().all(|c| c.is_ascii_lowercase()) => {
                &self.0[..env.len() + 4]
            }
            _ => "",
        }
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey({}…(redacted))", self.public_prefix())
    }
}

impl From<String> for SecretKey {
    fn from(key: String) -> Self {
        Self::new(key)
    }
}

impl From<&str> for SecretKey {
    fn from(key: &str) -> Self {
        Self::new(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_unknown_shape_show_no_prefix() {
        assert_eq!(
            format!("{:?}", SecretKey::new("weird")),
            "SecretKey(…(redacted))"
        );
        assert_eq!(
            format!("{:?}", SecretKey::new("sk_Te_x")),
            "SecretKey(…(redacted))"
        );
    }
}
