//! The customer display: a window of its own (on the second screen when
//! there is one) that shows the customer the QR code and the total while
//! they pay on their phone, then the outcome.
//!
//! It gets no IPC beyond what it shows (`capabilities/customer-display.json`):
//! one command that reads the current screen, and the event that replaces it.

use std::sync::Mutex;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

use pos_core::money::{Amount, PaymentState};
use pos_core::payment::PaymentView;
use pos_core::qr::QrImage;

use super::{main_window, CUSTOMER_DISPLAY_LABEL, MAIN_LABEL};

pub const CUSTOMER_SCREEN_EVENT: &str = "customer-screen";

/// What the customer sees. Only what is on the counter's own screen too:
/// no wallet number, no payment ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum CustomerScreen {
    /// Between sales.
    Welcome { shop_name: String },
    /// Scan to pay on your phone.
    Scan {
        qr: QrImage,
        #[ts(type = "string")]
        amount: Amount,
        invoice: String,
    },
    Paid {
        #[ts(type = "string")]
        amount: Amount,
        #[serde(rename = "trxID")]
        trx_id: Option<String>,
    },
    /// Failed, cancelled, timed out or not charged: nothing was taken.
    NotPaid,
    /// Execute's outcome is being checked with bKash.
    Checking,
}

impl CustomerScreen {
    pub fn scan(qr: &QrImage, amount: Amount, invoice: &str) -> Self {
        Self::Scan { qr: qr.clone(), amount, invoice: invoice.to_string() }
    }

    /// What a phone payment's new state shows, if it changes the screen.
    pub fn after(view: &PaymentView) -> Option<Self> {
        Some(match view.state {
            PaymentState::Completed => Self::Paid { amount: Amount::from_poisha(view.amount_poisha), trx_id: view.trx_id.clone() },
            PaymentState::Unknown => Self::Checking,
            PaymentState::Failed | PaymentState::Cancelled | PaymentState::NotCharged => Self::NotPaid,
            _ => return None,
        })
    }
}

/// The customer display, managed as its own state: whether the shop has one,
/// and the screen it shows now, for a display window that (re)loads.
pub struct CustomerDisplay {
    enabled: bool,
    shop_name: String,
    screen: Mutex<Option<CustomerScreen>>,
}

impl CustomerDisplay {
    pub fn new(enabled: bool, shop_name: &str) -> Self {
        Self { enabled, shop_name: shop_name.to_string(), screen: Mutex::new(None) }
    }

    pub fn current(&self) -> CustomerScreen {
        self.screen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .unwrap_or_else(|| CustomerScreen::Welcome { shop_name: self.shop_name.clone() })
    }

    fn set(&self, screen: CustomerScreen) {
        *self.screen.lock().unwrap_or_else(|p| p.into_inner()) = Some(screen);
    }
}

/// Opens the customer display (`customer.html`): full screen on a monitor
/// other than the cashier's when there is one, else a window beside it.
pub fn open<R: Runtime>(app: &AppHandle<R>) {
    if app.get_webview_window(CUSTOMER_DISPLAY_LABEL).is_some() {
        return;
    }
    let main_monitor = app.get_webview_window(MAIN_LABEL).and_then(|w| w.current_monitor().ok().flatten());
    let second = app
        .available_monitors()
        .unwrap_or_default()
        .into_iter()
        .find(|m| main_monitor.as_ref().is_none_or(|main| m.position() != main.position()));
    let mut builder = WebviewWindowBuilder::new(app, CUSTOMER_DISPLAY_LABEL, WebviewUrl::App("customer.html".into()))
        .title("Customer display")
        .inner_size(480.0, 640.0)
        .focused(false)
        .on_navigation(|url| url.scheme() == "tauri" || url.host_str() == Some("tauri.localhost"));
    if let Some(monitor) = &second {
        let at = monitor.position().to_logical::<f64>(monitor.scale_factor());
        builder = builder.position(at.x, at.y).fullscreen(true);
    }
    match builder.build() {
        Ok(_) => tracing::info!(second_screen = second.is_some(), "customer display opened"),
        Err(e) => tracing::warn!(error = %e, "the customer display could not be opened"),
    }
    // Opening it must never take the keyboard from the cashier.
    main_window::focus(app);
}

/// Shows `screen` on the customer display, when the shop has one.
pub fn show<R: Runtime>(app: &AppHandle<R>, screen: CustomerScreen) {
    // Events can arrive while start-up is still managing the state.
    let Some(display) = app.try_state::<CustomerDisplay>() else { return };
    if !display.enabled {
        return;
    }
    display.set(screen.clone());
    open(app);
    let _ = app.emit_to(CUSTOMER_DISPLAY_LABEL, CUSTOMER_SCREEN_EVENT, screen);
}
