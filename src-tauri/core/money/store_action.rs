//! A manager's action on another counter's payment (a store, #17): what
//! was asked of bKash, and what bKash's answer made of it.
//!
//! An action never settles the payment itself: it lives in the journal of
//! the counter where it was done, and the counter that took the payment
//! asks bKash again before its own journal changes.

use serde::{Deserialize, Serialize};

use super::sql::stored_as_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum StoreActionKind {
    /// *Check now*: Query Payment.
    Check,
    /// *Resolve by hand*: the customer's trxID, confirmed by Search Transaction.
    Resolve,
}

impl StoreActionKind {
    pub const ALL: [StoreActionKind; 2] = [StoreActionKind::Check, StoreActionKind::Resolve];

    pub fn as_str(self) -> &'static str {
        match self {
            StoreActionKind::Check => "check",
            StoreActionKind::Resolve => "resolve",
        }
    }
}

stored_as_text!(StoreActionKind, "store action");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ActionOutcome {
    /// Journaled; bKash is being asked (a stopped app leaves it here, which
    /// is harmless: both calls only read).
    Asking,
    /// bKash says the payment completed (Query), or confirmed the trxID for
    /// this payment's amount (Search).
    Completed,
    /// Query: bKash says the payment was only initiated; no money moved.
    NotCharged,
    /// bKash could not be asked, or said nothing that settles the payment.
    NoVerdict,
    /// Search: bKash does not know the trxID, or it is another payment's.
    Refused,
}

impl ActionOutcome {
    pub const ALL: [ActionOutcome; 5] =
        [ActionOutcome::Asking, ActionOutcome::Completed, ActionOutcome::NotCharged, ActionOutcome::NoVerdict, ActionOutcome::Refused];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionOutcome::Asking => "asking",
            ActionOutcome::Completed => "completed",
            ActionOutcome::NotCharged => "not_charged",
            ActionOutcome::NoVerdict => "no_verdict",
            ActionOutcome::Refused => "refused",
        }
    }

    /// Whether the counter that took the payment should ask bKash itself:
    /// every action but a refused resolution (bKash already said the trxID
    /// is not this payment's).
    pub fn prompts_origin(self) -> bool {
        self != ActionOutcome::Refused
    }
}

stored_as_text!(ActionOutcome, "store action outcome");
