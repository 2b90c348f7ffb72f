//! Refunds of another counter's payment (migration 007's `store_refunds`):
//! written as `requested` before the Refund call, settled by bKash's answer,
//! exactly like this counter's own refunds. What is left to refund is the
//! store's to say (its claims in PostgreSQL), not this journal's.

use chrono::{DateTime, Utc};
use rusqlite::{params, TransactionBehavior};

use super::open::classify;
use super::payments::stamp;
use super::{Journal, JournalError, RefundFacts, RefundRow};
use crate::money::{Product, RefundState};

/// A completed payment another counter of the store took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentElsewhere {
    pub counter: String,
    /// Its id in that counter's journal.
    pub id: i64,
    pub payment_id: String,
    pub trx_id: String,
    pub product: Product,
    pub amount_poisha: u64,
}

/// A refund of another counter's payment: the same refund as this counter's
/// own (`refund.payment` is the payment's id in its counter's journal), and
/// what this journal keeps of the payment it refunds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreRefundRow {
    pub refund: RefundRow,
    pub origin_counter: String,
    pub payment_id: String,
    pub trx_id: String,
    pub product: Product,
    /// Why the last check settled nothing.
    pub detail: Option<String>,
}

/// `refunds::COLUMNS`' order first (`origin_payment` as the payment), so
/// one row reader serves both tables.
const COLUMNS: &str = "id, origin_payment, amount_poisha, sku, reason, state, refund_trx_id, bkash_code, bkash_message, created_at, \
                       origin_counter, payment_id, trx_id, product, detail";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoreRefundRow> {
    Ok(StoreRefundRow {
        refund: super::refunds::row(r)?,
        origin_counter: r.get(10)?,
        payment_id: r.get(11)?,
        trx_id: r.get(12)?,
        product: r.get(13)?,
        detail: r.get(14)?,
    })
}

impl Journal {
    /// Writes a refund of another counter's payment as `requested`.
    pub fn start_store_refund(
        &mut self,
        of: &PaymentElsewhere,
        amount_poisha: u64,
        sku: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<StoreRefundRow, JournalError> {
        if let Some(damaged) = self.health.refusal() {
            return Err(damaged);
        }
        for (field, value) in [("sku", sku), ("reason", reason)] {
            if value.trim().is_empty() || value.chars().count() > 255 {
                return Err(JournalError::Invalid { field, problem: "must be 1 to 255 characters".into() });
            }
        }
        if amount_poisha == 0 || amount_poisha > of.amount_poisha {
            return Err(JournalError::RefundTooLarge { payment: of.id, asked: amount_poisha, left: of.amount_poisha });
        }
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        tx.execute(
            "INSERT INTO store_refunds (origin_counter, origin_payment, payment_id, trx_id, product, amount_poisha, sku, reason,
                                        state, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            params![
                of.counter,
                of.id,
                of.payment_id,
                of.trx_id,
                of.product,
                amount_poisha as i64,
                sku,
                reason,
                RefundState::Requested,
                stamp(now)
            ],
        )
        .map_err(|e| classify(&path, e))?;
        let id = tx.last_insert_rowid();
        let after = tx.query_row(&format!("SELECT {COLUMNS} FROM store_refunds WHERE id = ?1"), [id], row)?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(after)
    }

    pub fn settle_store_refund(
        &mut self,
        id: i64,
        to: RefundState,
        facts: &RefundFacts,
        now: DateTime<Utc>,
    ) -> Result<StoreRefundRow, JournalError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        super::refunds::may_become(&tx, &format!("SELECT {COLUMNS} FROM store_refunds WHERE id = ?1"), id, row, |r| r.refund.state, to)?;
        tx.execute(
            "UPDATE store_refunds SET state = ?2, refund_trx_id = coalesce(refund_trx_id, ?3), bkash_code = ?4, bkash_message = ?5,
                    detail = ?6, updated_at = ?7 WHERE id = ?1",
            params![id, to, facts.refund_trx_id, facts.bkash_code, facts.bkash_message, facts.detail, stamp(now)],
        )
        .map_err(|e| classify(&path, e))?;
        let after = tx.query_row(&format!("SELECT {COLUMNS} FROM store_refunds WHERE id = ?1"), [id], row)?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(after)
    }

    /// Records why a check settled nothing, keeping the refund's state.
    pub fn note_store_refund(&mut self, id: i64, detail: &str, now: DateTime<Utc>) -> Result<StoreRefundRow, JournalError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        let changed = tx
            .execute("UPDATE store_refunds SET detail = ?2, updated_at = ?3 WHERE id = ?1", params![id, detail, stamp(now)])
            .map_err(|e| classify(&path, e))?;
        if changed == 0 {
            return Err(JournalError::NotFound(id));
        }
        let after = tx.query_row(&format!("SELECT {COLUMNS} FROM store_refunds WHERE id = ?1"), [id], row)?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(after)
    }

    /// Refunds of other counters' payments whose outcome is not known yet.
    pub fn store_refunds_unsettled(&self) -> Result<Vec<StoreRefundRow>, JournalError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM store_refunds WHERE state IN ('requested', 'unknown') ORDER BY id"))?;
        let rows = stmt.query_map([], row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}
