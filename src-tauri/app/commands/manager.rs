//! The manager's screens: the PIN gate, the day list, one payment's history,
//! refunds, *Check now* and settling an unknown payment by hand. Every one
//! but the PIN gate needs an open manager session.

use serde::{Deserialize, Serialize};
use tauri::State;

use super::{off_runtime, payments, reader};
use crate::app::startup::AppState;
use crate::app::CommandError;
use chrono::NaiveDate;
use pos_core::journal::PaymentFilter;
use pos_core::manager_pin::ManagerStatus;
use pos_core::money::PaymentState;
use pos_core::payment::{PaymentView, Resolution};
use pos_core::report::{self, DayPage, History, RefundView};

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
async fn with_session<T: Send + 'static>(
    state: &State<'_, AppState>,
    work: impl FnOnce(&pos_core::manager_pin::ManagerSession) -> Result<T, pos_core::manager_pin::PinError> + Send + 'static,
) -> Result<T, CommandError> {
    let session = state.manager.clone();
    off_runtime(move || Ok(work(&session)?)).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn manager_status(state: State<'_, AppState>) -> Result<ManagerStatus, CommandError> {
    with_session(&state, |session| session.status()).await
}

/// The first manager PIN (first use only); the manager's screens open.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn manager_set_pin(state: State<'_, AppState>, pin: String) -> Result<ManagerStatus, CommandError> {
    with_session(&state, move |session| {
        session.set_first(&pin)?;
        session.status()
    })
    .await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn manager_unlock(state: State<'_, AppState>, pin: String) -> Result<ManagerStatus, CommandError> {
    with_session(&state, move |session| {
        session.unlock(&pin)?;
        session.status()
    })
    .await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn manager_lock(state: State<'_, AppState>) -> Result<ManagerStatus, CommandError> {
    with_session(&state, |session| {
        session.lock();
        session.status()
    })
    .await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn manager_change_pin(state: State<'_, AppState>, current: String, new: String) -> Result<ManagerStatus, CommandError> {
    with_session(&state, move |session| {
        session.change(&current, &new)?;
        session.status()
    })
    .await
}

/// One page of a Bangladesh-local day, with its totals and hourly sales.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn day_view(state: State<'_, AppState>, query: DayQuery) -> Result<DayPage, CommandError> {
    state.manager.require()?;
    Ok(report::day_page(&*reader(&state)?, query.date, &query.filter(), query.page)?)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn payment_history(state: State<'_, AppState>, id: i64) -> Result<History, CommandError> {
    state.manager.require()?;
    Ok(report::history(&*reader(&state)?, id)?)
}

/// A full or partial refund, journaled before the call and sent once.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn refund_payment(state: State<'_, AppState>, request: RefundRequest) -> Result<RefundView, CommandError> {
    state.manager.require()?;
    let service = payments(&state)?.desk.service();
    Ok(RefundView::from(&service.refund(request.id, request.amount_poisha, &request.sku, &request.reason).await?))
}

/// Asks Refund Status about a refund whose outcome is not known.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn check_refund(state: State<'_, AppState>, payment: i64, refund: i64) -> Result<RefundView, CommandError> {
    state.manager.require()?;
    Ok(RefundView::from(&payments(&state)?.desk.service().check_refund(refund, payment).await?))
}

/// *Check now*: Query bKash for a payment whose outcome is unknown.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn check_payment(state: State<'_, AppState>, id: i64) -> Result<PaymentView, CommandError> {
    state.manager.require()?;
    Ok(PaymentView::from(&payments(&state)?.reconciler.check_one(id).await?))
}

/// Settles an unknown payment by hand, only with a trxID (see `payment::resolve`).
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn resolve_payment(state: State<'_, AppState>, request: ResolveRequest) -> Result<ResolveOutcome, CommandError> {
    state.manager.require()?;
    let payments = payments(&state)?;
    // In a store the trxID is held for this payment there first (`StoreActions::resolve_own`).
    let resolution = match &payments.store {
        Some(store) => store.actions.resolve_own(request.id, &request.trx_id, &request.reason).await?,
        None => payments.desk.service().resolve_by_hand(request.id, &request.trx_id, &request.reason).await?,
    };
    Ok(ResolveOutcome::from(resolution))
}
