//! End-of-day reports in the journal: numbered, one per day, written once
//! (triggers refuse any change), and the queries a report is built from.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::open::classify;
use super::payments::{row_to_payment, stamp, COLUMNS};
use super::{Journal, JournalError, JournalReader, PaymentRow};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    pub number: i64,
    /// `YYYY-MM-DD`, Bangladesh-local.
    pub day: String,
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

fn report_of(conn: &Connection, day: &str) -> Result<Option<StoredReport>, JournalError> {
    Ok(conn.query_row("SELECT number, day, closed_at, body FROM day_reports WHERE day = ?1", [day], stored).optional()?)
}

fn last_report(conn: &Connection) -> Result<Option<StoredReport>, JournalError> {
    Ok(conn.query_row("SELECT number, day, closed_at, body FROM day_reports ORDER BY number DESC LIMIT 1", [], stored).optional()?)
}

impl Journal {
    /// Stores a day's report under the next number, in one transaction.
    /// `body` is given that number. Refused when the day is already closed.
    pub fn store_day_report(
        &mut self,
        day: &str,
        now: DateTime<Utc>,
        body: impl FnOnce(i64) -> String,
    ) -> Result<StoredReport, JournalError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        if let Some(existing) = report_of(&tx, day)? {
            return Err(JournalError::DayClosed { day: day.into(), number: existing.number });
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

impl JournalReader {
    pub fn day_report_of(&self, day: &str) -> Result<Option<StoredReport>, JournalError> {
        report_of(&self.conn, day)
    }

    pub fn last_day_report(&self) -> Result<Option<StoredReport>, JournalError> {
        last_report(&self.conn)
    }

    /// Completed payments of `[from, to)` per counter or cashier: name
    /// (empty when unknown), count, poisha.
    pub fn completed_by(&self, group: GroupBy, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<(String, u64, u64)>, JournalError> {
        let column = match group {
            GroupBy::Counter => "counter_id",
            GroupBy::Cashier => "cashier",
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT coalesce({column}, ''), count(*), sum(amount_poisha) FROM payments
             WHERE created_at >= ?1 AND created_at < ?2 AND state = 'completed' GROUP BY 1 ORDER BY 1"
        ))?;
        let rows =
            stmt.query_map(params![stamp(from), stamp(to)], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64, r.get::<_, i64>(2)? as u64)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Payments created before `before` whose outcome is still not known.
    pub fn unsettled_before(&self, before: DateTime<Utc>) -> Result<Vec<PaymentRow>, JournalError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            // The first term is the partial index's own, so SQLite may use it; the
            // `+` keeps it from walking the created_at index through the whole year.
            "SELECT {COLUMNS} FROM payments
             WHERE state IN ('new', 'creating', 'awaiting_customer', 'executing', 'unknown')
               AND state IN ('executing', 'unknown') AND +created_at < ?1 ORDER BY created_at"
        ))?;
        let rows = stmt.query_map([stamp(before)], row_to_payment)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Payments created before `created_before` (a closed day) that changed
    /// after `changed_after` (its closing): corrections for the next report.
    pub fn changed_after(&self, changed_after: DateTime<Utc>, created_before: DateTime<Utc>) -> Result<Vec<PaymentRow>, JournalError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM payments WHERE updated_at > ?1 AND created_at < ?2 ORDER BY updated_at"))?;
        let rows = stmt.query_map(params![stamp(changed_after), stamp(created_before)], row_to_payment)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}
