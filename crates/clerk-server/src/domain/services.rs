//! [`Services`]: everything the rules need to act, one per server, shared by every request.

use crate::clock::Clock;
use crate::config::Settings;
use crate::domain::password::PasswordPool;
use crate::keys::KeyRing;
use crate::notify::Notifier;
use crate::notify::events::Events;
use crate::store::Store;
use crate::wire::UserContext;

/// The store, the clock, the settings, the password pool, the notifications, the webhook
/// events and the signing keys.
pub(crate) struct Services {
    pub store: Store,
    pub clock: Clock,
    pub settings: Settings,
    /// The `iss` of the tokens the server mints.
    pub issuer: String,
    /// The instance's publishable key, naming where its Frontend API is served.
    pub publishable_key: String,
    pub keys: KeyRing,
    pub passwords: PasswordPool,
    pub notifier: Notifier,
    /// Webhook events, written in each change's unit of work.
    pub events: Events,
}

impl Services {
    /// Now, in unix milliseconds.
    pub(crate) fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// What rendering a user needs (answers and event payloads alike).
    pub(crate) fn user_context(&self) -> UserContext {
        UserContext {
            now_ms: self.now_ms(),
            base_url: self.issuer.as_str().into(),
            lockout_ms: self.settings.lockout_ms,
            lockout_attempts: self.settings.lockout_attempts,
        }
    }
}
