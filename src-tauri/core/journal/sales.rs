//! The till's tables: sales with their lines, cash tenders, the catalogue
//! and the drawer counts. A sale is written before any payment of it starts;
//! the schema itself (migration 006) refuses a second tender and lines that
//! change once something may have paid them.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use super::open::classify;
use super::payments::{stamp, time, unsigned};
use super::{Journal, JournalError};
use crate::money::{change_due, check_lines, SaleLine, StaffRef, Tender};

/// One sale as the journal holds it, with its lines and how it was paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleRow {
    pub id: i64,
    pub order_id: String,
    pub counter_id: Option<String>,
    pub cashier: Option<String>,
    pub total_poisha: u64,
    pub opened_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub lines: Vec<SaleLine>,
    pub cash: Option<CashTender>,
    /// The id of its completed bKash payment, if bKash paid it.
    pub paid_by_payment: Option<i64>,
}

impl SaleRow {
    /// How it was paid; `None` while it is not.
    pub fn tender(&self) -> Option<Tender> {
        if self.cash.is_some() {
            Some(Tender::Cash)
        } else if self.paid_by_payment.is_some() {
            Some(Tender::Bkash)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CashTender {
    pub tendered_poisha: u64,
    pub change_poisha: u64,
    pub at: DateTime<Utc>,
}

/// A product of the shop's catalogue.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CatalogueItem {
    pub code: String,
    pub barcode: Option<String>,
    pub name_en: String,
    pub name_bn: Option<String>,
    pub price_poisha: u64,
}

/// A counter's cash drawer for one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawerCount {
    pub day: NaiveDate,
    pub counter_id: String,
    pub opening_float_poisha: u64,
    pub counted_poisha: Option<u64>,
    pub note: Option<String>,
}

/// An item sold, summed over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSold {
    pub code: Option<String>,
    pub name: String,
    pub quantity: u64,
    pub amount_poisha: u64,
}

const SALE_COLUMNS: &str = "s.id, s.order_id, s.counter_id, s.cashier, s.total_poisha, s.opened_at, s.finished_at,
     c.tendered_poisha, c.change_poisha, c.at,
     (SELECT p.id FROM payments p WHERE p.order_id = s.order_id AND p.state = 'completed')";

fn row_to_sale(r: &Row<'_>) -> rusqlite::Result<SaleRow> {
    let cash = match r.get::<_, Option<i64>>(7)? {
        Some(tendered) => Some(CashTender { tendered_poisha: tendered as u64, change_poisha: unsigned(r, 8)?, at: time(r.get(9)?)? }),
        None => None,
    };
    Ok(SaleRow {
        id: r.get(0)?,
        order_id: r.get(1)?,
        counter_id: r.get(2)?,
        cashier: r.get(3)?,
        total_poisha: unsigned(r, 4)?,
        opened_at: time(r.get(5)?)?,
        finished_at: r.get::<_, Option<String>>(6)?.map(time).transpose()?,
        lines: Vec::new(),
        cash,
        paid_by_payment: r.get(10)?,
    })
}

fn lines_of(conn: &Connection, sale: i64) -> Result<Vec<SaleLine>, JournalError> {
    let mut stmt =
        conn.prepare_cached("SELECT product_code, name, quantity, unit_poisha FROM sale_lines WHERE sale = ?1 ORDER BY position")?;
    let lines = stmt
        .query_map([sale], |r| Ok(SaleLine { code: r.get(0)?, name: r.get(1)?, quantity: r.get(2)?, unit_poisha: unsigned(r, 3)? }))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(lines)
}

/// Sales matching `condition` (on `s`), each with its lines.
pub(super) fn sales_where(conn: &Connection, condition: &str, values: impl rusqlite::Params) -> Result<Vec<SaleRow>, JournalError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {SALE_COLUMNS} FROM sales s LEFT JOIN cash_tenders c ON c.sale = s.id WHERE {condition} ORDER BY s.id"
    ))?;
    let mut sales = stmt.query_map(values, row_to_sale)?.collect::<Result<Vec<_>, _>>()?;
    for sale in &mut sales {
        sale.lines = lines_of(conn, sale.id)?;
    }
    Ok(sales)
}

pub(super) fn sale_by_order(conn: &Connection, order_id: &str) -> Result<Option<SaleRow>, JournalError> {
    Ok(sales_where(conn, "s.order_id = ?1", [order_id])?.pop())
}

pub(super) fn row_to_item(r: &Row<'_>) -> rusqlite::Result<CatalogueItem> {
    Ok(CatalogueItem { code: r.get(0)?, barcode: r.get(1)?, name_en: r.get(2)?, name_bn: r.get(3)?, price_poisha: unsigned(r, 4)? })
}

pub(super) fn row_to_drawer(r: &Row<'_>) -> rusqlite::Result<DrawerCount> {
    Ok(DrawerCount {
        day: r.get(0)?,
        counter_id: r.get(1)?,
        opening_float_poisha: unsigned(r, 2)?,
        counted_poisha: match r.get::<_, Option<i64>>(3)? {
            Some(_) => Some(unsigned(r, 3)?),
            None => None,
        },
        note: r.get(4)?,
    })
}

/// The schema's refusals, named.
fn refusal(path: &std::path::Path, order_id: &str, e: rusqlite::Error) -> JournalError {
    let text = e.to_string();
    if text.contains("sale is being paid") || text.contains("sale has a live bKash payment") {
        JournalError::SaleBeingPaid { order_id: order_id.into() }
    } else if text.contains("UNIQUE constraint failed: cash_tenders.sale") || text.contains("sale already paid in cash") {
        JournalError::SaleAlreadyPaid { order_id: order_id.into() }
    } else {
        classify(path, e)
    }
}

impl Journal {
    /// Writes sale `order_id` with its lines (new, or its lines replaced
    /// while nothing may have paid it), in one transaction. Returns the sale
    /// as stored. Called before any payment of the sale starts.
    pub fn record_sale(
        &mut self,
        order_id: &str,
        counter_id: Option<&str>,
        cashier: Option<&StaffRef>,
        lines: &[SaleLine],
        now: DateTime<Utc>,
    ) -> Result<SaleRow, JournalError> {
        if let Some(damaged) = self.health.refusal() {
            return Err(damaged);
        }
        let total = check_lines(order_id, lines).map_err(|e| JournalError::Invalid { field: "sale", problem: e.to_string() })?;
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        let existing: Option<(i64, Option<String>)> =
            tx.query_row("SELECT id, finished_at FROM sales WHERE order_id = ?1", [order_id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        let id = match existing {
            Some((_, Some(_))) => return Err(JournalError::SaleAlreadyPaid { order_id: order_id.into() }),
            Some((id, None)) => {
                tx.execute("DELETE FROM sale_lines WHERE sale = ?1", [id]).map_err(|e| refusal(&path, order_id, e))?;
                tx.execute(
                    "UPDATE sales SET total_poisha = ?2, cashier = COALESCE(?3, cashier), cashier_id = COALESCE(?4, cashier_id) WHERE id = ?1",
                    params![id, total as i64, cashier.map(|c| &c.name), cashier.map(|c| c.id)],
                )?;
                id
            }
            None => {
                tx.execute(
                    // The shift open at the counter when the sale is rung up is its shift.
                    "INSERT INTO sales (order_id, counter_id, cashier, cashier_id, total_poisha, opened_at, shift)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT id FROM shifts WHERE counter_id = ?2 AND closed_at IS NULL))",
                    params![order_id, counter_id, cashier.map(|c| &c.name), cashier.map(|c| c.id), total as i64, stamp(now)],
                )
                .map_err(|e| classify(&path, e))?;
                tx.last_insert_rowid()
            }
        };
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO sale_lines (sale, position, product_code, name, quantity, unit_poisha, line_poisha)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for (i, line) in lines.iter().enumerate() {
                insert
                    .execute(params![
                        id,
                        i as i64 + 1,
                        line.code,
                        line.name.trim(),
                        line.quantity,
                        line.unit_poisha as i64,
                        line.total_poisha() as i64
                    ])
                    .map_err(|e| refusal(&path, order_id, e))?;
            }
        }
        let sale = sale_by_order(&tx, order_id)?.expect("written above");
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(sale)
    }

    /// Sale `order_id` paid in cash: `tendered_poisha` handed over, the
    /// change is the rest. Refused while a bKash payment of it is under way,
    /// being checked or completed, and for a sale already paid.
    /// The cash goes into the drawer of the shift open at the sale's counter
    /// now (none before shifts), taken by `cashier`.
    pub fn take_cash(
        &mut self,
        order_id: &str,
        tendered_poisha: u64,
        cashier: Option<&StaffRef>,
        now: DateTime<Utc>,
    ) -> Result<SaleRow, JournalError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        let sale = sale_by_order(&tx, order_id)?.ok_or_else(|| JournalError::NoSuchSale(order_id.into()))?;
        if sale.tender().is_some() {
            return Err(JournalError::SaleAlreadyPaid { order_id: order_id.into() });
        }
        let shift = match sale.counter_id.as_deref() {
            Some(counter) => super::shifts::open_shift_of(&tx, counter)?.map(|s| s.id),
            None => None,
        };
        // In a shop with staff the cash goes into a shift's drawer, or its
        // count at the close would never see it.
        if cashier.is_some() && shift.is_none() {
            return Err(JournalError::NoShiftOpen { counter_id: sale.counter_id.clone().unwrap_or_default() });
        }
        let change =
            change_due(sale.total_poisha, tendered_poisha).map_err(|e| JournalError::Invalid { field: "cash", problem: e.to_string() })?;
        tx.execute(
            "INSERT INTO cash_tenders (sale, amount_poisha, tendered_poisha, change_poisha, at, cashier, shift)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![sale.id, sale.total_poisha as i64, tendered_poisha as i64, change as i64, stamp(now), cashier.map(|c| &c.name), shift],
        )
        .map_err(|e| refusal(&path, order_id, e))?;
        let sale = sale_by_order(&tx, order_id)?.expect("written above");
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(sale)
    }

    /// The cashier moved on from sale `order_id` (New sale): it no longer
    /// reopens after a restart. Paid or not, it stays in the journal.
    pub fn finish_sale(&mut self, order_id: &str, now: DateTime<Utc>) -> Result<(), JournalError> {
        let path = self.path.clone();
        self.conn
            .execute("UPDATE sales SET finished_at = COALESCE(finished_at, ?2) WHERE order_id = ?1", params![order_id, stamp(now)])
            .map_err(|e| classify(&path, e))?;
        Ok(())
    }

    /// Adds or replaces catalogue products in one transaction (an import is
    /// all or nothing once its rows are checked).
    pub fn save_catalogue(&mut self, items: &[CatalogueItem], now: DateTime<Utc>) -> Result<usize, JournalError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        {
            // A barcode moving from one product to another must not trip the
            // unique index half-way: clear the incoming barcodes first.
            let mut clear = tx.prepare_cached("UPDATE catalogue SET barcode = NULL WHERE barcode = ?1 AND code <> ?2")?;
            let mut upsert = tx.prepare_cached(
                "INSERT INTO catalogue (code, barcode, name_en, name_bn, price_poisha, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (code) DO UPDATE SET barcode = excluded.barcode, name_en = excluded.name_en,
                     name_bn = excluded.name_bn, price_poisha = excluded.price_poisha, updated_at = excluded.updated_at",
            )?;
            for item in items {
                if let Some(barcode) = &item.barcode {
                    clear.execute(params![barcode, item.code])?;
                }
                upsert
                    .execute(params![item.code, item.barcode, item.name_en, item.name_bn, item.price_poisha as i64, stamp(now)])
                    .map_err(|e| match e.sqlite_error_code() {
                        Some(rusqlite::ErrorCode::ConstraintViolation) => {
                            JournalError::Invalid { field: "product", problem: format!("{}: {e}", item.code) }
                        }
                        _ => classify(&path, e),
                    })?;
            }
        }
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(items.len())
    }

    /// Sets a counter's drawer for a day: the float it opened with, and once
    /// counted, the cash in it and a note about any difference.
    pub fn count_drawer(&mut self, count: &DrawerCount, now: DateTime<Utc>) -> Result<(), JournalError> {
        let path = self.path.clone();
        self.conn
            .execute(
                "INSERT INTO drawer_counts (day, counter_id, opening_float_poisha, counted_poisha, note, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (day, counter_id) DO UPDATE SET opening_float_poisha = excluded.opening_float_poisha,
                     counted_poisha = excluded.counted_poisha, note = excluded.note, updated_at = excluded.updated_at",
                params![
                    count.day,
                    count.counter_id,
                    count.opening_float_poisha as i64,
                    count.counted_poisha.map(|v| v as i64),
                    count.note,
                    stamp(now)
                ],
            )
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) => JournalError::Invalid { field: "drawer count", problem: e.to_string() },
                _ => classify(&path, e),
            })?;
        Ok(())
    }
}
