//! [`Services`]: everything the rules need to act, one per server, shared by every request.

use crate::clock::Clock;
use crate::config::Settings;
use crate::domain::password::PasswordPool;
use crate::keys::KeyRing;
use crate::notify::Notifier;
use crate::store::Store;

/// The store, the clock, the settings, the password pool, the notifications and the
/// signing keys.
pub(crate) struct Services {
    pub store: Store,
    pub clock: Clock,
    pub settings: Settings,
    /// The `iss` of the tokens the server mints.
    pub issuer: String,
    pub keys: KeyRing,
    pub passwords: PasswordPool,
    pub notifier: Notifier,
}

impl Services {
    /// Now, in unix milliseconds.
    pub(crate) fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
}
