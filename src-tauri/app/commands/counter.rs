//! The cashier's screen: start-up, Pay and Cancel, the open payment, the
//! recovery banner, bKash's sign-in status, and restarting for new settings.
//!
//! The commands the cashier screen asks while it starts are `async`: Tauri
//! runs a plain command on the main thread, which is busy building the page
//! then, and the answer would wait for it.

use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};

use super::{payments, SaleToPay};
use crate::app::error::create_refused;
use crate::app::startup::{AppState, StartGate};
use crate::app::windows::customer_display::{CustomerDisplay, CustomerScreen};
use crate::app::windows::{checkout, customer_display};
use crate::app::{CommandError, ErrorCode};
use pos_core::bkash::{Environment, TokenStatus};
use pos_core::counter::{StartProblem, StartProblemView};
use pos_core::money::{Amount, PayAt, Product};
use pos_core::payment::{PaymentView, PhoneWait};
use pos_core::qr::QrImage;
use pos_core::reconcile::RecoverySnapshot;

/// What the UI needs to know about this running app.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: &'static str,
    pub environment: Environment,
    pub moves_real_money: bool,
    pub shop_name: String,
    pub counter_id: String,
    pub log_dir: String,
    /// Why the counter cannot take payments (journal, settings, credentials).
    pub payments_stopped: Option<String>,
    /// The same, as the UI words it in the shop's language, when the counter
    /// could not be opened at start.
    pub stopped_because: Option<StartProblemView>,
    /// Why the saved settings were not used.
    pub settings_problem: Option<String>,
    /// Where credentials and tokens are kept, in words.
    pub secrets_kept_in: String,
    /// The bKash product new payments use; only Tokenized offers the phone.
    pub product: Product,
    /// Where *Pay* (F9) lets the customer pay; F8 is the other place.
    pub pay_at: PayAt,
    /// Training: the address phones on the shop's Wi-Fi reach the practice
    /// payment page at, when that is switched on.
    pub training_phone_address: Option<String>,
    /// Where receipts print, and whether a paid sale's prints by itself.
    pub printer: pos_core::print::PrinterKind,
    pub print_automatically: bool,
    /// The first start on this PC: the setup is shown (until done or skipped).
    pub first_run: bool,
    /// The store this counter belongs to (a shared PostgreSQL), if any.
    pub store_id: Option<String>,
    /// Another program holds the journal's lock (`sqlite3, process 4242`):
    /// no sale or payment starts until it lets go, then the counter comes
    /// back by itself (the `journal-locked` event says both).
    pub journal_locked: Option<String>,
}

impl AppInfo {
    pub fn of(state: &AppState) -> Self {
        Self {
            version: env!("CARGO_PKG_VERSION"),
            environment: state.settings.environment,
            moves_real_money: state.settings.environment.moves_real_money(),
            shop_name: state.settings.shop_name.clone(),
            counter_id: state.settings.counter_id.clone(),
            log_dir: state.log_dir(),
            payments_stopped: state.payments.as_ref().err().map(ToString::to_string).or_else(|| state.journal_damage()),
            stopped_because: state.payments.as_ref().err().map(StartProblem::view),
            settings_problem: state.settings_problem.clone(),
            secrets_kept_in: state.vault.describe(),
            product: state.settings.product,
            pay_at: state.settings.pay_at,
            training_phone_address: state.training_phone_address(),
            printer: state.settings.printer,
            print_automatically: state.settings.print_automatically,
            first_run: state.first_run.load(std::sync::atomic::Ordering::SeqCst),
            store_id: state.settings.store.as_ref().map(|s| s.store_id.clone()),
            journal_locked: state.journal_locked(),
        }
    }
}

/// The UI's first question; it waits until start-up has opened the journal
/// (the window is built before that, see `startup::StartGate`).
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn app_info<R: Runtime>(app: AppHandle<R>, gate: State<'_, StartGate>) -> Result<AppInfo, CommandError> {
    gate.opened().await;
    Ok(AppInfo::of(&app.state::<AppState>()))
}

/// Why payments are stopped, when the integrity check running beside the
/// counter found the journal damaged (the UI asks once it listens for the
/// `journal-damaged` event, so damage found before that is not missed).
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn journal_damage(state: State<'_, AppState>) -> Result<Option<String>, CommandError> {
    Ok(state.journal_damage())
}

/// Which program holds the journal's lock now, if one does (the UI asks
/// once it listens for the `journal-locked` event).
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn journal_locked(state: State<'_, AppState>) -> Result<Option<String>, CommandError> {
    Ok(state.journal_locked())
}

/// The cashier screen's first render is on screen with its item field: the
/// launch benchmark's "interactive" mark, logged once. The journal's full
/// integrity check starts now, so it never competes with the first screen.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn cashier_ready(state: State<'_, AppState>) -> Result<(), CommandError> {
    static FIRST: std::sync::Once = std::sync::Once::new();
    FIRST.call_once(|| tracing::info!("the cashier screen is up"));
    state.counter_is_up();
    Ok(())
}

/// The cashier pressed Pay: journal the sale with its lines, then the
/// payment, then open bKash's window.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn pay<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, sale: SaleToPay) -> Result<PaymentView, CommandError> {
    let payments = payments(&state)?;
    let actor = super::authorise(&state, pos_core::money::Action::Sell, None, None).await?;
    let anyway = sale.anyway();
    let rung = payments.till.ring_up(&sale.order_id, sale.lines, actor.by.as_ref()).await?;
    let row = payments.desk.begin_with(&sale.order_id, rung.total_poisha, anyway).await?;
    match payments.config.product {
        // Checkout (iFrame): our checkout page creates and executes through bKash's frame.
        Product::Checkout => {
            if let Err(e) = checkout::open_checkout(&app, &payments.config) {
                return Err(checkout::checkout_not_opened(&payments.desk, e).await);
            }
            Ok(PaymentView::from(&row))
        }
        // Tokenized: Create first, then bKash's own page in the checkout window.
        Product::Tokenized => {
            let created = payments.desk.create().await?;
            let Some(page) = created.bkash.as_ref().and_then(|c| c.bkash_url.clone()) else {
                return Err(create_refused(&created.row));
            };
            if let Err(e) = checkout::open_bkash_page(&app, payments.desk.clone(), &payments.config, &page) {
                return Err(checkout::checkout_not_opened(&payments.desk, e).await);
            }
            Ok(PaymentView::from(&created.row))
        }
    }
}

/// What the counter shows while the customer pays on their phone.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PhonePayment {
    pub payment: PaymentView,
    /// bKash's page, exactly as Create gave it: what the QR code holds.
    pub url: String,
    pub qr: QrImage,
    #[ts(type = "string")]
    pub amount: Amount,
    /// The QR code's time-out, after which the payment is cancelled.
    pub timeout_secs: u32,
}

/// The cashier chose the customer's phone (Tokenized): journal and create the
/// payment, show bKash's page as a QR code, and wait for the customer in the
/// background. The payment's outcome reaches the screen as `payment` events.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn pay_on_phone<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    sale: SaleToPay,
) -> Result<PhonePayment, CommandError> {
    tracing::info!("the cashier chose the customer's phone");
    let payments = payments(&state)?;
    let actor = super::authorise(&state, pos_core::money::Action::Sell, None, None).await?;
    let anyway = sale.anyway();
    let amount_poisha = payments.till.ring_up(&sale.order_id, sale.lines, actor.by.as_ref()).await?.total_poisha;
    let created = payments.desk.begin_on_phone(&sale.order_id, amount_poisha, anyway).await?;
    let id = created.row.id;
    let Some(url) = created.bkash.and_then(|c| c.bkash_url) else {
        return Err(create_refused(&created.row));
    };
    let qr = match QrImage::of(&url) {
        Ok(qr) => qr,
        Err(e) => {
            // Nothing can reach the customer, and Execute was never sent.
            payments.desk.cancel("the payment page could not be shown as a QR code").await?;
            return Err(CommandError::detailed(ErrorCode::CheckoutWindow, e));
        }
    };
    let timeout_secs = state.settings.phone_timeout_secs;
    let waiting = payments.desk.wait_on_phone(id, PhoneWait::with_timeout(std::time::Duration::from_secs(timeout_secs.into())));
    tauri::async_runtime::spawn(async move {
        match waiting.await {
            Ok(Ok(row)) => tracing::info!(payment = id, state = %row.state, polls = row.status_polls, "the phone payment's wait ended"),
            Ok(Err(e)) => tracing::error!(payment = id, error = %e, "waiting for the customer's phone stopped; recovery settles it"),
            Err(e) => tracing::error!(payment = id, error = %e, "the phone wait task stopped; recovery settles it"),
        }
    });
    let shown =
        PhonePayment { payment: PaymentView::from(&created.row), url, qr, amount: Amount::from_poisha(amount_poisha), timeout_secs };
    customer_display::show(&app, CustomerScreen::scan(&shown.qr, shown.amount, &shown.payment.invoice));
    Ok(shown)
}

/// The QR code is drawn on the counter's screen: logged, so support can see
/// the customer was shown it, and the Pay → QR benchmark's mark.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn phone_qr_shown(payment: i64) -> Result<(), CommandError> {
    tracing::info!(payment, "the QR code is on the counter's screen");
    Ok(())
}

/// The customer display's one question: what it should show now.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn customer_display<R: Runtime>(
    window: tauri::Window<R>,
    display: State<'_, CustomerDisplay>,
) -> Result<CustomerScreen, CommandError> {
    if window.label() != crate::app::CUSTOMER_DISPLAY_LABEL {
        return Err(CommandError::new(ErrorCode::NotAllowed, "Only the customer display may ask this."));
    }
    Ok(display.current())
}

/// The cashier stopped the open payment before the customer confirmed.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn cancel_payment<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<Option<PaymentView>, CommandError> {
    let row = payments(&state)?.desk.cancel("the cashier cancelled").await?;
    checkout::close_checkout(&app);
    Ok(row.as_ref().map(PaymentView::from))
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn payment(state: State<'_, AppState>, id: i64) -> Result<PaymentView, CommandError> {
    Ok(PaymentView::from(&payments(&state)?.desk.service().get(id).await?))
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn recovery_status(state: State<'_, AppState>) -> Result<RecoverySnapshot, CommandError> {
    Ok(state.recovery.snapshot())
}

/// bKash's sign-in: token calls this hour, and whether payments that need a
/// new token must wait (and until when), for the counter and the manager.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn bkash_status(state: State<'_, AppState>) -> Result<TokenStatus, CommandError> {
    Ok(payments(&state)?.desk.service().bkash().tokens().status().await)
}

/// How far this counter's journal is behind in the store's database: None
/// when the counter has no store.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn store_sync_status(state: State<'_, AppState>) -> Result<Option<pos_core::store::SyncStatus>, CommandError> {
    Ok(payments(&state)?.store.as_ref().map(|store| store.sync.status()))
}

/// Restarts the app to use saved settings; refused while a payment is open.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn restart_app<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<(), CommandError> {
    if state.payments.as_ref().is_ok_and(|p| p.desk.open_payment().is_some()) {
        return Err(CommandError::new(ErrorCode::CheckoutBusy, "Finish or cancel the open bKash payment before restarting."));
    }
    app.restart()
}
