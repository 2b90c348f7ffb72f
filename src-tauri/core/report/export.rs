//! A day's transactions for people and for scripts: the rows of a
//! `DayReport`, its CSV (what spreadsheet apps open), and its JSON.

use serde::Serialize;

use super::{local_time, DaySummary};
use crate::journal::PaymentRow;
use crate::money::{Amount, PaymentState};
use crate::payment::mask_wallet;

/// One transaction as reports show it: Bangladesh time, taka as bKash writes
/// it, the wallet masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportRow {
    /// `YYYY-MM-DD HH:MM:SS`, Bangladesh time.
    pub time: String,
    pub invoice: String,
    pub order_id: String,
    pub state: PaymentState,
    /// `1250.50`: taka, two decimals, no grouping (what spreadsheets sum).
    pub amount: String,
    #[serde(rename = "paymentID")]
    pub payment_id: Option<String>,
    #[serde(rename = "trxID")]
    pub trx_id: Option<String>,
    pub wallet: Option<String>,
    pub counter: Option<String>,
    pub cashier: Option<String>,
}

impl From<&PaymentRow> for ReportRow {
    fn from(row: &PaymentRow) -> Self {
        Self {
            time: local_time(row.created_at),
            invoice: row.invoice.clone(),
            order_id: row.order_id.clone(),
            state: row.state,
            amount: Amount::from_poisha(row.amount_poisha).to_string(),
            payment_id: row.payment_id.clone(),
            trx_id: row.trx_id.clone(),
            wallet: row.customer_msisdn.as_deref().map(mask_wallet),
            counter: row.counter_id.clone(),
            cashier: row.cashier.clone(),
        }
    }
}

/// A day: its totals and every transaction, oldest first, and its
/// end-of-day report once the day is closed (as it was printed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DayReport {
    pub summary: DaySummary,
    pub transactions: Vec<ReportRow>,
    /// Every sale rung up that day with its lines (none before the till).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sales: Vec<super::SaleReport>,
    pub end_of_day: Option<super::EndOfDay>,
}

/// The CSV column headers, in order.
pub const CSV_HEADERS: [&str; 10] =
    ["time", "invoice", "order", "state", "amount_bdt", "paymentID", "trxID", "wallet", "counter", "cashier"];

/// Writes `rows` as CSV: UTF-8 with a byte-order mark, because spreadsheet
/// apps (Excel above all) otherwise read Bangla text as mojibake; CRLF line
/// ends and RFC 4180 quoting, so a comma or quote in a name stays in its cell.
pub fn write_csv(rows: &[ReportRow], out: impl std::io::Write) -> std::io::Result<()> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())?;
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    writer.write_record(CSV_HEADERS)?;
    for r in rows {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        writer.write_record([
            r.time.clone(),
            r.invoice.clone(),
            r.order_id.clone(),
            r.state.as_str().to_string(),
            r.amount.clone(),
            opt(&r.payment_id),
            opt(&r.trx_id),
            opt(&r.wallet),
            opt(&r.counter),
            opt(&r.cashier),
        ])?;
    }
    writer.flush()
}
