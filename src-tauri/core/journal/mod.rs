//! The payment journal: one SQLite file, written *before* every remote call.
//!
//! Contract: owns the schema, the pragmas (WAL, `synchronous=FULL`, read back
//! and asserted), migrations and every query. Knows nothing of Tauri or HTTP.
//! Never deletes or overwrites a journal file it cannot open; it reports why.
//! Rows are changed only through guarded transitions (the tables are
//! `money::PaymentState` and `money::RefundState`), and the event log is
//! append-only (enforced by triggers, not only by this code). Every query is
//! in [`JournalRead`], served by the writer and the read-only reader alike.
//! Depends on `money` only.

mod day_reports;
mod open;
mod outbox;
mod payments;
mod read;
mod refunds;
mod sales;
pub mod sample;
mod shifts;
mod staff;
mod store_actions;
mod store_refunds;

pub use day_reports::{GroupBy, StoredReport};
pub use open::{check_integrity, JournalError, JournalSettings, MIGRATIONS};
pub use outbox::{Outbox, OutboxBacklog, OutboxEntry};
pub use payments::{EventRow, NewPayment, PaymentFilter, PaymentPage, PaymentRow, StateTotal, TransitionFacts};
pub use read::JournalRead;
pub use refunds::{RefundFacts, RefundRow};
pub use sales::{CashTender, CatalogueItem, DrawerCount, ItemSold, SaleRow};
pub use shifts::{BlindCount, CashierFigures, MovementRow, ShiftClose, ShiftFigures, ShiftRow};
pub use staff::{ApprovalRow, SealedPin, StaffRow};
pub use store_actions::{ActionTarget, ResolutionClaim, StoreActionRow};
pub use store_refunds::{PaymentElsewhere, StoreRefundRow};

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::Connection;

/// The journal, open for writing. One per app process (the instance lock
/// guarantees one per data folder).
pub struct Journal {
    conn: Connection,
    path: PathBuf,
    health: Arc<JournalHealth>,
}

/// Whether the full integrity check found damage. Shared by the journal
/// (which then refuses new payments) and the check running beside it.
#[derive(Debug)]
pub struct JournalHealth {
    path: PathBuf,
    damaged: Mutex<Option<String>>,
    /// Another program holds the journal's write lock: who, as far as the
    /// system tells (`sqlite3 (process 4242)`), while it lasts.
    locked_by: Mutex<Option<String>>,
}

impl JournalHealth {
    fn new(path: &Path) -> Arc<Self> {
        Arc::new(Self { path: path.to_path_buf(), damaged: Mutex::default(), locked_by: Mutex::default() })
    }

    /// Which program holds the journal's write lock, while one does.
    pub fn locked_by(&self) -> Option<String> {
        self.locked_by.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Records what the last probe found; says whether it changed.
    pub fn set_locked_by(&self, holder: Option<String>) -> bool {
        let mut locked = self.locked_by.lock().unwrap_or_else(|p| p.into_inner());
        let changed = *locked != holder;
        *locked = holder;
        changed
    }

    /// Why no new sale or payment may start now: damage, or another program's lock.
    pub fn refusal(&self) -> Option<JournalError> {
        if let Some(damaged) = self.damaged() {
            return Some(damaged);
        }
        self.locked_by().map(|holder| JournalError::Locked { path: self.path.clone(), holder: Some(holder) })
    }

    /// Why the journal must take no new payment, once the check has failed.
    pub fn damaged(&self) -> Option<JournalError> {
        let detail = self.damaged.lock().unwrap_or_else(|p| p.into_inner()).clone()?;
        Some(JournalError::Corrupt { path: self.path.clone(), detail })
    }

    fn mark_damaged(&self, reason: String) {
        *self.damaged.lock().unwrap_or_else(|p| p.into_inner()) = Some(reason);
    }
}

/// The integrity check the app's startup put off: [`run`](Self::run) it on a
/// thread of its own once the counter is up.
pub struct DeferredCheck {
    path: PathBuf,
    health: Arc<JournalHealth>,
}

impl DeferredCheck {
    /// Reads the whole file. On damage the journal refuses every new payment
    /// from then on (payments already under way finish: their steps are
    /// ordinary transactions, and SQLite refuses any that touches a damaged
    /// page before its bKash call is made).
    pub fn run(self) -> Result<(), JournalError> {
        let verdict = check_integrity(&self.path);
        if let Err(e) = &verdict {
            tracing::error!(error = %e, "the journal's integrity check failed; payments are stopped");
            self.health.mark_damaged(match e {
                JournalError::Corrupt { detail, .. } => detail.clone(),
                other => other.to_string(),
            });
        }
        verdict
    }
}

impl Journal {
    pub const FILE_NAME: &'static str = "journal.sqlite3";
    pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

    /// Opens (creating if needed), checks the whole file, and migrates the
    /// journal at `path`.
    pub fn open(path: &Path) -> Result<Self, JournalError> {
        Self::open_with(path, Self::DEFAULT_BUSY_TIMEOUT)
    }

    pub fn open_with(path: &Path, busy_timeout: Duration) -> Result<Self, JournalError> {
        let conn = open::open_writable(path, busy_timeout, true)?;
        Ok(Self { conn, path: path.to_path_buf(), health: JournalHealth::new(path) })
    }

    /// The app's startup: everything `open` does but the full integrity
    /// check, whose cost grows with the shop's history (about 1.5 s for a
    /// year). A file too damaged to read its header, settings or schema
    /// still fails here. The returned check must be run beside the counter.
    pub fn open_deferring_check(path: &Path) -> Result<(Self, DeferredCheck), JournalError> {
        let conn = open::open_writable(path, Self::DEFAULT_BUSY_TIMEOUT, false)?;
        let health = JournalHealth::new(path);
        let check = DeferredCheck { path: path.to_path_buf(), health: health.clone() };
        Ok((Self { conn, path: path.to_path_buf(), health }, check))
    }

    /// Looks, without waiting, whether another program holds the journal's
    /// write lock (an `sqlite3` shell inside a transaction, a backup tool),
    /// and records it in the journal's health: while one does, no new sale
    /// or payment starts (each would wait for the lock and fail). Returns
    /// the holder. A lock held by this app's own other connection (the
    /// store's outbox) is not another program's.
    pub fn probe_write_lock(&mut self) -> Result<Option<String>, JournalError> {
        let path = self.path.clone();
        let wrap = |e| open::classify(&path, e);
        let waited: i64 = self.conn.query_row("PRAGMA busy_timeout", [], |r| r.get(0)).map_err(wrap)?;
        self.conn.busy_timeout(Duration::ZERO).map_err(wrap)?;
        let tried = self.conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;");
        self.conn.busy_timeout(Duration::from_millis(waited.max(0) as u64)).map_err(wrap)?;
        let holder = match tried {
            Ok(()) => None,
            Err(e) if matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)) => {
                if cfg!(target_os = "linux") {
                    open::lock_holder(&self.path)
                } else {
                    Some("another program".into())
                }
            }
            Err(e) => return Err(wrap(e)),
        };
        if self.health.set_locked_by(holder.clone()) {
            match &holder {
                Some(who) => tracing::warn!(holder = %who, "another program holds the journal's lock; new sales and payments wait"),
                None => tracing::info!("the journal's lock is free again; the counter takes payments"),
            }
        }
        Ok(holder)
    }

    /// What the integrity check has found so far.
    pub fn health(&self) -> Arc<JournalHealth> {
        self.health.clone()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The pragmas in force, as SQLite reports them.
    pub fn settings(&self) -> Result<JournalSettings, JournalError> {
        open::read_settings(&self.conn, &self.path)
    }
}

/// The journal opened read-only, for reports and back-office scripts while
/// the app may be running.
pub struct JournalReader {
    conn: Connection,
    path: PathBuf,
}

impl JournalReader {
    pub fn open(path: &Path) -> Result<Self, JournalError> {
        let conn = open::open_read_only(path, true)?;
        Ok(Self { conn, path: path.to_path_buf() })
    }

    /// A second, read-only connection to the journal `writer` has open. The
    /// writer's integrity check (at open, or deferred beside the counter)
    /// covers the file, so this skips it.
    pub fn beside(writer: &Journal) -> Result<Self, JournalError> {
        let conn = open::open_read_only(&writer.path, false)?;
        Ok(Self { conn, path: writer.path.clone() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}
