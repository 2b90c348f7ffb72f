//! `PgSlot`: one PostgreSQL connection kept open between uses, opened (and
//! the schema checked, the counter id's claim verified) on first use, and dropped when it breaks
//! so the next use opens a new one.

use std::sync::Mutex;
use std::time::Duration;

use super::{schema, StoreConfig, StoreError};
use crate::money::Secret;

pub struct PgSlot {
    config: StoreConfig,
    password: Secret,
    timeout: Duration,
    slot: Mutex<Option<postgres::Client>>,
}

impl PgSlot {
    pub fn new(config: StoreConfig, password: Secret, timeout: Duration) -> Self {
        Self { config, password, timeout, slot: Mutex::new(None) }
    }

    pub fn config(&self) -> &StoreConfig {
        &self.config
    }

    /// Runs `work` on the connection. Blocking: call it off the runtime.
    pub fn with<T>(&self, work: impl FnOnce(&mut postgres::Client) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if slot.as_ref().is_some_and(|pg| pg.is_closed()) {
            *slot = None;
        }
        if slot.is_none() {
            let mut pg = self.config.connect(&self.password, self.timeout)?;
            schema::check(&mut pg)?;
            // A PC that does not hold its counter id acts on nothing: its
            // refunds and checks would be recorded under another PC's id.
            if let Some(install_id) = &self.config.install_id {
                super::claim_counter(&mut pg, &self.config, install_id)?;
            }
            *slot = Some(pg);
        }
        let result = work(slot.as_mut().expect("connected"));
        if result.as_ref().is_err_and(StoreError::is_offline) {
            *slot = None;
        }
        result
    }
}

/// `postgres::Client` closes its connection by blocking on its own runtime,
/// which panics on a thread that drives tokio (the app's shutdown, a
/// payment task dropping the last handle). There it is closed on a thread
/// of its own.
impl Drop for PgSlot {
    fn drop(&mut self) {
        let client = self.slot.get_mut().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(client) = client {
            if tokio::runtime::Handle::try_current().is_ok() {
                let _ = std::thread::Builder::new().name("store-close".into()).spawn(move || drop(client));
            }
        }
    }
}
