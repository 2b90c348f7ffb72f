//! The till: cash sales, the sale the counter was on when the app stopped,
//! the catalogue (read by the counter, imported and edited by the manager)
//! and the drawer count. bKash's Pay journals the sale in `counter::pay`.

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Runtime, State};

use super::{payments, reader, SaleToPay};
use crate::app::startup::AppState;
use crate::app::CommandError;
use pos_core::journal::{CatalogueItem, DrawerCount, JournalRead, PaymentRow, SaleRow};
use pos_core::money::{SaleLine, Tender};
use pos_core::payment::PaymentView;
use pos_core::till::{parse_catalogue, Rejected};

/// A sale as the counter shows it: its lines, how it was paid, and its
/// newest bKash payment.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SaleView {
    pub order_id: String,
    pub lines: Vec<SaleLine>,
    pub total_poisha: u64,
    pub tender: Option<Tender>,
    pub cash: Option<CashView>,
    pub payment: Option<PaymentView>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CashView {
    pub tendered_poisha: u64,
    pub change_poisha: u64,
    /// RFC 3339, UTC, on the wire.
    #[ts(type = "string")]
    pub at: chrono::DateTime<chrono::Utc>,
}

impl SaleView {
    pub fn of(sale: &SaleRow, payment: Option<&PaymentRow>) -> Self {
        Self {
            order_id: sale.order_id.clone(),
            lines: sale.lines.clone(),
            total_poisha: sale.total_poisha,
            tender: sale.tender(),
            cash: sale.cash.map(|c| CashView { tendered_poisha: c.tendered_poisha, change_poisha: c.change_poisha, at: c.at }),
            payment: payment.map(PaymentView::from),
        }
    }
}

/// The customer paid in cash: the sale and its lines are journaled with the
/// cash handed over; the change is what the screen and the receipt show.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn pay_cash(state: State<'_, AppState>, sale: SaleToPay, tendered_poisha: u64) -> Result<SaleView, CommandError> {
    let actor = super::authorise(&state, pos_core::money::Action::TakeCash, None, None).await?;
    let anyway = sale.anyway();
    let sale = payments(&state)?.till.take_cash(&sale.order_id, sale.lines, tendered_poisha, anyway, actor.by.as_ref()).await?;
    tracing::info!(sale = %sale.order_id, total = sale.total_poisha, "sale paid in cash");
    Ok(SaleView::of(&sale, None))
}

/// The cashier moved on to a new sale.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn finish_sale(state: State<'_, AppState>, order_id: String) -> Result<(), CommandError> {
    Ok(payments(&state)?.till.finish(&order_id).await?)
}

/// The sale the counter was on when the app stopped: reopened with its lines
/// and its payment's outcome.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn unfinished_sale(state: State<'_, AppState>) -> Result<Option<SaleView>, CommandError> {
    let Ok(payments) = state.payments.as_ref() else { return Ok(None) };
    Ok(payments.till.unfinished().await?.map(|(sale, payment)| SaleView::of(&sale, payment.as_ref())))
}

/// A sale's lines, for the manager's details of its payment.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn sale_of(state: State<'_, AppState>, order_id: String) -> Result<Option<SaleView>, CommandError> {
    let reader = reader(&state)?;
    let sale = reader.sale(&order_id)?;
    Ok(match sale {
        Some(sale) => {
            let payment = reader.latest_payment_of(&order_id)?;
            Some(SaleView::of(&sale, payment.as_ref()))
        }
        None => None,
    })
}

/// The whole catalogue: the counter searches it as the cashier types.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn catalogue(state: State<'_, AppState>) -> Result<Vec<CatalogueItem>, CommandError> {
    let Ok(payments) = state.payments.as_ref() else { return Ok(Vec::new()) };
    Ok(payments.till.catalogue().await?)
}

/// What an import did: how many products were saved, and each rejected row.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub saved: usize,
    pub rejected_count: usize,
    /// The first rejected rows, by line (all of them are in the log).
    pub rejected: Vec<Rejected>,
}

/// How many rejected rows the screen lists; a file of bad rows is fixed by
/// the first few.
const REJECTED_SHOWN: usize = 200;

/// Imports a catalogue CSV (the file's text, read by the manager's screen).
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn import_catalogue<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    text: String,
) -> Result<ImportReport, CommandError> {
    super::authorise(&state, pos_core::money::Action::EditCatalogue, None, None).await?;
    let till = payments(&state)?.till.clone();
    let parsed = tokio::task::spawn_blocking(move || parse_catalogue(text.as_bytes()))
        .await
        .map_err(|e| CommandError::detailed(crate::app::ErrorCode::Interrupted, e))??;
    let imported = till.import(parsed).await?;
    for r in &imported.rejected {
        tracing::info!(line = r.line, reason = %r.reason, "catalogue row rejected");
    }
    tracing::info!(saved = imported.saved, rejected = imported.rejected.len(), "catalogue imported");
    catalogue_changed(&app);
    let rejected_count = imported.rejected.len();
    Ok(ImportReport { saved: imported.saved, rejected_count, rejected: imported.rejected.into_iter().take(REJECTED_SHOWN).collect() })
}

/// Adds or changes one product (manager).
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn save_product<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, item: CatalogueItem) -> Result<(), CommandError> {
    super::authorise(&state, pos_core::money::Action::EditCatalogue, None, None).await?;
    if let Err(problem) = payments(&state)?.till.save_item(item).await? {
        let reason = problem.to_string();
        return Err(CommandError::new(crate::app::ErrorCode::Invalid, format!("The product: {reason}."))
            .with("field", "product")
            .with("problem", reason));
    }
    catalogue_changed(&app);
    Ok(())
}

/// Tells the counter to read the catalogue again (it searches its own copy).
fn catalogue_changed<R: Runtime>(app: &AppHandle<R>) {
    let _ = app.emit_to(crate::app::MAIN_LABEL, crate::app::events::CATALOGUE_EVENT, ());
}

/// The manager's drawer count for one counter and day.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DrawerDraft {
    #[ts(type = "string")]
    pub date: chrono::NaiveDate,
    pub counter_id: String,
    pub opening_float_poisha: u64,
    pub counted_poisha: Option<u64>,
    pub note: Option<String>,
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn count_drawer(state: State<'_, AppState>, draft: DrawerDraft) -> Result<(), CommandError> {
    super::authorise(&state, pos_core::money::Action::CloseDay, None, None).await?;
    let note = draft.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    let count = DrawerCount {
        day: draft.date,
        counter_id: draft.counter_id,
        opening_float_poisha: draft.opening_float_poisha,
        counted_poisha: draft.counted_poisha,
        note,
    };
    Ok(payments(&state)?.till.count_drawer(count).await?)
}
