//! A unit of work: one write transaction, owned by the caller (a domain service), plus what
//! to do once it has committed. Store write functions take the transaction and never commit
//! on their own, so that a change, the outbox messages it sends and (with webhooks) its
//! events commit together or not at all; what must not happen before the commit (relaying
//! an email, waking a delivery worker) is registered with [`UnitOfWork::after_commit`].

use super::{Result, Store, Tx};

/// Something to do once the unit of work has committed.
type Effect = Box<dyn FnOnce() + Send>;

/// A write transaction and its after-commit effects.
pub(crate) struct UnitOfWork {
    tx: Tx,
    effects: Vec<Effect>,
}

impl UnitOfWork {
    /// Begins a unit of work on `store`.
    pub(crate) async fn begin(store: &Store) -> Result<Self> {
        Ok(Self {
            tx: store.begin_write().await?,
            effects: Vec::new(),
        })
    }

    /// The transaction, for store functions.
    pub(crate) fn tx(&mut self) -> &mut Tx {
        &mut self.tx
    }

    /// Runs `effect` after the commit; never if the unit of work is dropped or fails.
    pub(crate) fn after_commit(&mut self, effect: impl FnOnce() + Send + 'static) {
        self.effects.push(Box::new(effect));
    }

    /// Commits, then runs the after-commit effects in the order they were registered.
    pub(crate) async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        for effect in self.effects {
            effect();
        }
        Ok(())
    }
}
