//! [`Error`]: what can go wrong while starting or running the server.

use std::fmt;

/// What can go wrong while starting or running the server.
///
/// ```
/// use clerk_server::{Error, SmtpConfig};
///
/// let err = SmtpConfig::from_url("smtps://mail.example.com:465").unwrap_err();
/// assert!(matches!(err, Error::InvalidConfig(_)));
/// assert!(err.to_string().starts_with("invalid configuration: "));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The configuration is unusable (for example a database URL of an unknown kind).
    InvalidConfig(String),
    /// The database could not be opened, migrated or bootstrapped.
    Database(Box<dyn std::error::Error + Send + Sync>),
    /// Binding the listener or serving connections failed.
    Io(std::io::Error),
    /// Signing keys could not be created or loaded.
    Keys(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidConfig(msg) => write!(f, "invalid configuration: {msg}"),
            Error::Database(err) => write!(f, "database error: {err}"),
            Error::Io(err) => write!(f, "I/O error: {err}"),
            Error::Keys(msg) => write!(f, "signing key error: {msg}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Database(err) => Some(err.as_ref()),
            Error::Io(err) => Some(err),
            _ => None,
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(err: sqlx::Error) -> Self {
        Error::Database(Box::new(err))
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Error::Io(err)
    }
}
