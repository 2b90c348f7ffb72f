//! `PaymentState` and the one table of allowed transitions.

use serde::{Deserialize, Serialize};

use super::sql::stored_as_text;

/// Where a payment stands. Each state names the fact that put it there.
/// Stored, sent to the UI and received from it as its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// The cashier pressed Pay; nothing has been sent to bKash.
    New,
    /// Create Payment may have been sent; no paymentID is stored yet.
    Creating,
    /// bKash gave a paymentID; the customer is in bKash's frame. Execute has
    /// not been sent, so no money has moved.
    AwaitingCustomer,
    /// Execute Payment may have been sent. Money may have moved.
    Executing,
    /// bKash said Completed (by Execute or Query) and gave a trxID.
    Completed,
    /// bKash refused it definitively (e.g. 2023): no money moved.
    Failed,
    /// Execute (or a Query) gave no definitive answer. Only Query settles it.
    Unknown,
    /// The customer or cashier stopped before Execute was sent: no money moved.
    Cancelled,
    /// Proven not charged after the fact: Execute was never sent when the app
    /// stopped, or Query said the payment is still `Initiated`.
    NotCharged,
}

impl PaymentState {
    pub const ALL: [PaymentState; 9] = [
        PaymentState::New,
        PaymentState::Creating,
        PaymentState::AwaitingCustomer,
        PaymentState::Executing,
        PaymentState::Completed,
        PaymentState::Failed,
        PaymentState::Unknown,
        PaymentState::Cancelled,
        PaymentState::NotCharged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentState::New => "new",
            PaymentState::Creating => "creating",
            PaymentState::AwaitingCustomer => "awaiting_customer",
            PaymentState::Executing => "executing",
            PaymentState::Completed => "completed",
            PaymentState::Failed => "failed",
            PaymentState::Unknown => "unknown",
            PaymentState::Cancelled => "cancelled",
            PaymentState::NotCharged => "not_charged",
        }
    }

    /// The only transition table. Everything not listed is refused.
    pub fn can_become(self, to: PaymentState) -> bool {
        use PaymentState::*;
        matches!(
            (self, to),
            (New, Creating | Cancelled)
                | (Creating, AwaitingCustomer | Failed | NotCharged)
                | (AwaitingCustomer, Executing | Cancelled | NotCharged)
                // NotCharged from Executing only on Query's word (startup recovery).
                | (Executing, Completed | Failed | Unknown | NotCharged)
                | (Unknown, Completed | NotCharged)
        )
    }

    /// The states a payment may be in to move to `to`: the guard of the
    /// journal's `UPDATE … WHERE state IN (…)`.
    pub fn allowed_from(to: PaymentState) -> Vec<PaymentState> {
        Self::ALL.into_iter().filter(|from| from.can_become(to)).collect()
    }

    /// No further transition is possible.
    pub fn is_final(self) -> bool {
        Self::ALL.iter().all(|to| !self.can_become(*to))
    }

    /// The order may be paid again with a new payment: this one took no money.
    pub fn frees_the_order(self) -> bool {
        matches!(self, PaymentState::Failed | PaymentState::Cancelled | PaymentState::NotCharged)
    }

    /// Not settled: what startup recovery looks at.
    pub fn in_flight() -> impl Iterator<Item = PaymentState> {
        Self::ALL.into_iter().filter(|s| !s.is_final())
    }
}

stored_as_text!(PaymentState, "payment state");
