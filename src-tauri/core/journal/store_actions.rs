//! A manager's check or resolution of another counter's payment (migration
//! 008): journaled as `asking` here before bKash is asked, settled with
//! bKash's answer. The counter that took the payment carries it out by
//! asking bKash itself, and writes a receipt so it does so once.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::open::classify;
use super::payments::{stamp, unsigned};
use super::{Journal, JournalError, TransitionFacts};
use crate::money::{ActionOutcome, PaymentState, Product, StoreActionKind};

/// An unsettled payment another counter of the store took, as the store has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionTarget {
    pub counter: String,
    /// Its id in that counter's journal.
    pub id: i64,
    pub payment_id: String,
    pub invoice: String,
    pub product: Product,
    pub amount_poisha: u64,
}

/// A resolution's evidence: the customer's trxID (already checked for
/// form) and the manager's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolutionClaim {
    pub trx_id: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreActionRow {
    pub id: i64,
    pub kind: StoreActionKind,
    pub target: ActionTarget,
    pub claim: Option<ResolutionClaim>,
    pub outcome: ActionOutcome,
    /// bKash's trxID for the payment, when it gave one.
    pub trx_id: Option<String>,
    pub bkash_code: Option<String>,
    pub bkash_message: Option<String>,
    pub detail: Option<String>,
    pub by_whom: Option<String>,
}

const COLUMNS: &str = "id, kind, origin_counter, origin_payment, payment_id, invoice, product, amount_poisha, claimed_trx_id, reason, \
                       outcome, trx_id, bkash_code, bkash_message, detail, by_whom";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoreActionRow> {
    let claim = match (r.get::<_, Option<String>>(8)?, r.get::<_, Option<String>>(9)?) {
        (Some(trx_id), Some(reason)) => Some(ResolutionClaim { trx_id, reason }),
        _ => None,
    };
    Ok(StoreActionRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        target: ActionTarget {
            counter: r.get(2)?,
            id: r.get(3)?,
            payment_id: r.get(4)?,
            invoice: r.get(5)?,
            product: r.get(6)?,
            amount_poisha: unsigned(r, 7)?,
        },
        claim,
        outcome: r.get(10)?,
        trx_id: r.get(11)?,
        bkash_code: r.get(12)?,
        bkash_message: r.get(13)?,
        detail: r.get(14)?,
        by_whom: r.get(15)?,
    })
}

impl Journal {
    /// Writes an action as `asking`, before bKash is asked.
    pub fn start_store_action(
        &mut self,
        target: &ActionTarget,
        kind: StoreActionKind,
        claim: Option<&ResolutionClaim>,
        by_whom: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<StoreActionRow, JournalError> {
        if (kind == StoreActionKind::Resolve) != claim.is_some() {
            return Err(JournalError::Invalid { field: "trxID", problem: "a resolution needs the customer's trxID and a reason".into() });
        }
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        tx.execute(
            "INSERT INTO store_actions (kind, origin_counter, origin_payment, payment_id, invoice, product, amount_poisha,
                                        claimed_trx_id, reason, outcome, by_whom, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
            params![
                kind,
                target.counter,
                target.id,
                target.payment_id,
                target.invoice,
                target.product,
                target.amount_poisha as i64,
                claim.map(|c| c.trx_id.as_str()),
                claim.map(|c| c.reason.as_str()),
                ActionOutcome::Asking,
                by_whom,
                stamp(now)
            ],
        )
        .map_err(|e| classify(&path, e))?;
        let id = tx.last_insert_rowid();
        let after = tx.query_row(&format!("SELECT {COLUMNS} FROM store_actions WHERE id = ?1"), [id], row)?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(after)
    }

    /// Keeps bKash's answer on an `asking` action (once).
    pub fn settle_store_action(
        &mut self,
        id: i64,
        outcome: ActionOutcome,
        facts: &TransitionFacts,
        now: DateTime<Utc>,
    ) -> Result<StoreActionRow, JournalError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        let before = tx
            .query_row(&format!("SELECT {COLUMNS} FROM store_actions WHERE id = ?1"), [id], row)
            .optional()?
            .ok_or(JournalError::NotFound(id))?;
        if before.outcome != ActionOutcome::Asking || outcome == ActionOutcome::Asking {
            return Err(JournalError::IllegalTransition { id, from: before.outcome.to_string(), to: outcome.to_string() });
        }
        tx.execute(
            "UPDATE store_actions SET outcome = ?2, trx_id = ?3, bkash_code = ?4, bkash_message = ?5, detail = ?6, updated_at = ?7
             WHERE id = ?1",
            params![id, outcome, facts.trx_id, facts.bkash_code, facts.bkash_message, facts.detail, stamp(now)],
        )
        .map_err(|e| classify(&path, e))?;
        let after = tx.query_row(&format!("SELECT {COLUMNS} FROM store_actions WHERE id = ?1"), [id], row)?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(after)
    }

    /// Whether this counter already carried out another counter's action
    /// `action_id`, and what its payment was then.
    pub fn store_action_receipt(&self, acting_counter: &str, action_id: i64) -> Result<Option<PaymentState>, JournalError> {
        Ok(self
            .conn
            .query_row(
                "SELECT state_after FROM store_action_receipts WHERE acting_counter = ?1 AND action_id = ?2",
                params![acting_counter, action_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// This counter carried out another counter's action on its payment.
    pub fn record_store_action_receipt(
        &mut self,
        acting_counter: &str,
        action_id: i64,
        payment: i64,
        state_after: PaymentState,
        now: DateTime<Utc>,
    ) -> Result<(), JournalError> {
        let path = self.path.clone();
        self.conn
            .execute(
                "INSERT INTO store_action_receipts (acting_counter, action_id, payment, state_after, applied_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                params![acting_counter, action_id, payment, state_after, stamp(now)],
            )
            .map(drop)
            .map_err(|e| classify(&path, e))
    }
}
