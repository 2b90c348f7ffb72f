//! Day summaries, the end-of-day report and CSV export.
//!
//! Contract: reads the journal only (`JournalRead`); a report never changes a
//! payment. Closing a day stores its report through the journal's own
//! guarded insert (`close_day`). Days are
//! Bangladesh-local (UTC+06:00) while every stored timestamp is UTC.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::journal::{JournalError, JournalRead, StateTotal};
use crate::money::PaymentState;

mod closing;
mod export;
mod manager;
mod till;
pub use closing::{close_day, end_of_day, CashCorrection, Correction, EndOfDay, GroupTotal};
pub use export::{write_csv, DayReport, ReportRow, CSV_HEADERS};
pub use manager::{day_page, history, paid_by_reference, DayPage, EventView, History, RefundView, PAGE_SIZE};
pub use till::{
    till_day, write_lines_csv, CashierTotal, DrawerLine, ItemLine, SaleReport, ShiftLine, TillDay, LINES_CSV_HEADERS, TOP_ITEMS,
};

pub use crate::money::time::{bangladesh, bangladesh_day, bangladesh_today, local_time};

/// Count and amount (poisha) of one group of payments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Tally {
    pub count: u64,
    pub amount_poisha: u64,
}

impl Tally {
    pub fn is_zero(&self) -> bool {
        self.count == 0 && self.amount_poisha == 0
    }

    fn add(&mut self, total: &StateTotal) {
        self.count += total.count;
        self.amount_poisha += total.amount_poisha;
    }
}

/// A day at the counter, by what happened to the money.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DaySummary {
    /// `YYYY-MM-DD` on the wire.
    #[ts(type = "string")]
    pub day: NaiveDate,
    /// Money taken.
    pub completed: Tally,
    /// bKash refused: nothing taken.
    pub failed: Tally,
    /// Stopped before execute, or proven not charged: nothing taken.
    pub cancelled: Tally,
    /// Outcome not known yet: "checking with bKash".
    pub checking: Tally,
    /// Still at the counter (customer in bKash's window, create in flight).
    pub in_progress: Tally,
    /// Completed refunds of the day's payments.
    pub refunded: Tally,
    /// Sales paid in cash (absent on days without any, as before the till).
    #[serde(default, skip_serializing_if = "Tally::is_zero")]
    #[ts(as = "Option<Tally>", optional)]
    pub cash: Tally,
    /// Taken (bKash and cash) minus refunded.
    pub net_poisha: u64,
}

/// Sums the journal's per-state totals for one Bangladesh-local day.
pub fn day_summary(
    day: NaiveDate,
    totals: impl FnOnce(DateTime<Utc>, DateTime<Utc>) -> Result<Vec<StateTotal>, JournalError>,
) -> Result<DaySummary, JournalError> {
    summary_between(day, bangladesh_day(day), totals)
}

/// The instants that bound a counter's business day `[start, end)`: its
/// Bangladesh calendar day, except that a day closed before its midnight
/// ends at its close and the next day begins there. A sale rung up after
/// tonight's close is tomorrow's, in the day view and in tomorrow's report
/// alike, so the closed report and the day view never disagree about it.
pub fn business_day(journal: &impl JournalRead, day: NaiveDate) -> Result<(DateTime<Utc>, DateTime<Utc>), JournalError> {
    let (midnight, next_midnight) = bangladesh_day(day);
    let closed_at = |d: NaiveDate| journal.day_report_of(d).map(|r| r.map(|r| r.closed_at));
    let start = match day.pred_opt() {
        Some(before) => closed_at(before)?.map_or(midnight, |at| at.min(midnight)),
        None => midnight,
    };
    let end = closed_at(day)?.map_or(next_midnight, |at| at.min(next_midnight));
    Ok((start, end))
}

/// The day a sale rung up at `now` belongs to: today, or tomorrow once
/// today is closed.
pub fn business_today(journal: &impl JournalRead, now: DateTime<Utc>) -> Result<NaiveDate, JournalError> {
    let today = crate::money::time::bangladesh_date(now);
    Ok(match journal.day_report_of(today)? {
        Some(_) => today.succ_opt().unwrap_or(today),
        None => today,
    })
}

fn summary_between(
    day: NaiveDate,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    totals: impl FnOnce(DateTime<Utc>, DateTime<Utc>) -> Result<Vec<StateTotal>, JournalError>,
) -> Result<DaySummary, JournalError> {
    let mut summary = DaySummary { day, ..Default::default() };
    for total in totals(start, end)? {
        let tally = match total.state {
            PaymentState::Completed => &mut summary.completed,
            PaymentState::Failed => &mut summary.failed,
            PaymentState::Cancelled | PaymentState::NotCharged => &mut summary.cancelled,
            PaymentState::Executing | PaymentState::Unknown => &mut summary.checking,
            PaymentState::New | PaymentState::Creating | PaymentState::AwaitingCustomer => &mut summary.in_progress,
        };
        tally.add(&total);
    }
    summary.net_poisha = summary.completed.amount_poisha;
    Ok(summary)
}

/// The totals of `day` (bounded `[start, end)`, its business day) from a
/// journal, with its completed refunds and the net.
fn summary_with_refunds(
    journal: &impl JournalRead,
    day: NaiveDate,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) -> Result<DaySummary, JournalError> {
    let mut summary = summary_between(day, (start, end), |from, to| journal.totals_between(from, to))?;
    let (count, amount_poisha) = journal.refunded_between(start, end)?;
    summary.refunded = Tally { count, amount_poisha };
    for (_, count, amount_poisha) in journal.cash_by(crate::journal::GroupBy::Counter, start, end)? {
        summary.cash.count += count;
        summary.cash.amount_poisha += amount_poisha;
    }
    summary.net_poisha = (summary.completed.amount_poisha + summary.cash.amount_poisha).saturating_sub(amount_poisha);
    Ok(summary)
}

/// The day's report from a journal: totals and every transaction.
pub fn day_report(journal: &impl JournalRead, day: NaiveDate) -> Result<DayReport, JournalError> {
    let (start, end) = business_day(journal, day)?;
    let summary = summary_with_refunds(journal, day, (start, end))?;
    let transactions = journal.payments_between(start, end)?.iter().map(ReportRow::from).collect();
    let sales = journal.sales_between(start, end)?.iter().map(SaleReport::from).collect();
    let end_of_day = match journal.day_report_of(day)? {
        Some(stored) => {
            Some(serde_json::from_str(&stored.body).map_err(|e| JournalError::Invalid { field: "day report", problem: e.to_string() })?)
        }
        None => None,
    };
    Ok(DayReport { summary, transactions, sales, end_of_day })
}
