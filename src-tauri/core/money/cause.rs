//! `Cause`: why a payment ended or waits without bKash's own word.

use serde::{Deserialize, Serialize};

/// Why a call ended without bKash's own word, as a stable code the journal
/// keeps and the UI words in the user's language. (A bKash code, when there
/// is one, says more and is kept beside it.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
pub enum Cause {
    /// The connection to bKash could not be made: nothing was sent.
    #[serde(rename = "bkash_unreachable")]
    Unreachable,
    /// Sent, but no definitive answer: timeout, reset, redirect, 5xx, an
    /// undocumented status, an unreadable or oversized body.
    #[serde(rename = "no_answer")]
    NoAnswer,
    /// An answer about another payment (paymentID, amount, currency, invoice).
    #[serde(rename = "answer_mismatch")]
    Mismatch,
    /// The gateway refused the request before payment logic (400/401/403/429).
    #[serde(rename = "gateway_refused")]
    GatewayRefused,
    /// The gateway refused a token bKash had just issued.
    #[serde(rename = "token_rejected")]
    TokenRejected,
    /// bKash's hourly token budget is spent.
    #[serde(rename = "token_budget")]
    TokenBudget,
    /// Token calls wait after one that got no answer.
    #[serde(rename = "token_cooling_down")]
    TokenCoolingDown,
    /// Refused here, before sending.
    #[serde(rename = "invalid_request")]
    Invalid,
    /// The customer did not finish on their phone before the QR code's time
    /// ran out; Execute was never sent.
    #[serde(rename = "phone_timed_out")]
    PhoneTimedOut,
}

impl Cause {
    pub const ALL: [Cause; 9] = [
        Cause::Unreachable,
        Cause::NoAnswer,
        Cause::Mismatch,
        Cause::GatewayRefused,
        Cause::TokenRejected,
        Cause::TokenBudget,
        Cause::TokenCoolingDown,
        Cause::Invalid,
        Cause::PhoneTimedOut,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Unreachable => "bkash_unreachable",
            Cause::NoAnswer => "no_answer",
            Cause::Mismatch => "answer_mismatch",
            Cause::GatewayRefused => "gateway_refused",
            Cause::TokenRejected => "token_rejected",
            Cause::TokenBudget => "token_budget",
            Cause::TokenCoolingDown => "token_cooling_down",
            Cause::Invalid => "invalid_request",
            Cause::PhoneTimedOut => "phone_timed_out",
        }
    }

    pub fn parse(text: &str) -> Option<Cause> {
        Cause::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
