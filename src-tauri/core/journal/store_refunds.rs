//! Refunds of another counter's payment (migration 007's `store_refunds`):
//! written as `requested` before the Refund call, settled by bKash's answer,
//! exactly like this counter's own refunds. What is left to refund is the
//! store's to say (its claims in PostgreSQL), not this journal's.

use chrono::{DateTime, Utc};
use rusqlite::{params, TransactionBehavior};

use super::open::classify;
use super::payments::{stamp, unsigned};
use super::{Journal, JournalError, RefundFacts};
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreRefundRow {
    pub id: i64,
    pub origin_counter: String,
    pub origin_payment: i64,
    pub payment_id: String,
    pub trx_id: String,
    pub product: Product,
    pub amount_poisha: u64,
    pub sku: String,
    pub reason: String,
    pub state: RefundState,
    pub refund_trx_id: Option<String>,
    pub bkash_code: Option<String>,
    pub bkash_message: Option<String>,
    pub detail: Option<String>,
}

const COLUMNS: &str = "id, origin_counter, origin_payment, payment_id, trx_id, product, amount_poisha, sku, reason, state, \
                       refund_trx_id, bkash_code, bkash_message, detail";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoreRefundRow> {
    Ok(StoreRefundRow {
        id: r.get(0)?,
        origin_counter: r.get(1)?,
        origin_payment: r.get(2)?,
        payment_id: r.get(3)?,
        trx_id: r.get(4)?,
        product: r.get(5)?,
        amount_poisha: unsigned(r, 6)?,
        sku: r.get(7)?,
        reason: r.get(8)?,
        state: r.get(9)?,
        refund_trx_id: r.get(10)?,
        bkash_code: r.get(11)?,
        bkash_message: r.get(12)?,
        detail: r.get(13)?,
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
        super::refunds::may_become(&tx, &format!("SELECT {COLUMNS} FROM store_refunds WHERE id = ?1"), id, row, |r| r.state, to)?;
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
