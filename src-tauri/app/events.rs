//! Journal events to the windows, and recovery running in the background.
//!
//! Every committed change reaches the main window as a `payment` event
//! carrying the `PaymentView`; the recovery banner gets `recovery` snapshots.
//! When the open checkout's payment no longer needs bKash's frame (settled,
//! or waiting for a Query), its window is closed here.

use std::sync::Arc;
use std::time::Duration;

use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::Notify;

use super::windows::customer_display::{self, CustomerScreen};
use super::windows::{checkout, MAIN_LABEL};
use pos_core::counter::Counter;
use pos_core::journal::PaymentRow;
use pos_core::money::{PayAt, PaymentState};
use pos_core::reconcile::RecoveryBoard;

/// A payment that just became `Unknown` is queried after this pause: bKash
/// may still be finishing the execute that did not answer.
const FIRST_RECHECK_AFTER: Duration = Duration::from_secs(5);

pub const PAYMENT_EVENT: &str = "payment";
pub const RECOVERY_EVENT: &str = "recovery";
/// The catalogue was imported or a product changed: the counter reads it again.
pub const CATALOGUE_EVENT: &str = "catalogue-changed";

pub fn start<R: Runtime>(app: &AppHandle<R>, payments: &Counter, board: Arc<RecoveryBoard>, unsettled: Vec<PaymentRow>) {
    let desk = payments.desk.clone();
    let reconciler = payments.reconciler.clone();
    let recheck = Arc::new(Notify::new());
    // Subscribed before recovery starts, so no transition is missed.
    let mut events = desk.service().subscribe();
    let (app_handle, kick) = (app.clone(), recheck.clone());
    let store = payments.store.clone();
    if let Some(store) = &store {
        if let Some(inbox) = store.inbox.lock().unwrap_or_else(|p| p.into_inner()).take() {
            tauri::async_runtime::spawn(store.actions.clone().carry_out_all(inbox));
        }
    }
    tauri::async_runtime::spawn(async move {
        loop {
            let event = match events.recv().await {
                Ok(event) => event,
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "the UI missed payment events; it re-reads on the next one");
                    continue;
                }
                Err(RecvError::Closed) => return,
            };
            if board.observe(&event) {
                let _ = app_handle.emit_to(MAIN_LABEL, RECOVERY_EVENT, board.snapshot());
            }
            let state = event.state;
            if state == PaymentState::Unknown {
                kick.notify_one();
            }
            let _ = app_handle.emit_to(MAIN_LABEL, PAYMENT_EVENT, &event);
            // The transition is committed: send it to the store now.
            if let Some(store) = &store {
                store.sync.nudge();
            }
            // Only the payment at the counter now: recovery's verdicts on an
            // older sale are not for the customer standing there.
            if event.pay_at == PayAt::Phone && desk.open_payment() == Some(event.id) {
                if let Some(screen) = CustomerScreen::after(&event) {
                    customer_display::show(&app_handle, screen);
                }
            }
            if (state.is_final() || state == PaymentState::Unknown) && desk.open_payment() == Some(event.id) {
                desk.release(event.id);
                checkout::close_checkout(&app_handle);
            }
        }
    });
    tauri::async_runtime::spawn(async move {
        match reconciler.pass_over(unsettled).await {
            Ok(pass) => {
                tracing::info!(settled = pass.settled.len(), still_unknown = pass.still_unknown.len(), "startup recovery pass done");
                if !pass.still_unknown.is_empty() {
                    tokio::time::sleep(FIRST_RECHECK_AFTER).await;
                }
            }
            Err(e) => tracing::error!(error = %e, "startup recovery could not finish"),
        }
        match reconciler.settle_refunds().await {
            Ok(0) => {}
            Ok(still) => tracing::warn!(still, "refunds still not known after Refund Status; the manager sees them"),
            Err(e) => tracing::error!(error = %e, "refund recovery could not finish"),
        }
        loop {
            if let Err(e) = reconciler.run_until_settled().await {
                tracing::error!(error = %e, "recovery stopped; it resumes when another payment needs checking");
            }
            recheck.notified().await;
            tokio::time::sleep(FIRST_RECHECK_AFTER).await;
        }
    });
}
