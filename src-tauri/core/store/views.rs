//! What the manager's store screens show: the store-wide day, one
//! payment's story from any counter, each counter's sync state and the
//! store's end-of-day report. Plain data (serde, ts-rs); `day::StoreReader`
//! reads them from PostgreSQL.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::money::{ActionOutcome, PaymentState, StoreActionKind};
use crate::payment::PaymentView;
use crate::report::{DaySummary, EventView, RefundView, Tally};

/// Rows per page of the store's day list.
pub const PAGE_SIZE: i64 = 50;

/// A counter silent for longer than this is shown as out of touch.
pub const SILENT_AFTER_SECS: i64 = 60;

/// One payment of the store: which counter's journal it lives in, and the
/// payment as that counter showed it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StorePayment {
    pub counter: String,
    pub cashier: Option<String>,
    pub payment: PaymentView,
}

/// Money per counter or per cashier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StoreGroup {
    pub name: String,
    pub bkash: Tally,
    pub cash: Tally,
    pub refunded: Tally,
}

/// How far one counter's journal is in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CounterSync {
    pub counter: String,
    /// Journal changes the counter had not sent at its last contact.
    pub behind: i64,
    /// Its last contact with the store (RFC 3339, UTC), if ever.
    #[ts(type = "string | null")]
    pub last_contact: Option<DateTime<Utc>>,
    /// Not heard from for over a minute: its latest changes may be missing.
    pub silent: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StoreDayPage {
    pub summary: DaySummary,
    pub by_counter: Vec<StoreGroup>,
    pub by_cashier: Vec<StoreGroup>,
    /// Completed bKash payments per Bangladesh hour (0–23), in poisha.
    pub hourly_poisha: Vec<u64>,
    pub rows: Vec<StorePayment>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    pub counters: Vec<CounterSync>,
    /// Every counter's shifts of the day, and any still open.
    pub shifts: Vec<StoreShift>,
}

/// One counter's shift as the store holds it: an open one with its float;
/// a closed one with its Z report's figures, as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StoreShift {
    pub counter: String,
    #[ts(type = "number")]
    pub shift: i64,
    pub opened_by: String,
    #[ts(type = "string")]
    pub opened_at: DateTime<Utc>,
    #[ts(type = "string | null")]
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<String>,
    #[ts(type = "number | null")]
    pub z_number: Option<i64>,
    pub float_poisha: u64,
    /// The Z's cash and bKash sales (None while the shift is open).
    pub cash: Option<Tally>,
    pub bkash: Option<Tally>,
    pub expected_poisha: Option<u64>,
    pub counted_poisha: Option<u64>,
    #[ts(type = "number | null")]
    pub difference_poisha: Option<i64>,
    /// Pay-ins, pay-outs, drops and no-sale opens the store has of it.
    pub movements: u64,
}

/// One payment's whole story, from whichever counter took it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StoreHistory {
    pub counter: String,
    pub payment: PaymentView,
    pub events: Vec<EventView>,
    pub refunds: Vec<RefundView>,
    pub refundable_poisha: u64,
    /// Checks and resolutions of it made at other counters.
    pub actions: Vec<StoreActionEntry>,
}

/// A check or resolution of a payment made at another counter, and whether
/// the counter that took the payment has carried it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StoreActionEntry {
    pub acting_counter: String,
    pub kind: StoreActionKind,
    pub outcome: ActionOutcome,
    /// What bKash said, or why it could not be asked.
    pub detail: Option<String>,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    /// The payment's state at its own counter once it had asked bKash
    /// itself; None until then.
    pub carried_out: Option<PaymentState>,
}

/// The store's end-of-day report as stored (once) in PostgreSQL.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StoreEndOfDay {
    pub number: i64,
    #[ts(type = "string")]
    pub day: NaiveDate,
    #[ts(type = "string")]
    pub closed_at: DateTime<Utc>,
    pub closed_by: String,
    pub summary: DaySummary,
    pub by_counter: Vec<StoreGroup>,
    pub by_cashier: Vec<StoreGroup>,
    /// Counters whose latest changes had not reached the store when the day
    /// was closed; what they send later shows on the next report.
    pub behind: Vec<CounterSync>,
    /// Payments of days the store had already closed that arrived or
    /// changed since the last store report (a counter that was behind, a
    /// payment settled later): each closed report stays as it was printed.
    #[serde(default)]
    pub corrections: Vec<StoreCorrection>,
}

/// A payment of a closed day as it stood when it went on a later report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StoreCorrection {
    pub counter: String,
    pub id: i64,
    pub invoice: String,
    pub amount_poisha: u64,
    pub state: crate::money::PaymentState,
    #[serde(rename = "trxID")]
    pub trx_id: Option<String>,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
}
