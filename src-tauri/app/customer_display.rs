//! The customer display: a window of its own (on the second screen when
//! there is one) that shows the customer the QR code and the total while
//! they pay on their phone, then the outcome.
//!
//! It gets no IPC beyond what it shows (`capabilities/customer-display.json`):
//! one command that reads the current screen, and the event that replaces it.

use std::sync::Mutex;

use serde::Serialize;

use super::commands::counter::PhonePayment;
use pos_core::money::{Amount, PaymentState};
use pos_core::payment::PaymentView;
use pos_core::qr::QrImage;

pub const CUSTOMER_DISPLAY_LABEL: &str = "customer-display";
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
    pub fn scan(phone: &PhonePayment) -> Self {
        Self::Scan { qr: phone.qr.clone(), amount: phone.amount, invoice: phone.payment.invoice.clone() }
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

/// The screen the display shows now, for a display window that (re)loads.
#[derive(Default)]
pub struct CustomerDisplay(Mutex<Option<CustomerScreen>>);

impl CustomerDisplay {
    pub fn current(&self, shop_name: &str) -> CustomerScreen {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone().unwrap_or_else(|| CustomerScreen::Welcome { shop_name: shop_name.into() })
    }

    pub fn set(&self, screen: CustomerScreen) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(screen);
    }
}
