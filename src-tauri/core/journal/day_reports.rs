//! End-of-day reports in the journal: numbered, one per day, written once
//! (triggers refuse any change), and the queries a report is built from.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::open::classify;
use super::payments::stamp;
use super::{Journal, JournalError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    pub number: i64,
    /// The Bangladesh-local day it closes (stored as `YYYY-MM-DD`).
    pub day: chrono::NaiveDate,
    pub closed_at: DateTime<Utc>,
    /// The report as JSON, exactly as it was printed.
    pub body: String,
}

/// Completed payments grouped by counter or by cashier.
#[derive(Debug, Clone, Copy)]
pub enum GroupBy {
    Counter,
    Cashier,
}

fn stored(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredReport> {
    let closed_at: String = r.get(2)?;
    Ok(StoredReport {
        number: r.get(0)?,
        day: r.get(1)?,
        closed_at: DateTime::parse_from_rfc3339(&closed_at)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e)))?,
        body: r.get(3)?,
    })
}

pub(super) fn report_of(conn: &Connection, day: NaiveDate) -> Result<Option<StoredReport>, JournalError> {
    Ok(conn.query_row("SELECT number, day, closed_at, body FROM day_reports WHERE day = ?1", [day], stored).optional()?)
}

pub(super) fn last_report(conn: &Connection) -> Result<Option<StoredReport>, JournalError> {
    Ok(conn.query_row("SELECT number, day, closed_at, body FROM day_reports ORDER BY number DESC LIMIT 1", [], stored).optional()?)
}

impl Journal {
    /// Stores a day's report under the next number, in one transaction.
    /// `body` is given that number. Refused when the day is already closed.
    pub fn store_day_report(
        &mut self,
        day: NaiveDate,
        now: DateTime<Utc>,
        body: impl FnOnce(i64) -> String,
    ) -> Result<StoredReport, JournalError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        if let Some(existing) = report_of(&tx, day)? {
            return Err(JournalError::DayClosed { day: day.to_string(), number: existing.number });
        }
        let number: i64 = tx.query_row("SELECT coalesce(max(number), 0) + 1 FROM day_reports", [], |r| r.get(0))?;
        tx.execute(
            "INSERT INTO day_reports (number, day, closed_at, body) VALUES (?1, ?2, ?3, ?4)",
            params![number, day, stamp(now), body(number)],
        )?;
        let report = report_of(&tx, day)?.expect("just stored");
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(report)
    }
}
