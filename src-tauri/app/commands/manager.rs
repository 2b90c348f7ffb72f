//! The manager's screens: the PIN gate, the day list, one payment's history,
//! refunds, *Check now* and settling an unknown payment by hand. Every one
//! but the PIN gate needs an open manager session.

use serde::{Deserialize, Serialize};
use tauri::State;

use super::{authorise, off_runtime, payments, reader};
use crate::app::startup::AppState;
use crate::app::CommandError;
use chrono::NaiveDate;
use pos_core::journal::PaymentFilter;
use pos_core::money::Action;
use pos_core::money::PaymentState;
use pos_core::payment::{PaymentView, Resolution};
use pos_core::report::{self, DayPage, History, RefundView};
use pos_core::staff::{ManagerStatus, Staff, StaffError, FIRST_MANAGER_NAME};

/// What the day list asks for: a Bangladesh day (`YYYY-MM-DD` on the wire).
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DayQuery {
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub state: Option<PaymentState>,
    pub search: Option<String>,
    pub page: u32,
}

impl DayQuery {
    pub(super) fn filter(&self) -> PaymentFilter {
        let search = self.search.as_deref().map(|s| s.chars().take(64).collect());
        PaymentFilter { state: self.state, search }
    }
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefundRequest {
    pub id: i64,
    pub amount_poisha: u64,
    pub sku: String,
    pub reason: String,
    /// A supervisor's or manager's PIN, typed for this refund when the
    /// person at the counter may not refund.
    #[serde(default)]
    #[ts(optional)]
    pub approval: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResolveRequest {
    pub id: i64,
    #[serde(rename = "trxID")]
    pub trx_id: String,
    pub reason: String,
}

/// `verified`: bKash confirmed the trxID and the payment is completed;
/// otherwise the claim is logged and the payment is still being checked.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ResolveOutcome {
    pub verified: bool,
    pub payment: PaymentView,
}

impl From<Resolution> for ResolveOutcome {
    fn from(resolution: Resolution) -> Self {
        match resolution {
            Resolution::Verified(row) => Self { verified: true, payment: PaymentView::from(&row) },
            Resolution::Unverified(row) => Self { verified: false, payment: PaymentView::from(&row) },
        }
    }
}

/// The PIN's Argon2 hash and the vault (the OS keyring) are slow and
/// blocking: every PIN command runs off the runtime's threads.
async fn with_staff<T: Send + 'static>(
    state: &State<'_, AppState>,
    work: impl FnOnce(&Staff) -> Result<T, StaffError> + Send + 'static,
) -> Result<T, CommandError> {
    let staff = state.staff.clone();
    off_runtime(move || Ok(work(&staff)?)).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn manager_status(state: State<'_, AppState>) -> Result<ManagerStatus, CommandError> {
    with_staff(&state, |staff| staff.manager_status()).await
}

/// The shop's first account, a manager, on first use; the manager's screens open.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn manager_set_pin(state: State<'_, AppState>, pin: String) -> Result<ManagerStatus, CommandError> {
    with_staff(&state, move |staff| {
        staff.first_manager(FIRST_MANAGER_NAME, &pin)?;
        staff.manager_status()
    })
    .await
}

/// Opens the manager's screens with a supervisor's or manager's PIN.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn manager_unlock(state: State<'_, AppState>, pin: String) -> Result<ManagerStatus, CommandError> {
    with_staff(&state, move |staff| staff.elevate(&pin)).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn manager_lock(state: State<'_, AppState>) -> Result<ManagerStatus, CommandError> {
    with_staff(&state, |staff| {
        staff.close_elevation();
        staff.manager_status()
    })
    .await
}

/// Anyone changes their own PIN with the current one.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn manager_change_pin(state: State<'_, AppState>, current: String, new: String) -> Result<ManagerStatus, CommandError> {
    with_staff(&state, move |staff| {
        staff.change_own_pin(&current, &new)?;
        staff.manager_status()
    })
    .await
}

/// One page of a Bangladesh-local day, with its totals and hourly sales.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn day_view(state: State<'_, AppState>, query: DayQuery) -> Result<DayPage, CommandError> {
    authorise(&state, Action::ReadDay, None, None).await?;
    Ok(report::day_page(&*reader(&state)?, query.date, &query.filter(), query.page)?)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn payment_history(state: State<'_, AppState>, id: i64) -> Result<History, CommandError> {
    authorise(&state, Action::ReadDay, None, None).await?;
    Ok(report::history(&*reader(&state)?, id)?)
}

/// A full or partial refund, journaled before the call and sent once.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn refund_payment(state: State<'_, AppState>, request: RefundRequest) -> Result<RefundView, CommandError> {
    authorise(&state, Action::Refund, request.approval.clone(), Some(format!("payment {}", request.id))).await?;
    let service = payments(&state)?.desk.service();
    Ok(RefundView::from(&service.refund(request.id, request.amount_poisha, &request.sku, &request.reason).await?))
}

/// The paid bKash sale a receipt names (trxID or invoice), for a refund at
/// the counter. Anyone signed in may look; the refund itself asks its role.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn find_paid_payment(state: State<'_, AppState>, reference: String) -> Result<History, CommandError> {
    authorise(&state, Action::Sell, None, None).await?;
    report::paid_by_reference(&*reader(&state)?, &reference)?.ok_or_else(|| {
        CommandError::new(crate::app::ErrorCode::NotFound, format!("No paid bKash sale has the trxID or invoice {reference}."))
            .with("id", reference)
    })
}

/// Asks Refund Status about a refund whose outcome is not known.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn check_refund(state: State<'_, AppState>, payment: i64, refund: i64) -> Result<RefundView, CommandError> {
    authorise(&state, Action::CheckPayment, None, None).await?;
    Ok(RefundView::from(&payments(&state)?.desk.service().check_refund(refund, payment).await?))
}

/// *Check now*: Query bKash for a payment whose outcome is unknown.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn check_payment(state: State<'_, AppState>, id: i64) -> Result<PaymentView, CommandError> {
    authorise(&state, Action::CheckPayment, None, None).await?;
    Ok(PaymentView::from(&payments(&state)?.reconciler.check_one(id).await?))
}

/// Settles an unknown payment by hand, only with a trxID (see `payment::resolve`).
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn resolve_payment(state: State<'_, AppState>, request: ResolveRequest) -> Result<ResolveOutcome, CommandError> {
    authorise(&state, Action::ResolveByHand, None, None).await?;
    let payments = payments(&state)?;
    // In a store the trxID is held for this payment there first (`StoreActions::resolve_own`).
    let resolution = match &payments.store {
        Some(store) => store.actions.resolve_own(request.id, &request.trx_id, &request.reason).await?,
        None => payments.desk.service().resolve_by_hand(request.id, &request.trx_id, &request.reason).await?,
    };
    Ok(ResolveOutcome::from(resolution))
}
