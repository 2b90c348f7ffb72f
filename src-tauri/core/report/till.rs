//! The till's side of a day: cash beside bKash, each counter's drawer, the
//! items sold, and the sales with their lines for export. Read-only.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::closing::groups;
use super::{business_day, local_time, GroupTotal, Tally};
use crate::journal::{GroupBy, ItemSold, JournalError, JournalRead, SaleRow, ShiftRow};
use crate::money::{Amount, SaleLine, Tender};

/// How many products the day view and the report list as top sellers.
pub const TOP_ITEMS: u32 = 10;

/// A counter's cash drawer for the day: what should be in it and what was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DrawerLine {
    pub counter: String,
    pub opening_float_poisha: u64,
    pub cash_sales_poisha: u64,
    /// Float plus cash sales.
    pub expected_poisha: u64,
    pub counted_poisha: Option<u64>,
    /// Counted minus expected: negative is cash missing.
    pub difference_poisha: Option<i64>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ItemLine {
    pub code: Option<String>,
    pub name: String,
    pub quantity: u64,
    pub amount_poisha: u64,
}

impl From<ItemSold> for ItemLine {
    fn from(i: ItemSold) -> Self {
        Self { code: i.code, name: i.name, quantity: i.quantity, amount_poisha: i.amount_poisha }
    }
}

/// One shift of the day: its drawer as the close fixed it (or, while it is
/// open, as it stands), its sales, and each cashier's part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ShiftLine {
    #[ts(type = "number")]
    pub shift: i64,
    pub counter: String,
    pub opened_by: String,
    #[ts(type = "string")]
    pub opened_at: DateTime<Utc>,
    /// `None` while the shift is open.
    #[ts(type = "string | null")]
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<String>,
    #[ts(type = "number | null")]
    pub z_number: Option<i64>,
    pub float_poisha: u64,
    pub cash: Tally,
    pub bkash: Tally,
    /// Fixed at the close; while open, as it stands now.
    pub expected_poisha: u64,
    pub counted_poisha: Option<u64>,
    #[ts(type = "number | null")]
    pub difference_poisha: Option<i64>,
    pub by_cashier: Vec<CashierTotal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CashierTotal {
    /// Empty when nobody was signed in.
    pub name: String,
    pub cash: Tally,
    pub bkash: Tally,
}

fn shift_line(journal: &impl JournalRead, shift: &ShiftRow) -> Result<ShiftLine, JournalError> {
    let figures = journal.shift_figures(shift)?;
    let close = shift.close.as_ref();
    Ok(ShiftLine {
        shift: shift.id,
        counter: shift.counter_id.clone(),
        opened_by: shift.opened_by.clone(),
        opened_at: shift.opened_at,
        closed_at: close.map(|c| c.at),
        closed_by: close.map(|c| c.by.clone()),
        z_number: close.map(|c| c.z_number),
        float_poisha: shift.float_poisha,
        cash: Tally { count: figures.cash_count, amount_poisha: figures.cash_poisha },
        bkash: Tally { count: figures.bkash_count, amount_poisha: figures.bkash_poisha },
        expected_poisha: shift.expected_poisha(&figures),
        counted_poisha: close.map(|c| c.counted_poisha),
        difference_poisha: close.map(|c| c.difference_poisha),
        by_cashier: figures
            .by_cashier
            .iter()
            .map(|c| CashierTotal {
                name: c.name.clone(),
                cash: Tally { count: c.cash_count, amount_poisha: c.cash_poisha },
                bkash: Tally { count: c.bkash_count, amount_poisha: c.bkash_poisha },
            })
            .collect(),
    })
}

/// A day's cash, drawers and items. `None` for a day with no sale rung up
/// and no drawer counted (every day before the till), so those days' reports
/// read exactly as they always did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TillDay {
    /// Sales paid in cash.
    pub cash: Tally,
    pub cash_by_counter: Vec<GroupTotal>,
    pub cash_by_cashier: Vec<GroupTotal>,
    /// Drawers counted per day, before shifts (kept for those days).
    pub drawers: Vec<DrawerLine>,
    /// The day's shifts, and any still open. Absent from reports closed
    /// before shifts, which read back exactly as they were printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<ShiftLine>>", optional)]
    pub shifts: Vec<ShiftLine>,
    /// Most sold first, by quantity.
    pub top_items: Vec<ItemLine>,
}

pub fn till_day(journal: &impl JournalRead, day: NaiveDate) -> Result<Option<TillDay>, JournalError> {
    let (start, end) = business_day(journal, day)?;
    let cash_by_counter = groups(journal.cash_by(GroupBy::Counter, start, end)?);
    let counts = journal.drawer_counts(&day.to_string())?;
    let top_items: Vec<ItemLine> = journal.items_sold_between(start, end, TOP_ITEMS)?.into_iter().map(ItemLine::from).collect();
    let shifts = journal.shifts_between(start, end)?.iter().map(|s| shift_line(journal, s)).collect::<Result<Vec<_>, _>>()?;
    if cash_by_counter.is_empty() && counts.is_empty() && top_items.is_empty() && shifts.is_empty() {
        return Ok(None);
    }
    let mut counters: Vec<String> =
        cash_by_counter.iter().map(|g| g.name.clone()).chain(counts.iter().map(|c| c.counter_id.clone())).collect();
    counters.sort();
    counters.dedup();
    let drawers = counters
        .into_iter()
        .map(|counter| {
            let cash_sales_poisha = cash_by_counter.iter().find(|g| g.name == counter).map_or(0, |g| g.completed.amount_poisha);
            let count = counts.iter().find(|c| c.counter_id == counter);
            let opening_float_poisha = count.map_or(0, |c| c.opening_float_poisha);
            let expected_poisha = opening_float_poisha + cash_sales_poisha;
            let counted_poisha = count.and_then(|c| c.counted_poisha);
            DrawerLine {
                counter,
                opening_float_poisha,
                cash_sales_poisha,
                expected_poisha,
                counted_poisha,
                difference_poisha: counted_poisha.map(|c| c as i64 - expected_poisha as i64),
                note: count.and_then(|c| c.note.clone()),
            }
        })
        .collect();
    let cash = cash_by_counter.iter().fold(Tally::default(), |mut t, g| {
        t.count += g.completed.count;
        t.amount_poisha += g.completed.amount_poisha;
        t
    });
    Ok(Some(TillDay {
        cash,
        cash_by_counter,
        cash_by_cashier: groups(journal.cash_by(GroupBy::Cashier, start, end)?),
        drawers,
        shifts,
        top_items,
    }))
}

/// One sale with its lines, as exports and the headless report show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SaleReport {
    /// `YYYY-MM-DD HH:MM:SS`, Bangladesh time: when it was rung up.
    pub time: String,
    pub order_id: String,
    /// How it was paid; `None` if it was not.
    pub tender: Option<Tender>,
    /// Taka, two decimals, no grouping.
    pub total: String,
    pub lines: Vec<SaleLine>,
    pub counter: Option<String>,
    pub cashier: Option<String>,
}

impl From<&SaleRow> for SaleReport {
    fn from(s: &SaleRow) -> Self {
        Self {
            time: local_time(s.opened_at),
            order_id: s.order_id.clone(),
            tender: s.tender(),
            total: Amount::from_poisha(s.total_poisha).to_string(),
            lines: s.lines.clone(),
            counter: s.counter_id.clone(),
            cashier: s.cashier.clone(),
        }
    }
}

/// The columns of the sale lines CSV, in order.
pub const LINES_CSV_HEADERS: [&str; 12] =
    ["time", "order", "tender", "line", "code", "item", "quantity", "unit_bdt", "line_bdt", "sale_total_bdt", "counter", "cashier"];

/// Writes every line of `sales` as CSV, one row per line, in the same form
/// as the transactions file (BOM, CRLF, RFC 4180). `tender` is `bkash`,
/// `cash`, or empty for a sale that was not paid.
pub fn write_lines_csv(sales: &[SaleReport], out: impl std::io::Write) -> std::io::Result<()> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())?;
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    writer.write_record(LINES_CSV_HEADERS)?;
    for sale in sales {
        let tender = match sale.tender {
            Some(Tender::Bkash) => "bkash",
            Some(Tender::Cash) => "cash",
            None => "",
        };
        for (i, line) in sale.lines.iter().enumerate() {
            writer.write_record([
                sale.time.clone(),
                sale.order_id.clone(),
                tender.to_string(),
                (i + 1).to_string(),
                line.code.clone().unwrap_or_default(),
                line.name.clone(),
                line.quantity.to_string(),
                Amount::from_poisha(line.unit_poisha).to_string(),
                Amount::from_poisha(line.total_poisha()).to_string(),
                sale.total.clone(),
                sale.counter.clone().unwrap_or_default(),
                sale.cashier.clone().unwrap_or_default(),
            ])?;
        }
    }
    writer.flush()
}
