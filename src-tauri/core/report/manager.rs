//! What the manager's screens read: a page of a day's payments with the
//! day's totals, and one payment's whole history. Read-only.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{business_day, summary_with_refunds, DaySummary};
use crate::journal::{EventRow, JournalError, JournalRead, PaymentFilter, RefundRow};
use crate::money::RefundState;
use crate::money::{EventKind, EventState};
use crate::payment::PaymentView;

/// Rows per page of the day list: one screen at the counter.
pub const PAGE_SIZE: u32 = 50;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DayPage {
    pub summary: DaySummary,
    pub rows: Vec<PaymentView>,
    /// Rows matching the filter, over all pages.
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    /// Completed payments per Bangladesh hour (0–23), in poisha, for the chart.
    pub hourly_poisha: Vec<u64>,
    /// Cash, drawers and items sold, when the till was used that day.
    pub till: Option<super::TillDay>,
}

pub fn day_page(journal: &impl JournalRead, day: NaiveDate, filter: &PaymentFilter, page: u32) -> Result<DayPage, JournalError> {
    let (start, end) = business_day(journal, day)?;
    let summary = summary_with_refunds(journal, day, (start, end))?;
    let found = journal.search_payments(start, end, filter, PAGE_SIZE, u64::from(page) * u64::from(PAGE_SIZE))?;
    let hourly_poisha = journal.completed_by_hour(start, end)?;
    Ok(DayPage {
        summary,
        rows: found.rows.iter().map(PaymentView::from).collect(),
        total: found.total,
        page,
        page_size: PAGE_SIZE,
        hourly_poisha,
        till: super::till_day(journal, day)?,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct EventView {
    /// RFC 3339, UTC, on the wire; the screen shows it in Bangladesh time.
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub from_state: Option<EventState>,
    pub to_state: Option<EventState>,
    pub bkash_code: Option<String>,
    pub bkash_message: Option<String>,
    pub detail: Option<String>,
}

impl From<&EventRow> for EventView {
    fn from(e: &EventRow) -> Self {
        Self {
            at: e.at,
            kind: e.kind,
            from_state: e.from_state,
            to_state: e.to_state,
            bkash_code: e.bkash_code.clone(),
            bkash_message: e.bkash_message.clone(),
            detail: e.detail.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RefundView {
    pub id: i64,
    pub amount_poisha: u64,
    pub sku: String,
    pub reason: String,
    pub state: RefundState,
    #[serde(rename = "refundTrxID")]
    pub refund_trx_id: Option<String>,
    pub bkash_code: Option<String>,
}

/// A refund of this counter's own payment, and one this counter made of
/// another counter's payment (`StoreRefundRow::refund`), are shown alike.
impl From<&RefundRow> for RefundView {
    fn from(r: &RefundRow) -> Self {
        Self {
            id: r.id,
            amount_poisha: r.amount_poisha,
            sku: r.sku.clone(),
            reason: r.reason.clone(),
            state: r.state,
            refund_trx_id: r.refund_trx_id.clone(),
            bkash_code: r.bkash_code.clone(),
        }
    }
}

/// One payment, every journal event and bKash answer, and its refunds.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct History {
    pub payment: PaymentView,
    pub events: Vec<EventView>,
    pub refunds: Vec<RefundView>,
    pub refundable_poisha: u64,
}

pub fn history(journal: &impl JournalRead, id: i64) -> Result<History, JournalError> {
    Ok(History {
        payment: PaymentView::from(&journal.get(id)?),
        events: journal.events(id)?.iter().map(EventView::from).collect(),
        refunds: journal.refunds_of(id)?.iter().map(RefundView::from).collect(),
        refundable_poisha: journal.refundable(id)?,
    })
}

/// The completed bKash payment a customer's receipt names, by its trxID or
/// invoice exactly (any case): the counter's refund starts from the receipt
/// in the customer's hand, not from a list of everyone's payments.
pub fn paid_by_reference(journal: &impl JournalRead, reference: &str) -> Result<Option<History>, JournalError> {
    let reference = reference.trim();
    if reference.is_empty() {
        return Ok(None);
    }
    match journal.completed_by_reference(reference)? {
        Some(row) => history(journal, row.id).map(Some),
        None => Ok(None),
    }
}
