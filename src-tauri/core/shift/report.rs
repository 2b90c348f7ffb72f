//! The X and Z reports of a shift: on screen (serde) and on the counter's
//! receipt printer (`shift_lines`), in English or Bangla. A Z report is
//! stored as JSON with its shift and read back, never rebuilt.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::journal::{ShiftFigures, ShiftRow};
use crate::money::{Amount, MovementKind, NoteCount};
use crate::print::{word, Line, ReceiptLanguage};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum ShiftReportKind {
    /// Mid-shift, read-only.
    X,
    /// The close: numbered, never changed.
    Z,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Count {
    pub count: u64,
    pub amount_poisha: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct MovementLine {
    pub kind: MovementKind,
    pub amount_poisha: u64,
    pub reason: String,
    pub by: String,
    pub approved_by: Option<String>,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CashierLine {
    /// Empty when nobody was signed in.
    pub name: String,
    pub cash: Count,
    pub bkash: Count,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ShiftReport {
    pub kind: ShiftReportKind,
    #[ts(type = "number")]
    pub shift: i64,
    pub counter: String,
    /// The Z report's number at this counter.
    #[ts(type = "number | null")]
    pub z_number: Option<i64>,
    pub shop_name: String,
    pub opened_by: String,
    #[ts(type = "string")]
    pub opened_at: DateTime<Utc>,
    /// When the X was read, or when the shift closed.
    #[ts(type = "string")]
    pub as_of: DateTime<Utc>,
    pub closed_by: Option<String>,
    pub float_poisha: u64,
    pub cash: Count,
    pub bkash: Count,
    /// bKash refunds completed at this counter during the shift (they go
    /// back to the customer's wallet, not out of the drawer).
    pub refunds: Count,
    pub pay_ins: Count,
    pub pay_outs: Count,
    pub drops: Count,
    pub no_sales: u64,
    /// Float + cash + pay-ins - pay-outs - drops: for a Z, as it stood at the close.
    pub expected_poisha: u64,
    pub counted_poisha: Option<u64>,
    pub counted_notes: Option<NoteCount>,
    /// Counted minus expected: negative is cash missing.
    #[ts(type = "number | null")]
    pub difference_poisha: Option<i64>,
    pub movements: Vec<MovementLine>,
    pub by_cashier: Vec<CashierLine>,
}

fn count((count, amount_poisha): (u64, u64)) -> Count {
    Count { count, amount_poisha }
}

impl ShiftReport {
    /// The report of `shift` with `figures`: a Z once the row is closed, an X before.
    pub fn of(shop_name: &str, shift: &ShiftRow, figures: &ShiftFigures, now: DateTime<Utc>) -> Self {
        let close = shift.close.as_ref();
        Self {
            kind: if close.is_some() { ShiftReportKind::Z } else { ShiftReportKind::X },
            shift: shift.id,
            counter: shift.counter_id.clone(),
            z_number: close.map(|c| c.z_number),
            shop_name: shop_name.into(),
            opened_by: shift.opened_by.clone(),
            opened_at: shift.opened_at,
            as_of: close.map_or(now, |c| c.at),
            closed_by: close.map(|c| c.by.clone()),
            float_poisha: shift.float_poisha,
            cash: Count { count: figures.cash_count, amount_poisha: figures.cash_poisha },
            bkash: Count { count: figures.bkash_count, amount_poisha: figures.bkash_poisha },
            refunds: Count { count: figures.refund_count, amount_poisha: figures.refund_poisha },
            pay_ins: count(figures.moved(MovementKind::PayIn)),
            pay_outs: count(figures.moved(MovementKind::PayOut)),
            drops: count(figures.moved(MovementKind::Drop)),
            no_sales: figures.moved(MovementKind::NoSale).0,
            expected_poisha: shift.expected_poisha(figures),
            counted_poisha: close.map(|c| c.counted_poisha),
            counted_notes: close.and_then(|c| c.counted_notes.clone()),
            difference_poisha: close.map(|c| c.difference_poisha),
            movements: figures
                .movements
                .iter()
                .map(|m| MovementLine {
                    kind: m.kind,
                    amount_poisha: m.amount_poisha,
                    reason: m.reason.clone(),
                    by: m.by.clone(),
                    approved_by: m.approved_by.clone(),
                    at: m.at,
                })
                .collect(),
            by_cashier: figures
                .by_cashier
                .iter()
                .map(|c| CashierLine {
                    name: c.name.clone(),
                    cash: Count { count: c.cash_count, amount_poisha: c.cash_poisha },
                    bkash: Count { count: c.bkash_count, amount_poisha: c.bkash_poisha },
                })
                .collect(),
        }
    }

    /// A closed shift's Z report, exactly as it was stored at the close.
    pub fn stored(shift: &ShiftRow) -> Option<Self> {
        serde_json::from_str(&shift.close.as_ref()?.z_body).ok()
    }
}

fn signed(poisha: i64) -> String {
    let taka = Amount::from_poisha(poisha.unsigned_abs()).taka();
    if poisha < 0 {
        format!("-{taka}")
    } else if poisha > 0 {
        format!("+{taka}")
    } else {
        taka
    }
}

/// The report on paper, top to bottom, in the shop's language.
pub fn shift_lines(report: &ShiftReport, language: ReceiptLanguage) -> Vec<Line> {
    let w = |key: &str| word(language, key, &[]);
    let pair = |key: &str, value: String| Line::Pair { label: w(key), value };
    let tally = |key: &str, c: &Count| Line::Pair {
        label: format!("{} ({})", w(key), c.count),
        value: Amount::from_poisha(c.amount_poisha).taka(),
    };
    let title = match (report.kind, report.z_number) {
        (ShiftReportKind::Z, Some(n)) => word(language, "shift.zTitle", &[("number", &n.to_string())]),
        _ => w("shift.xTitle"),
    };
    let mut lines = vec![Line::Title(report.shop_name.clone()), Line::Centered(title), Line::Rule];
    lines.push(pair("receipt.counter", report.counter.clone()));
    lines.push(pair("shift.openedBy", report.opened_by.clone()));
    lines.push(pair("shift.openedAt", crate::money::time::receipt_time(report.opened_at)));
    match &report.closed_by {
        Some(by) => {
            lines.push(pair("shift.closedBy", by.clone()));
            lines.push(pair("shift.closedAt", crate::money::time::receipt_time(report.as_of)));
        }
        None => lines.push(pair("shift.asOf", crate::money::time::receipt_time(report.as_of))),
    }
    lines.push(Line::Rule);
    lines.push(tally("shift.cashSales", &report.cash));
    lines.push(tally("shift.bkashSales", &report.bkash));
    lines.push(tally("shift.refunds", &report.refunds));
    lines.push(Line::Rule);
    lines.push(pair("shift.float", Amount::from_poisha(report.float_poisha).taka()));
    lines.push(tally("shift.payIns", &report.pay_ins));
    lines.push(tally("shift.payOuts", &report.pay_outs));
    lines.push(tally("shift.drops", &report.drops));
    lines.push(pair("shift.noSales", report.no_sales.to_string()));
    lines.push(pair("shift.expected", Amount::from_poisha(report.expected_poisha).taka()));
    if let (Some(counted), Some(difference)) = (report.counted_poisha, report.difference_poisha) {
        lines.push(pair("shift.counted", Amount::from_poisha(counted).taka()));
        lines.push(pair("shift.difference", signed(difference)));
    }
    if !report.by_cashier.is_empty() {
        lines.push(Line::Rule);
        for c in &report.by_cashier {
            let name = if c.name.is_empty() { w("eod.notRecorded") } else { c.name.clone() };
            lines.push(Line::Pair {
                label: format!("{name}: {} ({})", w("shift.cash"), c.cash.count),
                value: Amount::from_poisha(c.cash.amount_poisha).taka(),
            });
            lines.push(Line::Pair {
                label: format!("{name}: bKash ({})", c.bkash.count),
                value: Amount::from_poisha(c.bkash.amount_poisha).taka(),
            });
        }
    }
    lines.push(Line::Rule);
    lines
}
