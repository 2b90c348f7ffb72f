use crate::journal::{JournalError, PaymentRow};
use crate::manager_pin::PinError;
use crate::payment::{DeskError, PaymentError, PaymentView, SaleProblem};
use serde::Serialize;

/// What every command returns on failure: a stable `code` the UI branches on,
/// and a `message` for a person. Never carries a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct CommandError {
    pub code: &'static str,
    pub message: String,
}

impl CommandError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

impl From<PaymentError> for CommandError {
    fn from(e: PaymentError) -> Self {
        match &e {
            PaymentError::Journal(JournalError::LivePaymentExists { .. }) => Self::new(
                "order_already_paid",
                "This order already has a bKash payment that went through or is still being checked. Start a new sale.",
            ),
            PaymentError::Journal(JournalError::NotFound(_)) => Self::new("not_found", e.to_string()),
            PaymentError::Journal(JournalError::RefundTooLarge { left, .. }) => Self::new(
                "refund_too_large",
                format!("Only {} is left to refund on this payment.", crate::bkash::Amount::from_poisha(*left)),
            ),
            PaymentError::Journal(JournalError::Invalid { field, problem }) => Self::new("invalid", format!("The {field} {problem}.")),
            PaymentError::Journal(_) => Self::new("journal", format!("The payment journal refused: {e}")),
            PaymentError::WrongState { .. } => Self::new("wrong_state", e.to_string()),
        }
    }
}

impl From<DeskError> for CommandError {
    fn from(e: DeskError) -> Self {
        match e {
            DeskError::Sale(SaleProblem::BadOrder) => Self::new("invalid_order", e.to_string()),
            DeskError::Sale(_) => Self::new("invalid_amount", e.to_string()),
            DeskError::Busy => Self::new("checkout_busy", e.to_string()),
            DeskError::NothingOpen => Self::new("no_checkout", e.to_string()),
            DeskError::Payment(inner) => inner.into(),
            DeskError::Interrupted(_) => Self::new("interrupted", e.to_string()),
        }
    }
}

/// Create was refused or got no answer: the payment is already settled as
/// failed or not charged (execute was never sent), and this says why.
pub fn create_refused(row: &PaymentRow) -> CommandError {
    let view = PaymentView::from(row);
    CommandError::new("create_failed", view.reason.unwrap_or_else(|| "bKash could not start the payment.".into()))
}

impl From<JournalError> for CommandError {
    fn from(e: JournalError) -> Self {
        PaymentError::Journal(e).into()
    }
}

impl From<PinError> for CommandError {
    fn from(e: PinError) -> Self {
        let code = match e {
            PinError::BadFormat => "pin_format",
            PinError::AlreadySet => "pin_already_set",
            PinError::NotSet => "pin_not_set",
            PinError::Wrong { .. } => "pin_wrong",
            PinError::Locked { .. } => "pin_locked",
            PinError::SessionClosed => "manager_locked",
            PinError::Vault(_) => "vault",
        };
        Self::new(code, e.to_string())
    }
}
