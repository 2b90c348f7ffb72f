//! The manager's store screens (a store of counters on one PostgreSQL):
//! the store's day, any counter's payment, refunds of it, and the store's
//! end-of-day report. Every read of PostgreSQL runs off the runtime.

use chrono::NaiveDate;
use serde::Deserialize;
use tauri::State;

use super::manager::DayQuery;
use super::{link, off_runtime};
use crate::app::startup::AppState;
use crate::app::CommandError;
use pos_core::report::RefundView;
use pos_core::store::actions::ActionReport;
use pos_core::store::day::{StoreDayPage, StoreEndOfDay, StoreHistory};

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StoreRefundRequest {
    /// The counter whose journal holds the payment.
    pub counter: String,
    pub id: i64,
    pub amount_poisha: u64,
    pub sku: String,
    pub reason: String,
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn store_day(state: State<'_, AppState>, query: DayQuery) -> Result<StoreDayPage, CommandError> {
    super::authorise(&state, pos_core::money::Action::ReadDay, None, None).await?;
    let filter = query.filter();
    let store = link(&state)?;
    off_runtime(move || Ok(store.reader.day(query.date, &filter, query.page)?)).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn store_payment_history(state: State<'_, AppState>, counter: String, id: i64) -> Result<StoreHistory, CommandError> {
    super::authorise(&state, pos_core::money::Action::ReadDay, None, None).await?;
    let store = link(&state)?;
    off_runtime(move || Ok(store.reader.history(&counter, id)?)).await
}

/// A refund of any payment of the store (`StoreActions::refund`): claimed
/// in the store's database before bKash is called.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn store_refund(state: State<'_, AppState>, request: StoreRefundRequest) -> Result<RefundView, CommandError> {
    super::authorise(&state, pos_core::money::Action::Refund, None, None).await?;
    let StoreRefundRequest { counter, id, amount_poisha, sku, reason } = request;
    Ok(link(&state)?.actions.refund(&counter, id, amount_poisha, &sku, &reason).await?)
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StoreResolveRequest {
    pub counter: String,
    pub id: i64,
    #[serde(rename = "trxID")]
    pub trx_id: String,
    pub reason: String,
}

/// *Check now* on any payment of the store whose outcome is unknown
/// (`store::actions`): journaled here, Query sent from here; the counter that
/// took it asks bKash itself when it hears of it.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn store_check_payment(state: State<'_, AppState>, counter: String, id: i64) -> Result<ActionReport, CommandError> {
    super::authorise(&state, pos_core::money::Action::CheckPayment, None, None).await?;
    let store = link(&state)?;
    Ok(ActionReport::from(&store.actions.check(&counter, id, &store.manager_here()).await?))
}

/// *Resolve by hand* on any payment of the store, only with a trxID that
/// Search Transaction confirms for its amount.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn store_resolve_payment(state: State<'_, AppState>, request: StoreResolveRequest) -> Result<ActionReport, CommandError> {
    super::authorise(&state, pos_core::money::Action::ResolveByHand, None, None).await?;
    let store = link(&state)?;
    let StoreResolveRequest { counter, id, trx_id, reason } = request;
    Ok(ActionReport::from(&store.actions.resolve(&counter, id, &trx_id, &reason, &store.manager_here()).await?))
}

/// The store's report of the day: numbered and stored once in PostgreSQL;
/// asking again (from any counter) shows the same report.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn close_store_day(state: State<'_, AppState>, date: NaiveDate) -> Result<StoreEndOfDay, CommandError> {
    super::authorise(&state, pos_core::money::Action::CloseDay, None, None).await?;
    let store = link(&state)?;
    let by = store.manager_here();
    off_runtime(move || Ok(store.reader.close_day(date, &by, chrono::Utc::now())?)).await
}
