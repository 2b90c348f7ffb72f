//! The end-of-day report: numbered, per counter and per cashier, with the
//! payments still being checked carried over, and the corrections to days
//! already closed. Once stored it never changes; a later change to a closed
//! day's payment is listed on the next report instead.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{business_day, local_time, summary_with_refunds, DaySummary, ReportRow, Tally};
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

/// A cash sale of a closed day whose cash was taken after that day closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CashCorrection {
    pub closed_in: i64,
    pub order_id: String,
    pub amount_poisha: u64,
    #[ts(type = "string")]
    pub taken_at: DateTime<Utc>,
    pub counter: Option<String>,
    pub cashier: Option<String>,
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
    /// Cash taken for sales of a closed day after it closed. Absent from
    /// reports closed before shifts, which never listed cash corrections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<CashCorrection>>", optional)]
    pub cash_corrections: Vec<CashCorrection>,
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
    let (start, end) = business_day(journal, day)?;
    let summary = summary_with_refunds(journal, day, (start, end))?;
    let (corrections, cash_corrections) = match journal.last_day_report()? {
        Some(last) => {
            let last_day = last.day;
            let closed_day_end = business_day(journal, last_day)?.1.min(start);
            let bkash = journal
                .changed_after(last.closed_at, closed_day_end)?
                .iter()
                .map(|row| Correction { closed_in: last.number, payment: ReportRow::from(row) })
                .collect();
            // Cash counts in the day its sale was rung up, so cash taken after
            // that day closed would change the day view but no report.
            let cash = journal
                .cash_after(last.closed_at, closed_day_end)?
                .into_iter()
                .filter_map(|sale| {
                    let cash = sale.cash?;
                    Some(CashCorrection {
                        closed_in: last.number,
                        order_id: sale.order_id,
                        amount_poisha: sale.total_poisha,
                        taken_at: cash.at,
                        counter: sale.counter_id,
                        cashier: sale.cashier,
                    })
                })
                .collect();
            (bkash, cash)
        }
        None => (Vec::new(), Vec::new()),
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
        cash_corrections,
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
    // A day not begun has nothing to close. Today may close (the shop's day
    // ends when the manager says so): what comes after is tomorrow's.
    if day > crate::money::time::bangladesh_date(now) {
        return Err(JournalError::DayToCome { day: day.to_string() });
    }
    // The day is made of shifts: its cash is not known while one is open.
    let (_, end) = business_day(journal, day)?;
    if let Some(open) = journal.open_shifts()?.into_iter().find(|s| s.opened_at < end) {
        return Err(JournalError::ShiftStillOpen { counter_id: open.counter_id, opened_by: open.opened_by });
    }
    let mut report = end_of_day(journal, day, shop_name, now)?;
    let stored = journal.store_day_report(day, now, |number| {
        report.number = number;
        serde_json::to_string(&report).expect("a report serialises")
    })?;
    Ok((report, stored))
}
