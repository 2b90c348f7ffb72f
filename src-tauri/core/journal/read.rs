//! `JournalRead`: every query, written once and served by both handles, the
//! writer (`Journal`) and the read-only `JournalReader`. Writes stay on
//! `Journal`, inside their guarded transactions.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::day_reports::{last_report, report_of};
use super::payments::{self, cause, row_to_payment, stamp, time, unsigned, COLUMNS};
use super::refunds::{self, RefundRow};
use super::sales::{row_to_drawer, row_to_item, sale_by_order, sales_where, CatalogueItem, DrawerCount, ItemSold, SaleRow};
use super::shifts::{self, ShiftFigures, ShiftRow};
use super::staff::{self, ApprovalRow, StaffRow};
use super::{EventRow, GroupBy, Journal, JournalError, JournalReader, PaymentFilter, PaymentPage, PaymentRow, StateTotal, StoredReport};
use crate::money::{sql_list, PaymentState, RefundState};
use crate::money::{EventKind, EventState};

mod sealed {
    /// Only this module's handles carry a connection; nothing outside the
    /// journal gets one through this trait.
    pub trait Connected {
        fn connection_for_reading(&self) -> &rusqlite::Connection;
    }
}

impl sealed::Connected for Journal {
    fn connection_for_reading(&self) -> &Connection {
        &self.conn
    }
}

impl sealed::Connected for JournalReader {
    fn connection_for_reading(&self) -> &Connection {
        &self.conn
    }
}

impl JournalRead for Journal {}
impl JournalRead for JournalReader {}

pub trait JournalRead: sealed::Connected {
    fn get(&self, id: i64) -> Result<PaymentRow, JournalError> {
        payments::get(self.connection_for_reading(), id)
    }

    fn by_payment_id(&self, payment_id: &str) -> Result<Option<PaymentRow>, JournalError> {
        let conn = self.connection_for_reading();
        Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM payments WHERE payment_id = ?1"), [payment_id], row_to_payment).optional()?)
    }

    /// The completed payment whose trxID or invoice is exactly `reference`
    /// (any case), newest first: the payment a customer's receipt names.
    fn completed_by_reference(&self, reference: &str) -> Result<Option<PaymentRow>, JournalError> {
        let conn = self.connection_for_reading();
        Ok(conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM payments WHERE state = 'completed'
                       AND (trx_id = ?1 COLLATE NOCASE OR invoice = ?1 COLLATE NOCASE) ORDER BY id DESC LIMIT 1"
                ),
                [reference],
                row_to_payment,
            )
            .optional()?)
    }

    /// Payments whose outcome is not final: what startup recovery looks at.
    fn in_flight(&self) -> Result<Vec<PaymentRow>, JournalError> {
        let conn = self.connection_for_reading();
        let mut stmt =
            conn.prepare(&format!("SELECT {COLUMNS} FROM payments WHERE state IN ({}) ORDER BY id", sql_list(PaymentState::in_flight())))?;
        let rows = stmt.query_map([], row_to_payment)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// This counter's payments of `amount_poisha` whose outcome bKash is
    /// still being asked about: a sale rung up again while one of these is
    /// checking may be the same sale, about to be paid twice.
    fn being_checked(&self, counter_id: &str, amount_poisha: u64) -> Result<Vec<PaymentRow>, JournalError> {
        let conn = self.connection_for_reading();
        let checking = sql_list([PaymentState::Executing, PaymentState::Unknown]);
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM payments WHERE state IN ({checking}) AND counter_id = ?1 AND amount_poisha = ?2 ORDER BY id"
        ))?;
        let rows = stmt.query_map(rusqlite::params![counter_id, amount_poisha as i64], row_to_payment)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    fn events(&self, payment: i64) -> Result<Vec<EventRow>, JournalError> {
        let conn = self.connection_for_reading();
        let mut stmt = conn.prepare(
            "SELECT id, payment, at, kind, from_state, to_state, bkash_code, bkash_message, detail, cause
             FROM payment_events WHERE payment = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([payment], |r| {
                let kind: EventKind = r.get(3)?;
                let state = |at: usize| -> rusqlite::Result<Option<EventState>> {
                    r.get::<_, Option<String>>(at)?
                        .map(|text| EventState::parse(kind, &text))
                        .transpose()
                        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(at, rusqlite::types::Type::Text, e.into()))
                };
                Ok(EventRow {
                    id: r.get(0)?,
                    payment: r.get(1)?,
                    at: time(r.get(2)?)?,
                    kind,
                    from_state: state(4)?,
                    to_state: state(5)?,
                    bkash_code: r.get(6)?,
                    bkash_message: r.get(7)?,
                    detail: r.get(8)?,
                    cause: cause(r, 9)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Count and sum of payments per state, created in `[from, to)`.
    fn totals_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<StateTotal>, JournalError> {
        let conn = self.connection_for_reading();
        // created_at is fixed-width RFC 3339 UTC, so text order is time order and
        // the range walks the created_at index.
        let mut stmt = conn.prepare_cached(
            "SELECT state, count(*), coalesce(sum(amount_poisha), 0) FROM payments WHERE created_at >= ?1 AND created_at < ?2 GROUP BY state",
        )?;
        let rows = stmt
            .query_map(params![stamp(from), stamp(to)], |r| {
                Ok(StateTotal { state: r.get(0)?, count: unsigned(r, 1)?, amount_poisha: unsigned(r, 2)? })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Payments created in `[from, to)`, oldest first.
    fn payments_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<PaymentRow>, JournalError> {
        let conn = self.connection_for_reading();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM payments WHERE created_at >= ?1 AND created_at < ?2 ORDER BY created_at, id"
        ))?;
        let rows = stmt.query_map(params![stamp(from), stamp(to)], row_to_payment)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// One page of `[from, to)`'s payments matching `filter`, newest first.
    fn search_payments(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        filter: &PaymentFilter,
        limit: u32,
        offset: u64,
    ) -> Result<PaymentPage, JournalError> {
        let conn = self.connection_for_reading();
        // The created_at range walks its index; the other filters apply inside one day.
        let state = filter.state;
        let text = filter.search.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let like = text.map(|t| format!("%{}%", t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
        let digits = text.filter(|t| t.bytes().all(|b| b.is_ascii_digit())).map(|t| format!("%{t}"));
        let filters = "created_at >= ?1 AND created_at < ?2 AND (?3 IS NULL OR state = ?3)
             AND (?4 IS NULL OR invoice LIKE ?4 ESCAPE '\\' OR payment_id LIKE ?4 ESCAPE '\\' OR trx_id LIKE ?4 ESCAPE '\\'
                  OR (?5 IS NOT NULL AND customer_msisdn LIKE ?5))";
        let args = params![stamp(from), stamp(to), state, like, digits];
        let total: i64 = conn.prepare_cached(&format!("SELECT count(*) FROM payments WHERE {filters}"))?.query_row(args, |r| r.get(0))?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM payments WHERE {filters} ORDER BY created_at DESC, id DESC LIMIT ?6 OFFSET ?7"
        ))?;
        let rows = stmt
            .query_map(params![stamp(from), stamp(to), state, like, digits, limit, offset as i64], row_to_payment)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PaymentPage { rows, total: total as u64 })
    }

    /// Completed refunds of payments created in `[from, to)`: count and poisha.
    fn refunded_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<(u64, u64), JournalError> {
        let conn = self.connection_for_reading();
        let (count, sum): (i64, i64) = conn
            .prepare_cached(
                "SELECT count(*), coalesce(sum(r.amount_poisha), 0) FROM refunds r JOIN payments p ON p.id = r.payment
             WHERE r.state = ?3 AND p.created_at >= ?1 AND p.created_at < ?2",
            )?
            .query_row(params![stamp(from), stamp(to), crate::money::RefundState::Completed], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok((count as u64, sum as u64))
    }

    /// Completed poisha in each of the 24 hours of `[from, to)`, counted from `from`.
    fn completed_by_hour(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<u64>, JournalError> {
        let mut stmt = self.connection_for_reading().prepare_cached(
            "SELECT (julianday(created_at) - julianday(?1)) * 24 AS h, amount_poisha FROM payments
             WHERE created_at >= ?1 AND created_at < ?2 AND state = ?3",
        )?;
        let rows =
            stmt.query_map(params![stamp(from), stamp(to), PaymentState::Completed], |r| Ok((r.get::<_, f64>(0)?, r.get::<_, i64>(1)?)))?;
        let mut sums = vec![0u64; 24];
        for row in rows {
            let (hour, amount) = row?;
            sums[(hour.max(0.0) as usize).min(23)] += amount as u64;
        }
        Ok(sums)
    }

    fn refunds_of(&self, payment: i64) -> Result<Vec<RefundRow>, JournalError> {
        refunds::refunds_of(self.connection_for_reading(), payment)
    }

    /// Poisha of `payment` not yet refunded or on its way back.
    fn refundable(&self, payment: i64) -> Result<u64, JournalError> {
        refunds::refundable(self.connection_for_reading(), payment)
    }

    /// Refunds whose outcome is not known: `requested` left by a stopped
    /// app, or `unknown`. Refund Status settles them.
    fn refunds_unsettled(&self) -> Result<Vec<RefundRow>, JournalError> {
        let mut stmt = self.connection_for_reading().prepare_cached(&format!(
            "SELECT {} FROM refunds WHERE state IN ({}) ORDER BY id",
            refunds::COLUMNS,
            sql_list(RefundState::unsettled())
        ))?;
        let rows = stmt.query_map([], refunds::row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    fn day_report_of(&self, day: NaiveDate) -> Result<Option<StoredReport>, JournalError> {
        report_of(self.connection_for_reading(), day)
    }

    fn last_day_report(&self) -> Result<Option<StoredReport>, JournalError> {
        last_report(self.connection_for_reading())
    }

    /// Completed payments of `[from, to)` per counter or cashier: name
    /// (empty when unknown), count, poisha.
    fn completed_by(&self, group: GroupBy, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<(String, u64, u64)>, JournalError> {
        let column = match group {
            GroupBy::Counter => "counter_id",
            GroupBy::Cashier => "cashier",
        };
        let mut stmt = self.connection_for_reading().prepare_cached(&format!(
            "SELECT coalesce({column}, ''), count(*), sum(amount_poisha) FROM payments
             WHERE created_at >= ?1 AND created_at < ?2 AND state = ?3 GROUP BY 1 ORDER BY 1"
        ))?;
        let rows = stmt
            .query_map(params![stamp(from), stamp(to), PaymentState::Completed], |r| Ok((r.get(0)?, unsigned(r, 1)?, unsigned(r, 2)?)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Payments created before `before` whose outcome is still not known.
    fn unsettled_before(&self, before: DateTime<Utc>) -> Result<Vec<PaymentRow>, JournalError> {
        // The first term is the partial index's own (its WHERE, from the same
        // enum), so SQLite may use it; the `+` keeps it from walking the
        // created_at index through the whole year.
        let checking = [PaymentState::Executing, PaymentState::Unknown];
        let mut stmt = self.connection_for_reading().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM payments WHERE state IN ({}) AND state IN ({}) AND +created_at < ?1 ORDER BY created_at",
            sql_list(PaymentState::in_flight()),
            sql_list(checking)
        ))?;
        let rows = stmt.query_map([stamp(before)], row_to_payment)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Payments created before `created_before` (a closed day) that changed
    /// after `changed_after` (its closing): corrections for the next report.
    fn changed_after(&self, changed_after: DateTime<Utc>, created_before: DateTime<Utc>) -> Result<Vec<PaymentRow>, JournalError> {
        let mut stmt = self
            .connection_for_reading()
            .prepare_cached(&format!("SELECT {COLUMNS} FROM payments WHERE updated_at > ?1 AND created_at < ?2 ORDER BY updated_at"))?;
        let rows = stmt.query_map(params![stamp(changed_after), stamp(created_before)], row_to_payment)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The newest payment of order `order_id` (a sale may have had a
    /// failed payment before the one that paid it).
    fn latest_payment_of(&self, order_id: &str) -> Result<Option<PaymentRow>, JournalError> {
        let conn = self.connection_for_reading();
        Ok(conn
            .query_row(&format!("SELECT {COLUMNS} FROM payments WHERE order_id = ?1 ORDER BY id DESC LIMIT 1"), [order_id], row_to_payment)
            .optional()?)
    }

    /// Sale `order_id`, with its lines and tender.
    fn sale(&self, order_id: &str) -> Result<Option<SaleRow>, JournalError> {
        sale_by_order(self.connection_for_reading(), order_id)
    }

    /// The sale this counter was on when the app stopped: the newest one the
    /// cashier did not move on from (paid or not).
    fn unfinished_sale(&self, counter_id: &str) -> Result<Option<SaleRow>, JournalError> {
        let conn = self.connection_for_reading();
        // A sale paid in cash was settled in the transaction that took the
        // cash: nothing of it is left to recover, so it never reopens.
        Ok(sales_where(
            conn,
            "s.counter_id = ?1 AND s.finished_at IS NULL AND s.id = (SELECT max(id) FROM sales WHERE counter_id = ?1 AND finished_at IS NULL)
             AND NOT EXISTS (SELECT 1 FROM cash_tenders c WHERE c.sale = s.id)",
            [counter_id],
        )?
        .pop())
    }

    /// Sales opened in `[from, to)`, oldest first, with their lines.
    fn sales_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<SaleRow>, JournalError> {
        sales_where(self.connection_for_reading(), "s.opened_at >= ?1 AND s.opened_at < ?2", params![stamp(from), stamp(to)])
    }

    /// Sales of `[from, to)` paid in cash, per counter or cashier: name
    /// (empty when unknown), count, poisha.
    fn cash_by(&self, group: GroupBy, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<(String, u64, u64)>, JournalError> {
        let column = match group {
            GroupBy::Counter => "s.counter_id",
            GroupBy::Cashier => "s.cashier",
        };
        let mut stmt = self.connection_for_reading().prepare_cached(&format!(
            "SELECT coalesce({column}, ''), count(*), sum(c.amount_poisha) FROM cash_tenders c JOIN sales s ON s.id = c.sale
             WHERE s.opened_at >= ?1 AND s.opened_at < ?2 GROUP BY 1 ORDER BY 1"
        ))?;
        let rows = stmt.query_map(params![stamp(from), stamp(to)], |r| Ok((r.get(0)?, unsigned(r, 1)?, unsigned(r, 2)?)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// What paid sales of `[from, to)` sold, by product (or free-text name),
    /// most sold first.
    fn items_sold_between(&self, from: DateTime<Utc>, to: DateTime<Utc>, limit: u32) -> Result<Vec<ItemSold>, JournalError> {
        let mut stmt = self.connection_for_reading().prepare_cached(
            "SELECT l.product_code, min(l.name), sum(l.quantity), sum(l.line_poisha) FROM sale_lines l JOIN sales s ON s.id = l.sale
             WHERE s.opened_at >= ?1 AND s.opened_at < ?2
               AND (EXISTS (SELECT 1 FROM cash_tenders c WHERE c.sale = s.id)
                    OR EXISTS (SELECT 1 FROM payments p WHERE p.order_id = s.order_id AND p.state = ?4))
             GROUP BY coalesce(l.product_code, '#' || l.name) ORDER BY 3 DESC, 4 DESC, 2 LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![stamp(from), stamp(to), limit, PaymentState::Completed], |r| {
            Ok(ItemSold { code: r.get(0)?, name: r.get(1)?, quantity: unsigned(r, 2)?, amount_poisha: unsigned(r, 3)? })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The whole catalogue, by code.
    fn catalogue(&self) -> Result<Vec<CatalogueItem>, JournalError> {
        let mut stmt = self
            .connection_for_reading()
            .prepare_cached("SELECT code, barcode, name_en, name_bn, price_poisha FROM catalogue ORDER BY code")?;
        let rows = stmt.query_map([], row_to_item)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The product a scanner or the cashier named, by barcode or code.
    fn catalogue_item(&self, code: &str) -> Result<Option<CatalogueItem>, JournalError> {
        Ok(self
            .connection_for_reading()
            .query_row(
                "SELECT code, barcode, name_en, name_bn, price_poisha FROM catalogue WHERE barcode = ?1 OR code = ?1
                 ORDER BY barcode = ?1 DESC LIMIT 1",
                [code],
                row_to_item,
            )
            .optional()?)
    }

    /// The drawer counts of `day` (`YYYY-MM-DD`), by counter.
    fn drawer_counts(&self, day: &str) -> Result<Vec<DrawerCount>, JournalError> {
        let mut stmt = self.connection_for_reading().prepare_cached(
            "SELECT day, counter_id, opening_float_poisha, counted_poisha, note FROM drawer_counts WHERE day = ?1 ORDER BY counter_id",
        )?;
        let rows = stmt.query_map([day], row_to_drawer)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Every staff account, active or not, in the order they were made.
    fn staff(&self) -> Result<Vec<StaffRow>, JournalError> {
        staff::all_staff(self.connection_for_reading())
    }

    fn staff_member(&self, id: i64) -> Result<Option<StaffRow>, JournalError> {
        staff::staff_member(self.connection_for_reading(), id)
    }

    /// Every action taken on another's authority, oldest first.
    fn approvals(&self) -> Result<Vec<ApprovalRow>, JournalError> {
        staff::approvals(self.connection_for_reading())
    }

    fn shift(&self, id: i64) -> Result<Option<ShiftRow>, JournalError> {
        shifts::shift(self.connection_for_reading(), id)
    }

    /// Every shift still open, at any counter.
    fn open_shifts(&self) -> Result<Vec<ShiftRow>, JournalError> {
        shifts::open_shifts(self.connection_for_reading())
    }

    /// The shift open at `counter_id`, if one is.
    fn open_shift_of(&self, counter_id: &str) -> Result<Option<ShiftRow>, JournalError> {
        shifts::open_shift_of(self.connection_for_reading(), counter_id)
    }

    /// Shifts opened in `[from, to)`, and every shift still open before `to`.
    fn shifts_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<ShiftRow>, JournalError> {
        shifts::shifts_between(self.connection_for_reading(), from, to)
    }

    /// A shift's money as the journal holds it now (the X report's).
    fn shift_figures(&self, shift: &ShiftRow) -> Result<ShiftFigures, JournalError> {
        shifts::figures(self.connection_for_reading(), shift)
    }

    /// Cash taken after `taken_after` (a day's close) for sales rung up
    /// before `opened_before` (that day's end): corrections, as
    /// [`changed_after`](Self::changed_after) finds them for bKash.
    fn cash_after(&self, taken_after: DateTime<Utc>, opened_before: DateTime<Utc>) -> Result<Vec<SaleRow>, JournalError> {
        sales_where(self.connection_for_reading(), "c.at > ?1 AND s.opened_at < ?2", params![stamp(taken_after), stamp(opened_before)])
    }
}
