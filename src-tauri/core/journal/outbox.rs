//! The outbox (migration 007): snapshots of every journal change, written by
//! SQLite triggers in the change's own transaction. The store's sync reads
//! them here and advances `outbox_sent` once PostgreSQL has committed them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::open::{classify, open_writable};
use super::JournalError;

/// One outbox entry, as it travels to the store.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub seq: i64,
    pub kind: String,
    /// The row's snapshot as JSON text (SQLite's `json_object`).
    pub body: String,
    pub at: String,
}

/// How much of the outbox the store has not acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxBacklog {
    /// Entries written but not yet acknowledged by PostgreSQL.
    pub pending: i64,
    /// The newest entry's seq (0 when the outbox is empty).
    pub last_seq: i64,
    /// The last seq PostgreSQL acknowledged.
    pub sent_through: i64,
}

/// The sync's own connection to the journal: it reads entries and writes
/// only `outbox_sent`, so it never waits long on the cashier's writes (WAL).
pub struct Outbox {
    conn: Connection,
    path: PathBuf,
}

impl Outbox {
    pub fn open(path: &Path) -> Result<Self, JournalError> {
        let conn = open_writable(path, Duration::from_secs(5), false)?;
        // Only `outbox_sent` is written here, and an acknowledgement lost to
        // a power cut costs a resend, which changes nothing in the store: no
        // fsync per batch. (The journal's own connection stays FULL.)
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(|e| classify(path, e))?;
        Ok(Self { conn, path: path.to_path_buf() })
    }

    fn wrap(&self) -> impl Fn(rusqlite::Error) -> JournalError + '_ {
        move |e| classify(&self.path, e)
    }

    /// Switches the outbox on (this journal now belongs to a store) and, in
    /// the same transaction, writes a snapshot of every row the journal
    /// already holds: what was journaled before goes up first, and no change
    /// can fall between the two. True when it was off until now.
    pub fn enable(&mut self) -> Result<bool, JournalError> {
        let path = self.path.clone();
        let wrap = |e| classify(&path, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(wrap)?;
        let enabled: bool = tx.query_row("SELECT enabled = 1 FROM outbox_sent WHERE id = 1", [], |r| r.get(0)).map_err(wrap)?;
        if enabled {
            return Ok(false);
        }
        tx.execute_batch(BACKFILL).map_err(wrap)?;
        tx.execute_batch(super::open::OUTBOX_TRIGGERS).map_err(wrap)?;
        tx.execute("UPDATE outbox_sent SET enabled = 1 WHERE id = 1", []).map_err(wrap)?;
        tx.commit().map_err(wrap)?;
        Ok(true)
    }

    /// Removes entries PostgreSQL acknowledged that are older than `before`
    /// (RFC 3339): the store has them, and the journal keeps the rows.
    pub fn prune(&self, before: &str) -> Result<usize, JournalError> {
        self.conn
            .execute("DELETE FROM outbox WHERE seq <= (SELECT through_seq FROM outbox_sent WHERE id = 1) AND at < ?1", [before])
            .map_err(self.wrap())
    }

    /// This journal's identity for the store (see `journal_identity`).
    pub fn install_id(&self) -> Result<String, JournalError> {
        self.conn.query_row(INSTALL_ID, [], |r| r.get(0)).map_err(self.wrap())
    }

    /// Up to `limit` entries after the acknowledged seq, oldest first.
    pub fn pending(&self, limit: usize) -> Result<Vec<OutboxEntry>, JournalError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT seq, kind, body, at FROM outbox WHERE seq > (SELECT through_seq FROM outbox_sent WHERE id = 1)
                 ORDER BY seq LIMIT ?1",
            )
            .map_err(self.wrap())?;
        let rows = stmt
            .query_map([limit as i64], |r| Ok(OutboxEntry { seq: r.get(0)?, kind: r.get(1)?, body: r.get(2)?, at: r.get(3)? }))
            .map_err(self.wrap())?;
        rows.collect::<Result<_, _>>().map_err(self.wrap())
    }

    /// PostgreSQL committed everything up to `seq`. Never moves backwards:
    /// a late acknowledgement of an older batch changes nothing.
    pub fn acknowledge(&self, seq: i64, at: &str) -> Result<(), JournalError> {
        self.conn
            .execute("UPDATE outbox_sent SET through_seq = ?1, at = ?2 WHERE id = 1 AND through_seq < ?1", params![seq, at])
            .map(drop)
            .map_err(self.wrap())
    }

    /// The newest entry's seq (0 when the outbox is empty).
    pub fn last_seq(&self) -> Result<i64, JournalError> {
        self.conn.query_row("SELECT coalesce(max(seq), 0) FROM outbox", [], |r| r.get(0)).map_err(self.wrap())
    }

    pub fn backlog(&self) -> Result<OutboxBacklog, JournalError> {
        self.conn
            .query_row(
                "SELECT (SELECT count(*) FROM outbox WHERE seq > s.through_seq),
                        coalesce((SELECT max(seq) FROM outbox), 0), s.through_seq
                 FROM outbox_sent s WHERE s.id = 1",
                [],
                |r| Ok(OutboxBacklog { pending: r.get(0)?, last_seq: r.get(1)?, sent_through: r.get(2)? }),
            )
            .map_err(self.wrap())
    }

    /// When the store last acknowledged anything (RFC 3339), if ever.
    pub fn last_acknowledged_at(&self) -> Result<Option<String>, JournalError> {
        self.conn
            .query_row("SELECT at FROM outbox_sent WHERE id = 1", [], |r| r.get::<_, Option<String>>(0))
            .optional()
            .map(Option::flatten)
            .map_err(self.wrap())
    }
}

/// Every row's snapshot, in the order things happened within each kind (the
/// store applies snapshots by row, so the order across kinds is free).
const BACKFILL: &str = "
    INSERT INTO outbox (kind, body) SELECT 'payment', body FROM outbox_payment ORDER BY id;
    INSERT INTO outbox (kind, body) SELECT 'payment_event', body FROM outbox_payment_event ORDER BY id;
    INSERT INTO outbox (kind, body) SELECT 'refund', body FROM outbox_refund ORDER BY id;
    INSERT INTO outbox (kind, body) SELECT 'store_refund', body FROM outbox_store_refund ORDER BY id;
    INSERT INTO outbox (kind, body) SELECT 'sale', body FROM outbox_sale ORDER BY id;
    INSERT INTO outbox (kind, body) SELECT 'cash_tender', body FROM outbox_cash_tender ORDER BY sale;
    INSERT INTO outbox (kind, body) SELECT 'drawer_count', body FROM outbox_drawer_count ORDER BY day, counter_id;
    INSERT INTO outbox (kind, body) SELECT 'day_report', body FROM outbox_day_report ORDER BY number;
    INSERT INTO outbox (kind, body) SELECT 'store_action', body FROM outbox_store_action ORDER BY id;
    INSERT INTO outbox (kind, body) SELECT 'store_action_receipt', body FROM outbox_store_action_receipt ORDER BY acting_counter, action_id;
    INSERT INTO outbox (kind, body) SELECT 'shift', body FROM outbox_shift ORDER BY id;
    INSERT INTO outbox (kind, body) SELECT 'drawer_movement', body FROM outbox_drawer_movement ORDER BY id;
";

const INSTALL_ID: &str = "SELECT install_id FROM journal_identity WHERE id = 1";

impl super::Journal {
    /// This journal's identity for the store: what holds its counter id there.
    pub fn install_id(&self) -> Result<String, JournalError> {
        let path = self.path.clone();
        self.conn.query_row(INSTALL_ID, [], |r| r.get(0)).map_err(|e| classify(&path, e))
    }
}
