//! Refunds in the journal: each one written as `requested` *before* the
//! Refund call is sent, settled by bKash's answer (or by Refund Status), and
//! mirrored in the payment's event log.
//!
//! The states and their table are `money::RefundState`. The amount still
//! refundable counts every refund that holds money (all but `failed`), so a
//! second refund can never exceed the payment.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::open::classify;
use super::payments::{stamp, time, unsigned};
use super::{Journal, JournalError, TransitionFacts};
use crate::money::{PaymentState, RefundState};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRow {
    pub id: i64,
    pub payment: i64,
    pub amount_poisha: u64,
    pub sku: String,
    pub reason: String,
    pub state: RefundState,
    pub refund_trx_id: Option<String>,
    pub bkash_code: Option<String>,
    pub bkash_message: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// What bKash said about a refund.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefundFacts {
    pub refund_trx_id: Option<String>,
    pub bkash_code: Option<String>,
    pub bkash_message: Option<String>,
    pub detail: Option<String>,
}

/// A failed Refund call leaves the same facts as a failed payment call.
impl From<TransitionFacts> for RefundFacts {
    fn from(facts: TransitionFacts) -> Self {
        Self { refund_trx_id: None, bkash_code: facts.bkash_code, bkash_message: facts.bkash_message, detail: facts.detail }
    }
}

pub(super) const COLUMNS: &str = "id, payment, amount_poisha, sku, reason, state, refund_trx_id, bkash_code, bkash_message, created_at";

pub(super) fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RefundRow> {
    Ok(RefundRow {
        id: r.get(0)?,
        payment: r.get(1)?,
        amount_poisha: unsigned(r, 2)?,
        sku: r.get(3)?,
        reason: r.get(4)?,
        state: r.get(5)?,
        refund_trx_id: r.get(6)?,
        bkash_code: r.get(7)?,
        bkash_message: r.get(8)?,
        created_at: time(r.get(9)?)?,
    })
}

/// The guard of every refund transition, for either refund table (this
/// counter's refunds, and refunds of other counters' payments): the row
/// `select` finds may move to `to`, as `RefundState`'s table allows.
pub(super) fn may_become<T>(
    tx: &rusqlite::Transaction<'_>,
    select: &str,
    id: i64,
    row: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    state: fn(&T) -> RefundState,
    to: RefundState,
) -> Result<T, JournalError> {
    let before = tx.query_row(select, [id], row).optional()?.ok_or(JournalError::NotFound(id))?;
    let from = state(&before);
    if !from.can_become(to) {
        return Err(JournalError::IllegalTransition { id, from: from.to_string(), to: to.to_string() });
    }
    Ok(before)
}

pub(super) fn refunds_of(conn: &Connection, payment: i64) -> Result<Vec<RefundRow>, JournalError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM refunds WHERE payment = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([payment], row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Poisha of `payment` not yet refunded or on its way back.
pub(super) fn refundable(conn: &Connection, payment: i64) -> Result<u64, JournalError> {
    let (state, amount): (PaymentState, u64) = conn
        .query_row("SELECT state, amount_poisha FROM payments WHERE id = ?1", [payment], |r| Ok((r.get(0)?, unsigned(r, 1)?)))
        .optional()?
        .ok_or(JournalError::NotFound(payment))?;
    let refunds = refunds_of(conn, payment)?;
    Ok(crate::money::refundable(state, amount, refunds.iter().map(|r| (r.state, r.amount_poisha))))
}

impl Journal {
    /// Writes a refund as `requested`, refusing one beyond what is left.
    pub fn start_refund(
        &mut self,
        payment: i64,
        amount_poisha: u64,
        sku: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<RefundRow, JournalError> {
        for (field, value) in [("sku", sku), ("reason", reason)] {
            if value.trim().is_empty() || value.chars().count() > 255 {
                return Err(JournalError::Invalid { field, problem: "must be 1 to 255 characters".into() });
            }
        }
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        let left = refundable(&tx, payment)?;
        if amount_poisha == 0 || amount_poisha > left {
            return Err(JournalError::RefundTooLarge { payment, asked: amount_poisha, left });
        }
        tx.execute(
            "INSERT INTO refunds (payment, amount_poisha, sku, reason, state, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?6, ?5, ?5)",
            params![payment, amount_poisha as i64, sku, reason, stamp(now), RefundState::Requested],
        )?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO payment_events (payment, at, kind, detail) VALUES (?1, ?2, 'refund_requested', ?3)",
            params![payment, stamp(now), format!("refund {id}: {amount_poisha} poisha, reason: {reason}")],
        )?;
        let refund = tx.query_row(&format!("SELECT {COLUMNS} FROM refunds WHERE id = ?1"), [id], row)?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(refund)
    }

    /// Records what an answer without a verdict said about an unsettled
    /// refund (the refund stays as it is), so the manager's history shows
    /// why it is still being checked.
    pub fn note_refund(&mut self, id: i64, detail: &str, now: DateTime<Utc>) -> Result<(), JournalError> {
        let path = self.path.clone();
        let changed = self
            .conn
            .execute(
                "INSERT INTO payment_events (payment, at, kind, detail) SELECT payment, ?2, 'refund_checked', ?3 FROM refunds WHERE id = ?1",
                params![id, stamp(now), detail],
            )
            .map_err(|e| classify(&path, e))?;
        if changed == 0 {
            return Err(JournalError::NotFound(id));
        }
        Ok(())
    }

    /// Settles a refund on bKash's word, as `RefundState`'s table allows;
    /// a refund trxID is never overwritten.
    pub fn settle_refund(&mut self, id: i64, to: RefundState, facts: &RefundFacts, now: DateTime<Utc>) -> Result<RefundRow, JournalError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        let before = may_become(&tx, &format!("SELECT {COLUMNS} FROM refunds WHERE id = ?1"), id, row, |r| r.state, to)?;
        tx.execute(
            "UPDATE refunds SET state = ?2, refund_trx_id = coalesce(refund_trx_id, ?3), bkash_code = ?4, bkash_message = ?5, updated_at = ?6 WHERE id = ?1",
            params![id, to, facts.refund_trx_id, facts.bkash_code, facts.bkash_message, stamp(now)],
        )
        .map_err(|e| match e.to_string().contains("UNIQUE constraint failed: refunds.refund_trx_id") {
            // bKash's refund trxIDs are unique: one already on another refund settles nothing here.
            true => JournalError::FactConflict(format!(
                "refund trxID {} is already recorded for another refund",
                facts.refund_trx_id.as_deref().unwrap_or_default()
            )),
            false => classify(&path, e),
        })?;
        tx.execute(
            "INSERT INTO payment_events (payment, at, kind, from_state, to_state, bkash_code, bkash_message, detail) VALUES (?1, ?2, 'refund', ?3, ?4, ?5, ?6, ?7)",
            params![before.payment, stamp(now), before.state, to, facts.bkash_code, facts.bkash_message, facts.detail.clone().unwrap_or_else(|| format!("refund {id}"))],
        )?;
        let after = tx.query_row(&format!("SELECT {COLUMNS} FROM refunds WHERE id = ?1"), [id], row)?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(after)
    }
}
