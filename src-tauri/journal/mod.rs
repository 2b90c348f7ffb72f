//! The payment journal: one SQLite file, written *before* every remote call.
//!
//! Contract: owns the schema, the pragmas (WAL, `synchronous=FULL`, read back
//! and asserted), migrations and every query. Knows nothing of Tauri or HTTP.
//! Never deletes or overwrites a journal file it cannot open; it reports why.
//! Rows are changed only through guarded transitions, and the event log is
//! append-only (enforced by triggers, not only by this code).

mod day_reports;
mod open;
mod payments;
mod refunds;

pub use day_reports::{GroupBy, StoredReport};
pub use open::{JournalError, JournalSettings, MIGRATIONS};
pub use payments::{EventRow, NewPayment, PaymentFilter, PaymentPage, PaymentRow, StateTotal, TransitionFacts};
pub use refunds::{RefundFacts, RefundRow};

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

/// The journal, open for writing. One per app process (the instance lock
/// guarantees one per data folder).
pub struct Journal {
    conn: Connection,
    path: PathBuf,
}

impl Journal {
    pub const FILE_NAME: &'static str = "journal.sqlite3";
    pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

    /// Opens (creating if needed) and migrates the journal at `path`.
    pub fn open(path: &Path) -> Result<Self, JournalError> {
        Self::open_with(path, Self::DEFAULT_BUSY_TIMEOUT)
    }

    pub fn open_with(path: &Path, busy_timeout: Duration) -> Result<Self, JournalError> {
        let conn = open::open_writable(path, busy_timeout)?;
        Ok(Self { conn, path: path.to_path_buf() })
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
    /// writer checked the file's integrity when it opened it, so this skips
    /// that check (about 0.3 s on a year of payments).
    pub fn beside(writer: &Journal) -> Result<Self, JournalError> {
        let conn = open::open_read_only(&writer.path, false)?;
        Ok(Self { conn, path: writer.path.clone() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}
