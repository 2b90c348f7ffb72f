//! Tauri commands: each one takes state, calls the core, maps the error.
//!
//! The main window's commands are listed in `capabilities/main.json`, the
//! checkout window's (`checkout_*`) in `capabilities/checkout.json`. The
//! checkout commands never take a payment ID: they act on the desk's open
//! payment only, and refuse any other window.

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State, Window};

use super::startup::{AppState, Payments, StartGate};
use super::windows::{self, CHECKOUT_LABEL};
use super::{settings_store, CommandError};
use crate::bkash::{Amount, CreatedPayment, TokenStatus};
use crate::journal::PaymentFilter;
use crate::manager_pin::ManagerStatus;
use crate::payment::PaymentView;
use crate::reconcile::RecoverySnapshot;
use crate::report::{self, DayPage, History, RefundView};
use crate::settings::{CredentialsForm, CredentialsSummary, FieldError, Settings};

/// What the UI needs to know about this running app.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: &'static str,
    pub environment: &'static str,
    pub moves_real_money: bool,
    pub shop_name: String,
    pub counter_id: String,
    pub log_dir: String,
    /// Why the counter cannot take payments (journal, settings, credentials).
    pub payments_stopped: Option<String>,
    /// Why the saved settings were not used.
    pub settings_problem: Option<String>,
    /// Where credentials and tokens are kept, in words.
    pub secrets_kept_in: String,
}

/// What the checkout page needs before it loads bKash's script.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckoutContext {
    pub script_url: String,
    /// bKash's amount string, e.g. "1250.50".
    pub amount: Amount,
    pub invoice: String,
    pub shop_name: String,
    /// The page's own CSP, narrowing the app-wide one to the configured
    /// bKash origins; set as a `<meta>` before bKash's script loads.
    pub csp: String,
}

impl CheckoutContext {
    fn new(payments: &Payments, row: &crate::journal::PaymentRow, shop_name: &str) -> Self {
        Self {
            script_url: payments.config.script_url.clone(),
            amount: Amount::from_poisha(row.amount_poisha),
            invoice: row.invoice.clone(),
            shop_name: shop_name.into(),
            csp: payments.checkout_csp.clone(),
        }
    }
}

/// bKash's create answer, as `bKash.create().onSuccess(…)` expects it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckoutCreated {
    #[serde(rename = "paymentID")]
    pub payment_id: String,
    pub create_time: String,
    pub org_name: Option<String>,
    pub transaction_status: String,
    pub amount: Amount,
    pub currency: String,
    pub intent: String,
    pub merchant_invoice_number: String,
}

impl From<CreatedPayment> for CheckoutCreated {
    fn from(c: CreatedPayment) -> Self {
        Self {
            payment_id: c.payment_id,
            create_time: c.create_time.format("%Y-%m-%dT%H:%M:%S:%3f GMT%z").to_string(),
            org_name: c.org_name,
            transaction_status: format!("{:?}", c.transaction_status),
            amount: c.amount,
            currency: c.currency,
            intent: c.intent,
            merchant_invoice_number: c.merchant_invoice_number,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    pub settings: Settings,
    /// The stored credentials of the saved environment, without secrets.
    pub credentials: CredentialsSummary,
    pub secrets_kept_in: String,
}

/// `saved` is false when `problems` names fields to fix; nothing was stored.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveOutcome {
    pub saved: bool,
    pub problems: Vec<FieldError>,
    pub restart_needed: bool,
}

pub(super) fn payments<'a>(state: &'a State<'_, AppState>) -> Result<&'a Payments, CommandError> {
    state.payments.as_ref().map_err(|reason| CommandError::new("payments_stopped", format!("Payments are stopped: {reason}")))
}

/// The read-only journal connection of the manager's screens. A poisoned
/// lock only means a read panicked; the connection is still sound.
pub(super) fn reader<'a>(state: &'a State<'_, AppState>) -> Result<std::sync::MutexGuard<'a, crate::journal::JournalReader>, CommandError> {
    Ok(payments(state)?.reader.lock().unwrap_or_else(|p| p.into_inner()))
}

/// Defence in depth behind the capability files: a `checkout_*` command
/// answers only the checkout window.
fn from_checkout<R: Runtime>(window: &Window<R>) -> Result<(), CommandError> {
    if window.label() == CHECKOUT_LABEL {
        Ok(())
    } else {
        Err(CommandError::new("not_allowed", "Only the bKash checkout window may do this."))
    }
}

/// The UI's first question; it waits until start-up has opened the journal
/// (the window is built before that, see `startup::StartGate`).
#[tauri::command]
pub async fn app_info<R: Runtime>(app: AppHandle<R>, gate: State<'_, StartGate>) -> Result<AppInfo, CommandError> {
    gate.opened().await;
    Ok(app.state::<AppState>().info())
}

/// Why payments are stopped, when the integrity check running beside the
/// counter found the journal damaged (the UI asks once it listens for the
/// `journal-damaged` event, so damage found before that is not missed).
#[tauri::command]
pub async fn journal_damage(state: State<'_, AppState>) -> Result<Option<String>, CommandError> {
    Ok(state.journal_damage())
}

/// The cashier screen's first render is on screen with its item field: the
/// launch benchmark's "interactive" mark, logged once. The journal's full
/// integrity check starts now, so it never competes with the first screen.
#[tauri::command]
pub async fn cashier_ready(state: State<'_, AppState>) -> Result<(), CommandError> {
    static FIRST: std::sync::Once = std::sync::Once::new();
    FIRST.call_once(|| tracing::info!("the cashier screen is up"));
    state.counter_is_up();
    Ok(())
}

/// The cashier pressed Pay: journal the payment, then open bKash's window.
#[tauri::command]
pub async fn pay<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    order_id: String,
    amount_poisha: u64,
) -> Result<PaymentView, CommandError> {
    let payments = payments(&state)?;
    let row = payments.desk.begin(&order_id, amount_poisha)?;
    windows::open_checkout(&app, &payments.config).map_err(|e| windows::checkout_not_opened(&payments.desk, e))?;
    Ok(PaymentView::from(&row))
}

/// The cashier stopped the open payment before the customer confirmed.
#[tauri::command]
pub async fn cancel_payment<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<Option<PaymentView>, CommandError> {
    let row = payments(&state)?.desk.cancel("the cashier cancelled")?;
    windows::close_checkout(&app);
    Ok(row.as_ref().map(PaymentView::from))
}

#[tauri::command]
pub async fn payment(state: State<'_, AppState>, id: i64) -> Result<PaymentView, CommandError> {
    Ok(PaymentView::from(&payments(&state)?.desk.service().get(id)?))
}

// The commands the cashier screen asks while it starts are `async`: Tauri
// runs a plain command on the main thread, which is busy building the page
// then, and the answer would wait for it.

#[tauri::command]
pub async fn recovery_status(state: State<'_, AppState>) -> Result<RecoverySnapshot, CommandError> {
    Ok(state.recovery.snapshot())
}

/// bKash's sign-in: token calls this hour, and whether payments that need a
/// new token must wait (and until when), for the counter and the manager.
#[tauri::command]
pub async fn bkash_status(state: State<'_, AppState>) -> Result<TokenStatus, CommandError> {
    Ok(payments(&state)?.desk.service().bkash().tokens().status().await)
}

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Result<SettingsView, CommandError> {
    state.manager.require()?;
    settings_store::view(&state)
}

#[tauri::command]
pub fn save_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    settings: Settings,
    credentials: CredentialsForm,
) -> Result<SaveOutcome, CommandError> {
    state.manager.require()?;
    settings_store::apply(&state, settings, credentials, |s| settings_store::save(&app, s))
}

#[tauri::command]
pub async fn checkout_context<R: Runtime>(window: Window<R>, state: State<'_, AppState>) -> Result<CheckoutContext, CommandError> {
    from_checkout(&window)?;
    let payments = payments(&state)?;
    Ok(CheckoutContext::new(payments, &payments.desk.current()?, &state.settings.shop_name))
}

/// `createRequest`: Create Payment for the open payment.
#[tauri::command]
pub async fn checkout_create<R: Runtime>(window: Window<R>, state: State<'_, AppState>) -> Result<CheckoutCreated, CommandError> {
    from_checkout(&window)?;
    let created = payments(&state)?.desk.create().await?;
    created.bkash.map(CheckoutCreated::from).ok_or_else(|| super::error::create_refused(&created.row))
}

/// `executeRequestOnAuthorization`: Execute Payment, exactly once.
#[tauri::command]
pub async fn checkout_execute<R: Runtime>(window: Window<R>, state: State<'_, AppState>) -> Result<PaymentView, CommandError> {
    from_checkout(&window)?;
    Ok(PaymentView::from(&payments(&state)?.desk.execute().await?))
}

/// Why the checkout page gave up. A fixed list: the webview never writes
/// free text into the journal.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    /// `onClose`: the customer closed bKash's frame.
    CustomerClosed,
    /// bKash's checkout.js could not be loaded or did not start.
    ScriptUnavailable,
}

impl CancelReason {
    fn as_sentence(self) -> &'static str {
        match self {
            CancelReason::CustomerClosed => "the customer closed bKash's window",
            CancelReason::ScriptUnavailable => "bKash's checkout script could not be loaded",
        }
    }
}

#[tauri::command]
pub async fn checkout_cancel<R: Runtime>(
    window: Window<R>,
    state: State<'_, AppState>,
    reason: CancelReason,
) -> Result<Option<PaymentView>, CommandError> {
    from_checkout(&window)?;
    Ok(payments(&state)?.desk.cancel(reason.as_sentence())?.as_ref().map(PaymentView::from))
}

/// Restarts the app to use saved settings; refused while a payment is open.
#[tauri::command]
pub fn restart_app<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<(), CommandError> {
    if state.payments.as_ref().is_ok_and(|p| p.desk.open_payment().is_some()) {
        return Err(CommandError::new("checkout_busy", "Finish or cancel the open bKash payment before restarting."));
    }
    app.restart()
}

// ---- the manager's screens: every one but the PIN gate needs an open session

#[tauri::command]
pub fn manager_status(state: State<'_, AppState>) -> Result<ManagerStatus, CommandError> {
    Ok(state.manager.status()?)
}

/// The first manager PIN (first use only); the manager's screens open.
#[tauri::command]
pub fn manager_set_pin(state: State<'_, AppState>, pin: String) -> Result<ManagerStatus, CommandError> {
    state.manager.set_first(&pin)?;
    Ok(state.manager.status()?)
}

#[tauri::command]
pub fn manager_unlock(state: State<'_, AppState>, pin: String) -> Result<ManagerStatus, CommandError> {
    state.manager.unlock(&pin)?;
    Ok(state.manager.status()?)
}

#[tauri::command]
pub fn manager_lock(state: State<'_, AppState>) -> Result<ManagerStatus, CommandError> {
    state.manager.lock();
    Ok(state.manager.status()?)
}

#[tauri::command]
pub fn manager_change_pin(state: State<'_, AppState>, current: String, new: String) -> Result<ManagerStatus, CommandError> {
    state.manager.change(&current, &new)?;
    Ok(state.manager.status()?)
}

/// One page of a Bangladesh-local day, with its totals and hourly sales.
#[tauri::command]
pub async fn day_view(state: State<'_, AppState>, query: DayQuery) -> Result<DayPage, CommandError> {
    state.manager.require()?;
    let (day, filter) = query.parse()?;
    Ok(report::day_page(&*reader(&state)?, day, &filter, query.page)?)
}

#[tauri::command]
pub async fn payment_history(state: State<'_, AppState>, id: i64) -> Result<History, CommandError> {
    state.manager.require()?;
    Ok(report::history(&*reader(&state)?, id)?)
}

/// A full or partial refund, journaled before the call and sent once.
#[tauri::command]
pub async fn refund_payment(state: State<'_, AppState>, request: RefundRequest) -> Result<RefundView, CommandError> {
    state.manager.require()?;
    let service = payments(&state)?.desk.service();
    Ok(RefundView::from(&service.refund(request.id, request.amount_poisha, &request.sku, &request.reason).await?))
}

/// Asks Refund Status about a refund whose outcome is not known.
#[tauri::command]
pub async fn check_refund(state: State<'_, AppState>, payment: i64, refund: i64) -> Result<RefundView, CommandError> {
    state.manager.require()?;
    Ok(RefundView::from(&payments(&state)?.desk.service().check_refund(refund, payment).await?))
}

/// *Check now*: Query bKash for a payment whose outcome is unknown.
#[tauri::command]
pub async fn check_payment(state: State<'_, AppState>, id: i64) -> Result<PaymentView, CommandError> {
    state.manager.require()?;
    Ok(PaymentView::from(&payments(&state)?.reconciler.check_one(id).await?))
}

/// Settles an unknown payment by hand, only with a trxID (see `payment::resolve`).
#[tauri::command]
pub async fn resolve_payment(state: State<'_, AppState>, request: ResolveRequest) -> Result<ResolveOutcome, CommandError> {
    state.manager.require()?;
    let service = payments(&state)?.desk.service();
    Ok(ResolveOutcome::from(service.resolve_by_hand(request.id, &request.trx_id, &request.reason).await?))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResolveRequest {
    pub id: i64,
    #[serde(rename = "trxID")]
    pub trx_id: String,
    pub reason: String,
}

/// `verified`: bKash confirmed the trxID and the payment is completed;
/// otherwise the claim is logged and the payment is still being checked.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolveOutcome {
    pub verified: bool,
    pub payment: PaymentView,
}

impl From<crate::payment::Resolution> for ResolveOutcome {
    fn from(resolution: crate::payment::Resolution) -> Self {
        match resolution {
            crate::payment::Resolution::Verified(row) => Self { verified: true, payment: PaymentView::from(&row) },
            crate::payment::Resolution::Unverified(row) => Self { verified: false, payment: PaymentView::from(&row) },
        }
    }
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, CommandError> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| CommandError::new("invalid_date", format!("`{text}` is not a date like 2026-11-25.")))
}

/// A day's end-of-day report: the stored one once the day is closed,
/// otherwise a preview (`closed: false`, number 0).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EodView {
    pub closed: bool,
    pub report: report::EndOfDay,
}

#[tauri::command]
pub async fn end_of_day(state: State<'_, AppState>, date: String) -> Result<EodView, CommandError> {
    state.manager.require()?;
    let reader = reader(&state)?;
    super::exports::eod_view(&reader, parse_date(&date)?, &state.settings.shop_name)
}

/// Closes the day: its report is numbered and stored, never to change.
#[tauri::command]
pub async fn close_day(state: State<'_, AppState>, date: String) -> Result<EodView, CommandError> {
    state.manager.require()?;
    let payments = payments(&state)?;
    let reader = reader(&state)?;
    let (report, _) =
        report::close_day(&reader, payments.desk.service(), parse_date(&date)?, &state.settings.shop_name, chrono::Utc::now())?;
    Ok(EodView { closed: true, report })
}

/// Writes the day's transactions (CSV) or the shown report (PDF) to the
/// Downloads folder and returns the file's path.
#[tauri::command]
pub async fn export_day<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    date: String,
    format: String,
) -> Result<String, CommandError> {
    state.manager.require()?;
    super::exports::export(&app, &state, parse_date(&date)?, &format).await
}

/// What the day list asks for. `date` is `YYYY-MM-DD`, Bangladesh time.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DayQuery {
    pub date: String,
    pub state: Option<String>,
    pub search: Option<String>,
    pub page: u32,
}

impl DayQuery {
    fn parse(&self) -> Result<(chrono::NaiveDate, PaymentFilter), CommandError> {
        let day = parse_date(&self.date)?;
        let state = match self.state.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(s.parse().map_err(|_| CommandError::new("invalid_state", format!("`{s}` is not a payment state.")))?),
        };
        let search = self.search.as_deref().map(|s| s.chars().take(64).collect());
        Ok((day, PaymentFilter { state, search }))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefundRequest {
    pub id: i64,
    pub amount_poisha: u64,
    pub sku: String,
    pub reason: String,
}
