//! The checkout window's four steps (`capabilities/checkout.json`). They
//! never take a payment ID: they act on the desk's open payment only, and
//! refuse any other window.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use tauri::{Runtime, State, Window};

use super::payments;
use crate::app::error::create_refused;
use crate::app::startup::AppState;
use crate::app::CHECKOUT_LABEL;
use crate::app::{CommandError, ErrorCode};
use pos_core::bkash::CreatedPayment;
use pos_core::counter::Counter;
use pos_core::journal::PaymentRow;
use pos_core::money::{Amount, Cause};
use pos_core::payment::PaymentView;

/// What the checkout page needs before it loads bKash's script.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckoutContext {
    pub script_url: String,
    /// bKash's amount string, e.g. "1250.50".
    #[ts(type = "string")]
    pub amount: Amount,
    pub invoice: String,
    pub shop_name: String,
    /// The page's own CSP, narrowing the app-wide one to the configured
    /// bKash origins; set as a `<meta>` before bKash's script loads.
    pub csp: String,
}

impl CheckoutContext {
    fn new(payments: &Counter, row: &PaymentRow, shop_name: &str) -> Self {
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
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckoutCreated {
    #[serde(rename = "paymentID")]
    pub payment_id: String,
    pub create_time: String,
    pub org_name: Option<String>,
    /// bKash's word, as bKash spells it ("Initiated").
    pub transaction_status: String,
    #[ts(type = "string")]
    pub amount: Amount,
    pub currency: String,
    pub intent: String,
    pub merchant_invoice_number: String,
}

/// bKash's own timestamp form, `2024-07-25T19:35:17:574 GMT+0600`.
fn bkash_time(at: DateTime<FixedOffset>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S:%3f GMT%z").to_string()
}

impl From<CreatedPayment> for CheckoutCreated {
    fn from(c: CreatedPayment) -> Self {
        Self {
            payment_id: c.payment_id,
            create_time: bkash_time(c.create_time),
            org_name: c.org_name,
            transaction_status: c.transaction_status.as_bkash().to_string(),
            amount: c.amount,
            currency: c.currency,
            intent: c.intent,
            merchant_invoice_number: c.merchant_invoice_number,
        }
    }
}

/// Why the checkout page gave up. A fixed list: the webview never writes
/// free text into the journal.
#[derive(Debug, Clone, Copy, Deserialize, ts_rs::TS)]
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

/// Defence in depth behind the capability files: a `checkout_*` command
/// answers only the checkout window.
fn from_checkout<R: Runtime>(window: &Window<R>) -> Result<(), CommandError> {
    if window.label() == CHECKOUT_LABEL {
        Ok(())
    } else {
        Err(CommandError::new(ErrorCode::NotAllowed, "Only the bKash checkout window may do this."))
    }
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn checkout_context<R: Runtime>(window: Window<R>, state: State<'_, AppState>) -> Result<CheckoutContext, CommandError> {
    from_checkout(&window)?;
    let payments = payments(&state)?;
    Ok(CheckoutContext::new(payments, &payments.desk.current().await?, &state.settings.shop_name))
}

/// `createRequest`: Create Payment for the open payment.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn checkout_create<R: Runtime>(window: Window<R>, state: State<'_, AppState>) -> Result<CheckoutCreated, CommandError> {
    from_checkout(&window)?;
    let created = payments(&state)?.desk.create().await?;
    created.bkash.map(CheckoutCreated::from).ok_or_else(|| create_refused(&created.row))
}

/// `executeRequestOnAuthorization`: Execute Payment, exactly once.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn checkout_execute<R: Runtime>(window: Window<R>, state: State<'_, AppState>) -> Result<PaymentView, CommandError> {
    from_checkout(&window)?;
    Ok(PaymentView::from(&payments(&state)?.desk.execute().await?))
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub async fn checkout_cancel<R: Runtime>(
    window: Window<R>,
    state: State<'_, AppState>,
    reason: CancelReason,
) -> Result<Option<PaymentView>, CommandError> {
    from_checkout(&window)?;
    // A script that never loaded: bKash was not reached, and nothing was sent.
    let cause = matches!(reason, CancelReason::ScriptUnavailable).then_some(Cause::Unreachable);
    Ok(payments(&state)?.desk.cancel_because(reason.as_sentence(), cause).await?.as_ref().map(PaymentView::from))
}
