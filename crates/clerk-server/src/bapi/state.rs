//! [`AppState`]: what every handler can reach. The domain's [`Services`] (handlers read
//! `state.store`, `state.settings`, … through `Deref`) and what only the web face needs: the
//! cache of accepted secret keys.

use std::ops::Deref;
use std::sync::Arc;

use crate::bapi::auth::SecretKeys;
use crate::domain::services::Services;

/// Everything a handler can reach. Cheap to clone.
#[derive(Clone)]
pub(crate) struct AppState(Arc<Inner>);

struct Inner {
    services: Services,
    secret_keys: SecretKeys,
}

impl Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0.services
    }
}

impl AppState {
    pub(crate) fn new(services: Services) -> Self {
        Self(Arc::new(Inner {
            services,
            secret_keys: SecretKeys::new(),
        }))
    }

    /// The domain's services, for calling a domain operation.
    pub(crate) fn services(&self) -> &Services {
        &self.0.services
    }

    /// The secret keys this server has seen accepted.
    pub(crate) fn secret_keys(&self) -> &SecretKeys {
        &self.0.secret_keys
    }
}
