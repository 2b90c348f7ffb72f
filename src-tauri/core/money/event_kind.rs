//! What a line of a payment's history records. The journal's
//! `payment_events.kind` column holds these names; the manager's history
//! words each from the UI's catalogs (`event.<kind>`).

use serde::{Deserialize, Serialize};

use super::sql::stored_as_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The payment was journaled, before anything was sent.
    Started,
    /// Its state changed (`from_state` → `to_state`, payment states).
    Transition,
    /// A refund was journaled, before it was sent.
    RefundRequested,
    /// A refund's outcome was asked of bKash and stays unsettled.
    RefundChecked,
    /// A refund's state changed (refund states).
    Refund,
    /// bKash said the customer finished on their phone.
    CustomerVerified,
    /// The customer finished on their phone after the counter stopped waiting.
    CustomerFinishedLate,
    /// Query was asked and bKash gave no answer that settles the payment.
    QueryUnanswered,
    /// A manager's trxID could not be verified (bKash could not be asked).
    ResolutionUnverified,
    ReceiptPrinted,
    ReceiptNotPrinted,
}

impl EventKind {
    pub const ALL: [EventKind; 11] = [
        EventKind::Started,
        EventKind::Transition,
        EventKind::RefundRequested,
        EventKind::RefundChecked,
        EventKind::Refund,
        EventKind::CustomerVerified,
        EventKind::CustomerFinishedLate,
        EventKind::QueryUnanswered,
        EventKind::ResolutionUnverified,
        EventKind::ReceiptPrinted,
        EventKind::ReceiptNotPrinted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Started => "started",
            EventKind::Transition => "transition",
            EventKind::RefundRequested => "refund_requested",
            EventKind::RefundChecked => "refund_checked",
            EventKind::Refund => "refund",
            EventKind::CustomerVerified => "customer_verified",
            EventKind::CustomerFinishedLate => "customer_finished_late",
            EventKind::QueryUnanswered => "query_unanswered",
            EventKind::ResolutionUnverified => "resolution_unverified",
            EventKind::ReceiptPrinted => "receipt_printed",
            EventKind::ReceiptNotPrinted => "receipt_not_printed",
        }
    }

    /// Its `from_state`/`to_state` are a refund's states, not the payment's.
    pub fn is_about_a_refund(self) -> bool {
        matches!(self, EventKind::Refund)
    }
}

stored_as_text!(EventKind, "history event");

/// A state a history line moved from or to: the payment's, or (for a
/// refund's line) the refund's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(untagged)]
pub enum EventState {
    Payment(super::PaymentState),
    Refund(super::RefundState),
}

impl EventState {
    /// The state named `text` on a line of `kind`; a name this version does
    /// not know is an error, never a guess.
    pub fn parse(kind: EventKind, text: &str) -> Result<Self, String> {
        Ok(match kind.is_about_a_refund() {
            true => EventState::Refund(text.parse()?),
            false => EventState::Payment(text.parse()?),
        })
    }
}

impl std::fmt::Display for EventState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EventState::Payment(state) => state.fmt(f),
            EventState::Refund(state) => state.fmt(f),
        }
    }
}
