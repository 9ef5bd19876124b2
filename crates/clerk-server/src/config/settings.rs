//! [`Settings`]: the configuration in the units the server works in.

use super::Config;
use crate::domain::lockout::Lockout;

/// Durations of the configuration in the units the server works in.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub max_body_bytes: usize,
    pub body_read_timeout: std::time::Duration,
    pub session_lifetime_ms: i64,
    pub session_inactivity_timeout_ms: i64,
    pub session_token_lifetime_s: i64,
    pub client_token_lifetime_s: i64,
    pub key_grace_ms: i64,
    pub lockout_ms: Option<i64>,
    pub lockout_attempts: Option<i64>,
}

impl Settings {
    pub(crate) fn from_config(config: &Config) -> Self {
        use crate::clock::duration_ms;
        Self {
            max_body_bytes: config.max_body_bytes,
            body_read_timeout: config.body_read_timeout,
            session_lifetime_ms: duration_ms(config.session_lifetime),
            session_inactivity_timeout_ms: duration_ms(config.session_inactivity_timeout),
            session_token_lifetime_s: duration_ms(config.session_token_lifetime) / 1000,
            client_token_lifetime_s: duration_ms(config.client_token_lifetime) / 1000,
            key_grace_ms: duration_ms(config.key_grace_period),
            lockout_ms: config.lockout_duration.map(duration_ms),
            lockout_attempts: config.lockout_attempts.map(i64::from),
        }
    }

    /// The lockout policy, when the lockout is on.
    pub(crate) fn lockout(&self) -> Option<Lockout> {
        self.lockout_attempts.map(|max_attempts| Lockout {
            max_attempts,
            duration_ms: self.lockout_ms,
        })
    }
}
