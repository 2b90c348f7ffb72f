//! `CommandError`: how every command fails. The UI words it in the user's
//! language from `code` and `details` (`error.<code>` in `ui/src/i18n/*.json`,
//! with `{placeholders}` filled from `details`); `message` is the English
//! sentence for the log and for a code an older UI does not know.

use std::collections::BTreeMap;

use serde::Serialize;

use pos_core::journal::{JournalError, PaymentRow};
use pos_core::money::{Amount, SaleProblem};
use pos_core::payment::{DeskError, PaymentError, PaymentView};
use pos_core::print::{PrintError, PrintJobError};
use pos_core::shift::ShiftError;
use pos_core::staff::StaffError;

/// Every reason a command can fail, as the UI branches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    PaymentsStopped,
    NotAllowed,
    CheckoutBusy,
    NoCheckout,
    CheckoutWindow,
    Interrupted,
    InvalidOrder,
    InvalidAmount,
    InvalidFormat,
    Invalid,
    OrderAlreadyPaid,
    RefundTooLarge,
    WrongState,
    NotFound,
    CreateFailed,
    Journal,
    Export,
    Vault,
    SettingsFile,
    EnvironmentBusy,
    PinFormat,
    PinAlreadySet,
    PinNotSet,
    PinWrong,
    PinLocked,
    ManagerLocked,
    PhoneNeedsTokenized,
    NoPrinter,
    PrintFailed,
    SameAmountChecking,
    SaleAlreadyPaid,
    SaleBeingPaid,
    CatalogueFile,
    SetupDone,
    ConnectionFailed,
    /// The store's PostgreSQL could not be reached.
    StoreUnreachable,
    /// The store will not take this counter: its id is another PC's, its
    /// login was refused, or the store is newer than this app.
    StoreRefused,
    /// This counter has no store configured.
    NoStore,
    /// The store does not hold what was asked for (a payment not yet sent
    /// to it, or a wrong id).
    StoreNotFound,
    /// The store's database answered, and failed to do it.
    StoreFailed,
    /// Nobody is signed in at the counter.
    NotSignedIn,
    /// Beyond the signed-in person's role: `least` role's PIN allows it once.
    RoleNeeded,
    PinInUse,
    NoShiftOpen,
    ShiftAlreadyOpen,
    /// Close the day: a shift is still open.
    ShiftStillOpen,
    /// Close the day: the day is not over.
    DayToCome,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 47] = [
        ErrorCode::PaymentsStopped,
        ErrorCode::NotAllowed,
        ErrorCode::CheckoutBusy,
        ErrorCode::NoCheckout,
        ErrorCode::CheckoutWindow,
        ErrorCode::Interrupted,
        ErrorCode::InvalidOrder,
        ErrorCode::InvalidAmount,
        ErrorCode::InvalidFormat,
        ErrorCode::Invalid,
        ErrorCode::OrderAlreadyPaid,
        ErrorCode::RefundTooLarge,
        ErrorCode::WrongState,
        ErrorCode::NotFound,
        ErrorCode::CreateFailed,
        ErrorCode::Journal,
        ErrorCode::Export,
        ErrorCode::Vault,
        ErrorCode::SettingsFile,
        ErrorCode::EnvironmentBusy,
        ErrorCode::PinFormat,
        ErrorCode::PinAlreadySet,
        ErrorCode::PinNotSet,
        ErrorCode::PinWrong,
        ErrorCode::PinLocked,
        ErrorCode::ManagerLocked,
        ErrorCode::PhoneNeedsTokenized,
        ErrorCode::NoPrinter,
        ErrorCode::PrintFailed,
        ErrorCode::SameAmountChecking,
        ErrorCode::SaleAlreadyPaid,
        ErrorCode::SaleBeingPaid,
        ErrorCode::CatalogueFile,
        ErrorCode::SetupDone,
        ErrorCode::ConnectionFailed,
        ErrorCode::StoreUnreachable,
        ErrorCode::StoreRefused,
        ErrorCode::NoStore,
        ErrorCode::StoreNotFound,
        ErrorCode::StoreFailed,
        ErrorCode::NotSignedIn,
        ErrorCode::RoleNeeded,
        ErrorCode::PinInUse,
        ErrorCode::NoShiftOpen,
        ErrorCode::ShiftAlreadyOpen,
        ErrorCode::ShiftStillOpen,
        ErrorCode::DayToCome,
    ];

    /// The `details` every error of this code carries: exactly the
    /// placeholders its catalog texts may use.
    pub fn details(self) -> &'static [&'static str] {
        match self {
            ErrorCode::PaymentsStopped | ErrorCode::Journal | ErrorCode::Export | ErrorCode::Vault | ErrorCode::SettingsFile => &["detail"],
            ErrorCode::CheckoutWindow | ErrorCode::Interrupted | ErrorCode::ConnectionFailed | ErrorCode::StoreUnreachable => &["detail"],
            ErrorCode::StoreRefused | ErrorCode::StoreNotFound | ErrorCode::StoreFailed => &["detail"],
            ErrorCode::InvalidFormat => &["text"],
            ErrorCode::Invalid => &["field", "problem"],
            ErrorCode::RefundTooLarge => &["left"],
            ErrorCode::WrongState => &["state", "action"],
            ErrorCode::NotFound => &["id"],
            ErrorCode::CreateFailed => &["reason"],
            ErrorCode::PinWrong => &["left"],
            ErrorCode::PinLocked => &["until"],
            ErrorCode::PrintFailed => &["problem", "printer"],
            ErrorCode::SameAmountChecking => &["amount", "invoice"],
            ErrorCode::CatalogueFile => &["problem", "columns"],
            ErrorCode::RoleNeeded => &["action", "least"],
            ErrorCode::ShiftAlreadyOpen => &["counter"],
            ErrorCode::ShiftStillOpen => &["counter", "openedBy"],
            ErrorCode::DayToCome => &["day"],
            ErrorCode::NotAllowed
            | ErrorCode::CheckoutBusy
            | ErrorCode::NoCheckout
            | ErrorCode::InvalidOrder
            | ErrorCode::InvalidAmount
            | ErrorCode::OrderAlreadyPaid
            | ErrorCode::EnvironmentBusy
            | ErrorCode::PinFormat
            | ErrorCode::PinAlreadySet
            | ErrorCode::PinNotSet
            | ErrorCode::ManagerLocked
            | ErrorCode::PhoneNeedsTokenized
            | ErrorCode::SaleAlreadyPaid
            | ErrorCode::SaleBeingPaid
            | ErrorCode::SetupDone
            | ErrorCode::NoStore
            | ErrorCode::NotSignedIn
            | ErrorCode::PinInUse
            | ErrorCode::NoShiftOpen
            | ErrorCode::NoPrinter => &[],
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // serde's `rename_all` spells the name once, for the UI and the log alike.
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(name)) => f.write_str(&name),
            _ => write!(f, "{self:?}"),
        }
    }
}

/// What every command returns on failure. Never carries a secret: the
/// details are IDs, amounts, field names and the core's own sentences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, ts_rs::TS)]
#[error("{code}: {message}")]
pub struct CommandError {
    pub code: ErrorCode,
    /// English, for the log.
    pub message: String,
    /// The values of the catalog text's placeholders.
    pub details: BTreeMap<String, String>,
}

impl CommandError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), details: BTreeMap::new() }
    }

    /// Adds one placeholder's value (see [`ErrorCode::details`]).
    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        debug_assert!(self.code.details().contains(&name), "{} has no detail `{name}`", self.code);
        self.details.insert(name.into(), value.to_string());
        self
    }

    /// The common shape: the English sentence is also the `detail`.
    pub fn detailed(code: ErrorCode, detail: impl ToString) -> Self {
        let detail = detail.to_string();
        Self::new(code, detail.clone()).with("detail", detail)
    }
}

impl From<pos_core::store::StoreError> for CommandError {
    fn from(e: pos_core::store::StoreError) -> Self {
        use pos_core::store::StoreError;
        // The cause decides the words: a payment the store does not hold is
        // not a store that did not answer.
        let code = match &e {
            StoreError::NotFound(_) => ErrorCode::StoreNotFound,
            e if e.refuses_this_counter() => ErrorCode::StoreRefused,
            StoreError::Unreachable { .. } | StoreError::ConnectionLost(_) | StoreError::Tls(_) => ErrorCode::StoreUnreachable,
            _ => ErrorCode::StoreFailed,
        };
        Self::detailed(code, e)
    }
}

impl From<PaymentError> for CommandError {
    fn from(e: PaymentError) -> Self {
        let message = e.to_string();
        match e {
            PaymentError::Journal(JournalError::LivePaymentExists { .. }) => Self::new(
                ErrorCode::OrderAlreadyPaid,
                "This order already has a bKash payment that went through or is still being checked. Start a new sale.",
            ),
            PaymentError::Journal(JournalError::SaleAlreadyPaid { .. }) => Self::new(ErrorCode::SaleAlreadyPaid, message),
            PaymentError::Journal(JournalError::SaleBeingPaid { .. }) => Self::new(ErrorCode::SaleBeingPaid, message),
            PaymentError::Journal(JournalError::NotFound(id)) => Self::new(ErrorCode::NotFound, message).with("id", id),
            PaymentError::Journal(JournalError::RefundTooLarge { left, .. }) => {
                let left = Amount::from_poisha(left);
                Self::new(ErrorCode::RefundTooLarge, format!("Only {left} is left to refund on this payment.")).with("left", left)
            }
            PaymentError::Journal(JournalError::NoShiftOpen { .. }) => Self::new(ErrorCode::NoShiftOpen, message),
            PaymentError::Journal(JournalError::ShiftAlreadyOpen { counter_id }) => {
                Self::new(ErrorCode::ShiftAlreadyOpen, message).with("counter", counter_id)
            }
            PaymentError::Journal(JournalError::ShiftStillOpen { counter_id, opened_by }) => {
                Self::new(ErrorCode::ShiftStillOpen, message).with("counter", counter_id).with("openedBy", opened_by)
            }
            PaymentError::Journal(JournalError::DayToCome { day }) => Self::new(ErrorCode::DayToCome, message).with("day", day),
            PaymentError::Journal(JournalError::Invalid { field, problem }) => {
                Self::new(ErrorCode::Invalid, format!("The {field} {problem}.")).with("field", field).with("problem", problem)
            }
            // The catalog's text already says "The payment journal refused:"; the detail is the cause alone.
            PaymentError::Journal(_) => {
                Self::new(ErrorCode::Journal, format!("The payment journal refused: {message}")).with("detail", message)
            }
            PaymentError::Interrupted(detail) => Self::new(ErrorCode::Interrupted, message).with("detail", detail),
            PaymentError::WrongState { state, action, .. } => {
                Self::new(ErrorCode::WrongState, message).with("state", state).with("action", action)
            }
            PaymentError::StoreUnreachable(_) => Self::detailed(ErrorCode::StoreUnreachable, message),
            PaymentError::StoreRefused(why) => Self::detailed(ErrorCode::StoreRefused, why),
            PaymentError::SameAmountBeingChecked(pending) => Self::new(ErrorCode::SameAmountChecking, message)
                .with("amount", Amount::from_poisha(pending.amount_poisha))
                .with("invoice", &pending.invoice),
        }
    }
}

impl From<DeskError> for CommandError {
    fn from(e: DeskError) -> Self {
        let message = e.to_string();
        match e {
            DeskError::Sale(SaleProblem::BadOrder) => Self::new(ErrorCode::InvalidOrder, message),
            DeskError::Sale(_) => Self::new(ErrorCode::InvalidAmount, message),
            DeskError::Busy => Self::new(ErrorCode::CheckoutBusy, message),
            DeskError::NothingOpen => Self::new(ErrorCode::NoCheckout, message),
            DeskError::Payment(inner) => inner.into(),
            DeskError::Interrupted(detail) => Self::new(ErrorCode::Interrupted, message).with("detail", detail),
            DeskError::PhoneNeedsTokenized(_) => Self::new(ErrorCode::PhoneNeedsTokenized, message),
        }
    }
}

/// Create was refused or got no answer: the payment is already settled as
/// failed or not charged (execute was never sent), and this says why, as the
/// catalog key of its reason (the journal's detail goes to the log).
pub fn create_refused(row: &PaymentRow) -> CommandError {
    let key = PaymentView::from(row).reason.map(|r| r.catalog_key()).unwrap_or_else(|| "reason.refused".into());
    CommandError::new(ErrorCode::CreateFailed, format!("bKash could not start payment {} ({key})", row.id)).with("reason", key)
}

impl From<PrintError> for CommandError {
    fn from(e: PrintError) -> Self {
        Self::new(ErrorCode::PrintFailed, format!("The receipt was not printed: {e}"))
            .with("problem", format!("print.{}", e.kind()))
            .with("printer", e.printer())
    }
}

impl From<PrintJobError> for CommandError {
    fn from(e: PrintJobError) -> Self {
        match e {
            PrintJobError::Print(e) => e.into(),
            PrintJobError::Payment(e) => e.into(),
            PrintJobError::NotPaidInCash(order) => Self::new(ErrorCode::WrongState, format!("sale {order} is not paid in cash"))
                .with("state", "unpaid")
                .with("action", "print"),
            PrintJobError::NotPaid(id, state) => Self::new(ErrorCode::WrongState, format!("payment {id} is {state}, so it has no receipt"))
                .with("state", state)
                .with("action", "print"),
        }
    }
}

impl From<pos_core::till::FileProblem> for CommandError {
    fn from(e: pos_core::till::FileProblem) -> Self {
        use pos_core::till::FileProblem;
        let (problem, columns) = match &e {
            FileProblem::TooLarge => ("too_large", String::new()),
            FileProblem::Empty => ("empty", String::new()),
            FileProblem::NotUtf8 => ("not_utf8", String::new()),
            FileProblem::BadHeader(found) => ("bad_header", found.chars().take(120).collect()),
        };
        Self::new(ErrorCode::CatalogueFile, format!("The catalogue file was not imported: {e}"))
            .with("problem", format!("catalogue.file.{problem}"))
            .with("columns", columns)
    }
}

impl From<JournalError> for CommandError {
    fn from(e: JournalError) -> Self {
        PaymentError::Journal(e).into()
    }
}

impl From<StaffError> for CommandError {
    fn from(e: StaffError) -> Self {
        let message = e.to_string();
        match e {
            StaffError::BadPin => Self::new(ErrorCode::PinFormat, message),
            StaffError::AlreadySetUp => Self::new(ErrorCode::PinAlreadySet, message),
            StaffError::NoManagerYet => Self::new(ErrorCode::PinNotSet, message),
            StaffError::WrongPin { left } => Self::new(ErrorCode::PinWrong, message).with("left", left),
            StaffError::Locked { until } => Self::new(ErrorCode::PinLocked, message).with("until", until),
            StaffError::SessionClosed | StaffError::Stopped => Self::new(ErrorCode::ManagerLocked, message),
            StaffError::NotSignedIn => Self::new(ErrorCode::NotSignedIn, message),
            StaffError::NotAllowed { action, least } => {
                Self::new(ErrorCode::RoleNeeded, message).with("action", action).with("least", least)
            }
            StaffError::PinInUse => Self::new(ErrorCode::PinInUse, message),
            StaffError::NoAccount(id) => Self::new(ErrorCode::NotFound, message).with("id", id),
            StaffError::Damaged(detail) | StaffError::Vault(detail) => Self::new(ErrorCode::Vault, message).with("detail", detail),
            StaffError::Journal(e) => PaymentError::Journal(e).into(),
        }
    }
}

impl From<ShiftError> for CommandError {
    fn from(e: ShiftError) -> Self {
        let message = e.to_string();
        match e {
            ShiftError::NotSignedIn => Self::new(ErrorCode::NotSignedIn, message),
            ShiftError::NoShiftOpen => Self::new(ErrorCode::NoShiftOpen, message),
            ShiftError::Count(_) | ShiftError::CountDisagrees { .. } => {
                let problem = message.trim_start_matches("The count: ").trim_end_matches('.').to_string();
                Self::new(ErrorCode::Invalid, message).with("field", "count").with("problem", problem)
            }
            ShiftError::Payment(e) => e.into(),
        }
    }
}
