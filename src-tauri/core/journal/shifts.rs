//! Shifts and their drawer (migration 009): the float, the movements, and
//! the close that fixes the expected cash, the count and their difference in
//! one transaction. A closed shift never changes (triggers refuse it).

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use super::open::classify;
use super::payments::{stamp, time, unsigned};
use super::{Journal, JournalError};
use crate::money::{MovementKind, NoteCount, PaymentState, RefundState};

/// A shift as the journal holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftRow {
    pub id: i64,
    pub counter_id: String,
    pub opened_by: String,
    pub opened_at: DateTime<Utc>,
    pub float_poisha: u64,
    pub float_notes: Option<NoteCount>,
    pub close: Option<ShiftClose>,
}

impl ShiftRow {
    /// The cash the drawer should hold: as the close fixed it, never worked
    /// out again; while the shift is open, as `figures` stand. Never below
    /// zero: cash cannot leave a drawer that does not hold it (`move_cash`).
    pub fn expected_poisha(&self, figures: &ShiftFigures) -> u64 {
        self.close.as_ref().map_or_else(|| figures.expected_poisha(self.float_poisha).max(0) as u64, |c| c.expected_poisha)
    }
}

/// What the close fixed, as it stood then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftClose {
    pub at: DateTime<Utc>,
    pub by: String,
    pub expected_poisha: u64,
    pub counted_poisha: u64,
    pub counted_notes: Option<NoteCount>,
    /// Counted minus expected: negative is cash missing.
    pub difference_poisha: i64,
    /// The Z report's number at this counter.
    pub z_number: i64,
    /// The Z report as JSON, exactly as printed.
    pub z_body: String,
}

/// Cash in or out of the drawer that was not a sale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovementRow {
    pub id: i64,
    pub shift: i64,
    pub kind: MovementKind,
    pub amount_poisha: u64,
    pub reason: String,
    pub by: String,
    pub approved_by: Option<String>,
    pub at: DateTime<Utc>,
}

/// One cashier's part of a shift.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CashierFigures {
    /// Empty when nobody was signed in.
    pub name: String,
    pub cash_count: u64,
    pub cash_poisha: u64,
    pub bkash_count: u64,
    pub bkash_poisha: u64,
}

/// A shift's money as the journal holds it now.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShiftFigures {
    pub cash_count: u64,
    pub cash_poisha: u64,
    pub bkash_count: u64,
    pub bkash_poisha: u64,
    /// bKash refunds completed at this counter while the shift was open.
    pub refund_count: u64,
    pub refund_poisha: u64,
    pub movements: Vec<MovementRow>,
    pub by_cashier: Vec<CashierFigures>,
}

impl ShiftFigures {
    /// Poisha moved by movements of `kind`, and how many there were.
    pub fn moved(&self, kind: MovementKind) -> (u64, u64) {
        self.movements.iter().filter(|m| m.kind == kind).fold((0, 0), |(n, sum), m| (n + 1, sum + m.amount_poisha))
    }

    /// What the drawer should hold: the float, the cash taken, pay-ins, less
    /// pay-outs and drops. bKash never enters the drawer. Signed: a drawer
    /// paid out beyond what it held is expected below zero.
    pub fn expected_poisha(&self, float_poisha: u64) -> i64 {
        let moved: i64 = self.movements.iter().map(|m| m.kind.sign() * m.amount_poisha as i64).sum();
        float_poisha as i64 + self.cash_poisha as i64 + moved
    }
}

const SHIFT_COLUMNS: &str = "s.id, s.counter_id, o.name, s.opened_at, s.float_poisha, s.float_notes,
     s.closed_at, c.name, s.expected_poisha, s.counted_poisha, s.counted_notes, s.difference_poisha, s.z_number, s.z_body";
const SHIFT_FROM: &str = "shifts s JOIN staff o ON o.id = s.opened_by LEFT JOIN staff c ON c.id = s.closed_by";

fn notes(text: Option<String>, at: usize) -> rusqlite::Result<Option<NoteCount>> {
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| rusqlite::Error::FromSqlConversionFailure(at, rusqlite::types::Type::Text, Box::new(e)))
    })
    .transpose()
}

fn row_to_shift(r: &Row<'_>) -> rusqlite::Result<ShiftRow> {
    let close = match r.get::<_, Option<String>>(6)? {
        Some(at) => Some(ShiftClose {
            at: time(at)?,
            by: r.get(7)?,
            expected_poisha: unsigned(r, 8)?,
            counted_poisha: unsigned(r, 9)?,
            counted_notes: notes(r.get(10)?, 10)?,
            difference_poisha: r.get(11)?,
            z_number: r.get(12)?,
            z_body: r.get(13)?,
        }),
        None => None,
    };
    Ok(ShiftRow {
        id: r.get(0)?,
        counter_id: r.get(1)?,
        opened_by: r.get(2)?,
        opened_at: time(r.get(3)?)?,
        float_poisha: unsigned(r, 4)?,
        float_notes: notes(r.get(5)?, 5)?,
        close,
    })
}

pub(super) fn shift(conn: &Connection, id: i64) -> Result<Option<ShiftRow>, JournalError> {
    Ok(conn.query_row(&format!("SELECT {SHIFT_COLUMNS} FROM {SHIFT_FROM} WHERE s.id = ?1"), [id], row_to_shift).optional()?)
}

pub(super) fn open_shift_of(conn: &Connection, counter_id: &str) -> Result<Option<ShiftRow>, JournalError> {
    Ok(conn
        .query_row(
            &format!("SELECT {SHIFT_COLUMNS} FROM {SHIFT_FROM} WHERE s.counter_id = ?1 AND s.closed_at IS NULL"),
            [counter_id],
            row_to_shift,
        )
        .optional()?)
}

pub(super) fn open_shifts(conn: &Connection) -> Result<Vec<ShiftRow>, JournalError> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {SHIFT_COLUMNS} FROM {SHIFT_FROM} WHERE s.closed_at IS NULL ORDER BY s.counter_id"))?;
    let rows = stmt.query_map([], row_to_shift)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Shifts opened in `[from, to)`, and every shift still open, oldest first.
pub(super) fn shifts_between(conn: &Connection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<ShiftRow>, JournalError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SHIFT_COLUMNS} FROM {SHIFT_FROM}
         WHERE (s.opened_at >= ?1 AND s.opened_at < ?2) OR (s.closed_at IS NULL AND s.opened_at < ?2) ORDER BY s.opened_at, s.id"
    ))?;
    let rows = stmt.query_map(params![stamp(from), stamp(to)], row_to_shift)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub(super) fn movements_of(conn: &Connection, shift: i64) -> Result<Vec<MovementRow>, JournalError> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, m.shift, m.kind, m.amount_poisha, m.reason, b.name, a.name, m.at FROM drawer_movements m
         JOIN staff b ON b.id = m.by_staff LEFT JOIN staff a ON a.id = m.approved_by WHERE m.shift = ?1 ORDER BY m.id",
    )?;
    let rows = stmt
        .query_map([shift], |r| {
            Ok(MovementRow {
                id: r.get(0)?,
                shift: r.get(1)?,
                kind: r.get(2)?,
                amount_poisha: unsigned(r, 3)?,
                reason: r.get(4)?,
                by: r.get(5)?,
                approved_by: r.get(6)?,
                at: time(r.get(7)?)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The shift's money as it stands: cash by the shift whose drawer took it,
/// bKash by the shift its sale was rung up in.
pub(super) fn figures(conn: &Connection, shift: &ShiftRow) -> Result<ShiftFigures, JournalError> {
    let mut by_cashier: Vec<CashierFigures> = Vec::new();
    fn cashier(by_cashier: &mut Vec<CashierFigures>, name: String) -> &mut CashierFigures {
        match by_cashier.iter().position(|c| c.name == name) {
            Some(at) => &mut by_cashier[at],
            None => {
                by_cashier.push(CashierFigures { name, ..Default::default() });
                by_cashier.last_mut().expect("just pushed")
            }
        }
    }
    let mut totals = ShiftFigures::default();
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(c.cashier, ''), count(*), sum(c.amount_poisha) FROM cash_tenders c WHERE c.shift = ?1 GROUP BY 1 ORDER BY 1",
    )?;
    let cash =
        stmt.query_map([shift.id], |r| Ok((r.get::<_, String>(0)?, unsigned(r, 1)?, unsigned(r, 2)?)))?.collect::<Result<Vec<_>, _>>()?;
    for (name, count, poisha) in cash {
        let line = cashier(&mut by_cashier, name);
        line.cash_count += count;
        line.cash_poisha += poisha;
        totals.cash_count += count;
        totals.cash_poisha += poisha;
    }
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(s.cashier, ''), count(*), sum(p.amount_poisha) FROM sales s JOIN payments p ON p.order_id = s.order_id
         WHERE s.shift = ?1 AND p.state = ?2 GROUP BY 1 ORDER BY 1",
    )?;
    let bkash = stmt
        .query_map(params![shift.id, PaymentState::Completed], |r| Ok((r.get::<_, String>(0)?, unsigned(r, 1)?, unsigned(r, 2)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    for (name, count, poisha) in bkash {
        let line = cashier(&mut by_cashier, name);
        line.bkash_count += count;
        line.bkash_poisha += poisha;
        totals.bkash_count += count;
        totals.bkash_poisha += poisha;
    }
    let until = shift.close.as_ref().map_or_else(|| "9999".to_string(), |c| stamp(c.at));
    let (refund_count, refund_poisha): (i64, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(r.amount_poisha), 0) FROM refunds r JOIN payments p ON p.id = r.payment
         WHERE p.counter_id = ?1 AND r.state = ?2 AND r.created_at >= ?3 AND r.created_at < ?4",
        params![shift.counter_id, RefundState::Completed, stamp(shift.opened_at), until],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    totals.refund_count = refund_count as u64;
    totals.refund_poisha = refund_poisha as u64;
    totals.movements = movements_of(conn, shift.id)?;
    by_cashier.sort_by(|a, b| a.name.cmp(&b.name));
    totals.by_cashier = by_cashier;
    Ok(totals)
}

fn refusal(path: &std::path::Path, counter_id: &str, e: rusqlite::Error) -> JournalError {
    let text = e.to_string();
    if text.contains("UNIQUE constraint failed: shifts.counter_id") {
        JournalError::ShiftAlreadyOpen { counter_id: counter_id.into() }
    } else if text.contains("the shift is closed") || text.contains("a closed shift never changes") {
        JournalError::ShiftClosed
    } else {
        classify(path, e)
    }
}

/// What a shift's close is given, counted blind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlindCount {
    pub counted_poisha: u64,
    pub notes: Option<NoteCount>,
}

impl Journal {
    /// Opens a shift at `counter_id` with its counted float. Refused while
    /// the counter has one open (the schema's one-open-shift index).
    pub fn open_shift(
        &mut self,
        counter_id: &str,
        by: i64,
        float_poisha: u64,
        notes: Option<&NoteCount>,
        now: DateTime<Utc>,
    ) -> Result<ShiftRow, JournalError> {
        let path = self.path.clone();
        let notes = notes.map(|n| serde_json::to_string(n).expect("a count serialises"));
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        tx.execute(
            "INSERT INTO shifts (counter_id, opened_by, opened_at, float_poisha, float_notes) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![counter_id, by, stamp(now), float_poisha as i64, notes],
        )
        .map_err(|e| refusal(&path, counter_id, e))?;
        let row = shift(&tx, tx.last_insert_rowid())?.expect("just written");
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(row)
    }

    /// Journals cash in or out of the open shift `shift` (or a no-sale open).
    #[allow(clippy::too_many_arguments)]
    pub fn move_cash(
        &mut self,
        shift: i64,
        kind: MovementKind,
        amount_poisha: u64,
        reason: &str,
        by: i64,
        approved_by: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<MovementRow, JournalError> {
        let path = self.path.clone();
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(JournalError::Invalid { field: "reason", problem: "say why, in 1 to 200 characters".into() });
        }
        if (kind == MovementKind::NoSale) != (amount_poisha == 0) {
            return Err(JournalError::Invalid {
                field: "amount",
                problem: match kind {
                    MovementKind::NoSale => "a no-sale open moves no money".into(),
                    _ => "the amount must be more than zero".into(),
                },
            });
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        let open =
            self::shift(&tx, shift)?.ok_or(JournalError::Invalid { field: "shift", problem: format!("there is no shift {shift}") })?;
        if kind.sign() < 0 {
            // Cash that is not in the drawer cannot leave it.
            let held = figures(&tx, &open)?.expected_poisha(open.float_poisha);
            if amount_poisha as i64 > held {
                return Err(JournalError::Invalid {
                    field: "amount",
                    problem: format!("the drawer should hold only {}", crate::money::Amount::from_poisha(held.max(0) as u64).taka()),
                });
            }
        }
        tx.execute(
            "INSERT INTO drawer_movements (shift, kind, amount_poisha, reason, by_staff, approved_by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![shift, kind, amount_poisha as i64, reason, by, approved_by, stamp(now)],
        )
        .map_err(|e| refusal(&path, "", e))?;
        let id = tx.last_insert_rowid();
        crate::failpoint::hit("movement_written");
        let row = movements_of(&tx, shift)?.into_iter().find(|m| m.id == id).expect("just written");
        tx.commit().map_err(|e| classify(&path, e))?;
        crate::failpoint::hit("movement_committed");
        Ok(row)
    }

    /// Closes shift `id` with a blind count. In one transaction: the figures
    /// as they stand, the expected cash from them, the count, the difference,
    /// the next Z number at the counter, and `body` (the Z report, given the
    /// closed row and the figures) all go into the row, which never changes
    /// again. A cash sale that commits a moment later belongs to no drawer
    /// of this shift: the closed shift's trigger refuses it.
    pub fn close_shift(
        &mut self,
        id: i64,
        by: i64,
        count: &BlindCount,
        now: DateTime<Utc>,
        body: impl FnOnce(&ShiftRow, &ShiftFigures) -> String,
    ) -> Result<(ShiftRow, ShiftFigures), JournalError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        let open = shift(&tx, id)?.ok_or(JournalError::Invalid { field: "shift", problem: format!("there is no shift {id}") })?;
        if open.close.is_some() {
            return Err(JournalError::ShiftClosed);
        }
        let figures = figures(&tx, &open)?;
        let expected = open.expected_poisha(&figures);
        let z_number: i64 =
            tx.query_row("SELECT coalesce(max(z_number), 0) + 1 FROM shifts WHERE counter_id = ?1", [&open.counter_id], |r| r.get(0))?;
        let closer: String = tx.query_row("SELECT name FROM staff WHERE id = ?1", [by], |r| r.get(0))?;
        let mut closed = open.clone();
        closed.close = Some(ShiftClose {
            at: now,
            by: closer,
            expected_poisha: expected,
            counted_poisha: count.counted_poisha,
            counted_notes: count.notes.clone(),
            difference_poisha: count.counted_poisha as i64 - expected as i64,
            z_number,
            z_body: String::new(),
        });
        let z_body = body(&closed, &figures);
        let c = closed.close.as_mut().expect("set above");
        c.z_body = z_body;
        tx.execute(
            "UPDATE shifts SET closed_at = ?2, closed_by = ?3, expected_poisha = ?4, counted_poisha = ?5, counted_notes = ?6,
                    difference_poisha = ?7, z_number = ?8, z_body = ?9 WHERE id = ?1",
            params![
                id,
                stamp(now),
                by,
                c.expected_poisha as i64,
                c.counted_poisha as i64,
                c.counted_notes.as_ref().map(|n| serde_json::to_string(n).expect("a count serialises")),
                c.difference_poisha,
                c.z_number,
                c.z_body
            ],
        )
        .map_err(|e| refusal(&path, &open.counter_id, e))?;
        crate::failpoint::hit("shift_close_written");
        tx.commit().map_err(|e| classify(&path, e))?;
        crate::failpoint::hit("shift_close_committed");
        Ok((closed, figures))
    }
}
