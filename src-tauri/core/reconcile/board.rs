//! The `RecoveryBoard`: what the cashier's banner shows about payments whose
//! outcome is being checked with bKash, and how each one ended.
//!
//! It follows payments found unsettled at startup, and payments that become
//! `Unknown` while the app runs. It is fed the same `PaymentView`s as the UI,
//! so it can never disagree with the journal.

use std::sync::Mutex;

use serde::Serialize;

use crate::journal::PaymentRow;
use crate::money::PaymentState;
use crate::payment::PaymentView;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryEntry {
    pub id: i64,
    pub order_id: String,
    /// What the receipt and bKash's window showed: how the cashier knows the sale.
    pub invoice: String,
    pub amount_poisha: u64,
    pub state: PaymentState,
    #[serde(rename = "trxID")]
    pub trx_id: Option<String>,
}

/// `checking`: still being asked about. `resolved`: settled during this run,
/// newest first, at most [`RecoveryBoard::KEEP_RESOLVED`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RecoverySnapshot {
    pub checking: Vec<RecoveryEntry>,
    pub resolved: Vec<RecoveryEntry>,
}

#[derive(Default)]
pub struct RecoveryBoard {
    inner: Mutex<RecoverySnapshot>,
}

impl RecoveryBoard {
    pub const KEEP_RESOLVED: usize = 20;

    fn entry(id: i64, order_id: &str, invoice: &str, amount_poisha: u64, state: PaymentState, trx_id: Option<&String>) -> RecoveryEntry {
        RecoveryEntry { id, order_id: order_id.into(), invoice: invoice.into(), amount_poisha, state, trx_id: trx_id.cloned() }
    }

    /// Starts following a payment found unsettled at startup.
    pub fn track(&self, row: &PaymentRow) {
        let mut board = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if !board.checking.iter().any(|e| e.id == row.id) {
            board.checking.push(Self::entry(row.id, &row.order_id, &row.invoice, row.amount_poisha, row.state, row.trx_id.as_ref()));
        }
    }

    /// Applies one committed change. Returns true when the board changed.
    pub fn observe(&self, event: &PaymentView) -> bool {
        let state = event.state;
        let mut board = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let position = board.checking.iter().position(|e| e.id == event.id);
        let entry = Self::entry(event.id, &event.order_id, &event.invoice, event.amount_poisha, state, event.trx_id.as_ref());
        match position {
            Some(i) if state.is_final() => {
                board.checking.remove(i);
                board.resolved.insert(0, entry);
                board.resolved.truncate(Self::KEEP_RESOLVED);
                true
            }
            Some(i) if board.checking[i] != entry => {
                board.checking[i] = entry;
                true
            }
            None if state == PaymentState::Unknown => {
                board.checking.push(entry);
                true
            }
            _ => false,
        }
    }

    pub fn snapshot(&self) -> RecoverySnapshot {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}
