//! The end-of-day report: numbered, per counter and per cashier, with the
//! payments still being checked carried over, and the corrections to days
//! already closed. Once stored it never changes; a later change to a closed
//! day's payment is listed on the next report instead.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{bangladesh_day, local_time, summary_with_refunds, DaySummary, ReportRow, Tally};
use crate::journal::{GroupBy, Journal, JournalError, JournalRead, StoredReport};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupTotal {
    /// The counter or cashier; empty when the payment had none recorded.
    pub name: String,
    pub completed: Tally,
}

/// A payment of an earlier, closed day that changed after that day closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Correction {
    /// The report that closed the payment's day.
    pub closed_in: i64,
    pub payment: ReportRow,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct EndOfDay {
    pub number: i64,
    #[ts(type = "string")]
    pub day: NaiveDate,
    /// Bangladesh time, as printed. Text, not a date: a closed report is
    /// stored as it was printed, and every report closed so far holds it so.
    pub closed_at: String,
    pub shop_name: String,
    pub summary: DaySummary,
    pub by_counter: Vec<GroupTotal>,
    pub by_cashier: Vec<GroupTotal>,
    /// Payments of this day or before whose outcome bKash has not given yet.
    pub carried_over: Vec<ReportRow>,
    pub corrections: Vec<Correction>,
    /// Cash, drawers and items sold; absent for days without the till.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub till: Option<super::TillDay>,
}

/// Named totals as the journal sums them (name, count, poisha).
pub(super) fn groups(rows: Vec<(String, u64, u64)>) -> Vec<GroupTotal> {
    rows.into_iter().map(|(name, count, amount_poisha)| GroupTotal { name, completed: Tally { count, amount_poisha } }).collect()
}

/// Builds the report of `day` as it stands at `now` (not yet numbered).
pub fn end_of_day(journal: &impl JournalRead, day: NaiveDate, shop_name: &str, now: DateTime<Utc>) -> Result<EndOfDay, JournalError> {
    let (start, end) = bangladesh_day(day);
    let summary = summary_with_refunds(journal, day)?;
    let corrections = match journal.last_day_report()? {
        Some(last) => {
            let last_day = last.day;
            let closed_day_end = bangladesh_day(last_day).1.min(start);
            journal
                .changed_after(last.closed_at, closed_day_end)?
                .iter()
                .map(|row| Correction { closed_in: last.number, payment: ReportRow::from(row) })
                .collect()
        }
        None => Vec::new(),
    };
    Ok(EndOfDay {
        number: 0,
        day,
        closed_at: local_time(now),
        shop_name: shop_name.into(),
        summary,
        by_counter: groups(journal.completed_by(GroupBy::Counter, start, end)?),
        by_cashier: groups(journal.completed_by(GroupBy::Cashier, start, end)?),
        carried_over: journal.unsettled_before(end)?.iter().map(ReportRow::from).collect(),
        corrections,
        till: super::till_day(journal, day)?,
    })
}

/// Closes `day`: builds its report and stores it under the next number.
/// The one write in `report/`, and it is the journal's own: the report is
/// built from the writer's connection and stored by its guarded insert,
/// which refuses a day already closed.
pub fn close_day(
    journal: &mut Journal,
    day: NaiveDate,
    shop_name: &str,
    now: DateTime<Utc>,
) -> Result<(EndOfDay, StoredReport), JournalError> {
    if let Some(existing) = journal.day_report_of(day)? {
        return Err(JournalError::DayClosed { day: day.to_string(), number: existing.number });
    }
    let mut report = end_of_day(journal, day, shop_name, now)?;
    let stored = journal.store_day_report(day, now, |number| {
        report.number = number;
        serde_json::to_string(&report).expect("a report serialises")
    })?;
    Ok((report, stored))
}
