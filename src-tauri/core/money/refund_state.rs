//! `RefundState` and its one table of allowed transitions.
//!
//! A refund is written `Requested` *before* the Refund call leaves, so a
//! stopped app leaves it `Requested`; bKash's answer settles it, and a refund
//! without an answer is `Unknown` until Refund Status settles it.

use serde::{Deserialize, Serialize};

use super::sql::stored_as_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RefundState {
    /// Written; the Refund call may have left. Money may be on its way back.
    Requested,
    /// bKash completed it and gave a refund trxID.
    Completed,
    /// bKash refused it, or Refund Status proved it never happened.
    Failed,
    /// The call got no definitive answer; only Refund Status settles it.
    Unknown,
}

impl RefundState {
    pub const ALL: [RefundState; 4] = [RefundState::Requested, RefundState::Completed, RefundState::Failed, RefundState::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            RefundState::Requested => "requested",
            RefundState::Completed => "completed",
            RefundState::Failed => "failed",
            RefundState::Unknown => "unknown",
        }
    }

    /// The only transition table. Everything not listed is refused.
    pub fn can_become(self, to: RefundState) -> bool {
        use RefundState::*;
        matches!((self, to), (Requested, Completed | Failed | Unknown) | (Unknown, Completed | Failed))
    }

    pub fn is_final(self) -> bool {
        Self::ALL.iter().all(|to| !self.can_become(*to))
    }

    /// Money that is back with the customer or may be on its way: counts
    /// against what is left to refund.
    pub fn holds_money(self) -> bool {
        self != RefundState::Failed
    }

    /// bKash has not said how this one ended.
    pub fn unsettled() -> impl Iterator<Item = RefundState> {
        Self::ALL.into_iter().filter(|s| !s.is_final())
    }
}

stored_as_text!(RefundState, "refund state");

/// What may still be refunded of a payment in `state`, paid `paid_poisha`,
/// with these refunds (state, poisha): a completed payment's amount less
/// every refund that did or may have moved money (only a failed one did
/// not). The one rule, for this counter's journal and the store's day alike.
pub fn refundable(state: super::PaymentState, paid_poisha: u64, refunds: impl IntoIterator<Item = (RefundState, u64)>) -> u64 {
    if state != super::PaymentState::Completed {
        return 0;
    }
    let held = refunds.into_iter().filter(|(refund, _)| refund.holds_money()).map(|(_, poisha)| poisha).sum();
    left_to_refund(paid_poisha, held)
}

/// `paid_poisha` less `held_poisha` already refunded or on its way back,
/// never below nothing.
pub fn left_to_refund(paid_poisha: u64, held_poisha: u64) -> u64 {
    paid_poisha.saturating_sub(held_poisha)
}
