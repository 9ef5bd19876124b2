//! [`SmtpConfig`]: where the outbox's emails are relayed.

use crate::error::Error;

/// An SMTP server that receives a copy of every email (plain SMTP, no TLS or
/// authentication: meant for local mail catchers such as Mailpit or MailHog).
///
/// ```
/// use clerk_server::{Config, SmtpConfig};
///
/// let smtp = SmtpConfig::from_url("smtp://localhost:1025")
///     .unwrap()
///     .with_from_domain("mail.example.com");
/// let config = Config::default().with_smtp(smtp);
/// assert!(format!("{config:?}").contains("mail.example.com"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmtpConfig {
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) from_domain: String,
}

impl SmtpConfig {
    /// An SMTP server at `host:port`. Emails come from `<from_email_name>@example.com`
    /// unless [`SmtpConfig::with_from_domain`] says otherwise.
    ///
    /// ```
    /// use clerk_server::SmtpConfig;
    ///
    /// let smtp = SmtpConfig::new("mailhog", 1025);
    /// assert_eq!(smtp, SmtpConfig::from_url("smtp://mailhog:1025").unwrap());
    /// ```
    pub fn new(host: impl Into<String>, port: u16) -> Self {
        Self {
            host: host.into(),
            port,
            from_domain: "example.com".to_owned(),
        }
    }

    /// Parses `smtp://host:port` (port 25 when absent).
    ///
    /// ```
    /// use clerk_server::SmtpConfig;
    ///
    /// let smtp = SmtpConfig::from_url("smtp://127.0.0.1:1025").unwrap();
    /// assert_eq!(smtp, SmtpConfig::new("127.0.0.1", 1025));
    /// assert!(SmtpConfig::from_url("smtps://mail.example.com").is_err());
    /// ```
    pub fn from_url(url: &str) -> Result<Self, Error> {
        let parsed = url::Url::parse(url)
            .map_err(|e| Error::InvalidConfig(format!("invalid SMTP URL: {e}")))?;
        if parsed.scheme() != "smtp" {
            return Err(Error::InvalidConfig(
                "the SMTP URL must look like smtp://host:port (TLS and authentication are not supported)".into(),
            ));
        }
        let host = parsed
            .host_str()
            .ok_or_else(|| Error::InvalidConfig("the SMTP URL has no host".into()))?;
        Ok(Self::new(host, parsed.port().unwrap_or(25)))
    }

    /// The domain of the sender addresses (`<from_email_name>@<domain>`).
    ///
    /// ```
    /// use clerk_server::SmtpConfig;
    ///
    /// let smtp = SmtpConfig::new("127.0.0.1", 1025).with_from_domain("accounts.example.org");
    /// assert!(format!("{smtp:?}").contains(r#"from_domain: "accounts.example.org""#));
    /// ```
    pub fn with_from_domain(mut self, domain: impl Into<String>) -> Self {
        self.from_domain = domain.into();
        self
    }
}
