//! What went wrong, sorted by what the caller may do next. The variants are
//! about money, not about HTTP: the question is always "may this call have
//! moved money?"

use chrono::{DateTime, Utc};

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

    /// bKash blocks merchants that call the token APIs too often. No grant or
    /// refresh is allowed until `retry_after`.
    #[error("the bKash token budget ({budget} per hour) is spent; the next token call is allowed at {retry_after}")]
    TokenBudgetSpent { budget: u32, retry_after: DateTime<Utc> },
}

impl BkashError {
    /// Whether this call may have moved money.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, BkashError::OutcomeUnknown { .. } | BkashError::AlreadyDone { .. })
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

    pub(crate) fn is_expired_token(&self) -> bool {
        matches!(self, BkashError::Gateway { status: 401, .. })
    }
}
