//! What went wrong, sorted by what the caller may do next. The variants are
//! about money, not about HTTP: the question is always "may this call have
//! moved money?"

use chrono::{DateTime, Utc};

use crate::money::Cause;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BkashError {
    /// bKash processed the request and refused it: this call moved no money.
    #[error("bKash refused it: {message} ({code})")]
    Refused { code: String, message: String },

    /// bKash says the operation was already carried out by an earlier call
    /// (2117 and friends). Only Query tells what that earlier call did.
    #[error("bKash says this was already done: {message} ({code})")]
    AlreadyDone { code: String, message: String },

    /// bKash's gateway refused it before any payment logic (401, 403, 400,
    /// 413, 429): the request did nothing and may be retried after fixing
    /// what the message says.
    #[error("bKash's gateway refused the request (HTTP {status}): {message}")]
    Gateway { status: u16, message: String },

    /// The request may have reached bKash and may have been processed, but no
    /// definitive answer came back: a timeout, a dropped connection, a 5xx,
    /// or a body we cannot read. Only Query Payment settles it.
    #[error("no definitive answer from bKash: {reason}")]
    OutcomeUnknown { reason: String },

    /// The request never left: the connection could not be made.
    #[error("could not reach bKash: {reason}")]
    NotSent { reason: String },

    /// Rejected here before sending.
    #[error("{field}: {problem}")]
    Invalid { field: &'static str, problem: String },

    /// bKash's answer is about something else than the payment asked about:
    /// another paymentID, amount, currency or invoice. It proves nothing, so
    /// the outcome stays unknown and Query decides.
    #[error("bKash's answer does not match this payment: {field} {answered} instead of {expected}")]
    Mismatch { field: &'static str, expected: String, answered: String },

    /// bKash blocks merchants that call the token APIs too often. No grant or
    /// refresh is allowed until `retry_after`; nothing was sent.
    #[error(
        "the bKash token budget ({budget} per hour) is spent; nothing was sent to bKash; the next token call is allowed at {retry_after}"
    )]
    TokenBudgetSpent { budget: u32, retry_after: DateTime<Utc> },

    /// The last token call got no definitive answer, so the next one waits a
    /// little (one broken minute must not spend bKash's whole hourly budget).
    /// Nothing was sent.
    #[error("bKash did not answer the last token request; nothing was sent to bKash; the next token call is allowed at {retry_after}")]
    TokenCoolingDown { retry_after: DateTime<Utc> },

    /// bKash refused the app's sign-in: a grant refused (a code, or the
    /// gateway's 401 on the username and password), or the gateway refused
    /// (401) a token that bKash had just issued and never accepted. The
    /// credentials, the environment or the gateway are wrong; asking for yet
    /// another token would only spend the budget.
    #[error("bKash refused the app's sign-in ({message}): check the credentials and the environment")]
    TokenRejected { message: String },
}

impl BkashError {
    /// Whether this call may have moved money.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, BkashError::OutcomeUnknown { .. } | BkashError::AlreadyDone { .. } | BkashError::Mismatch { .. })
    }

    /// Why there is no bKash verdict; `None` when bKash gave its own code.
    pub fn cause(&self) -> Option<Cause> {
        Some(match self {
            BkashError::Refused { .. } | BkashError::AlreadyDone { .. } => return None,
            BkashError::Gateway { .. } => Cause::GatewayRefused,
            BkashError::OutcomeUnknown { .. } => Cause::NoAnswer,
            BkashError::NotSent { .. } => Cause::Unreachable,
            BkashError::Invalid { .. } => Cause::Invalid,
            BkashError::Mismatch { .. } => Cause::Mismatch,
            BkashError::TokenBudgetSpent { .. } => Cause::TokenBudget,
            BkashError::TokenCoolingDown { .. } => Cause::TokenCoolingDown,
            BkashError::TokenRejected { .. } => Cause::TokenRejected,
        })
    }

    /// The bKash code, when bKash gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            BkashError::Refused { code, .. } | BkashError::AlreadyDone { code, .. } => Some(code),
            _ => None,
        }
    }

    pub(crate) fn unknown(reason: impl Into<String>) -> Self {
        BkashError::OutcomeUnknown { reason: reason.into() }
    }

    /// The gateway's 401: the token was refused before payment logic ran.
    pub(crate) fn is_token_refused(&self) -> bool {
        matches!(self, BkashError::Gateway { status: 401, .. })
    }
}
